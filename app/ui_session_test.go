package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"factmark/annotate"
)

func seedSession(t *testing.T) *session {
	t.Helper()
	doc, err := seedDocument()
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return newSession(doc)
}

// find returns the code-point range of the n-th (0-based) occurrence of sub
// in the document (a test helper: the app never searches text).
func find(t *testing.T, s *session, sub string, n int) annotate.Range {
	t.Helper()
	text := s.doc().Text
	from := 0
	for i := 0; ; i++ {
		j := strings.Index(text[from:], sub)
		if j < 0 {
			t.Fatalf("%q occurrence %d not in the document", sub, n)
		}
		if i == n {
			start := utf8.RuneCountInString(text[:from+j])
			return annotate.Range{Start: start, End: start + utf8.RuneCountInString(sub)}
		}
		from += j + len(sub)
	}
}

func labelID(t *testing.T, s *session, key string) string {
	t.Helper()
	l, ok := s.schema().ByKey(key)
	if !ok {
		t.Fatalf("no label with key %s", key)
	}
	return l.ID
}

func TestSessionEditing(t *testing.T) {
	s := seedSession(t)
	person, place, claim := labelID(t, s, "1"), labelID(t, s, "2"), labelID(t, s, "4")
	text := func(a annotate.Annotation) string { return s.index().Slice(a.Range()) }

	// A sloppy selection " Dan Drisc" snaps to the words "Dan Driscoll".
	r := find(t, s, "Dan Driscoll", 0)
	s.setPending(annotate.Range{Start: r.Start - 1, End: r.End - 3}, false, 0, 0)
	if err := s.tag(person, false); err != nil {
		t.Fatal(err)
	}
	a, ok := s.state.Annotation(s.selected)
	if !ok || a.Range() != r || a.Label != person || text(a) != "Dan Driscoll" {
		t.Fatalf("tagged %+v (%q), want person %v", a, text(a), r)
	}
	if s.pending.Len() != 0 || s.state.Revision != 1 || !s.history.CanUndo() {
		t.Fatalf("after tagging: pending %v, revision %d", s.pending, s.state.Revision)
	}

	// Tagging the same range with the same label again adds nothing.
	s.setPending(r, false, 0, 0)
	if err := s.tag(person, false); err != nil || s.state.Len() != 1 {
		t.Fatalf("duplicate: err %v, %d annotations", err, s.state.Len())
	}

	// 2 relabels the selected span.
	if err := s.tag(place, false); err != nil {
		t.Fatal(err)
	}
	if a, _ = s.state.Annotation(a.ID); a.Label != place {
		t.Fatalf("relabel: label %q, want %q", a.Label, place)
	}

	// Resize: the end grows by a word, then shrinks back.
	want := s.index().StepWord(r, 1, true)
	if err := s.resize(1, true); err != nil {
		t.Fatal(err)
	}
	if a, _ = s.state.Annotation(a.ID); a.Range() != want || want == r {
		t.Fatalf("grow: %v, want %v", a.Range(), want)
	}
	if err := s.resize(1, false); err != nil {
		t.Fatal(err)
	}
	if a, _ = s.state.Annotation(a.ID); a.Range() != r {
		t.Fatalf("shrink: %v, want %v", a.Range(), r)
	}

	// A claim around it.
	sentence := find(t, s, "The team, led by U.S. Army Secretary Dan Driscoll, is scheduled to meet", 0)
	s.setPending(sentence, false, 0, 0)
	if err := s.tag(claim, false); err != nil {
		t.Fatal(err)
	}
	if s.state.Len() != 2 {
		t.Fatalf("%d annotations, want 2", s.state.Len())
	}
	claimID := s.selected

	// Remove the person (select it first), then undo everything and redo it.
	s.selectSpan(a.ID)
	if err := s.remove(); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.state.Annotation(a.ID); ok || s.selected != "" {
		t.Fatal("remove: the person is still there or still selected")
	}
	rev := s.state.Revision
	for i := 0; i < 6; i++ {
		if err := s.undoCmd(); err != nil {
			t.Fatal(err)
		}
	}
	if s.state.Len() != 0 || s.history.CanUndo() {
		t.Fatalf("after undoing all: %d annotations", s.state.Len())
	}
	for i := 0; i < 6; i++ {
		if err := s.redoCmd(); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := s.state.Annotation(claimID); !ok || s.state.Len() != 1 || s.state.Revision != rev+12 {
		t.Fatalf("after redoing all: %d annotations, revision %d", s.state.Len(), s.state.Revision)
	}
	if err := s.redoCmd(); err != nil || s.message != "Nothing to redo." {
		t.Errorf("message %q", s.message)
	}
}

func TestSessionNothingSelected(t *testing.T) {
	s := seedSession(t)
	if err := s.tag(labelID(t, s, "1"), false); err != nil || s.state.Len() != 0 {
		t.Fatalf("tag without selection: %v, %d annotations", err, s.state.Len())
	}
	if !strings.Contains(s.message, "Select some text") {
		t.Errorf("message %q", s.message)
	}
	for _, f := range []func() error{s.remove, func() error { return s.resize(1, true) }, s.undoCmd, s.redoCmd} {
		if err := f(); err != nil {
			t.Error(err)
		}
	}
	if s.state.Revision != 0 {
		t.Errorf("revision %d, want 0", s.state.Revision)
	}
}

// blockSigs is what each block shows, computed from scratch.
func blockSigs(s *session) []string {
	var out []string
	for _, b := range s.doc().Blocks {
		var sb strings.Builder
		for _, a := range s.state.Overlapping(b.Range()) {
			fmt.Fprintf(&sb, "%s/%s/%d/%d/%v;", a.ID, a.Label, a.Start, a.End, a.ID == s.selected)
		}
		out = append(out, sb.String())
	}
	return out
}

// TestSessionBlockVersions checks the incremental bookkeeping that lets
// go-app re-render only touched blocks: after any action, every block whose
// content changed has a new version (and so has its chunk).
func TestSessionBlockVersions(t *testing.T) {
	s := seedSession(t)
	rng := rand.New(rand.NewPCG(1, 2))
	words := s.index().Words()
	labels := s.schema().Labels
	for step := 0; step < 400; step++ {
		before := blockSigs(s)
		bv := append([]int(nil), s.blockVer...)
		cv := append([]int(nil), s.chunkVer...)
		anns := s.state.Annotations()
		var err error
		switch op := rng.IntN(8); {
		case op <= 2 || len(anns) == 0:
			w := rng.IntN(len(words))
			n := 1 + rng.IntN(40)
			if rng.IntN(5) == 0 {
				n = 40 + rng.IntN(80) // long, often across blocks
			}
			end := words[min(w+n, len(words)-1)].End
			s.setPending(annotate.Range{Start: words[w].Start, End: end}, rng.IntN(3) == 0, 0, 0)
			err = s.tag(labels[rng.IntN(len(labels))].ID, false)
		case op == 3:
			s.selectSpan(anns[rng.IntN(len(anns))].ID)
			err = s.tag(labels[rng.IntN(len(labels))].ID, false)
		case op == 4:
			s.selectSpan(anns[rng.IntN(len(anns))].ID)
			err = s.resize([]int{-1, 1}[rng.IntN(2)], rng.IntN(2) == 0)
		case op == 5:
			s.selectSpan(anns[rng.IntN(len(anns))].ID)
			err = s.remove()
		case op == 6:
			err = s.undoCmd()
		default:
			err = s.redoCmd()
		}
		if err != nil {
			t.Logf("step %d: %v", step, err) // the core may refuse an edit; the bookkeeping must still hold
		}
		after := blockSigs(s)
		for i := range after {
			if after[i] != before[i] && s.blockVer[i] == bv[i] {
				t.Fatalf("step %d: block %d changed (%s -> %s) but kept version %d", step, i, before[i], after[i], bv[i])
			}
			if s.blockVer[i] != bv[i] && s.chunkVer[i/chunkSize] == cv[i/chunkSize] {
				t.Fatalf("step %d: block %d has a new version but chunk %d does not", step, i, i/chunkSize)
			}
		}
	}
	if s.state.Len() < 10 {
		t.Errorf("only %d annotations after the run: the test exercised little", s.state.Len())
	}
}

// TestRangeFromDOM maps DOM positions (block start + UTF-16 offset, as the
// glue reads them) to code points on text with emoji, a ZWJ family and
// combining marks, checked against an independent UTF-16 encoding.
func TestRangeFromDOM(t *testing.T) {
	raw := "Emoji test\nCafe\u0301 👩‍👩‍👧 met 🇺🇦 in 𝄞 Kyiv.\nSecond 🙂 line e\u0301\u0301 end.\n"
	doc, err := annotate.FromText([]byte(raw), annotate.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(doc)
	text := []rune(doc.Text)
	for _, b := range doc.Blocks {
		block := text[b.Start:b.End]
		units := 0
		for i := 0; i <= len(block); i++ {
			// Code point i of the block is at UTF-16 unit `units`.
			p := domPoint{Block: b.Start, UTF16: units}
			r, err := s.rangeFromDOM(p, p)
			if err != nil || r.Start != b.Start+i || r.End != b.Start+i {
				t.Fatalf("block %d unit %d: %v, %v; want code point %d", b.Start, units, r, err, b.Start+i)
			}
			if i < len(block) {
				n := len(utf16.Encode([]rune{block[i]}))
				if n == 2 {
					// Inside a surrogate pair: a start goes down, an end up.
					mid := domPoint{Block: b.Start, UTF16: units + 1}
					r, err := s.rangeFromDOM(mid, mid)
					if err != nil || r.Start != b.Start+i || r.End != b.Start+i+1 {
						t.Fatalf("inside the pair of %q: %v, %v", string(block[i]), r, err)
					}
				}
				units += n
			}
		}
	}
	// Backwards selections and selections across blocks.
	b0, b1 := doc.Blocks[1], doc.Blocks[2]
	r, err := s.rangeFromDOM(domPoint{Block: b1.Start, UTF16: 6}, domPoint{Block: b0.Start, UTF16: 2})
	if err != nil || r != (annotate.Range{Start: b0.Start + 2, End: b1.Start + 6}) {
		t.Errorf("across blocks, backwards: %v, %v", r, err)
	}
	// Past the end of a block clamps to the block; End is the end of the text.
	r, err = s.rangeFromDOM(domPoint{Block: b0.Start, UTF16: 999}, domPoint{End: true})
	if err != nil || r != (annotate.Range{Start: b0.End, End: len(text)}) {
		t.Errorf("clamping: %v, %v", r, err)
	}
	if _, err := s.rangeFromDOM(domPoint{Block: b0.Start + 1}, domPoint{}); err == nil {
		t.Error("a block start that is no block's start should be an error")
	}
	// caretPoint is the inverse.
	for cp := b0.Start; cp <= b1.End; cp++ {
		p, ok := s.caretPoint(cp)
		if !ok {
			t.Fatalf("caretPoint(%d) failed", cp)
		}
		r, err := s.rangeFromDOM(p, p)
		if err != nil || (r.Start != cp && !(cp > b0.End && cp < b1.Start)) {
			t.Fatalf("caretPoint(%d) = %+v -> %v, %v", cp, p, r, err)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Top U.S. Military Delegation Visits Kyiv": "top-u-s-military-delegation-visits-kyiv",
		"  Ukraine’s war: day 1,000!  ":            "ukraines-war-day-1-000",
		"Київ — Тернопіль":                         "київ-тернопіль",
		"🙂🙂":                                       "document",
		"":                                         "document",
		strings.Repeat("abc ", 30):                 strings.TrimRight(strings.Repeat("abc-", 15), "-"),
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// longDoc is the seed article repeated parts times, each copy under a
// "Part N" heading, under the title "A long article".
func longDoc(t *testing.T, parts int) *annotate.Document {
	t.Helper()
	seed, err := seedDocument()
	if err != nil {
		t.Fatal(err)
	}
	blocks := []annotate.BlockText{{Kind: annotate.BlockTitle, Text: "A long article"}}
	for p := 1; p <= parts; p++ {
		blocks = append(blocks, annotate.BlockText{Kind: annotate.BlockHeading, Text: fmt.Sprintf("Part %d", p)})
		for _, b := range seed.Blocks[1:] {
			blocks = append(blocks, annotate.BlockText{Kind: annotate.BlockParagraph, Text: seed.Index().Slice(b.Range())})
		}
	}
	doc, err := annotate.FromBlocks(blocks, annotate.TextOptions{Source: "long"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestReleaseChunks: chunks the glue saw far from the view become
// placeholders with the box they had, except the first screen, the chunk
// of the selected span and the chunk of the pending selection; a change in
// a released chunk renders it again.
func TestReleaseChunks(t *testing.T) {
	doc := longDoc(t, 12)
	s := newSession(doc)
	n := len(s.chunkVer)
	all := make([]int, n)
	for c := range all {
		all[c] = c
	}
	live := func() (out []bool) {
		for c := range n {
			out = append(out, s.isLive(c, s.chunkVer[c]))
		}
		return out
	}
	if l := live(); l[n-1] || !l[0] {
		t.Fatalf("after opening: live %v", l)
	}
	s.touch(all)
	for c, l := range live() {
		if !l {
			t.Fatalf("chunk %d is not live after the glue saw it", c)
		}
	}
	// A span selected in the middle, a text selection near the end.
	mid := doc.Blocks[(n/2)*chunkSize+1]
	if _, err := s.state.Apply(annotate.Add(annotate.Annotation{ID: "a-mid", Label: "person", Start: mid.Start, End: mid.Start + 4})); err != nil {
		t.Fatal(err)
	}
	s.selectSpan("a-mid")
	if s.selected != "a-mid" {
		t.Fatal("the span is not selected")
	}
	late := doc.Blocks[(n-2)*chunkSize+1]
	boxes := make([]chunkBox, n)
	for c := range boxes {
		boxes[c] = chunkBox{Height: float64(100 + c), MarginTop: 0, MarginBottom: 18.5}
	}
	drawn := func() { copy(s.win.drawnVer, s.chunkVer) } // what rendering records
	// A chunk changed since it was drawn (a find step dispatched with the
	// release) is not released.
	drawn()
	s.markRanges(doc.Blocks[(n-1)*chunkSize].Range())
	if s.release([]int{n - 1}, boxes, 1280) {
		t.Error("release reported releasing a chunk changed since it was drawn")
	}
	if !live()[n-1] {
		t.Error("a chunk changed since it was drawn was released")
	}
	drawn()
	if !s.release(all, boxes, 1280) {
		t.Error("release reported releasing nothing")
	}
	l := live()
	for c := range n {
		want := s.eager(c) || c == n/2
		if l[c] != want {
			t.Errorf("after the release chunk %d live %v, want %v", c, l[c], want)
		}
		if !want && (s.win.restBox[c] != boxes[c] || s.win.restW[c] != 1280) {
			t.Errorf("chunk %d released with %+v at %d", c, s.win.restBox[c], s.win.restW[c])
		}
	}
	// The pending selection keeps its chunk; a change renders a released one.
	s.touch(all)
	s.setPending(annotate.Range{Start: late.Start, End: late.Start + 5}, false, 0, 0)
	drawn()
	s.release(all, boxes, 1280)
	if l := live(); !l[n-2] || l[n/2] {
		t.Errorf("with the text selection near the end: chunk %d live %v (want true), chunk %d live %v (want false: nothing is selected there now)", n-2, l[n-2], n/2, l[n/2])
	}
	s.markRanges(mid.Range())
	if !live()[n/2] {
		t.Error("a change in a released chunk did not render it")
	}
	if got := (chunkBox{Height: 412.5, MarginTop: 23.04, MarginBottom: 0}).String(); got != "412.50 23.04 0.00" {
		t.Errorf("chunkBox.String() = %q", got)
	}
}
