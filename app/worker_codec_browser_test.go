//go:build !wasm

package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factmark/annotate"
)

// TestBrowserImportWorkerCodecsOffline: with the server gone, the Export
// menu still exports in a format other than Factmark's own and the Open
// control still imports an annotation file, both through the worker
// (web/import.wasm, which app.wasm hands every codec to), served by the
// service worker. The export is byte for byte what the codec writes for
// the open document; a broken file is refused with its name and leaves the
// open document as it was.
func TestBrowserImportWorkerCodecsOffline(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	u := openUIOn(t, srv, b)
	waitCached(t, b, srv.Srv.site())
	waitControlled(b)
	srv.Stop()
	b.AllowConsole(offlineConsole)

	person := u.labelID("1")
	u.tag(u.at("David Butler", 0), "1")
	st, err := annotate.Decode(u.exportNative())
	if err != nil {
		t.Fatal(err)
	}

	// doccano, offsets in UTF-16 code units: built in the worker.
	before := u.downloads()
	start := time.Now()
	u.Click("#export")
	u.Click(`#export-menu [data-codec="doccano"]`)
	u.WaitFor("the download or the loss warning", func() bool {
		return len(u.downloads()) > len(before) || u.Count("#export-anyway") > 0
	})
	if u.Count("#export-anyway") > 0 {
		u.Click("#export-anyway")
	}
	name, data := u.waitNewDownload(before)
	t.Logf("doccano export offline, first use of the worker: %v", time.Since(start))
	info, _ := annotate.BuiltinCodec("doccano")
	wantName, _, want, err := exportFile(st, info)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(name) != wantName || string(data) != string(want) {
		t.Errorf("downloaded %s:\n%s\nthe doccano codec writes %s:\n%s", filepath.Base(name), data, wantName, want)
	}
	u.waitStatus("offsets: UTF-16 code units")

	// A doccano file opened offline: the worker imports it.
	text := "Flag 🇺🇦 raised: Olena Zelenska visited Kharkiv."
	i := strings.Index(text, "Olena Zelenska")
	line, _ := json.Marshal(map[string]any{"text": text, "label": []any{[]any{utf16Len(text[:i]), utf16Len(text[:i]) + 14, "PERSON"}}})
	u.pick(writeTestFile(t, "offline.jsonl", string(line)+"\n"))
	u.waitArticle("Olena Zelenska visited Kharkiv.")
	u.waitSummary("doccano import offline", person+":Olena Zelenska")
	u.waitStatus("1 annotation")

	// A broken file: refused, with its name; the document stays.
	u.pick(writeTestFile(t, "cut.json", "{\n\"format\": \"factmark/v1\", \"document\": {"))
	u.waitAlert("cut.json")
	if got := u.articleText(); !strings.Contains(got, "Olena Zelenska visited Kharkiv.") {
		t.Errorf("after a failed import the article shows %.200q", got)
	}
	if got := u.summary(); fmt.Sprint(got) != fmt.Sprint([]string{person + ":Olena Zelenska"}) {
		t.Errorf("after a failed import the spans are %q", got)
	}
}
