package annotate

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// randomEdit returns a random edit for s (which may be refused).
func randomEdit(rng *rand.Rand, s *State, step int) Edit {
	all := s.Annotations()
	n := s.Doc.Index().Len(CodePoints)
	labels := []string{"person", "place", "figure", "claim"}
	rr := func() Range {
		a := rng.IntN(n - 1)
		return Range{a, min(n, a+1+rng.IntN(30))}
	}
	pick := func() string {
		if len(all) == 0 {
			return "none"
		}
		return all[rng.IntN(len(all))].ID
	}
	switch rng.IntN(8) {
	case 0, 1:
		r := rr()
		return Add(Annotation{ID: fmt.Sprintf("a-%d", step), Label: labels[rng.IntN(4)], Start: r.Start, End: r.End})
	case 2:
		return Remove(pick())
	case 3:
		return Relabel(pick(), labels[rng.IntN(4)])
	case 4:
		return Resize(pick(), rr())
	case 5:
		return SetNote(pick(), fmt.Sprintf("note %d", step))
	case 6:
		for _, a := range all {
			if a.Label == "claim" {
				return SetClaim(a.ID, &Claim{Verdict: []string{"false", "true", ""}[rng.IntN(3)], Text: fmt.Sprint(step)})
			}
		}
		return Remove(pick())
	default:
		r := rr()
		id := fmt.Sprintf("a-%d", step)
		return Batch(Add(Annotation{ID: id, Label: "figure", Start: r.Start, End: r.End}), SetNote(id, "batch"), Remove(pick()))
	}
}

// TestHistoryRandom does, undoes and redoes random edits and compares the
// state with snapshots taken after each edit.
func TestHistoryRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	s := NewState(modelDoc(t, "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau."), DefaultSchema())
	h := NewHistory(s)
	clock := modelT0
	h.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	snaps := [][]Annotation{s.Annotations()} // snaps[i]: state after i edits
	pos := 0                                 // edits currently applied
	for step := 0; step < 3000; step++ {
		switch k := rng.IntN(10); {
		case k < 5:
			if err := h.Do(randomEdit(rng, s, step)); err != nil {
				continue
			}
			pos++
			snaps = append(snaps[:pos], s.Annotations())
		case k < 8:
			ok, err := h.Undo()
			if err != nil {
				t.Fatalf("step %d: Undo: %v", step, err)
			}
			if ok != (pos > 0) {
				t.Fatalf("step %d: Undo reported %v at position %d", step, ok, pos)
			}
			if ok {
				pos--
			}
		default:
			ok, err := h.Redo()
			if err != nil {
				t.Fatalf("step %d: Redo: %v", step, err)
			}
			if ok != (pos < len(snaps)-1) {
				t.Fatalf("step %d: Redo reported %v at position %d of %d", step, ok, pos, len(snaps)-1)
			}
			if ok {
				pos++
			}
		}
		if got := s.Annotations(); !sameAnnotations(snaps[pos], got) {
			diff := cmp.Diff(snaps[pos], got, cmpAnn)
			t.Fatalf("step %d: state differs from snapshot %d (-want +got):\n%s", step, pos, diff)
		}
		if h.CanUndo() != (pos > 0) || h.CanRedo() != (pos < len(snaps)-1) {
			t.Fatalf("step %d: CanUndo %v CanRedo %v at %d of %d", step, h.CanUndo(), h.CanRedo(), pos, len(snaps)-1)
		}
	}
	if len(snaps) < 200 {
		t.Errorf("only %d edits were applied", len(snaps))
	}
	checkSpanList(t, s)
}

func TestHistoryBasics(t *testing.T) {
	s := modelState(t)
	h := NewHistory(s)
	h.Now = func() time.Time { return modelT0.Add(time.Hour) }
	if ok, err := h.Undo(); ok || err != nil {
		t.Errorf("Undo on empty history: %v %v", ok, err)
	}
	if ok, err := h.Redo(); ok || err != nil {
		t.Errorf("Redo on empty history: %v %v", ok, err)
	}
	rev := s.Revision
	if err := h.Do(Relabel("a-3", "place")); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Annotation("a-3")
	if a.Modified != modelT0.Add(time.Hour) || s.Revision != rev+1 {
		t.Errorf("Do: modified %v revision %d", a.Modified, s.Revision)
	}
	// A refused edit changes nothing.
	undo, redo := h.Stacks()
	if err := h.Do(Remove("zz")); err == nil {
		t.Fatal("Do(Remove(zz)) succeeded")
	}
	u2, r2 := h.Stacks()
	if len(u2) != len(undo) || len(r2) != len(redo) || s.Revision != rev+1 {
		t.Error("refused Do changed the history")
	}
	// Undo then redo restore the exact times (redo replays the stamped time).
	h.Now = func() time.Time { return modelT0.Add(5 * time.Hour) }
	if ok, err := h.Undo(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	a, _ = s.Annotation("a-3")
	if a.Label != "figure" || a.Modified != modelT0 {
		t.Errorf("after undo: %+v", a)
	}
	if ok, err := h.Redo(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	a, _ = s.Annotation("a-3")
	if a.Label != "place" || a.Modified != modelT0.Add(time.Hour) {
		t.Errorf("after redo: %+v", a)
	}
	if s.Revision != rev+3 {
		t.Errorf("Revision %d, want %d: undo and redo are edits too", s.Revision, rev+3)
	}
	// A new edit clears the redo stack.
	h.Undo()
	if !h.CanRedo() {
		t.Fatal("nothing to redo after undo")
	}
	if err := h.Do(SetNote("a-1", "new")); err != nil {
		t.Fatal(err)
	}
	if h.CanRedo() {
		t.Error("Do did not clear the redo stack")
	}
	if h.State() != s {
		t.Error("State() is not the state")
	}
}

func TestHistoryLimit(t *testing.T) {
	s := modelState(t)
	h := NewHistory(s)
	h.Limit = 3
	for i := 0; i < 5; i++ {
		if err := h.Do(SetNote("a-1", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for {
		ok, err := h.Undo()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		n++
	}
	a, _ := s.Annotation("a-1")
	if n != 3 || a.Note != "1" {
		t.Errorf("undid %d steps to note %q, want 3 steps to note \"1\"", n, a.Note)
	}
}

// TestHistoryPersist saves the stacks as JSON with the annotations in the
// native format, restores both, and undoes and redoes across the reload.
func TestHistoryPersist(t *testing.T) {
	s := modelState(t)
	initial := s.Annotations()
	h := NewHistory(s)
	for _, e := range []Edit{
		Add(modelAnn("a-9", "place", 7, 11)),
		Remove("a-1"), // the claimant of a-4
		SetClaim("a-4", &Claim{Verdict: "misleading"}),
		Batch(Resize("a-9", Range{7, 14}), Relabel("a-9", "figure")),
		SetNote("a-3", "twelve per cent"),
	} {
		if err := h.Do(e); err != nil {
			t.Fatal(err)
		}
	}
	h.Undo() // one step on the redo stack
	final := s.Annotations()
	undo, redo := h.Stacks()
	saved, err := json.Marshal(map[string][]Edit{"undo": undo, "redo": redo})
	if err != nil {
		t.Fatal(err)
	}
	native, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}

	s2, err := Decode(native)
	if err != nil {
		t.Fatal(err)
	}
	var stacks map[string][]Edit
	if err := json.Unmarshal(saved, &stacks); err != nil {
		t.Fatal(err)
	}
	h2 := NewHistory(s2)
	h2.Restore(stacks["undo"], stacks["redo"])
	if ok, err := h2.Redo(); !ok || err != nil {
		t.Fatalf("Redo after reload: %v %v", ok, err)
	}
	for h2.CanUndo() {
		if _, err := h2.Undo(); err != nil {
			t.Fatalf("Undo after reload: %v", err)
		}
	}
	if diff := cmp.Diff(initial, s2.Annotations(), cmpAnn); diff != "" {
		t.Errorf("undoing everything after reload (-want +got):\n%s", diff)
	}
	for i := 0; i < 4; i++ {
		if _, err := h2.Redo(); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(final, s2.Annotations(), cmpAnn); diff != "" {
		t.Errorf("redoing after reload (-want +got):\n%s", diff)
	}
}

func TestHistoryBadRestore(t *testing.T) {
	s := modelState(t)
	h := NewHistory(s)
	h.Restore([]Edit{SetNote("a-1", "ok"), Remove("gone")}, nil)
	before := s.Annotations()
	ok, err := h.Undo()
	if ok || err == nil || err.Error() != `annotation "gone": does not exist` {
		t.Errorf("Undo of a stale entry: %v, %v", ok, err)
	}
	if undo, _ := h.Stacks(); len(undo) != 2 {
		t.Errorf("failed Undo changed the stack: %d entries", len(undo))
	}
	if diff := cmp.Diff(before, s.Annotations(), cmpAnn); diff != "" {
		t.Errorf("failed Undo changed the state:\n%s", diff)
	}
}

// sameAnnotations is a fast equality of annotation lists.
func sameAnnotations(a, b []Annotation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Label != y.Label || x.Start != y.Start || x.End != y.End || x.Note != y.Note ||
			!x.Created.Equal(y.Created) || !x.Modified.Equal(y.Modified) || !x.Claim.Equal(y.Claim) {
			return false
		}
	}
	return true
}
