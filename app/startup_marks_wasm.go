//go:build wasm

package main

import (
	"sync"
	"syscall/js"
)

// startupMark sets the performance mark "factmark:<name>" the first time it
// is called with name: the steps of the app's start show in the browser's
// performance timeline (and in BenchmarkColdPhases). Later calls do nothing.
func startupMark(name string) {
	startupMu.Lock()
	done := startupMarked[name]
	startupMarked[name] = true
	startupMu.Unlock()
	if done {
		return
	}
	if p := js.Global().Get("performance"); p.Truthy() && p.Get("mark").Truthy() {
		p.Call("mark", "factmark:"+name)
	}
}

var (
	startupMu     sync.Mutex
	startupMarked = map[string]bool{}
)
