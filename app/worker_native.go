//go:build !wasm

package main

import (
	"factmark/annotate"
	"factmark/app/codecwork"
)

// runImport imports on a new goroutine: the native build links the importers.
func runImport(name string, data []byte, done func(*annotate.Document, error)) {
	go func() { done(annotate.ImportFile(name, data)) }()
}

// runCodec does the job on a new goroutine: the native build links the
// codecs. The request and the answer go through the same packing as in the
// browser, so that native tests exercise it.
func runCodec(req *codecwork.Request, done func(*codecwork.Response)) {
	go func() { done(runCodecNow(req)) }()
}

// warmWorker does nothing natively: there is no worker to start.
func warmWorker() {}

// warmOnDrag does nothing natively.
func warmOnDrag() {}

// warmIfStaysOpen does nothing natively.
func warmIfStaysOpen(id string) {}
