// Factmark's import worker. The app starts it (app/worker_wasm.go) the first
// time it needs it, or when the user opens the Export menu, the Library or
// the Open control; it runs web/import.wasm (app/importworker), which reads
// text, Markdown and HTML files in any supported encoding, imports annotation
// files and datasets in every format, and builds the exports in every format
// but Factmark's own (app/codecwork). Both files are cached by the service
// worker, so importing and exporting work offline.
"use strict";
importScripts("/wasm_exec.js");
// Messages that arrive before the wasm runs wait here; the Go program takes
// them over with onmessage.
self.factmarkQueue = [];
self.onmessage = (e) => self.factmarkQueue.push(e.data);
const go = new Go();
WebAssembly.instantiateStreaming(fetch("/web/import.wasm"), go.importObject)
  .then((r) => go.run(r.instance))
  .catch((err) => self.postMessage({ fatal: "cannot start the import worker: " + err }));
