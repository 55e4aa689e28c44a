package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// chunkView renders blocks [First, Last). go-app re-renders it only when one
// of its exported fields changes: Ver changes when one of its blocks does.
//
// Long documents are rendered near the viewport only: a chunk that is not
// live is an empty placeholder of about its height (data-lazy), which the
// browser glue watches; when it comes within a screen or two of the
// viewport, the glue makes it live (session.touch). A chunk is live when it
// is near the start of the document, when the glue saw it, or when anything
// in it changed after the last full redraw or its release (an edit, the
// selection, a find hit, a suggestion): whatever the app scrolls to or
// focuses is therefore rendered first. A live chunk that the glue sees far
// from the viewport again is released (session.release): a placeholder once
// more, of the height it had, so that the page keeps as much DOM as a few
// screens need however much of the document was read.
type chunkView struct {
	app.Compo

	First, Last int
	Ver, Gen    int

	s *session // the shell's session; the same pointer for the app's life
}

// Windowing thresholds, in code points: documents up to eagerAll are
// rendered whole; longer ones render their chunks before eagerChars and the
// rest on demand.
const (
	eagerAll   = 24000
	eagerChars = 3000
)

// articleWindow is which chunks of the document are rendered.
type articleWindow struct {
	gen    int    // the session generation live belongs to
	live   []bool // by chunk
	allVer int    // the version of the last full redraw (session.markAll)
	// restVer is the version at which each chunk was last released (0:
	// never): a chunk whose version is still that one stays a placeholder.
	// restBox is the box it had then (its height and the margins of its
	// first and last blocks, which collapse with its neighbours' margins;
	// CSS pixels) and restW the window's width then: the placeholder takes
	// that box while the width is the same.
	restVer []int
	restBox []chunkBox
	restW   []int
	// drawnVer is the version each chunk was last rendered at: a chunk
	// changed since (by an update not rendered yet) is not released, as
	// the glue judged it by what it showed before.
	drawnVer []int
}

// isLive reports whether chunk c (with version ver) is to be rendered, and
// remembers it when it is.
func (s *session) isLive(c, ver int) bool {
	w := &s.win
	if w.gen != s.gen || len(w.live) != len(s.chunkVer) {
		w.gen = s.gen
		w.live = make([]bool, len(s.chunkVer))
		w.restVer = make([]int, len(s.chunkVer))
		w.restBox = make([]chunkBox, len(s.chunkVer))
		w.restW = make([]int, len(s.chunkVer))
		w.drawnVer = make([]int, len(s.chunkVer))
	}
	if c < 0 || c >= len(w.live) {
		return true
	}
	if w.live[c] {
		return true
	}
	live := s.eager(c) || ver != w.allVer && ver != w.restVer[c]
	w.live[c] = live
	return live
}

// eager reports whether chunk c is always rendered: the whole of a short
// document, the first screen of a long one.
func (s *session) eager(c int) bool {
	blocks := s.doc().Blocks
	return len(blocks) == 0 || s.index().Len(annotate.CodePoints) <= eagerAll ||
		c*chunkSize >= len(blocks) || blocks[c*chunkSize].Start < eagerChars
}

// touch makes the chunks cs live and redraws them (the glue saw them near
// the viewport).
func (s *session) touch(cs []int) {
	if s.win.gen != s.gen {
		return
	}
	s.version++
	for _, c := range cs {
		if c >= 0 && c < len(s.win.live) && !s.win.live[c] {
			s.win.live[c] = true
			s.chunkVer[c] = s.version
		}
	}
}

// release makes the live chunks cs placeholders again (the glue saw them
// far from the viewport, with their boxes at window width width), except
// those always rendered, those holding the selected span or the pending
// selection, and those changed since they were last rendered (a find step
// or a jump dispatched just before may be about to show them). It reports
// whether any chunk was released.
func (s *session) release(cs []int, boxes []chunkBox, width int) bool {
	w := &s.win
	if w.gen != s.gen || len(w.live) != len(s.chunkVer) {
		return false
	}
	keep := map[int]bool{}
	for _, r := range append(s.rangesOf([]string{s.selected}), s.pending) {
		if r.Len() > 0 {
			for c := s.chunkOf(r.Start); c <= s.chunkOf(max(r.Start, r.End-1)); c++ {
				keep[c] = true
			}
		}
	}
	released := false
	for i, c := range cs {
		if c < 0 || c >= len(w.live) || !w.live[c] || keep[c] || s.eager(c) || w.drawnVer[c] != s.chunkVer[c] {
			continue
		}
		if !released {
			s.version++
			released = true
		}
		w.live[c] = false
		s.chunkVer[c] = s.version
		w.restVer[c] = s.version
		w.restBox[c], w.restW[c] = boxes[i], width
	}
	return released
}

// chunkBox is the height of a rendered chunk and the top margin of its
// first block and bottom margin of its last (CSS pixels).
type chunkBox struct{ Height, MarginTop, MarginBottom float64 }

// String is the box as the placeholder's data-box attribute carries it.
func (b chunkBox) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	return f(b.Height) + " " + f(b.MarginTop) + " " + f(b.MarginBottom)
}

// chunkOf is the chunk holding code point cp.
func (s *session) chunkOf(cp int) int {
	blocks := s.doc().Blocks
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i].End > cp })
	return min(i, max(len(blocks)-1, 0)) / chunkSize
}

func (c *chunkView) OnMount(ctx app.Context) {
	idx := c.First / chunkSize
	ctx.Defer(func(app.Context) { glueWatchChunks(idx) })
}

func (c *chunkView) OnUpdate(ctx app.Context) {
	idx := c.First / chunkSize
	s := c.s
	ctx.Defer(func(app.Context) {
		w := &s.win
		if w.gen == s.gen && idx < len(w.live) && !w.live[idx] && w.restBox[idx].Height > 0 {
			// In this update's task, so that no frame shows it without
			// its height.
			glueSizeChunk(idx)
		}
		glueWatchChunks(idx)
	})
}

func (c *chunkView) Render() app.UI {
	s := c.s
	blocks := s.doc().Blocks
	idx := c.First / chunkSize
	last := min(c.Last, len(blocks))
	chars := 0
	if c.First < last {
		chars = blocks[last-1].End - blocks[c.First].Start
	}
	live := s.isLive(idx, c.Ver)
	if w := &s.win; w.gen == s.gen && idx < len(w.drawnVer) {
		w.drawnVer[idx] = c.Ver
	}
	if !live {
		// The glue gives it its height (the policy forbids style
		// attributes): the one it had when released, or an estimate.
		d := app.Div().Class("chunk chunk-lazy").DataSet("chunk", idx).DataSet("chars", chars).DataSet("lazy", "1")
		if w := &s.win; idx < len(w.restBox) && w.restBox[idx].Height > 0 {
			d = d.DataSet("box", w.restBox[idx].String()).DataSet("w", w.restW[idx])
		}
		return d
	}
	kids := make([]app.UI, 0, c.Last-c.First)
	for i := c.First; i < c.Last && i < len(blocks); i++ {
		b := blocks[i]
		kids = append(kids, &blockView{
			Idx:   i,
			Start: b.Start,
			End:   b.End,
			Kind:  string(b.Kind),
			Ver:   s.blockVer[i],
			Gen:   s.gen,
			s:     s,
		})
	}
	return app.Div().Class("chunk").DataSet("chunk", idx).DataSet("chars", chars).Body(kids...)
}

// blockView renders one block of the document (title, heading or paragraph)
// with its annotations as nested <mark> elements. Its fields are small and
// comparable so that an edit re-renders only the blocks it touches.
type blockView struct {
	app.Compo

	Idx        int
	Start, End int // code points
	Kind       string
	Ver, Gen   int

	s *session
}

func (b *blockView) Render() app.UI {
	s := b.s
	r := annotate.Range{Start: b.Start, End: b.End}
	anns := s.state.Overlapping(r)
	kids := renderSegs(s, segments(r, anns), s.blockDecos(r, anns))
	switch annotate.BlockKind(b.Kind) {
	case annotate.BlockTitle:
		return app.H1().Class("blk blk-title").DataSet("start", b.Start).DataSet("end", b.End).Body(kids...)
	case annotate.BlockHeading:
		return app.H2().Class("blk blk-heading").DataSet("start", b.Start).DataSet("end", b.End).Body(kids...)
	default:
		return app.P().Class("blk").DataSet("start", b.Start).DataSet("end", b.End).Body(kids...)
	}
}

// renderSegs turns segment nodes into text and <mark> elements; d are the
// block's decorations (find hits, suggestions: ui_find.go), drawn over text.
func renderSegs(s *session, nodes []*segNode, d decos) []app.UI {
	out := make([]app.UI, 0, len(nodes))
	ix := s.index()
	for _, n := range nodes {
		if n.Ann == nil {
			out = append(out, d.text(ix, n.Range)...)
			continue
		}
		out = append(out, renderMark(s, n, d))
	}
	return out
}

// renderMark draws one fragment of an annotation. The fragment where the
// annotation starts is in the tab order; the others are focusable by click.
// A <mark> may not carry aria-label (ARIA prohibits naming the mark role),
// so the label name is its accessible description and the title says
// "<Label>: <text>".
func renderMark(s *session, n *segNode, d decos) app.UI {
	a := n.Ann
	l := s.label(a.Label)
	classes := []string{"m", "m-" + string(l.Kind), labelClass(l.ID), fmt.Sprintf("h%d", min(n.Height, 3))}
	if a.ID == s.selected {
		classes = append(classes, "sel")
	}
	if !n.First {
		classes = append(classes, "cont")
	}
	if n.Range.End < a.End {
		classes = append(classes, "open-end")
	}
	tab := -1
	if n.First {
		tab = 0
	}
	text := strings.Join(strings.Fields(s.index().Slice(a.Range())), " ")
	m := app.Mark().Class(classes...).
		DataSet("id", a.ID).
		DataSet("label", l.ID).
		Attr("aria-description", l.Name). // also the badge's text (app.css)
		Title(l.Name + ": " + text).
		TabIndex(tab).
		Body(renderSegs(s, n.Kids, d)...)
	if a.ID == s.selected {
		m = m.Aria("current", "true")
	}
	return m
}
