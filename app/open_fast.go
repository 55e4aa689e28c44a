package main

import (
	"bytes"

	"factmark/annotate"
)

// nativeFile opens a Factmark document (factmark/v1) here, without the
// import worker: app.wasm has the native decoder anyway (autosave reads
// with it), and going through the worker would mean starting it, decoding
// there, encoding again and decoding here. Only a file that decodes cleanly
// is taken: anything else (another encoding, a dataset of several
// documents, problems with its spans) goes to the worker, whose import
// reports what is wrong and offers the ways out.
func nativeFile(f inFile) (opened, bool) {
	head := f.Data[:min(len(f.Data), 1024)]
	if !bytes.Contains(head, []byte(`"`+annotate.Format+`"`)) {
		return opened{}, false
	}
	st, err := annotate.Decode(f.Data)
	if err != nil {
		return opened{}, false
	}
	return opened{what: f.Name, states: []*annotate.State{st}}, true
}
