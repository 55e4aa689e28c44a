//go:build !wasm

package main

// glueWatchChunks has nothing to watch natively.
func glueWatchChunks(int) {}
