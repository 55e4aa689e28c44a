package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClaimRecordsSeed(t *testing.T) {
	s := seedClaimState(t, seedSource)
	recs, err := ClaimRecords(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want one per claim span (3)", len(recs))
	}
	var full ClaimRecord
	for _, r := range recs {
		if r.Verdict != nil && r.Verdict.ID == "false" {
			full = r
		}
	}
	a, _ := s.Annotation(full.ID)
	yes := true
	want := ClaimRecord{
		ID: a.ID, DocumentID: s.Doc.ID, DocumentTitle: s.Doc.Title, DocumentSource: seedSource, DocumentSHA256: s.Doc.SHA256,
		Label:     "claim",
		Claim:     "No U.S. military delegation this senior has visited Kyiv since January 2017.",
		Quote:     seedClaim,
		Context:   ClaimContext{Text: seedClaim, Start: a.Start, End: a.End},
		Offsets:   ClaimOffsets{CodePoints: a.Range(), UTF16: a.Range()}, // the seed article is all in the BMP
		Claimant:  ClaimantInfo{Name: "David Butler", SpanID: "a-0000000000000001"},
		ClaimDate: "2025-11-19",
		Verdict:   &Verdict{ID: "false", Name: "False", FEVER: "REFUTES", AVeriTeC: "Refuted", Rating: 1},
		Rationale: "Defense Secretary Lloyd Austin visited Kyiv in April 2022 and November 2023.",
		Evidence: []Evidence{
			{URL: "https://www.defense.gov/News/News-Stories/Article/Article/3009394/", Quote: "Austin, Blinken visit Kyiv", Stance: "refutes", Accessed: "2025-11-20"},
			{URL: "https://en.wikipedia.org/wiki/Daniel_P._Driscoll", Stance: "context"},
		},
		CheckWorthy: &yes,
		ReviewURL:   "https://factcheck.example.org/2025/kyiv-visit",
		Note:        "Checked with the Pentagon press office.",
	}
	if diff := cmp.Diff(want, full); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	// A claim span without details: the quote is the claim, the context is
	// its whole sentence, the rest is empty.
	last := recs[2]
	if last.Claim != "the U.S. and Russia have quietly drafted a 28-point peace proposal" || last.Claim != last.Quote ||
		last.Verdict != nil || last.CheckWorthy != nil || len(last.Evidence) != 0 || last.Evidence == nil {
		t.Errorf("record without details: %+v", last)
	}
	if !strings.HasPrefix(last.Context.Text, "Meanwhile, multiple news outlets") || !strings.HasSuffix(last.Context.Text, "peace proposal.") {
		t.Errorf("context sentence %q", last.Context.Text)
	}
}

func TestClaimRecordsUTF16(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	r := spanOf(t, d, "aid rose 12% in Kyiv.", 0)
	if _, err := s.Apply(Add(Annotation{ID: "a-1", Label: "claim", Start: r.Start, End: r.End})); err != nil {
		t.Fatal(err)
	}
	recs, err := ClaimRecords(s)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := d.Index().ConvertRange(r, CodePoints, UTF16)
	if got := recs[0].Offsets; got.CodePoints != r || got.UTF16 != u || u == r {
		t.Errorf("offsets %+v, want code points %v and UTF-16 %v", got, r, u)
	}
	if got := recs[0].Context.Text; got != "Kyiv 🇺🇦 said 👨‍👩‍👧 aid rose 12% in Kyiv." {
		t.Errorf("context %q", got)
	}
}

func TestWriteClaimsJSONL(t *testing.T) {
	s := seedClaimState(t, seedSource)
	data, err := EncodeClaims(s)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		line := sc.Bytes()
		var compact bytes.Buffer
		if err := json.Compact(&compact, line); err != nil || !bytes.Equal(compact.Bytes(), line) {
			t.Errorf("line %d is not one compact JSON value: %v", n+1, err)
		}
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "documentId", "documentTitle", "claim", "quote", "context", "offsets", "claimant", "claimDate", "verdict", "rationale", "evidence", "checkWorthy"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("line %d has no %q", n+1, k)
			}
		}
		if v, ok := rec["verdict"].(map[string]any); ok {
			for _, k := range []string{"id", "name", "fever", "averitec", "rating"} {
				if _, ok := v[k]; !ok {
					t.Errorf("line %d: verdict has no %q", n+1, k)
				}
			}
		}
		n++
	}
	if n != 3 || !bytes.HasSuffix(data, []byte("\n")) {
		t.Errorf("%d lines, want 3, each ending in a newline", n)
	}
	if strings.Contains(string(data), `\u0026`) || strings.Contains(string(data), `\u003c`) {
		t.Error("HTML escaping in the output")
	}
	// No claims: no lines.
	empty := NewState(s.Doc, s.Schema)
	if data, err := EncodeClaims(empty); err != nil || len(data) != 0 {
		t.Errorf("no claims: %q, %v", data, err)
	}
	if _, err := EncodeClaims(nil); err == nil {
		t.Error("nil state: no error")
	}
}
