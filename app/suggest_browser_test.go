//go:build !wasm

package main

// Browser tests of suggestions (issue 7): the toolbar toggle and the S key
// show what annotate.Suggest proposes as dashed outlines; one is accepted
// with Enter, one rejected with x, one accepted with a click, and "Accept
// all" takes a label's at once (one undo step). Suggestions never reach an
// export until accepted.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// sugShown is a suggestion as the page shows it (from its first piece).
type sugShown struct {
	Key, Label, Text string
	Start            int
	Current          bool
}

// suggestionsShown lists the suggestions in the article, in text order.
func (u *ui) suggestionsShown() []sugShown {
	return evalJS[[]sugShown](u.testBrowser, `Array.from(document.querySelectorAll('#article span.sug.sug-start'), (e) => {
		// The whole suggestion: every piece with its key.
		const text = Array.from(document.querySelectorAll('#article span.sug[data-sug="' + e.dataset.sug + '"]'), (p) => p.textContent).join('');
		return {Key: e.dataset.sug, Label: e.dataset.label, Text: text, Start: +e.dataset.s, Current: e.classList.contains('sug-cur')};
	})`)
}

// currentSug is the current suggestion ("" Key when none).
func (u *ui) currentSug() sugShown {
	for _, s := range u.suggestionsShown() {
		if s.Current {
			return s
		}
	}
	return sugShown{}
}

// expectedSuggestions are what annotate.Suggest proposes for the seed with
// the given annotations, as "label:text" sorted.
func expectedSuggestions(t *testing.T, doc *annotate.Document, anns ...annotate.Annotation) []string {
	t.Helper()
	st := annotate.NewState(doc, annotate.DefaultSchema())
	for _, a := range anns {
		if _, err := st.Apply(annotate.Add(a)); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, x := range annotate.Suggest(st, annotate.SuggestOptions{Gazetteer: annotate.Gazetteer(st)}) {
		out = append(out, x.Label+":"+doc.Index().Slice(x.Range))
	}
	sort.Strings(out)
	return out
}

func shownSummary(ss []sugShown) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Label+":"+s.Text)
	}
	sort.Strings(out)
	return out
}

// TestBrowserSuggestions: S shows the rules' suggestions (the same as
// annotate.Suggest computes natively), none of which is in an export; N
// makes the first current, Enter accepts it and moves on, x rejects the next, a
// click accepts a figure; the export holds exactly the two accepted; "Accept
// all" for Figure adds every figure suggestion in one undo step; S hides them.
func TestBrowserSuggestions(t *testing.T) {
	u := openUI(t)
	want := expectedSuggestions(t, u.doc)
	if len(want) < 10 {
		t.Fatalf("annotate.Suggest proposes only %d spans for the seed: %q", len(want), want)
	}
	u.Press("s")
	var shown []sugShown
	if !u.WaitFor("the suggestions", func() bool {
		shown = u.suggestionsShown()
		return slices.Equal(shownSummary(shown), want)
	}) {
		t.Fatalf("the page shows suggestions %q, want %q", shownSummary(shown), want)
	}
	u.WaitText(".sugbar-total", fmt.Sprintf("%d suggestions", len(want)))
	if p := evalJS[string](u.testBrowser, `document.getElementById('suggest-toggle').getAttribute('aria-pressed')`); p != "true" {
		t.Errorf("the Suggestions toggle has aria-pressed=%q", p)
	}
	// Suggestions are outlines, not annotations, and not in an export.
	if n := len(u.spans()); n != 0 {
		t.Fatalf("%d marks shown before accepting anything", n)
	}
	if st, _ := exported(t, u.exportNative()); st.Len() != 0 {
		t.Fatalf("the export holds %d annotations; suggestions must not be exported", st.Len())
	}
	src := axeSource(t)
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(u, scheme)
		for _, v := range runAxe(u, src) {
			t.Errorf("%s, suggestions shown: axe %s (%s): %s\n\t%s", scheme, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	}
	colorScheme(u, "light")
	style := evalJS[string](u.testBrowser, `getComputedStyle(document.querySelector('#article span.sug')).outlineStyle`)
	if style != "dashed" {
		t.Errorf("a suggestion's outline is %q, want dashed", style)
	}

	// Keyboard: N makes the first suggestion current, Enter accepts it.
	u.Press("n")
	var first sugShown
	if !u.WaitFor("a current suggestion", func() bool { first = u.currentSug(); return first.Key != "" }) {
		t.Fatal("N did not make a suggestion current")
	}
	if first.Key != shown[0].Key {
		t.Errorf("N chose %+v, want the first suggestion %+v", first, shown[0])
	}
	u.WaitText(".status-msg", "Suggested")
	u.Press(kb.Enter)
	u.waitSummary("accept with Enter", first.Label+":"+first.Text)
	// The next suggestion is the current one now: x rejects it.
	var second sugShown
	if !u.WaitFor("the next suggestion current", func() bool { second = u.currentSug(); return second.Key != "" && second.Key != first.Key }) {
		t.Fatal("after Enter the next suggestion is not the current one")
	}
	if second.Start < first.Start {
		t.Errorf("after accepting %+v the focus went back to %+v", first, second)
	}
	u.Press("x")
	if !u.WaitFor("the rejected suggestion to go", func() bool {
		return !slices.ContainsFunc(u.suggestionsShown(), func(s sugShown) bool { return s.Key == second.Key })
	}) {
		t.Fatalf("x did not reject %+v", second)
	}
	u.waitSummary("reject with x", first.Label+":"+first.Text)

	// Mouse: a click on "$105 million" accepts it as a figure.
	figure := u.labelID("3")
	money := u.at("$105 million", 0)
	var target sugShown
	for _, s := range u.suggestionsShown() {
		if s.Start == money.Start && s.Label == figure {
			target = s
		}
	}
	if target.Key == "" {
		t.Fatalf("no figure suggestion at %v: %+v", money, u.suggestionsShown())
	}
	u.Click(fmt.Sprintf(`#article span.sug[data-sug=%q]`, target.Key))
	u.waitSummary("accept with a click", first.Label+":"+first.Text, figure+":$105 million")

	// The export has exactly what was accepted.
	st, got := exported(t, u.exportNative())
	wantExp := []string{first.Label + ":" + first.Text, figure + ":$105 million"}
	sort.Strings(wantExp)
	if !slices.Equal(got, wantExp) {
		t.Fatalf("exported %q, want %q", got, wantExp)
	}
	if st.Len() != 2 {
		t.Fatalf("exported %d annotations", st.Len())
	}

	// Accept all figures: one edit; one undo takes them all back.
	before := u.summary()
	var figures []string
	for _, s := range u.suggestionsShown() {
		if s.Label == figure {
			figures = append(figures, figure+":"+s.Text)
		}
	}
	if len(figures) < 2 {
		t.Fatalf("only %d figure suggestions", len(figures))
	}
	u.Click(fmt.Sprintf(`.sugbar .sug-accept-all[data-label=%q]`, figure))
	u.waitSummary("accept all figures", append(slices.Clone(before), figures...)...)
	if n := u.Count(fmt.Sprintf(`#article span.sug[data-label=%q]`, figure)); n != 0 {
		t.Errorf("%d figure suggestions left after accepting them all", n)
	}
	u.Press("z", chromedp.ModifierCtrl)
	u.waitSummary("undo accept all", before...)

	// S hides them all.
	u.Press("s")
	u.WaitFor("no suggestions", func() bool { return u.Count("#article span.sug") == 0 })
	if n := u.Count("#article span.sug"); n != 0 {
		t.Fatalf("%d suggestions left after hiding them", n)
	}
}

// TestBrowserSuggestionsLongDocument: in a document several computation
// windows long, the suggestions shown are still exactly annotate.Suggest's;
// a tag made while they show appears at once and the list follows it.
func TestBrowserSuggestionsLongDocument(t *testing.T) {
	u := openUI(t)
	seed, err := os.ReadFile(filepath.Join("seed", "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("A long file\n")
	for i := 0; i < 16; i++ {
		b.Write(seed)
		b.WriteString("\n")
	}
	raw := b.String()
	path := filepath.Join(t.TempDir(), "long.txt")
	if err := os.WriteFile(path, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := annotate.FromText([]byte(raw), annotate.TextOptions{Source: "long.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Index().Len(annotate.CodePoints); n < 3*sugWindow {
		t.Fatalf("the long document has %d code points, fewer than three windows", n)
	}
	u.openFile(path)
	u.WaitText("article h1", "A long file")
	u.doc = doc

	want := expectedSuggestions(t, doc)
	u.Press("s")
	u.WaitText(".sugbar-total", fmt.Sprintf("%d suggestions", len(want)))

	// Far down a long document (rendered near the view only): find the
	// last "$105 million" (Shift+Enter wraps to it), Escape leaves it
	// selected, 3 tags it.
	figure := u.labelID("3")
	money := u.occurrences("$105 million", false)
	r := money[len(money)-1]
	u.Press("f", chromedp.ModifierCtrl)
	u.WaitVisible("#find-input")
	u.Press("$105 million")
	u.waitFindCount(fmt.Sprintf("1 of %d", len(money)))
	u.Press(kb.Enter, chromedp.ModifierShift)
	u.waitFindCount(fmt.Sprintf("%d of %d", len(money), len(money)))
	u.Press(kb.Escape)
	if !u.WaitFor("the match selected", func() bool { return u.SelectedText() == "$105 million" }) {
		t.Fatalf("after Escape %q is selected", u.SelectedText())
	}
	u.Press("3")
	u.waitCount(1)
	now := u.selected()
	if now.Text != "$105 million" || now.Label != figure {
		t.Fatalf("tagged %+v", now)
	}
	want = expectedSuggestions(t, doc, annotate.Annotation{ID: "x", Label: figure, Start: r.Start, End: r.End})
	u.WaitText(".sugbar-total", fmt.Sprintf("%d suggestions", len(want)))
	if st, _ := exported(t, u.exportNative()); st.Len() != 1 || st.Annotations()[0].Range() != r {
		t.Errorf("exported %+v, want one figure at %v", st.Annotations(), r)
	}
}
