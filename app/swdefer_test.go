//go:build !wasm

package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeferServiceWorker(t *testing.T) {
	ensureRoutes()
	res, err := renderGoapp(newHandler(&webDir{files: map[string]*webFile{"app.wasm": {}}}, "v"), "/app.js")
	if err != nil {
		t.Fatal(err)
	}
	js := res.body
	if bytes.Contains(js, []byte("\ngoappInitServiceWorker();\n")) {
		t.Errorf("app.js still registers the service worker when it runs")
	}
	if n := bytes.Count(js, []byte("\nfactmarkInitServiceWorkerWhenReady();\n")); n != 1 {
		t.Errorf("app.js calls the deferred registration %d times, want 1", n)
	}
	if !bytes.Contains(js, []byte("function factmarkInitServiceWorkerWhenReady()")) {
		t.Errorf("app.js lacks the deferred registration")
	}
	// Everything else go-app wrote is there, in order.
	if !bytes.Contains(js, []byte("goappInitWebAssembly();")) || !bytes.Contains(js, []byte("async function goappInitServiceWorker()")) {
		t.Errorf("app.js lost go-app's code:\n%s", js)
	}

	for _, bad := range []string{"", "goappInitServiceWorker();", "\ngoappInitServiceWorker();\n\ngoappInitServiceWorker();\n"} {
		if _, err := deferServiceWorker([]byte(bad)); err == nil || !strings.Contains(err.Error(), "swdefer.go") {
			t.Errorf("deferServiceWorker(%q) = %v, want an error naming swdefer.go", bad, err)
		}
	}
}
