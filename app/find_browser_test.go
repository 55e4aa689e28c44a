//go:build !wasm

package main

// Browser tests of find and "label all occurrences" (issue 7): the real app
// in headless Chromium, driven with real key presses and clicks. What the
// page should show is computed here from the seed's text with plain Go
// string functions, independently of annotate's Finder.

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// findCount is the find bar's "n of m".
func (u *ui) findCount() string {
	return evalJS[string](u.testBrowser, `(document.getElementById('find-count') || {}).textContent || ''`)
}

func (u *ui) waitFindCount(want string) {
	u.t.Helper()
	var got string
	if !u.WaitFor("find count "+want, func() bool { got = u.findCount(); return got == want }) {
		u.t.Fatalf("the find bar says %q, want %q", got, want)
	}
}

// exportNative downloads the native export through the Export menu (or
// the plain Export button) and returns its bytes.
func (u *ui) exportNative() []byte {
	u.t.Helper()
	before, _ := filepath.Glob(filepath.Join(u.dl, "*"))
	u.Click("#export")
	if u.Count("#export-menu") > 0 {
		u.Click(`#export-menu [data-codec="factmark"]`)
	}
	_, data := u.waitDownload(before)
	return data
}

// curHit is the current find hit: its text, the start of its block, and
// whether it is inside the viewport (below the sticky bars).
type curHit struct {
	Text   string
	Block  int
	InView bool
}

func (u *ui) curHit() curHit {
	return evalJS[curHit](u.testBrowser, `(() => {
		const el = document.querySelector('#article .find-cur');
		if (!el) return {Text: '', Block: -1, InView: false};
		const r = el.getBoundingClientRect();
		return {Text: el.textContent, Block: +el.closest('[data-start]').dataset.start,
			InView: r.top >= 0 && r.bottom <= innerHeight};
	})()`)
}

// occurrences are the ranges of sub in the document, by []rune comparison
// (foldCase: letter case ignored, ASCII only).
func (u *ui) occurrences(sub string, foldCase bool) []annotate.Range {
	text, needle := []rune(u.doc.Text), []rune(sub)
	if foldCase {
		text, needle = []rune(strings.ToLower(u.doc.Text)), []rune(strings.ToLower(sub))
	}
	var out []annotate.Range
	for i := 0; i+len(needle) <= len(text); i++ {
		if slices.Equal(text[i:i+len(needle)], needle) {
			out = append(out, annotate.Range{Start: i, End: i + len(needle)})
		}
	}
	return out
}

// TestBrowserFind: Ctrl+F opens the find bar with the focus in it; typing
// highlights every match, the count says where the current one is, Enter,
// Shift+Enter and F3 step (wrapping), the current match is scrolled into
// view; Escape closes the bar, removes the highlights and leaves the match
// selected in the article, ready for a label key.
func TestBrowserFind(t *testing.T) {
	u := openUI(t)
	kyiv := u.occurrences("kyiv", true)
	if len(kyiv) != 4 {
		t.Fatalf("the seed has %d Kyivs; the test expects 4", len(kyiv))
	}
	n := len(kyiv)
	u.Press("f", chromedp.ModifierCtrl)
	u.WaitVisible("#find-input")
	if !u.WaitFor("the focus in the find field", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.id === 'find-input'`)
	}) {
		t.Fatal("Ctrl+F did not put the focus in the find field")
	}
	u.Press("kyiv")
	u.waitFindCount(fmt.Sprintf("1 of %d", n))
	var hits []string
	if !u.WaitFor("the hits", func() bool {
		hits = u.Texts("#article .find-hit")
		return len(hits) == n && !slices.ContainsFunc(hits, func(s string) bool { return s != "Kyiv" })
	}) {
		t.Fatalf("highlighted %q, want %d × Kyiv", hits, n)
	}
	// The hits are where the text has them: block by block.
	var wantBlocks, gotBlocks []int
	for _, r := range kyiv {
		wantBlocks = append(wantBlocks, u.blockOf(r.Start, false).Start)
	}
	gotBlocks = evalJS[[]int](u.testBrowser, `Array.from(document.querySelectorAll('#article .find-hit'), (e) => +e.closest('[data-start]').dataset.start)`)
	if !slices.Equal(gotBlocks, wantBlocks) {
		t.Errorf("hits in blocks %v, want %v", gotBlocks, wantBlocks)
	}
	check := func(i int) {
		t.Helper()
		u.waitFindCount(fmt.Sprintf("%d of %d", i+1, n))
		var h curHit
		ok := u.WaitFor("the current hit in view", func() bool {
			h = u.curHit()
			return h.Block == wantBlocks[i] && h.InView
		})
		if !ok {
			t.Fatalf("match %d: the current hit is %+v, want in block %d and in view", i+1, h, wantBlocks[i])
		}
		if c := u.Count("#article .find-cur"); c != 1 {
			t.Fatalf("%d current hits", c)
		}
	}
	check(0)
	u.Press(kb.Enter)
	check(1)
	u.Press(kb.Enter)
	check(2)
	u.Press(kb.Enter, chromedp.ModifierShift)
	check(1)
	u.Press(kb.F3)
	check(2)
	u.Press(kb.Enter)
	check(3)
	u.Press(kb.Enter) // wraps around
	check(0)
	u.Press(kb.Enter, chromedp.ModifierShift) // and back
	check(3)
	// Typing on: no match, then back.
	u.Press("q")
	u.waitFindCount("No matches")
	if c := u.Count("#article .find-hit"); c != 0 {
		t.Errorf("%d hits shown for a query with no match", c)
	}
	u.Press(kb.Backspace)
	u.waitFindCount(fmt.Sprintf("1 of %d", n))
	u.Press(kb.Enter)
	check(1)

	// Escape: the bar closes, the hits go, the match is selected.
	u.Press(kb.Escape)
	u.WaitGone(".findbar:not([hidden])")
	if c := u.Count("#article .find-hit"); c != 0 {
		t.Errorf("%d hits left after Escape", c)
	}
	if !u.WaitFor("the focus back in the article", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.id === 'article'`) && u.SelectedText() == "Kyiv"
	}) {
		t.Fatalf("after Escape the focus is on %q and %q is selected", evalJS[string](u.testBrowser, `document.activeElement.id || document.activeElement.tagName`), u.SelectedText())
	}
	u.WaitVisible(".picker:not([hidden])")
	u.Press("2")
	got := u.waitCount(1)
	if got[0].Text != "Kyiv" || got[0].Label != u.labelID("2") {
		t.Fatalf("tagged %+v after finding, want place Kyiv", got[0])
	}
	st, _ := exported(t, u.exportNative())
	if as := st.Annotations(); len(as) != 1 || as[0].Range() != kyiv[1] {
		t.Errorf("exported %+v, want one span at %v (the second Kyiv)", as, kyiv[1])
	}
}

// reviewStates are the data-state of the review's items.
func (u *ui) reviewStates() []string {
	return evalJS[[]string](u.testBrowser, `Array.from(document.querySelectorAll('#review-list .review-item'), (e) => e.dataset.state)`)
}

func (u *ui) waitReviewStates(want ...string) {
	u.t.Helper()
	var got []string
	if !u.WaitFor(fmt.Sprint("review states ", want), func() bool { got = u.reviewStates(); return slices.Equal(got, want) }) {
		u.t.Fatalf("review items are %q, want %q", got, want)
	}
}

// TestBrowserLabelAll: from a tagged Kyiv, A proposes the other three
// whole-word Kyivs with their context; Enter accepts one, x rejects one, a
// accepts the rest and applies; one Ctrl+Z undoes the whole batch and
// Ctrl+Shift+Z redoes it. Then from the find bar: "Label all" of a query
// with the chosen label, accepted with a click.
func TestBrowserLabelAll(t *testing.T) {
	u := openUI(t)
	place, person := u.labelID("2"), u.labelID("1")
	kyiv := u.occurrences("Kyiv", false)
	s := u.tag(kyiv[1], "2")
	if s.Text != "Kyiv" {
		t.Fatalf("tagged %q", s.Text)
	}
	u.Press("a")
	u.WaitVisible("#review")
	if !u.WaitFor("the focus in the review list", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.id === 'review-list'`)
	}) {
		t.Fatal("the review did not take the focus")
	}
	u.waitReviewStates("pending", "pending", "pending")
	// Each proposal shows its context, with the match.
	ctxs := u.Texts("#review-list .review-ctx")
	matches := u.Texts("#review-list .review-match")
	if !slices.Equal(matches, []string{"Kyiv", "Kyiv", "Kyiv"}) || !strings.Contains(ctxs[0], "Delegation Visits Kyiv to Explore") ||
		!strings.Contains(ctxs[1], "military officials in Kyiv since") || !strings.Contains(ctxs[2], "Kyiv, supported by Western") {
		t.Fatalf("the review lists %q (matches %q)", ctxs, matches)
	}
	// The proposals are shown in the article too.
	if c := u.Count("#article .find-hit"); c != 3 {
		t.Errorf("%d proposals highlighted in the article, want 3", c)
	}
	u.Press(kb.Enter)
	u.waitReviewStates("accepted", "pending", "pending")
	u.Press("x")
	u.waitReviewStates("accepted", "rejected", "pending")
	u.Press("a")
	u.WaitGone("#review:not([hidden])")
	u.waitSummary("label all", place+":Kyiv", place+":Kyiv", place+":Kyiv")
	if c := u.Count("#article .find-hit"); c != 0 {
		t.Errorf("%d proposals still highlighted", c)
	}
	st, _ := exported(t, u.exportNative())
	var got []annotate.Range
	for _, a := range st.Annotations() {
		got = append(got, a.Range())
	}
	want := []annotate.Range{kyiv[0], kyiv[1], kyiv[3]}
	if !slices.Equal(got, want) {
		t.Errorf("exported Kyivs at %v, want %v (the rejected %v left out)", got, want, kyiv[2])
	}
	// One undo step undoes the whole accept; redo brings it back.
	u.Press("z", chromedp.ModifierCtrl)
	u.waitSummary("undo the batch", place+":Kyiv")
	u.Press("z", chromedp.ModifierCtrl, chromedp.ModifierShift)
	u.waitSummary("redo the batch", place+":Kyiv", place+":Kyiv", place+":Kyiv")

	// From the find bar: every whole-word Zelensky as Person (the bar's
	// first label), reviewed and accepted with clicks.
	zel := u.occurrences("Zelensky", false)
	u.Press(kb.Escape)
	u.Press("f", chromedp.ModifierCtrl)
	u.WaitVisible("#find-input")
	u.Press("Zelensky")
	u.waitFindCount(fmt.Sprintf("1 of %d", len(zel)))
	u.Click(".find-labelall")
	u.WaitVisible("#review")
	pending := make([]string, len(zel))
	for i := range pending {
		pending[i] = "pending"
	}
	u.waitReviewStates(pending...)
	// The find bar, the review and its highlights pass axe-core, light and dark.
	src := axeSource(t)
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(u, scheme)
		for _, v := range runAxe(u, src) {
			t.Errorf("%s, review open: axe %s (%s): %s\n\t%s", scheme, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	}
	colorScheme(u, "light")
	u.clickByName("button", "Accept all")
	u.WaitGone("#review:not([hidden])")
	wantSum := []string{place + ":Kyiv", place + ":Kyiv", place + ":Kyiv"}
	for range zel {
		wantSum = append(wantSum, person+":Zelensky")
	}
	u.waitSummary("label all from find", wantSum...)
	if !u.WaitFor("the focus back in the find field", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.id === 'find-input'`)
	}) {
		t.Error("the focus did not return to the find field")
	}
	// Nothing is left to propose now.
	u.Click(".find-labelall")
	u.WaitText(".status-msg", "No other occurrence")
}
