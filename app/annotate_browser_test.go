//go:build !wasm

package main

// Browser tests of issue 3 (annotate in the browser): the real app in headless
// Chromium, driven with real mouse drags and key presses through the harness
// (browser_harness_test.go). Offsets are checked on the exported file against
// the document text sliced by code point in Go ([]rune), independently of the
// annotate index.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// ui is the app in a browser plus a native session on the same document,
// used only to know where blocks and words are.
type ui struct {
	*testBrowser
	t   *testing.T
	srv *appServer
	doc *annotate.Document
	dl  string // download directory
}

// openUI serves the app, opens it in a fresh browser and waits for the wasm
// app (not the pre-rendered page) to be live.
func openUI(t *testing.T) *ui {
	t.Helper()
	ensureRoutes()
	srv := startAppServer(t)
	b := newBrowser(t)
	dl := t.TempDir()
	cdpCall(b, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
	})
	b.Navigate(srv.URL)
	b.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	doc, err := seedDocument()
	if err != nil {
		t.Fatal(err)
	}
	return &ui{testBrowser: b, t: t, srv: srv, doc: doc, dl: dl}
}

// at returns the code-point range of the n-th occurrence of sub in the
// document (test input only: the app never searches text).
func (u *ui) at(sub string, n int) annotate.Range {
	u.t.Helper()
	text := []rune(u.doc.Text)
	needle := []rune(sub)
	for i, seen := 0, 0; i+len(needle) <= len(text); i++ {
		if slices.Equal(text[i:i+len(needle)], needle) {
			if seen == n {
				return annotate.Range{Start: i, End: i + len(needle)}
			}
			seen++
		}
	}
	u.t.Fatalf("%q (occurrence %d) is not in the document", sub, n)
	return annotate.Range{}
}

func (u *ui) blockOf(cp int, end bool) annotate.Block {
	u.t.Helper()
	for _, b := range u.doc.Blocks {
		if (!end && b.Start <= cp && cp < b.End) || (end && b.Start < cp && cp <= b.End) {
			return b
		}
	}
	u.t.Fatalf("code point %d is in no block", cp)
	return annotate.Block{}
}

func blockSel(b annotate.Block) string { return fmt.Sprintf(`#article [data-start="%d"]`, b.Start) }

// drag selects the document range r with the mouse, across blocks if need
// be, holding mods (Alt: precise).
func (u *ui) drag(r annotate.Range, mods ...chromedp.Modifier) {
	u.t.Helper()
	first, last := u.blockOf(r.Start, false), u.blockOf(r.End, true)
	points := func() (textPoints, textPoints) {
		p1 := evalJS[textPoints](u.testBrowser, fmt.Sprintf("(%s)(%s, %d, %d)", textPointsJS, jsString(blockSel(first)), r.Start-first.Start, r.Start-first.Start+1))
		p2 := evalJS[textPoints](u.testBrowser, fmt.Sprintf("(%s)(%s, %d, %d)", textPointsJS, jsString(blockSel(last)), r.End-last.Start-1, r.End-last.Start))
		if p1.Error != "" || p2.Error != "" {
			u.t.Fatalf("drag %v: %s %s", r, p1.Error, p2.Error)
		}
		return p1, p2
	}
	// Bring the start to the upper part of the view (scrolling is no
	// change to the app), then read where the characters are.
	p1, _ := points()
	evalJS[bool](u.testBrowser, fmt.Sprintf(`(window.scrollBy(0, %f - innerHeight * 0.3), true)`, p1.Y1))
	p1, p2 := points()
	if h := evalJS[float64](u.testBrowser, `innerHeight`); p1.Y1 < 0 || p2.Y2 > h {
		u.t.Fatalf("drag %v: the range does not fit in the view (%.0f to %.0f of %.0f)", r, p1.Y1, p2.Y2, h)
	}
	var m int64
	for _, x := range mods {
		m |= int64(x)
	}
	if m == 0 {
		u.DragXY(p1.X1, p1.Y1, p2.X2, p2.Y2)
	} else {
		x1, y1, x2, y2 := p1.X1, p1.Y1, p2.X2, p2.Y2
		left := func(p *input.DispatchMouseEventParams) {
			p.Button, p.Buttons, p.Modifiers = input.MouseButtonLeft, 1, m
		}
		mod := func(p *input.DispatchMouseEventParams) { p.Modifiers = m }
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.MouseEvent(chromedp.MouseMoved, x1, y1, mod),
			chromedp.MouseEvent(chromedp.MousePressed, x1, y1, left, chromedp.ClickCount(1)),
		}
		for i := 1; i <= 8; i++ {
			f := float64(i) / 8
			steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x1+(x2-x1)*f, y1+(y2-y1)*f, left))
		}
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x2, y2, left, chromedp.ClickCount(1)))
		u.Do(steps...)
	}
	u.WaitVisible(".picker:not([hidden])")
}

// span is an annotation as the page shows it.
type span struct {
	ID, Label, Text string
	Selected        bool
}

// spans lists the annotations rendered in the article (one per id, from the
// fragment that takes the focus; the text is the title's "<Label>: <text>").
func (u *ui) spans() []span {
	u.t.Helper()
	return evalJS[[]span](u.testBrowser, `Array.from(document.querySelectorAll('#article mark[tabindex="0"]'), (m) => ({
		ID: m.dataset.id, Label: m.dataset.label, Text: m.title.slice(m.title.indexOf(': ') + 2),
		Selected: m.getAttribute('aria-current') === 'true'}))`)
}

// summary is the page's spans as sorted "label:text" strings.
func (u *ui) summary() []string {
	var out []string
	for _, s := range u.spans() {
		out = append(out, s.Label+":"+s.Text)
	}
	sort.Strings(out)
	return out
}

// waitSummary waits until the page shows exactly want (sorted).
func (u *ui) waitSummary(what string, want ...string) {
	u.t.Helper()
	sort.Strings(want)
	var got []string
	if !u.WaitFor(what, func() bool { got = u.summary(); return slices.Equal(got, want) }) {
		u.t.Fatalf("%s: the page shows %q, want %q", what, got, want)
	}
}

// waitCount waits for n spans.
func (u *ui) waitCount(n int) []span {
	u.t.Helper()
	var got []span
	if !u.WaitFor(fmt.Sprintf("%d spans", n), func() bool { got = u.spans(); return len(got) == n }) {
		u.t.Fatalf("want %d spans, the page shows %d: %+v", n, len(got), got)
	}
	return got
}

func (u *ui) selected() span {
	u.t.Helper()
	return u.waitSelected("a selected span", func(span) bool { return true })
}

// waitSelected waits until the selected span satisfies ok and returns it
// (the last one seen if it never does).
func (u *ui) waitSelected(what string, ok func(span) bool) span {
	u.t.Helper()
	var got span
	u.WaitFor(what, func() bool {
		for _, s := range u.spans() {
			if s.Selected {
				got = s
				return ok(s)
			}
		}
		return false
	})
	return got
}

// tag drags over r and presses key.
func (u *ui) tag(r annotate.Range, key string, mods ...chromedp.Modifier) span {
	u.t.Helper()
	n := len(u.spans())
	u.drag(r, mods...)
	u.Press(key)
	u.waitCount(n + 1)
	return u.selected()
}

// export chooses Factmark (factmark/v1) in the Export menu with the mouse
// and returns the downloaded file's name and bytes.
func (u *ui) export() (string, []byte) {
	u.t.Helper()
	before, _ := filepath.Glob(filepath.Join(u.dl, "*"))
	u.Click("#export")
	u.Click(`#export-menu [data-codec="factmark"]`)
	return u.waitDownload(before)
}

func (u *ui) waitDownload(before []string) (string, []byte) {
	u.t.Helper()
	var name string
	ok := u.WaitFor("the download", func() bool {
		files, _ := filepath.Glob(filepath.Join(u.dl, "*.factmark.json"))
		for _, f := range files {
			if !slices.Contains(before, f) {
				name = f
				return true
			}
		}
		return false
	})
	if !ok {
		u.t.Fatal("no .factmark.json was downloaded")
	}
	var data []byte
	u.WaitFor("the download to finish", func() bool {
		d, err := os.ReadFile(name)
		if err != nil || len(d) == 0 || d[len(d)-1] != '\n' {
			return false
		}
		data = d
		return true
	})
	os.Remove(name) // the next export may have the same name
	return filepath.Base(name), data
}

// exported decodes an export and returns its annotations as "label:text",
// the text sliced from the exported document by code point.
func exported(t *testing.T, data []byte) (*annotate.State, []string) {
	t.Helper()
	st, err := annotate.Decode(data)
	if err != nil {
		t.Fatalf("the export does not decode: %v", err)
	}
	again, err := annotate.Encode(st)
	if err != nil || string(again) != string(data) {
		t.Fatalf("the export is not what annotate.Encode writes for it (%v)", err)
	}
	text := []rune(st.Doc.Text)
	var out []string
	for _, a := range st.Annotations() {
		if a.Start < 0 || a.End > len(text) || a.Start >= a.End {
			t.Fatalf("annotation %s has offsets [%d, %d) outside the text (%d code points)", a.ID, a.Start, a.End, len(text))
		}
		out = append(out, a.Label+":"+strings.Join(strings.Fields(string(text[a.Start:a.End])), " "))
	}
	sort.Strings(out)
	return st, out
}

func (u *ui) labelID(key string) string {
	l, ok := annotate.DefaultSchema().ByKey(key)
	if !ok {
		u.t.Fatalf("no label with key %s", key)
	}
	return l.ID
}

// clickByName clicks the one visible element with that role and accessible
// name, as computed by Chromium's accessibility tree.
func (u *ui) clickByName(role, name string) {
	u.t.Helper()
	// The document as a remote object (DOM.getDocument would reset the node
	// ids chromedp tracks).
	doc := cdpCall(u.testBrowser, runtime.Evaluate, runtime.EvaluateParams{Expression: "document.body"})
	res := cdpCall(u.testBrowser, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{ObjectID: doc.Result.ObjectID, AccessibleName: name, Role: role})
	var found []*accessibility.Node
	for _, n := range res.Nodes {
		if !n.Ignored && n.BackendDOMNodeID != 0 {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		u.t.Fatalf("%d visible %ss are named %q, want 1", len(found), role, name)
	}
	box := cdpCall(u.testBrowser, dom.GetBoxModel, dom.GetBoxModelParams{BackendNodeID: found[0].BackendDOMNodeID})
	q := box.Model.Content
	u.Do(chromedp.MouseClickXY((q[0]+q[4])/2, (q[1]+q[5])/2))
}

// openFile picks path in the Open control, as the file chooser would.
func (u *ui) openFile(path string) {
	u.t.Helper()
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{path}, chromedp.NodeReady))
}

// TestBrowserSeedRenders: the seed article is the default document and every
// line of it renders in an <article>: the title as h1, headings as h2,
// paragraphs as p, each with the offset where it starts. The one line that
// is not shown is the table-of-contents artefact the importer drops.
func TestBrowserSeedRenders(t *testing.T) {
	u := openUI(t)
	type blk struct {
		Tag, Text  string
		Start, End int
		InArticle  bool
	}
	got := evalJS[[]blk](u.testBrowser, `Array.from(document.querySelectorAll('#article [data-start]'), (e) => ({
		Tag: e.tagName, Text: e.textContent, Start: +e.dataset.start, End: +e.dataset.end,
		InArticle: e.closest('article') !== null}))`)
	if len(got) != len(u.doc.Blocks) {
		t.Fatalf("%d blocks rendered, the document has %d", len(got), len(u.doc.Blocks))
	}
	text := []rune(u.doc.Text)
	rendered := map[string]bool{}
	for i, b := range u.doc.Blocks {
		want := map[annotate.BlockKind]string{annotate.BlockTitle: "H1", annotate.BlockHeading: "H2", annotate.BlockParagraph: "P"}[b.Kind]
		g := got[i]
		if g.Tag != want || g.Start != b.Start || g.End != b.End || g.Text != string(text[b.Start:b.End]) || !g.InArticle {
			t.Errorf("block %d: rendered %s [%d, %d) %.40q, want %s [%d, %d) %.40q", i, g.Tag, g.Start, g.End, g.Text, want, b.Start, b.End, string(text[b.Start:b.End]))
		}
		rendered[g.Text] = true
	}
	var missing []string
	for _, line := range strings.Split(string(seedArticle), "\n") {
		if line = strings.TrimSpace(line); line != "" && !rendered[line] {
			missing = append(missing, line)
		}
	}
	if !slices.Equal(missing, []string{"Table of Contents"}) {
		t.Errorf("lines of the seed not rendered: %q (only the table-of-contents artefact may be missing)", missing)
	}
	if n := u.Count("article h1"); n != 1 {
		t.Errorf("%d h1 in the article, want 1", n)
	}
	if title := u.Texts("article h1")[0]; title != u.doc.Title {
		t.Errorf("h1 %q, want the title %q", title, u.doc.Title)
	}
	// Comfortable measure: the article is about 70 characters wide.
	measure := evalJS[float64](u.testBrowser, `(() => { const a = document.querySelector('article.doc'), s = getComputedStyle(a);
		const c = document.createElement('canvas').getContext('2d'); c.font = s.fontSize + ' ' + s.fontFamily;
		return a.querySelector('p').getBoundingClientRect().width / c.measureText('0').width; })()`)
	if measure < 60 || measure > 80 {
		t.Errorf("the text column is %.0f characters wide, want about 70", measure)
	}
}

// TestBrowserTagEachLabel applies each label by drag + key and by drag +
// picker click, and checks the export's offsets.
func TestBrowserTagEachLabel(t *testing.T) {
	u := openUI(t)
	want := []string{}
	byKey := []struct{ text, key string }{
		{"Dan Driscoll", "1"}, {"Ternopil", "2"}, {"$105 million", "3"},
		{"This visit marks the highest-level engagement by U.S. military officials in Kyiv since the inauguration of former President Donald Trump in January 2017.", "4"},
	}
	for _, c := range byKey {
		s := u.tag(u.at(c.text, 0), c.key)
		if s.Label != u.labelID(c.key) || s.Text != c.text {
			t.Fatalf("drag + %s over %q: got %s %q", c.key, c.text, s.Label, s.Text)
		}
		want = append(want, s.Label+":"+c.text)
	}
	byPicker := []struct{ text, name, key string }{
		{"Volodymyr Zelensky", "Person", "1"}, {"Moscow", "Place", "2"}, {"28-point", "Figure", "3"},
		{"Despite ongoing diplomatic efforts, President Zelensky has consistently rejected any territorial concessions to Russia.", "Disputed claim", "4"},
	}
	for _, c := range byPicker {
		n := len(u.spans())
		u.drag(u.at(c.text, 0))
		// The picker's buttons are named exactly after the labels and show their key.
		btn := fmt.Sprintf(`.picker button[data-label=%q]`, u.labelID(c.key))
		if k := u.Texts(btn + " kbd"); len(k) != 1 || k[0] != c.key {
			t.Fatalf("the %s button shows key %q, want %q", c.name, k, c.key)
		}
		u.clickByName("button", c.name)
		u.waitCount(n + 1)
		s := u.selected()
		if s.Label != u.labelID(c.key) || s.Text != c.text {
			t.Fatalf("drag + picker %s over %q: got %s %q", c.name, c.text, s.Label, s.Text)
		}
		u.WaitGone(".picker:not([hidden])")
		want = append(want, s.Label+":"+c.text)
	}
	// A sloppy drag (from inside a word to inside another) snaps to words;
	// with Alt held it stays precise.
	r := u.at("Colonel David Butler", 0)
	s := u.tag(annotate.Range{Start: r.Start + 9, End: r.End - 2}, "1") // "avid Butl"
	if s.Text != "David Butler" {
		t.Errorf("a drag over %q snapped to %q, want %q", "avid Butl", s.Text, "David Butler")
	}
	want = append(want, s.Label+":David Butler")
	r = u.at("Pentagon", 0)
	s = u.tag(annotate.Range{Start: r.Start, End: r.Start + 4}, "2", chromedp.ModifierAlt)
	if s.Text != "Pent" {
		t.Errorf("an Alt drag over %q gave %q, want it precise", "Pent", s.Text)
	}
	want = append(want, s.Label+":Pent")

	name, data := u.export()
	if name != slug(u.doc.Title)+".factmark.json" {
		t.Errorf("downloaded %q, want %q", name, slug(u.doc.Title)+".factmark.json")
	}
	_, got := exported(t, data)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported:\n%q\nwant:\n%q", got, want)
	}
}

// TestBrowserNestedClaim: a claim around a person and a figure shows all
// three marks, nested, and each can be selected with a click.
func TestBrowserNestedClaim(t *testing.T) {
	u := openUI(t)
	sentence := "Shmyhal also expressed gratitude for the U.S. approval of a $105 million support package for the PATRIOT air-defense system, a critical asset for Ukraine’s defense capabilities."
	r := u.at("Shmyhal also", 0)
	u.tag(annotate.Range{Start: r.Start, End: r.Start + 7}, "1")
	u.tag(u.at("$105 million", 0), "3")
	u.tag(u.at(sentence, 0), "4")
	u.waitSummary("nested", u.labelID("1")+":Shmyhal", u.labelID("3")+":$105 million", u.labelID("4")+":"+sentence)

	nested := evalJS[[]string](u.testBrowser, `Array.from(document.querySelectorAll('#article mark.m-claim mark'), (m) => m.dataset.label + ':' + m.textContent)`)
	if !slices.Equal(nested, []string{u.labelID("1") + ":Shmyhal", u.labelID("3") + ":$105 million"}) {
		t.Fatalf("marks inside the claim: %q", nested)
	}
	// Click each: the innermost mark under the pointer is selected; the claim
	// by a click on its own text.
	for _, c := range []struct{ sel, label string }{
		{`#article mark[data-label="` + u.labelID("1") + `"]`, u.labelID("1")},
		{`#article mark[data-label="` + u.labelID("3") + `"]`, u.labelID("3")},
	} {
		u.Click(c.sel)
		if s := u.waitSelected(c.label, func(s span) bool { return s.Label == c.label }); s.Label != c.label {
			t.Errorf("clicking %s selected %+v", c.sel, s)
		}
	}
	gratitude := u.at("gratitude", 0)
	blk := u.blockOf(gratitude.Start, false)
	p := evalJS[textPoints](u.testBrowser, fmt.Sprintf("(%s)(%s, %d, %d)", textPointsJS, jsString(blockSel(blk)), gratitude.Start-blk.Start+2, gratitude.Start-blk.Start+3))
	u.Do(chromedp.MouseClickXY(p.X1, p.Y1))
	if s := u.waitSelected("the claim", func(s span) bool { return s.Label == u.labelID("4") }); s.Label != u.labelID("4") {
		t.Errorf("clicking the claim's own text selected %+v", s)
	}
	// The marks are visibly distinct: each has its own underline colour.
	colors := evalJS[[]string](u.testBrowser, `Array.from(document.querySelectorAll('#article mark'), (m) => getComputedStyle(m).borderBottomColor)`)
	if len(colors) != 3 || colors[0] == colors[1] || colors[1] == colors[2] || colors[0] == colors[2] {
		t.Errorf("underline colours %q: want three different label colours", colors)
	}
	// Hover shows the label name, for the innermost mark.
	u.Do(chromedp.MouseEvent(chromedp.MouseMoved, p.X1, p.Y1))
	badge := evalJS[string](u.testBrowser, `getComputedStyle(document.querySelector('#article mark.m-claim'), '::after').content`)
	if badge != `"Disputed claim"` {
		t.Errorf("hovering the claim shows %s, want its label name", badge)
	}
}

// TestBrowserEditAndHistory: relabel, resize, delete with the keyboard on a
// clicked span, then undo and redo over the mixed sequence.
func TestBrowserEditAndHistory(t *testing.T) {
	u := openUI(t)
	person, place := u.labelID("1"), u.labelID("2")
	states := [][]string{{}} // the page after each step
	step := func(what string, want ...string) {
		u.waitSummary(what, want...)
		states = append(states, want)
	}
	u.tag(u.at("Keith Kellogg", 0), "1")
	step("tag", person+":Keith Kellogg")
	u.tag(u.at("White House", 2), "2")
	step("tag 2", person+":Keith Kellogg", place+":White House")

	u.Click(`#article mark[data-label="` + person + `"]`)
	if s := u.waitSelected("Keith Kellogg", func(s span) bool { return s.Text == "Keith Kellogg" }); s.Text != "Keith Kellogg" {
		t.Fatalf("click selected %+v", s)
	}
	u.Press("2")
	step("relabel", place+":Keith Kellogg", place+":White House")
	kk := u.at("Keith Kellogg", 0)
	u.Press(kb.ArrowRight, chromedp.ModifierShift, chromedp.ModifierAlt)
	step("grow the end", place+":"+u.stepped(kk, 1, true), place+":White House")
	u.Press(kb.ArrowLeft, chromedp.ModifierShift, chromedp.ModifierAlt)
	step("shrink the end", place+":Keith Kellogg", place+":White House")
	u.Press(kb.ArrowUp, chromedp.ModifierShift, chromedp.ModifierAlt)
	step("grow the start", place+":"+u.stepped(kk, -1, true), place+":White House")
	u.Press(kb.ArrowDown, chromedp.ModifierShift, chromedp.ModifierAlt)
	step("shrink the start", place+":Keith Kellogg", place+":White House")
	u.Press("1")
	step("relabel back", person+":Keith Kellogg", place+":White House")

	u.Click(`#article mark[data-label="` + place + `"]`)
	u.waitSelected("White House", func(s span) bool { return s.Text == "White House" })
	u.Press(kb.Delete)
	step("delete", person+":Keith Kellogg")
	u.Click(`#article mark[data-label="` + person + `"]`)
	u.waitSelected("Keith Kellogg", func(s span) bool { return s.Text == "Keith Kellogg" })
	u.Press(kb.Backspace)
	step("backspace")

	// Undo everything, one step at a time, then redo it all with both
	// shortcuts, then undo two and make a new edit: the redo stack is gone.
	for i := len(states) - 2; i >= 0; i-- {
		u.Press("z", chromedp.ModifierCtrl)
		u.waitSummary(fmt.Sprintf("undo to state %d", i), states[i]...)
	}
	if !evalJS[bool](u.testBrowser, `document.querySelector('button[title^="Undo"]').disabled`) {
		t.Error("Undo is enabled with nothing to undo")
	}
	for i := 1; i < len(states); i++ {
		if i%2 == 0 {
			u.Press("y", chromedp.ModifierCtrl)
		} else {
			u.Press("z", chromedp.ModifierCtrl, chromedp.ModifierShift)
		}
		u.waitSummary(fmt.Sprintf("redo to state %d", i), states[i]...)
	}
	u.Press("z", chromedp.ModifierCtrl)
	u.Press("z", chromedp.ModifierCtrl)
	u.waitSummary("undo two", states[len(states)-3]...)
	u.tag(u.at("Ukraine", 0), "2")
	u.Press("z", chromedp.ModifierCtrl, chromedp.ModifierShift)
	u.waitSummary("nothing to redo after a new edit", append(slices.Clone(states[len(states)-3]), place+":Ukraine")...)

	// Escape deselects.
	u.Press(kb.Escape)
	if u.WaitFor("no selection", func() bool {
		for _, s := range u.spans() {
			if s.Selected {
				return false
			}
		}
		return true
	}) == false {
		t.Error("Escape left a span selected")
	}
	_, got := exported(t, func() []byte { _, d := u.export(); return d }())
	want := append(slices.Clone(states[len(states)-3]), place+":Ukraine")
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported %q, want %q", got, want)
	}
}

// TestBrowserExportOpenRoundTrip: export, open a .txt (a new document),
// reject a broken file without touching the work, and open the export again.
func TestBrowserExportOpenRoundTrip(t *testing.T) {
	u := openUI(t)
	u.tag(u.at("Sergei Lavrov", 0), "1")
	claim := "These conditions mirror those outlined by President Putin months before the invasion commenced."
	u.tag(u.at(claim, 0), "4")
	// A claim across two paragraphs renders as one fragment per block.
	cross := u.at("Kellogg’s departure is reportedly due to the expiration of his Senate-approved term, which cannot extend beyond 360 days without renewal.\nKellogg has been recognized", 0)
	u.tag(cross, "4")
	if n := u.Count(`#article mark.m-claim.cont`); n != 1 {
		t.Errorf("the claim across paragraphs has %d continuation fragments, want 1", n)
	}
	name, data := u.export()
	st, want := exported(t, data)
	if st.Len() != 3 {
		t.Fatalf("exported %d annotations, want 3", st.Len())
	}
	dir := t.TempDir()
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}

	// A .txt becomes a new document with no annotations.
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("Field notes\nThe mayor of Lviv met 12 reporters.\n"), 0o644)
	u.openFile(txt)
	u.WaitText("article h1", "Field notes")
	u.waitCount(0)

	// Broken files: a clear message, and the document stays as it was.
	broken := filepath.Join(dir, "broken.factmark.json")
	at := strings.Index(string(data), `"annotations"`)
	os.WriteFile(broken, []byte(string(data[:at])+strings.Replace(string(data[at:]), `"end": `, `"end": 9`, 1)), 0o644)
	u.openFile(broken)
	alert := u.WaitText(`[role="alert"]`, "broken.factmark.json")
	if !strings.Contains(alert, "annotations[") {
		t.Errorf("the alert %q does not say where the problem is", alert)
	}
	pdf := filepath.Join(dir, "report.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4"), 0o644)
	u.openFile(pdf)
	u.WaitText(`[role="alert"]`, "report.pdf")
	if h := u.Texts("article h1"); len(h) != 1 || h[0] != "Field notes" {
		t.Fatalf("a broken file changed the document: h1 %q", h)
	}

	// The export opens back with its annotations.
	u.openFile(file)
	u.WaitText("article h1", u.doc.Title)
	u.waitCount(3)
	if n := u.Count(`[role="alert"]`); n != 0 {
		t.Errorf("the alert stayed after a good file was opened")
	}
	_, again := u.export()
	if string(again) != string(data) {
		_, got := exported(t, again)
		t.Errorf("export after opening differs from the file opened: %q, want %q", got, want)
	}
}

// TestBrowserUnicodeOffsets opens a text with emoji, a ZWJ sequence, a flag
// and combining marks, selects spans after them with the mouse and checks
// the exported code-point offsets.
func TestBrowserUnicodeOffsets(t *testing.T) {
	u := openUI(t)
	raw := "Emoji and marks\n" +
		"The family 👩‍👩‍👧 met Iq\u0303bal and 🇺🇦 officials in Kyiv 🎉 yesterday.\n" +
		"Then 𝄞 music played for Zoë (e\u0301\u0302) and Ng\u0303ozi in Lviv.\n"
	path := filepath.Join(t.TempDir(), "unicode.txt")
	os.WriteFile(path, []byte(raw), 0o644)
	doc, err := annotate.FromText([]byte(raw), annotate.TextOptions{Source: "unicode.txt"})
	if err != nil {
		t.Fatal(err)
	}
	u.openFile(path)
	u.WaitText("article h1", "Emoji and marks")
	u.doc = doc

	cases := []struct {
		text, key string
		mods      []chromedp.Modifier
	}{
		{"Iq\u0303bal", "1", nil},
		{"Kyiv", "2", nil},
		{"Ng\u0303ozi", "1", nil},
		{"Lviv", "2", nil},
		{"🇺🇦", "3", []chromedp.Modifier{chromedp.ModifierAlt}},
		{"👩‍👩‍👧", "3", []chromedp.Modifier{chromedp.ModifierAlt}},
		{"𝄞 music", "3", []chromedp.Modifier{chromedp.ModifierAlt}},
		{"The family 👩‍👩‍👧 met Iq\u0303bal and 🇺🇦 officials in Kyiv 🎉 yesterday.", "4", nil},
	}
	var want []string
	for _, c := range cases {
		s := u.tag(u.at(c.text, 0), c.key, c.mods...)
		if s.Text != c.text {
			t.Errorf("selecting %q tagged %q", c.text, s.Text)
		}
		want = append(want, u.labelID(c.key)+":"+c.text)
	}
	_, data := u.export()
	st, got := exported(t, data)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported %q\nwant %q", got, want)
	}
	// The same offsets, checked against our own reading of the file.
	text := []rune(doc.Text)
	for _, a := range st.Annotations() {
		for _, c := range cases {
			if string(text[a.Start:a.End]) == c.text {
				r := u.at(c.text, 0)
				if a.Start != r.Start || a.End != r.End {
					t.Errorf("%q exported at [%d, %d), want %v", c.text, a.Start, a.End, r)
				}
			}
		}
	}
}

// TestBrowserKeyboardOnly does the whole flow without the mouse: reach the
// article with Tab, move the caret and select with Shift+arrows, tag, relabel,
// resize, delete, undo, choose a span in the panel, and export.
func TestBrowserKeyboardOnly(t *testing.T) {
	u := openUI(t)
	place, person := u.labelID("2"), u.labelID("1")
	tabTo := func(what, js string) {
		t.Helper()
		for i := 0; i < 40; i++ {
			if evalJS[bool](u.testBrowser, js) {
				return
			}
			u.Press(kb.Tab)
		}
		t.Fatalf("Tab never reached %s", what)
	}
	tabTo("the article", `document.activeElement && document.activeElement.id === 'article'`)
	// The caret starts at the title; select "Kyiv" in it with the keyboard.
	title := u.doc.Blocks[0]
	kyiv := u.at("Kyiv", 0)
	for i := title.Start; i < kyiv.Start; i++ {
		u.Press(kb.ArrowRight)
	}
	if !u.WaitFor("the caret to be drawn", func() bool {
		return evalJS[bool](u.testBrowser, `getComputedStyle(document.getElementById('caret')).display !== 'none'`)
	}) {
		t.Error("no caret is drawn while the article has the focus")
	}
	for i := 0; i < 4; i++ {
		u.Press(kb.ArrowRight, chromedp.ModifierShift)
	}
	if got := u.SelectedText(); got != "Kyiv" {
		t.Fatalf("Shift+arrows selected %q", got)
	}
	u.WaitVisible(".picker:not([hidden])")
	u.Press("2")
	u.waitSummary("tag", place+":Kyiv")
	// The new span is selected and has the focus: relabel, grow, shrink.
	u.Press("1")
	u.waitSummary("relabel", person+":Kyiv")
	u.Press(kb.ArrowRight, chromedp.ModifierShift, chromedp.ModifierAlt)
	u.waitSummary("grow", person+":"+u.stepped(kyiv, 1, true))
	u.Press(kb.ArrowLeft, chromedp.ModifierShift, chromedp.ModifierAlt)
	u.waitSummary("shrink", person+":Kyiv")
	u.Press("2")
	u.waitSummary("relabel back", place+":Kyiv")
	// Ctrl+Shift+arrows select whole words from the caret after the span.
	u.Press(kb.Escape)
	u.Press(kb.ArrowRight, chromedp.ModifierCtrl)
	u.Press(kb.ArrowRight, chromedp.ModifierCtrl, chromedp.ModifierShift)
	u.Press(kb.ArrowRight, chromedp.ModifierCtrl, chromedp.ModifierShift)
	u.Press("4")
	u.waitSummary("a claim by words", place+":Kyiv", u.labelID("4")+":Explore Pathways")
	u.Press(kb.Delete)
	u.waitSummary("delete", place+":Kyiv")
	u.Press("z", chromedp.ModifierCtrl)
	u.waitSummary("undo", place+":Kyiv", u.labelID("4")+":Explore Pathways")

	// Tab to the panel's entry for Kyiv and choose it with Enter.
	u.Press(kb.Escape)
	tabTo("the panel entry", `!!document.activeElement.closest('#panel .item') && document.activeElement.textContent.startsWith('Kyiv')`)
	u.Press(kb.Enter)
	if !u.WaitFor("the span to be focused", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.tagName === 'MARK' && document.activeElement.getAttribute('aria-current') === 'true'`)
	}) {
		t.Fatal("choosing in the panel did not select and focus the span")
	}
	u.Press(kb.Delete)
	u.waitSummary("delete from the panel", u.labelID("4")+":Explore Pathways")

	// Export with the keyboard; the Open control is reachable and named.
	before, _ := filepath.Glob(filepath.Join(u.dl, "*"))
	tabTo("Export", `document.activeElement.id === 'export'`)
	u.Press(kb.Enter) // opens the menu on its first item, Factmark
	u.WaitFor("the menu's first item to have the focus", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.dataset.codec === 'factmark'`)
	})
	u.Press(kb.Enter)
	_, data := u.waitDownload(before)
	if _, got := exported(t, data); !slices.Equal(got, []string{u.labelID("4") + ":Explore Pathways"}) {
		t.Errorf("exported %q", got)
	}
	tabTo("Open", `document.activeElement.id === 'open-file'`)
	if name := evalJS[string](u.testBrowser, `document.activeElement.labels[0].textContent`); name != "Open…" {
		t.Errorf("the file input is labelled %q", name)
	}
}

// TestBrowserTagLatency annotates the seed fully (30 entities, 5 claims),
// then measures, for 20 more tags, the time from the key press to the frame
// that paints the new mark. The numbers are logged (targets belong to the
// benchmarks); the test checks the work got done.
func TestBrowserTagLatency(t *testing.T) {
	u := openUI(t)
	entities := []struct{ text, key string }{
		{"Dan Driscoll", "1"}, {"Volodymyr Zelensky", "1"}, {"David Butler", "1"}, {"Randy George", "1"},
		{"Chris Donahue", "1"}, {"Michael Weimer", "1"}, {"Donald Trump", "1"}, {"Denys Shmyhal", "1"},
		{"Steve Witkoff", "1"}, {"Kirill Dmitriev", "1"}, {"Dmitry Peskov", "1"}, {"Sergei Lavrov", "1"},
		{"Keith Kellogg", "1"}, {"Kyiv", "2"}, {"Ukraine", "2"}, {"Russia", "2"}, {"Turkey", "2"},
		{"Ternopil", "2"}, {"Washington", "2"}, {"Moscow", "2"}, {"Anchorage", "2"}, {"Alaska", "2"},
		{"White House", "2"}, {"26", "3"}, {"2022", "3"}, {"2017", "3"}, {"$105 million", "3"},
		{"28-point", "3"}, {"2020", "3"}, {"360 days", "3"},
	}
	claims := []string{
		"This visit marks the highest-level engagement by U.S. military officials in Kyiv since the inauguration of former President Donald Trump in January 2017.",
		"Emerging reports suggest that behind-the-scenes negotiations between the U.S. and Russia have produced a tentative peace framework, which reportedly includes significant compromises from Ukraine.",
		"Meanwhile, multiple news outlets, including Axios, the Financial Times, and Reuters, have reported that the U.S. and Russia have quietly drafted a 28-point peace proposal.",
		"Despite ongoing diplomatic efforts, President Zelensky has consistently rejected any territorial concessions to Russia.",
		"These conditions mirror those outlined by President Putin months before the invasion commenced.",
	}
	for _, e := range entities {
		u.tag(u.at(e.text, 0), e.key)
	}
	for _, c := range claims {
		u.tag(u.at(c, 0), "4")
	}
	// Measure in the page: key press (event time) to the mutation that adds
	// the mark, and to the frame after it (requestAnimationFrame, then a
	// task: the frame has been painted).
	evalJS[bool](u.testBrowser, `(() => {
		window.__lat = [];
		const art = document.getElementById('article');
		document.addEventListener('keydown', (e) => {
			if (!/^[1-4]$/.test(e.key)) return;
			const t0 = e.timeStamp, before = art.querySelectorAll('mark').length;
			const mo = new MutationObserver(() => {
				if (art.querySelectorAll('mark').length === before) return;
				mo.disconnect();
				const t1 = performance.now();
				requestAnimationFrame(() => setTimeout(() => window.__lat.push({DOM: t1 - t0, Paint: performance.now() - t0}), 0));
			});
			mo.observe(art, {childList: true, subtree: true});
		}, true);
		return true; })()`)
	// 20 more words of six letters or more, spread over the article, that
	// are not tagged yet.
	taken := func(r annotate.Range) bool {
		for _, e := range entities {
			if u.at(e.text, 0).Overlaps(r) {
				return true
			}
		}
		return false
	}
	var extra []annotate.Range
	words := u.doc.Index().Words()
	for i := 0; i < len(words) && len(extra) < 20; i += 7 {
		w := words[i]
		if w.Len() < 6 || w.Start < u.doc.Blocks[1].Start || taken(w) {
			continue
		}
		extra = append(extra, w)
	}
	for _, w := range extra {
		u.tag(w, "3")
	}
	type lat struct{ DOM, Paint float64 }
	var lats []lat
	u.WaitFor("20 measurements", func() bool { lats = evalJS[[]lat](u.testBrowser, `window.__lat`); return len(lats) >= len(extra) })
	if len(lats) < 20 {
		t.Fatalf("%d latency measurements, want 20", len(lats))
	}
	_, data := u.export()
	st, _ := exported(t, data)
	if st.Len() != len(entities)+len(claims)+len(extra) {
		t.Fatalf("exported %d annotations, want %d", st.Len(), len(entities)+len(claims)+len(extra))
	}
	paint := make([]float64, len(lats))
	dom := make([]float64, len(lats))
	for i, l := range lats {
		paint[i], dom[i] = l.Paint, l.DOM
	}
	slices.Sort(paint)
	slices.Sort(dom)
	t.Logf("one tag with %d spans present, key press to DOM: median %.1f ms, worst %.1f ms; to painted frame: median %.1f ms, worst %.1f ms (n=%d)",
		st.Len(), dom[len(dom)/2], dom[len(dom)-1], paint[len(paint)/2], paint[len(paint)-1], len(paint))
}

// stepped is the text of r after the core's StepWord at edge.
func (u *ui) stepped(r annotate.Range, edge int, grow bool) string {
	return strings.Join(strings.Fields(u.doc.Index().Slice(u.doc.Index().StepWord(r, edge, grow))), " ")
}

// TestBrowserKeysRightAfterAnEdit: keys pressed faster than the page
// renders act on the state the previous key left, not on the last painted
// one. A Shift+Alt+arrow sent in the same batch as the tag key resizes the
// new span; sent right after Escape it extends the text selection instead.
func TestBrowserKeysRightAfterAnEdit(t *testing.T) {
	u := openUI(t)
	person := u.labelID("1")
	kk := u.at("Keith Kellogg", 0)
	u.drag(kk)
	// Both keys in one batch: the second arrives before the page has
	// painted the first's result.
	u.Do(chromedp.KeyEvent("1"), chromedp.KeyEvent(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift, chromedp.ModifierAlt)))
	u.waitSummary("tag and grow at once", person+":"+u.stepped(kk, 1, true))
	u.Do(chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift, chromedp.ModifierAlt)))
	if !u.WaitFor("the text selection to be extended", func() bool { return u.SelectedText() != "" }) {
		t.Fatal("Shift+Alt+ArrowRight right after Escape selected nothing")
	}
	u.waitSummary("escape and extend the selection", person+":"+u.stepped(kk, 1, true))
}
