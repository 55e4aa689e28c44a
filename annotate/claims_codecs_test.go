package annotate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClaimCodecs: the three formats are in the registry with the menu's
// metadata, and the registry's Export and Import give what the encoders do.
func TestClaimCodecs(t *testing.T) {
	for _, id := range []string{"w3c", "claimreview", "claims"} {
		c, ok := LookupCodec(id)
		if !ok {
			t.Fatalf("codec %s is not registered", id)
		}
		if !c.CanExport() || c.Name == "" || c.Limits == "" || c.Offsets == "" {
			t.Errorf("codec %s: %+v", id, c)
		}
		if c.CanImport() != (id == "w3c") {
			t.Errorf("codec %s: CanImport %v", id, c.CanImport())
		}
	}
	s := seedClaimState(t, seedSource)
	for _, tc := range []struct {
		id, file string
		encode   func() ([]byte, error)
	}{
		{"w3c", "seed.w3c.jsonld", func() ([]byte, error) { return EncodeW3C(s) }},
		{"claimreview", "seed.claimreview.jsonld", func() ([]byte, error) {
			b, _, err := EncodeClaimReview(s, ClaimReviewOptions{})
			return b, err
		}},
		{"claims", "seed.claims.jsonl", func() ([]byte, error) { return EncodeClaims(s) }},
	} {
		c, _ := LookupCodec(tc.id)
		files, err := Export(c, []*State{s}, ExportOptions{Base: "seed"})
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		want, err := tc.encode()
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 1 || files[0].Name != tc.file || string(files[0].Data) != string(want) {
			t.Errorf("%s: export gave %d files, first %q", tc.id, len(files), files[0].Name)
		}
		if got, err := CodecForOutput("out." + tc.id + strings.TrimPrefix(tc.file, "seed."+tc.id)); err != nil || got.ID != tc.id {
			t.Errorf("CodecForOutput for %s: %v, %v", tc.file, got, err)
		}
	}
	w3c, _ := LookupCodec("w3c")
	if got := w3c.Losses(s); got != nil {
		t.Errorf("w3c losses %q", got)
	}
	cr, _ := LookupCodec("claimreview")
	wantLosses := []string{
		"a-000000000000000a: claimReviewed: 76 characters, more than the 75 that ClaimReview readers show; shorten the restatement",
		"1 of 3 claims have no verdict and were left out",
		"9 spans of entity labels left out (a reviewed claim names its claimant)",
		"1 note on reviewed claims left out",
	}
	if diff := cmp.Diff(wantLosses, cr.Losses(s)); diff != "" {
		t.Errorf("claimreview losses (-want +got):\n%s", diff)
	}
	cl, _ := LookupCodec("claims")
	if got := cl.Losses(s); !cmp.Equal(got, []string{"9 spans of entity labels left out (claimants are kept by name)"}) {
		t.Errorf("claims losses %q", got)
	}
}

func TestClaimCodecsSeveralDocuments(t *testing.T) {
	a := seedClaimState(t, seedSource)
	d := emojiDoc(t)
	b := NewState(d, DefaultSchema())
	r := spanOf(t, d, "aid rose 12%", 0)
	if _, err := b.Apply(Add(Annotation{ID: "a-1", Label: "claim", Start: r.Start, End: r.End, Claim: &Claim{Verdict: "mixed"}})); err != nil {
		t.Fatal(err)
	}
	w3c, _ := LookupCodec("w3c")
	files, err := Export(w3c, []*State{a, b, a}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if want := []string{a.Doc.ID + ".w3c.jsonld", d.ID + ".w3c.jsonld", a.Doc.ID + "-2.w3c.jsonld"}; !cmp.Equal(names, want) {
		t.Errorf("w3c files %q, want %q", names, want)
	}
	cr, _ := LookupCodec("claimreview")
	files, err = Export(cr, []*State{a, b}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(decodeReviews(t, files[0].Data)); len(files) != 1 || n != 3 {
		t.Errorf("claimreview of two documents: %d files, %d reviews (want 1, 3)", len(files), n)
	}
	empty := NewState(d, DefaultSchema())
	if _, err := Export(cr, []*State{empty}, ExportOptions{}); err == nil || err.Error() != "claimreview: there are no claim spans to review" {
		t.Errorf("claimreview of a document without claims: %v", err)
	}
	cl, _ := LookupCodec("claims")
	files, err = Export(cl, []*State{a, b}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(files[0].Data), "\n"); n != 4 {
		t.Errorf("claims of two documents: %d lines, want 4", n)
	}
}

// TestW3CCodecImport imports through the registry with the text beside the
// annotations, as the command line does.
func TestW3CCodecImport(t *testing.T) {
	s := seedClaimState(t, "article.txt")
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	c, err := DetectCodec("notes.w3c.jsonld", data[:200])
	if err != nil || c.ID != "w3c" {
		t.Fatalf("DetectCodec: %v, %v", c, err)
	}
	text := File{Name: "article.txt", Data: readSeedArticle(t)}
	states, problems, err := Import(c, []File{{Name: "notes.w3c.jsonld", Data: data}, text}, ImportOptions{})
	if err != nil || len(problems) != 0 || len(states) != 1 {
		t.Fatalf("import: %d states, problems %v, %v", len(states), problems, err)
	}
	got := states[0]
	if got.Doc.ID != s.Doc.ID || got.Doc.Title != s.Doc.Title || got.Doc.Source != "article.txt" || got.Doc.SHA256 != s.Doc.SHA256 {
		t.Errorf("document %+v", got.Doc)
	}
	if diff := cmp.Diff(s.Annotations(), got.Annotations()); diff != "" {
		t.Errorf("annotations (-exported +imported):\n%s", diff)
	}
	// Found by the file's stem when the document record names no file.
	_, _, err = Import(c, []File{{Name: "article.jsonld", Data: []byte(`[]`)}, text}, ImportOptions{})
	if err != nil {
		t.Errorf("stem: %v", err)
	}
	// Without the text.
	_, _, err = Import(c, []File{{Name: "notes.w3c.jsonld", Data: data}}, ImportOptions{})
	var fe *FormatError
	if !errors.As(err, &fe) || err.Error() != "notes.w3c.jsonld: W3C annotations carry no document text: open the document in Factmark and import the annotations into it, or put article.txt or notes.txt beside this file" {
		t.Errorf("without text: %v", err)
	}
	// Another version of the text: every quote still has to match.
	edited := File{Name: "article.txt", Data: []byte(strings.Replace(string(text.Data), "Tragically, ", "", 1))}
	_, problems, err = Import(c, []File{{Name: "notes.w3c.jsonld", Data: data}, edited}, ImportOptions{})
	var pe *ProblemsError
	if !errors.As(err, &pe) || len(problems) < 2 || !strings.Contains(problems[0].Reason, "the annotations were made on another version of the text") {
		t.Fatalf("edited text: %v, %v", problems, err)
	}
	var mismatch *Problem
	for i, p := range problems {
		if p.Fatal {
			mismatch = &problems[i]
			break
		}
	}
	if mismatch == nil || mismatch.File != "notes.w3c.jsonld" || mismatch.Expected == "" || mismatch.Expected == mismatch.Found {
		t.Errorf("first mismatch %+v", mismatch)
	}
	// Lenient keeps the annotations before the edit.
	states, _, err = Import(c, []File{{Name: "notes.w3c.jsonld", Data: data}, edited}, ImportOptions{Lenient: true})
	if err != nil || len(states) != 1 || states[0].Len() == 0 || states[0].Len() >= s.Len() {
		t.Errorf("lenient: %v, %d states", err, len(states))
	}
}

// TestW3CCodecImportForeign: annotations from another tool take their
// page's URL as the document's source.
func TestW3CCodecImportForeign(t *testing.T) {
	c, _ := LookupCodec("w3c")
	data, err := os.ReadFile(filepath.Join("testdata", "w3c", "hypothesis-emoji.json"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join("testdata", "unicode", "emoji.txt"))
	if err != nil {
		t.Fatal(err)
	}
	states, problems, err := Import(c, []File{{Name: "emoji.jsonld", Data: data}, {Name: "emoji.txt", Data: text}}, ImportOptions{})
	if err != nil || len(states) != 1 || states[0].Len() != 4 {
		t.Fatalf("%v, %d states", err, len(states))
	}
	if src := states[0].Doc.Source; src != "https://example.org/emoji.txt" {
		t.Errorf("source %q", src)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Reason, "UTF-16") {
		t.Errorf("problems %v", problems)
	}
}
