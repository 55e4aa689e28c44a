package annotate

import (
	"errors"
	"strings"
	"testing"
)

func TestFromMarkdownFeatures(t *testing.T) {
	d, err := ImportFile("features.md", readFixture(t, "markdown", "features.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	want := []string{
		"title:Field Notes From the Delta",
		"paragraph:A paragraph with emphasis, strong, struck and code text, a link and an plus an autolink https://example.org/x. Escapes: *not emphasis*, 5 > 3, AT&T, été, 😀 and é.",
		"paragraph:After a hard line break.",
		"heading:Setext Subheading",
		"paragraph:First item",
		"paragraph:Second item with bold",
		"paragraph:Nested item",
		"paragraph:Numbered one",
		"paragraph:Numbered two",
		"paragraph:A quoted paragraph over two lines.",
		"paragraph:A nested quote.",
		"paragraph:City\tPopulation",
		"paragraph:Kyiv\t2,952,301",
		"paragraph:Lviv\t717,273",
		`paragraph:fmt.Println("code block line one")`,
		"paragraph:indented line two",
		"heading:Third-level heading",
		"paragraph:An HTML block paragraph.",
		"paragraph:Inline html span and after.",
		"paragraph:Café and Café and éte (NFD via entity).",
	}
	if got := blockTexts(d); !equalStrings(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !equalStrings(d.Normalization, []string{NormMarkdown, NormNFC}) {
		t.Errorf("normalization %q", d.Normalization)
	}
	if d.Source != "features.md" || d.Title != "Field Notes From the Delta" {
		t.Errorf("source %q title %q", d.Source, d.Title)
	}
	for _, m := range []string{"HTMLBLOCK", "INLINE", "alert", "image alt", "example.org/i.png", "title\"", "**", "~~", "`"} {
		if strings.Contains(d.Text, m) {
			t.Errorf("text contains %q", m)
		}
	}
}

func TestFromMarkdownHostile(t *testing.T) {
	d, err := ImportFile("hostile.md", readFixture(t, "markdown", "hostile.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	assertClean(t, "hostile.md", d)
	want := []string{
		"title:Report",
		"paragraph:Click me and and data.",
		"paragraph:Text with inline script and bold words.",
		"paragraph:Visible paragraph inside a div.",
		"paragraph:Plain closing paragraph.",
	}
	if got := blockTexts(d); !equalStrings(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Markup that is not valid HTML stays text, as CommonMark shows it: it is
	// text to annotate, never markup.
	d, err = FromMarkdown([]byte("# T\n\nA <b onclick=x'y> and 1 < 2 > 0."), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := blockTexts(d); got[1] != "paragraph:A <b onclick=x'y> and 1 < 2 > 0." {
		t.Errorf("literal markup: %q", got)
	}
}

func TestFromMarkdownSeedArticle(t *testing.T) {
	d, err := ImportFile("seed-article.md", readFixture(t, "markdown", "seed-article.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, d)
	if got, want := blockTexts(d), seedLines(t); !equalStrings(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !equalStrings(d.Normalization, []string{NormFrontMatter, NormMarkdown}) {
		t.Errorf("normalization %q", d.Normalization)
	}
}

func TestFromMarkdownTitles(t *testing.T) {
	for _, tc := range []struct {
		md    string
		want  []string
		title string
	}{
		// The first block is the title when it is a heading of the top level.
		{"## Small\n\nText.\n\n# Big\n", []string{"heading:Small", "paragraph:Text.", "heading:Big"}, "Small"},
		{"## Only h2\n\nText.\n\n## Another\n", []string{"title:Only h2", "paragraph:Text.", "heading:Another"}, "Only h2"},
		{"Just text.\n\n# Late title\n", []string{"paragraph:Just text.", "heading:Late title"}, "Just text."},
		// Front matter: its title when the file does not start with one.
		{"---\ntitle: 'From front matter'\ntags: [a, b]\n---\nBody text.\n", []string{"title:From front matter", "paragraph:Body text."}, "From front matter"},
		{"---\ntitle: Ignored\n---\n# Heading wins\n\nBody.\n", []string{"title:Heading wins", "paragraph:Body."}, "Heading wins"},
		// Not front matter (no closing line): a thematic break and text.
		{"---\ntitle: x\n\nBody.\n", []string{"paragraph:title: x", "paragraph:Body."}, "title: x"},
	} {
		d, err := FromMarkdown([]byte(tc.md), TextOptions{})
		if err != nil {
			t.Errorf("%q: %v", tc.md, err)
			continue
		}
		checkImported(t, d)
		if got := blockTexts(d); !equalStrings(got, tc.want) {
			t.Errorf("%q: blocks %q, want %q", tc.md, got, tc.want)
		}
		if d.Title != tc.title {
			t.Errorf("%q: title %q, want %q", tc.md, d.Title, tc.title)
		}
	}
}

func TestFromMarkdownErrors(t *testing.T) {
	for _, tc := range []struct {
		md, err string
	}{
		{"", "the Markdown file has no text to annotate"},
		{"---\n---\n\n***\n\n<!-- nothing -->\n![img](x.png)\n", "the Markdown file has no text to annotate"},
		{"<script>alert(1)</script>\n", "the Markdown file has no text to annotate"},
		{"ok\x00", "NUL character at byte 2"},
		{"caf\xc3\xa9 and caf\xe9", "invalid utf-8 at byte 13"},
		{"na\xefve and caf\xe9 \xe2\x80\x94 mixed", "invalid utf-8 at byte 2"},
	} {
		_, err := FromMarkdown([]byte(tc.md), TextOptions{})
		var ie *ImportError
		if !errors.As(err, &ie) || err.Error() != tc.err {
			t.Errorf("%q: error %v, want %q", tc.md, err, tc.err)
		}
	}
}

// TestFromMarkdownTooComplex: Markdown that the parser would take seconds
// or minutes on is imported as plain text, with a notice.
func TestFromMarkdownTooComplex(t *testing.T) {
	nested := ""
	for i := 0; i < 300; i++ {
		nested += strings.Repeat("  ", i) + "- x\n"
	}
	for name, md := range map[string]string{
		"unclosed links":  strings.Repeat("[a](", 30000),
		"emphasis marks":  strings.Repeat("_a*", 30000),
		"deep quotes":     strings.Repeat(">", 200) + " x",
		"deep lists":      nested,
		"many paragraphs": strings.Repeat(strings.Repeat("_a*", 6000)+"\n\n", 20),
	} {
		d, err := FromMarkdown([]byte(md), TextOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d.Normalization[0] != NormMarkdownAsText || d.Text != md {
			t.Errorf("%s: steps %q, text changed: %v", name, d.Normalization, d.Text != md)
		}
	}
	// Code is not inline markup: a long fenced block stays Markdown.
	md := "# Code\n\n```\n" + strings.Repeat("snake_case_name = other_name * 2 # [x]\n", 10000) + "```\n\nText.\n"
	d, err := FromMarkdown([]byte(md), TextOptions{})
	if err != nil || d.Normalization[0] != NormMarkdown {
		t.Errorf("fenced code: %v %q", err, d.Normalization)
	}
}
