//go:build !wasm

package main

import (
	"bytes"
	"fmt"
)

// patchAppJS is go-app's app.js as the server serves it (and the static
// build writes it), changed for a faster first load:
//   - the saved work's database is opened at once (storeopen.go);
//   - the service worker is registered once the app has started
//     (swdefer.go);
//   - the wasm is compiled straight from the network (streamFetchJS).
func patchAppJS(js []byte) ([]byte, error) {
	js, err := deferServiceWorker(js)
	if err != nil {
		return nil, err
	}
	js, err = streamWasm(js)
	if err != nil {
		return nil, err
	}
	return append([]byte(storeOpenJS), js...), nil
}

// go-app's fetchWithProgress hands the wasm to WebAssembly.instantiateStreaming
// through a ReadableStream of its own, which JavaScript fills chunk by chunk
// to count the bytes for the loader's percentage: for the 11 MB app.wasm that
// costs 30-40 ms more than compiling from the fetch itself (median of ten
// compiles in headless Chromium, 135-141 ms against 98-111). streamWasm
// replaces it (a later function declaration of the same name wins) with one
// that gives the response itself to the compiler and counts the bytes of a
// clone of it for the percentage, with go-app's rules for the total.
func streamWasm(js []byte) ([]byte, error) {
	const decl = "\nasync function fetchWithProgress(url, progess) {\n"
	if n := bytes.Count(js, []byte(decl)); n != 1 {
		return nil, fmt.Errorf("go-app's app.js declares fetchWithProgress(url, progess) %d times, not once: the wasm streaming (appjs.go) needs updating for this go-app version", n)
	}
	return append(js, streamFetchJS...), nil
}

const streamFetchJS = `
// -----------------------------------------------------------------------------
// Factmark: the wasm is compiled from the response itself; a clone of it
// counts the bytes for the loader (app/appjs.go). This declaration replaces
// go-app's fetchWithProgress above.
// -----------------------------------------------------------------------------
async function fetchWithProgress(url, progress) {
  const response = await fetch(url);
  let contentLength = goappWasmContentLength;
  if (contentLength <= 0) {
    try {
      contentLength = response.headers.get(goappWasmContentLengthHeader);
    } catch { }
    if (!goappWasmContentLengthHeader || !contentLength) {
      contentLength = response.headers.get("Content-Length");
    }
  }
  const total = parseInt(contentLength, 10);
  if (!response.ok || !response.body || !(total > 0)) {
    return response;
  }
  const counted = response.clone();
  (async () => {
    try {
      const reader = counted.body.getReader();
      let loaded = 0;
      for (; ;) {
        const { done, value } = await reader.read();
        if (done) {
          progress(100);
          break;
        }
        loaded += value.byteLength;
        progress(Math.min(100, Math.round((loaded * 100) / total)));
      }
    } catch { }
  })();
  return response;
}
`
