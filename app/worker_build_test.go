package main

// wasmBuilds are the wasm programs of web/, built as the Makefile's build
// target builds them (the browser tests build what is missing or stale):
// the UI without annotate's article importers and codecs, and the import
// worker that has them.
var wasmBuilds = []struct{ out, pkg, tags string }{
	{"app.wasm", ".", "factmark_ui"},
	{"import.wasm", "./importworker", ""},
}
