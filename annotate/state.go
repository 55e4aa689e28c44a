package annotate

import (
	"fmt"
	"iter"
	"maps"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// State is a document, its label schema and its annotations. Annotations
// change only through Apply, one validated Edit at a time; Revision counts
// the edits applied, so views and autosave can tell when to catch up.
//
// The annotations are kept sorted in chunks that each know their largest
// end, so Apply and Overlapping stay fast on long documents with many spans
// (see BenchmarkApply and BenchmarkOverlapping). A State is not safe for
// concurrent use.
type State struct {
	Doc      *Document
	Schema   Schema
	Revision int // number of edits applied; starts at 0

	byID    map[string]*Annotation
	spans   spanList
	journal []change // changes made by the Apply in progress, for rollback
	// claimants counts, per annotation id, the claims naming it as claimant.
	claimants map[string]int
	// perLabel counts the annotations of each label.
	perLabel map[string]int
	// enc keeps the encoding of each annotation from the last Encode
	// (native.go), so that saving after an edit encodes only what changed.
	enc encodeCache
}

// change records that old was replaced by new (either may be nil).
type change struct{ old, new *Annotation }

// NewState returns a state with no annotations.
func NewState(doc *Document, schema Schema) *State {
	return &State{Doc: doc, Schema: schema, byID: map[string]*Annotation{}}
}

// Len returns the number of annotations.
func (s *State) Len() int { return len(s.byID) }

// Annotation returns (a copy of) the annotation with id.
func (s *State) Annotation(id string) (Annotation, bool) {
	a, ok := s.byID[id]
	if !ok {
		return Annotation{}, false
	}
	return a.clone(), true
}

// Annotations returns copies of all annotations, sorted by start, then by
// end descending (outer spans first), then by label and id.
func (s *State) Annotations() []Annotation {
	out := make([]Annotation, 0, len(s.byID))
	for _, c := range s.spans.chunks {
		for _, a := range c.items {
			out = append(out, a.clone())
		}
	}
	return out
}

// All yields copies of all annotations in the order of Annotations without
// building the slice: views that count or show a few of thousands of
// annotations after every edit use it to allocate nothing per annotation.
func (s *State) All() iter.Seq[Annotation] {
	return func(yield func(Annotation) bool) {
		for _, c := range s.spans.chunks {
			for _, a := range c.items {
				if !yield(a.clone()) {
					return
				}
			}
		}
	}
}

// Overlapping returns copies of the annotations that share at least one code
// point with r, in the order of Annotations. It runs in time proportional to
// the number of chunks (len/64) plus the annotations it looks at.
func (s *State) Overlapping(r Range) []Annotation {
	var out []Annotation
	if r.Start >= r.End {
		return out
	}
	for _, c := range s.spans.chunks {
		if c.items[0].Start >= r.End {
			break
		}
		if c.maxEnd <= r.Start {
			continue
		}
		for _, a := range c.items {
			if a.Start >= r.End {
				break
			}
			if a.End > r.Start {
				out = append(out, a.clone())
			}
		}
	}
	return out
}

// timePrecision is the precision of stored times: JavaScript and most JSON
// consumers keep milliseconds.
const timePrecision = time.Millisecond

// clockNow is the clock Apply uses for edits without a time (a variable for tests).
var clockNow = time.Now

func normTime(t time.Time) time.Time { return t.UTC().Truncate(timePrecision) }

// Apply validates e and applies it, atomically: a batch is applied entirely
// or not at all, and a refused edit leaves the state untouched. On success
// Revision grows by one and Apply returns the inverse edit, which undoes e
// exactly (including modification times) when applied next.
//
// Removing an annotation that is the claimant of claims turns it, in those
// claims, into a typed claimant name (the span's text, unless the claim
// already has a name); undoing the removal restores the claims.
//
// An edit is refused (with an *EditError) when an annotation it adds already
// exists or one it changes does not; when a range is reversed, empty, outside
// the text, or starts or ends inside a grapheme cluster; when a label is not
// in the schema; when a claim record would sit on a label that is not of kind
// claim (relabelling a span that has a non-empty claim record to an entity
// label is refused, an empty record is dropped); when a claim record is
// invalid (CheckClaim) or names as claimant an annotation that does not exist;
// when two annotations would
// have the same range and label; when a string is not valid UTF-8; or when a
// time falls outside the years 1 to 9999.
func (s *State) Apply(e Edit) (inverse Edit, err error) {
	if s.Doc == nil {
		return Edit{}, &EditError{Op: e.Op, Reason: "the state has no document"}
	}
	if s.byID == nil {
		s.byID = map[string]*Annotation{}
	}
	at := e.At
	if at.IsZero() {
		at = clockNow()
	}
	s.journal = s.journal[:0]
	inv, err := s.apply(e, normTime(at), "")
	if err != nil {
		for i := len(s.journal) - 1; i >= 0; i-- {
			c := s.journal[i]
			if c.new != nil {
				s.remove(c.new)
			}
			if c.old != nil {
				s.insert(c.old)
			}
		}
		s.journal = s.journal[:0]
		return Edit{}, err
	}
	clear(s.journal)
	s.journal = s.journal[:0]
	s.Revision++
	return inv, nil
}

// replace puts new in the place of old (either may be nil) and records the
// change for rollback.
func (s *State) replace(old, new *Annotation) {
	if old != nil {
		s.remove(old)
	}
	if new != nil {
		s.insert(new)
	}
	s.journal = append(s.journal, change{old, new})
}

// apply applies e without bumping Revision. On error, Apply rolls back the
// changes in the journal.
func (s *State) apply(e Edit, at time.Time, path string) (Edit, error) {
	if !e.At.IsZero() {
		at = normTime(e.At)
	}
	fail := func(id, format string, args ...any) (Edit, error) {
		return Edit{}, &EditError{Path: path, Op: e.Op, ID: id, Reason: fmt.Sprintf(format, args...)}
	}
	if e.Op == OpBatch {
		if len(e.Edits) == 0 {
			return fail("", "batch has no edits")
		}
		invs := make([]Edit, 0, len(e.Edits))
		for i, c := range e.Edits {
			inv, err := s.apply(c, at, fmt.Sprintf("%sedits[%d]", joinEditPath(path), i))
			if err != nil {
				return Edit{}, err
			}
			invs = append(invs, inv)
		}
		for i, j := 0, len(invs)-1; i < j; i, j = i+1, j-1 {
			invs[i], invs[j] = invs[j], invs[i]
		}
		return Edit{Op: OpBatch, Edits: invs, At: at}, nil
	}

	if e.Op == OpAdd {
		if e.Annotation == nil {
			return fail("", "no annotation to add")
		}
		a := e.Annotation.clone()
		if r := checkID(a.ID); r != "" {
			return fail("", "annotation id %s", r)
		}
		if _, ok := s.byID[a.ID]; ok {
			return fail(a.ID, "already exists")
		}
		if a.Created.IsZero() {
			a.Created = at
		}
		if a.Modified.IsZero() {
			a.Modified = a.Created
		}
		a.Created, a.Modified = normTime(a.Created), normTime(a.Modified)
		if r := s.check(&a, ""); r != "" {
			return fail(a.ID, "%s", r)
		}
		s.replace(nil, &a)
		return Edit{Op: OpRemove, ID: a.ID, At: at}, nil
	}

	switch e.Op {
	case OpRemove, OpRelabel, OpResize, OpNote, OpClaim:
	default:
		return fail("", "unknown edit operation %q", string(e.Op))
	}
	old, ok := s.byID[e.ID]
	if !ok {
		if e.ID == "" {
			return fail("", "no annotation id")
		}
		return fail(e.ID, "does not exist")
	}
	if e.Op == OpRemove {
		return s.removeCascade(old, at), nil
	}

	a := old.clone()
	a.Modified = at
	var inv Edit
	switch e.Op {
	case OpRelabel:
		a.Label = e.Label
		inv = Relabel(a.ID, old.Label)
		if l, ok := s.Schema.Label(e.Label); ok && l.Kind != KindClaim && a.Claim != nil {
			if !a.Claim.IsZero() {
				return fail(a.ID, "has a claim record, which label %q (kind %s) cannot carry; clear the claim first", l.ID, l.Kind)
			}
			a.Claim = nil
			inv = Batch(Relabel(a.ID, old.Label), SetClaim(a.ID, old.Claim))
		}
	case OpResize:
		a.Start, a.End = e.Start, e.End
		inv = Resize(a.ID, old.Range())
	case OpNote:
		a.Note = e.Note
		inv = SetNote(a.ID, old.Note)
	case OpClaim:
		a.Claim = e.Claim.Clone()
		inv = SetClaim(a.ID, old.Claim)
	}
	inv.At = old.Modified
	if r := s.check(&a, old.ID); r != "" {
		return fail(a.ID, "%s", r)
	}
	s.replace(old, &a)
	return inv, nil
}

// removeCascade removes a and returns the inverse. Claims whose claimant is
// a keep the claimant as a typed name (a's text, unless they have a name).
func (s *State) removeCascade(a *Annotation, at time.Time) Edit {
	inv := Edit{Op: OpAdd, Annotation: annotationPtr(a.clone()), At: at}
	var restore []Edit
	if s.claimants[a.ID] == 0 {
		s.replace(a, nil)
		return inv
	}
	for _, c := range s.spans.chunks {
		for _, o := range c.items {
			if o.Claim == nil || o.Claim.Claimant.SpanID != a.ID {
				continue
			}
			restore = append(restore, Edit{Op: OpClaim, ID: o.ID, Claim: o.Claim.Clone(), At: o.Modified})
		}
	}
	for _, r := range restore {
		o := s.byID[r.ID]
		n := o.clone()
		n.Claim.Claimant.SpanID = ""
		if n.Claim.Claimant.Name == "" {
			n.Claim.Claimant.Name = claimantName(s.Doc.Index().Slice(a.Range()))
		}
		n.Modified = at
		s.replace(o, &n)
	}
	s.replace(a, nil)
	if len(restore) == 0 {
		return inv
	}
	return Edit{Op: OpBatch, Edits: append([]Edit{inv}, restore...), At: at}
}

// claimantName turns text into a one-line name: runs of whitespace become one
// space, control characters go.
func claimantName(text string) string {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text)
	return strings.Join(strings.Fields(text), " ")
}

func annotationPtr(a Annotation) *Annotation { return &a }

func joinEditPath(p string) string {
	if p == "" {
		return ""
	}
	return p + "."
}

// check reports what is wrong with annotation a in this state ("" when it
// is fine). self is the id of the annotation a replaces, if any, which does
// not count as a duplicate.
func (s *State) check(a *Annotation, self string) string {
	if r := checkRange(s.Doc.Index(), a.Range()); r != "" {
		return r
	}
	l, ok := s.Schema.Label(a.Label)
	if !ok {
		if a.Label == "" {
			return "has no label"
		}
		return fmt.Sprintf("label %q is not in the schema", a.Label)
	}
	if a.Claim != nil {
		if l.Kind != KindClaim {
			return fmt.Sprintf("label %q is of kind %s, so the span cannot carry a claim record", l.ID, l.Kind)
		}
		if p, r := a.Claim.check(); p != "" {
			return "claim." + p + ": " + r
		}
		if err := CheckClaim(a.Claim); err != nil {
			return err.Error()
		}
		if id := a.Claim.Claimant.SpanID; id != "" {
			if id == a.ID {
				return fmt.Sprintf("claim.claimant.spanId: %q is the claim itself", id)
			}
			if _, ok := s.byID[id]; !ok {
				return fmt.Sprintf("claim.claimant.spanId: annotation %q does not exist", id)
			}
		}
	}
	if !utf8.ValidString(a.Note) {
		return "note is not valid utf-8"
	}
	for _, t := range []struct {
		name string
		t    time.Time
	}{{"created", a.Created}, {"modified", a.Modified}} {
		if y := t.t.Year(); y < 1 || y > 9999 {
			return fmt.Sprintf("%s time %s is outside the years 1 to 9999", t.name, t.t.Format(time.RFC3339))
		}
	}
	if d := s.spans.duplicate(a.Start, a.End, a.Label, self); d != nil {
		return fmt.Sprintf("has the same range %v and label %q as annotation %q", a.Range(), a.Label, d.ID)
	}
	return ""
}

// checkRange reports what is wrong with code-point range r of ix's text ("" when
// it is fine).
func checkRange(ix *Index, r Range) string {
	n := ix.Len(CodePoints)
	switch {
	case r.Start > r.End:
		return fmt.Sprintf("range %v is reversed", r)
	case r.Start == r.End:
		return fmt.Sprintf("range %v is empty", r)
	case r.Start < 0:
		return fmt.Sprintf("range %v starts before the text", r)
	case r.End > n:
		return fmt.Sprintf("range %v ends after the text's %d code points", r, n)
	case !ix.IsGraphemeBoundary(r.Start):
		return fmt.Sprintf("start %d is inside a grapheme cluster %v", r.Start, ix.GraphemeAt(r.Start))
	case !ix.IsGraphemeBoundary(r.End):
		return fmt.Sprintf("end %d is inside a grapheme cluster %v", r.End, ix.GraphemeAt(r.End))
	}
	return ""
}

func (s *State) insert(a *Annotation) {
	s.byID[a.ID] = a
	s.spans.insert(a)
	s.countClaimant(a, 1)
	s.countLabel(a.Label, 1)
}

func (s *State) remove(a *Annotation) {
	delete(s.byID, a.ID)
	s.spans.remove(a)
	s.countClaimant(a, -1)
	s.countLabel(a.Label, -1)
}

func (s *State) countLabel(label string, d int) {
	if s.perLabel == nil {
		s.perLabel = map[string]int{}
	}
	if s.perLabel[label] += d; s.perLabel[label] <= 0 {
		delete(s.perLabel, label)
	}
}

// CountLabel returns the number of annotations with the label id. It takes
// constant time: views show counts after every edit.
func (s *State) CountLabel(label string) int { return s.perLabel[label] }

// LabelCounts returns the number of annotations of each label in use (a
// new map; labels without annotations are absent). It takes time in the
// number of labels, not of annotations.
func (s *State) LabelCounts() map[string]int {
	out := make(map[string]int, len(s.perLabel))
	maps.Copy(out, s.perLabel)
	return out
}

func (s *State) countClaimant(a *Annotation, d int) {
	if a.Claim == nil || a.Claim.Claimant.SpanID == "" {
		return
	}
	if s.claimants == nil {
		s.claimants = map[string]int{}
	}
	id := a.Claim.Claimant.SpanID
	if s.claimants[id] += d; s.claimants[id] <= 0 {
		delete(s.claimants, id)
	}
}

// load replaces all annotations with list (validated by the caller).
func (s *State) load(list []*Annotation) {
	s.byID = make(map[string]*Annotation, len(list))
	s.claimants = nil
	s.perLabel = nil
	for _, a := range list {
		s.byID[a.ID] = a
		s.countClaimant(a, 1)
		s.countLabel(a.Label, 1)
	}
	s.spans.load(list)
}

// annotationLess orders annotations by start, end descending, label and id.
func annotationLess(a, b *Annotation) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End > b.End
	}
	if a.Label != b.Label {
		return a.Label < b.Label
	}
	return a.ID < b.ID
}

// spanChunkSize is the target number of annotations per chunk; chunks split at
// twice that.
const spanChunkSize = 64

// spanList keeps annotations sorted (annotationLess) in chunks, each with the largest
// end among its annotations, so an overlap query skips whole chunks and an
// insertion or removal moves at most 2*spanChunkSize pointers.
type spanList struct {
	chunks []*spanChunk
}

type spanChunk struct {
	items  []*Annotation // sorted, never empty
	maxEnd int
}

func (c *spanChunk) fix() {
	m := 0
	for _, a := range c.items {
		m = max(m, a.End)
	}
	c.maxEnd = m
}

// find returns the index of the chunk where a belongs: the first whose last
// item is not less than a, or the last chunk.
func (l *spanList) find(a *Annotation) int {
	i := sort.Search(len(l.chunks), func(i int) bool {
		c := l.chunks[i]
		return !annotationLess(c.items[len(c.items)-1], a)
	})
	if i == len(l.chunks) {
		i--
	}
	return i
}

func (l *spanList) insert(a *Annotation) {
	if len(l.chunks) == 0 {
		l.chunks = []*spanChunk{{items: []*Annotation{a}, maxEnd: a.End}}
		return
	}
	ci := l.find(a)
	c := l.chunks[ci]
	j := sort.Search(len(c.items), func(j int) bool { return annotationLess(a, c.items[j]) })
	c.items = append(c.items, nil)
	copy(c.items[j+1:], c.items[j:])
	c.items[j] = a
	c.maxEnd = max(c.maxEnd, a.End)
	if len(c.items) >= 2*spanChunkSize {
		half := len(c.items) / 2
		d := &spanChunk{items: append([]*Annotation(nil), c.items[half:]...)}
		c.items = c.items[:half:half]
		c.fix()
		d.fix()
		l.chunks = append(l.chunks, nil)
		copy(l.chunks[ci+2:], l.chunks[ci+1:])
		l.chunks[ci+1] = d
	}
}

func (l *spanList) remove(a *Annotation) {
	if len(l.chunks) == 0 {
		return
	}
	ci := l.find(a)
	c := l.chunks[ci]
	j := sort.Search(len(c.items), func(j int) bool { return !annotationLess(c.items[j], a) })
	if j == len(c.items) || c.items[j] != a {
		return
	}
	c.items = append(c.items[:j], c.items[j+1:]...)
	if len(c.items) == 0 {
		l.chunks = append(l.chunks[:ci], l.chunks[ci+1:]...)
		return
	}
	c.fix()
	// Merge a small chunk into its successor so chunks stay full.
	if ci+1 < len(l.chunks) && len(c.items)+len(l.chunks[ci+1].items) <= spanChunkSize {
		d := l.chunks[ci+1]
		c.items = append(c.items, d.items...)
		c.fix()
		l.chunks = append(l.chunks[:ci+1], l.chunks[ci+2:]...)
	}
}

// duplicate returns an annotation other than self with the given range and
// label, or nil. Such annotations sort next to each other (they differ only
// by id).
func (l *spanList) duplicate(start, end int, label, self string) *Annotation {
	if len(l.chunks) == 0 {
		return nil
	}
	key := &Annotation{Start: start, End: end, Label: label}
	for ci := l.find(key); ci < len(l.chunks); ci++ {
		c := l.chunks[ci]
		j := sort.Search(len(c.items), func(j int) bool { return !annotationLess(c.items[j], key) })
		for ; j < len(c.items); j++ {
			a := c.items[j]
			if a.Start != start || a.End != end || a.Label != label {
				return nil
			}
			if a.ID != self {
				return a
			}
		}
	}
	return nil
}

func (l *spanList) load(list []*Annotation) {
	sorted := append([]*Annotation(nil), list...)
	sort.Slice(sorted, func(i, j int) bool { return annotationLess(sorted[i], sorted[j]) })
	l.chunks = l.chunks[:0]
	for len(sorted) > 0 {
		n := min(spanChunkSize, len(sorted))
		c := &spanChunk{items: sorted[:n:n]}
		c.fix()
		l.chunks = append(l.chunks, c)
		sorted = sorted[n:]
	}
}
