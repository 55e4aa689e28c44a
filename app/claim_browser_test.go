//go:build !wasm

package main

// Browser tests of issue 5 (fact-check claims): the span details panel, as a
// new user drives it with the mouse and the keyboard, and the ClaimReview
// export that carries what was entered.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusField moves the keyboard focus to the form field with that id with
// Tab (Shift+Tab when back is set), as a keyboard user would.
func (u *ui) focusField(id string, back bool) {
	u.t.Helper()
	is := fmt.Sprintf(`document.activeElement && document.activeElement.id === %s`, jsString(id))
	for i := 0; i < 60; i++ {
		if evalJS[bool](u.testBrowser, is) {
			return
		}
		if back {
			u.Press(kb.Tab, chromedp.ModifierShift)
		} else {
			u.Press(kb.Tab)
		}
	}
	u.t.Fatalf("Tab never reached #%s (the focus is on %s)", id, evalJS[string](u.testBrowser, `document.activeElement.outerHTML.slice(0, 120)`))
}

// typeInto clicks a text field, selects its text (Ctrl+A), replaces it with
// text, and leaves the field with Tab, which commits it. The text arrives as
// one input event, as from an input method or a paste (Input.insertText):
// key events per character cost tens of milliseconds each under load.
func (u *ui) typeInto(id, text string) {
	u.t.Helper()
	u.Click("#" + id)
	u.Press("a", chromedp.ModifierCtrl)
	u.Press(kb.Delete)
	cdpCall(u.testBrowser, input.InsertText, input.InsertTextParams{Text: text})
	u.Press(kb.Tab)
}

// fieldValue reads a form field's value.
func (u *ui) fieldValue(id string) string {
	u.t.Helper()
	return evalJS[string](u.testBrowser, fmt.Sprintf(`(document.getElementById(%s) || {}).value || ""`, jsString(id)))
}

// waitValue waits until the field with that id has the value want.
func (u *ui) waitValue(id, want string) {
	u.t.Helper()
	var got string
	if !u.WaitFor("#"+id+" = "+want, func() bool { got = u.fieldValue(id); return got == want }) {
		u.t.Fatalf("#%s is %q, want %q", id, got, want)
	}
}

// TestBrowserClaimReviewProof is issue 5's proof, as a new user: tag a person
// with the mouse, mark the sentence a disputed claim with a mouse drag and
// key 4, fill in verdict, claimant, rationale and evidence, export
// ClaimReview from the Export menu, and find it all in the file. On the way:
// a javascript: URL is refused with a message, and Ctrl+Z undoes a verdict
// change like any other edit.
func TestBrowserClaimReviewProof(t *testing.T) {
	u := openUI(t)
	// A person, with the mouse: drag over the name, click Person.
	u.drag(u.at("David Butler", 0))
	u.clickByName("button", "Person")
	person := u.waitCount(1)[0]
	if person.Label != u.labelID("1") || person.Text != "David Butler" {
		t.Fatalf("tagged %+v, want a person David Butler", person)
	}
	// Every span has a note field in its details.
	u.WaitVisible("#span-details #span-note")
	u.typeInto("span-note", "Army spokesperson")

	sentence := "This visit marks the highest-level engagement by U.S. military officials in Kyiv since the inauguration of former President Donald Trump in January 2017."
	claim := u.tag(u.at(sentence, 0), "4")
	if claim.Label != u.labelID("4") {
		t.Fatalf("tagged %+v, want the claim sentence", claim)
	}
	u.WaitText("#span-details .details-head", "Disputed claim")

	// Enter on the selected span goes to its details: the verdict first.
	u.WaitFor("the claim to have the focus", func() bool {
		return evalJS[bool](u.testBrowser, fmt.Sprintf(`document.activeElement.tagName === 'MARK' && document.activeElement.dataset.id === %s`, jsString(claim.ID)))
	})
	u.Press(kb.Enter)
	if !u.WaitFor("the verdict to have the focus", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.id === 'claim-verdict'`)
	}) {
		t.Fatalf("Enter on the selected claim focused %s", evalJS[string](u.testBrowser, `document.activeElement.outerHTML.slice(0, 80)`))
	}
	// Every verdict names its FEVER and AVeriTeC labels.
	opts := u.Texts("#claim-verdict option")
	for _, v := range annotate.Verdicts() {
		want := fmt.Sprintf("%s (FEVER %s; AVeriTeC %s)", v.Name, v.FEVER, v.AVeriTeC)
		found := false
		for _, o := range opts {
			found = found || o == want
		}
		if !found {
			t.Errorf("the verdict menu %q lacks %q", opts, want)
		}
	}
	u.Press("f") // type-ahead on the select: False
	u.waitValue("claim-verdict", "false")
	u.WaitText("#claim-verdict-hint", "FEVER: REFUTES · AVeriTeC: Refuted")

	// Undo reverts a verdict change, with the focus still on the select.
	u.Press(kb.ArrowDown) // Mostly false
	u.waitValue("claim-verdict", "mostly-false")
	u.WaitText("#claim-verdict-hint", "rating 2 of 5")
	u.Press("z", chromedp.ModifierCtrl)
	u.waitValue("claim-verdict", "false")
	u.WaitText("#claim-verdict-hint", "rating 1 of 5")
	if id := evalJS[string](u.testBrowser, `document.activeElement.id`); id != "claim-verdict" {
		t.Errorf("after Ctrl+Z in the verdict the focus is on %q", id)
	}

	// The claimant, picked from the tagged persons.
	u.focusField("claim-claimant", false)
	u.Press("d")
	u.waitValue("claim-claimant", person.ID)

	// A long restatement is kept, with a warning.
	long := strings.Repeat("U.S. officials never visited Kyiv at this level before ", 2)
	u.typeInto("claim-text", long)
	u.WaitText("#claim-text-hint", "more than the 75")
	u.typeInto("claim-text", "No higher-level U.S. military visit to Kyiv since January 2017")
	u.WaitGone("#claim-text-hint")

	rationale := "Defense Secretary Austin visited Kyiv in April 2022, a higher level than this delegation."
	u.typeInto("claim-rationale", rationale)
	// Ctrl+Z in a text field with nothing uncommitted undoes the last edit
	// (here the rationale itself); Ctrl+Shift+Z redoes it.
	u.Click("#claim-rationale")
	u.Press("z", chromedp.ModifierCtrl)
	u.waitValue("claim-rationale", "")
	u.Press("z", chromedp.ModifierCtrl, chromedp.ModifierShift)
	u.waitValue("claim-rationale", rationale)

	// A javascript: URL is refused with a message that says why.
	u.typeInto("ev-new-url", "javascript:alert(1)")
	msg := u.WaitText("#ev-new-url-err", "javascript")
	if !strings.Contains(msg, "http or https only") {
		t.Errorf("the URL error %q does not say what is allowed", msg)
	}
	if got := evalJS[string](u.testBrowser, `document.getElementById('ev-new-url').getAttribute('aria-invalid') || ''`); got != "true" {
		t.Errorf("the refused URL field is not marked invalid (aria-invalid %q)", got)
	}
	u.Click("#ev-add")
	u.WaitText("#ev-new-url-err", "javascript")
	if n := u.Count("#span-details .evidence"); n != 0 {
		t.Fatalf("a javascript: URL was added as evidence (%d items)", n)
	}

	// One evidence link.
	evURL := "https://www.defense.gov/News/Releases/Release/Article/3009030/"
	u.typeInto("ev-new-url", evURL)
	u.WaitGone("#ev-new-url-err")
	u.typeInto("ev-new-quote", "Secretary of Defense Lloyd J. Austin III traveled to Kyiv")
	u.focusField("ev-new-stance", true)
	u.Press("r") // Refutes
	u.waitValue("ev-new-stance", "refutes")
	u.Click("#ev-add")
	u.WaitVisible(`#span-details .evidence a.ev-link`)
	link := evalJS[map[string]string](u.testBrowser, `(() => { const a = document.querySelector('#span-details .evidence a.ev-link');
		return {href: a.getAttribute('href'), rel: a.rel, target: a.target}; })()`)
	if link["href"] != evURL || link["rel"] != "noopener noreferrer" || link["target"] != "_blank" {
		t.Errorf("the evidence link is %v", link)
	}
	if got := u.fieldValue("ev-new-url"); got != "" {
		t.Errorf("the new-evidence URL field kept %q after the item was added", got)
	}
	// An item's URL edited to a data: URL is refused in place; the item
	// keeps its link.
	u.typeInto("ev-0-url", "data:text/html,hello")
	u.WaitText("#ev-0-url-err", `scheme "data" is not allowed`)
	if href := evalJS[string](u.testBrowser, `document.querySelector('#span-details .evidence a.ev-link').getAttribute('href')`); href != evURL {
		t.Errorf("the refused URL changed the link to %q", href)
	}
	u.typeInto("ev-0-url", evURL)
	u.WaitGone("#ev-0-url-err")

	// A second item with its URL alone (no stance, no date: today),
	// removed again: one edit each.
	u.typeInto("ev-new-url", "https://example.org/second")
	u.Click("#ev-add")
	u.WaitText("#evidence-legend", "Evidence (2)")
	u.clickByName("button", "Remove evidence 2")
	u.WaitText("#evidence-legend", "Evidence (1)")

	// The published fact-check's address: ClaimReview's url.
	reviewURL := "https://factcheck.example/kyiv-visit"
	u.typeInto("claim-review-url", reviewURL)
	u.WaitText(".status-msg", "Set the review URL")

	// The filled-in claim panel passes axe-core, light and dark.
	axe := axeSource(t)
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(u, scheme)
		for _, v := range runAxe(u, axe) {
			t.Errorf("%s, claim panel: axe %s (%s): %s\n\t%s", scheme, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	}

	// Export ClaimReview from the menu. The person span is left out, so
	// the warning says so first.
	before := u.downloads()
	u.Click("#export")
	u.Click(`#export-menu [data-codec="claimreview"]`)
	u.WaitText("#export-warning", "entity labels left out")
	u.Click("#export-anyway")
	name, data := u.waitNewDownload(before)
	if !strings.HasSuffix(name, ".claimreview.jsonld") {
		t.Errorf("downloaded %q, want a .claimreview.jsonld", name)
	}
	var reviews []map[string]any
	if err := json.Unmarshal(data, &reviews); err != nil {
		var one map[string]any
		if err2 := json.Unmarshal(data, &one); err2 != nil {
			t.Fatalf("the ClaimReview export is not JSON: %v\n%s", err, data)
		}
		reviews = []map[string]any{one}
	}
	if len(reviews) != 1 {
		t.Fatalf("%d reviews, want 1:\n%s", len(reviews), data)
	}
	r := reviews[0]
	get := func(path ...string) any {
		var v any = r
		for _, p := range path {
			m, _ := v.(map[string]any)
			v = m[p]
		}
		return v
	}
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"@type"}, "ClaimReview"},
		{[]string{"url"}, reviewURL},
		{[]string{"claimReviewed"}, "No higher-level U.S. military visit to Kyiv since January 2017"},
		{[]string{"reviewRating", "alternateName"}, "False"},
		{[]string{"reviewRating", "ratingValue"}, float64(1)},
		{[]string{"itemReviewed", "@type"}, "Claim"},
		{[]string{"itemReviewed", "author", "name"}, "David Butler"},
		{[]string{"reviewBody"}, rationale},
		{[]string{"factmark:span", "exact"}, sentence},
	}
	for _, c := range checks {
		if got := get(c.path...); got != c.want {
			t.Errorf("%s = %v, want %v", strings.Join(c.path, "."), got, c.want)
		}
	}
	cites, _ := r["citation"].([]any)
	if len(cites) != 1 {
		t.Fatalf("citation %v, want one evidence item", r["citation"])
	}
	cite, _ := cites[0].(map[string]any)
	if cite["url"] != evURL || cite["factmark:stance"] != "refutes" || cite["text"] != "Secretary of Defense Lloyd J. Austin III traveled to Kyiv" {
		t.Errorf("citation %v", cite)
	}
	if a, _ := cite["factmark:accessed"].(string); len(a) != len("2006-01-02") {
		t.Errorf("the evidence has no access date: %v", cite)
	}
	for _, f := range []string{"url", "author", "datePublished"} {
		if r[f] == nil || r[f] == "" {
			t.Errorf("the review lacks %s", f)
		}
	}

	// The native export has the note and the whole claim record.
	_, native := u.export()
	st, _ := exported(t, native)
	got, ok := st.Annotation(claim.ID)
	if !ok || got.Claim == nil {
		t.Fatalf("the native export lacks the claim record")
	}
	c := got.Claim
	if c.Verdict != "false" || c.Claimant.SpanID != person.ID || c.Rationale != rationale || len(c.Evidence) != 1 || c.Evidence[0].Stance != "refutes" {
		t.Errorf("native claim record %+v", c)
	}
	if p, _ := st.Annotation(person.ID); p.Note != "Army spokesperson" {
		t.Errorf("the person's note is %q", p.Note)
	}

	// Autosaved: after a reload the claim has its details.
	u.waitSaved()
	u.Reload()
	u.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	u.Click(fmt.Sprintf(`#panel .item[data-id="%s"]`, claim.ID))
	u.waitValue("claim-verdict", "false")
	u.waitValue("claim-claimant", person.ID)
	u.waitValue("claim-rationale", rationale)
	u.WaitText("#evidence-legend", "Evidence (1)")
}
