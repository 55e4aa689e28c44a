package main

import "factmark/annotate"

// importArticle imports an article file (.txt/.md/.html and the other
// extensions annotate.DetectArticleFormat knows, in any encoding
// annotate.ImportFile reads) exactly as annotate.ImportFile does, and calls
// done with the document or the error.
//
// done is always called exactly once, later, and not on the UI goroutine:
// never synchronously from inside importArticle. A caller that changes UI
// state in done must wrap it in ctx.Dispatch, as the Open control does with
// glueReadFiles.
//
// In the browser the import runs in a Web Worker with its own wasm
// (web/import.wasm), so that app.wasm does not link the HTML, Markdown and
// encoding packages; natively it runs on a new goroutine.
func importArticle(name string, data []byte, done func(*annotate.Document, error)) {
	runImport(name, data, done)
}
