package annotate

import (
	"reflect"
	"strings"
	"testing"
)

func slices(ix *Index, rs []Range) []string {
	var out []string
	for _, r := range rs {
		out = append(out, ix.Slice(r))
	}
	return out
}

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"   \n\t", nil},
		{"the U.S. and Russia", []string{"the", "U.S", ".", "and", "Russia"}},
		{"a $105 million, 28-point plan: 12%.", []string{"a", "$", "105", "million", ",", "28", "-", "point", "plan", ":", "12", "%", "."}},
		{"Russia’s “spirit” don't 3.5", []string{"Russia’s", "“", "spirit", "”", "don't", "3.5"}},
		{"Müller 🇺🇦🇬🇧 👨‍👩‍👧 ok", []string{"Müller", "🇺🇦", "🇬🇧", "👨‍👩‍👧", "ok"}},
		{"Mu\u0308ller", []string{"Mu\u0308ller"}},
		{"a\u00a0b\u200bc Ukrai\u00adne", []string{"a", "b", "c", "Ukrai\u00adne"}},
		{"東京は日本", []string{"東", "京", "は", "日", "本"}},
		{"مرحبا بالعالم", []string{"مرحبا", "بالعالم"}},
		{"𝐀𝐁 x", []string{"𝐀𝐁", "x"}},
	}
	for _, tt := range tests {
		ix := NewIndex(tt.text)
		if got := slices(ix, ix.Words()); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestWordsCoverText checks that the words and the whitespace between them
// make up the text, in order, and that every word is grapheme-aligned.
func TestWordsCoverText(t *testing.T) {
	texts := append([]string{string(seedArticle(t))}, conversionTexts...)
	for _, text := range texts {
		ix := NewIndex(text)
		prev := 0
		for _, w := range ix.Words() {
			if w.Start < prev || w.End <= w.Start {
				t.Fatalf("%.30q: word %v after %d", text, w, prev)
			}
			if gap := ix.Slice(Range{prev, w.Start}); !allSpace(gap) {
				t.Fatalf("%.30q: non-space %q between words", text, gap)
			}
			if !ix.IsGraphemeBoundary(w.Start) || !ix.IsGraphemeBoundary(w.End) {
				t.Fatalf("%.30q: word %v splits a grapheme cluster", text, w)
			}
			prev = w.End
		}
		if gap := ix.Slice(Range{prev, ix.Len(CodePoints)}); !allSpace(gap) {
			t.Fatalf("%.30q: non-space %q after the last word", text, gap)
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{" \n ", nil},
		{"One. Two!  Three?\nFour", []string{"One.", "Two!", "Three?", "Four"}},
		{"Heading\nThe U.S. Army said so. Gen. Chris Donahue met Mr. Smith.", []string{"Heading", "The U.S. Army said so.", "Gen. Chris Donahue met Mr. Smith."}},
		{"He said “No.” Then left… ok.", []string{"He said “No.”", "Then left… ok."}},
		{"Donald J. Trump spoke. Then 3.5% fell.", []string{"Donald J. Trump spoke.", "Then 3.5% fell."}},
		{"Talks with the U.S.\nNext line.", []string{"Talks with the U.S.", "Next line."}},
		{"  Leading space. Trailing  ", []string{"Leading space.", "Trailing"}},
		{"東京です。日本です。", []string{"東京です。", "日本です。"}},
	}
	for _, tt := range tests {
		ix := NewIndex(tt.text)
		if got := slices(ix, ix.Sentences()); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Sentences(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSentencesSeedArticle(t *testing.T) {
	d, err := FromText(seedArticle(t), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := d.Index()
	sents := slices(ix, ix.Sentences())
	// The TOC line, the title, 4 headings and 27 sentences in 13 paragraphs.
	if len(sents) != 33 {
		t.Errorf("%d sentences, want 33:\n%s", len(sents), strings.Join(sents, "\n"))
	}
	for _, want := range []string{
		"Top U.S. Military Delegation Visits Kyiv to Explore Pathways for Ending the Ukraine Conflict",
		"The team, led by U.S. Army Secretary Dan Driscoll, is scheduled to meet with Ukrainian President Volodymyr Zelensky upon his return from Turkey.",
		"Accompanying Driscoll are several senior military leaders, including General Randy George, Chief of Staff of the U.S. Army; General Chris Donahue, commander of U.S. Army Europe; and Sergeant Major Michael Weimer.",
		"Leadership Changes and U.S. Policy Outlook",
	} {
		found := false
		for _, s := range sents {
			found = found || s == want
		}
		if !found {
			t.Errorf("no sentence %q", want)
		}
	}
	// Every block is a whole number of sentences.
	for _, b := range d.Blocks {
		if s := ix.SentenceAt(b.Start); s.Start != b.Start {
			t.Errorf("block %v starts inside sentence %v", b, s)
		}
		if s := ix.SentenceAt(b.End - 1); s.End != b.End {
			t.Errorf("block %v ends inside sentence %v", b, s)
		}
	}
}

func TestSentenceAt(t *testing.T) {
	text := "  One two.  Three four!\n\nFive"
	ix := NewIndex(text)
	tests := []struct {
		cp   int
		want string
	}{
		{-10, "One two."}, {0, "One two."}, {2, "One two."}, {9, "One two."}, {10, "One two."}, {11, "One two."},
		{12, "Three four!"}, {23, "Three four!"}, {24, "Three four!"}, {25, "Five"}, {29, "Five"}, {100, "Five"},
	}
	for _, tt := range tests {
		if got := ix.Slice(ix.SentenceAt(tt.cp)); got != tt.want {
			t.Errorf("SentenceAt(%d) = %q, want %q", tt.cp, got, tt.want)
		}
	}
	if got := NewIndex(" ").SentenceAt(0); got != (Range{}) {
		t.Errorf("SentenceAt in blank text = %v", got)
	}
}

func TestSegmentsConcurrent(t *testing.T) {
	ix := NewIndex(string(seedArticle(t)))
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func() { done <- len(ix.Words()) + len(ix.Sentences()) }()
	}
	first := <-done
	for i := 1; i < 4; i++ {
		if n := <-done; n != first {
			t.Errorf("concurrent segmentation differs: %d vs %d", n, first)
		}
	}
}
