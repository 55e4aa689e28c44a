//go:build !wasm

package main

import (
	"errors"

	"factmark/annotate"
	"factmark/app/codecwork"
)

// exportFile builds the download the Export menu gives for codec c, as the
// menu does: Factmark's own format here, the others through the worker's
// code (natively on this goroutine).
func exportFile(s *annotate.State, c annotate.CodecInfo) (name, mime string, data []byte, err error) {
	base := slug(s.Doc.Title)
	if c.ID == nativeCodecID {
		return nativeExportFile(s, base)
	}
	doc, err := annotate.Encode(s)
	if err != nil {
		return "", "", nil, err
	}
	r := runCodecNow(&codecwork.Request{Op: codecwork.OpExport, Codec: c.ID, Base: base, Docs: [][]byte{doc}})
	if r.Error != "" {
		return "", "", nil, errors.New(r.Error)
	}
	return r.Name, r.Mime, r.Data, nil
}
