//go:build !wasm

package main

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
)

// swRegisterProbe records, when the page registers its service worker,
// whether the app had marked itself ready.
const swRegisterProbe = `(() => {
	const sw = navigator.serviceWorker, register = sw.register.bind(sw);
	window.__swRegistered = [];
	sw.register = (...args) => {
		window.__swRegistered.push(document.documentElement.getAttribute("data-factmark") || "not ready");
		return register(...args);
	};
})();`

// TestServiceWorkerAfterFirstPaint: the service worker, whose install
// downloads everything the app caches, is registered only once the app has
// rendered (swdefer.go), once, and still takes control of the page.
func TestServiceWorkerAfterFirstPaint(t *testing.T) {
	b := startedWith(t, swRegisterProbe)
	waitControlled(b)
	got := evalJS[[]string](b, `window.__swRegistered`)
	if len(got) != 1 || got[0] != "ready" {
		t.Errorf("the service worker was registered with the app in states %q, want once, when ready", got)
	}
}

// TestWasmPreloaded: the page starts downloading app.wasm with a preload
// hint, and app.js's fetch uses that download: the wasm crosses the network
// once.
func TestWasmPreloaded(t *testing.T) {
	b := startedWith(t, "")
	got := evalJS[[]string](b, `performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname === "/web/app.wasm").map((e) => e.initiatorType)`)
	if len(got) != 1 || got[0] != "link" {
		t.Errorf("app.wasm was fetched by %q, want once, by the preload link", got)
	}
}

// idbOpenProbe counts the page's opens of IndexedDB databases by name.
const idbOpenProbe = `(() => {
	const open = IDBFactory.prototype.open;
	window.__idbOpens = [];
	IDBFactory.prototype.open = function (name, ...rest) {
		window.__idbOpens.push(String(name));
		return open.call(this, name, ...rest);
	};
})();`

// TestStoreOpenedWithThePage: the saved work's database is opened by the
// page as soon as app.js runs (storeopen.go), once, and the app takes that
// connection over instead of opening its own; then saves and restores work
// through it.
func TestStoreOpenedWithThePage(t *testing.T) {
	b := startedWith(t, idbOpenProbe)
	b.WaitVisible(`html[data-factmark="ready"]`)
	opens := evalJS[[]string](b, `window.__idbOpens.filter((n) => n === "factmark")`)
	taken := evalJS[bool](b, `!!(window.factmarkStoreOpen && window.factmarkStoreOpen.taken)`)
	if len(opens) != 1 || !taken {
		t.Errorf("the database was opened %d times, taken over by the app: %v; want once, by the page, taken over", len(opens), taken)
	}
}

// loaderProbe records every text the wasm loader's label shows.
const loaderProbe = `(() => {
	window.__loaderLabels = [];
	new MutationObserver(() => {
		const l = document.getElementById("app-wasm-loader-label");
		if (l && window.__loaderLabels[window.__loaderLabels.length - 1] !== l.textContent) window.__loaderLabels.push(l.textContent);
	}).observe(document, {subtree: true, childList: true, characterData: true});
})();`

// TestLoaderShowsProgress: while the wasm downloads, the loader counts
// up in percent, as go-app's does, though the wasm is compiled from the
// response itself (appjs.go).
func TestLoaderShowsProgress(t *testing.T) {
	b := startedWith(t, loaderProbe)
	labels := evalJS[[]string](b, `window.__loaderLabels`)
	counted := false
	for _, l := range labels {
		if strings.HasPrefix(l, "Loading Factmark… ") && strings.HasSuffix(l, "%") && l != "Loading Factmark… 0%" {
			counted = true
		}
	}
	if !counted {
		t.Errorf("the loader showed %q, want a percentage above 0", labels)
	}
}

// TestStartupMarks: the app marks the steps of its start in the
// performance timeline, once each, in order (BenchmarkColdPhases reads them).
func TestStartupMarks(t *testing.T) {
	b := startedWith(t, "")
	b.WaitVisible(`html[data-factmark="ready"]`)
	got := evalJS[[]string](b, `performance.getEntriesByType("mark").map((m) => m.name).filter((n) => n.startsWith("factmark:"))`)
	want := []string{"factmark:main", "factmark:init", "factmark:storage", "factmark:storage-open", "factmark:storage-read", "factmark:render", "factmark:mounted"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("start-up marks %q, want %q", got, want)
	}
}

// startedWith starts the app server and a browser, installs probe (when
// not "") in every document before its scripts run, loads the app and waits
// until it has started.
func startedWith(t *testing.T, probe string) *testBrowser {
	t.Helper()
	srv := startAppServer(t)
	b := newBrowser(t)
	if probe != "" {
		cdpCall(b, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe})
	}
	b.Navigate(srv.URL)
	waitAppStarted(b)
	return b
}
