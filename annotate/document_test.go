package annotate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func seedArticle(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../app/seed/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFromTextSeedArticle(t *testing.T) {
	d, err := FromText(seedArticle(t), TextOptions{Source: "article.txt"})
	if err != nil {
		t.Fatal(err)
	}
	const headline = "Top U.S. Military Delegation Visits Kyiv to Explore Pathways for Ending the Ukraine Conflict"
	if d.Title != headline {
		t.Errorf("Title = %q", d.Title)
	}
	ix := d.Index()
	var got []string
	for _, b := range d.Blocks {
		text := ix.Slice(b.Range())
		if b.Kind != BlockParagraph {
			got = append(got, string(b.Kind)+": "+text)
		} else {
			got = append(got, "paragraph: "+text[:strings.IndexByte(text, ' ')])
		}
	}
	want := []string{
		"title: " + headline,
		"paragraph: A",
		"paragraph: Emerging",
		"paragraph: Tragically,",
		"heading: Details of the U.S. Military Delegation and Their Mission",
		"paragraph: Colonel",
		"paragraph: This",
		"paragraph: Shmyhal",
		"heading: Focus of Discussions: Military Situation and Ceasefire Prospects",
		"paragraph: An",
		"paragraph: Meanwhile,",
		"paragraph: Requests",
		"heading: Challenges to Peace: Territorial Integrity and Preconditions",
		"paragraph: Despite",
		"paragraph: Russian",
		"heading: Leadership Changes and U.S. Policy Outlook",
		"paragraph: In",
		"paragraph: Kellogg",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// "Table of Contents" is no block but stays in the text.
	if !strings.HasPrefix(d.Text, "Table of Contents\n") || d.Blocks[0].Start != len("Table of Contents\n") {
		t.Errorf("text start %q, first block %v", d.Text[:20], d.Blocks[0])
	}
	if d.ID != "doc-"+d.SHA256[:12] || d.Source != "article.txt" {
		t.Errorf("ID %q Source %q", d.ID, d.Source)
	}
	sum := sha256.Sum256(seedArticle(t))
	if d.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 %s, want %x (the seed is normalized already)", d.SHA256, sum)
	}
	if len(d.Normalization) != 0 {
		t.Errorf("Normalization = %q, want none", d.Normalization)
	}
	if err := d.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestFromTextRejects(t *testing.T) {
	tests := []struct {
		raw    string
		offset int
		msg    string
	}{
		{"abc\xffdef", 3, "invalid utf-8 at byte 3"},
		{"Müller\x00", 7, "NUL character at byte 7"},
		{"ok\n\xed\xa0\x80", 3, "invalid utf-8 at byte 3"},   // encoded surrogate
		{"\xef\xbb\xbfab\xc3", 5, "invalid utf-8 at byte 5"}, // positions count the BOM
		{"", -1, "text is empty or only whitespace"},
		{" \r\n\t\u00a0\n", -1, "text is empty or only whitespace"},
	}
	for _, tt := range tests {
		_, err := FromText([]byte(tt.raw), TextOptions{})
		var ie *ImportError
		if !errors.As(err, &ie) || ie.Offset != tt.offset || err.Error() != tt.msg {
			t.Errorf("FromText(%q) error = %v, want %q at %d", tt.raw, err, tt.msg, tt.offset)
		}
	}
}

func TestFromTextNormalization(t *testing.T) {
	tests := []struct {
		raw, text string
		steps     []string
	}{
		{"Title\nBody.", "Title\nBody.", []string{}},
		{"\ufeffTitle\r\nBody.\r\n", "Title\nBody.\n", []string{NormStripBOM, NormCRLF}},
		{"Title\rBody.\r", "Title\nBody.\n", []string{NormCR}},
		{"a\r\nb\rc", "a\nb\nc", []string{NormCRLF, NormCR}},
		{"Mu\u0308ller said.", "Müller said.", []string{NormNFC}},
		{"\ufeffx\u0301\r\n", "x\u0301\n", []string{NormStripBOM, NormCRLF}}, // no precomposed x́
		{"a\ufeffb", "a\ufeffb", []string{}},                                 // only a leading BOM goes
		{"  indented  \tline.  ", "  indented  \tline.  ", []string{}},       // whitespace kept
	}
	for _, tt := range tests {
		d, err := FromText([]byte(tt.raw), TextOptions{})
		if err != nil {
			t.Errorf("FromText(%q): %v", tt.raw, err)
			continue
		}
		if d.Text != tt.text || !reflect.DeepEqual(d.Normalization, tt.steps) {
			t.Errorf("FromText(%q) = %q %q, want %q %q", tt.raw, d.Text, d.Normalization, tt.text, tt.steps)
		}
		if err := d.Check(); err != nil {
			t.Errorf("FromText(%q).Check: %v", tt.raw, err)
		}
	}
}

func TestFromTextBlocks(t *testing.T) {
	type blk struct {
		Kind BlockKind
		Text string
	}
	tests := []struct {
		name, raw string
		want      []blk
	}{
		{"headline first", "Headline Here\n\nFirst paragraph.\nSub heading\nMore text!", []blk{
			{BlockTitle, "Headline Here"}, {BlockParagraph, "First paragraph."}, {BlockHeading, "Sub heading"}, {BlockParagraph, "More text!"}}},
		{"paragraph first has no title", "It rained.\nWeather\nIt stopped.", []blk{
			{BlockParagraph, "It rained."}, {BlockHeading, "Weather"}, {BlockParagraph, "It stopped."}}},
		{"toc artefacts dropped", "  Contents:  \nIn this article\nThe Title\nBody text.\nContents\n", []blk{
			{BlockTitle, "The Title"}, {BlockParagraph, "Body text."}, {BlockHeading, "Contents"}}},
		{"only toc lines are kept", "Contents\n\nTable of contents:", []blk{
			{BlockTitle, "Contents"}, {BlockParagraph, "Table of contents:"}}},
		{"trim line whitespace", "\t Title \u00a0\n   body text, indented.  \n", []blk{
			{BlockTitle, "Title"}, {BlockParagraph, "body text, indented."}}},
		{"closing quote after full stop", "Said\n“We will.”\nWhy?\nNext: (a)", []blk{
			{BlockTitle, "Said"}, {BlockParagraph, "“We will.”"}, {BlockParagraph, "Why?"}, {BlockHeading, "Next: (a)"}}},
		{"punctuation-only line is no heading", "Title\n* * *\n2024", []blk{
			{BlockTitle, "Title"}, {BlockParagraph, "* * *"}, {BlockHeading, "2024"}}},
		{"long line is a paragraph", strings.Repeat("word ", 30) + "\nshort", []blk{
			{BlockParagraph, strings.TrimSpace(strings.Repeat("word ", 30))}, {BlockHeading, "short"}}},
		{"emoji and flags", "🇺🇦 Ukraine 👨‍👩‍👧\nText 👍🏽.", []blk{
			{BlockTitle, "🇺🇦 Ukraine 👨‍👩‍👧"}, {BlockParagraph, "Text 👍🏽."}}},
		{"space with combining mark stays whole", "Title\n \u0301x.", []blk{
			{BlockTitle, "Title"}, {BlockParagraph, " \u0301x."}}},
	}
	for _, tt := range tests {
		d, err := FromText([]byte(tt.raw), TextOptions{})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []blk
		for _, b := range d.Blocks {
			got = append(got, blk{b.Kind, d.Index().Slice(b.Range())})
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: blocks %q, want %q", tt.name, got, tt.want)
		}
		if err := d.Check(); err != nil {
			t.Errorf("%s: Check: %v", tt.name, err)
		}
	}
}

func TestFromTextOptionsAndDefaultTitle(t *testing.T) {
	d, err := FromText([]byte("Title\nBody."), TextOptions{ID: "my-doc", Title: "Mine", Source: "https://example.org/a"})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "my-doc" || d.Title != "Mine" || d.Source != "https://example.org/a" {
		t.Errorf("got %q %q %q", d.ID, d.Title, d.Source)
	}
	long := "This first line is a paragraph because it ends with a full stop and it is rather long as well."
	d, err = FromText([]byte(long), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "This first line is a paragraph because it ends with a full stop and it is rather…"; d.Title != want {
		t.Errorf("default title %q, want %q", d.Title, want)
	}
}

func TestDocumentJSON(t *testing.T) {
	d, err := FromText([]byte("Müller 🇺🇦\r\nSaid so."), TextOptions{ID: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"d1","title":"Müller 🇺🇦","text":"Müller 🇺🇦\nSaid so.","blocks":[{"kind":"title","start":0,"end":9},{"kind":"paragraph","start":10,"end":18}],` +
		`"sha256":"` + d.SHA256 + `","lengths":{"bytes":25,"utf16":20,"codepoints":18,"graphemes":17},"normalization":["crlf-to-lf"]}`
	if string(b) != want {
		t.Errorf("json:\n%s\nwant\n%s", b, want)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Check(); err != nil {
		t.Errorf("Check after round trip: %v", err)
	}
}

func TestDocumentCheck(t *testing.T) {
	base, err := FromText([]byte("Title 👨‍👩‍👧\nBody text here.\nMore."), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(d *Document)
		msg    string
	}{
		{"id", func(d *Document) { d.ID = "" }, "document.id: is empty"},
		{"hash", func(d *Document) { d.SHA256 = "00" }, `document.sha256: is "00" but the text hashes to "` + base.SHA256 + `"`},
		{"text changed", func(d *Document) { d.Text = strings.Replace(d.Text, "Body", "Bodi", 1) }, "document.sha256: "},
		{"nul", func(d *Document) { d.Text = "a\x00" }, "document.text: has a NUL character at byte 1"},
		{"cr", func(d *Document) { d.Text = "a\r\nb" }, "document.text: has a carriage return at byte 1 (line breaks must be LF)"},
		{"utf8", func(d *Document) { d.Text = "ab\xc3" }, "document.text: has invalid utf-8 at byte 2"},
		{"nfc", func(d *Document) { d.Text = "e\u0301" }, "document.text: is not in Unicode normalization form NFC"},
		{"bytes", func(d *Document) { d.Lengths.Bytes++ }, "document.lengths.bytes: is 47 but the text has 46"},
		{"utf16", func(d *Document) { d.Lengths.UTF16 = 0 }, "document.lengths.utf16: is 0 but the text has 36"},
		{"codepoints", func(d *Document) { d.Lengths.CodePoints = 1 }, "document.lengths.codepoints: is 1 but the text has 33"},
		{"graphemes", func(d *Document) { d.Lengths.Graphemes = 38 }, "document.lengths.graphemes: is 38 but the text has 29"},
		{"kind", func(d *Document) { d.Blocks[1].Kind = "list" }, `document.blocks[1].kind: unknown kind "list" (want title, heading or paragraph)`},
		{"start range", func(d *Document) { d.Blocks[0].Start = -1 }, "document.blocks[0].start: -1 is out of range [0, 33]"},
		{"end range", func(d *Document) { d.Blocks[2].End = 39 }, "document.blocks[2].end: 39 is out of range [0, 33]"},
		{"empty", func(d *Document) { d.Blocks[1].End = d.Blocks[1].Start }, "document.blocks[1].end: 12 is not after start 12"},
		{"grapheme", func(d *Document) { d.Blocks[0].End = 8 }, "document.blocks[0].end: 8 is inside a grapheme cluster [6, 11)"},
		{"overlap", func(d *Document) { d.Blocks[1].Start = 5 }, "document.blocks[1].start: 5 is before the end 11 of blocks[0] (blocks must be sorted and not overlap)"},
		{"order", func(d *Document) { d.Blocks[1], d.Blocks[2] = d.Blocks[2], d.Blocks[1] }, "document.blocks[2].start: 12 is before the end 33 of blocks[1] (blocks must be sorted and not overlap)"},
	}
	for _, tt := range tests {
		d := *base
		d.Blocks = append([]Block(nil), base.Blocks...)
		tt.mutate(&d)
		err := d.Check()
		var ce *CheckError
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tt.msg) {
			t.Errorf("%s: Check() = %v, want %q", tt.name, err, tt.msg)
		}
	}
	if err := base.Check(); err != nil {
		t.Errorf("base: %v", err)
	}
}

func TestFromTextUnicodeCorpus(t *testing.T) {
	tests := []struct {
		file  string
		steps []string
		title string
	}{
		{"arabic.txt", []string{}, "النص العربي"},
		{"bom.txt", []string{NormStripBOM}, "A file with a byte order mark"},
		{"cjk.txt", []string{}, "中文、日本語、한국어"},
		{"crlf.txt", []string{NormCRLF, NormCR}, "Windows line breaks"},
		{"devanagari.txt", []string{}, "हिन्दी पाठ"},
		{"emoji.txt", []string{}, "Emoji and flags"},
		{"math.txt", []string{}, "Mathematical letters 𝐀𝐁"},
		{"mixed.txt", []string{NormNFC}, "Müller said 🇺🇦 aid rose 12%."},
		{"nfd.txt", []string{NormNFC}, "Combining marks (NFD input)"},
		{"spaces.txt", []string{}, "Invisible characters"},
	}
	for _, tt := range tests {
		raw, err := os.ReadFile("testdata/unicode/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		d, err := FromText(raw, TextOptions{})
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if !reflect.DeepEqual(d.Normalization, tt.steps) || d.Title != tt.title {
			t.Errorf("%s: normalization %q title %q, want %q %q", tt.file, d.Normalization, d.Title, tt.steps, tt.title)
		}
		if strings.Contains(d.Text, "\r") || strings.HasPrefix(d.Text, "\ufeff") {
			t.Errorf("%s: CR or BOM left in the text", tt.file)
		}
		if err := d.Check(); err != nil {
			t.Errorf("%s: %v", tt.file, err)
		}
	}
	// The NFD file becomes NFC: ü is one code point, stacked marks stay.
	raw, _ := os.ReadFile("testdata/unicode/nfd.txt")
	d, _ := FromText(raw, TextOptions{})
	if !strings.Contains(d.Text, "Müller") || strings.Contains(d.Text, "u\u0308") || !strings.Contains(d.Text, "x\u0327\u0302\u0301") {
		t.Errorf("nfd.txt not normalized to NFC: %q", d.Text)
	}
	// formats.md: in NFD the span 12% is code points 25–28.
	ix := NewIndex("Mu\u0308ller said 🇺🇦 aid rose 12%.")
	if r, err := ix.ConvertRange(Range{25, 28}, CodePoints, Graphemes); err != nil || r != (Range{23, 26}) || ix.Slice(Range{25, 28}) != "12%" {
		t.Errorf("NFD example: %v %v %q", r, err, ix.Slice(Range{25, 28}))
	}
}
