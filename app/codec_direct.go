//go:build !factmark_ui

package main

import "factmark/app/codecwork"

// Imports and exports done at once, on the calling goroutine, with
// codecwork.Run: in the native app (runCodec) and in tests. Not in the UI's
// wasm (the factmark_ui tag), which hands them to the worker.

// importGroup imports one file, or a brat pair, at once, as openGroups does
// in the app: here, or by the worker's code on this goroutine. For tests
// and the native build.
func importGroup(g []inFile) opened {
	if res, ok := localGroup(g); ok {
		return res
	}
	return openedFrom(groupWhat(g), runCodecNow(importRequest(g)))
}

// runCodecNow does the job here and now.
func runCodecNow(req *codecwork.Request) *codecwork.Response {
	head, parts, err := req.Pack()
	if err != nil {
		return &codecwork.Response{Error: err.Error()}
	}
	q, err := codecwork.UnpackRequest(head, parts)
	if err != nil {
		return &codecwork.Response{Error: err.Error()}
	}
	head, parts, err = codecwork.Run(q).Pack()
	if err != nil {
		return &codecwork.Response{Error: err.Error()}
	}
	r, err := codecwork.UnpackResponse(head, parts)
	if err != nil {
		return &codecwork.Response{Error: err.Error()}
	}
	return r
}
