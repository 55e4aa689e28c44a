package annotate

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	stdslices "slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// modelText has a flag (two code points, one grapheme cluster) at [12, 14).
// Code points: Müller [0,6) said [7,11) 🇺🇦 [12,14) aid [15,18) rose [19,23)
// 12% [24,27) . [27,28).
const modelText = "Müller said 🇺🇦 aid rose 12%."

var modelT0 = time.Date(2025, 11, 25, 9, 0, 0, 0, time.UTC)

func modelDoc(t testing.TB, text string) *Document {
	t.Helper()
	d, err := FromText([]byte(text), TextOptions{ID: "doc-test", Title: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func modelAnn(id, label string, start, end int) Annotation {
	return Annotation{ID: id, Label: label, Start: start, End: end, Created: modelT0, Modified: modelT0}
}

func modelBool(v bool) *bool { return &v }

// modelState returns a state on modelText with a person, a place, a figure
// and a claim (with a claim record whose claimant is the person).
func modelState(t testing.TB) *State {
	t.Helper()
	s := NewState(modelDoc(t, modelText), DefaultSchema())
	claim := modelAnn("a-4", "claim", 0, 28)
	claim.Claim = &Claim{Verdict: "false", Claimant: Claimant{SpanID: "a-1"}, CheckWorthy: modelBool(true),
		Evidence: []Evidence{{URL: "https://example.com/aid", Quote: "aid fell", Stance: "refutes", Accessed: "2025-11-24"}}}
	for _, a := range []Annotation{
		modelAnn("a-1", "person", 0, 6),
		modelAnn("a-2", "place", 12, 14),
		modelAnn("a-3", "figure", 24, 27),
		claim,
	} {
		if _, err := s.Apply(Add(a)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

var cmpAnn = cmp.Options{cmpopts.EquateEmpty()}

func TestApplyAddAndQuery(t *testing.T) {
	s := modelState(t)
	if s.Len() != 4 || s.Revision != 4 {
		t.Fatalf("Len %d Revision %d, want 4 and 4", s.Len(), s.Revision)
	}
	var got []string
	for _, a := range s.Annotations() {
		got = append(got, fmt.Sprintf("%s %s %v", a.ID, a.Label, a.Range()))
	}
	want := []string{"a-4 claim [0, 28)", "a-1 person [0, 6)", "a-2 place [12, 14)", "a-3 figure [24, 27)"}
	if !stdslices.Equal(got, want) {
		t.Errorf("Annotations order:\n got %q\nwant %q", got, want)
	}
	for _, tc := range []struct {
		r    Range
		want []string
	}{
		{Range{0, 1}, []string{"a-4", "a-1"}},
		{Range{6, 12}, []string{"a-4"}},
		{Range{13, 25}, []string{"a-4", "a-2", "a-3"}},
		{Range{27, 28}, []string{"a-4"}},
		{Range{28, 40}, nil},
		{Range{5, 5}, nil},
	} {
		var ids []string
		for _, a := range s.Overlapping(tc.r) {
			ids = append(ids, a.ID)
		}
		if !stdslices.Equal(ids, tc.want) {
			t.Errorf("Overlapping(%v) = %q, want %q", tc.r, ids, tc.want)
		}
	}
	a, ok := s.Annotation("a-4")
	if !ok || a.Claim == nil || a.Claim.Verdict != "false" || a.Created != modelT0 {
		t.Errorf("Annotation(a-4) = %+v, %v", a, ok)
	}
	if _, ok := s.Annotation("nope"); ok {
		t.Error("Annotation(nope) found something")
	}
}

func TestApplyRefused(t *testing.T) {
	long := strings.Repeat("x", 129)
	withClaim := func(a Annotation, c *Claim) Annotation { a.Claim = c; return a }
	for _, tc := range []struct {
		name string
		e    Edit
		want string
	}{
		{"reversed", Add(modelAnn("a-9", "person", 5, 3)), `annotation "a-9": range [5, 3) is reversed`},
		{"empty", Add(modelAnn("a-9", "person", 5, 5)), `annotation "a-9": range [5, 5) is empty`},
		{"past end", Add(modelAnn("a-9", "person", 20, 99)), `annotation "a-9": range [20, 99) ends after the text's 28 code points`},
		{"negative", Add(modelAnn("a-9", "person", -1, 3)), `annotation "a-9": range [-1, 3) starts before the text`},
		{"start in flag", Add(modelAnn("a-9", "place", 13, 14)), `annotation "a-9": start 13 is inside a grapheme cluster [12, 14)`},
		{"end in flag", Add(modelAnn("a-9", "place", 7, 13)), `annotation "a-9": end 13 is inside a grapheme cluster [12, 14)`},
		{"unknown label", Add(modelAnn("a-9", "persn", 7, 11)), `annotation "a-9": label "persn" is not in the schema`},
		{"no label", Add(modelAnn("a-9", "", 7, 11)), `annotation "a-9": has no label`},
		{"claim on entity", Add(withClaim(modelAnn("a-9", "person", 7, 11), &Claim{})), `annotation "a-9": label "person" is of kind entity, so the span cannot carry a claim record`},
		{"duplicate", Add(modelAnn("a-9", "person", 0, 6)), `annotation "a-9": has the same range [0, 6) and label "person" as annotation "a-1"`},
		{"id taken", Add(modelAnn("a-1", "place", 7, 11)), `annotation "a-1": already exists`},
		{"empty id", Add(modelAnn("", "place", 7, 11)), `add: annotation id is empty`},
		{"id with space", Add(modelAnn("a 9", "place", 7, 11)), `add: annotation id "a 9" has a space, control or invisible character`},
		{"long id", Add(modelAnn(long, "place", 7, 11)), `add: annotation id is longer than 128 bytes`},
		{"nil annotation", Edit{Op: OpAdd}, `add: no annotation to add`},
		{"remove missing", Remove("zz"), `annotation "zz": does not exist`},
		{"remove no id", Remove(""), `remove: no annotation id`},
		{"relabel unknown", Relabel("a-1", "nope"), `annotation "a-1": label "nope" is not in the schema`},
		{"relabel duplicate", Batch(Add(modelAnn("a-9", "place", 0, 6)), Relabel("a-9", "person")), `edits[1]: annotation "a-9": has the same range [0, 6) and label "person" as annotation "a-1"`},
		{"relabel claim record away", Relabel("a-4", "person"), `annotation "a-4": has a claim record, which label "person" (kind entity) cannot carry; clear the claim first`},
		{"resize reversed", Resize("a-1", Range{6, 0}), `annotation "a-1": range [6, 0) is reversed`},
		{"resize into cluster", Resize("a-2", Range{12, 13}), `annotation "a-2": end 13 is inside a grapheme cluster [12, 14)`},
		{"resize duplicate", Resize("a-3", Range{0, 6}), ""}, // figure [0, 6) is fine: labels differ
		{"claim on entity via set", SetClaim("a-1", &Claim{Verdict: "true"}), `annotation "a-1": label "person" is of kind entity, so the span cannot carry a claim record`},
		{"claimant missing", SetClaim("a-4", &Claim{Claimant: Claimant{SpanID: "zz"}}), `annotation "a-4": claim.claimant.spanId: annotation "zz" does not exist`},
		{"claimant itself", SetClaim("a-4", &Claim{Claimant: Claimant{SpanID: "a-4"}}), `annotation "a-4": claim.claimant.spanId: "a-4" is the claim itself`},
		{"claim invalid utf-8", SetClaim("a-4", &Claim{Rationale: "bad \xff"}), `annotation "a-4": claim.rationale: is not valid utf-8`},
		{"note invalid utf-8", SetNote("a-1", "bad \xff"), `annotation "a-1": note is not valid utf-8`},
		{"unknown op", Edit{Op: "frobnicate", ID: "a-1"}, `frobnicate: unknown edit operation "frobnicate"`},
		{"year 10000", Edit{Op: OpNote, ID: "a-1", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, `annotation "a-1": modified time 10000-01-01T00:00:00Z is outside the years 1 to 9999`},
		{"empty batch", Batch(), `batch: batch has no edits`},
		{"batch fails late", Batch(Remove("a-1"), Relabel("a-2", "figure"), Remove("zz")), `edits[2]: annotation "zz": does not exist`},
		{"nested batch", Batch(SetNote("a-1", "n"), Batch(Add(modelAnn("a-9", "place", 7, 11)), Resize("a-9", Range{7, 99}))), `edits[1].edits[1]: annotation "a-9": range [7, 99) ends after the text's 28 code points`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := modelState(t)
			before, rev := s.Annotations(), s.Revision
			_, err := s.Apply(tc.e)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Apply: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Apply succeeded, want error %q", tc.want)
			}
			var ee *EditError
			if !errors.As(err, &ee) {
				t.Errorf("error %T is not an *EditError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
			if diff := cmp.Diff(before, s.Annotations(), cmpAnn); diff != "" || s.Revision != rev {
				t.Errorf("refused edit changed the state (revision %d -> %d):\n%s", rev, s.Revision, diff)
			}
			checkSpanList(t, s)
		})
	}
}

func TestApplyClaimVocabulary(t *testing.T) {
	s := modelState(t)
	_, err := s.Apply(SetClaim("a-4", &Claim{Verdict: "nope"}))
	if err == nil || !strings.HasPrefix(err.Error(), `annotation "a-4": claim.verdict: unknown verdict "nope"`) {
		t.Errorf("bad verdict: got %v", err)
	}
	_, err = s.Apply(SetClaim("a-4", &Claim{Evidence: []Evidence{{URL: "javascript:alert(1)"}}}))
	if err == nil || !strings.HasPrefix(err.Error(), `annotation "a-4": claim.evidence[0].url: `) {
		t.Errorf("bad evidence URL: got %v", err)
	}
}

// TestApplyInverse applies each edit and its inverse and checks that the
// inverse restores the state exactly (times included) and that inverting
// twice gives the edited state again.
func TestApplyInverse(t *testing.T) {
	at := modelT0.Add(time.Hour)
	for _, tc := range []struct {
		name string
		e    Edit
	}{
		{"add", Add(modelAnn("a-9", "place", 7, 11))},
		{"add nested", Add(modelAnn("a-9", "claim", 12, 27))},
		{"remove", Remove("a-3")},
		{"remove claim", Remove("a-4")},
		{"remove claimant", Remove("a-1")},
		{"relabel", Relabel("a-3", "place")},
		{"relabel to claim", Relabel("a-1", "claim")},
		{"resize", Resize("a-3", Range{19, 27})},
		{"note", SetNote("a-2", "Ukrainian flag")},
		{"clear claim", SetClaim("a-4", nil)},
		{"set claim", SetClaim("a-4", &Claim{Verdict: "misleading", Text: "Aid rose 12%."})},
		{"batch", Batch(Add(modelAnn("a-9", "place", 7, 11)), Relabel("a-9", "person"), Resize("a-9", Range{7, 14}), Remove("a-2"), SetNote("a-9", "n"))},
		{"nested batch", Batch(Batch(Remove("a-1"), Remove("a-4")), Add(modelAnn("a-1", "person", 0, 6)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := modelState(t)
			before := s.Annotations()
			e := tc.e
			e.At = at
			inv, err := s.Apply(e)
			if err != nil {
				t.Fatal(err)
			}
			after := s.Annotations()
			if cmp.Equal(before, after, cmpAnn) {
				t.Fatal("edit changed nothing")
			}
			inv2, err := s.Apply(inv)
			if err != nil {
				t.Fatalf("inverse %+v: %v", inv, err)
			}
			if diff := cmp.Diff(before, s.Annotations(), cmpAnn); diff != "" {
				t.Errorf("inverse did not restore the state (-before +now):\n%s", diff)
			}
			if _, err := s.Apply(inv2); err != nil {
				t.Fatalf("inverse of inverse: %v", err)
			}
			if diff := cmp.Diff(after, s.Annotations(), cmpAnn); diff != "" {
				t.Errorf("inverse of inverse did not redo the edit (-after +now):\n%s", diff)
			}
			if s.Revision != 4+3 {
				t.Errorf("Revision %d, want 7", s.Revision)
			}
			checkSpanList(t, s)
		})
	}
}

func TestApplyTimes(t *testing.T) {
	s := NewState(modelDoc(t, modelText), DefaultSchema())
	at := modelT0.Add(90*time.Minute + 123456789*time.Nanosecond).In(time.FixedZone("X", 3600))
	a := Annotation{ID: "a-1", Label: "person", Start: 0, End: 6}
	e := Add(a)
	e.At = at
	if _, err := s.Apply(e); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 11, 25, 10, 30, 0, 123000000, time.UTC)
	got, _ := s.Annotation("a-1")
	if got.Created != want || got.Modified != want {
		t.Errorf("times %v %v, want both %v (UTC, milliseconds)", got.Created, got.Modified, want)
	}
	e = Relabel("a-1", "place")
	e.At = want.Add(time.Minute)
	if _, err := s.Apply(e); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Annotation("a-1")
	if got.Created != want || got.Modified != want.Add(time.Minute) {
		t.Errorf("after relabel: created %v modified %v", got.Created, got.Modified)
	}
	// A zero At takes the clock; inside a batch, the batch's time.
	defer func(f func() time.Time) { clockNow = f }(clockNow)
	clockNow = func() time.Time { return modelT0.Add(48 * time.Hour) }
	if _, err := s.Apply(SetNote("a-1", "x")); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Annotation("a-1")
	if got.Modified != modelT0.Add(48*time.Hour) {
		t.Errorf("zero At: modified %v", got.Modified)
	}
	b := Batch(SetNote("a-1", "y"), Add(Annotation{ID: "a-2", Label: "figure", Start: 24, End: 27}))
	b.At = modelT0.Add(72 * time.Hour)
	if _, err := s.Apply(b); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a-1", "a-2"} {
		got, _ = s.Annotation(id)
		if got.Modified != b.At {
			t.Errorf("%s in batch: modified %v, want %v", id, got.Modified, b.At)
		}
	}
}

func TestBatchAtomic(t *testing.T) {
	s := modelState(t)
	before := s.Annotations()
	b := Batch(Remove("a-1"), Remove("a-2"), Add(modelAnn("a-2", "figure", 7, 11)), Resize("a-3", Range{24, 99}))
	if _, err := s.Apply(b); err == nil {
		t.Fatal("batch with a bad last edit applied")
	}
	if diff := cmp.Diff(before, s.Annotations(), cmpAnn); diff != "" || s.Revision != 4 {
		t.Fatalf("failed batch changed the state:\n%s", diff)
	}
	b.Edits[3] = Resize("a-3", Range{19, 27})
	inv, err := s.Apply(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Revision != 5 || s.Len() != 3 {
		t.Errorf("after batch: Revision %d Len %d, want 5 and 3", s.Revision, s.Len())
	}
	if _, err := s.Apply(inv); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, s.Annotations(), cmpAnn); diff != "" {
		t.Errorf("undoing the batch (-want +got):\n%s", diff)
	}
}

func TestRelabelDropsEmptyClaim(t *testing.T) {
	s := modelState(t)
	if _, err := s.Apply(SetClaim("a-4", &Claim{})); err != nil {
		t.Fatal(err)
	}
	before := s.Annotations()
	inv, err := s.Apply(Relabel("a-4", "figure"))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Annotation("a-4"); a.Claim != nil || a.Label != "figure" {
		t.Errorf("after relabel: %+v", a)
	}
	if _, err := s.Apply(inv); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, s.Annotations()); diff != "" {
		t.Errorf("undo (-want +got):\n%s", diff)
	}
}

func TestRemoveClaimant(t *testing.T) {
	s := modelState(t)
	e := Remove("a-1")
	e.At = modelT0.Add(time.Hour)
	if _, err := s.Apply(e); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Annotation("a-4")
	if a.Claim.Claimant != (Claimant{Name: "Müller"}) || a.Modified != e.At {
		t.Errorf("claim after removing its claimant: %+v, modified %v", a.Claim.Claimant, a.Modified)
	}
}

func TestStateReturnsCopies(t *testing.T) {
	s := modelState(t)
	a, _ := s.Annotation("a-4")
	a.Claim.Verdict = "true"
	a.Claim.Evidence[0].URL = "https://changed.example"
	*a.Claim.CheckWorthy = false
	for _, b := range s.Annotations() {
		if b.Claim != nil {
			b.Claim.Text = "changed"
		}
	}
	c := &Claim{Verdict: "mixed"}
	e := SetClaim("a-4", c)
	c.Verdict = "true"
	if _, err := s.Apply(e); err != nil {
		t.Fatal(err)
	}
	e.Claim.Verdict = "false"
	got, _ := s.Annotation("a-4")
	if got.Claim.Verdict != "mixed" || got.Claim.Text != "" {
		t.Errorf("state shares memory with its callers: %+v", got.Claim)
	}
}

// checkSpanList verifies the internal invariants of the span index.
func checkSpanList(t testing.TB, s *State) {
	t.Helper()
	n := 0
	var prev *Annotation
	for ci, c := range s.spans.chunks {
		if len(c.items) == 0 {
			t.Fatalf("chunk %d is empty", ci)
		}
		m := 0
		for _, a := range c.items {
			if prev != nil && !annotationLess(prev, a) {
				t.Fatalf("chunk %d: %s %v not after %s %v", ci, a.ID, a.Range(), prev.ID, prev.Range())
			}
			if s.byID[a.ID] != a {
				t.Fatalf("chunk %d: %s is not the indexed annotation", ci, a.ID)
			}
			prev = a
			m = max(m, a.End)
			n++
		}
		if c.maxEnd != m {
			t.Fatalf("chunk %d: maxEnd %d, want %d", ci, c.maxEnd, m)
		}
	}
	if n != len(s.byID) {
		t.Fatalf("%d annotations in chunks, %d by id", n, len(s.byID))
	}
	claimants := map[string]int{}
	for _, a := range s.byID {
		if a.Claim != nil && a.Claim.Claimant.SpanID != "" {
			claimants[a.Claim.Claimant.SpanID]++
		}
	}
	if !maps.Equal(claimants, s.claimants) {
		t.Fatalf("claimant index %v, want %v", s.claimants, claimants)
	}
}

// TestOverlappingRandom checks Overlapping and the order of Annotations
// against a brute-force filter through thousands of random edits.
func TestOverlappingRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := strings.Repeat("abcdefghij ", 500) // every position is a grapheme boundary
	n := len(text)
	s := NewState(modelDoc(t, text), DefaultSchema())
	n = s.Doc.Index().Len(CodePoints)
	labels := []string{"person", "place", "figure", "claim"}
	randRange := func() Range {
		a := rng.IntN(n)
		l := 1 + rng.IntN(20)
		if rng.IntN(10) == 0 {
			l = 1 + rng.IntN(600)
		}
		return Range{a, min(n, a+l)}
	}
	var ids []string
	for step := 0; step < 6000; step++ {
		var e Edit
		switch k := rng.IntN(10); {
		case k < 6 || len(ids) == 0:
			r := randRange()
			id := fmt.Sprintf("a-%d", step)
			e = Add(modelAnn(id, labels[rng.IntN(4)], r.Start, r.End))
		case k < 8:
			e = Remove(ids[rng.IntN(len(ids))])
		case k < 9:
			e = Resize(ids[rng.IntN(len(ids))], randRange())
		default:
			e = Relabel(ids[rng.IntN(len(ids))], labels[rng.IntN(4)])
		}
		if _, err := s.Apply(e); err != nil {
			continue // duplicates happen
		}
		ids = ids[:0]
		for _, a := range s.Annotations() {
			ids = append(ids, a.ID)
		}
		if step%200 != 0 {
			continue
		}
		checkSpanList(t, s)
		all := s.Annotations()
		if !stdslices.IsSortedFunc(all, func(a, b Annotation) int {
			if annotationLess(&a, &b) {
				return -1
			}
			return 1
		}) {
			t.Fatal("Annotations is not sorted")
		}
		for q := 0; q < 50; q++ {
			r := randRange()
			var want []string
			for _, a := range all {
				if a.Range().Overlaps(r) {
					want = append(want, a.ID)
				}
			}
			var got []string
			for _, a := range s.Overlapping(r) {
				got = append(got, a.ID)
			}
			if !stdslices.Equal(got, want) {
				t.Fatalf("step %d: Overlapping(%v) = %v, want %v", step, r, got, want)
			}
		}
	}
	if s.Len() < 1000 {
		t.Errorf("only %d annotations at the end; the test should exercise chunk splits", s.Len())
	}
}

// benchState is a state on a 1 MB text (the seed article repeated) with
// 10,000 annotations: words as persons, places and figures, and every 20th a
// sentence as a claim.
func benchState(b testing.TB) *State { return benchStateOf(b, 1<<20) }

// benchStateOf is benchState on a text of at least size bytes.
func benchStateOf(b testing.TB, size int) *State {
	b.Helper()
	raw, err := readModelSeed()
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for sb.Len() < size {
		sb.Write(raw)
		sb.WriteByte('\n')
	}
	d, err := FromText([]byte(sb.String()), TextOptions{})
	if err != nil {
		b.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	ix := d.Index()
	words, sents := ix.Words(), ix.Sentences()
	rng := rand.New(rand.NewPCG(3, 4))
	labels := []string{"person", "place", "figure"}
	var list []*Annotation
	seen := map[Range]bool{}
	for i := 0; len(list) < 10000; i++ {
		a := &Annotation{ID: fmt.Sprintf("a-%016x", i), Created: modelT0, Modified: modelT0}
		if i%20 == 0 {
			r := sents[rng.IntN(len(sents))]
			a.Label, a.Start, a.End = "claim", r.Start, r.End
		} else {
			k := rng.IntN(len(words) - 3)
			a.Label, a.Start, a.End = labels[rng.IntN(3)], words[k].Start, words[k+rng.IntN(3)].End
		}
		if seen[a.Range()] {
			continue
		}
		seen[a.Range()] = true
		list = append(list, a)
	}
	s.load(list)
	return s
}

func BenchmarkApply(b *testing.B) {
	s := benchState(b)
	words := s.Doc.Index().Words()
	rng := rand.New(rand.NewPCG(5, 6))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Alternately add a span somewhere and remove it again; every
		// Apply validates and updates the index.
		var e Edit
		if i%2 == 0 {
			w := words[rng.IntN(len(words))]
			e = Add(Annotation{ID: "a-bench", Label: "claim", Start: w.Start, End: w.End, Created: modelT0, Modified: modelT0})
		} else {
			e = Remove("a-bench")
		}
		e.At = modelT0
		if _, err := s.Apply(e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOverlapping(b *testing.B) {
	s := benchState(b)
	blocks := s.Doc.Blocks
	rng := rand.New(rand.NewPCG(7, 8))
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for b.Loop() {
		found += len(s.Overlapping(blocks[rng.IntN(len(blocks))].Range()))
	}
	b.ReportMetric(float64(found)/float64(b.N), "spans/op")
}

// readModelSeed reads the seed article that the app ships.
func readModelSeed() ([]byte, error) { return os.ReadFile("../app/seed/article.txt") }

// TestCountLabel: the per-label counts follow every edit, a rolled-back
// batch and a decoded state.
func TestCountLabel(t *testing.T) {
	s := benchState(t)
	check := func(when string) {
		t.Helper()
		want := map[string]int{}
		for _, a := range s.Annotations() {
			want[a.Label]++
		}
		for _, l := range s.Schema.Labels {
			if got := s.CountLabel(l.ID); got != want[l.ID] {
				t.Fatalf("%s: CountLabel(%q) = %d, want %d", when, l.ID, got, want[l.ID])
			}
		}
	}
	check("loaded")
	anns := s.Annotations()
	for i, e := range []Edit{Relabel(anns[1].ID, "place"), Relabel(anns[2].ID, "person"), Remove(anns[3].ID),
		Add(Annotation{ID: "a-x", Label: "figure", Start: anns[3].Start, End: anns[3].End})} {
		if _, err := s.Apply(e); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("after edit %d", i))
	}
	if _, err := s.Apply(Batch(Remove(anns[5].ID), Remove("a-missing"))); err == nil {
		t.Fatal("the batch was applied")
	}
	check("after a rolled-back batch")
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = Decode(data); err != nil {
		t.Fatal(err)
	}
	check("decoded")
}
