//go:build wasm

package main

// runNative does nothing in the browser, where app.RunWhenOnBrowser serves the
// app and never returns; the command line is the native build's (cli.go).
func runNative([]string) int { return 0 }
