//go:build !wasm

package main

import "factmark/annotate"

// runImport imports on a new goroutine: the native build links the importers.
func runImport(name string, data []byte, done func(*annotate.Document, error)) {
	go func() { done(annotate.ImportFile(name, data)) }()
}
