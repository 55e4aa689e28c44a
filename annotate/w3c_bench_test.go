package annotate

import (
	"bytes"
	"fmt"
	"testing"
)

// benchClaimState is a 1 MB document (the seed article repeated) with
// 10,000 annotations: words of every label, and every tenth a claim over its
// sentence with full details.
func benchClaimState(b *testing.B) *State {
	b.Helper()
	raw := readSeedArticle(b)
	d, err := FromText(bytes.Repeat(append(raw, '\n'), 1<<20/len(raw)+1), TextOptions{Source: seedSource})
	if err != nil {
		b.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	ix := d.Index()
	words := ix.Words()
	labels := []string{"person", "place", "figure"}
	var edits []Edit
	yes := true
	seen := map[Range]bool{}
	for i := 0; len(edits) < 10000 && i < len(words); i++ {
		w := words[i*len(words)/10000]
		a := Annotation{ID: fmt.Sprintf("a-%016x", i), Label: labels[i%3], Start: w.Start, End: w.End, Created: testTime, Modified: testTime}
		if i%10 == 0 {
			r := ix.SentenceAt(w.Start)
			if seen[r] {
				continue
			}
			seen[r] = true
			a.Label, a.Start, a.End = "claim", r.Start, r.End
			a.Claim = &Claim{Verdict: "mixed", Text: "restated", Claimant: Claimant{Name: "Someone"}, Date: "2025-01-02", CheckWorthy: &yes,
				Rationale: "because", Evidence: []Evidence{{URL: "https://example.org/e", Quote: "q", Stance: "context", Accessed: "2025-01-03"}}}
		} else if seen[w] {
			continue
		}
		seen[w] = true
		edits = append(edits, Add(a))
	}
	if _, err := s.Apply(Batch(edits...)); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkEncodeW3C(b *testing.B) {
	s := benchClaimState(b)
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		data, err := EncodeW3C(s)
		if err != nil {
			b.Fatal(err)
		}
		n = len(data)
	}
	b.ReportMetric(float64(s.Len()), "annotations")
	b.SetBytes(int64(n))
}

func BenchmarkImportW3C(b *testing.B) {
	s := benchClaimState(b)
	data, err := EncodeW3C(s)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := ImportW3C(NewState(s.Doc, s.Schema), data, W3COptions{})
		if err != nil || len(res.Annotations) != s.Len() {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Len()), "annotations")
	b.SetBytes(int64(len(data)))
}

func BenchmarkClaimReviewAndClaims(b *testing.B) {
	s := benchClaimState(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := EncodeClaimReview(s, ClaimReviewOptions{Date: "2025-01-04"}); err != nil {
			b.Fatal(err)
		}
		if _, err := EncodeClaims(s); err != nil {
			b.Fatal(err)
		}
	}
}
