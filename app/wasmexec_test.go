//go:build !wasm

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	toolchain := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js")
	theirs, err := os.ReadFile(toolchain)
	if err != nil {
		t.Fatalf("read toolchain wasm_exec.js: %v", err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Fatalf("wasm_exec.js differs from %s: copy it again with `cp $(go env GOROOT)/lib/wasm/wasm_exec.js .`", toolchain)
	}
}
