//go:build !wasm

package main

// importGroup imports one file, or a brat pair, at once, as openGroups does
// in the app: here, or by the worker's code on this goroutine. For tests
// and the native build.
func importGroup(g []inFile) opened {
	if res, ok := localGroup(g); ok {
		return res
	}
	return openedFrom(groupWhat(g), runCodecNow(importRequest(g)))
}
