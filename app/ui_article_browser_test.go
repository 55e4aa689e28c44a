//go:build !wasm

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factmark/annotate"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// longDocument writes a Factmark file of the seed article repeated parts
// times (each copy under a "Part N" heading) with one person span on the
// first word of its first paragraph and one on its last word.
func longDocument(t *testing.T, parts int) (file string, st *annotate.State) {
	t.Helper()
	doc := longDoc(t, parts)
	st = annotate.NewState(doc, annotate.DefaultSchema())
	words := doc.Index().Words()
	var first, last annotate.Range
	for _, w := range words {
		if w.Start >= doc.Blocks[2].Start && first.Len() == 0 {
			first = w
		}
		if strings.ContainsFunc(doc.Index().Slice(w), func(r rune) bool { return r >= 'a' && r <= 'z' }) {
			last = w
		}
	}
	at := time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)
	for i, r := range []annotate.Range{first, last} {
		if _, err := st.Apply(annotate.Add(annotate.Annotation{ID: fmt.Sprintf("a-long-%d", i), Label: "person",
			Start: r.Start, End: r.End, Created: at, Modified: at})); err != nil {
			t.Fatal(err)
		}
	}
	data, err := annotate.Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(t.TempDir(), "long.factmark.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file, st
}

// waitTextInView waits until the text in the middle of the view is rendered
// (not a placeholder).
func waitTextInView(t *testing.T, u *ui) {
	t.Helper()
	ok := u.WaitFor("the text in view to be rendered", func() bool {
		return evalJS[bool](u.testBrowser, `(() => {
			const e = document.elementFromPoint(500, 450);
			const c = e && e.closest(".chunk");
			return !c || !c.hasAttribute("data-lazy");
		})()`)
	})
	if !ok {
		t.Fatalf("a placeholder is in view at scroll position %v", evalJS[float64](u.testBrowser, `scrollY`))
	}
}

// TestBrowserLongArticleWindow: a long article renders its start and
// placeholders for the rest; choosing the span at its very end in the panel
// renders it, scrolls to it and focuses it; scrolling back up with the
// mouse wheel renders whatever comes into view; every block is still there,
// in order, once rendered.
func TestBrowserLongArticleWindow(t *testing.T) {
	u := openUI(t)
	file, st := longDocument(t, 12) // about 57 KB
	doc := st.Doc
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{file}, chromedp.NodeReady))
	u.WaitText("#article h1", "A long article")
	last, _ := st.Annotation("a-long-1")
	var lastBlock annotate.Block
	for _, b := range doc.Blocks {
		if b.Start <= last.Start && last.End <= b.End {
			lastBlock = b
		}
	}
	lastSel := fmt.Sprintf(`#article [data-start="%d"]`, lastBlock.Start)
	if n := u.Count("#article .chunk[data-lazy]"); n == 0 {
		t.Errorf("no chunk of a %d-block article is left for later", len(doc.Blocks))
	}
	if u.Count(lastSel) != 0 {
		t.Errorf("the block of the last span is rendered at the start")
	}
	rendered := u.Count("#article [data-start]")
	if rendered >= len(doc.Blocks)/2 {
		t.Errorf("%d of %d blocks rendered at the start", rendered, len(doc.Blocks))
	}

	// Jump to the last span from the panel.
	u.Click(`#panel .item[data-id="a-long-1"]`)
	ok := u.WaitFor("the last span to be focused and in view", func() bool {
		return evalJS[bool](u.testBrowser, `(() => {
			const a = document.activeElement;
			if (!a || a.tagName !== "MARK" || !a.closest("#article") || a.dataset.id !== "a-long-1") return false;
			const r = a.getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight;
		})()`)
	})
	if !ok {
		t.Fatalf("the last span is not focused in view; active element %q", evalJS[string](u.testBrowser, `document.activeElement.outerHTML.slice(0, 200)`))
	}
	if texts := u.Texts(lastSel); len(texts) != 1 {
		t.Fatalf("%s: %d elements; the span's block is %s", lastSel, len(texts),
			evalJS[string](u.testBrowser, `document.activeElement.closest("[data-start]").outerHTML.slice(0, 300)`))
	} else if got, want := texts[0], doc.Index().Slice(lastBlock.Range()); got != want {
		t.Errorf("last block %q, want %q", got, want)
	}

	// Scroll up with the wheel: what is in view is always rendered text.
	for i := 0; i < 200 && evalJS[float64](u.testBrowser, `scrollY`) > 0; i++ {
		u.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, 640, 450, func(p *input.DispatchMouseEventParams) { p.DeltaY = -3000; p.DeltaX = 0.01 }))
		waitTextInView(t, u)
	}
	// Every rendered block is the right text at the right offset.
	type blk struct {
		Start int
		Text  string
	}
	got := evalJS[[]blk](u.testBrowser, `Array.from(document.querySelectorAll('#article [data-start]'), (e) => ({Start: +e.dataset.start, Text: e.textContent}))`)
	byStart := map[int]annotate.Block{}
	for _, b := range doc.Blocks {
		byStart[b.Start] = b
	}
	prev := -1
	for _, g := range got {
		b, ok := byStart[g.Start]
		if !ok || g.Text != doc.Index().Slice(b.Range()) || g.Start <= prev {
			t.Fatalf("block at %d renders %q (previous block at %d)", g.Start, g.Text, prev)
		}
		prev = g.Start
	}
	t.Logf("%d of %d blocks rendered after the jump and the scroll", len(got), len(doc.Blocks))
}

// TestBrowserLongArticleFind: finding in a long article shows hits that are
// in chunks not rendered yet, clear of the bars, going forward to the last
// part and wrapping back to the first.
func TestBrowserLongArticleFind(t *testing.T) {
	u := openUI(t)
	file, st := longDocument(t, 12)
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{file}, chromedp.NodeReady))
	u.WaitText("#article h1", "A long article")
	if n := u.Count("#article .chunk[data-lazy]"); n == 0 {
		t.Fatal("the long article has no chunk left for later")
	}
	shown := func(what string) {
		t.Helper()
		if !u.WaitFor(what+" to be shown", func() bool { return evalJS[bool](u.testBrowser, uncoveredJS+`("#article .find-cur")`) }) {
			t.Fatalf("%s is not shown (scrollY %.0f)", what, evalJS[float64](u.testBrowser, `scrollY`))
		}
	}
	u.Press("f", chromedp.ModifierCtrl)
	u.WaitVisible(".find-input")
	u.typeText("Part 12")
	u.WaitText(".find-count", "1 of 1")
	shown("the heading of the last part")
	if got := evalJS[string](u.testBrowser, `document.querySelector('#article .find-cur').closest('[data-start]').textContent`); got != "Part 12" {
		t.Errorf("the current hit is in %q", got)
	}
	// A word of every part: Shift+Enter from the first hit wraps to the last.
	for range len("Part 12") {
		u.Press(kb.Backspace)
	}
	last := st.Doc.Index().Slice(st.Doc.Blocks[len(st.Doc.Blocks)-1].Range())
	word := strings.Fields(last)[0]
	u.typeText(word)
	// Hits are found as the word is typed: wait for all of them.
	n := strings.Count(strings.ToLower(st.Doc.Text), strings.ToLower(word))
	u.WaitText(".find-count", fmt.Sprintf("1 of %d", n))
	u.Press(kb.Enter, chromedp.ModifierShift)
	u.WaitText(".find-count", fmt.Sprintf("%d of %d", n, n))
	if !u.WaitFor("one current hit", func() bool { return u.Count("#article .find-cur") == 1 }) {
		t.Errorf("%d hits are marked current", u.Count("#article .find-cur"))
	}
	shown("the last " + word)
	if got := evalJS[int](u.testBrowser, `+document.querySelector('#article .find-cur').closest('[data-start]').dataset.start`); got < st.Doc.Blocks[len(st.Doc.Blocks)-20].Start {
		t.Errorf("Shift+Enter from the first hit went to block %d, not near the end", got)
	}
	u.Press(kb.Enter)
	u.WaitText(".find-count", fmt.Sprintf("1 of %d", n))
	shown("the first " + word + " again")
	if y := evalJS[float64](u.testBrowser, `scrollY`); y > 3000 {
		t.Errorf("wrapping forward to the first hit left the view at %.0f", y)
	}
}

// TestBrowserLongArticleRelease: reading a long article to its end and back
// keeps only the chunks near the view rendered; a chunk released far from
// the view keeps its place and size (no block moves in the document when a
// chunk above it is released or rendered again); the text selection and the
// focused span stay rendered however far the reader scrolls away.
func TestBrowserLongArticleRelease(t *testing.T) {
	u := openUI(t)
	file, _ := longDocument(t, 30) // about 140 KB
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{file}, chromedp.NodeReady))
	u.WaitText("#article h1", "A long article")
	chunks := u.Count("#article .chunk")
	live := func() int { return u.Count("#article .chunk:not([data-lazy])") }

	// where records the place in the document of every rendered block the
	// first time it is seen, and fails when a block is found elsewhere
	// later.
	seen := map[string]float64{}
	check := func(when string) {
		t.Helper()
		got := evalJS[map[string]float64](u.testBrowser, `(() => {
			const out = {};
			for (const e of document.querySelectorAll('#article [data-start]')) out[e.dataset.start] = e.getBoundingClientRect().top + scrollY;
			return out;
		})()`)
		for k, y := range got {
			if y0, ok := seen[k]; !ok {
				seen[k] = y
			} else if y-y0 > 2 || y0-y > 2 {
				t.Fatalf("%s: the block at %s is at %.1f px in the document, it was at %.1f px (%d of %d chunks rendered)", when, k, y, y0, live(), chunks)
			}
		}
	}
	settle := func() {
		t.Helper()
		waitTextInView(t, u)
		evalJS[bool](u.testBrowser, `new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => ok(true), 30))))`)
	}
	wheel := func(dy float64, when string) {
		t.Helper()
		for i := 0; i < 400; i++ {
			y := evalJS[float64](u.testBrowser, `scrollY`)
			u.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, 640, 450, func(p *input.DispatchMouseEventParams) { p.DeltaY = dy; p.DeltaX = 0.01 }))
			settle()
			check(when)
			if evalJS[float64](u.testBrowser, `scrollY`) == y {
				return
			}
		}
		t.Fatalf("%s: the wheel never reached the end", when)
	}

	check("at the start")
	wheel(1500, "reading down")
	most := live()
	if most > 24 || most*3 > chunks {
		t.Errorf("at the end of the article %d of %d chunks are rendered", most, chunks)
	}
	t.Logf("%d of %d chunks rendered at the end; %d blocks seen", most, chunks, len(seen))

	// Select text near the end, then read up to the start: the selection
	// stays.
	last := fmt.Sprintf(`#article [data-start="%d"]`, evalJS[int](u.testBrowser, `(() => {
		const ps = document.querySelectorAll('#article .chunk:not([data-lazy]) p.blk');
		return +ps[ps.length - 1].dataset.start;
	})()`))
	u.DragText(last, 0, 20)
	want := evalJS[string](u.testBrowser, `String(getSelection())`)
	if len(want) < 10 {
		t.Fatalf("the drag selected %q", want)
	}
	wheel(-1500, "reading up")
	if got := evalJS[string](u.testBrowser, `String(getSelection())`); got != want {
		t.Errorf("after reading back up the selection is %q, want %q", got, want)
	}
	if n := live(); n > 24 {
		t.Errorf("back at the start %d of %d chunks are rendered", n, chunks)
	}

	// The focused span at the end stays focused (and rendered) while the
	// reader goes back to the start.
	u.Click(`#panel .item[data-id="a-long-1"]`)
	if !u.WaitFor("the last span to be focused", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement && document.activeElement.dataset.id === "a-long-1"`)
	}) {
		t.Fatal("the span chosen in the panel is not focused")
	}
	wheel(-1500, "reading up from the span")
	if got := evalJS[string](u.testBrowser, `document.activeElement ? document.activeElement.tagName + " " + (document.activeElement.dataset.id || "") : ""`); got != "MARK a-long-1" {
		t.Errorf("after reading back up the focus is on %q, want the span a-long-1", got)
	}
}
