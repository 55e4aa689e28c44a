package codecwork

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"factmark/annotate"

	"github.com/google/go-cmp/cmp"
)

// roundTrip packs and unpacks req and its answer, as the worker's messages
// do.
func roundTrip(t *testing.T, req *Request) *Response {
	t.Helper()
	head, parts, err := req.Pack()
	if err != nil {
		t.Fatal(err)
	}
	q, err := UnpackRequest(head, parts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(req.Files, q.Files, cmp.Comparer(func(a, b File) bool { return a.Name == b.Name && string(a.Data) == string(b.Data) })); diff != "" {
		t.Errorf("files after packing (-sent +received):\n%s", diff)
	}
	if len(q.Docs) != len(req.Docs) {
		t.Fatalf("%d documents sent, %d received", len(req.Docs), len(q.Docs))
	}
	r := Run(q)
	head, parts, err = r.Pack()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnpackResponse(head, parts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back, cmp.FilterPath(func(p cmp.Path) bool {
		return strings.HasSuffix(p.String(), "DocN") || strings.HasSuffix(p.String(), "DatN")
	}, cmp.Ignore())); diff != "" {
		t.Errorf("answer after packing (-sent +received):\n%s", diff)
	}
	return back
}

// TestJobs: an export with its losses, an import whose strict reading fails
// with the alternatives that work, a W3C import against a document, and the
// errors, each through the messages' packing.
func TestJobs(t *testing.T) {
	text := "Flag 🇺🇦: Olena Zelenska visited Kharkiv."
	doc, err := annotate.FromText([]byte(text), annotate.TextOptions{Title: "Visit"})
	if err != nil {
		t.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	start := len([]rune(text[:strings.Index(text, "Olena")]))
	if _, err := st.Apply(annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: "person", Start: start, End: start + 14, Note: "first lady"})); err != nil {
		t.Fatal(err)
	}
	native, err := annotate.Encode(st)
	if err != nil {
		t.Fatal(err)
	}

	// doccano: one file, and the note it cannot carry.
	r := roundTrip(t, &Request{Op: OpExport, Codec: "doccano", Base: "visit", Docs: [][]byte{native}})
	if r.Error != "" || r.Name != "visit.doccano.jsonl" || !strings.Contains(string(r.Data), "Olena") || len(r.Losses) == 0 {
		t.Errorf("doccano export: %+v", r)
	}
	// A corpus in brat: its own zip; in Label Studio: the tasks and the
	// labeling config, zipped here.
	r = roundTrip(t, &Request{Op: OpExport, Codec: "brat", Many: true, Docs: [][]byte{native, native}})
	if r.Error != "" || r.Name != "factmark-corpus.brat.zip" || r.Mime != "application/zip" || !strings.HasPrefix(string(r.Data), "PK") || r.LossNote != "" {
		t.Errorf("brat corpus export: %s %s %d bytes, error %q, losses %q", r.Name, r.Mime, len(r.Data), r.Error, r.LossNote)
	}
	r = roundTrip(t, &Request{Op: OpExport, Codec: "hf", Many: true, Docs: [][]byte{native, native}})
	if r.Error != "" || r.Name != "factmark-corpus-hf.zip" || !strings.HasPrefix(string(r.Data), "PK") || !strings.Contains(r.LossNote, "in 2 of them") {
		t.Errorf("Hugging Face corpus export: %s %d bytes, error %q, losses %q", r.Name, len(r.Data), r.Error, r.LossNote)
	}
	if r = roundTrip(t, &Request{Op: OpExport, Codec: "nope", Docs: [][]byte{native}}); !strings.Contains(r.Error, `"nope"`) {
		t.Errorf("unknown format: %+v", r)
	}
	if r = roundTrip(t, &Request{Op: OpExport, Codec: "spacy", Docs: [][]byte{[]byte("{")}}); !strings.Contains(r.Error, "does not decode") {
		t.Errorf("a broken document: %+v", r)
	}

	// Label Studio with JavaScript string indices: refused, with the
	// problems, and readable as UTF-16 or without the span.
	j := strings.Index(text, "Olena")
	u16 := len(utf16.Encode([]rune(text[:j])))
	ls := `[{"data": {"text": "` + text + `"}, "annotations": [{"result": [{"from_name": "label", "to_name": "text", "type": "labels",
		"value": {"start": ` + strconv.Itoa(u16) + `, "end": ` + strconv.Itoa(u16+14) + `, "text": "Olena Zelenska", "labels": ["Person"]}}]}]}]`
	r = roundTrip(t, &Request{Op: OpImport, Files: []File{{Name: "js.json", Data: []byte(ls)}}})
	o := r.Opened
	if o == nil || o.Error == "" || len(o.Problems) == 0 || o.Alt == nil || o.AltUnit != annotate.UTF16 || o.Lenient == nil || len(o.Alt.Docs) != 1 {
		t.Fatalf("Label Studio with UTF-16 offsets: %+v", o)
	}
	alt, err := annotate.Decode(o.Alt.Docs[0])
	if err != nil || alt.Len() != 1 || alt.Annotations()[0].Start != start {
		t.Errorf("read as UTF-16: %v, %+v", err, alt)
	}
	// A W3C file alone is only recognised; with the document it is matched.
	w3c, err := annotate.EncodeW3C(st)
	if err != nil {
		t.Fatal(err)
	}
	if r = roundTrip(t, &Request{Op: OpImport, W3CAlone: true, Files: []File{{Name: "v.jsonld", Data: w3c}}}); !r.W3C || r.Opened != nil {
		t.Errorf("a W3C file alone: %+v", r)
	}
	empty, _ := annotate.Encode(annotate.NewState(doc, annotate.DefaultSchema()))
	r = roundTrip(t, &Request{Op: OpW3C, Docs: [][]byte{empty}, Files: []File{{Name: "v.jsonld", Data: w3c}}})
	if r.W3CImport == nil || r.W3CImport.Import == nil || len(r.W3CImport.Import.Annotations) != 1 || r.W3CImport.Import.Annotations[0].Start != start {
		t.Errorf("W3C against the document: %+v", r.W3CImport)
	}
	if r = roundTrip(t, &Request{Op: OpWarm}); r.Error != "" {
		t.Errorf("warm-up: %s", r.Error)
	}
	if r = roundTrip(t, &Request{Op: "dance"}); !strings.Contains(r.Error, "dance") {
		t.Errorf("unknown operation: %+v", r)
	}
}
