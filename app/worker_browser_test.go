//go:build !wasm

package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/chromedp"
)

// workerAnswer is what the import worker posts back, as the page reads it.
type workerAnswer struct {
	ID     int    `json:"id"`
	Error  string `json:"error"`
	Offset int    `json:"offset"`
	Reason string `json:"reason"`
	Native string `json:"native"` // the document as a Factmark file
}

// importInWorker runs the app's real import worker (web/import-worker.js and
// web/import.wasm, as the page's service worker serves them) on one file.
func importInWorker(b *testBrowser, name string, data []byte) workerAnswer {
	b.t.Helper()
	return evalJS[workerAnswer](b, fmt.Sprintf(`(async () => {
		const bytes = Uint8Array.from(atob(%s), (c) => c.charCodeAt(0));
		const w = new Worker("/web/import-worker.js");
		const r = await new Promise((resolve) => {
			w.onmessage = (e) => resolve(e.data);
			w.onerror = (e) => resolve({error: "worker error: " + e.message});
			w.postMessage({id: 7, name: %s, data: bytes.buffer}, [bytes.buffer]);
		});
		w.terminate();
		return {id: r.id || 0, error: r.error || r.fatal || "", offset: r.offset ?? -2, reason: r.reason || "",
			native: r.data ? new TextDecoder().decode(r.data) : ""};
	})()`, jsString(base64.StdEncoding.EncodeToString(data)), jsString(name)))
}

// TestBrowserImportWorkerOffline: with the server gone, the service worker
// still serves the import worker, and it imports an HTML page in
// Windows-1252 into exactly the document annotate.ImportFile makes; opened
// with the Open control, the page shows as that document; a file that cannot
// be imported gets ImportFile's error, offset and all.
func TestBrowserImportWorkerOffline(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	b.Navigate(srv.URL)
	waitAppStarted(b)
	waitCached(t, b, srv.Srv.site())
	waitControlled(b)
	srv.Stop()
	b.AllowConsole(offlineConsole)

	page := []byte("<!doctype html><html><head><meta charset=\"windows-1252\"><title>Caf\xe9 prices | Daily</title></head><body>" +
		"<nav>Home</nav><article><h1>Caf\xe9 prices</h1><p>Prices rose 12% in Lviv, said Dan Driscoll \x96 again.</p>" +
		"<p>A second paragraph about the na\xefve market.</p></article><script>alert(1)</script></body></html>")
	got := importInWorker(b, "caf\xc3\xa9.html", page)
	if got.Error != "" || got.ID != 7 {
		t.Fatalf("worker answered id %d, error %q", got.ID, got.Error)
	}
	st, err := annotate.Decode([]byte(got.Native))
	if err != nil {
		t.Fatalf("the worker's document does not decode: %v", err)
	}
	want, err := annotate.ImportFile("caf\xc3\xa9.html", page)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(exportedDoc(st.Doc), exportedDoc(want)) {
		t.Errorf("worker imported\n%+v\nImportFile gives\n%+v", exportedDoc(st.Doc), exportedDoc(want))
	}
	if !strings.Contains(st.Doc.Text, "Café prices") || !strings.Contains(st.Doc.Text, "naïve") || strings.Contains(st.Doc.Text, "alert") {
		t.Errorf("imported text %q", st.Doc.Text)
	}

	// The same page through the Open control: the UI posts it to the
	// worker and shows the document it answers.
	file := filepath.Join(t.TempDir(), "caf\xc3\xa9.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{file}, chromedp.NodeReady))
	b.WaitText("#article h1", "Café prices")
	if got := b.Texts("#article p"); len(got) < 2 || got[0] != "Prices rose 12% in Lviv, said Dan Driscoll – again." || got[1] != "A second paragraph about the naïve market." {
		t.Errorf("the opened page shows paragraphs %q", got)
	}

	bad := []byte("plain text\x00with a NUL")
	got = importInWorker(b, "bad.txt", bad)
	_, wantErr := annotate.ImportFile("bad.txt", bad)
	var ie *annotate.ImportError
	if wantErr == nil || !errors.As(wantErr, &ie) {
		t.Fatalf("ImportFile: %v, want an *ImportError", wantErr)
	}
	if got.Error != wantErr.Error() || got.Offset != ie.Offset || got.Reason != ie.Reason || got.Native != "" {
		t.Errorf("worker answered %+v, want error %q at %d", got, wantErr, ie.Offset)
	}
}

// exportedDoc is what of a document a file carries: every exported field.
func exportedDoc(d *annotate.Document) annotate.Document {
	return annotate.Document{ID: d.ID, Title: d.Title, Source: d.Source, Text: d.Text, Blocks: d.Blocks,
		SHA256: d.SHA256, Lengths: d.Lengths, Normalization: d.Normalization}
}
