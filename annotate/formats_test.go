package annotate

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// --- fixtures ---

var fxTestTime = time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)

// span is an annotation to make in a test state: the n-th (0-based)
// occurrence of quote, or an explicit code-point range when quote is "".
type fxSpan struct {
	label string
	quote string
	nth   int
	r     Range
	note  string
}

// fxNewTestState imports text and applies spans.
func fxNewTestState(t testing.TB, id, text string, spans ...fxSpan) *State {
	t.Helper()
	doc, err := FromText([]byte(text), TextOptions{ID: id})
	if err != nil {
		t.Fatalf("FromText(%s): %v", id, err)
	}
	s := NewState(doc, DefaultSchema())
	ix := doc.Index()
	var edits []Edit
	for _, sp := range spans {
		r := sp.r
		if sp.quote != "" {
			r = fxFindNth(t, ix, sp.quote, sp.nth)
		}
		edits = append(edits, Add(Annotation{ID: NewID(), Label: sp.label, Start: r.Start, End: r.End, Note: sp.note, Created: fxTestTime, Modified: fxTestTime}))
	}
	if len(edits) > 0 {
		if _, err := s.Apply(Batch(edits...)); err != nil {
			t.Fatalf("%s: applying spans: %v", id, err)
		}
	}
	return s
}

// fxFindNth returns the code-point range of the n-th occurrence of quote.
func fxFindNth(t testing.TB, ix *Index, quote string, n int) Range {
	t.Helper()
	text := ix.Text()
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(text[off:], quote)
		if j < 0 {
			t.Fatalf("%q occurrence %d not found", quote, n)
		}
		if i == n {
			s := utf8.RuneCountInString(text[:off+j])
			return Range{s, s + utf8.RuneCountInString(quote)}
		}
		off += j + len(quote)
	}
}

func fxSeedText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "app", "seed", "article.txt"))
	if err != nil {
		t.Fatalf("seed article: %v", err)
	}
	return string(b)
}

// fxSeedState is the seed article with persons, places, figures, claims
// (nested around them), notes, and a claim that crosses a line break.
func fxSeedState(t testing.TB) *State {
	t.Helper()
	text := fxSeedText(t)
	return fxNewTestState(t, "seed", text,
		fxSpan{label: "person", quote: "Dan Driscoll", note: "U.S. Army Secretary"},
		fxSpan{label: "person", quote: "Volodymyr Zelensky"},
		fxSpan{label: "person", quote: "David Butler"},
		fxSpan{label: "person", quote: "Denys Shmyhal", note: "Defense Minister;\nwith a line break\tand a tab"},
		fxSpan{label: "place", quote: "Kyiv"},
		fxSpan{label: "place", quote: "Kyiv", nth: 1},
		fxSpan{label: "place", quote: "Ternopil"},
		fxSpan{label: "place", quote: "Ukraine"},
		fxSpan{label: "place", quote: "U.S.", nth: 1},
		fxSpan{label: "figure", quote: "26 fatalities"},
		fxSpan{label: "figure", quote: "$105 million"},
		fxSpan{label: "figure", quote: "28-point"},
		fxSpan{label: "figure", quote: "2022"},
		fxSpan{label: "claim", quote: "behind-the-scenes negotiations between the U.S. and Russia have produced a tentative peace framework", note: "not confirmed by either side"},
		fxSpan{label: "claim", quote: "a Russian missile and drone strike targeted the western Ukrainian city of Ternopil, resulting in at least 26 fatalities"},
		// crosses the line break after "devastation."
		fxSpan{label: "claim", quote: "caused widespread devastation.\nDetails of the U.S. Military Delegation"},
	)
}

// fxUnicodeStates builds one state per file of the Unicode corpus: every
// word that is not plain ASCII is marked (alternating place and figure), and
// every sentence is a claim, so spans hold emoji, flags, combining marks,
// CJK, RTL text and astral letters, and nest.
func fxUnicodeStates(t testing.TB) []*State {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "unicode", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("unicode corpus: %v (%d files)", err, len(files))
	}
	var out []*State
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := FromText(raw, TextOptions{ID: strings.TrimSuffix(filepath.Base(f), ".txt")})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		s := NewState(doc, DefaultSchema())
		ix := doc.Index()
		var edits []Edit
		n := 0
		for _, w := range ix.Words() {
			txt := ix.Slice(w)
			ascii := true
			for i := 0; i < len(txt); i++ {
				if txt[i] >= utf8.RuneSelf {
					ascii = false
				}
			}
			if ascii || !ix.IsGraphemeBoundary(w.Start) || !ix.IsGraphemeBoundary(w.End) {
				continue
			}
			label := []string{"place", "figure", "person"}[n%3]
			n++
			edits = append(edits, Add(Annotation{ID: NewID(), Label: label, Start: w.Start, End: w.End, Created: fxTestTime, Modified: fxTestTime}))
		}
		for i, sent := range ix.Sentences() {
			note := ""
			if i%2 == 0 {
				note = "sentence " + fmt.Sprint(i) + " 🇺🇦 é"
			}
			edits = append(edits, Add(Annotation{ID: NewID(), Label: "claim", Start: sent.Start, End: sent.End, Note: note, Created: fxTestTime, Modified: fxTestTime}))
		}
		if _, err := s.Apply(Batch(edits...)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, s)
	}
	return out
}

// key is what a round trip must keep of an annotation.
type fxKey struct {
	Label      string
	Start, End int
	Note       string
}

func fxKeys(s *State, notes bool) []fxKey {
	var out []fxKey
	for _, a := range s.Annotations() {
		k := fxKey{Label: a.Label, Start: a.Start, End: a.End}
		if notes {
			k.Note = a.Note
		}
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Label < b.Label
	})
	return out
}

func fxMustCodec(t testing.TB, id string) *Codec {
	t.Helper()
	c, ok := LookupCodec(id)
	if !ok {
		t.Fatalf("codec %q is not registered", id)
	}
	return c
}

func fxFileNamed(t testing.TB, files []File, name string) File {
	t.Helper()
	for _, f := range files {
		if f.Name == name {
			return f
		}
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	t.Fatalf("no file %q among %v", name, names)
	return File{}
}

// --- registry ---

func TestRegistryHasTheFormats(t *testing.T) {
	want := map[string][2]bool{ // id: export, import
		"factmark": {true, true}, "spacy": {true, true}, "doccano": {true, true}, "labelstudio": {true, true},
		"brat": {true, true}, "conll": {true, false}, "hf": {true, false}, "checkworthy": {true, false},
	}
	var order []string
	for _, c := range Codecs() {
		order = append(order, c.ID)
		if c.Name == "" || len(c.Extensions) == 0 || c.MediaType == "" || c.Offsets == "" || c.Limits == "" || c.Losses == nil {
			t.Errorf("%s: incomplete codec: %+v", c.ID, c)
		}
		if w, ok := want[c.ID]; ok {
			if c.CanExport() != w[0] || c.CanImport() != w[1] {
				t.Errorf("%s: export %v import %v, want %v %v", c.ID, c.CanExport(), c.CanImport(), w[0], w[1])
			}
			delete(want, c.ID)
		}
		if c.Unit != "" && !c.Unit.valid() {
			t.Errorf("%s: unit %q is not a unit", c.ID, c.Unit)
		}
	}
	if len(want) > 0 {
		t.Errorf("not registered: %v", want)
	}
	// Menu order: Factmark first, then as menuOrder lists them.
	if len(order) == 0 || order[0] != "factmark" {
		t.Errorf("menu order %v: want factmark first", order)
	}
	pos := map[string]int{}
	for i, id := range order {
		pos[id] = i
	}
	if !(pos["labelstudio"] < pos["doccano"] && pos["doccano"] < pos["spacy"] && pos["spacy"] < pos["brat"] && pos["brat"] < pos["conll"] && pos["conll"] < pos["hf"] && pos["hf"] < pos["checkworthy"]) {
		t.Errorf("menu order %v", order)
	}
	if c, ok := LookupCodec("SpaCy"); !ok || c.ID != "spacy" {
		t.Errorf("LookupCodec is not case-insensitive")
	}
	if _, ok := LookupCodec("nope"); ok {
		t.Errorf("LookupCodec(nope) found something")
	}
	if fxMustCodec(t, "doccano").Unit != UTF16 || fxMustCodec(t, "spacy").Unit != CodePoints || fxMustCodec(t, "conll").Unit != "" {
		t.Errorf("units: doccano %q spacy %q conll %q", fxMustCodec(t, "doccano").Unit, fxMustCodec(t, "spacy").Unit, fxMustCodec(t, "conll").Unit)
	}
}

func TestRegisterRejectsBadCodecs(t *testing.T) {
	noop := func(*State) []string { return nil }
	enc := func(FileSink, ExportOptions) (Encoder, error) { return nil, nil }
	for name, c := range map[string]*Codec{
		"no id":        {Name: "x", Extensions: []string{".x"}, MediaType: "x/x", Losses: noop, NewEncoder: enc},
		"duplicate":    {ID: "spacy", Name: "x", Extensions: []string{".x"}, MediaType: "x/x", Losses: noop, NewEncoder: enc},
		"no losses":    {ID: "x1", Name: "x", Extensions: []string{".x"}, MediaType: "x/x", NewEncoder: enc},
		"no direction": {ID: "x2", Name: "x", Extensions: []string{".x"}, MediaType: "x/x", Losses: noop},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Register did not panic", name)
				}
			}()
			Register(c)
		}()
	}
}

func TestDetectCodec(t *testing.T) {
	for _, tc := range []struct{ name, head, want string }{
		{"a.json", "{\n  \"format\": \"factmark/v1\",\n", "factmark"},
		{"a.jsonl", `{"format":"factmark/v1","document":{}}`, "factmark"},
		{"tasks.json", `[{"id": 1, "data": {"text": "x"}, "annotations": []}]`, "labelstudio"},
		{"x.jsonl", `{"text": "Kyiv", "label": [[0, 4, "LOC"]]}`, "doccano"},
		{"x.jsonl", `{"text": "Kyiv", "tokens": [{"text": "Kyiv", "start": 0, "end": 4, "id": 0}], "spans": []}`, "spacy"},
		{"doc.ann", "T1\tPerson 0 4\tKyiv\n", "brat"},
		{"c.zip", "PK\x03\x04....doc.ann", "brat"},
	} {
		c, err := DetectCodec(tc.name, []byte(tc.head))
		if err != nil || c.ID != tc.want {
			t.Errorf("DetectCodec(%s, %.30q) = %v, %v; want %s", tc.name, tc.head, c, err, tc.want)
		}
	}
	if _, err := DetectCodec("notes.docx", []byte("PK\x03\x04word/")); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("docx: %v", err)
	}
	for _, tc := range []struct{ name, want string }{
		{"out.json", "factmark"}, {"out.jsonl", "factmark"}, {"out.spacy.jsonl", "spacy"}, {"x.doccano.jsonl", "doccano"},
		{"out.conll", "conll"}, {"out.zip", "brat"}, {"doc.ann", "brat"}, {"x.hf.jsonl", "hf"}, {"x.checkworthy.jsonl", "checkworthy"},
		{"x.labelstudio.json", "labelstudio"},
	} {
		c, err := CodecForOutput(tc.name)
		if err != nil || c.ID != tc.want {
			t.Errorf("CodecForOutput(%s) = %v, %v; want %s", tc.name, c, err, tc.want)
		}
	}
	if _, err := CodecForOutput("out.pdf"); err == nil {
		t.Errorf("CodecForOutput(out.pdf) did not fail")
	}
}

// --- exports: exact shape on the formats.md example ---

// The example of docs/formats.md: "12%" is bytes 31–34, UTF-16 26–29, code
// points 24–27, grapheme clusters 23–26.
const fxMdExample = "Müller said 🇺🇦 aid rose 12%."

func fxMdState(t testing.TB) *State {
	return fxNewTestState(t, "md", fxMdExample,
		fxSpan{label: "person", quote: "Müller", note: "the speaker"},
		fxSpan{label: "figure", quote: "12%"},
		fxSpan{label: "claim", quote: "aid rose 12%."},
	)
}

func fxExportString(t testing.TB, id string, states []*State, name string) string {
	t.Helper()
	files, err := Export(fxMustCodec(t, id), states, ExportOptions{})
	if err != nil {
		t.Fatalf("export %s: %v", id, err)
	}
	return string(fxFileNamed(t, files, name).Data)
}

func TestExportSpacy(t *testing.T) {
	got := fxExportString(t, "spacy", []*State{fxMdState(t)}, "md.spacy.jsonl")
	want := `{"text":"Müller said 🇺🇦 aid rose 12%.","tokens":[` +
		`{"text":"Müller","start":0,"end":6,"id":0,"ws":true},{"text":"said","start":7,"end":11,"id":1,"ws":true},` +
		`{"text":"🇺🇦","start":12,"end":14,"id":2,"ws":true},{"text":"aid","start":15,"end":18,"id":3,"ws":true},` +
		`{"text":"rose","start":19,"end":23,"id":4,"ws":true},{"text":"12","start":24,"end":26,"id":5,"ws":false},` +
		`{"text":"%","start":26,"end":27,"id":6,"ws":false},{"text":".","start":27,"end":28,"id":7,"ws":false}],` +
		`"spans":[{"start":0,"end":6,"token_start":0,"token_end":0,"label":"PERSON"},` +
		`{"start":15,"end":28,"token_start":3,"token_end":7,"label":"CLAIM"},` +
		`{"start":24,"end":27,"token_start":5,"token_end":6,"label":"FIGURE"}],` +
		`"meta":{"id":"md","title":"Müller said 🇺🇦 aid rose 12%."}}` + "\n"
	if got != want {
		t.Errorf("spaCy export:\n got %s\nwant %s", got, want)
	}
}

func TestExportDoccanoCountsUTF16(t *testing.T) {
	got := fxExportString(t, "doccano", []*State{fxMdState(t)}, "md.doccano.jsonl")
	want := `{"text":"Müller said 🇺🇦 aid rose 12%.","label":[[0,6,"PERSON"],[17,30,"CLAIM"],[26,29,"FIGURE"]],"doc_id":"md","title":"Müller said 🇺🇦 aid rose 12%."}` + "\n"
	if got != want {
		t.Errorf("doccano export:\n got %s\nwant %s", got, want)
	}
}

func TestExportLabelStudio(t *testing.T) {
	s := fxMdState(t)
	files, err := Export(fxMustCodec(t, "labelstudio"), []*State{s}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(fxFileNamed(t, files, "md.labelstudio.json").Data)
	var ids []string
	for _, a := range s.Annotations() {
		ids = append(ids, a.ID)
	}
	want := "[\n" + `{"data":{"text":"Müller said 🇺🇦 aid rose 12%.","doc_id":"md","title":"Müller said 🇺🇦 aid rose 12%."},"annotations":[{"result":[` +
		`{"id":"` + ids[0] + `","from_name":"label","to_name":"text","type":"labels","value":{"start":0,"end":6,"text":"Müller","labels":["Person"]},"meta":{"text":["the speaker"]}},` +
		`{"id":"` + ids[1] + `","from_name":"label","to_name":"text","type":"labels","value":{"start":15,"end":28,"text":"aid rose 12%.","labels":["Disputed claim"]}},` +
		`{"id":"` + ids[2] + `","from_name":"label","to_name":"text","type":"labels","value":{"start":24,"end":27,"text":"12%","labels":["Figure"]}}` +
		`]}]}` + "\n]\n"
	if got != want {
		t.Errorf("Label Studio export:\n got %s\nwant %s", got, want)
	}
	cfg := string(fxFileNamed(t, files, "labeling-config.xml").Data)
	for _, w := range []string{`<Labels name="label" toName="text">`, `<Text name="text" value="$text"/>`, `<Label value="Person"`, `<Label value="Disputed claim"`, `hotkey="4"`} {
		if !strings.Contains(cfg, w) {
			t.Errorf("labeling config lacks %s:\n%s", w, cfg)
		}
	}
}

func TestExportBrat(t *testing.T) {
	s := fxNewTestState(t, "two-lines", "Müller said 🇺🇦 aid\nrose 12%.\n",
		fxSpan{label: "person", quote: "Müller", note: "line one\nline two"},
		fxSpan{label: "claim", quote: "aid\nrose 12%."},
		fxSpan{label: "figure", quote: "12%"},
	)
	files, err := Export(fxMustCodec(t, "brat"), []*State{s}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if txt := string(fxFileNamed(t, files, "two-lines.txt").Data); txt != s.Doc.Text {
		t.Errorf(".txt is %q, want the document text", txt)
	}
	ann := string(fxFileNamed(t, files, "two-lines.ann").Data)
	want := "T1\tPerson 0 6\tMüller\n#1\tAnnotatorNotes T1\tline one line two\n" +
		"T2\tDisputed_claim 15 18;19 28\taid rose 12%.\n" +
		"T3\tFigure 24 27\t12%\n"
	if ann != want {
		t.Errorf(".ann:\n got %q\nwant %q", ann, want)
	}
	conf := string(fxFileNamed(t, files, "annotation.conf").Data)
	if !strings.Contains(conf, "[entities]\nPerson\nPlace\nFigure\nDisputed_claim\n") || !strings.Contains(conf, "<OVERLAP>") {
		t.Errorf("annotation.conf:\n%s", conf)
	}
	fxFileNamed(t, files, "visual.conf")
	losses := fxMustCodec(t, "brat").Losses(s)
	if len(losses) != 1 || !strings.Contains(losses[0], "1 note with line breaks") {
		t.Errorf("brat losses: %q", losses)
	}

	// Several documents: one zip holding every pair and the configuration.
	s2 := fxNewTestState(t, "other", "Kyiv.\n", fxSpan{label: "place", quote: "Kyiv"})
	files, err = Export(fxMustCodec(t, "brat"), []*State{s, s2}, ExportOptions{Base: "set"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "set.brat.zip" || files[0].MediaType != "application/zip" {
		t.Fatalf("brat export of two documents: %v", files)
	}
	zr, err := zip.NewReader(bytes.NewReader(files[0].Data), int64(len(files[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "two-lines.txt two-lines.ann other.txt other.ann annotation.conf visual.conf" {
		t.Errorf("zip holds %v", names)
	}
}

func TestExportCoNLLAndHF(t *testing.T) {
	s := fxNewTestState(t, "c", "Dan Driscoll met Zelensky in Kyiv. Russia’s army lost 26 tanks.\n",
		fxSpan{label: "person", quote: "Dan Driscoll"},
		fxSpan{label: "person", quote: "Zelensky"},
		fxSpan{label: "place", quote: "Zelensky in Kyiv"}, // the longest wins: the inner spans are dropped
		fxSpan{label: "place", quote: "Kyiv"},
		fxSpan{label: "place", quote: "Russia"}, // splits the token Russia’s
		fxSpan{label: "figure", quote: "26"},
		fxSpan{label: "claim", quote: "Russia’s army lost 26 tanks."},
	)
	got := fxExportString(t, "conll", []*State{s}, "c.conll")
	want := "-DOCSTART- -X- -X- O\n\n" +
		"Dan B-PERSON\nDriscoll I-PERSON\nmet O\nZelensky B-PLACE\nin I-PLACE\nKyiv I-PLACE\n. O\n\n" +
		"Russia’s B-PLACE\narmy O\nlost O\n26 B-FIGURE\ntanks O\n. O\n\n"
	if got != want {
		t.Errorf("CoNLL:\n got %q\nwant %q", got, want)
	}
	losses := strings.Join(fxMustCodec(t, "conll").Losses(s), "\n")
	for _, w := range []string{`Person "Zelensky" at [17, 25) overlaps a Place already tagged (IOB2 has one tag per token): left out`, `Place "Kyiv" at [29, 33) overlaps`, `Place "Russia" at [35, 41) splits a token: tagged as the whole tokens "Russia’s"`, "1 claim is not in token tags"} {
		if !strings.Contains(losses, w) {
			t.Errorf("CoNLL losses lack %q:\n%s", w, losses)
		}
	}
	files, err := Export(fxMustCodec(t, "hf"), []*State{s}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hf := string(fxFileNamed(t, files, "c.hf.jsonl").Data)
	wantHF := `{"id":"c-0","doc_id":"c","tokens":["Dan","Driscoll","met","Zelensky","in","Kyiv","."],"ner_tags":[1,2,0,3,4,4,0]}` + "\n" +
		`{"id":"c-1","doc_id":"c","tokens":["Russia’s","army","lost","26","tanks","."],"ner_tags":[3,0,0,5,0,0]}` + "\n"
	if hf != wantHF {
		t.Errorf("HF:\n got %s\nwant %s", hf, wantHF)
	}
	labels := string(fxFileNamed(t, files, "labels.json").Data)
	if labels != "[\n  \"O\",\n  \"B-PERSON\",\n  \"I-PERSON\",\n  \"B-PLACE\",\n  \"I-PLACE\",\n  \"B-FIGURE\",\n  \"I-FIGURE\"\n]\n" {
		t.Errorf("labels.json: %s", labels)
	}
}

func TestExportCheckWorthy(t *testing.T) {
	no := false
	s := fxNewTestState(t, "cw", "Zelensky spoke. Aid rose 12%. Nothing else. The war ends soon.",
		fxSpan{label: "person", quote: "Zelensky"},
		fxSpan{label: "claim", quote: "Aid rose 12%"},
		fxSpan{label: "claim", quote: "The war ends soon."},
	)
	// Mark the last claim as not check-worthy.
	for _, a := range s.Annotations() {
		if a.Label == "claim" && a.Start > 40 {
			if _, err := s.Apply(SetClaim(a.ID, &Claim{CheckWorthy: &no})); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := fxExportString(t, "checkworthy", []*State{s}, "cw.checkworthy.jsonl")
	want := `{"id":"cw-0","doc_id":"cw","sentence":0,"start":0,"end":15,"text":"Zelensky spoke.","label":0}` + "\n" +
		`{"id":"cw-1","doc_id":"cw","sentence":1,"start":16,"end":29,"text":"Aid rose 12%.","label":1}` + "\n" +
		`{"id":"cw-2","doc_id":"cw","sentence":2,"start":30,"end":43,"text":"Nothing else.","label":0}` + "\n" +
		`{"id":"cw-3","doc_id":"cw","sentence":3,"start":44,"end":62,"text":"The war ends soon.","label":0}` + "\n"
	if got != want {
		t.Errorf("check-worthy:\n got %s\nwant %s", got, want)
	}
	losses := strings.Join(fxMustCodec(t, "checkworthy").Losses(s), "\n")
	for _, w := range []string{"1 claim marked not check-worthy is not flagged", "1 claim cover part of a sentence", "1 entity is not exported"} {
		if !strings.Contains(losses, w) {
			t.Errorf("check-worthy losses lack %q:\n%s", w, losses)
		}
	}
}

func TestLosses(t *testing.T) {
	s := fxNewTestState(t, "l", "Russia’s army said 🇺🇦 aid rose 12%.",
		fxSpan{label: "place", quote: "Russia"},
		fxSpan{label: "figure", quote: "12%", note: "a note"},
		fxSpan{label: "claim", quote: "aid rose 12%."},
		fxSpan{label: "claim", quote: "army said 🇺🇦 aid"},
	)
	check := func(id string, want ...string) {
		t.Helper()
		got := fxMustCodec(t, id).Losses(s)
		all := strings.Join(got, "\n")
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("%s losses lack %q:\n%s", id, w, all)
			}
		}
	}
	check("spacy", `Place span "Russia" at [0, 6) does not line up with token boundaries (the tokens there are "Russia’s")`, "1 note on spans is not exported")
	check("doccano", "2 pairs of spans overlap", "1 note on spans is not exported")
	check("conll", "splits a token", "2 claims are not in token tags")
	if got := fxMustCodec(t, "labelstudio").Losses(s); len(got) != 0 {
		t.Errorf("labelstudio losses: %q", got)
	}
	if got := fxMustCodec(t, "factmark").Losses(s); len(got) != 0 {
		t.Errorf("factmark losses: %q", got)
	}
}

// --- round trips ---

// fxRoundTrip exports states with id and imports the files back.
func fxRoundTrip(t *testing.T, id string, states []*State) []*State {
	t.Helper()
	c := fxMustCodec(t, id)
	files, err := Export(c, states, ExportOptions{Base: "rt"})
	if err != nil {
		t.Fatalf("%s export: %v", id, err)
	}
	back, problems, err := Import(c, files, ImportOptions{})
	if err != nil {
		t.Fatalf("%s import: %v", id, err)
	}
	for _, p := range problems {
		t.Errorf("%s import problem: %v", id, p)
	}
	if len(back) != len(states) {
		t.Fatalf("%s: %d documents back, want %d", id, len(back), len(states))
	}
	return back
}

func TestRoundTrips(t *testing.T) {
	corpora := map[string][]*State{
		"seed":    {fxSeedState(t)},
		"unicode": fxUnicodeStates(t),
		"md":      {fxMdState(t)},
	}
	for _, id := range []string{"factmark", "labelstudio", "doccano", "spacy", "brat"} {
		for name, states := range corpora {
			t.Run(id+"/"+name, func(t *testing.T) {
				if id == "spacy" {
					for _, s := range states {
						if l := spacyLosses(s); len(l) > 0 && !strings.Contains(strings.Join(l, ""), "note") {
							t.Fatalf("%s: spans do not align, not a lossless case: %v", s.Doc.ID, l)
						}
					}
				}
				back := fxRoundTrip(t, id, states)
				for i, s := range states {
					notes := id == "labelstudio" || id == "factmark"
					if back[i].Doc.Text != s.Doc.Text {
						t.Errorf("%s: text changed", s.Doc.ID)
					}
					if back[i].Doc.ID != s.Doc.ID {
						t.Errorf("document id %q came back as %q", s.Doc.ID, back[i].Doc.ID)
					}
					got, want := fxKeys(back[i], notes), fxKeys(s, notes)
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("%s: annotations differ after %s round trip:\n got %v\nwant %v", s.Doc.ID, id, got, want)
					}
					if id == "brat" {
						// Single-line notes come back as they were.
						for j, a := range fxKeys(s, true) {
							if !strings.ContainsAny(a.Note, "\n\t") && fxKeys(back[i], true)[j].Note != a.Note {
								t.Errorf("brat note %q came back as %q", a.Note, fxKeys(back[i], true)[j].Note)
							}
						}
					}
				}
			})
		}
	}
}

// --- imports of hand-written files ---

func fxReadFixture(t testing.TB, name string) File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	return File{Name: name, Data: data}
}

type fxWant struct {
	label, text, note string
}

func fxSpansOf(s *State) []fxWant {
	ix := s.Doc.Index()
	var out []fxWant
	for _, a := range s.Annotations() {
		out = append(out, fxWant{a.Label, ix.Slice(a.Range()), a.Note})
	}
	return out
}

func fxImportFixture(t *testing.T, id string, opts ImportOptions, names ...string) ([]*State, []Problem, error) {
	t.Helper()
	var files []File
	for _, n := range names {
		files = append(files, fxReadFixture(t, n))
	}
	return Import(fxMustCodec(t, id), files, opts)
}

func fxProblemText(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

func fxWantProblems(t *testing.T, ps []Problem, want ...string) {
	t.Helper()
	all := fxProblemText(ps)
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
}

func TestImportLabelStudioFixture(t *testing.T) {
	states, problems, err := fxImportFixture(t, "labelstudio", ImportOptions{}, "labelstudio_tasks.json")
	if err != nil {
		t.Fatalf("import: %v\n%s", err, fxProblemText(problems))
	}
	if len(states) != 3 {
		t.Fatalf("%d documents, want 3", len(states))
	}
	got := fmt.Sprint(fxSpansOf(states[0]))
	want := fmt.Sprint([]fxWant{
		{"person", "Müller", "spoke first"},
		{"claim", "aid rose 12%.", "needs a source"},
		{"figure", "12%", ""},
	})
	if got != want {
		t.Errorf("task 1:\n got %s\nwant %s", got, want)
	}
	if states[0].Doc.ID != "task-101" {
		t.Errorf("task 1 id %q", states[0].Doc.ID)
	}
	if got := fmt.Sprint(fxSpansOf(states[1])); got != fmt.Sprint([]fxWant{{"place", "Kyiv", ""}, {"place", "Ternopil", ""}}) {
		t.Errorf("task 2 (prediction): %s", got)
	}
	if got := fmt.Sprint(fxSpansOf(states[2])); got != fmt.Sprint([]fxWant{{"person", "Zelensky", ""}}) {
		t.Errorf("task 3 (JSON_MIN): %s", got)
	}
	fxWantProblems(t, problems,
		"labelstudio_tasks.json: line 2: [0].annotations[1]: another annotator's annotation: not imported",
		`[0].annotations[0].result[3]: result of type "choices" is not imported`,
		"[1].predictions[0]: task has no annotation: imported its prediction",
	)
}

func TestImportLabelStudioReportsMismatches(t *testing.T) {
	_, problems, err := fxImportFixture(t, "labelstudio", ImportOptions{}, "labelstudio_bad.json")
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *ProblemsError", err)
	}
	fxWantProblems(t, problems,
		`labelstudio_bad.json: line 2: [0].annotations[0].result[0]: text at codepoint offsets [17, 20) differs from the span's text; counted in utf16 units these offsets give the text (does the file count utf16?) (expected "aid", found "d r")`,
		`[0].annotations[0].result[1]: label "ORG" cannot be mapped to the schema (person, place, figure, claim)`,
		`[0].annotations[0].result[2].value.start: is a string: regions of HyperText (XPath offsets) are not supported`,
	)
	// Lenient: the good span stays, the others are reported.
	states, problems, err := fxImportFixture(t, "labelstudio", ImportOptions{Lenient: true}, "labelstudio_bad.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fxSpansOf(states[0])); got != fmt.Sprint([]fxWant{{"person", "Müller", ""}}) {
		t.Errorf("lenient import kept %s", got)
	}
	if len(problems) != 3 {
		t.Errorf("lenient problems:\n%s", fxProblemText(problems))
	}
	// The unit can be overridden: the file counts UTF-16.
	states, problems, _ = fxImportFixture(t, "labelstudio", ImportOptions{Lenient: true, Unit: UTF16}, "labelstudio_bad.json")
	if got := fmt.Sprint(fxSpansOf(states[0])); got != fmt.Sprint([]fxWant{{"person", "Müller", ""}, {"place", "aid", ""}}) {
		t.Errorf("utf16 import kept %s\n%s", got, fxProblemText(problems))
	}
	// Unknown labels can be added to the schema.
	states, _, _ = fxImportFixture(t, "labelstudio", ImportOptions{Lenient: true, AddLabels: true}, "labelstudio_bad.json")
	if l, ok := states[0].Schema.Label("org"); !ok || l.Name != "ORG" || l.Kind != KindEntity {
		t.Errorf("ORG was not added: %+v", states[0].Schema)
	}
}

func TestImportDoccanoFixture(t *testing.T) {
	states, problems, err := fxImportFixture(t, "doccano", ImportOptions{}, "doccano.jsonl")
	if err != nil {
		t.Fatalf("import: %v\n%s", err, fxProblemText(problems))
	}
	if len(states) != 3 {
		t.Fatalf("%d documents, want 3", len(states))
	}
	if got := fmt.Sprint(fxSpansOf(states[0])); got != fmt.Sprint([]fxWant{{"person", "Müller", ""}, {"claim", "aid rose 12%.", ""}, {"figure", "12%", ""}}) {
		t.Errorf("line 1: %s", got)
	}
	if got := fmt.Sprint(fxSpansOf(states[1])); got != fmt.Sprint([]fxWant{{"person", "Zelensky", ""}, {"place", "Kyiv", ""}}) {
		t.Errorf("line 2 (relation mode): %s", got)
	}
	if states[2].Doc.ID != "doc-7" || len(states[2].Annotations()) != 1 {
		t.Errorf("line 4: id %q, %d spans", states[2].Doc.ID, len(states[2].Annotations()))
	}
	fxWantProblems(t, problems, "doccano.jsonl: line 2: relations: relations are not imported", `line 4: label[1]: document category "news" is not imported`)
}

func TestImportDoccanoReportsOffsets(t *testing.T) {
	_, problems, err := Import(fxMustCodec(t, "doccano"), []File{{Name: "bad.jsonl", Data: []byte(
		`{"text": "Kyiv 🇺🇦 now", "label": [[5, 6, "LOC"], [0, 40, "LOC"], [4, 2, "PER"]]}` + "\n" +
			`not json` + "\n" +
			`{"text": "", "label": []}` + "\n")}}, ImportOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	fxWantProblems(t, problems,
		"bad.jsonl: line 1: label[0]: utf16 offset 6 is inside a code point (surrogate pair)",
		"bad.jsonl: line 1: label[1]: utf16 offset 40 is out of range [0, 13]",
		"bad.jsonl: line 1: label[2]: span [4, 2) is empty or inverted",
		"bad.jsonl: line 2: invalid JSON",
		"bad.jsonl: line 3: text: text cannot be imported: text is empty or only whitespace",
	)
}

func TestImportSpacyFixture(t *testing.T) {
	states, problems, err := fxImportFixture(t, "spacy", ImportOptions{}, "prodigy.jsonl")
	if err != nil {
		t.Fatalf("import: %v\n%s", err, fxProblemText(problems))
	}
	if len(states) != 2 {
		t.Fatalf("%d documents, want 2", len(states))
	}
	if got := fmt.Sprint(fxSpansOf(states[0])); got != fmt.Sprint([]fxWant{{"person", "Dan Driscoll", ""}, {"place", "Kyiv", ""}, {"figure", "$105 million", ""}}) {
		t.Errorf("Prodigy line: %s", got)
	}
	if got := fmt.Sprint(fxSpansOf(states[1])); got != fmt.Sprint([]fxWant{{"person", "Zelensky", ""}, {"claim", "Ukraine will win.", ""}, {"place", "Ukraine", ""}}) {
		t.Errorf("spaCy Doc.to_json line: %s", got)
	}
	fxWantProblems(t, problems, `prodigy.jsonl: line 2: answer: example was answered "reject" in Prodigy: not imported`)

	_, problems, err = Import(fxMustCodec(t, "spacy"), []File{{Name: "x.jsonl", Data: []byte(
		`{"text": "Kyiv is big", "tokens": [{"text": "Kyiv", "start": 0, "end": 4, "id": 0}, {"text": "is", "start": 5, "end": 7, "id": 1}], ` +
			`"spans": [{"start": 0, "end": 7, "token_start": 0, "token_end": 0, "label": "GPE"}, {"start": 0, "end": 4, "label": "GPE", "text": "Kiev"}]}` + "\n")}}, ImportOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	fxWantProblems(t, problems,
		"x.jsonl: line 1: spans[0]: span [0, 7) does not match its tokens 0..0, which cover [0, 4)",
		`x.jsonl: line 1: spans[1]: text at codepoint offsets [0, 4) differs from the span's text; the text does not occur in the document (expected "Kiev", found "Kyiv")`)
}

func TestImportBratFixture(t *testing.T) {
	states, problems, err := fxImportFixture(t, "brat", ImportOptions{}, "brat_article.ann", "brat_article.txt")
	if err != nil {
		t.Fatalf("import: %v\n%s", err, fxProblemText(problems))
	}
	if len(states) != 1 {
		t.Fatalf("%d documents", len(states))
	}
	s := states[0]
	if s.Doc.ID != "brat_article" {
		t.Errorf("id %q", s.Doc.ID)
	}
	got := fmt.Sprint(fxSpansOf(s))
	want := fmt.Sprint([]fxWant{
		{"person", "Colonel David Butler", "spokesperson"},
		{"claim", "Driscoll and his team arrived in Kyiv\non a fact-finding mission.", "crosses a line"},
		{"place", "Kyiv", ""},
		{"figure", "$105 million", ""},
	})
	if got != want {
		t.Errorf("brat:\n got %s\nwant %s", got, want)
	}
	fxWantProblems(t, problems,
		"brat_article.ann: line 7: R1: relation (Located Arg1:T1 Arg2:T2) is not imported",
		"brat_article.ann: line 8: A1: attribute (Negated T3) is not imported",
	)
	// A zip of several.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"brat_article.ann", "brat_article.txt"} {
		w, _ := zw.Create("col/" + n)
		w.Write(fxReadFixture(t, n).Data)
	}
	w, _ := zw.Create("col/plain.txt")
	io.WriteString(w, "Only text.\n")
	zw.Close()
	states, problems, err = Import(fxMustCodec(t, "brat"), []File{{Name: "col.zip", Data: buf.Bytes()}}, ImportOptions{})
	if err != nil || len(states) != 2 || len(states[0].Annotations()) != 4 || len(states[1].Annotations()) != 0 {
		t.Fatalf("zip: %d states, err %v\n%s", len(states), err, fxProblemText(problems))
	}
	fxWantProblems(t, problems, "col.zip:col/plain.txt: no .ann beside the text: imported without annotations")
}

func TestImportBratReportsBadLines(t *testing.T) {
	txt := "Kyiv and Lviv.\nNext line here.\n"
	ann := "T1\tPlace 0 4\tKyiv\n" +
		"T2\tPlace 9 13\tLviw\n" + // quote mismatch
		"T3\tPlace 0 4;9 13\tKyiv Lviv\n" + // discontinuous
		"T4\tPlace x 4\tKyiv\n" + // bad offsets
		"T5\tOrganization 0 4\tKyiv\n" + // unknown label
		"\tnonsense\n"
	_, problems, err := Import(fxMustCodec(t, "brat"), []File{{Name: "d.ann", Data: []byte(ann)}, {Name: "d.txt", Data: []byte(txt)}}, ImportOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	fxWantProblems(t, problems,
		`d.ann: line 2: T2: text at codepoint offsets [9, 13) differs from the span's text; the text does not occur in the document (expected "Lviw", found "Lviv")`,
		`d.ann: line 3: T3: discontinuous span: its fragments are separated by " and ", and a Factmark span is continuous`,
		`d.ann: line 4: T4: fragment "x 4" is not "<start> <end>"`,
		`d.ann: line 5: T5: label "Organization" cannot be mapped`,
		`d.ann: line 6: want an id, a tab and an annotation`,
	)
	if _, _, err := Import(fxMustCodec(t, "brat"), []File{{Name: "d.ann", Data: []byte(ann)}}, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "d.txt") {
		t.Errorf("missing .txt: %v", err)
	}
}

func TestImportNormalizesTextAndMovesOffsets(t *testing.T) {
	// CRLF line breaks, a BOM and NFD text: offsets count the file's own
	// text and move with normalization.
	text := "\ufeffCafe\u0301 in Kyiv.\r\nMu\u0308ller said so.\r\n"
	task := `[{"data": {"text": ` + fxJsonString(text) + `}, "annotations": [{"result": [` +
		`{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 1, "end": 6, "text": "Cafe\u0301", "labels": ["Place"]}},` +
		`{"id": "r2", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 17, "end": 24, "text": "Mu\u0308ller", "labels": ["Person"]}},` +
		`{"id": "r3", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 10, "end": 16, "text": "Kyiv.\r", "labels": ["Place"]}},` +
		`{"id": "r4", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 1, "end": 5, "text": "Cafe", "labels": ["Place"]}}` +
		`]}]}]`
	states, problems, err := Import(fxMustCodec(t, "labelstudio"), []File{{Name: "n.json", Data: []byte(task)}}, ImportOptions{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	s := states[0]
	if strings.Join(s.Doc.Normalization, ",") != "strip-bom,crlf-to-lf,nfc" {
		t.Errorf("normalization %v", s.Doc.Normalization)
	}
	if got := fmt.Sprint(fxSpansOf(s)); got != fmt.Sprint([]fxWant{{"place", "Café", ""}, {"person", "Müller", ""}}) {
		t.Errorf("moved spans: %s", got)
	}
	fxWantProblems(t, problems,
		"[0].annotations[0].result[2]: span [10, 16) starts or ends inside a sequence that import normalization changes",
		"[0].annotations[0].result[3]: span [1, 5) starts or ends inside a sequence that import normalization changes",
	)
}

func fxJsonString(s string) string {
	var b strings.Builder
	writeJSONLine(&b, s)
	return strings.TrimSuffix(b.String(), "\n")
}

func TestImportLabelMapping(t *testing.T) {
	schema := DefaultSchema()
	for in, want := range map[string]string{
		"PER": "person", "PERSON": "person", "Person": "person", "per": "person",
		"LOC": "place", "GPE": "place", "PLACE": "place", "location": "place",
		"CARDINAL": "figure", "MONEY": "figure", "percent": "figure", "Figure": "figure",
		"Disputed claim": "claim", "Disputed_claim": "claim", "CLAIM": "claim",
	} {
		l, ok := resolveLabel(schema, in)
		if !ok || l.ID != want {
			t.Errorf("resolveLabel(%q) = %q, %v; want %q", in, l.ID, ok, want)
		}
	}
	for _, in := range []string{"ORG", "MISC", "", "NORP"} {
		if l, ok := resolveLabel(schema, in); ok {
			t.Errorf("resolveLabel(%q) = %q, want no match", in, l.ID)
		}
	}
}

func TestImportNativeDataset(t *testing.T) {
	a, b := fxMdState(t), fxSeedState(t)
	files, err := Export(fxMustCodec(t, "factmark"), []*State{a, b}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "dataset.jsonl" || bytes.Count(files[0].Data, []byte("\n")) != 2 {
		t.Fatalf("native dataset export: %v", files)
	}
	data := append(append([]byte{}, files[0].Data...), []byte("{\"format\": \"factmark/v1\"}\n")...)
	states, problems, err := Import(fxMustCodec(t, "factmark"), []File{{Name: "d.jsonl", Data: data}}, ImportOptions{})
	if len(states) != 2 || err == nil || len(problems) != 1 || problems[0].Line != 3 || problems[0].File != "d.jsonl" {
		t.Errorf("native dataset import with a bad third line: %d states, err %v, problems %v", len(states), err, problems)
	}
	// One document, indented.
	one, err := Export(fxMustCodec(t, "factmark"), []*State{a}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if one[0].Name != "md.factmark.json" {
		t.Errorf("native name %q", one[0].Name)
	}
	states, _, err = Import(fxMustCodec(t, "factmark"), one, ImportOptions{})
	if err != nil || len(states) != 1 || fmt.Sprint(fxKeys(states[0], true)) != fmt.Sprint(fxKeys(a, true)) {
		t.Errorf("native single: %v", err)
	}
}

func TestStreamEncoderWritesEmptyExports(t *testing.T) {
	for _, id := range []string{"labelstudio", "spacy", "hf"} {
		files, err := Export(fxMustCodec(t, id), nil, ExportOptions{})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if id == "labelstudio" && string(files[0].Data) != "[\n\n]\n" {
			t.Errorf("empty Label Studio export: %q", files[0].Data)
		}
	}
	// A one-document output refuses a second document.
	var sink MemorySink
	enc, _ := fxMustCodec(t, "factmark").NewEncoder(&sink, ExportOptions{})
	if err := enc.Encode(fxMdState(t)); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(fxMdState(t)); err == nil || !strings.Contains(err.Error(), "holds one document") {
		t.Errorf("second document: %v", err)
	}
}

func TestImportAddLabelsKeepsTheSchemaValid(t *testing.T) {
	line := `{"text": "Acme paid 12 staff in Kyiv.", "label": [[0, 4, "ORG"], [10, 12, "123"], [13, 18, "\u0001odd\tname"], [22, 26, "` + strings.Repeat("Very long label ", 8) + `"], [0, 4, "org"]]}`
	states, problems, err := Import(fxMustCodec(t, "doccano"), []File{{Name: "x.jsonl", Data: []byte(line)}}, ImportOptions{AddLabels: true})
	if err != nil {
		t.Fatalf("%v\n%s", err, fxProblemText(problems))
	}
	s := states[0]
	if err := s.Schema.Check(); err != nil {
		t.Fatalf("schema after adding labels: %v", err)
	}
	var got []string
	for _, l := range s.Schema.Labels[4:] {
		got = append(got, l.ID+"="+l.Name)
	}
	want := "org=ORG label123=123 oddname=odd name verylonglabelverylonglabelverylonglabelverylongl=" + strings.TrimSpace(strings.Repeat("Very long label ", 8)[:MaxLabelNameLen])
	if strings.Join(got, " ") != want {
		t.Errorf("added labels:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if len(s.Annotations()) != 4 {
		t.Errorf("%d annotations, want 4 (ORG and org are one label, one span)", len(s.Annotations()))
	}
	if _, err := Encode(s); err != nil {
		t.Errorf("the imported state does not encode: %v", err)
	}
}

// TestSpacyWriterMatchesEncodingJSON checks the hand-built spaCy writer
// against encoding/json on every test document and on awkward strings.
func TestSpacyWriterMatchesEncodingJSON(t *testing.T) {
	odd := "quote \" backslash \\ controls \x00\x01\b\f\n\r\t\x1f del \x7f <html> & \u2028\u2029 é 🇺🇦 \ufffd"
	states := append([]*State{fxSeedState(t), fxMdState(t), fxNewTestState(t, "odd", strings.NewReplacer("\x00", "", "\r", "").Replace(odd)+"\nKyiv", fxSpan{label: "place", quote: "Kyiv"})}, fxUnicodeStates(t)...)
	states[2].Doc.Title, states[2].Doc.Source = odd, "https://example.org/?a=1&b=<2>"
	for _, s := range states {
		ix := s.Doc.Index()
		words := ix.Words()
		rec := spacyRecord{Text: s.Doc.Text, Tokens: make([]spacyToken, len(words)), Spans: []spacySpan{}, Meta: metaOf(s.Doc)}
		for i, w := range words {
			rec.Tokens[i] = spacyToken{Text: ix.Slice(w), Start: w.Start, End: w.End, ID: i, WS: isWS(ix, w.End)}
		}
		for _, a := range s.Annotations() {
			if first, last, ok := tokenSpan(words, a.Range()); ok {
				rec.Spans = append(rec.Spans, spacySpan{Start: a.Start, End: a.End, TokenStart: first, TokenEnd: last, Label: exportName(labelOf(s, a.Label))})
			}
		}
		var want, got bytes.Buffer
		writeJSONLine(&want, rec)
		if err := writeSpacy(&got, s); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: writeSpacy differs from encoding/json:\n got %.300s\nwant %.300s", s.Doc.ID, got.String(), want.String())
		}
	}
	for _, str := range []string{"", odd, "\xff\xfeinvalid", strings.Repeat("ab\"", 100)} {
		var want bytes.Buffer
		writeJSONLine(&want, str)
		if got := string(appendJSONString(nil, str)) + "\n"; got != want.String() {
			t.Errorf("appendJSONString(%q) = %s, encoding/json gives %s", str, got, want.String())
		}
	}
}
