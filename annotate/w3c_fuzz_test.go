package annotate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzW3CText is the document the W3C decoder fuzz target imports into:
// short, with astral characters, a flag, a ZWJ sequence and combining marks,
// so that UTF-16 positions, grapheme boundaries and quotes all matter.
const fuzzW3CText = "Müller said 🇺🇦 aid rose 12% in Kyiv.\nZoë met 👨‍👩‍👧 in Kyiv; 𝐀𝐁 said “no”."

// FuzzImportW3C feeds arbitrary bytes to ImportW3C. It must never panic;
// what it accepts must be valid annotations of the document (in range, on
// grapheme boundaries, known labels, checked claims) that apply as one edit
// and survive an export and re-import unchanged. Seed corpus:
// testdata/fuzz/FuzzImportW3C (exports, Hypothesis- and Recogito-style
// annotations, broken inputs).
func FuzzImportW3C(f *testing.F) {
	f.Add([]byte(`{"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "Figure"}, "target": {"selector": [{"type": "TextQuoteSelector", "exact": "12%"}, {"type": "TextPositionSelector", "start": 24, "end": 27}]}}`))
	f.Add([]byte(`[{"type": "Annotation", "motivation": "tagging", "bodyValue": "Place", "target": {"selector": {"type": "TextQuoteSelector", "exact": "Kyiv", "prefix": "in ", "suffix": ";"}}}]`))
	f.Add([]byte(`{"type": "AnnotationCollection", "total": 1, "first": {"type": "AnnotationPage", "items": [{"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}, {"type": "TextualBody", "purpose": "classifying", "value": "False"}], "target": {"selector": {"type": "TextPositionSelector", "start": 0, "end": 37}}}]}}`))
	doc, err := FromText([]byte(fuzzW3CText), TextOptions{Source: "https://example.org/fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewState(doc, DefaultSchema())
		res, err := ImportW3C(s, data, W3COptions{})
		if err != nil {
			if res != nil {
				t.Fatalf("a result with the error %v", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		lenient, err := ImportW3C(s, data, W3COptions{Lenient: true})
		if err != nil || len(lenient.Annotations) != len(res.Annotations) {
			t.Fatalf("lenient import of input a strict import accepts: %v", err)
		}
		ix := doc.Index()
		for _, a := range res.Annotations {
			r := a.Range()
			if r.Start < 0 || r.End > ix.Len(CodePoints) || r.Len() == 0 || !ix.IsGraphemeBoundary(r.Start) || !ix.IsGraphemeBoundary(r.End) {
				t.Fatalf("bad range %v", r)
			}
			if _, ok := s.Schema.Label(a.Label); !ok {
				t.Fatalf("unknown label %q", a.Label)
			}
			if err := CheckClaim(a.Claim); err != nil {
				t.Fatalf("claim accepted with %v", err)
			}
		}
		if len(res.Annotations) == 0 {
			return
		}
		if _, err := s.Apply(res.Edit()); err != nil {
			t.Fatalf("accepted annotations do not apply: %v", err)
		}
		out, err := EncodeW3C(s)
		if err != nil {
			t.Fatal(err)
		}
		again := NewState(doc, DefaultSchema())
		res2, err := ImportW3C(again, out, W3COptions{})
		if err != nil {
			t.Fatalf("re-import of the export: %v", err)
		}
		if _, err := again.Apply(res2.Edit()); err != nil {
			t.Fatal(err)
		}
		// An empty claim record exports as none.
		want := s.Annotations()
		for i := range want {
			if want[i].Claim.IsZero() {
				want[i].Claim = nil
			}
		}
		if diff := cmp.Diff(want, again.Annotations()); diff != "" {
			t.Fatalf("export and re-import changed the annotations:\n%s", diff)
		}
		for _, n := range res2.Notices {
			if !strings.Contains(n.Reason, "not this document") {
				t.Fatalf("re-import notice %v", n)
			}
		}
	})
}
