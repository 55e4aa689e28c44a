package annotate

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkImportResult is what every article import must give: a valid
// document or an *ImportError, never a panic.
func checkImportResult(t *testing.T, d *Document, err error) {
	t.Helper()
	if err != nil {
		var ie *ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("error %T %v is not an *ImportError", err, err)
		}
		if ie.Reason == "" || !utf8.ValidString(err.Error()) {
			t.Fatalf("bad error %q", err)
		}
		return
	}
	checkImported(t, d)
	for _, step := range d.Normalization {
		if checkNormStep(step) != "" {
			t.Fatalf("normalization step %q is not a step name", step)
		}
	}
}

// FuzzImportHTML: any bytes as an HTML page give a valid document laid out
// as FromText reads it, or an *ImportError; the content of a script element
// never reaches the text.
func FuzzImportHTML(f *testing.F) {
	for _, s := range []string{
		"", "<p>Hello</p>", "<script>alert(1)</script>", "<html><body><h1>T</h1><p>x</p></body></html>",
		"<pre>a\n  b\r\nc</pre>", "<table><tr><td>a<td>b<tr><td>c</table>", "<ul><li>a<li>b<ol><li>c</ol></ul>",
		"<div hidden>x</div><p style='display : NONE'>y</p><p>z</p>", "<svg><text>t</text></svg><math>m</math>",
		"<template><p>t</p></template><noscript>n</noscript><p>ok</p>", "<p>a<br><br>b</p><p>\u00a0</p>",
		"\ufeff<p>bom</p>", "<meta charset=windows-1252><p>caf\xe9</p>", "<meta charset=shift_jis><p>\x93\x8c</p>",
		"\xff\xfe<\x00p\x00>\x00x\x00", strings.Repeat("<div>", 2000) + "deep" + strings.Repeat("</div>", 2000),
		"<p>&amp;&lt;script&gt;&#0;&#x110000;&nbsp;&bogus;</p>", "<title>Only a title</title>",
		"<link rel=canonical href='https://x.example/a'><p>x</p>", "<p>\x01\x02ctl\x7f\u0085</p>",
		"<frameset><frame src=x></frameset>", "<p>Contents</p><p>Table of contents</p>", "<p>Contents</p>",
		"<h2>a<div>b</div>c</h2>", "<iframe srcdoc='<p>x</p>'></iframe><p>y</p>", "<a href='javascript:x()'>link</a>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := FromHTML(data, TextOptions{Source: "fuzz.html"})
		checkImportResult(t, d, err)
		if err == nil && strings.Contains(string(data), "<script>SCRIPTMARK") && strings.Count(string(data), "SCRIPTMARK") == 1 &&
			strings.Contains(d.Text, "SCRIPTMARK") {
			t.Fatalf("script content in the text: %q", d.Text)
		}
	})
}

// FuzzImportMarkdown: any bytes as Markdown give a valid document laid out
// as FromText reads it, or an *ImportError.
func FuzzImportMarkdown(f *testing.F) {
	for _, s := range []string{
		"", "# Title\n\nText.", "---\ntitle: T\n---\nBody", "---\n", "> > > deep\n> quote",
		"- a\n  - b\n    - c\n", "```\nunclosed fence", "| a | b |\n|---|---|\n| 1 | 2 |\n", "<div>\n<p>html</p>\n</div>\n",
		"Text <script>alert(1)</script> more", "[ref]\n\n[ref]: http://x.example \"t\"", "*a **b _c_ b** a*",
		"Setext\n===\n\nSub\n---\n", "\\*esc\\* &amp; &#x1F600; &#0; &bogus;", "line  \nbreak", "caf\xe9 latin-1",
		"\xff\xfe#\x00 \x00T\x00", "nul\x00", strings.Repeat(">", 500) + " deep", strings.Repeat("- ", 300) + "x",
		"![img](x.png) only", "<!-- comment -->", "***\n___\n", "    indented code\n", "Cafe\u0301 NFD",
		"Contents\n\nReal text.", "# \n\n## \n", "<https://x.example/a> and www.x.example",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := FromMarkdown(data, TextOptions{Source: "fuzz.md"})
		checkImportResult(t, d, err)
	})
}

// FuzzSearchAndSuggest: on any text, Find and Suggest return ranges on
// grapheme boundaries that Snap leaves as they are (suggestions), and never
// panic.
func FuzzSearchAndSuggest(f *testing.F) {
	for _, s := range [][2]string{
		{"President Biden paid $5 million in 2020.", "biden"},
		{"Müller said 12% 🇺🇦 rose; Cafe\u0301.", "cafe"},
		{"At least 26 people, about 2,300 homes, 10:30 am, 2024-05-01.", "2"},
		{"Presidents Zelensky and Trump, Gen. J. R. Smith-Jones.", "and"},
		{"x̧̂́ q̣̇ 👍🏽 🇺🇦🇺", "x"},
		{"Straße İstanbul ﬁnal ΟΔΟΣ", "ss"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		d, err := FromText([]byte(text), TextOptions{})
		if err != nil {
			return
		}
		ix := d.Index()
		for _, opts := range []FindOptions{{}, {CaseSensitive: true, WholeWord: true}, {IgnoreDiacritics: true, WholeWord: true}} {
			prev := 0
			for _, r := range ix.Find(query, opts) {
				if r.Start < prev || r.End <= r.Start || !ix.IsGraphemeBoundary(r.Start) || !ix.IsGraphemeBoundary(r.End) {
					t.Fatalf("Find(%q, %+v): bad range %v", query, opts, r)
				}
				prev = r.End
			}
		}
		s := NewState(d, DefaultSchema())
		ss := Suggest(s, SuggestOptions{Gazetteer: map[string][]string{"person": {query}, "place": {query, query}}})
		for _, x := range ss {
			if r, err := ix.Snap(x.Range, KindEntity, false); err != nil || r != x.Range {
				t.Fatalf("suggestion %+v snaps to %v (%v)", x, r, err)
			}
			if _, err := s.Apply(Add(Annotation{ID: NewID(), Label: x.Label, Start: x.Range.Start, End: x.Range.End})); err != nil {
				t.Fatalf("accepting %+v: %v", x, err)
			}
		}
	})
}
