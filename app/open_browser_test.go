//go:build !wasm

package main

// Browser tests of opening articles and annotation files (issue 7's "Open any
// article", issue 6's import in the browser, issue 9's bad input and hostile
// content): files chosen in the Open control (chromedp's SetUploadFiles, as
// the file chooser would), a drop on the window (a DataTransfer drop event),
// the Paste text dialog typed into with the keyboard.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// writeTestFile writes data to a file called name in a directory of the test.
func writeTestFile(t *testing.T, name string, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pick chooses the files in the Open control.
func (u *ui) pick(paths ...string) {
	u.t.Helper()
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), paths, chromedp.NodeReady))
}

// articleText is the article's text as shown.
func (u *ui) articleText() string {
	return evalJS[string](u.testBrowser, `document.querySelector('#article').innerText`)
}

// waitArticle waits until the article shows want.
func (u *ui) waitArticle(want string) string {
	u.t.Helper()
	var got string
	if !u.WaitFor("the article to show "+want, func() bool { got = u.articleText(); return strings.Contains(got, want) }) {
		u.t.Fatalf("the article never showed %q; it shows %.300q (alert %q)", want, got, u.alertText())
	}
	return got
}

func (u *ui) alertText() string {
	return evalJS[string](u.testBrowser, `(document.querySelector('.alert .alert-text') || {}).textContent || ""`)
}

func (u *ui) statusText() string {
	return evalJS[string](u.testBrowser, `(document.querySelector('.status-msg') || {}).textContent || ""`)
}

// waitStatus waits until the status line contains want.
func (u *ui) waitStatus(want string) string {
	u.t.Helper()
	var got string
	if !u.WaitFor("status "+want, func() bool { got = u.statusText(); return strings.Contains(got, want) }) {
		u.t.Fatalf("the status line says %q, want %q (alert %q)", got, want, u.alertText())
	}
	return got
}

// waitAlert waits until the alert contains every one of want.
func (u *ui) waitAlert(want ...string) string {
	u.t.Helper()
	var got string
	if !u.WaitFor("alert "+strings.Join(want, ", "), func() bool {
		got = u.alertText()
		for _, w := range want {
			if !strings.Contains(got, w) {
				return false
			}
		}
		return true
	}) {
		u.t.Fatalf("the alert says %q, want %q", got, want)
	}
	return got
}

// typeText types s into the focused field (the browser's text input, as an
// input method commits it).
func (u *ui) typeText(s string) {
	u.t.Helper()
	cdpCall(u.testBrowser, input.InsertText, input.InsertTextParams{Text: s})
}

// tabTo presses Tab until cond (a JavaScript expression) holds.
func (u *ui) tabTo(what, cond string) {
	u.t.Helper()
	for i := 0; i < 80; i++ {
		if evalJS[bool](u.testBrowser, cond) {
			return
		}
		u.Press(kb.Tab)
	}
	u.t.Fatalf("Tab never reached %s (focus on %s)", what, evalJS[string](u.testBrowser, `document.activeElement.outerHTML.slice(0, 200)`))
}

// TestOpenArticles: a .txt, a .md and a hostile .html open as clean text
// with the normalization named in the status line; nothing in the HTML runs
// or loads; Paste text (keyboard only) and a drop open documents too.
func TestOpenArticles(t *testing.T) {
	u := openUI(t)

	// Plain text with Windows line breaks and a decomposed "é".
	txt := writeTestFile(t, "harbour.txt", "Harbour reopens\r\n\r\nThe harbour in Odesa reopened on Monday after 26 days.\r\n\r\nCafe\u0301 owners cheered.\r\n")
	u.pick(txt)
	u.waitArticle("The harbour in Odesa reopened on Monday after 26 days.")
	if got := u.articleText(); !strings.Contains(got, "Café owners cheered.") {
		t.Errorf("the text was not normalized to NFC: %q", got)
	}
	st := u.waitStatus("Opened harbour.txt")
	for _, want := range []string{annotate.NormalizationNote(annotate.NormCRLF), annotate.NormalizationNote(annotate.NormNFC)} {
		if !strings.Contains(st, want) {
			t.Errorf("the status %q does not report %q", st, want)
		}
	}
	if n := u.Count(`#article h1`); n != 1 || u.Texts(`#article h1`)[0] != "Harbour reopens" {
		t.Errorf("the title block is %q", u.Texts(`#article h1`))
	}

	// Latin-1 text (not UTF-8): converted, with a notice.
	u.pick(writeTestFile(t, "latin1.txt", "Cr\xe8che news\n\nThe cr\xe8che in Uzhhorod reopened, na\xefve as it sounds.\n"))
	u.waitArticle("The crèche in Uzhhorod reopened, naïve as it sounds.")
	u.waitStatus(annotate.NormalizationNote(annotate.NormWindows1252))

	// Markdown: headings and paragraphs, markup stripped.
	md := writeTestFile(t, "brief.md", "# Grain corridor brief\n\n## Shipping\n\nShips left **Chornomorsk** with [grain](https://example.org/x) for *Istanbul*.\n\n- Insurers raised premiums by 12%.\n")
	u.pick(md)
	u.waitArticle("Ships left Chornomorsk with grain for Istanbul.")
	if got := u.Texts(`#article h2`); !slices.Contains(got, "Shipping") {
		t.Errorf("the Markdown heading is not a heading: %q", got)
	}
	if got := u.articleText(); strings.Contains(got, "**") || strings.Contains(got, "](") {
		t.Errorf("Markdown markup shows: %q", got)
	}
	u.waitStatus(annotate.NormalizationNote(annotate.NormMarkdown))

	// Hostile HTML: scripts, inline handlers, javascript: URLs, a tracking
	// pixel (its load would be a console error: the port refuses), an
	// iframe, SVG. Nothing may run or load; only the text shows.
	hostile := `<!doctype html><html><head><meta charset="utf-8"><title>Port news</title>
<script>window.__pwned = 1</script>
<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=2">
<link rel="stylesheet" href="http://127.0.0.1:1/track.css">
</head><body onload="window.__pwned=3">
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Port of Odesa handles record grain</h1>
<p>The port of Odesa handled 4.2 million tonnes of grain in October, officials said on Tuesday.<img src="x" onerror="window.__pwned=4"><img src="http://127.0.0.1:1/pixel.gif" width="1" height="1"></p>
<p onclick="window.__pwned=5">Shipping companies said <a href="javascript:window.__pwned=6">insurance costs</a> had fallen by a third since the summer, while naval escorts continued.</p>
<script>document.title = 'pwned'; window.__pwned = 7</script>
<iframe src="javascript:parent.__pwned=8"></iframe><svg onload="window.__pwned=9"><circle r="4"/></svg>
<p>Farmers in the Mykolaiv region said the exports kept prices stable through the harvest season.</p>
</article><footer>Subscribe <form action="http://127.0.0.1:1/"><input name=e></form></footer></body></html>`
	page := writeTestFile(t, "port.html", hostile)
	title := evalJS[string](u.testBrowser, `document.title`)
	u.pick(page)
	got := u.waitArticle("The port of Odesa handled 4.2 million tonnes of grain in October, officials said on Tuesday.")
	for _, want := range []string{"Shipping companies said insurance costs had fallen by a third", "Farmers in the Mykolaiv region"} {
		if !strings.Contains(got, want) {
			t.Errorf("the article lacks %q: %q", want, got)
		}
	}
	for _, bad := range []string{"__pwned", "pwned", "<script", "onerror", "javascript:"} {
		if strings.Contains(got, bad) {
			t.Errorf("the article shows %q: %q", bad, got)
		}
	}
	u.waitStatus("nothing in the page was run")
	type dom struct {
		Pwned       bool
		Title       string
		Elements    int
		Handlers    int
		InArticleEl []string
	}
	d := evalJS[dom](u.testBrowser, `(() => {
		const art = document.querySelector('#article');
		let handlers = 0;
		for (const el of document.querySelectorAll('*')) for (const a of el.attributes) if (a.name.startsWith('on')) handlers++;
		return {Pwned: '__pwned' in window, Title: document.title,
			Elements: document.querySelectorAll('script:not([src]), iframe, svg circle, img[onerror]').length,
			Handlers: handlers,
			InArticleEl: Array.from(art.querySelectorAll('img, script, iframe, svg, a, form, input, link, meta'), (e) => e.tagName)};
	})()`)
	if d.Pwned || d.Title != title || d.Handlers != 0 || len(d.InArticleEl) != 0 {
		t.Errorf("something of the page got in: %+v (title was %q)", d, title)
	}
	if errs := u.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}

	// Paste text, keyboard only: Alt+P, type, Ctrl+Enter.
	u.Press("p", chromedp.ModifierAlt)
	u.WaitVisible("#paste-dialog")
	if !u.WaitFor("the focus in the text field", func() bool {
		return evalJS[bool](u.testBrowser, `document.activeElement.id === 'paste-text'`)
	}) {
		t.Fatal("the Paste text dialog did not focus its text field")
	}
	u.typeText("Pasted dispatch\n\nMinister Oleksandr Kubrakov said 🚢 traffic grew.")
	u.Press(kb.Enter, chromedp.ModifierCtrl)
	u.WaitGone("#paste-dialog")
	u.waitArticle("Minister Oleksandr Kubrakov said 🚢 traffic grew.")
	u.waitStatus("Opened the pasted text")
	// Escape closes the dialog and leaves the document.
	u.Press("p", chromedp.ModifierAlt)
	u.WaitVisible("#paste-dialog")
	u.typeText("never opened")
	u.Press(kb.Escape)
	u.WaitGone("#paste-dialog")
	if got := u.articleText(); strings.Contains(got, "never opened") {
		t.Error("Escape opened the pasted text")
	}

	// A drop on the window.
	evalJS[bool](u.testBrowser, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["Dropped note\n\nThe drop arrived in Lviv at noon.\n"], "drop.txt", {type: "text/plain"}));
		const at = document.querySelector('#article');
		at.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
		at.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
	u.waitArticle("The drop arrived in Lviv at noon.")
	u.waitStatus("Opened drop.txt")
}

// TestOpenTrainingFormats: a doccano JSONL (UTF-16 offsets) and a Label
// Studio export (code points), written here by hand in those tools'
// documented shapes with an emoji before the spans, open with every span on
// its text.
func TestOpenTrainingFormats(t *testing.T) {
	u := openUI(t)
	person, place := u.labelID("1"), u.labelID("2")

	// doccano: {"text": ..., "label": [[start, end, "LABEL"]]}, offsets in
	// UTF-16 code units (JavaScript string indices).
	text := "Flag 🇺🇦 raised: Olena Zelenska visited Kharkiv on Friday."
	at := func(sub string, unit func(string) int) (int, int) {
		i := strings.Index(text, sub)
		return unit(text[:i]), unit(text[:i]) + unit(sub)
	}
	s1, e1 := at("Olena Zelenska", utf16Len)
	s2, e2 := at("Kharkiv", utf16Len)
	line, _ := json.Marshal(map[string]any{"id": 7, "text": text, "label": []any{[]any{s1, e1, "PERSON"}, []any{s2, e2, "LOC"}}})
	u.pick(writeTestFile(t, "reviewed.jsonl", string(line)+"\n"))
	u.waitArticle("Olena Zelenska visited Kharkiv")
	u.waitSummary("doccano import", person+":Olena Zelenska", place+":Kharkiv")
	u.waitStatus("2 annotations")

	// Label Studio: tasks with annotations[].result[].value {start, end,
	// text, labels}, offsets in code points.
	text2 := "Talks 🕊 resumed 🦊 as Dmitry Peskov met envoys in Ankara."
	text = text2
	p1, q1 := at("Dmitry Peskov", cpLen)
	p2, q2 := at("Ankara", cpLen)
	tasks := fmt.Sprintf(`[{"id": 101, "data": {"text": %q},
  "annotations": [{"id": 5, "completed_by": 1, "result": [
    {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": %d, "end": %d, "text": "Dmitry Peskov", "labels": ["Person"]}},
    {"id": "r2", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": %d, "end": %d, "text": "Ankara", "labels": ["Place"]}}
  ]}]}]`, text2, p1, q1, p2, q2)
	u.pick(writeTestFile(t, "project-3-at-2025.json", tasks))
	u.waitArticle("Dmitry Peskov met envoys in Ankara")
	u.waitSummary("Label Studio import", person+":Dmitry Peskov", place+":Ankara")

	// Label Studio offsets written as JavaScript string indices (UTF-16)
	// where code points belong: refused, with the offer to read them as
	// UTF-16, taken with the keyboard.
	text = "Kyiv 🇺🇦 update: Denys Shmyhal spoke in Lviv."
	p1, q1 = at("Denys Shmyhal", utf16Len)
	p2, q2 = at("Lviv", utf16Len)
	tasks = fmt.Sprintf(`[{"data": {"text": %q}, "annotations": [{"result": [
    {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": %d, "end": %d, "text": "Denys Shmyhal", "labels": ["PER"]}},
    {"id": "b", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": %d, "end": %d, "text": "Lviv", "labels": ["LOC"]}}]}]}]`, text, p1, q1, p2, q2)
	u.pick(writeTestFile(t, "js-indices.json", tasks))
	u.WaitText("#import-report", "UTF-16")
	u.tabTo("Read the offsets as UTF-16", focusIs("import-unit"))
	u.Press(kb.Enter)
	u.waitArticle("Denys Shmyhal spoke in Lviv.")
	u.waitSummary("UTF-16 Label Studio", person+":Denys Shmyhal", place+":Lviv")
	u.waitStatus("offsets read as UTF-16")

	// brat: the .txt and its .ann chosen together; offsets in code points.
	text = "Port 🚢 news: Reni handled grain for Olena Kovalenko."
	b1, c1 := at("Reni", cpLen)
	b2, c2 := at("Olena Kovalenko", cpLen)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "port.txt"), []byte(text), 0o644)
	os.WriteFile(filepath.Join(dir, "port.ann"), []byte(fmt.Sprintf("T1\tLocation %d %d\tReni\nT2\tPerson %d %d\tOlena Kovalenko\n#1\tAnnotatorNotes T1\tRiver port\n", b1, c1, b2, c2)), 0o644)
	u.pick(filepath.Join(dir, "port.txt"), filepath.Join(dir, "port.ann"))
	u.waitArticle("Reni handled grain for Olena Kovalenko.")
	u.waitSummary("brat import", place+":Reni", person+":Olena Kovalenko")
}

// TestOpenBrokenKeepsDocument: files that fail leave the open document and
// its annotations exactly as they were, with a message that names the file
// and the place; span problems are listed (which span, expected and found
// text) and can be left out on request; a file over the size limit is
// refused before it is read.
func TestOpenBrokenKeepsDocument(t *testing.T) {
	u := openUI(t)
	person := u.labelID("1")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.waitSummary("tagged", person+":Dan Driscoll")
	u.waitSaved()
	before := u.articleText()
	check := func(what string) {
		t.Helper()
		u.waitSummary(what+": the annotations", person+":Dan Driscoll")
		if got := u.articleText(); got != before {
			t.Fatalf("%s: the article changed", what)
		}
	}

	// Truncated JSON.
	u.pick(writeTestFile(t, "cut.json", "{\n  \"format\": \"factmark/v1\",\n  \"document\": {\"id\": \"doc-1\", \"text\": \"abc"))
	u.waitAlert("cut.json", "line")
	check("truncated JSON")
	if u.Count("#import-report") == 1 {
		u.Press(kb.Escape)
		u.WaitGone("#import-report")
	}

	// A Label Studio span whose quote does not match its offsets, and one
	// that does.
	text := "Talks 🦊 resumed as Dmitry Peskov met envoys in Ankara."
	i := strings.Index(text, "Ankara")
	good := cpLen(text[:i])
	tasks := fmt.Sprintf(`[{"data": {"text": %q}, "annotations": [{"result": [
  {"id": "bad1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 21, "end": 34, "text": "Dmitry Peskov", "labels": ["Person"]}},
  {"id": "ok1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": %d, "end": %d, "text": "Ankara", "labels": ["Place"]}}
]}]}]`, text, good, good+6)
	u.pick(writeTestFile(t, "shifted.json", tasks))
	u.WaitVisible("#import-report")
	u.waitAlert("shifted.json")
	rep := evalJS[[]string](u.testBrowser, `Array.from(document.querySelectorAll('#import-report .problem'), (e) => e.innerText)`)
	if len(rep) != 1 || !strings.Contains(rep[0], "shifted.json") || !strings.Contains(rep[0], "expected") ||
		!strings.Contains(rep[0], "Dmitry Peskov") || !strings.Contains(rep[0], "found") {
		t.Errorf("the problem list is %q", rep)
	}
	check("a shifted span")
	for _, v := range runAxe(u, axeSource(t)) {
		t.Errorf("the problem list: axe %s (%s): %s\n\t%s", v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
	}
	// Leave it out, on request, with the keyboard.
	u.tabTo("Import without these spans", `document.activeElement.id === 'import-lenient'`)
	u.Press(kb.Enter)
	u.waitArticle("Dmitry Peskov met envoys in Ankara")
	u.waitSummary("lenient import", u.labelID("2")+":Ankara")
	// What was left out is listed.
	u.WaitText("#import-report", "Dmitry Peskov")
	u.Press(kb.Escape)
	u.WaitGone("#import-report")

	// Too large: refused by its size, before it is read.
	big := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(annotate.MaxImportSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before = u.articleText()
	summary := u.summary()
	u.pick(big)
	u.waitAlert("huge.txt")
	if got := u.summary(); !slices.Equal(got, summary) || u.articleText() != before {
		t.Errorf("a refused file changed the document")
	}
	sort.Strings(summary)
}
