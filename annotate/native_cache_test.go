package annotate

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// encodeFresh is Encode without the cache of the previous encoding.
func encodeFresh(t testing.TB, s *State) []byte {
	t.Helper()
	e := &nativeEncoder{indent: true}
	if err := e.state(s); err != nil {
		t.Fatal(err)
	}
	return append(e.b, '\n')
}

// TestEncodeCache: after every kind of edit, and for another state of the
// same annotations on another document, Encode (which reuses the previous
// encoding of unchanged annotations) gives exactly the bytes of an encoding
// from scratch; a caller that writes into Encode's result does not change
// the next one.
func TestEncodeCache(t *testing.T) {
	s := benchState(t)
	at := time.Date(2025, 11, 26, 1, 0, 0, 0, time.UTC)
	anns := s.Annotations()
	claim := &Claim{Verdict: "false", Text: "a claim"}
	var claimID string
	for _, a := range anns {
		if l, _ := s.Schema.Label(a.Label); l.Kind == KindClaim {
			claimID = a.ID
			break
		}
	}
	if claimID == "" {
		t.Fatal("the bench state has no claim")
	}
	edits := []Edit{
		Relabel(anns[10].ID, "place"),
		Remove(anns[20].ID),
		Add(Annotation{ID: "a-new", Label: "figure", Start: anns[20].Start, End: anns[20].End}),
		SetNote(anns[30].ID, "a note \u2028 with \"quotes\""),
		Resize(anns[40].ID, Range{Start: anns[40].Start, End: anns[40].End}),
		SetClaim(claimID, claim),
	}
	got, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := encodeFresh(t, s); !bytes.Equal(got, want) {
		t.Fatal("first encoding differs")
	}
	for i, e := range edits {
		e.At = at.Add(time.Duration(i) * time.Second)
		if _, err := s.Apply(e); err != nil {
			t.Fatalf("edit %d (%s): %v", i, e.Op, err)
		}
		clear(got) // the caller may reuse the buffer
		if got, err = Encode(s); err != nil {
			t.Fatal(err)
		}
		if want := encodeFresh(t, s); !bytes.Equal(got, want) {
			t.Fatalf("after edit %d (%s) the encoding differs from a fresh one", i, e.Op)
		}
	}
	// A claim naming a person as claimant, then that person removed: the
	// claim changes too (it keeps the name); a batch that fails is rolled
	// back and leaves the old annotations in place.
	var personID string
	for a := range s.All() {
		if a.Label == "person" {
			personID = a.ID
			break
		}
	}
	more := []Edit{
		SetClaim(claimID, &Claim{Verdict: "false", Text: "a claim", Claimant: Claimant{SpanID: personID}}),
		Remove(personID),
	}
	for i, e := range more {
		if _, err := s.Apply(e); err != nil {
			t.Fatalf("edit %s: %v", e.Op, err)
		}
		if got, err = Encode(s); err != nil {
			t.Fatal(err)
		}
		if want := encodeFresh(t, s); !bytes.Equal(got, want) {
			t.Fatalf("after edit %d (%s) the encoding differs from a fresh one", i, e.Op)
		}
	}
	if _, err := s.Apply(Batch(Relabel(anns[50].ID, "place"), Remove("a-missing"))); err == nil {
		t.Fatal("a batch removing a missing annotation was applied")
	}
	if got, err = Encode(s); err != nil {
		t.Fatal(err)
	}
	if want := encodeFresh(t, s); !bytes.Equal(got, want) {
		t.Fatal("after a rolled-back batch the encoding differs from a fresh one")
	}
	// Many edits between encodings: the encodings of replaced annotations
	// are dropped once they outnumber a quarter of the state.
	all := s.Annotations()
	for round := range 30 {
		for k := range 100 {
			a := all[(round*100+k)%len(all)]
			if l, _ := s.Schema.Label(a.Label); l.Kind != KindEntity {
				continue
			}
			cur, _ := s.Annotation(a.ID)
			next := "place"
			if cur.Label == "place" {
				next = "person"
			}
			if _, err := s.Apply(Relabel(a.ID, next)); err != nil {
				t.Fatal(err)
			}
		}
		if got, err = Encode(s); err != nil {
			t.Fatal(err)
		}
	}
	if want := encodeFresh(t, s); !bytes.Equal(got, want) {
		t.Fatal("after 3,000 relabels the encoding differs from a fresh one")
	}
	if n, max := len(s.enc.last.m), s.Len()+s.Len()/4+64+100; n > max {
		t.Fatalf("the cache keeps %d encodings for %d annotations", n, s.Len())
	}
	// The same annotations over another text (the document changed under
	// the state) are encoded from that text.
	other, err := FromText([]byte(s.Doc.Text[:len(s.Doc.Text)/2]+fmt.Sprint(" changed")+s.Doc.Text[len(s.Doc.Text)/2+8:]), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Doc = other
	got, err = Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := encodeFresh(t, s); !bytes.Equal(got, want) {
		t.Fatal("after the document changed the encoding differs from a fresh one")
	}
}

// BenchmarkEncodeAfterEdit is autosave's work: encode 10,000 annotations
// on 1 MB after one edit.
func BenchmarkEncodeAfterEdit(b *testing.B) {
	s := benchState(b)
	if _, err := Encode(s); err != nil {
		b.Fatal(err)
	}
	id := s.Annotations()[100].ID
	labels := []string{"person", "place"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Apply(Relabel(id, labels[i%2])); err != nil {
			b.Fatal(err)
		}
		i++
		if _, err := Encode(s); err != nil {
			b.Fatal(err)
		}
	}
}
