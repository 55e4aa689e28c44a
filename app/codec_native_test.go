//go:build !factmark_ui

package main

import (
	"testing"

	"factmark/annotate"
)

// TestNativeExportIsTheCodecs: Factmark's own export, built in app.wasm
// without the codec registry, is the file annotate.Export writes with the
// factmark codec: for one document and for a library corpus.
func TestNativeExportIsTheCodecs(t *testing.T) {
	doc, err := seedDocument()
	if err != nil {
		t.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	if _, err := st.Apply(annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: "person", Start: 0, End: 4, Note: "n"})); err != nil {
		t.Fatal(err)
	}
	other := annotate.NewState(doc, annotate.DefaultSchema())
	c, ok := annotate.LookupCodec(nativeCodecID)
	if !ok {
		t.Fatal("no factmark codec")
	}
	want, err := annotate.Export(c, []*annotate.State{st}, annotate.ExportOptions{Base: "visit"})
	if err != nil || len(want) != 1 {
		t.Fatalf("annotate.Export: %v, %d files", err, len(want))
	}
	name, mime, data, err := nativeExportFile(st, "visit")
	if err != nil || name != want[0].Name || mime != want[0].MediaType || string(data) != string(want[0].Data) {
		t.Errorf("nativeExportFile: %s %s %d bytes (%v), annotate.Export: %s %s %d bytes", name, mime, len(data), err, want[0].Name, want[0].MediaType, len(want[0].Data))
	}
	want, err = annotate.Export(c, []*annotate.State{st, other}, annotate.ExportOptions{Base: "factmark-corpus", Many: true})
	if err != nil || len(want) != 1 {
		t.Fatalf("annotate.Export of a corpus: %v, %d files", err, len(want))
	}
	name, mime, data, err = nativeCorpusFile([]*annotate.State{st, other})
	if err != nil || name != want[0].Name || mime != want[0].MediaType || string(data) != string(want[0].Data) {
		t.Errorf("nativeCorpusFile: %s %s %d bytes (%v), annotate.Export: %s %s %d bytes", name, mime, len(data), err, want[0].Name, want[0].MediaType, len(want[0].Data))
	}
}
