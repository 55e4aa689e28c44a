package main

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"factmark/annotate"
)

// chunkSize is how many blocks one chunk component renders. The shell renders
// one component per chunk and each chunk one component per block, so an edit
// costs a diff of len(blocks)/chunkSize chunks plus chunkSize blocks instead
// of one of every block.
const chunkSize = 8

// session is the open document, its annotations and everything the view
// derives from them. It is plain Go (no DOM): the components read it and the
// browser glue turns events into calls of its methods. Annotation state only
// changes through apply, undo and redo, which go through annotate.History.
type session struct {
	state   *annotate.State
	history *annotate.History

	// gen changes whenever another document is loaded.
	gen int

	// selected is the id of the selected annotation, "" when none.
	selected string

	// pending is the text selection waiting for a label, in code points,
	// as the user made it (not yet snapped). Empty when there is none.
	pending annotate.Range
	// precise is true when the pending selection was made with Alt held.
	precise bool
	// pickerX and pickerY place the label picker, in CSS pixels relative
	// to the reader.
	pickerX, pickerY float64

	// message is the last thing that happened, for the status line and
	// screen readers. alert is an error the user must see (role=alert).
	message string
	alert   string

	// blockVer and chunkVer change whenever what a block (chunk) shows
	// changes; they are the comparable fields that make go-app re-render
	// only the blocks an edit touches.
	blockVer []int
	chunkVer []int
	version  int

	// undoIDs and redoIDs mirror the history's stacks with the annotation
	// ids each entry touches, so undo and redo know which blocks to redraw.
	undoIDs, redoIDs [][]string

	now func() time.Time

	// saver is autosave (autosave.go): told of every change, and asked
	// before each one whether this tab may edit. nil: no autosave.
	saver *autosaver

	// tools: find, label-all review and suggestions (ui_find.go,
	// ui_suggest.go), drawn over the text as decorations.
	tools tools

	// win is which chunks are rendered (ui_article.go).
	win articleWindow
}

// newSession opens doc with the default schema.
func newSession(doc *annotate.Document) *session {
	s := &session{now: time.Now}
	s.load(annotate.NewState(doc, annotate.DefaultSchema()))
	return s
}

// load replaces the document and its annotations with st, with a fresh undo
// history.
func (s *session) load(st *annotate.State) {
	s.state = st
	s.history = annotate.NewHistory(st)
	s.gen++
	s.selected = ""
	s.pending = annotate.Range{}
	s.undoIDs, s.redoIDs = nil, nil
	n := len(st.Doc.Blocks)
	s.blockVer = make([]int, n)
	s.chunkVer = make([]int, (n+chunkSize-1)/chunkSize)
	s.toolsLoaded()
	s.markAll()
	s.saver.changed()
}

func (s *session) doc() *annotate.Document { return s.state.Doc }
func (s *session) index() *annotate.Index  { return s.state.Doc.Index() }
func (s *session) schema() annotate.Schema { return s.state.Schema }

// label returns the label with id, or a neutral one for an unknown id.
func (s *session) label(id string) annotate.Label {
	if l, ok := s.state.Schema.Label(id); ok {
		return l
	}
	return annotate.Label{ID: id, Name: id, Color: "#888888", DarkColor: "#aaaaaa", Kind: annotate.KindEntity}
}

// markAll marks every block as changed.
func (s *session) markAll() {
	s.version++
	s.win.allVer = s.version
	for i := range s.blockVer {
		s.blockVer[i] = s.version
	}
	for i := range s.chunkVer {
		s.chunkVer[i] = s.version
	}
}

// markRanges marks the blocks overlapping any of rs as changed.
func (s *session) markRanges(rs ...annotate.Range) {
	blocks := s.doc().Blocks
	s.version++
	for _, r := range rs {
		if r.Len() <= 0 {
			continue
		}
		// First block whose end is after r.Start.
		i := sort.Search(len(blocks), func(i int) bool { return blocks[i].End > r.Start })
		for ; i < len(blocks) && blocks[i].Start < r.End; i++ {
			s.blockVer[i] = s.version
			s.chunkVer[i/chunkSize] = s.version
		}
	}
}

// rangesOf returns the current ranges of the annotations with the given ids.
func (s *session) rangesOf(ids []string) []annotate.Range {
	var rs []annotate.Range
	for _, id := range ids {
		if a, ok := s.state.Annotation(id); ok {
			rs = append(rs, a.Range())
		}
	}
	return rs
}

// editIDs lists the annotation ids an edit mentions.
func editIDs(e annotate.Edit) []string {
	var ids []string
	var walk func(annotate.Edit)
	walk = func(e annotate.Edit) {
		if e.ID != "" {
			ids = append(ids, e.ID)
		}
		if e.Annotation != nil && e.Annotation.ID != "" {
			ids = append(ids, e.Annotation.ID)
		}
		for _, c := range e.Edits {
			walk(c)
		}
	}
	walk(e)
	return ids
}

// apply runs e through the history: the only way the view changes
// annotations.
func (s *session) apply(e annotate.Edit) error {
	if err := s.saver.editable(); err != nil {
		return err
	}
	ids := editIDs(e)
	before := s.rangesOf(ids)
	if err := s.history.Do(e); err != nil {
		return err
	}
	s.markRanges(append(before, s.rangesOf(ids)...)...)
	s.undoIDs = append(s.undoIDs, ids)
	s.redoIDs = nil
	s.afterChange()
	return nil
}

// undo undoes the last edit. It reports whether there was one.
func (s *session) undo() (bool, error) {
	if err := s.saver.editable(); err != nil {
		return false, err
	}
	var ids []string
	if n := len(s.undoIDs); n > 0 {
		ids = s.undoIDs[n-1]
	}
	before := s.rangesOf(ids)
	ok, err := s.history.Undo()
	if err != nil || !ok {
		return ok, err
	}
	if n := len(s.undoIDs); n > 0 {
		s.undoIDs = s.undoIDs[:n-1]
		s.redoIDs = append(s.redoIDs, ids)
		s.markRanges(append(before, s.rangesOf(ids)...)...)
	} else {
		s.markAll()
	}
	s.afterChange()
	return true, nil
}

// redo redoes the last undone edit. It reports whether there was one.
func (s *session) redo() (bool, error) {
	if err := s.saver.editable(); err != nil {
		return false, err
	}
	var ids []string
	if n := len(s.redoIDs); n > 0 {
		ids = s.redoIDs[n-1]
	}
	before := s.rangesOf(ids)
	ok, err := s.history.Redo()
	if err != nil || !ok {
		return ok, err
	}
	if n := len(s.redoIDs); n > 0 {
		s.redoIDs = s.redoIDs[:n-1]
		s.undoIDs = append(s.undoIDs, ids)
		s.markRanges(append(before, s.rangesOf(ids)...)...)
	} else {
		s.markAll()
	}
	s.afterChange()
	return true, nil
}

// afterChange drops a selection whose annotation no longer exists.
func (s *session) afterChange() {
	s.saver.changed()
	s.toolsChanged()
	if s.selected != "" {
		if _, ok := s.state.Annotation(s.selected); !ok {
			s.selected = ""
		}
	}
}

// quote returns the text of r for messages, shortened when long.
func (s *session) quote(r annotate.Range) string {
	t := s.index().Slice(r)
	t = strings.Join(strings.Fields(t), " ")
	if rs := []rune(t); len(rs) > 60 {
		t = string(rs[:57]) + "…"
	}
	return "“" + t + "”"
}

// setPending records a text selection waiting for a label. An empty range
// clears it. A new text selection deselects the selected span.
func (s *session) setPending(r annotate.Range, precise bool, x, y float64) {
	if r.Len() <= 0 {
		s.pending = annotate.Range{}
		return
	}
	s.pending, s.precise, s.pickerX, s.pickerY = r, precise, x, y
	s.selectSpan("")
}

// preview is the text the pending selection becomes as an entity (what the
// picker shows), "" when it snaps to nothing.
func (s *session) preview() string {
	if s.pending.Len() <= 0 {
		return ""
	}
	r, err := s.index().Snap(s.pending, annotate.KindEntity, s.precise)
	if err != nil {
		return ""
	}
	return s.quote(r)
}

// selectSpan selects the annotation id ("" deselects).
func (s *session) selectSpan(id string) {
	if id == s.selected {
		return
	}
	if id != "" {
		if _, ok := s.state.Annotation(id); !ok {
			return
		}
	}
	s.markRanges(s.rangesOf([]string{s.selected, id})...)
	s.selected = id
	if id != "" {
		s.pending = annotate.Range{}
	}
}

// escape deselects the span and drops the pending selection.
func (s *session) escape() {
	s.selectSpan("")
	s.pending = annotate.Range{}
}

// tag applies the label with id labelID: to the pending selection when there
// is one (snapped with the core's rule, precise when asked or when the
// selection was made with Alt), else as a relabel of the selected span.
func (s *session) tag(labelID string, precise bool) error {
	l, ok := s.state.Schema.Label(labelID)
	if !ok {
		return fmt.Errorf("unknown label %q", labelID)
	}
	if s.pending.Len() <= 0 {
		if s.selected != "" {
			return s.relabel(labelID)
		}
		s.message = "Select some text first, then press a label key."
		return nil
	}
	r, err := s.index().Snap(s.pending, l.Kind, precise || s.precise)
	if err != nil {
		return fmt.Errorf("cannot tag this selection as %s: %w", l.Name, err)
	}
	for _, a := range s.state.Overlapping(r) {
		if a.Start == r.Start && a.End == r.End && a.Label == l.ID {
			s.pending = annotate.Range{}
			s.selectSpan(a.ID)
			s.message = fmt.Sprintf("%s is already tagged %s.", s.quote(r), l.Name)
			return nil
		}
	}
	now := s.now().UTC()
	a := annotate.Annotation{ID: annotate.NewID(), Label: l.ID, Start: r.Start, End: r.End, Created: now, Modified: now}
	if err := s.apply(annotate.Add(a)); err != nil {
		return fmt.Errorf("cannot tag %s as %s: %w", s.quote(r), l.Name, err)
	}
	s.pending = annotate.Range{}
	s.selectSpan(a.ID)
	s.message = fmt.Sprintf("Tagged %s as %s.", s.quote(r), l.Name)
	return nil
}

// relabel gives the selected span the label labelID.
func (s *session) relabel(labelID string) error {
	a, ok := s.state.Annotation(s.selected)
	if !ok {
		return nil
	}
	l, ok := s.state.Schema.Label(labelID)
	if !ok {
		return fmt.Errorf("unknown label %q", labelID)
	}
	if a.Label == l.ID {
		s.message = fmt.Sprintf("%s is already %s.", s.quote(a.Range()), l.Name)
		return nil
	}
	if err := s.apply(annotate.Relabel(a.ID, l.ID)); err != nil {
		return fmt.Errorf("cannot relabel %s as %s: %w", s.quote(a.Range()), l.Name, err)
	}
	s.message = fmt.Sprintf("Relabelled %s as %s.", s.quote(a.Range()), l.Name)
	return nil
}

// remove deletes the selected span.
func (s *session) remove() error {
	a, ok := s.state.Annotation(s.selected)
	if !ok {
		return nil
	}
	if err := s.apply(annotate.Remove(a.ID)); err != nil {
		return fmt.Errorf("cannot remove %s: %w", s.quote(a.Range()), err)
	}
	s.selected = ""
	s.message = fmt.Sprintf("Removed %s %s.", s.label(a.Label).Name, s.quote(a.Range()))
	return nil
}

// resize grows or shrinks the selected span by a word at one edge
// (-1 start, +1 end), with the core's StepWord.
func (s *session) resize(edge int, grow bool) error {
	a, ok := s.state.Annotation(s.selected)
	if !ok {
		return nil
	}
	r := s.index().StepWord(a.Range(), edge, grow)
	if r == a.Range() || r.Len() <= 0 {
		verb := "shrink"
		if grow {
			verb = "grow"
		}
		s.message = fmt.Sprintf("Cannot %s %s further at that end.", verb, s.quote(a.Range()))
		return nil
	}
	if err := s.apply(annotate.Resize(a.ID, r)); err != nil {
		return fmt.Errorf("cannot resize %s: %w", s.quote(a.Range()), err)
	}
	s.message = fmt.Sprintf("%s is now %s.", s.label(a.Label).Name, s.quote(r))
	return nil
}

// undoCmd and redoCmd are undo and redo with a message.
func (s *session) undoCmd() error {
	ok, err := s.undo()
	switch {
	case err != nil:
		return fmt.Errorf("cannot undo: %w", err)
	case ok:
		s.message = fmt.Sprintf("Undone (revision %d).", s.state.Revision)
	default:
		s.message = "Nothing to undo."
	}
	return nil
}

func (s *session) redoCmd() error {
	ok, err := s.redo()
	switch {
	case err != nil:
		return fmt.Errorf("cannot redo: %w", err)
	case ok:
		s.message = fmt.Sprintf("Redone (revision %d).", s.state.Revision)
	default:
		s.message = "Nothing to redo."
	}
	return nil
}

// domPoint is one end of a DOM selection as the glue reads it: the data-start
// of the block it is in (code points) and the UTF-16 offset inside that
// block, or End when it lies after the last block.
type domPoint struct {
	Block int
	UTF16 int
	End   bool
}

// utf16Pos converts a domPoint to a UTF-16 offset in the whole text, clamped
// to its block.
func (s *session) utf16Pos(p domPoint) (int, error) {
	ix := s.index()
	if p.End {
		return ix.Len(annotate.UTF16), nil
	}
	blocks := s.doc().Blocks
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i].Start >= p.Block })
	if i == len(blocks) || blocks[i].Start != p.Block {
		return 0, fmt.Errorf("no block starts at code point %d", p.Block)
	}
	start, err := ix.Convert(blocks[i].Start, annotate.CodePoints, annotate.UTF16)
	if err != nil {
		return 0, err
	}
	end, err := ix.Convert(blocks[i].End, annotate.CodePoints, annotate.UTF16)
	if err != nil {
		return 0, err
	}
	return min(max(start+p.UTF16, start), end), nil
}

// cpFromUTF16 converts a UTF-16 offset to code points; an offset inside a
// surrogate pair goes down (ceil false) or up (ceil true).
func (s *session) cpFromUTF16(u int, ceil bool) (int, error) {
	ix := s.index()
	cp, err := ix.Convert(u, annotate.UTF16, annotate.CodePoints)
	if err == nil {
		return cp, nil
	}
	step := -1
	if ceil {
		step = 1
	}
	if cp, err2 := ix.Convert(u+step, annotate.UTF16, annotate.CodePoints); err2 == nil {
		return cp, nil
	}
	return 0, err
}

// rangeFromDOM turns the two ends of a DOM selection (in either order) into a
// code-point range of the text: block start converted to UTF-16, plus the
// offset inside the block, converted back. Nothing is searched for.
func (s *session) rangeFromDOM(a, b domPoint) (annotate.Range, error) {
	ua, err := s.utf16Pos(a)
	if err != nil {
		return annotate.Range{}, err
	}
	ub, err := s.utf16Pos(b)
	if err != nil {
		return annotate.Range{}, err
	}
	if ub < ua {
		ua, ub = ub, ua
	}
	start, err := s.cpFromUTF16(ua, false)
	if err != nil {
		return annotate.Range{}, err
	}
	end, err := s.cpFromUTF16(ub, true)
	if err != nil {
		return annotate.Range{}, err
	}
	return annotate.Range{Start: start, End: end}, nil
}

// caretPoint is the inverse for a code point: the block that holds it and
// the UTF-16 offset inside that block (used to put the caret back).
func (s *session) caretPoint(cp int) (domPoint, bool) {
	blocks := s.doc().Blocks
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i].End >= cp })
	if i == len(blocks) {
		return domPoint{}, false
	}
	cp = max(cp, blocks[i].Start)
	ix := s.index()
	u0, err0 := ix.Convert(blocks[i].Start, annotate.CodePoints, annotate.UTF16)
	u1, err1 := ix.Convert(cp, annotate.CodePoints, annotate.UTF16)
	if err0 != nil || err1 != nil {
		return domPoint{}, false
	}
	return domPoint{Block: blocks[i].Start, UTF16: u1 - u0}, true
}

// slug makes a file name from a title: lower-case letters and digits joined
// by hyphens, at most 60 characters, "document" when nothing is left.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		if r == '\'' || r == '’' {
			continue
		}
		dash = true
	}
	out := []rune(b.String())
	if len(out) > 60 {
		out = out[:60]
	}
	s := strings.Trim(string(out), "-")
	if s == "" {
		return "document"
	}
	return s
}

// labelCount is one row of the counts by label.
type labelCount struct {
	Label annotate.Label
	Count int
}

// counts returns the number of annotations per label, in schema order, and
// the numbers of entities and claims.
func (s *session) counts() (rows []labelCount, entities, claims int) {
	for _, l := range s.state.Schema.Labels {
		n := s.state.CountLabel(l.ID)
		rows = append(rows, labelCount{Label: l, Count: n})
		if l.Kind == annotate.KindClaim {
			claims += n
		} else {
			entities += n
		}
	}
	return rows, entities, claims
}
