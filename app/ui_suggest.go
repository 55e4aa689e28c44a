package main

// Suggestions: spans annotate.Suggest proposes (figures, persons after
// titles, names already tagged in the document), drawn as dashed outlines
// over the text. They are not annotations: nothing of them is in the state,
// the history or an export until the user accepts one, which is an Add edit
// through the session like any tag.
//
// They are computed once per revision, on demand (when shown), in windows
// of blocks so that a long document never blocks the page for long: a
// window is computed per update, and until a new list is complete the old
// one is drawn without the suggestions an edit has made moot.

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// sugWindow is about how many code points one step of the computation
// covers.
const sugWindow = 16 << 10

type sugState struct {
	on bool
	// list is the complete list for (gen, rev); rev < 0: none yet.
	gen, rev int
	list     []annotate.Suggestion
	// rejected holds the keys of suggestions the user rejected in this
	// document.
	rejected map[string]bool
	job      *sugJob
	// cur is the key of the current suggestion (N steps, Enter accepts,
	// x rejects), "" when none. Suggestions are not focusable: thousands
	// of focusable elements make Chromium's text selection crawl.
	cur string
	// took is how long the last complete computation took (all windows).
	took time.Duration
	// names are the document's TitledNames, collected for namesGen.
	names    []string
	namesGen int
	// corpus is the gazetteer of the other documents in the library (their
	// stored summaries' names), read when suggestions are turned on.
	corpus map[string][]string
}

// sugJob is a computation in progress.
type sugJob struct {
	gen, rev int
	gaz      map[string][]string
	next     int // the next block
	// namesNext is the next block whose titled names are to be collected.
	namesNext int
	acc       []annotate.Suggestion
	took      time.Duration
}

func (g *sugState) reset() {
	g.list, g.job, g.rejected, g.rev, g.cur = nil, nil, nil, -1, ""
	g.names, g.namesGen = nil, -1
}

// sugKey identifies a suggestion across recomputations.
func sugKey(x annotate.Suggestion) string {
	return strconv.Itoa(x.Range.Start) + "-" + strconv.Itoa(x.Range.End) + "-" + x.Label
}

// sugStale reports whether the list must be computed (again).
func (s *session) sugStale() bool {
	g := &s.tools.sug
	return g.on && (g.rev < 0 || g.gen != s.gen || g.rev != s.state.Revision)
}

// sugStep advances the computation by one window (all of it when the
// document is short) and reports whether more remains.
func (s *session) sugStep() bool {
	g := &s.tools.sug
	if !s.sugStale() {
		g.job = nil
		return false
	}
	if g.job == nil || g.job.gen != s.gen || g.job.rev != s.state.Revision {
		g.job = &sugJob{gen: s.gen, rev: s.state.Revision}
	}
	j := g.job
	if j.gaz == nil {
		j.gaz = annotate.Gazetteer(s.state)
		for label, names := range g.corpus {
			j.gaz[label] = append(j.gaz[label], names...)
		}
	}
	blocks := s.doc().Blocks
	if len(blocks) == 0 {
		s.sugFinish(nil)
		g.job = nil
		return false
	}
	t0 := time.Now()
	// window returns the blocks [from, to) of the window starting at block
	// from, as a range (zero: the whole text).
	window := func(from int) (to int, within annotate.Range) {
		first := blocks[from]
		to = from
		for to < len(blocks) && blocks[to].End-first.Start <= sugWindow {
			to++
		}
		to = max(to, from+1)
		if from == 0 && to == len(blocks) {
			return to, annotate.Range{}
		}
		return to, annotate.Range{Start: first.Start, End: blocks[to-1].End}
	}
	if g.namesGen != s.gen && j.namesNext == 0 {
		if _, within := window(0); within == (annotate.Range{}) {
			g.names, g.namesGen = nil, s.gen // one window: Suggest finds them itself
		}
	}
	if g.namesGen != s.gen {
		// First, once per document, the names found after titles, which
		// every window looks for (they depend on the text alone).
		if j.namesNext == 0 {
			g.names = nil
		}
		if j.namesNext < len(blocks) {
			k, within := window(j.namesNext)
			g.names = append(g.names, annotate.TitledNames(s.state, annotate.SuggestOptions{Within: within})...)
			j.namesNext = k
		}
		if j.namesNext >= len(blocks) {
			g.namesGen = s.gen
		}
		j.took += time.Since(t0)
		return true
	}
	if j.next < len(blocks) {
		k, within := window(j.next)
		part := annotate.Suggest(s.state, annotate.SuggestOptions{Gazetteer: j.gaz, Within: within, Names: g.names})
		for _, x := range part {
			// A window's blocks only: a suggestion belongs to the window
			// where it starts.
			if within.Len() == 0 || (x.Range.Start >= within.Start && x.Range.Start < within.End) {
				j.acc = append(j.acc, x)
			}
		}
		j.next = k
	}
	j.took += time.Since(t0)
	if j.next < len(blocks) {
		return true
	}
	s.sugFinish(j.acc)
	g.took = j.took
	g.job = nil
	return false
}

// sugFinish installs a new list and redraws the blocks where the list
// changed.
func (s *session) sugFinish(list []annotate.Suggestion) {
	g := &s.tools.sug
	sort.SliceStable(list, func(a, b int) bool { return list[a].Range.Start < list[b].Range.Start })
	old := map[string]annotate.Range{}
	for _, x := range g.list {
		old[sugKey(x)] = x.Range
	}
	var changed []annotate.Range
	for _, x := range list {
		k := sugKey(x)
		if _, ok := old[k]; ok {
			delete(old, k)
			continue
		}
		changed = append(changed, x.Range)
	}
	for _, r := range old {
		changed = append(changed, r)
	}
	g.list, g.gen, g.rev = list, s.gen, s.state.Revision
	s.redrawDecos(changed...)
}

// sugMoot reports whether x no longer applies: rejected, or an annotation
// with its label overlaps it, or one has exactly its range.
func (s *session) sugMoot(x annotate.Suggestion, anns []annotate.Annotation) bool {
	if s.tools.sug.rejected[sugKey(x)] {
		return true
	}
	for _, a := range anns {
		if a.Start < x.Range.End && x.Range.Start < a.End &&
			(a.Label == x.Label || (a.Start == x.Range.Start && a.End == x.Range.End)) {
			return true
		}
	}
	return false
}

// sugDecos are the decorations of the suggestions in block r.
func (s *session) sugDecos(r annotate.Range, anns []annotate.Annotation) decos {
	g := &s.tools.sug
	if !g.on || g.gen != s.gen {
		return nil
	}
	list := g.list
	i := sort.Search(len(list), func(i int) bool { return list[i].Range.Start >= r.Start })
	var d decos
	for ; i < len(list) && list[i].Range.Start < r.End; i++ {
		if !s.sugMoot(list[i], anns) {
			d = append(d, deco{R: list[i].Range, Kind: decoSug, Sug: list[i], Cur: g.cur != "" && sugKey(list[i]) == g.cur})
		}
	}
	return d
}

// sugVisible lists the suggestions that apply now, in text order.
func (s *session) sugVisible() []annotate.Suggestion {
	g := &s.tools.sug
	if !g.on || g.gen != s.gen {
		return nil
	}
	var out []annotate.Suggestion
	for _, x := range g.list {
		if !s.sugMoot(x, s.state.Overlapping(x.Range)) {
			out = append(out, x)
		}
	}
	return out
}

// sugFind returns the suggestion with key k if it still applies.
func (s *session) sugFind(k string) (annotate.Suggestion, bool) {
	for _, x := range s.tools.sug.list {
		if sugKey(x) == k {
			if s.sugMoot(x, s.state.Overlapping(x.Range)) {
				break
			}
			return x, true
		}
	}
	return annotate.Suggestion{}, false
}

// renderSugPiece draws one piece of a suggestion's text; cur: the
// suggestion is the current one.
func renderSugPiece(ix *annotate.Index, x annotate.Suggestion, p annotate.Range, classes []string, text string, cur bool) app.UI {
	classes = append(classes, "sug", labelClass(x.Label))
	first := p.Start == x.Range.Start
	if first {
		classes = append(classes, "sug-start")
	} else {
		classes = append(classes, "cont")
	}
	if cur {
		classes = append(classes, "sug-cur")
	}
	if p.End < x.Range.End {
		classes = append(classes, "open-end")
	}
	el := app.Span().Class(classes...).
		DataSet("sug", sugKey(x)).
		DataSet("s", x.Range.Start).
		DataSet("label", x.Label).
		Text(text)
	if first {
		el = el.Title(fmt.Sprintf("Suggested %s: %s (click accepts; N selects, then Enter accepts, x rejects)", x.Label, ix.Slice(x.Range)))
	}
	return el
}

// syncSuggestions runs at each render of the shell: when suggestions are
// shown and stale, it computes one window and asks for another update
// while more remains.
func (sh *Shell) syncSuggestions() {
	s := sh.s
	if !s.sugStale() {
		return
	}
	g := &s.tools.sug
	long := len(s.doc().Blocks) > 0 && s.doc().Blocks[len(s.doc().Blocks)-1].End > sugWindow
	if long && sh.mounted && g.job == nil && g.gen == s.gen && g.rev >= 0 {
		// An edit in a long document: this update draws it (the old list,
		// without what it made moot); the new list follows, a window per
		// update, once the edit is on screen.
		g.job = &sugJob{gen: s.gen, rev: s.state.Revision}
		sh.ctx.After(sugDelay, func(app.Context) {})
		return
	}
	if s.sugStep() && sh.mounted {
		sh.ctx.After(time.Millisecond, func(app.Context) {})
	}
}

// sugDelay is how long after an edit in a long document the suggestions
// start to be computed again.
const sugDelay = 120 * time.Millisecond

// toggleSuggestions shows or hides suggestions.
func (sh *Shell) toggleSuggestions(ctx app.Context) {
	s := sh.s
	g := &s.tools.sug
	g.on = !g.on
	if !g.on {
		var rs []annotate.Range
		for _, x := range g.list {
			rs = append(rs, x.Range)
		}
		s.redrawDecos(rs...)
		g.list, g.job, g.rev, g.cur = nil, nil, -1, ""
		s.message = "Suggestions hidden."
		return
	}
	sh.syncSuggestions()
	sh.loadCorpusNames()
	if g.job == nil {
		n := len(s.sugVisible())
		s.message = fmt.Sprintf("%d suggestions (dashed outlines) in %v. N and Shift+N step through them, Enter or a click accepts, x rejects.", n, g.took.Round(time.Millisecond))
	} else {
		s.message = "Computing suggestions…"
	}
}

// acceptSuggestion tags the suggestion with key k ("": the current one).
// From the keyboard the next suggestion becomes the current one; a click
// selects the new span.
func (sh *Shell) acceptSuggestion(ctx app.Context, k string, next bool) error {
	s := sh.s
	if k == "" {
		k = s.tools.sug.cur
	}
	x, ok := s.sugFind(k)
	if !ok {
		return nil
	}
	nextKey := s.sugNeighbour(x, 1)
	l := s.label(x.Label)
	now := s.now().UTC()
	a := annotate.Annotation{ID: annotate.NewID(), Label: x.Label, Start: x.Range.Start, End: x.Range.End, Created: now, Modified: now}
	if err := s.apply(annotate.Add(a)); err != nil {
		return fmt.Errorf("cannot accept the suggestion %s as %s: %w", s.quote(x.Range), l.Name, err)
	}
	s.message = fmt.Sprintf("Accepted %s as %s.", s.quote(x.Range), l.Name)
	if next {
		sh.setCurrentSug(ctx, nextKey, true)
		return nil
	}
	s.pending = annotate.Range{}
	s.selectSpan(a.ID)
	sh.focusSelected(ctx, false)
	return nil
}

// rejectSuggestion hides the suggestion with key k ("": the current one)
// for this document; the next one becomes the current one.
func (sh *Shell) rejectSuggestion(ctx app.Context, k string) {
	s := sh.s
	if k == "" {
		k = s.tools.sug.cur
	}
	x, ok := s.sugFind(k)
	if !ok {
		return
	}
	nextKey := s.sugNeighbour(x, 1)
	g := &s.tools.sug
	if g.rejected == nil {
		g.rejected = map[string]bool{}
	}
	g.rejected[k] = true
	s.markRanges(x.Range)
	s.message = fmt.Sprintf("Rejected the suggestion %s (%s).", s.quote(x.Range), s.label(x.Label).Name)
	sh.setCurrentSug(ctx, nextKey, true)
}

// sugNeighbour is the key of the visible suggestion after (dir 1) or before
// (-1) x, "" when there is none.
func (s *session) sugNeighbour(x annotate.Suggestion, dir int) string {
	vis := s.sugVisible()
	k := sugKey(x)
	i := sort.Search(len(vis), func(i int) bool { return vis[i].Range.Start >= x.Range.Start })
	for j := i; j < len(vis) && vis[j].Range.Start == x.Range.Start; j++ {
		if sugKey(vis[j]) == k {
			i = j
			break
		}
	}
	// i is x's place (or where it would be).
	if dir > 0 {
		for j := i; j < len(vis); j++ {
			if sugKey(vis[j]) != k && vis[j].Range.Start >= x.Range.Start {
				return sugKey(vis[j])
			}
		}
		return ""
	}
	for j := min(i, len(vis)) - 1; j >= 0; j-- {
		if sugKey(vis[j]) != k {
			return sugKey(vis[j])
		}
	}
	return ""
}

// stepSuggestion makes the next (dir 1) or previous (-1) suggestion the
// current one: after the current one, else after the selected span or the
// text selection, else from the start (or the end).
func (sh *Shell) stepSuggestion(ctx app.Context, dir int) {
	s := sh.s
	vis := s.sugVisible()
	if len(vis) == 0 {
		s.message = "No suggestions here."
		if !s.tools.sug.on {
			s.message = "Suggestions are hidden: press S to show them."
		}
		return
	}
	var next string
	if x, ok := s.sugFind(s.tools.sug.cur); ok {
		next = s.sugNeighbour(x, dir)
	} else {
		from := -1
		if a, ok := s.state.Annotation(s.selected); ok {
			from = a.Start
		} else if s.pending.Len() > 0 {
			from = s.pending.Start
		}
		if from >= 0 {
			next = s.sugNeighbour(annotate.Suggestion{Range: annotate.Range{Start: from, End: from}}, dir)
		}
	}
	if next == "" { // wrap around
		if dir > 0 {
			next = sugKey(vis[0])
		} else {
			next = sugKey(vis[len(vis)-1])
		}
	}
	sh.setCurrentSug(ctx, next, false)
}

// setCurrentSug makes the suggestion with key k current, shows it and says
// what it is (after an accept or a reject, keep says so first).
func (sh *Shell) setCurrentSug(ctx app.Context, k string, keep bool) {
	s := sh.s
	g := &s.tools.sug
	if old, ok := s.sugFind(g.cur); ok {
		s.markRanges(old.Range)
	}
	g.cur = ""
	x, ok := s.sugFind(k)
	if !ok {
		return
	}
	g.cur = k
	s.markRanges(x.Range)
	what := fmt.Sprintf("Suggested %s %s: Enter accepts, x rejects, N next.", s.label(x.Label).Name, s.quote(x.Range))
	if keep {
		s.message += " " + what
	} else {
		s.message = what
	}
	blk := sh.blockStartOf(x.Range.Start)
	ctx.Defer(func(app.Context) { glueShowSug(blk) })
}

// acceptAllSuggestions tags every suggestion with labelID as one edit.
func (sh *Shell) acceptAllSuggestions(ctx app.Context, labelID string) error {
	s := sh.s
	l := s.label(labelID)
	now := s.now().UTC()
	var edits []annotate.Edit
	for _, x := range s.sugVisible() {
		if x.Label != labelID {
			continue
		}
		edits = append(edits, annotate.Add(annotate.Annotation{
			ID: annotate.NewID(), Label: x.Label, Start: x.Range.Start, End: x.Range.End, Created: now, Modified: now,
		}))
	}
	if len(edits) == 0 {
		s.message = fmt.Sprintf("No %s suggestions to accept.", l.Name)
		return nil
	}
	if err := s.apply(annotate.Batch(edits...)); err != nil {
		return fmt.Errorf("cannot accept the %s suggestions: %w", l.Name, err)
	}
	s.message = fmt.Sprintf("Accepted %d %s suggestions. Ctrl+Z undoes them together.", len(edits), l.Name)
	return nil
}

// renderSuggestToggle is the toolbar's Suggestions button.
func (sh *Shell) renderSuggestToggle() app.UI {
	on := sh.s.tools.sug.on
	return app.Button().Type("button").Class("btn").ID("suggest-toggle").
		Aria("pressed", fmt.Sprint(on)).Aria("keyshortcuts", "S").
		Title("Show spans the rules suggest, as dashed outlines (S)").
		Text("Suggestions").
		OnClick(func(ctx app.Context, e app.Event) { sh.runTool(ctx, toolSugToggle, "") })
}

// renderSuggestBar is the line over the article while suggestions show:
// counts per label with "Accept all".
func (sh *Shell) renderSuggestBar() app.UI {
	s := sh.s
	g := &s.tools.sug
	if !g.on {
		return app.Div().Class("sugbar").Hidden(true)
	}
	if g.job != nil || g.gen != s.gen || g.rev < 0 {
		return app.Div().Class("sugbar").Role("status").Text("Computing suggestions…")
	}
	by := map[string]int{}
	vis := s.sugVisible()
	for _, x := range vis {
		by[x.Label]++
	}
	kids := []app.UI{app.Span().Class("sugbar-total").Role("status").Text(fmt.Sprintf("%d suggestions", len(vis)))}
	for _, l := range s.schema().Labels {
		n := by[l.ID]
		if n == 0 {
			continue
		}
		id := l.ID
		kids = append(kids, app.Span().Class("sugbar-label", labelClass(l.ID)).Body(
			app.Span().Class("swatch").Aria("hidden", "true"),
			app.Text(fmt.Sprintf("%s %d", l.Name, n)),
			app.Button().Type("button").Class("btn btn-quiet sug-accept-all").DataSet("label", l.ID).
				Aria("label", fmt.Sprintf("Accept all %d %s suggestions", n, l.Name)).
				Text("Accept all").
				OnClick(func(ctx app.Context, e app.Event) { sh.report(sh.acceptAllSuggestions(ctx, id)) }, app.EventScope(id)),
		))
	}
	kids = append(kids, app.Span().Class("sugbar-help").Text("N, Shift+N: next, previous · Enter or click: accept · x: reject"))
	return app.Div().Class("sugbar").Body(kids...)
}

// loadCorpusNames reads the names tagged in the library's other documents
// and, when they add any, computes the suggestions again with them.
func (sh *Shell) loadCorpusNames() {
	s := sh.s
	gen := s.gen
	sh.refreshLibrary(func() {
		g := &s.tools.sug
		if s.gen != gen || !g.on {
			return
		}
		corpus := corpusNames(sh.lib.rows, s.doc().ID)
		if len(corpus) == 0 && len(g.corpus) == 0 {
			return
		}
		g.corpus = corpus
		g.job, g.rev = nil, -1
		sh.syncSuggestions()
	})
}

// corpusNames merges the names of the summaries, leaving out the document
// with id open (its names come from its live state).
func corpusNames(rows []docSummary, open string) map[string][]string {
	var out map[string][]string
	for _, r := range rows {
		if r.ID == open {
			continue
		}
		for label, names := range r.Names {
			if out == nil {
				out = map[string][]string{}
			}
			out[label] = append(out[label], names...)
		}
	}
	return out
}
