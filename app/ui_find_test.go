package main

// Plain Go tests of find, label all and suggestions in the session: what the
// browser tests cannot cheaply cover (keys of every context, long documents,
// the windowed computation of suggestions).

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"factmark/annotate"
)

func TestToolKey(t *testing.T) {
	cases := []struct {
		in   toolKeyInput
		want toolCmd
	}{
		{toolKeyInput{Key: "f", Code: "KeyF", Ctrl: true}, toolFindOpen},
		{toolKeyInput{Key: "f", Code: "KeyF", Meta: true}, toolFindOpen},
		{toolKeyInput{Key: "а", Code: "KeyF", Ctrl: true}, toolFindOpen}, // Cyrillic layout
		{toolKeyInput{Key: "f", Code: "KeyF", Ctrl: true, Where: "edit"}, toolFindOpen},
		{toolKeyInput{Key: "f", Code: "KeyF", Ctrl: true, Where: "find"}, toolNone}, // the browser's find
		{toolKeyInput{Key: "F", Code: "KeyF", Ctrl: true, Shift: true}, toolNone},
		{toolKeyInput{Key: "F3"}, toolFindNext},
		{toolKeyInput{Key: "F3", Shift: true}, toolFindPrev},
		{toolKeyInput{Key: "Enter", Where: "find"}, toolFindNext},
		{toolKeyInput{Key: "Enter", Shift: true, Where: "find"}, toolFindPrev},
		{toolKeyInput{Key: "Escape", Where: "find"}, toolFindClose},
		{toolKeyInput{Key: "a", Where: "find"}, toolNone}, // typing
		{toolKeyInput{Key: "a", Code: "KeyA", SpanSelected: true}, toolLabelAll},
		{toolKeyInput{Key: "a", Code: "KeyA"}, toolNone},
		{toolKeyInput{Key: "a", Code: "KeyA", SpanSelected: true, Ctrl: true}, toolNone}, // select all
		{toolKeyInput{Key: "a", Code: "KeyA", SpanSelected: true, Where: "edit"}, toolNone},
		{toolKeyInput{Key: "ArrowDown", Where: "review"}, toolReviewNext},
		{toolKeyInput{Key: "k", Where: "review"}, toolReviewPrev},
		{toolKeyInput{Key: "Enter", Where: "review"}, toolReviewAccept},
		{toolKeyInput{Key: "Enter", Ctrl: true, Where: "review"}, toolReviewApply},
		{toolKeyInput{Key: "x", Where: "review"}, toolReviewReject},
		{toolKeyInput{Key: "X", Where: "review"}, toolReviewReject},
		{toolKeyInput{Key: "a", Where: "review"}, toolReviewAcceptAll},
		{toolKeyInput{Key: "Escape", Where: "review"}, toolReviewCancel},
		{toolKeyInput{Key: "Escape", Where: "dialog"}, toolReviewCancel},
		{toolKeyInput{Key: "Enter", Where: "dialog"}, toolNone}, // the button's own
		{toolKeyInput{Key: "s", Code: "KeyS"}, toolSugToggle},
		{toolKeyInput{Key: "s", Code: "KeyS", Ctrl: true}, toolNone},
		{toolKeyInput{Key: "n", Code: "KeyN", SugOn: true}, toolSugNext},
		{toolKeyInput{Key: "N", Code: "KeyN", Shift: true, SugOn: true}, toolSugPrev},
		{toolKeyInput{Key: "n", Code: "KeyN"}, toolNone},
		{toolKeyInput{Key: "Enter", SugOn: true, SugCur: true}, toolSugAccept},
		{toolKeyInput{Key: "x", Code: "KeyX", SugOn: true, SugCur: true}, toolSugReject},
		{toolKeyInput{Key: "Delete", SugOn: true, SugCur: true}, toolNone},                  // removes the selected span
		{toolKeyInput{Key: "Enter", SugOn: true, SugCur: true, Where: "control"}, toolNone}, // the button's, the span's details
		{toolKeyInput{Key: "x", SugOn: true, SugCur: true, Where: "edit"}, toolNone},
		{toolKeyInput{Key: "n", Code: "KeyN", SugOn: true, Where: "control"}, toolSugNext},
		{toolKeyInput{Key: "x", SugOn: true}, toolNone},
		{toolKeyInput{Key: "Enter", SugOn: true}, toolNone},
		{toolKeyInput{Key: "1"}, toolNone},
	}
	for _, c := range cases {
		if got := toolKey(c.in); got != c.want {
			t.Errorf("toolKey(%+v) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestFindInSession(t *testing.T) {
	s := seedSession(t)
	f := &s.tools.find
	f.open, f.query = true, "kyiv"
	s.findSearch()
	want := []annotate.Range{find(t, s, "Kyiv", 0), find(t, s, "Kyiv", 1), find(t, s, "Kyiv", 2), find(t, s, "Kyiv", 3)}
	if !slices.Equal(f.hits, want) || s.findCount() != "1 of 4" {
		t.Fatalf("hits %v (%q), want %v", f.hits, s.findCount(), want)
	}
	s.findStep(1)
	s.findStep(1)
	if s.findCount() != "3 of 4" {
		t.Fatalf("after two steps: %q", s.findCount())
	}
	// Typing on keeps the current match where it is when it still matches
	// (the query's own trailing space is ignored).
	f.query = "kyiv "
	s.findSearch()
	if s.findCount() != "3 of 4" {
		t.Errorf("after typing a space: %q", s.findCount())
	}
	f.query = "Kyiv"
	s.findSearch()
	if cur, _ := s.findCurrent(); cur.Start < want[2].Start {
		t.Errorf("the current match went back to %v", cur)
	}
	s.findStep(-5)
	s.findStep(5)
	f.query = "zzzz"
	s.findSearch()
	if s.findCount() != "No matches" || f.cur != -1 {
		t.Errorf("no match: %q, cur %d", s.findCount(), f.cur)
	}
	// Hits are decorations of their blocks only, the current one marked.
	f.query = "Kyiv"
	s.findSearch()
	b := s.doc().Blocks[0]
	d := s.blockDecos(annotate.Range{Start: b.Start, End: b.End}, nil)
	if len(d) != 1 || d[0].R != want[0] || !d[0].Cur {
		t.Errorf("title decorations %+v", d)
	}
	s.findClose()
	if d := s.blockDecos(annotate.Range{Start: b.Start, End: b.End}, nil); len(d) != 0 {
		t.Errorf("decorations after closing: %+v", d)
	}
}

func TestLabelAllReviewIsOneUndoStep(t *testing.T) {
	s := seedSession(t)
	s.pending = find(t, s, "Kyiv", 1)
	if err := s.tag("place", false); err != nil {
		t.Fatal(err)
	}
	s.labelAllSelected()
	rv := s.tools.review
	if rv == nil || len(rv.items) != 3 {
		t.Fatalf("review %+v", rv)
	}
	if err := s.reviewDecide(reviewAccepted); err != nil {
		t.Fatal(err)
	}
	if err := s.reviewDecide(reviewRejected); err != nil {
		t.Fatal(err)
	}
	rev := s.state.Revision
	if err := s.reviewDecide(reviewAccepted); err != nil { // the last: applies
		t.Fatal(err)
	}
	if s.tools.review != nil || s.state.Len() != 3 || s.state.Revision != rev+1 {
		t.Fatalf("after the review: %d annotations, revision %d (was %d)", s.state.Len(), s.state.Revision, rev)
	}
	if err := s.undoCmd(); err != nil || s.state.Len() != 1 {
		t.Fatalf("one undo left %d annotations (%v)", s.state.Len(), err)
	}
	// An edit during the review removes what it labels from the proposals.
	s.labelAllSelected()
	if s.tools.review == nil || len(s.tools.review.items) != 3 {
		t.Fatalf("second review %+v", s.tools.review)
	}
	s.pending = find(t, s, "Kyiv", 3)
	if err := s.tag("place", false); err != nil {
		t.Fatal(err)
	}
	if n := len(s.tools.review.items); n != 2 {
		t.Errorf("%d proposals left after tagging one of them", n)
	}
	s.reviewClose()
	// From a query: whole words only, snapped, not those labelled yet.
	s.tools.find.query = "Trump"
	s.labelAllFound("person")
	if rv := s.tools.review; rv == nil || len(rv.items) != strings.Count(s.doc().Text, "Trump") {
		t.Fatalf("label all Trump: %+v", rv)
	}
}

// longSession is the seed article repeated until it is several windows of
// the suggestion computation long.
func longSession(t testing.TB, copies int) *session {
	seed, err := seedDocument()
	if err != nil {
		t.Fatal(err)
	}
	// A name after a title in the first window only, on its own in the
	// last: the windows must know the whole document's titled names.
	var b strings.Builder
	b.WriteString("A long file\n\nPresident Kovalenko arrived on Monday.\n\n")
	for i := 0; i < copies; i++ {
		b.WriteString(seed.Text)
		b.WriteString("\n\n")
	}
	b.WriteString("Kovalenko left on Friday.\n")
	doc, err := annotate.FromText([]byte(b.String()), annotate.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return newSession(doc)
}

func sugSummary(ix *annotate.Index, xs []annotate.Suggestion) []string {
	var out []string
	for _, x := range xs {
		out = append(out, sugKey(x)+":"+ix.Slice(x.Range))
	}
	sort.Strings(out)
	return out
}

// TestSuggestionsInWindows: computed window by window, the suggestions of a
// long document are exactly what one annotate.Suggest of the whole text
// gives; an edit makes the moot ones disappear at once, before the list is
// computed again.
func TestSuggestionsInWindows(t *testing.T) {
	s := longSession(t, 40)
	if n := s.index().Len(annotate.CodePoints); n < 3*sugWindow {
		t.Fatalf("the long document has %d code points, fewer than three windows", n)
	}
	driscoll := find(t, s, "Dan Driscoll", 3)
	now := time.Now().UTC()
	if err := s.apply(annotate.Add(annotate.Annotation{ID: "p1", Label: "person", Start: driscoll.Start, End: driscoll.End, Created: now, Modified: now})); err != nil {
		t.Fatal(err)
	}
	g := &s.tools.sug
	g.on = true
	steps := 0
	for s.sugStep() {
		steps++
		if steps > 1000 {
			t.Fatal("the computation does not end")
		}
	}
	if steps < 2 {
		t.Errorf("computed in %d steps; a long document takes several", steps+1)
	}
	whole := annotate.Suggest(s.state, annotate.SuggestOptions{Gazetteer: annotate.Gazetteer(s.state)})
	got, want := sugSummary(s.index(), g.list), sugSummary(s.index(), whole)
	if !slices.Equal(got, want) {
		t.Fatalf("windowed: %d suggestions, whole: %d", len(got), len(want))
	}
	last := s.doc().Blocks[len(s.doc().Blocks)-1]
	if !slices.ContainsFunc(g.list, func(x annotate.Suggestion) bool {
		return x.Range.Start >= last.Start && s.index().Slice(x.Range) == "Kovalenko"
	}) {
		t.Error("the last window does not propose Kovalenko, found after a title in the first")
	}
	if s.sugStale() {
		t.Fatal("stale right after computing")
	}
	// Tag one suggestion: it is no longer drawn, before any recomputation.
	x := g.list[len(g.list)/2]
	if err := s.apply(annotate.Add(annotate.Annotation{ID: "x1", Label: x.Label, Start: x.Range.Start, End: x.Range.End, Created: now, Modified: now})); err != nil {
		t.Fatal(err)
	}
	if !s.sugStale() {
		t.Fatal("not stale after an edit")
	}
	r := annotate.Range{Start: x.Range.Start, End: x.Range.End}
	for _, d := range s.sugDecos(annotate.Range{Start: r.Start - 10, End: r.End + 10}, s.state.Overlapping(r)) {
		if d.Sug.Range == x.Range && d.Sug.Label == x.Label {
			t.Fatalf("the tagged suggestion %v is still drawn", x)
		}
	}
	if _, ok := s.sugFind(sugKey(x)); ok {
		t.Error("the tagged suggestion can still be accepted")
	}
}

func BenchmarkSuggestWindowLong(b *testing.B) {
	s := longSession(b, 200) // ~1 MB
	s.tools.sug.on = true
	b.ResetTimer()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		s.tools.sug.rev = -1
		for {
			t0 := time.Now()
			more := s.sugStep()
			worst = max(worst, time.Since(t0))
			if !more {
				break
			}
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-step-ms")
	b.ReportMetric(float64(len(s.tools.sug.list)), "suggestions")
}

func BenchmarkFindSeed(b *testing.B) {
	doc, err := seedDocument()
	if err != nil {
		b.Fatal(err)
	}
	s := newSession(doc)
	s.tools.find.open = true
	for i := 0; i < b.N; i++ {
		s.tools.find.finder = nil // a new document or new options
		s.tools.find.query = "Kyiv"
		s.findSearch()
	}
}

// TestDecorationsSparePlaceholders: in a long document rendered near the
// view only, a search redraws the rendered chunks with hits and the chunk
// of the current hit, not the placeholders of every other hit.
func TestDecorationsSparePlaceholders(t *testing.T) {
	s := longSession(t, 40)
	for c := range s.chunkVer { // a first render
		s.isLive(c, s.chunkVer[c])
	}
	live := slices.Clone(s.win.live)
	if !slices.Contains(live, false) || !slices.Contains(live, true) {
		t.Fatalf("live chunks %v: want some of each", live)
	}
	before := slices.Clone(s.chunkVer)
	f := &s.tools.find
	f.open, f.query = true, "Kyiv"
	s.findSearch()
	cur, _ := s.findCurrent()
	curChunk := sort.Search(len(s.doc().Blocks), func(i int) bool { return s.doc().Blocks[i].End > cur.Start }) / chunkSize
	changed := 0
	for c := range s.chunkVer {
		if s.chunkVer[c] == before[c] {
			continue
		}
		changed++
		if !live[c] && c != curChunk {
			t.Errorf("placeholder chunk %d was marked for the search", c)
		}
	}
	if changed == 0 {
		t.Error("no chunk was redrawn for the hits")
	}
}
