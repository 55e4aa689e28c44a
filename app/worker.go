package main

import (
	"factmark/annotate"
	"factmark/app/codecwork"
)

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

// codecJob hands a job of codecwork (an export in a format other than
// Factmark's own, an import of annotation files, W3C annotations for the
// open document) to the worker and calls done with its answer, under the
// same rules as importArticle: exactly once, later, not on the UI
// goroutine. A worker that cannot start or fails answers with the error.
//
// In the browser the job runs in the import worker, whose wasm links
// annotate's codecs and archive/zip so that app.wasm does not; natively it
// runs on a new goroutine.
func codecJob(req *codecwork.Request, done func(*codecwork.Response)) {
	runCodec(req, done)
}
