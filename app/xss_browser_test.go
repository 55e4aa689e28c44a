//go:build !wasm

package main

// Issue 9's hostile content, in a real browser: a corpus of script payloads
// in every field a document can carry (text, title, label names, notes, claim
// text, claimant, rationale, evidence quotes and links), brought in through
// every import path the Open control has (native, dataset, plain text,
// Markdown, HTML, W3C, Label Studio, doccano, spaCy, brat, Paste text).
// After each, nothing has run (the payloads would set window.__xss), nothing
// has been turned into markup (no element carries an inline handler, no
// image, script or frame came from a document), every link is http(s) with
// rel="noopener noreferrer", and the payloads are shown as text.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp/kb"
)

// xssPayloads would each set window.__xss if they ever ran.
var xssPayloads = []string{
	`<script>window.__xss=(window.__xss||0)+1</script>`,
	`<img src=x onerror="window.__xss=(window.__xss||0)+1">`,
	`<svg onload="window.__xss=(window.__xss||0)+1"></svg>`,
	`<a href="javascript:window.__xss=(window.__xss||0)+1">click</a>`,
	`<iframe src="data:text/html,<script>parent.__xss=1</script>"></iframe>`,
	`"><body onload="window.__xss=1">`,
}

// xssText is an article whose every line carries a payload.
func xssText() string {
	var b strings.Builder
	b.WriteString("Hostile <img src=x onerror=\"window.__xss=1\"> headline\n\n")
	for i, p := range xssPayloads {
		fmt.Fprintf(&b, "Paragraph %d says Olena Kovalenko met envoys in Lviv, and %s was printed 12 times.\n\n", i+1, p)
	}
	return b.String()
}

// xssCheck fails the test when anything from a document ran or became
// markup, and returns the page's visible text.
func (u *ui) xssCheck(what string) string {
	u.t.Helper()
	type report struct {
		Ran      any
		Handlers []string
		Foreign  []string
		Links    []string
		Text     string
	}
	r := evalJS[report](u.testBrowser, `(() => {
		const handlers = [], foreign = [], links = [];
		for (const e of document.querySelectorAll('body *')) {
			for (const a of e.attributes) {
				if (a.name.startsWith('on')) handlers.push(e.tagName + ' ' + a.name + '=' + a.value);
				if (/^\s*(javascript|data|vbscript):/i.test(a.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name)) handlers.push(e.tagName + ' ' + a.name + '=' + a.value);
			}
			const tag = e.tagName.toLowerCase();
			if (['img', 'iframe', 'object', 'embed', 'frame', 'form', 'base', 'meta', 'link', 'style'].includes(tag) ||
				(tag === 'script' && e.textContent.includes('__xss')) || (tag === 'svg' && e.innerHTML.includes('__xss'))) {
				foreign.push(e.outerHTML.slice(0, 120));
			}
		}
		for (const a of document.querySelectorAll('a[href]')) {
			const h = a.getAttribute('href');
			if (h.startsWith('#') || h.startsWith('/')) continue;
			links.push(a.protocol + ' ' + (a.getAttribute('rel') || '') + ' ' + h.slice(0, 80));
		}
		return {Ran: window.__xss === undefined ? null : window.__xss, Handlers: handlers, Foreign: foreign, Links: links, Text: document.body.innerText};
	})()`)
	if r.Ran != nil {
		u.t.Fatalf("%s: a payload ran (window.__xss = %v)", what, r.Ran)
	}
	if len(r.Handlers) > 0 {
		u.t.Errorf("%s: elements carry handlers or script URLs: %q", what, r.Handlers)
	}
	if len(r.Foreign) > 0 {
		u.t.Errorf("%s: markup from the document: %q", what, r.Foreign)
	}
	for _, l := range r.Links {
		if !(strings.HasPrefix(l, "http: ") || strings.HasPrefix(l, "https: ")) || !strings.Contains(l, "noopener") || !strings.Contains(l, "noreferrer") {
			u.t.Errorf("%s: link %q is not http(s) with rel=noopener noreferrer", what, l)
		}
	}
	if errs := u.ConsoleErrors(); len(errs) > 0 {
		u.t.Errorf("%s: console errors (a blocked script shows up here): %q", what, errs)
	}
	return r.Text
}

// xssState is a document carrying payloads in every field the native format
// has: title, text, a label's name, a note, and every claim field.
func xssState(t *testing.T) *annotate.State {
	t.Helper()
	doc, err := annotate.FromText([]byte(xssText()), annotate.TextOptions{Title: xssPayloads[1], Source: "https://example.org/<script>x</script>"})
	if err != nil {
		t.Fatal(err)
	}
	schema := annotate.DefaultSchema()
	schema.Labels = append(schema.Labels, annotate.Label{ID: "xss", Name: `<img src=x onerror="window.__xss=1">`, Color: "#8a4fff", DarkColor: "#b79bff", Kind: annotate.KindEntity})
	st := annotate.NewState(doc, schema)
	ix := doc.Index()
	find := func(sub string, n int) annotate.Range {
		at := 0
		for ; n >= 0; n-- {
			i := strings.Index(doc.Text[at:], sub)
			if i < 0 {
				t.Fatalf("%q not in the text", sub)
			}
			at += i
			if n > 0 {
				at += len(sub)
			}
		}
		start, _ := ix.Convert(at, annotate.Bytes, annotate.CodePoints)
		end, _ := ix.Convert(at+len(sub), annotate.Bytes, annotate.CodePoints)
		return annotate.Range{Start: start, End: end}
	}
	person, place, sentence := find("Olena Kovalenko", 0), find("Lviv", 1), find("Paragraph 2 says", 0)
	line := doc.Index().SentenceAt(sentence.Start)
	yes := true
	edits := []annotate.Edit{
		annotate.Add(annotate.Annotation{ID: "a-person", Label: "person", Start: person.Start, End: person.End, Note: xssPayloads[0]}),
		annotate.Add(annotate.Annotation{ID: "a-place", Label: "xss", Start: place.Start, End: place.End, Note: xssPayloads[3]}),
		annotate.Add(annotate.Annotation{ID: "a-claim", Label: "claim", Start: line.Start, End: line.End, Note: xssPayloads[4],
			Claim: &annotate.Claim{
				Verdict: "false", Text: xssPayloads[2], Claimant: annotate.Claimant{Name: xssPayloads[1]},
				Date: "2026-01-02", CheckWorthy: &yes, Rationale: strings.Join(xssPayloads, "\n"),
				Evidence: []annotate.Evidence{{URL: "https://example.org/report?<script>x</script>", Quote: xssPayloads[5], Stance: "refutes", Accessed: "2026-11-20"}},
			}}),
	}
	for _, e := range edits {
		if _, err := st.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestBrowserHostileContent opens the payload corpus through every import
// path and proves that nothing ran and everything shows as text.
func TestBrowserHostileContent(t *testing.T) {
	u := openUI(t)
	u.xssCheck("the seed article")
	st := xssState(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string { return writeTestFile(t, name, string(data)) }

	// Native: every field. Open each span's details so that note, claim
	// text, claimant, rationale and evidence are all on the page.
	native, err := annotate.Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	u.pick(write("hostile.factmark.json", native))
	u.waitArticle("Paragraph 6 says")
	u.waitCount(3)
	for _, id := range []string{"a-person", "a-place", "a-claim"} {
		u.Click(fmt.Sprintf(`#article mark[data-id=%q][tabindex="0"]`, id))
		u.WaitVisible("#span-details")
		u.WaitFor("the details of "+id, func() bool {
			return evalJS[bool](u.testBrowser, fmt.Sprintf(`!!document.querySelector('#span-details') && document.querySelector('#article mark[data-id=%q][aria-current="true"]') !== null`, id))
		})
	}
	// The claim's details show the rationale and evidence as text, and the
	// one evidence link is http(s) with noopener.
	u.WaitFor("the rationale", func() bool {
		return strings.Contains(u.fieldValue("claim-rationale"), "<script>window.__xss")
	})
	text := u.xssCheck("native file, with the claim's details open")
	for _, want := range []string{"<img src=x onerror=", "<script>window.__xss", `"><body onload=`} {
		if !strings.Contains(text, want) {
			t.Errorf("native: the page does not show %q as text", want)
		}
	}
	if n := u.Count(`#span-details a.ev-link`); n != 1 {
		t.Errorf("native: %d evidence links, want 1", n)
	}
	u.Press(kb.Escape)

	// A javascript: evidence URL typed into the claim panel is refused.
	u.Click(`#article mark[data-id="a-claim"][tabindex="0"]`)
	u.WaitVisible("#ev-new-url")
	u.Click("#ev-new-url")
	cdpCall(u.testBrowser, input.InsertText, input.InsertTextParams{Text: "javascript:window.__xss=1"})
	u.Click("#ev-add")
	u.WaitFor("the URL refused", func() bool {
		return evalJS[bool](u.testBrowser, `document.querySelector('#span-details').innerText.toLowerCase().includes('http')`) &&
			evalJS[int](u.testBrowser, `document.querySelectorAll('#span-details a.ev-link').length`) == 1
	})
	u.xssCheck("a javascript: evidence URL typed in")
	u.Press(kb.Escape)

	// A dataset of two documents (titles and texts with payloads).
	other, err := annotate.FromText([]byte("Second "+xssPayloads[3]+"\n\nAnother "+xssPayloads[0]+" story.\n"), annotate.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ds strings.Builder
	w := annotate.NewDatasetWriter(&ds)
	for _, s := range []*annotate.State{st, annotate.NewState(other, annotate.DefaultSchema())} {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	u.pick(write("hostile-dataset.jsonl", []byte(ds.String())))
	u.WaitFor("the dataset imported", func() bool {
		return strings.Contains(u.statusText()+u.alertText()+u.articleText(), "Second") || u.Count("#library") == 1
	})
	u.xssCheck("native dataset")
	// The library lists the titles, as text.
	if u.Count("#library") == 0 {
		u.Click("#library-button")
	}
	u.WaitVisible("#library")
	u.xssCheck("the library listing hostile titles")
	u.Press(kb.Escape)
	u.WaitGone("#library")

	// The training formats that import, written by Factmark from the
	// hostile state, opened again.
	for _, id := range []string{"labelstudio", "doccano", "spacy", "brat"} {
		c, ok := annotate.LookupCodec(id)
		if !ok {
			t.Fatalf("no codec %s", id)
		}
		files, err := annotate.Export(c, []*annotate.State{st}, annotate.ExportOptions{})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		var paths []string
		for _, f := range files {
			if strings.HasSuffix(f.Name, ".xml") || f.Name == "labels.json" {
				continue // sidecars
			}
			paths = append(paths, filepath.Join(dir, id+"-"+filepath.Base(f.Name)))
			if err := os.WriteFile(paths[len(paths)-1], f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		before := u.alertText()
		u.pick(paths...)
		// A label the default schema lacks is refused with a message naming
		// it (and the message shows the hostile name as text).
		u.WaitFor(id+" opened or refused", func() bool {
			a := u.alertText()
			return strings.Contains(u.articleText(), "Paragraph 6 says") || (a != "" && a != before)
		})
		if u.Count("#import-report") == 1 {
			u.xssCheck(id + " with its import report")
			u.Press(kb.Escape)
			u.WaitGone("#import-report")
		}
		u.xssCheck(id)
	}

	// Articles: plain text, Markdown with raw HTML and script links, HTML.
	u.pick(write("hostile.txt", []byte(xssText())))
	u.waitArticle("Paragraph 6 says")
	u.xssCheck("plain text")
	md := "# Hostile " + xssPayloads[0] + "\n\n" + xssPayloads[1] + "\n\nA [link](javascript:window.__xss=1) and ![img](x \"onerror\") and <b onclick=\"window.__xss=1\">bold</b> by Olena Kovalenko.\n\n" +
		"<div onmouseover=\"window.__xss=1\">raw block</div>\n\n[data](data:text/html,<script>parent.__xss=1</script>)\n"
	u.pick(write("hostile.md", []byte(md)))
	u.waitArticle("by Olena Kovalenko")
	u.xssCheck("Markdown")
	page := `<!doctype html><html><head><title>Hostile ` + xssPayloads[0] + `</title>
<script>window.__xss=1</script><meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">
<link rel="stylesheet" href="https://tracker.example/x.css"></head>
<body onload="window.__xss=1"><article><h1>Hostile page</h1>
<p>Olena Kovalenko met envoys in Lviv <img src="https://tracker.example/pixel.gif" onerror="window.__xss=1"> on Monday, the ministry said in a statement issued late in the evening.</p>
<p>The talks <a href="javascript:window.__xss=1">ran long</a> and ` + strings.ReplaceAll(xssPayloads[2], "<", "&lt;") + ` ended with a joint communique, officials said afterwards.</p>
<iframe src="data:text/html,<script>parent.__xss=1</script>"></iframe><script>window.__xss=2</script>
<p>A third paragraph gives the article enough body for the extractor to keep it as the main content of the page.</p>
</article></body></html>`
	u.pick(write("hostile.html", []byte(page)))
	u.waitArticle("Olena Kovalenko met envoys in Lviv")
	u.xssCheck("HTML")

	// Paste text, with the keyboard.
	u.Click("#paste-button")
	u.WaitVisible("#paste-text")
	u.Click("#paste-text")
	cdpCall(u.testBrowser, input.InsertText, input.InsertTextParams{Text: "Pasted " + xssPayloads[1] + "\n\nPasted body " + xssPayloads[0] + " by Olena Kovalenko.\n"})
	u.Click("#paste-open")
	u.waitArticle("Pasted body")
	text = u.xssCheck("Paste text")
	if !strings.Contains(text, "<script>window.__xss") {
		t.Errorf("paste: the payload is not shown as text")
	}
}
