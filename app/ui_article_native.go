//go:build !wasm

package main

// glueWatchChunks has nothing to watch natively.
func glueWatchChunks(int) {}

// glueSizeChunk has nothing to size natively.
func glueSizeChunk(int) {}
