package main

import (
	"bytes"

	"factmark/annotate"
)

// Factmark's own format is exported in app.wasm, at once: annotate.Encode
// and the dataset writer are linked for autosave anyway. The files are those
// annotate.Export writes with the factmark codec.

// nativeCodecID is the id of Factmark's own format.
const nativeCodecID = "factmark"

// nativeExportFile is the download of one document in Factmark's format.
func nativeExportFile(s *annotate.State, base string) (name, mime string, data []byte, err error) {
	data, err = annotate.Encode(s)
	if err != nil {
		return "", "", nil, err
	}
	name = base + ".factmark.json"
	return name, annotate.MediaTypeOf(name), data, nil
}

// nativeCorpusFile is the download of several documents in Factmark's
// format: a dataset, one document per line.
func nativeCorpusFile(states []*annotate.State) (name, mime string, data []byte, err error) {
	var buf bytes.Buffer
	w := annotate.NewDatasetWriter(&buf)
	for _, s := range states {
		if err := w.Write(s); err != nil {
			return "", "", nil, err
		}
	}
	name = "factmark-corpus.jsonl"
	return name, annotate.MediaTypeOf(name), buf.Bytes(), nil
}
