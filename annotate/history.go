package annotate

import "time"

// History is the undo and redo stacks of a State. Every change goes through
// Do, which applies an edit and remembers its inverse; Undo applies that
// inverse and remembers the edit to redo it. Because edits are values (and
// carry their time), the stacks can be saved as JSON (Stacks) and restored
// after a reload (Restore).
type History struct {
	state      *State
	undo, redo []Edit

	// Limit is the most undo steps kept; the oldest are forgotten first.
	// Zero means no limit. NewHistory sets it to DefaultHistoryLimit.
	Limit int
	// Now stamps edits that have no time. Defaults to time.Now.
	Now func() time.Time
}

// DefaultHistoryLimit is the number of undo steps a new History keeps.
const DefaultHistoryLimit = 1000

// NewHistory returns an empty history of s.
func NewHistory(s *State) *History {
	return &History{state: s, Limit: DefaultHistoryLimit, Now: time.Now}
}

// State returns the state the history edits.
func (h *History) State() *State { return h.state }

// Do stamps e with the current time when it has none, applies it and records
// its inverse for Undo. A new edit clears the redo stack. When the edit is
// refused, the state and both stacks are unchanged.
func (h *History) Do(e Edit) error {
	if e.At.IsZero() {
		clock := h.Now
		if clock == nil {
			clock = time.Now
		}
		e.At = normTime(clock())
	}
	inv, err := h.state.Apply(e)
	if err != nil {
		return err
	}
	h.undo = append(h.undo, inv)
	if h.Limit > 0 && len(h.undo) > h.Limit {
		n := len(h.undo) - h.Limit
		clear(h.undo[:n])
		h.undo = append(h.undo[:0], h.undo[n:]...)
	}
	clear(h.redo)
	h.redo = h.redo[:0]
	return nil
}

// Undo undoes the most recent edit not yet undone. It reports false when
// there is nothing to undo. When the inverse is refused (the state was
// changed behind the history's back, or restored stacks do not fit it), the
// error is returned and the state and stacks are unchanged.
func (h *History) Undo() (bool, error) { return h.step(&h.undo, &h.redo) }

// Redo re-applies the most recently undone edit. It reports false when there
// is nothing to redo. Errors as for Undo.
func (h *History) Redo() (bool, error) { return h.step(&h.redo, &h.undo) }

func (h *History) step(from, to *[]Edit) (bool, error) {
	n := len(*from)
	if n == 0 {
		return false, nil
	}
	inv, err := h.state.Apply((*from)[n-1])
	if err != nil {
		return false, err
	}
	(*from)[n-1] = Edit{}
	*from = (*from)[:n-1]
	*to = append(*to, inv)
	return true, nil
}

// CanUndo reports whether Undo has an edit to undo.
func (h *History) CanUndo() bool { return len(h.undo) > 0 }

// CanRedo reports whether Redo has an edit to redo.
func (h *History) CanRedo() bool { return len(h.redo) > 0 }

// Stacks returns copies of the undo and redo stacks, oldest first: the edits
// Undo and Redo would apply, the last one first. Save them (as JSON) with
// the annotations and give them to Restore after a reload.
func (h *History) Stacks() (undo, redo []Edit) {
	return append([]Edit(nil), h.undo...), append([]Edit(nil), h.redo...)
}

// Restore replaces both stacks with copies of undo and redo, as returned by
// Stacks for the same annotations. They are checked when applied: an entry
// that does not fit the state makes Undo or Redo fail without changing
// anything.
func (h *History) Restore(undo, redo []Edit) {
	h.undo = append([]Edit(nil), undo...)
	h.redo = append([]Edit(nil), redo...)
	if h.Limit > 0 && len(h.undo) > h.Limit {
		h.undo = h.undo[len(h.undo)-h.Limit:]
	}
}
