//go:build !wasm

package main

import (
	"bytes"
	"fmt"
)

// go-app's app.js registers the service worker as soon as the page runs it,
// and the worker's install at once downloads, decodes and stores everything
// the app caches: both wasm programs and the web directory, tens of megabytes
// once decoded. On a cold first load that competes for the CPU with the
// download and compilation of app.wasm itself, which is what the user is
// waiting for (on two cores it made the first load about a quarter slower).
//
// deferServiceWorker changes app.js to register the worker once the app has
// started: after the frame that shows <html data-factmark="ready"> (set when
// the shell is mounted, glue_wasm.go), or, if the page never gets there (the
// wasm failed, ?wasm=false, a bot), ten seconds after the script ran. A
// hidden tab paints no frames, so there it registers at once on ready. What
// the worker does is unchanged, and so is everything else in app.js.
func deferServiceWorker(js []byte) ([]byte, error) {
	const call = "\ngoappInitServiceWorker();\n"
	if n := bytes.Count(js, []byte(call)); n != 1 {
		return nil, fmt.Errorf("go-app's app.js calls goappInitServiceWorker() %d times at the top level, not once: the service worker deferral (swdefer.go) needs updating for this go-app version", n)
	}
	js = bytes.Replace(js, []byte(call), []byte("\nfactmarkInitServiceWorkerWhenReady();\n"), 1)
	return append(js, swDeferJS...), nil
}

const swDeferJS = `
// -----------------------------------------------------------------------------
// Factmark: the service worker is registered once the app has started
// (app/swdefer.go says why).
// -----------------------------------------------------------------------------
function factmarkInitServiceWorkerWhenReady() {
  const root = document.documentElement;
  const ready = () => root.getAttribute("data-factmark") === "ready";
  let done = false;
  let observer = null;
  const register = () => {
    if (done) {
      return;
    }
    done = true;
    clearTimeout(timer);
    if (observer) {
      observer.disconnect();
    }
    goappInitServiceWorker();
  };
  const afterPaint = () => {
    if (document.hidden) {
      register();
      return;
    }
    requestAnimationFrame(() => setTimeout(register, 0));
  };
  const timer = setTimeout(register, 10000);
  if (ready()) {
    afterPaint();
    return;
  }
  observer = new MutationObserver(() => {
    if (ready()) {
      observer.disconnect();
      afterPaint();
    }
  });
  observer.observe(root, { attributes: true, attributeFilter: ["data-factmark"] });
}
`
