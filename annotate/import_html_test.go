package annotate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// readFixture reads a file under testdata.
func readFixture(t testing.TB, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// blockTexts returns kind:text for each block of d.
func blockTexts(d *Document) []string {
	ix := d.Index()
	var out []string
	for _, b := range d.Blocks {
		out = append(out, string(b.Kind)+":"+ix.Slice(b.Range()))
	}
	return out
}

// checkImported checks what every imported document must be: it passes
// Document.Check, and FromText on its text finds the same block ranges
// (the text is laid out one block per line).
func checkImported(t testing.TB, d *Document) {
	t.Helper()
	if err := d.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(d.Blocks) == 0 || d.Title == "" || d.ID == "" {
		t.Fatalf("document without blocks, title or id: %+v", d)
	}
	again, err := FromText([]byte(d.Text), TextOptions{})
	if err != nil {
		t.Fatalf("FromText on the imported text: %v", err)
	}
	// FromText leaves out leading table-of-contents lines ("Contents"),
	// unless there is nothing else.
	blocks := d.Blocks
	ix := d.Index()
	for len(blocks) > 1 && isTOCArtefact(ix.Slice(blocks[0].Range())) {
		blocks = blocks[1:]
	}
	if len(blocks) == 1 && len(d.Blocks) > 1 && isTOCArtefact(ix.Slice(blocks[0].Range())) {
		blocks = d.Blocks
	}
	if len(again.Blocks) != len(blocks) {
		t.Fatalf("FromText finds %d blocks, the import has %d", len(again.Blocks), len(blocks))
	}
	for i := range blocks {
		if again.Blocks[i].Range() != blocks[i].Range() {
			t.Fatalf("block %d: FromText finds %v, the import has %v", i, again.Blocks[i].Range(), blocks[i].Range())
		}
	}
}

// hostileMarkers are strings of the hostile fixtures that must never reach
// a document: script and style content, handlers, URLs, hidden, embedded
// and form content, page furniture.
var hostileMarkers = []string{
	"alert", "HIJACKED", "evil.example", "document.", "cookie", "javascript", "data:", "onerror", "onclick",
	"onload", "STYLETEXT", "NOSCRIPT", "SVGTEXT", "MATHTEXT", "IFRAMETEXT", "OBJECTTEXT", "TEMPLATE",
	"HIDDENTEXT", "ARIAHIDDENTEXT", "FORMVALUE", "TEXTAREATEXT", "OPTIONTEXT", "VIDEOTEXT", "AUDIOTEXT",
	"CANVASTEXT", "ASIDETEXT", "FOOTERTEXT", "DIALOGTEXT", "BUTTONTEXT", "tracker", "pixel", "Password",
	"Log in", "Home", "fetch(", "import(", "<img", "behavior", "@import",
}

func assertClean(t *testing.T, what string, d *Document) {
	t.Helper()
	for _, m := range hostileMarkers {
		for _, field := range []struct{ name, v string }{{"text", d.Text}, {"title", d.Title}, {"source", d.Source}} {
			if strings.Contains(field.v, m) {
				t.Errorf("%s: %s contains %q", what, field.name, m)
			}
		}
	}
}

func TestFromHTMLHostile(t *testing.T) {
	d, err := ImportFile("hostile.html", readFixture(t, "html", "hostile.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	assertClean(t, "hostile.html", d)
	want := []string{
		"title:Harbour Council Approves Flood Barrier",
		"paragraph:The harbour council voted on Tuesday to build a flood barrier across the mouth of the estuary, ending a debate that has divided the town for more than a decade. The barrier will cost €48 million and take four years to complete.",
		"paragraph:Mayor Ingrid Halvorsen said the vote was close: nine members in favour and seven against. Opponents argued that the money would be better spent on raising the sea wall, which was last repaired in 1987.",
		"heading:What happens next",
		"paragraph:Construction is due to start in the spring, once the regional authority has signed off the plans. Residents can comment on the design until 30 April at the town hall & library.",
		"paragraph:The engineering firm estimates that the barrier will protect about 2,300 homes from storm surges <script> tags in text are just text.",
		"paragraph:Notes",
		"paragraph:Figures from the council minutes.",
		"paragraph:Fishermen welcomed the decision but asked for a lock wide enough for their boats.",
	}
	if got := blockTexts(d); !equalStrings(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A javascript: canonical link and a data: og:url are no source.
	if d.Source != "hostile.html" || d.Title != "Harbour Council Approves Flood Barrier" {
		t.Errorf("source %q, title %q", d.Source, d.Title)
	}
	if !equalStrings(d.Normalization, []string{NormHTMLReadability}) {
		t.Errorf("normalization %q", d.Normalization)
	}
}

// TestHTMLWalkerHostile: the DOM walker alone (as used when readability
// finds nothing) drops everything hostile too.
func TestHTMLWalkerHostile(t *testing.T) {
	root, err := html.Parse(strings.NewReader(string(readFixture(t, "html", "hostile.html"))))
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromBlocks(htmlBlocks(root), TextOptions{}, NormHTMLBody)
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	assertClean(t, "walker", d)
	for _, want := range []string{"Harbour Council Approves Flood Barrier", "flood barrier", "Fishermen welcomed"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("walker text lacks %q", want)
		}
	}
}

// seedLines are the blocks of the seed article as FromText finds them.
func seedLines(t testing.TB) []string {
	d, err := FromText(readSeedText(t), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return blockTexts(d)
}

func TestFromHTMLSeedArticle(t *testing.T) {
	d, err := ImportFile("seed-article.html", readFixture(t, "html", "seed-article.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	assertClean(t, "seed-article.html", d)
	// The article as in app/seed/article.txt, with the figure caption the
	// page adds after the third paragraph; without header, navigation,
	// byline, cookie banner, hidden ad, related links or footer.
	want := seedLines(t)
	want = append(want[:4:4], append([]string{"paragraph:Kyiv at dusk. Photo: Example Agency"}, want[4:]...)...)
	if got := blockTexts(d); !equalStrings(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d.Source != "https://news.example.com/world/us-delegation-kyiv" {
		t.Errorf("source %q, want the canonical URL", d.Source)
	}
	if d.Title != "Top U.S. Military Delegation Visits Kyiv to Explore Pathways for Ending the Ukraine Conflict" {
		t.Errorf("title %q", d.Title)
	}
}

func TestFromHTMLBodyFallback(t *testing.T) {
	// A page too large for readability: read whole, scripts still dropped.
	var b strings.Builder
	b.WriteString("<html><head><title>Big page</title><script>alert('x')</script></head><body><h1>Big page</h1><p>First paragraph.</p><div>")
	for i := 0; i < maxReadabilityElements; i++ {
		b.WriteString("<span>w</span>")
	}
	b.WriteString("</div><p>Last <b>paragraph</b>.<script>alert('y')</script></p></body></html>")
	d, err := FromHTML([]byte(b.String()), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	if !equalStrings(d.Normalization, []string{NormHTMLBody}) {
		t.Errorf("normalization %q, want html-body", d.Normalization)
	}
	got := blockTexts(d)
	if got[0] != "title:Big page" || got[1] != "paragraph:First paragraph." || got[len(got)-1] != "paragraph:Last paragraph." {
		t.Errorf("blocks %q…", got[:2])
	}
	if strings.Contains(d.Text, "alert") {
		t.Error("script text in the document")
	}

	// A page of nothing but scripts and hidden text has no text.
	_, err = FromHTML([]byte(`<html><body><script>alert(1)</script><div hidden>secret</div><img src=x></body></html>`), TextOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) || err.Error() != "the HTML page has no text to annotate" {
		t.Errorf("empty page: %v", err)
	}
}

func TestFromHTMLStructure(t *testing.T) {
	page := `<!doctype html><html><head><title>T</title></head><body><article>
<h1>Main   title</h1>
<p>Line one<br>line two</p>
<pre>code line 1
   indented 2

last</pre>
<ul><li>Item <em>one</em></li><li><p>Item two, para one</p><p>para two</p></li></ul>
<blockquote>Quoted <q>words</q>.</blockquote>
<table><tr><th>City</th><th>People</th></tr><tr><td>Kyiv</td><td>2,952,301</td></tr></table>
<dl><dt>Term</dt><dd>Definition</dd></dl>
<h2>Sub<br>heading</h2>
<p>x&nbsp;y &amp; z&#x1F600; Cafe&#x301;</p>
<p>` + "\u0007bell\u0085nel" + `</p>
</article></body></html>`
	blocks := htmlBlocks(mustParseHTML(t, page))
	d, err := FromBlocks(blocks, TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	want := []string{
		"heading:Main title",
		"paragraph:Line one", "paragraph:line two",
		"paragraph:code line 1", "paragraph:indented 2", "paragraph:last",
		"paragraph:Item one", "paragraph:Item two, para one", "paragraph:para two",
		"paragraph:Quoted words.",
		"paragraph:City\tPeople", "paragraph:Kyiv\t2,952,301",
		"paragraph:Term", "paragraph:Definition",
		"heading:Sub heading",
		"paragraph:x\u00a0y & z😀 Café",
		"paragraph:bellnel",
	}
	if got := blockTexts(d); !equalStrings(got, want) {
		t.Errorf("blocks:\n%q\nwant:\n%q", got, want)
	}
	if !equalStrings(d.Normalization, []string{NormStripControl, NormNFC}) {
		t.Errorf("normalization %q", d.Normalization)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mustParseHTML(t testing.TB, s string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFromHTMLMetadata(t *testing.T) {
	for _, tc := range []struct {
		head, source, title string
	}{
		{`<link rel="canonical" href="https://a.example/x"><meta property="og:url" content="https://b.example/y">`, "https://a.example/x", ""},
		{`<link rel="Canonical Alternate" href="/rel/path"><meta property="og:url" content="https://b.example/y/z">`, "https://b.example/y/z", ""},
		{`<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="http://user:pw@c.example/p?q=1#f">`, "http://c.example/p?q=1#f", ""},
		{`<link rel="canonical" href="ftp://x.example/file">`, "page.html", ""},
		{`<title>Broken <b>title</b></title><meta property="og:title" content="Good title">`, "page.html", "Good title"},
		{`<title>Only <i>markup</i></title>`, "page.html", "Only markup"},
	} {
		page := "<html><head>" + tc.head + "</head><body><article><p>" + strings.Repeat("Some article text here. ", 30) + "</p></article></body></html>"
		d, err := FromHTML([]byte(page), TextOptions{Source: "page.html"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Source != tc.source {
			t.Errorf("%s: source %q, want %q", tc.head, d.Source, tc.source)
		}
		if tc.title != "" && d.Title != tc.title {
			t.Errorf("%s: title %q, want %q", tc.head, d.Title, tc.title)
		}
		if strings.Contains(d.Text, "<") {
			t.Errorf("%s: markup in text %q", tc.head, d.Text[:80])
		}
	}
	// The caller's title wins.
	d, err := FromHTML([]byte("<title>Page</title><p>Text of the page.</p>"), TextOptions{Title: "Mine", ID: "doc-1"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Mine" || d.ID != "doc-1" || blockTexts(d)[0] != "title:Mine" {
		t.Errorf("title %q id %q blocks %q", d.Title, d.ID, blockTexts(d))
	}
}

func TestFromHTMLEncodings(t *testing.T) {
	body := func(charset, text string) []byte {
		return []byte(`<html><head><meta charset="` + charset + `"><title>Café</title></head><body><p>` + text + `</p></body></html>`)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		steps []string
		text  string
	}{
		{"utf-8", body("utf-8", "Müller à Orléans"), []string{NormHTMLReadability}, "Müller à Orléans"},
		{"declared windows-1252", body("windows-1252", "M\xfcller \x93quoted\x94"), []string{NormWindows1252, NormHTMLReadability}, "Müller “quoted”"},
		{"declared iso-8859-1", body("iso-8859-1", "Caf\xe9"), []string{NormWindows1252, NormHTMLReadability}, "Café"},
		{"declared shift_jis", body("shift_jis", "\x93\x8c\x8b\x9e"), []string{"shift-jis-to-utf8", NormHTMLReadability}, "東京"},
		{"undeclared latin-1", []byte("<p>Z\xfcrich und K\xf6ln</p>"), []string{NormWindows1252, NormHTMLReadability}, "Zürich und Köln"},
		{"utf-8 bom", append([]byte("\ufeff"), body("utf-8", "Kyiv")...), []string{NormStripBOM, NormHTMLReadability}, "Kyiv"},
		{"utf-16le bom", utf16le("\ufeff<p>Kyiv 🇺🇦</p>"), []string{NormUTF16LE, NormHTMLReadability}, "Kyiv 🇺🇦"},
	} {
		d, err := FromHTML(tc.data, TextOptions{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkImported(t, d)
		if !equalStrings(d.Normalization, tc.steps) {
			t.Errorf("%s: steps %q, want %q", tc.name, d.Normalization, tc.steps)
		}
		if !strings.Contains(d.Text, tc.text) {
			t.Errorf("%s: text %q lacks %q", tc.name, d.Text, tc.text)
		}
	}
	// Mixed UTF-8 and Latin-1 is refused with the position.
	_, err := FromHTML([]byte("<p>Müller and M\xfcller</p>"), TextOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Offset != 16 || err.Error() != "invalid utf-8 at byte 16" {
		t.Errorf("mixed encodings: %v", err)
	}
}

// utf16le encodes s as UTF-16LE.
func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xd800+(r>>10), 0xdc00+(r&0x3ff)
			b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// BenchmarkFromHTML imports the seed article page and a 2 MB page.
func BenchmarkFromHTML(b *testing.B) {
	page := readFixture(b, "html", "seed-article.html")
	b.Run("seed", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if _, err := FromHTML(page, TextOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	var big strings.Builder
	big.WriteString("<html><head><title>Long report</title></head><body><article>")
	for i := 0; big.Len() < 2<<20; i++ {
		fmt.Fprintf(&big, "<h2>Section %d</h2><p>%s</p><p>%s</p>", i, strings.Repeat("Kyiv said 26 people were hurt. ", 20), strings.Repeat("Zelensky met Trump. ", 20))
	}
	big.WriteString("</article></body></html>")
	data := []byte(big.String())
	b.Run("2MB", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := FromHTML(data, TextOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestFromHTMLTooDeep: pages the HTML parser would take minutes on are
// refused at once, with where; sloppy but ordinary pages are not.
func TestFromHTMLTooDeep(t *testing.T) {
	for _, tc := range []struct {
		name string
		page string
		err  string
	}{
		{"nested divs", strings.Repeat("<div>x", 6000), "the HTML nests elements more than 5000 deep (no article does): it cannot be read safely at byte 30000"},
		{"blocks in depth", strings.Repeat("<div>", 999) + strings.Repeat("<p>x</p>", 60000), "the HTML has too many blocks nested too deeply (999 open elements here): it would take too long to read at byte 401403"},
	} {
		_, err := FromHTML([]byte(tc.page), TextOptions{})
		var ie *ImportError
		if !errors.As(err, &ie) || err.Error() != tc.err {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
		}
	}
	for _, tc := range []struct {
		name, page string
		blocks     int
	}{
		{"unclosed paragraphs", strings.Repeat("<p>word ", 50000), 50000},
		{"unclosed list items", "<ul>" + strings.Repeat("<li>item ", 20000), 20000},
		{"unclosed inline tags", "<p>" + strings.Repeat("<font><i>x", 2000), 1},
		{"nested divs", strings.Repeat("<div>x", 1000), -1},
	} {
		d, err := FromHTML([]byte(tc.page), TextOptions{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tc.blocks >= 0 && len(d.Blocks) != tc.blocks {
			t.Errorf("%s: %d blocks, want %d", tc.name, len(d.Blocks), tc.blocks)
		}
	}
}
