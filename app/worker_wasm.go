//go:build wasm

package main

import "factmark/annotate"

// runImport imports the file. First version: on a new goroutine in the UI's
// own wasm; the Web Worker replaces it.
func runImport(name string, data []byte, done func(*annotate.Document, error)) {
	go func() { done(annotate.ImportFile(name, data)) }()
}
