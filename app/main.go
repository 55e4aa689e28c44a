// Command factmark is the Factmark annotator: a go-app program that runs in
// the browser as WebAssembly (the view, in the UI files) and natively as the
// server and command line (the !wasm files).
package main

import (
	"os"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	startupMark("main")
	registerRoutes()
	app.RunWhenOnBrowser()
	os.Exit(runNative(os.Args[1:]))
}
