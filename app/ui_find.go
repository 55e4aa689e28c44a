package main

// Find in the document, the decorations drawn over the article's text (find
// hits, label-all proposals, suggestions) and "label all occurrences" with
// its review dialog. All offsets come from annotate (Finder, Occurrences,
// ExcludeLabeled) on the document's own text; the DOM is never searched.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// findLimit is the most matches a search shows ("5000+ matches").
const findLimit = 5000

// tools is the state of find, the label-all review and suggestions.
type tools struct {
	find   findState
	review *reviewState
	sug    sugState
}

// findState is the find bar.
type findState struct {
	open      bool
	query     string
	matchCase bool
	wholeWord bool
	// label is the label "Label all" in the bar applies.
	label string

	finder    *annotate.Finder
	finderFor findKey

	hits    []annotate.Range
	cur     int // index in hits; -1 when there are none
	limited bool
	took    time.Duration // the last search
}

// findKey is what a Finder was built for: the document and the options.
type findKey struct {
	gen              int
	matchCase, whole bool
}

// toolsLoaded resets what belongs to the previous document: hits are
// searched again in the new one, the review and suggestions start over.
func (s *session) toolsLoaded() {
	t := &s.tools
	t.review = nil
	t.find.finder = nil
	t.find.hits, t.find.cur = nil, -1
	t.sug.reset()
	if t.find.open && t.find.query != "" {
		s.findSearch()
	}
}

// toolsChanged runs after every edit, undo and redo.
func (s *session) toolsChanged() {
	if r := s.tools.review; r != nil && r.gen == s.gen {
		// Proposals that an edit has labelled meanwhile are no longer
		// proposals.
		left := annotate.ExcludeLabeled(s.state, r.ranges(), r.label)
		if len(left) != len(r.items) {
			r.keep(left)
		}
	}
	// Suggestions follow the revision: see sugStale.
}

// finderFor returns the Finder for the current options (built once per
// document and options: it folds the whole text).
func (s *session) currentFinder(whole bool) *annotate.Finder {
	f := &s.tools.find
	key := findKey{gen: s.gen, matchCase: f.matchCase, whole: whole}
	if f.finder != nil && f.finderFor == key {
		return f.finder
	}
	fin := annotate.NewFinder(s.index(), annotate.FindOptions{
		CaseSensitive:    f.matchCase,
		IgnoreDiacritics: !f.matchCase,
		WholeWord:        whole,
		Limit:            findLimit + 1,
	})
	if whole == f.wholeWord {
		f.finder, f.finderFor = fin, key
	}
	return fin
}

// findSearch searches the query again and redraws the blocks whose hits
// changed. The current match stays the first one at or after the previous
// current match, so typing more letters does not jump around.
func (s *session) findSearch() {
	f := &s.tools.find
	old := f.hits
	anchor := 0
	if f.cur >= 0 && f.cur < len(old) {
		anchor = old[f.cur].Start
	}
	t0 := time.Now()
	var hits []annotate.Range
	if strings.TrimSpace(f.query) != "" {
		hits = s.currentFinder(f.wholeWord).Find(f.query)
	}
	f.took = time.Since(t0)
	f.limited = len(hits) > findLimit
	if f.limited {
		hits = hits[:findLimit]
	}
	f.hits = hits
	f.cur = -1
	if len(hits) > 0 {
		f.cur = sort.Search(len(hits), func(i int) bool { return hits[i].Start >= anchor }) % len(hits)
	}
	s.redrawDecos(append(slices.Clip(old), hits...)...)
	if f.cur >= 0 {
		s.markRanges(hits[f.cur]) // drawn now: it is scrolled to
	}
}

// findStep moves the current match by dir (wrapping around).
func (s *session) findStep(dir int) {
	f := &s.tools.find
	n := len(f.hits)
	if n == 0 {
		return
	}
	prev := f.hits[max(f.cur, 0)]
	f.cur = ((f.cur+dir)%n + n) % n
	s.markRanges(prev, f.hits[f.cur])
}

// findCount is what the bar says about the matches.
func (s *session) findCount() string {
	f := &s.tools.find
	switch {
	case strings.TrimSpace(f.query) == "":
		return ""
	case len(f.hits) == 0:
		return "No matches"
	case f.limited:
		return fmt.Sprintf("%d of %d+", f.cur+1, findLimit)
	default:
		return fmt.Sprintf("%d of %d", f.cur+1, len(f.hits))
	}
}

// findCurrent is the current match, if any.
func (s *session) findCurrent() (annotate.Range, bool) {
	f := &s.tools.find
	if !f.open || f.cur < 0 || f.cur >= len(f.hits) {
		return annotate.Range{}, false
	}
	return f.hits[f.cur], true
}

// findClose closes the bar and removes the hits from the article.
func (s *session) findClose() {
	f := &s.tools.find
	s.redrawDecos(f.hits...)
	f.open = false
	f.hits, f.cur = nil, -1
}

// ---------------------------------------------------------------------------
// Decorations
// ---------------------------------------------------------------------------

// redrawDecos redraws the blocks of decorations that appear or go in bulk
// (every hit of a search, every suggestion), in the chunks that are
// rendered: a chunk still a placeholder (ui_article.go) draws the current
// decorations when it comes near the view, and marking it would render it
// now. The current hit and the current review item are marked with
// markRanges, which renders their chunk.
func (s *session) redrawDecos(rs ...annotate.Range) {
	w := &s.win
	if w.gen != s.gen || len(w.live) != len(s.chunkVer) {
		s.markRanges(rs...)
		return
	}
	blocks := s.doc().Blocks
	s.version++
	for _, r := range rs {
		if r.Len() <= 0 {
			continue
		}
		i := sort.Search(len(blocks), func(i int) bool { return blocks[i].End > r.Start })
		for ; i < len(blocks) && blocks[i].Start < r.End; i++ {
			if c := i / chunkSize; w.live[c] {
				s.blockVer[i] = s.version
				s.chunkVer[c] = s.version
			}
		}
	}
}

// deco is a decoration over a range of one block's text.
type deco struct {
	R annotate.Range
	// Kind: decoFind (a find hit or a label-all proposal) or decoSug.
	Kind int
	Cur  bool
	// Sug is the suggestion (decoSug).
	Sug annotate.Suggestion
}

const (
	decoFind = iota + 1
	decoSug
)

// decos are the decorations of one block, by start.
type decos []deco

// blockDecos collects the decorations of block r, whose annotations are
// anns. Suggestions that an annotation has made moot since they were
// computed are left out.
func (s *session) blockDecos(r annotate.Range, anns []annotate.Annotation) decos {
	t := &s.tools
	var d decos
	hits, cur := t.find.hits, t.find.cur
	if !t.find.open {
		hits, cur = nil, -1
	}
	if rv := t.review; rv != nil && rv.gen == s.gen {
		hits, cur = rv.pendingRanges()
	}
	i := sort.Search(len(hits), func(i int) bool { return hits[i].End > r.Start })
	for ; i < len(hits) && hits[i].Start < r.End; i++ {
		d = append(d, deco{R: hits[i], Kind: decoFind, Cur: i == cur})
	}
	d = append(d, s.sugDecos(r, anns)...)
	if len(d) > 1 {
		slices.SortStableFunc(d, func(a, b deco) int { return a.R.Start - b.R.Start })
	}
	return d
}

// text renders the text of r (a run with no mark boundary inside) with the
// decorations over it: each piece between decoration boundaries is plain
// text or a span with the classes of what covers it.
func (d decos) text(ix *annotate.Index, r annotate.Range) []app.UI {
	var in decos
	for _, x := range d {
		if x.R.Start < r.End && x.R.End > r.Start {
			in = append(in, x)
		}
	}
	if len(in) == 0 {
		return []app.UI{app.Text(ix.Slice(r))}
	}
	cuts := []int{r.Start, r.End}
	for _, x := range in {
		cuts = append(cuts, max(x.R.Start, r.Start), min(x.R.End, r.End))
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	out := make([]app.UI, 0, len(cuts))
	for k := 0; k+1 < len(cuts); k++ {
		p := annotate.Range{Start: cuts[k], End: cuts[k+1]}
		var hit, cur bool
		var sug *deco
		for j := range in {
			x := &in[j]
			if x.R.Start > p.Start || x.R.End < p.End {
				continue
			}
			switch x.Kind {
			case decoFind:
				hit, cur = true, cur || x.Cur
			case decoSug:
				if x.Cur {
					sug = x
				}
				if sug == nil {
					sug = x
				}
			}
		}
		text := ix.Slice(p)
		if !hit && sug == nil {
			out = append(out, app.Text(text))
			continue
		}
		var classes []string
		if hit {
			classes = append(classes, "find-hit")
			if cur {
				classes = append(classes, "find-cur")
			}
		}
		if sug != nil {
			out = append(out, renderSugPiece(ix, sug.Sug, p, classes, text, sug.Cur))
			continue
		}
		out = append(out, app.Span().Class(classes...).Text(text))
	}
	return out
}

// ---------------------------------------------------------------------------
// Label all occurrences: the review
// ---------------------------------------------------------------------------

// reviewState is the list of proposed occurrences under review.
type reviewState struct {
	gen   int
	label string
	quote string // what is being labelled, for the title
	// fromFind: the review started from the find bar (focus returns there).
	fromFind bool
	items    []reviewItem
	cur      int
}

type reviewItem struct {
	R     annotate.Range
	State int // reviewPending, reviewAccepted, reviewRejected
}

// reviewWindow is how many items of the review list are drawn at a time.
const reviewWindow = 200

const (
	reviewPending = iota
	reviewAccepted
	reviewRejected
)

func (r *reviewState) ranges() []annotate.Range {
	out := make([]annotate.Range, len(r.items))
	for i, it := range r.items {
		out[i] = it.R
	}
	return out
}

// keep drops the items whose range is not in left.
func (r *reviewState) keep(left []annotate.Range) {
	curR := annotate.Range{}
	if r.cur < len(r.items) {
		curR = r.items[r.cur].R
	}
	var items []reviewItem
	for _, it := range r.items {
		if slices.Contains(left, it.R) {
			items = append(items, it)
		}
	}
	r.items = items
	r.cur = 0
	for i, it := range items {
		if it.R.Start <= curR.Start {
			r.cur = i
		}
	}
}

// pendingRanges are the ranges still proposed or accepted (drawn as hits),
// with the index of the current one.
func (r *reviewState) pendingRanges() ([]annotate.Range, int) {
	var out []annotate.Range
	cur := -1
	for i, it := range r.items {
		if it.State == reviewRejected {
			continue
		}
		if i == r.cur {
			cur = len(out)
		}
		out = append(out, it.R)
	}
	return out, cur
}

func (r *reviewState) count(state int) int {
	n := 0
	for _, it := range r.items {
		if it.State == state {
			n++
		}
	}
	return n
}

// startReview opens the review of ranges to label with labelID.
func (s *session) startReview(labelID, quote string, ranges []annotate.Range, fromFind bool) {
	l := s.label(labelID)
	if len(ranges) == 0 {
		s.message = fmt.Sprintf("No other occurrence of %s to label as %s.", quote, l.Name)
		return
	}
	rv := &reviewState{gen: s.gen, label: labelID, quote: quote, fromFind: fromFind}
	for _, r := range ranges {
		rv.items = append(rv.items, reviewItem{R: r})
	}
	s.tools.review = rv
	s.redrawDecos(ranges...)
	s.markRanges(ranges[0])
	s.message = fmt.Sprintf("%d other occurrences of %s to label as %s: Enter accepts, x rejects, a accepts all.", len(ranges), quote, l.Name)
}

// labelAllSelected proposes the other occurrences of the selected span.
func (s *session) labelAllSelected() {
	a, ok := s.state.Annotation(s.selected)
	if !ok {
		s.message = "Select a tagged span first (click it or Tab to it), then press A to label all its occurrences."
		return
	}
	s.startReview(a.Label, s.quote(a.Range()), annotate.Occurrences(s.state, a.Range(), a.Label), false)
}

// labelAllFound proposes the whole-word matches of the find query that are
// not labelled labelID yet.
func (s *session) labelAllFound(labelID string) {
	f := &s.tools.find
	l, ok := s.state.Schema.Label(labelID)
	if !ok {
		s.alert = fmt.Sprintf("Unknown label %q.", labelID)
		return
	}
	if strings.TrimSpace(f.query) == "" {
		s.message = "Type what to find first."
		return
	}
	var rs []annotate.Range
	ix := s.index()
	for _, m := range s.currentFinder(true).Find(f.query) {
		if l.Kind == annotate.KindEntity {
			snapped, err := ix.Snap(m, l.Kind, false)
			if err != nil {
				continue
			}
			m = snapped
		}
		if len(rs) == 0 || rs[len(rs)-1] != m {
			rs = append(rs, m)
		}
	}
	var out []annotate.Range
	for _, m := range annotate.ExcludeLabeled(s.state, rs, l.ID) {
		dup := false
		for _, a := range s.state.Overlapping(m) {
			if a.Start == m.Start && a.End == m.End && a.Label == l.ID {
				dup = true
			}
		}
		if !dup {
			out = append(out, m)
		}
	}
	s.startReview(l.ID, "“"+strings.TrimSpace(f.query)+"”", out, true)
}

// reviewMove moves the current item by dir (no wrap).
func (s *session) reviewMove(dir int) {
	rv := s.tools.review
	if rv == nil || len(rv.items) == 0 {
		return
	}
	old := rv.items[rv.cur].R
	rv.cur = min(max(rv.cur+dir, 0), len(rv.items)-1)
	s.markRanges(old, rv.items[rv.cur].R)
}

// reviewDecide accepts or rejects the current item and moves to the next
// undecided one; when none is left the accepted ones are applied.
func (s *session) reviewDecide(state int) error {
	rv := s.tools.review
	if rv == nil || len(rv.items) == 0 {
		return nil
	}
	it := &rv.items[rv.cur]
	it.State = state
	s.markRanges(it.R)
	for k := 1; k <= len(rv.items); k++ {
		j := (rv.cur + k) % len(rv.items)
		if rv.items[j].State == reviewPending {
			rv.cur = j
			s.markRanges(rv.items[j].R)
			return nil
		}
	}
	return s.reviewApply()
}

// reviewAcceptAll accepts every undecided item and applies.
func (s *session) reviewAcceptAll() error {
	rv := s.tools.review
	if rv == nil {
		return nil
	}
	for i := range rv.items {
		if rv.items[i].State == reviewPending {
			rv.items[i].State = reviewAccepted
		}
	}
	return s.reviewApply()
}

// reviewApply labels the accepted items with one Batch edit (one undo step)
// and closes the review.
func (s *session) reviewApply() error {
	rv := s.tools.review
	if rv == nil {
		return nil
	}
	l := s.label(rv.label)
	now := s.now().UTC()
	var edits []annotate.Edit
	for _, it := range rv.items {
		if it.State != reviewAccepted {
			continue
		}
		edits = append(edits, annotate.Add(annotate.Annotation{
			ID: annotate.NewID(), Label: rv.label, Start: it.R.Start, End: it.R.End, Created: now, Modified: now,
		}))
	}
	rejected := rv.count(reviewRejected)
	s.reviewClose()
	if len(edits) == 0 {
		s.message = fmt.Sprintf("Nothing labelled: no occurrence of %s was accepted.", rv.quote)
		return nil
	}
	if err := s.apply(annotate.Batch(edits...)); err != nil {
		return fmt.Errorf("cannot label the occurrences of %s as %s: %w", rv.quote, l.Name, err)
	}
	s.message = fmt.Sprintf("Labelled %d more occurrences of %s as %s (%d rejected). Ctrl+Z undoes them together.", len(edits), rv.quote, l.Name, rejected)
	return nil
}

// reviewClose closes the review without applying anything.
func (s *session) reviewClose() {
	rv := s.tools.review
	if rv == nil {
		return
	}
	s.tools.review = nil
	s.redrawDecos(rv.ranges()...)
}

// context returns the text around r in its block: up to n code points on
// either side, whitespace collapsed.
func (s *session) context(r annotate.Range, n int) (before, match, after string) {
	ix := s.index()
	blocks := s.doc().Blocks
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i].End > r.Start })
	lo, hi := r.Start-n, r.End+n
	if i < len(blocks) {
		lo, hi = max(lo, blocks[i].Start), min(hi, blocks[i].End)
	}
	norm := func(t string) string { return strings.Join(strings.Fields(t), " ") }
	before = norm(ix.Slice(annotate.Range{Start: max(lo, 0), End: r.Start}))
	after = norm(ix.Slice(annotate.Range{Start: r.End, End: hi}))
	if lo > 0 && (i >= len(blocks) || lo > blocks[i].Start) {
		before = "…" + before
	}
	if i < len(blocks) && hi < blocks[i].End {
		after += "…"
	}
	if before != "" && ix.Slice(annotate.Range{Start: r.Start - 1, End: r.Start}) == " " {
		before += " "
	}
	if after != "" && ix.Slice(annotate.Range{Start: r.End, End: r.End + 1}) == " " {
		after = " " + after
	}
	return before, norm(ix.Slice(r)), after
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

// toolKeyInput is a keydown as the tools' key handler sees it.
type toolKeyInput struct {
	Key, Code              string
	Ctrl, Meta, Shift, Alt bool
	// Where the focus is: "find" (the find field), "review" (the review
	// list), "dialog" (elsewhere in the review dialog), "edit" (another
	// text field), "control" (another button or control) or "" (the
	// article or the page).
	Where        string
	SpanSelected bool
	SugOn        bool
	// SugCur: there is a current suggestion (Enter accepts, x rejects).
	SugCur bool
}

type toolCmd int

const (
	toolNone toolCmd = iota
	toolFindOpen
	toolFindNext
	toolFindPrev
	toolFindClose
	toolLabelAll
	toolReviewNext
	toolReviewPrev
	toolReviewAccept
	toolReviewReject
	toolReviewAcceptAll
	toolReviewApply
	toolReviewCancel
	toolSugToggle
	toolSugAccept
	toolSugReject
	toolSugNext
	toolSugPrev
)

// toolKey maps a key to a tools command. The keys: Ctrl/Cmd+F opens the
// find bar (pressed again in it, the browser's own find opens); in it Enter
// and F3 go to the next match, Shift+Enter and Shift+F3 to the previous,
// Escape closes it; A proposes the other occurrences of the selected span;
// in the review ↓/↑ (or j/k) move, Enter accepts, x rejects, a accepts the
// rest, Ctrl+Enter applies what is accepted, Escape cancels; S shows or
// hides suggestions, N and Shift+N make the next and previous one current,
// and Enter accepts the current one and x rejects it.
func toolKey(in toolKeyInput) toolCmd {
	mod := in.Ctrl || in.Meta
	key := in.Key
	if len(key) == 1 {
		key = strings.ToLower(key)
	}
	letter := strings.ToLower(strings.TrimPrefix(in.Code, "Key"))
	if mod && !in.Alt && !in.Shift && (key == "f" || letter == "f") {
		if in.Where == "find" {
			return toolNone // the second Ctrl+F is the browser's
		}
		return toolFindOpen
	}
	if in.Key == "F3" && !mod && !in.Alt {
		if in.Shift {
			return toolFindPrev
		}
		return toolFindNext
	}
	switch in.Where {
	case "find":
		switch {
		case in.Key == "Enter" && !mod && !in.Alt:
			if in.Shift {
				return toolFindPrev
			}
			return toolFindNext
		case in.Key == "Escape":
			return toolFindClose
		}
		return toolNone
	case "review":
		if in.Alt {
			return toolNone
		}
		switch {
		case in.Key == "Enter" && mod:
			return toolReviewApply
		case mod:
			return toolNone
		case in.Key == "ArrowDown" || key == "j":
			return toolReviewNext
		case in.Key == "ArrowUp" || key == "k":
			return toolReviewPrev
		case in.Key == "Enter":
			return toolReviewAccept
		case key == "x" || in.Key == "Delete" || in.Key == "Backspace":
			return toolReviewReject
		case key == "a":
			return toolReviewAcceptAll
		case in.Key == "Escape":
			return toolReviewCancel
		}
		return toolNone
	case "dialog":
		if in.Key == "Escape" {
			return toolReviewCancel
		}
		return toolNone
	case "edit":
		return toolNone
	}
	if mod || in.Alt {
		return toolNone
	}
	if in.SugCur && in.SugOn && in.Where == "" {
		switch {
		case in.Key == "Enter" && !in.Shift:
			return toolSugAccept
		case key == "x" || letter == "x":
			return toolSugReject
		}
	}
	switch {
	case (key == "a" || letter == "a") && in.SpanSelected && !in.Shift:
		return toolLabelAll
	case (key == "s" || letter == "s") && !in.Shift:
		return toolSugToggle
	case (key == "n" || letter == "n") && in.SugOn:
		if in.Shift {
			return toolSugPrev
		}
		return toolSugNext
	}
	return toolNone
}

// ---------------------------------------------------------------------------
// The shell: commands and rendering
// ---------------------------------------------------------------------------

// runTool executes a tools command; sugKey is the suggestion the key was
// pressed on (toolSugAccept, toolSugReject).
func (sh *Shell) runTool(ctx app.Context, c toolCmd, sugKey string) {
	ctx = sh.uictx(ctx)
	s := sh.s
	var err error
	switch c {
	case toolFindOpen:
		sh.findOpen(ctx)
		return
	case toolFindNext, toolFindPrev:
		f := &s.tools.find
		if !f.open || f.query == "" {
			sh.findOpen(ctx)
			return
		}
		if c == toolFindNext {
			s.findStep(1)
		} else {
			s.findStep(-1)
		}
		sh.showFindCurrent(ctx)
	case toolFindClose:
		cur, ok := s.findCurrent()
		s.findClose()
		if ok {
			a, okA := s.caretPoint(cur.Start)
			b, okB := s.caretPoint(cur.End)
			if okA && okB {
				ctx.Defer(func(app.Context) { glueSelectRange(a, b) })
				break
			}
		}
		ctx.Defer(func(app.Context) { glueFocusID("article") })
	case toolLabelAll:
		s.labelAllSelected()
		sh.afterReviewStart(ctx)
	case toolReviewNext, toolReviewPrev:
		if c == toolReviewNext {
			s.reviewMove(1)
		} else {
			s.reviewMove(-1)
		}
		sh.showReviewCurrent(ctx)
	case toolReviewAccept, toolReviewReject:
		state := reviewAccepted
		if c == toolReviewReject {
			state = reviewRejected
		}
		rv := s.tools.review
		err = s.reviewDecide(state)
		sh.afterReviewStep(ctx, rv)
	case toolReviewAcceptAll:
		rv := s.tools.review
		err = s.reviewAcceptAll()
		sh.afterReviewStep(ctx, rv)
	case toolReviewApply:
		rv := s.tools.review
		err = s.reviewApply()
		sh.afterReviewStep(ctx, rv)
	case toolReviewCancel:
		rv := s.tools.review
		s.reviewClose()
		s.message = "Label all cancelled; nothing changed."
		sh.afterReviewStep(ctx, rv)
	case toolSugToggle:
		sh.toggleSuggestions(ctx)
	case toolSugAccept:
		err = sh.acceptSuggestion(ctx, sugKey, true)
	case toolSugReject:
		sh.rejectSuggestion(ctx, sugKey)
	case toolSugNext, toolSugPrev:
		dir := 1
		if c == toolSugPrev {
			dir = -1
		}
		sh.stepSuggestion(ctx, dir)
	default:
		ctx.PreventUpdate()
		return
	}
	sh.report(err)
}

// findOpen opens the find bar (or selects its text when open) and focuses
// its field; a text selection in the article of one line becomes the query.
func (sh *Shell) findOpen(ctx app.Context) {
	ctx = sh.uictx(ctx)
	s := sh.s
	f := &s.tools.find
	if !f.open {
		f.open = true
		if q := s.index().Slice(s.pending); s.pending.Len() > 0 && !strings.ContainsAny(q, "\n") && len([]rune(q)) <= 200 {
			f.query = q
		}
		if f.label == "" {
			if ls := s.schema().Labels; len(ls) > 0 {
				f.label = ls[0].ID
			}
		}
		if f.query != "" {
			s.findSearch()
			sh.showFindCurrent(ctx)
		}
	}
	ctx.Defer(func(app.Context) { glueFocusFind() })
}

// showFindCurrent scrolls the current match into view after rendering.
func (sh *Shell) showFindCurrent(ctx app.Context) {
	if r, ok := sh.s.findCurrent(); ok {
		blk := sh.blockStartOf(r.Start)
		ctx.Defer(func(app.Context) { glueShowHit(blk) })
	}
}

// blockStartOf is the start of the block holding cp.
func (sh *Shell) blockStartOf(cp int) int {
	blocks := sh.s.doc().Blocks
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i].End > cp })
	if i == len(blocks) {
		return -1
	}
	return blocks[i].Start
}

func (sh *Shell) onFindInput(ctx app.Context, e app.Event) {
	s := sh.s
	s.tools.find.query = ctx.JSSrc().Get("value").String()
	s.findSearch()
	sh.showFindCurrent(ctx)
}

func (sh *Shell) afterReviewStart(ctx app.Context) {
	rv := sh.s.tools.review
	if rv == nil {
		return
	}
	sh.showReviewCurrent(ctx)
	ctx.Defer(func(app.Context) { glueFocusID("review-list") })
}

func (sh *Shell) showReviewCurrent(ctx app.Context) {
	rv := sh.s.tools.review
	if rv == nil || len(rv.items) == 0 {
		return
	}
	blk := sh.blockStartOf(rv.items[rv.cur].R.Start)
	item := fmt.Sprintf("review-item-%d", rv.cur)
	ctx.Defer(func(app.Context) {
		glueShowHit(blk)
		glueScrollNearest(item)
	})
}

// afterReviewStep keeps the focus in the review while it is open, and
// returns it where the review started from when it closes.
func (sh *Shell) afterReviewStep(ctx app.Context, rv *reviewState) {
	if sh.s.tools.review != nil {
		sh.showReviewCurrent(ctx)
		return
	}
	if rv != nil && rv.fromFind && sh.s.tools.find.open {
		ctx.Defer(func(app.Context) { glueFocusFind() })
		return
	}
	if sh.s.selected != "" {
		sh.focusSelected(ctx, false)
		return
	}
	ctx.Defer(func(app.Context) { glueFocusID("article") })
}

// renderFindBar draws the find bar above the article when it is open.
func (sh *Shell) renderFindBar() app.UI {
	s := sh.s
	f := &s.tools.find
	if !f.open {
		return app.Div().Class("findbar").Hidden(true)
	}
	var opts []app.UI
	for _, l := range s.schema().Labels {
		opts = append(opts, app.Option().Value(l.ID).Selected(l.ID == f.label).Text(l.Name))
	}
	count := s.findCount()
	return app.Div().Class("findbar").Role("search").Aria("label", "Find in the article").Body(
		app.Input().Type("search").ID("find-input").Class("find-input").
			Placeholder("Find in the article").
			Aria("label", "Find in the article").
			Aria("describedby", "find-count").
			Aria("keyshortcuts", "Enter Shift+Enter F3 Escape").
			AutoComplete(false).Spellcheck(false).
			Value(f.query).
			OnInput(sh.onFindInput),
		app.Span().ID("find-count").Class("find-count").Role("status").Text(count),
		app.Button().Type("button").Class("btn btn-quiet find-prev").Title("Previous match (Shift+Enter)").
			Aria("label", "Previous match").Text("↑").Disabled(len(f.hits) == 0).
			OnClick(func(ctx app.Context, e app.Event) { sh.runTool(ctx, toolFindPrev, "") }),
		app.Button().Type("button").Class("btn btn-quiet find-next").Title("Next match (Enter)").
			Aria("label", "Next match").Text("↓").Disabled(len(f.hits) == 0).
			OnClick(func(ctx app.Context, e app.Event) { sh.runTool(ctx, toolFindNext, "") }),
		app.Label().Class("find-opt").Body(
			app.Input().Type("checkbox").ID("find-case").Checked(f.matchCase).
				OnChange(func(ctx app.Context, e app.Event) {
					f.matchCase = ctx.JSSrc().Get("checked").Bool()
					s.findSearch()
					sh.showFindCurrent(ctx)
				}),
			app.Text("Match case"),
		),
		app.Label().Class("find-opt").Body(
			app.Input().Type("checkbox").ID("find-word").Checked(f.wholeWord).
				OnChange(func(ctx app.Context, e app.Event) {
					f.wholeWord = ctx.JSSrc().Get("checked").Bool()
					s.findSearch()
					sh.showFindCurrent(ctx)
				}),
			app.Text("Whole words"),
		),
		app.Span().Class("find-label").Body(
			app.Select().ID("find-label").Aria("label", "Label for Label all").
				OnChange(func(ctx app.Context, e app.Event) { f.label = ctx.JSSrc().Get("value").String() }).
				Body(opts...),
			app.Button().Type("button").Class("btn find-labelall").
				Title("Propose every whole-word match not yet labelled with this label, for review").
				Text("Label all…").Disabled(len(f.hits) == 0).
				OnClick(func(ctx app.Context, e app.Event) {
					ctx = sh.uictx(ctx)
					s.labelAllFound(f.label)
					sh.afterReviewStart(ctx)
				}),
		),
		app.Button().Type("button").Class("btn btn-quiet find-close").Title("Close (Escape)").
			Aria("label", "Close find").Text("×").
			OnClick(func(ctx app.Context, e app.Event) { sh.runTool(ctx, toolFindClose, "") }),
	)
}

// renderFindButton is the toolbar's Find button.
func (sh *Shell) renderFindButton() app.UI {
	return app.Button().Type("button").Class("btn").ID("find-open").
		Title("Find in the article (Ctrl+F)").Aria("keyshortcuts", "Control+F").
		Text("Find").OnClick(func(ctx app.Context, e app.Event) { sh.findOpen(ctx) })
}

// renderReview draws the label-all review dialog.
func (sh *Shell) renderReview() app.UI {
	s := sh.s
	rv := s.tools.review
	if rv == nil || rv.gen != s.gen {
		return app.Div().Class("review").Hidden(true)
	}
	l := s.label(rv.label)
	var lis []app.UI
	// A window of the list around the current item: thousands of
	// occurrences of a common word stay cheap to draw.
	lo := max(0, min(rv.cur-reviewWindow/2, len(rv.items)-reviewWindow))
	hi := min(len(rv.items), lo+reviewWindow)
	if lo > 0 {
		lis = append(lis, app.Li().Class("review-more").Aria("hidden", "true").Text(fmt.Sprintf("… %d before", lo)))
	}
	for i := lo; i < hi; i++ {
		it := rv.items[i]
		before, match, after := s.context(it.R, 48)
		state, stateText := "pending", "to review"
		switch it.State {
		case reviewAccepted:
			state, stateText = "accepted", "accepted"
		case reviewRejected:
			state, stateText = "rejected", "rejected"
		}
		idx := i
		li := app.Li().ID(fmt.Sprintf("review-item-%d", i)).Role("option").
			Class("review-item", "review-"+state).
			DataSet("state", state).
			Aria("selected", fmt.Sprint(i == rv.cur)).
			Body(
				app.Span().Class("review-state").Text(stateText),
				app.Span().Class("review-ctx").Body(
					app.Text(before),
					app.Span().Class("review-match", labelClass(l.ID)).Text(match),
					app.Text(after),
				),
			).
			OnClick(func(ctx app.Context, e app.Event) {
				ctx = sh.uictx(ctx)
				old := rv.items[rv.cur].R
				rv.cur = idx
				s.markRanges(old, rv.items[idx].R)
				sh.showReviewCurrent(ctx)
				ctx.Defer(func(app.Context) { glueFocusID("review-list") })
			}, app.EventScope(idx, rv.items[idx].R.Start)) // go-app keeps an unscoped handler of the same code with its old captures
		if i == rv.cur {
			li = li.Class("cur")
		}
		lis = append(lis, li)
	}
	if hi < len(rv.items) {
		lis = append(lis, app.Li().Class("review-more").Aria("hidden", "true").Text(fmt.Sprintf("… %d more", len(rv.items)-hi)))
	}
	accepted, pending := rv.count(reviewAccepted), rv.count(reviewPending)
	btn := func(text, title string, c toolCmd) app.UI {
		return app.Button().Type("button").Class("btn").Title(title).Text(text).
			OnClick(func(ctx app.Context, e app.Event) { sh.runTool(ctx, c, "") })
	}
	return app.Div().ID("review").Class("review").Role("dialog").
		Aria("labelledby", "review-title").Aria("describedby", "review-help").Body(
		app.H2().ID("review-title").Class("review-title").Body(
			app.Text(fmt.Sprintf("Label all %s as ", rv.quote)),
			app.Span().Class("review-label", labelClass(l.ID)).Body(
				app.Span().Class("swatch").Aria("hidden", "true"),
				app.Text(l.Name),
			),
		),
		app.P().ID("review-help").Class("review-help").Text(
			"↑ ↓ move · Enter accepts · x rejects · a accepts all the rest · Ctrl+Enter applies · Escape cancels"),
		app.P().Class("review-count").Role("status").Text(fmt.Sprintf(
			"%d of %d accepted, %d to review", accepted, len(rv.items), pending)),
		app.Ul().ID("review-list").Class("review-list").Role("listbox").TabIndex(0).
			Aria("label", "Occurrences").
			Aria("activedescendant", fmt.Sprintf("review-item-%d", rv.cur)).
			Body(lis...),
		app.Div().Class("review-actions").Body(
			btn("Accept", "Accept the current occurrence (Enter)", toolReviewAccept),
			btn("Reject", "Reject the current occurrence (x)", toolReviewReject),
			btn("Accept all", "Accept every occurrence not yet rejected and apply (a)", toolReviewAcceptAll),
			app.Button().Type("button").Class("btn btn-primary").Title("Label the accepted occurrences (Ctrl+Enter)").
				Text(fmt.Sprintf("Apply %d", accepted)).
				OnClick(func(ctx app.Context, e app.Event) { sh.runTool(ctx, toolReviewApply, "") }),
			btn("Cancel", "Close without labelling (Escape)", toolReviewCancel),
		),
	)
}

// renderSpanTools is the side panel's line of actions on the selected span.
func (sh *Shell) renderSpanTools() app.UI {
	s := sh.s
	a, ok := s.state.Annotation(s.selected)
	if !ok {
		return app.Div().Class("span-tools").Hidden(true)
	}
	l := s.label(a.Label)
	return app.Div().Class("span-tools").Body(
		app.Span().Class("span-tools-what").Text(fmt.Sprintf("%s %s", l.Name, s.quote(a.Range()))),
		app.Button().Type("button").Class("btn").ID("label-all").
			Title("Propose every other whole-word occurrence for review (A)").Aria("keyshortcuts", "A").
			Text("Label all occurrences").
			OnClick(func(ctx app.Context, e app.Event) {
				sh.panelOpen = false
				sh.runTool(ctx, toolLabelAll, "")
			}),
	)
}

// uictx returns the shell's context once mounted: a function deferred on
// the context of an element that the update removes (a button of a dialog
// that closes) would never run.
func (sh *Shell) uictx(ctx app.Context) app.Context {
	if sh.mounted {
		return sh.ctx
	}
	return ctx
}

// syncTools runs at the top of each render of the shell.
func (sh *Shell) syncTools() {
	glueToolsNote(sh.s)
	sh.syncSuggestions()
}
