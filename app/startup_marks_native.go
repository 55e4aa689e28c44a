//go:build !wasm

package main

// startupMark marks a step of the app's start in the browser (see
// startup_marks_wasm.go); natively there is nothing to mark.
func startupMark(string) {}
