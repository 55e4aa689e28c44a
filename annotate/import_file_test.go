package annotate

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetectArticleFormat(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       ArticleFormat
		err        string
	}{
		{"a.txt", "<html>", ArticleText, ""},
		{"A.TEXT", "", ArticleText, ""},
		{"notes.md", "", ArticleMarkdown, ""},
		{"dir/notes.Markdown", "", ArticleMarkdown, ""},
		{`C:\Users\x\page.HTM`, "", ArticleHTML, ""},
		{"page.xhtml", "", ArticleHTML, ""},
		{"", "  \n<!DOCTYPE html><html>", ArticleHTML, ""},
		{"-", "\ufeff<p>Hello</p>", ArticleHTML, ""},
		{"clip", string(utf16le("\ufeff<html><body>x")), ArticleHTML, ""},
		{"", "Plain <b>text</b> that mentions tags", ArticleText, ""},
		{"README", "# Title\n", ArticleText, ""},
		{"data.json", "{}", "", "data.json: this is an annotation file"},
		{"corpus.spacy.jsonl", "", "", "corpus.spacy.jsonl: this is an annotation file"},
		{"tokens.conll.txt", "", "", "tokens.conll.txt: this is an annotation file"},
		{"brat.ann", "", "", "brat.ann: this is an annotation file"},
	} {
		got, err := DetectArticleFormat(tc.name, []byte(tc.head))
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q…", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q %q: %q, %v; want %q", tc.name, tc.head, got, err, tc.want)
		}
	}
}

func TestImportFileSizeLimit(t *testing.T) {
	if err := CheckImportSize("big.html", MaxImportSize); err != nil {
		t.Errorf("exactly the limit: %v", err)
	}
	err := CheckImportSize("big.html", 25*1024*1024+300*1024)
	var ie *ImportError
	if !errors.As(err, &ie) || err.Error() != "big.html: the file is 25.3 MB, more than the limit of 20 MB for an article" {
		t.Errorf("CheckImportSize: %v", err)
	}
	data := bytes.Repeat([]byte("a"), MaxImportSize+1)
	if _, err := ImportFile("big.txt", data); err == nil || !strings.Contains(err.Error(), "more than the limit of 20 MB") {
		t.Errorf("ImportFile: %v", err)
	}
}

func TestImportFileEncodings(t *testing.T) {
	utf16be := func(s string) []byte {
		le := utf16le(s)
		for i := 0; i+1 < len(le); i += 2 {
			le[i], le[i+1] = le[i+1], le[i]
		}
		return le
	}
	utf32 := func(s string, be bool) []byte {
		var b []byte
		for _, r := range s {
			if be {
				b = append(b, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
			}
		}
		return b
	}
	text := "Kyiv 🇺🇦 Zoë\r\nMüller said 12%."
	for _, tc := range []struct {
		name  string
		data  []byte
		steps []string
	}{
		{"utf8.txt", []byte(text), []string{NormCRLF}},
		{"bom.txt", []byte("\ufeff" + text), []string{NormStripBOM, NormCRLF}},
		{"le.txt", utf16le("\ufeff" + text), []string{NormUTF16LE, NormCRLF}},
		{"be.txt", utf16be("\ufeff" + text), []string{NormUTF16BE, NormCRLF}},
		{"le-nobom.txt", utf16le(text), []string{NormUTF16LE, NormCRLF}},
		{"be-nobom.txt", utf16be(text), []string{NormUTF16BE, NormCRLF}},
		{"le32.txt", utf32("\ufeff"+text, false), []string{NormUTF32LE, NormCRLF}},
		{"be32.txt", utf32("\ufeff"+text, true), []string{NormUTF32BE, NormCRLF}},
		{"le.md", utf16le("\ufeff" + text), []string{NormUTF16LE, NormMarkdown}},
	} {
		d, err := ImportFile(tc.name, tc.data)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkImported(t, d)
		if !equalStrings(d.Normalization, tc.steps) {
			t.Errorf("%s: steps %q, want %q", tc.name, d.Normalization, tc.steps)
		}
		if want := "Kyiv 🇺🇦 Zoë"; !strings.HasPrefix(d.Text, want) || !strings.Contains(d.Text, "Müller said 12%.") {
			t.Errorf("%s: text %q", tc.name, d.Text)
		}
	}

	// UTF-16 without a byte order mark needs 16 bytes to be recognised.
	if d, err := ImportFile("short.txt", utf16le("Hi there")); err != nil || d.Text != "Hi there" {
		t.Errorf("8 characters of UTF-16LE: %v", err)
	}
	if _, err := ImportFile("shorter.txt", utf16le("Hi you")); err == nil || err.Error() != "shorter.txt: NUL character at byte 1" {
		t.Errorf("6 characters of UTF-16LE: %v", err)
	}

	// Latin-1 (as Windows-1252) is converted with a notice.
	d, err := ImportFile("latin1.txt", []byte("Caf\xe9 in K\xf6ln \x96 \x93quoted\x94, 5\xb0C\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != "Café in Köln – “quoted”, 5°C\n" || !equalStrings(d.Normalization, []string{NormWindows1252}) {
		t.Errorf("latin-1: %q %q", d.Text, d.Normalization)
	}

	// Refused, with where and what.
	for _, tc := range []struct {
		name string
		data []byte
		err  string
	}{
		{"mixed.txt", []byte("Zoë and Zo\xeb"), "mixed.txt: invalid utf-8 at byte 11"},
		{"nul.txt", []byte("abc\x00def"), "nul.txt: NUL character at byte 3"},
		{"binary.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary.txt: NUL character at byte 8"},
		{"ctrl.txt", []byte("abc\x01\x02\xff\xfe"), "ctrl.txt: invalid utf-8 at byte 5"},
		{"undefined.txt", []byte("abc \x81 def"), "undefined.txt: invalid utf-8 at byte 4"},
		{"odd.txt", append(utf16le("\ufeffabc"), 'x'), "odd.txt: UTF-16 text ends in the middle of a character (odd number of bytes) at byte 8"},
		{"surrogate.txt", append(utf16le("\ufeffab"), 0x00, 0xd8, 'c', 0), "surrogate.txt: unpaired UTF-16 surrogate at byte 6"},
		{"lowsurrogate.txt", append(utf16le("\ufeffab"), 0x00, 0xdc, 'c', 0), "lowsurrogate.txt: unpaired UTF-16 surrogate at byte 6"},
		{"nul16.txt", append(utf16le("\ufeffab"), 0, 0), "nul16.txt: NUL character in UTF-16 text at byte 6"},
		{"bad32.txt", append(utf32("\ufeffa", true), 0, 0x11, 0, 0), "bad32.txt: invalid UTF-32 code point 0x110000 at byte 8"},
		{"short32.txt", append(utf32("\ufeffa", false), 'b'), "short32.txt: UTF-32 text ends in the middle of a character at byte 8"},
		{"empty.txt", nil, "empty.txt: text is empty or only whitespace"},
		{"", []byte(" \n\t"), "pasted text: text is empty or only whitespace"},
		{"empty.html", []byte("<html><body><script>x()</script></body></html>"), "empty.html: the HTML page has no text to annotate"},
	} {
		_, err := ImportFile(tc.name, tc.data)
		var ie *ImportError
		if !errors.As(err, &ie) || err.Error() != tc.err {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
}

// TestImportFileUnicodeCorpus: every file of the Unicode corpus imports as
// .txt exactly as FromText reads it, and as .md and .html (wrapped in <pre>)
// with the same text lines.
func TestImportFileUnicodeCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "unicode", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		want, err := FromText(raw, TextOptions{Source: name})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ImportFile(name, raw)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != want.Text || got.SHA256 != want.SHA256 || !equalStrings(got.Normalization, want.Normalization) ||
			!equalStrings(blockTexts(got), blockTexts(want)) || got.Title != want.Title || got.Source != name {
			t.Errorf("%s: ImportFile differs from FromText", name)
		}
		// The same text in a <pre>: the same lines.
		h, err := ImportFile(strings.TrimSuffix(name, ".txt")+".html", []byte("<pre>"+string(raw)+"</pre>"))
		if err != nil {
			t.Fatalf("%s as html: %v", name, err)
		}
		checkImported(t, h)
		var lines []string
		for _, l := range strings.Split(want.Text, "\n") {
			if l = strings.TrimFunc(l, isSpace); l != "" && !isTOCArtefact(l) {
				lines = append(lines, l)
			}
		}
		var hl []string
		for _, b := range blockTexts(h) {
			hl = append(hl, b[strings.IndexByte(b, ':')+1:])
		}
		if !equalStrings(hl, lines) {
			t.Errorf("%s as html: lines\n%q\nwant\n%q", name, hl, lines)
		}
	}
}

func TestFromBlocks(t *testing.T) {
	d, err := FromBlocks([]BlockText{
		{BlockTitle, "  The\ttitle\r\nwraps  "},
		{BlockParagraph, "First line\r\nsecond line\rthird\n\n\n"},
		{BlockTitle, "Another title"},
		{BlockHeading, "Cafe\u0301 \u0007heading\u0085"},
		{BlockParagraph, "   "},
		{BlockParagraph, "\u200b\u00a0"},
		{BlockParagraph, "Emoji 👨‍👩‍👧 and flag 🇺🇦"},
	}, TextOptions{Source: "x"}, "custom-step")
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	want := []string{
		"title:The\ttitle wraps",
		"paragraph:First line", "paragraph:second line", "paragraph:third",
		"heading:Another title",
		"heading:Café heading",
		"paragraph:Emoji 👨‍👩‍👧 and flag 🇺🇦",
	}
	if got := blockTexts(d); !equalStrings(got, want) {
		t.Errorf("blocks %q, want %q", got, want)
	}
	if d.Text != "The\ttitle wraps\nFirst line\nsecond line\nthird\nAnother title\nCafé heading\nEmoji 👨‍👩‍👧 and flag 🇺🇦" {
		t.Errorf("text %q", d.Text)
	}
	if !equalStrings(d.Normalization, []string{"custom-step", NormStripControl, NormCRLF, NormCR, NormNFC}) {
		t.Errorf("normalization %q", d.Normalization)
	}
	if d.Title != "The\ttitle wraps" || d.Source != "x" || !strings.HasPrefix(d.ID, "doc-") {
		t.Errorf("title %q source %q id %q", d.Title, d.Source, d.ID)
	}

	for _, tc := range []struct {
		blocks []BlockText
		err    string
	}{
		{nil, "no text to annotate was found"},
		{[]BlockText{{BlockParagraph, " \n "}}, "no text to annotate was found"},
		{[]BlockText{{BlockParagraph, "ok"}, {BlockParagraph, "bad \xff"}}, "block 1: invalid utf-8 at byte 4 of its text"},
		{[]BlockText{{"list", "x"}}, `block 0: unknown kind "list" (want title, heading or paragraph)`},
	} {
		_, err := FromBlocks(tc.blocks, TextOptions{})
		var ie *ImportError
		if !errors.As(err, &ie) || err.Error() != tc.err {
			t.Errorf("%q: %v, want %q", tc.blocks, err, tc.err)
		}
	}
}

func TestNormalizationNote(t *testing.T) {
	for _, step := range []string{NormStripBOM, NormCRLF, NormCR, NormNFC, NormHTMLReadability, NormHTMLBody, NormMarkdown,
		NormFrontMatter, NormMarkdownAsText, NormStripControl, NormUTF16LE, NormUTF16BE, NormUTF32LE, NormUTF32BE, NormWindows1252, "shift-jis-to-utf8"} {
		n := NormalizationNote(step)
		if n == "" || strings.HasPrefix(n, "Applied") || !strings.HasSuffix(n, ".") {
			t.Errorf("%s: note %q", step, n)
		}
		if checkNormStep(step) != "" {
			t.Errorf("%s is not a valid step name for the native format", step)
		}
	}
	if n := NormalizationNote("future-step"); n != `Applied "future-step".` {
		t.Errorf("unknown step: %q", n)
	}
}

// TestImportedRoundTrip: imported documents encode and decode in the native
// format unchanged.
func TestImportedRoundTrip(t *testing.T) {
	for _, f := range []string{"html/hostile.html", "html/seed-article.html", "markdown/features.md", "markdown/seed-article.md"} {
		d, err := ImportFile(filepath.Base(f), readFixture(t, strings.Split(f, "/")...))
		if err != nil {
			t.Fatal(err)
		}
		data, err := Encode(NewState(d, DefaultSchema()))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		back, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if back.Doc.Text != d.Text || !equalStrings(back.Doc.Normalization, d.Normalization) || back.Doc.Source != d.Source {
			t.Errorf("%s: round trip changed the document", f)
		}
	}
}
