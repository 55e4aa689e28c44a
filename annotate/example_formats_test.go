package annotate_test

import (
	"fmt"
	"strings"

	"factmark/annotate"
)

// formatsExampleState is the example of the formats documentation: "12%" is code
// points 24–27 and UTF-16 code units 26–29, because the flag before it is two
// code points of two UTF-16 units each.
func formatsExampleState() *annotate.State {
	doc, _ := annotate.FromText([]byte("Müller said 🇺🇦 aid rose 12%."), annotate.TextOptions{ID: "example"})
	s := annotate.NewState(doc, annotate.DefaultSchema())
	s.Apply(annotate.Batch(
		annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: "person", Start: 0, End: 6, Note: "the speaker"}),
		annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: "figure", Start: 24, End: 27}),
		annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: "claim", Start: 15, End: 28}),
	))
	return s
}

// Export gives the files of an export, here doccano's JSON Lines, whose
// offsets count UTF-16 code units.
func ExampleExport() {
	doccano, _ := annotate.LookupCodec("doccano")
	files, err := annotate.Export(doccano, []*annotate.State{formatsExampleState()}, annotate.ExportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		fmt.Printf("%s (%s):\n%s", f.Name, f.MediaType, f.Data)
	}
	// Output:
	// example.doccano.jsonl (application/jsonl):
	// {"text":"Müller said 🇺🇦 aid rose 12%.","label":[[0,6,"PERSON"],[17,30,"CLAIM"],[26,29,"FIGURE"]],"doc_id":"example","title":"Müller said 🇺🇦 aid rose 12%."}
}

// Import reads files in a format: offsets are converted from the format's
// unit and checked against the text; labels are mapped onto the schema
// (PER → person). A span whose quote does not match is reported with what
// was expected and found, never shifted.
func ExampleImport() {
	spacy, _ := annotate.LookupCodec("spacy")
	line := `{"text": "Zelensky met Driscoll in Kyiv.", "spans": [` +
		`{"start": 0, "end": 8, "label": "PER"}, {"start": 25, "end": 29, "label": "GPE", "text": "Kyiv"}, ` +
		`{"start": 13, "end": 20, "label": "PER", "text": "Driscoll"}]}`
	states, problems, err := annotate.Import(spacy, []annotate.File{{Name: "ner.jsonl", Data: []byte(line)}}, annotate.ImportOptions{Lenient: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := states[0].Doc.Index()
	for _, a := range states[0].Annotations() {
		fmt.Printf("%s %v %q\n", a.Label, a.Range(), ix.Slice(a.Range()))
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	// Output:
	// person [0, 8) "Zelensky"
	// place [25, 29) "Kyiv"
	// ner.jsonl: line 1: spans[2]: text at codepoint offsets [13, 20) differs from the span's text; the text occurs once, at code points [13, 21) (expected "Driscoll", found "Driscol")
}

// Losses says what an export would drop, so the app can warn before it
// writes: IOB2 has one tag per token and no claims.
func ExampleCodec_Losses() {
	conll, _ := annotate.LookupCodec("conll")
	for _, l := range conll.Losses(formatsExampleState()) {
		fmt.Println(l)
	}
	// Output:
	// 1 claim is not in token tags (entities only); the check-worthy sentences export carries them
	// 1 note on spans is not exported
}

// Codecs lists the formats for the Export menu and the command line, each
// with the unit its offsets count in.
func ExampleCodecs() {
	for _, c := range annotate.Codecs() {
		switch c.ID {
		case "spacy", "doccano", "labelstudio", "brat", "conll":
			fmt.Printf("%-12s import %-5v %s\n", c.ID, c.CanImport(), c.Offsets)
		}
	}
	// Output:
	// labelstudio  import true  code points
	// doccano      import true  UTF-16 code units (JavaScript string indices)
	// spacy        import true  code points; token_end inclusive
	// brat         import true  code points
	// conll        import false tokens (no character offsets)
}

// DetectCodec finds the format of an input from its name and first bytes.
func ExampleDetectCodec() {
	for _, in := range []struct{ name, head string }{
		{"export.jsonl", `{"text": "Kyiv", "label": [[0, 4, "LOC"]]}`},
		{"export.jsonl", `{"text": "Kyiv", "tokens": [], "spans": []}`},
		{"project.json", `[{"id": 1, "data": {"text": "Kyiv"}, "annotations": []}]`},
		{"doc.ann", "T1\tPlace 0 4\tKyiv\n"},
	} {
		c, err := annotate.DetectCodec(in.name, []byte(in.head))
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(in.name, "→", c.ID)
	}
	// Output:
	// export.jsonl → doccano
	// export.jsonl → spacy
	// project.json → labelstudio
	// doc.ann → brat
}

// An Encoder streams: documents go in one at a time and files come out
// through a FileSink, here a zip.Writer would do as well as MemorySink.
func ExampleCodec_NewEncoder() {
	hf, _ := annotate.LookupCodec("hf")
	var sink annotate.MemorySink
	enc, _ := hf.NewEncoder(&sink, annotate.ExportOptions{Base: "train", Many: true})
	enc.Encode(formatsExampleState())
	enc.Close()
	for _, f := range sink.Result() {
		fmt.Printf("== %s\n%s", f.Name, strings.ReplaceAll(string(f.Data), "\n  ", " "))
	}
	// Output:
	// == train.hf.jsonl
	// {"id":"example-0","doc_id":"example","tokens":["Müller","said","🇺🇦","aid","rose","12","%","."],"ner_tags":[1,0,0,0,0,5,6,0]}
	// == labels.json
	// [ "O", "B-PERSON", "I-PERSON", "B-PLACE", "I-PLACE", "B-FIGURE", "I-FIGURE"
	// ]
}
