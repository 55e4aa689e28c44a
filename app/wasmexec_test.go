//go:build !wasm

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWasmExecMatchesToolchain checks that the top-level wasm_exec.js is the
// Go toolchain's own copy: a stale copy breaks the wasm start-up in ways that
// are hard to diagnose.
func TestWasmExecMatchesToolchain(t *testing.T) {
	ours, err := os.ReadFile(filepath.Join("..", "wasm_exec.js"))
	if err != nil {
		t.Fatalf("read project wasm_exec.js: %v", err)
	}
	theirs, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatalf("read toolchain wasm_exec.js: %v", err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Fatalf("wasm_exec.js differs from %s: copy it again with `cp $(go env GOROOT)/lib/wasm/wasm_exec.js .`",
			filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	}
}
