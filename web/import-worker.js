// Factmark's import worker. The app starts it (app/worker_wasm.go) the first
// time an article file is opened; it runs web/import.wasm (app/importworker),
// which reads text, Markdown and HTML files in any supported encoding and
// answers with the document. Both files are cached by the service worker, so
// importing works offline.
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
