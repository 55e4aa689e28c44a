package annotate

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEditConstructors(t *testing.T) {
	c := &Claim{Verdict: "false", Evidence: []Evidence{{URL: "https://a.example"}}}
	a := modelAnn("a-1", "claim", 0, 6)
	a.Claim = c
	add := Add(a)
	set := SetClaim("a-1", c)
	c.Verdict = "true"
	c.Evidence[0].URL = "https://changed.example"
	if add.Annotation.Claim.Verdict != "false" || set.Claim.Verdict != "false" || set.Claim.Evidence[0].URL != "https://a.example" {
		t.Error("Add and SetClaim share the caller's claim record")
	}
	edits := []Edit{Remove("a-1"), Remove("a-2")}
	b := Batch(edits...)
	edits[0].ID = "changed"
	if b.Edits[0].ID != "a-1" {
		t.Error("Batch shares the caller's slice")
	}
	for _, tc := range []struct {
		got, want Edit
	}{
		{Remove("x"), Edit{Op: OpRemove, ID: "x"}},
		{Relabel("x", "place"), Edit{Op: OpRelabel, ID: "x", Label: "place"}},
		{Resize("x", Range{2, 5}), Edit{Op: OpResize, ID: "x", Start: 2, End: 5}},
		{SetNote("x", "n"), Edit{Op: OpNote, ID: "x", Note: "n"}},
		{SetClaim("x", nil), Edit{Op: OpClaim, ID: "x"}},
	} {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("constructor (-want +got):\n%s", diff)
		}
	}
	if got := b.IDs(); len(got) != 2 || got[0] != "a-1" || got[1] != "a-2" {
		t.Errorf("IDs() = %q", got)
	}
}

func TestEditErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		e    EditError
		want string
	}{
		{EditError{Op: OpResize, ID: "a-12", Reason: "range [5, 3) is reversed"}, `annotation "a-12": range [5, 3) is reversed`},
		{EditError{Path: "edits[2]", Op: OpRemove, ID: "a-1", Reason: "does not exist"}, `edits[2]: annotation "a-1": does not exist`},
		{EditError{Op: OpBatch, Reason: "batch has no edits"}, `batch: batch has no edits`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
}

// TestEditJSON checks that edits, as History keeps them, survive JSON: the
// decoded edit equals the original and applies to the same result.
func TestEditJSON(t *testing.T) {
	s := modelState(t)
	at := modelT0.Add(2 * time.Hour)
	var edits []Edit
	for _, e := range []Edit{
		Add(modelAnn("a-9", "place", 7, 11)),
		SetNote("a-9", "line one\nline \"two\" \u2028 ✓"),
		Resize("a-9", Range{0, 11}),
		Relabel("a-9", "claim"),
		SetClaim("a-9", &Claim{Verdict: "mixed", CheckWorthy: modelBool(false), Evidence: []Evidence{{URL: "https://e.example", Stance: "context"}}}),
		Remove("a-4"),
		Batch(Remove("a-1"), Batch(Relabel("a-3", "place"), SetNote("a-3", ""))),
	} {
		e.At = at
		inv, err := s.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		edits = append(edits, e, inv)
	}
	for i, e := range edits {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Edit
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("edit %d: %v\n%s", i, err, data)
		}
		if diff := cmp.Diff(e, back, cmpAnn); diff != "" {
			t.Errorf("edit %d changed through JSON %s (-want +got):\n%s", i, data, diff)
		}
	}
	// Undo everything with the decoded inverses, newest first.
	want := modelState(t).Annotations()
	for i := len(edits) - 1; i >= 0; i -= 2 {
		data, _ := json.Marshal(edits[i])
		var inv Edit
		json.Unmarshal(data, &inv)
		if _, err := s.Apply(inv); err != nil {
			t.Fatalf("decoded inverse %s: %v", data, err)
		}
	}
	if diff := cmp.Diff(want, s.Annotations(), cmpAnn); diff != "" {
		t.Errorf("after undoing with decoded inverses (-want +got):\n%s", diff)
	}
}
