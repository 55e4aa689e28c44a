//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main says what this program is: it only runs in a browser's Web Worker.
func main() {
	fmt.Fprintln(os.Stderr, "importworker is the import worker of Factmark's browser app (web/import.wasm): build it with GOOS=js GOARCH=wasm")
	os.Exit(2)
}
