//go:build !wasm

package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestStreamWasm: app.js declares fetchWithProgress twice, go-app's first
// and then the one that compiles from the response itself, which is the one
// that counts.
func TestStreamWasm(t *testing.T) {
	ensureRoutes()
	res, err := renderGoapp(newHandler(&webDir{files: map[string]*webFile{"app.wasm": {}}}, "v"), "/app.js")
	if err != nil {
		t.Fatal(err)
	}
	js := res.body
	goapp := bytes.Index(js, []byte("async function fetchWithProgress(url, progess) {"))
	ours := bytes.Index(js, []byte("async function fetchWithProgress(url, progress) {"))
	if goapp < 0 || ours < goapp {
		t.Errorf("app.js declares go-app's fetchWithProgress at %d and Factmark's at %d; want Factmark's after", goapp, ours)
	}
	if !bytes.HasSuffix(js, []byte(streamFetchJS)) {
		t.Errorf("app.js does not end with Factmark's fetchWithProgress")
	}
	if _, err := streamWasm([]byte("goappInitServiceWorker();\n")); err == nil || !strings.Contains(err.Error(), "appjs.go") {
		t.Errorf("streamWasm without go-app's fetchWithProgress: %v, want an error naming appjs.go", err)
	}
}
