package annotate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// seedDocForSearch imports the seed article.
func seedDocForSearch(t testing.TB) *Document {
	t.Helper()
	d, err := FromText(readSeedText(t), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// naiveFind finds query in text by comparing code points one by one with
// simple lowercasing (an independent check for ASCII-ish queries), without
// overlaps, in code points.
func naiveFind(text, query string, fold bool) []Range {
	t, q := []rune(text), []rune(query)
	eq := func(a, b rune) bool {
		if fold {
			return unicode.ToLower(a) == unicode.ToLower(b)
		}
		return a == b
	}
	var out []Range
	for i := 0; i+len(q) <= len(t); {
		ok := true
		for k := range q {
			if !eq(t[i+k], q[k]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, Range{i, i + len(q)})
			i += len(q)
			continue
		}
		i++
	}
	return out
}

func TestFindSeedArticle(t *testing.T) {
	d := seedDocForSearch(t)
	ix := d.Index()
	for _, q := range []string{"russia", "Trump", "u.s.", "KYIV", "the", "e", "Zelensky and Trump", "$105 million"} {
		for _, cs := range []bool{false, true} {
			got := ix.Find(q, FindOptions{CaseSensitive: cs})
			want := naiveFind(d.Text, q, !cs)
			if !rangesEqual(got, want) {
				t.Errorf("Find(%q, case-sensitive %v) = %v, want %v", q, cs, got, want)
			}
		}
	}

	// Whole words: "Russian" is not "Russia"; a possessive and a hyphen
	// compound end a word.
	got := ix.Find("Russia", FindOptions{WholeWord: true})
	var texts []string
	for _, r := range got {
		texts = append(texts, ix.Slice(r)+"|"+ix.Slice(Range{r.End, min(r.End+2, ix.Len(CodePoints))}))
	}
	want := []string{"Russia|, ", "Russia| h", "Russia|’s", "Russia| h", "Russia|. ", "Russia|-f"}
	if strings.Join(texts, " ") != strings.Join(want, " ") {
		t.Errorf("whole-word Russia: %q, want %q", texts, want)
	}
	if n := len(ix.Find("russia", FindOptions{})); n != 9 {
		t.Errorf("substring russia: %d matches, want 9 (6 Russia, 3 Russian)", n)
	}
	if n := len(ix.Find("russia", FindOptions{CaseSensitive: true})); n != 0 {
		t.Errorf("case-sensitive russia: %d matches, want 0", n)
	}

	// ASCII apostrophe finds the typographic one; whitespace runs match.
	for q, n := range map[string]int{"delegation's": 2, "delegation’s": 2, "Donald   Trump": 1, "  Kyiv \n": 4, "": 0, " \t ": 0} {
		got := ix.Find(q, FindOptions{})
		if len(got) != n {
			t.Errorf("Find(%q): %d matches %v, want %d", q, len(got), got, n)
		}
	}
	for _, r := range ix.Find("delegation's", FindOptions{}) {
		if s := ix.Slice(r); s != "delegation’s" {
			t.Errorf("delegation's matched %q", s)
		}
	}

	// Limit.
	if got := ix.Find("the", FindOptions{Limit: 3}); len(got) != 3 || got[0] != naiveFind(d.Text, "the", true)[0] {
		t.Errorf("Limit 3: %v", got)
	}
}

func rangesEqual(a, b []Range) bool {
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

// readUnicodeDoc imports a file of the Unicode corpus.
func readUnicodeDoc(t testing.TB, name string) *Document {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "unicode", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromText(raw, TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFindUnicodeCorpus(t *testing.T) {
	type want struct {
		file  string
		query string
		opts  FindOptions
		found []string // the text of each match
	}
	ignore := FindOptions{IgnoreDiacritics: true}
	for _, tc := range []want{
		// NFD input was normalized; an NFD query is normalized too.
		{"nfd.txt", "Mu\u0308ller", FindOptions{}, []string{"Müller"}},
		{"nfd.txt", "muller", FindOptions{}, nil},
		{"nfd.txt", "muller", ignore, []string{"Müller"}},
		{"nfd.txt", "CREME BRULEE", ignore, []string{"crème brûlée"}},
		{"nfd.txt", "tieng viet", ignore, []string{"Tiếng Việt"}},
		{"nfd.txt", "aeroskobing", ignore, []string{"Ærøskøbing"}},
		{"nfd.txt", "angstrom, aland", ignore, []string{"Ångström, Åland"}},
		// A match never splits a grapheme cluster; ignoring diacritics, it
		// takes the marks of its last letter.
		{"nfd.txt", "x", FindOptions{}, nil},
		{"nfd.txt", "x", ignore, []string{"x̧̂́"}},
		{"nfd.txt", "q", ignore, []string{"q̣̇"}},
		{"nfd.txt", "e", FindOptions{CaseSensitive: true, WholeWord: true}, nil},
		// Flags: a regional indicator inside a flag is not a match.
		{"emoji.txt", "🇺🇦", FindOptions{}, []string{"🇺🇦", "🇺🇦"}},
		{"emoji.txt", "🇺", FindOptions{}, []string{"🇺", "🇺"}},
		{"emoji.txt", "👍", FindOptions{}, nil},
		{"emoji.txt", "👍🏽", FindOptions{}, []string{"👍🏽"}},
		{"emoji.txt", "kyiv 🇺🇦", FindOptions{}, []string{"Kyiv 🇺🇦"}},
		// Arabic harakat are diacritics; Devanagari vowel signs and virama
		// are not.
		{"arabic.txt", "العربية", FindOptions{}, nil},
		{"arabic.txt", "العربية", ignore, []string{"الْعَرَبِيَّةُ"}},
		{"arabic.txt", "كييف", FindOptions{WholeWord: true}, []string{"كييف", "كييف"}},
		{"devanagari.txt", "नमस्ते", ignore, []string{"नमस्ते"}},
		{"devanagari.txt", "नमसते", ignore, nil},
		{"devanagari.txt", "कीव", FindOptions{WholeWord: true}, []string{"कीव"}},
		// CJK and astral characters.
		{"cjk.txt", "東京", FindOptions{}, []string{"東京"}},
		{"cjk.txt", "ａｂｃ", FindOptions{}, []string{"ＡＢＣ"}},
		{"cjk.txt", "𩸽", FindOptions{}, []string{"𩸽"}},
		{"math.txt", "𝐀😀𝐁", FindOptions{}, []string{"𝐀😀𝐁"}},
		// Invisible characters: a soft hyphen is ignored, every space is a
		// space.
		{"spaces.txt", "ukraine", FindOptions{WholeWord: true}, []string{"Ukrai\u00adne"}},
		{"spaces.txt", "double spaces", FindOptions{}, []string{"double  spaces"}},
		{"spaces.txt", "ideographic space", FindOptions{}, []string{"ideographic\u3000space"}},
		{"mixed.txt", "MÜLLER", FindOptions{}, []string{"Müller", "Müller"}},
		{"mixed.txt", "12%", FindOptions{WholeWord: true}, []string{"12%"}},
	} {
		d := readUnicodeDoc(t, tc.file)
		ix := d.Index()
		got := ix.Find(tc.query, tc.opts)
		var texts []string
		for _, r := range got {
			if !ix.IsGraphemeBoundary(r.Start) || !ix.IsGraphemeBoundary(r.End) {
				t.Errorf("%s: Find(%q) = %v splits a grapheme cluster", tc.file, tc.query, r)
			}
			texts = append(texts, ix.Slice(r))
		}
		if strings.Join(texts, "|") != strings.Join(tc.found, "|") {
			t.Errorf("%s: Find(%q, %+v) found %q, want %q", tc.file, tc.query, tc.opts, texts, tc.found)
		}
	}
}

func TestFindCaseFolding(t *testing.T) {
	ix := NewIndex("Die Straße und STRASSE; ΟΔΟΣ und οδός; İstanbul, ISTANBUL; ﬁnal FINAL")
	for _, tc := range []struct {
		q     string
		opts  FindOptions
		found []string
	}{
		{"strasse", FindOptions{}, []string{"Straße", "STRASSE"}},
		{"STRASSE", FindOptions{CaseSensitive: true}, []string{"STRASSE"}},
		{"ß", FindOptions{}, []string{"ß", "SS"}},
		{"οδοσ", FindOptions{IgnoreDiacritics: true}, []string{"ΟΔΟΣ", "οδός"}},
		{"istanbul", FindOptions{IgnoreDiacritics: true}, []string{"İstanbul", "ISTANBUL"}},
		{"final", FindOptions{}, []string{"ﬁnal", "FINAL"}},
		{"fi", FindOptions{}, []string{"ﬁ", "FI"}},
		{"f", FindOptions{}, []string{"F"}}, // not half of the ligature
	} {
		var texts []string
		for _, r := range ix.Find(tc.q, tc.opts) {
			texts = append(texts, ix.Slice(r))
		}
		if strings.Join(texts, "|") != strings.Join(tc.found, "|") {
			t.Errorf("Find(%q, %+v) = %q, want %q", tc.q, tc.opts, texts, tc.found)
		}
	}
}

// TestFindFindsEveryWord: on every file of the Unicode corpus and the seed
// article, searching for a word (whole word, case and diacritics as they
// are) finds that word where it is, and every match reads as the query.
func TestFindFindsEveryWord(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "unicode", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	docs := []*Document{seedDocForSearch(t)}
	for _, f := range files {
		docs = append(docs, readUnicodeDoc(t, filepath.Base(f)))
	}
	for _, d := range docs {
		ix := d.Index()
		for _, opts := range []FindOptions{{CaseSensitive: true, WholeWord: true}, {WholeWord: true, IgnoreDiacritics: true}} {
			f := NewFinder(ix, opts)
			for i, w := range ix.Words() {
				if i > 300 {
					break
				}
				if !ix.IsGraphemeBoundary(w.Start) || !ix.IsGraphemeBoundary(w.End) {
					continue
				}
				q := ix.Slice(w)
				if strings.TrimFunc(q, func(r rune) bool { return isSpace(r) || unicode.Is(unicode.Cf, r) }) != q {
					continue // a segment of spaces and invisible marks
				}
				got := f.Find(q)
				found := false
				for _, r := range got {
					found = found || r == w
					if opts.CaseSensitive && f.foldQuery(ix.Slice(r)) != f.foldQuery(q) {
						t.Errorf("%s: Find(%q) matched %q", d.Title, q, ix.Slice(r))
					}
				}
				if !found {
					t.Errorf("%s: Find(%q, %+v) = %v misses the word at %v", d.Title, q, opts, got, w)
				}
			}
		}
	}
}

func TestOccurrences(t *testing.T) {
	d := seedDocForSearch(t)
	ix := d.Index()
	s := NewState(d, DefaultSchema())
	at := func(q string, n int) Range {
		t.Helper()
		rs := ix.Find(q, FindOptions{CaseSensitive: true, WholeWord: true})
		if n >= len(rs) {
			t.Fatalf("%q has %d occurrences", q, len(rs))
		}
		return rs[n]
	}
	add := func(label string, r Range) {
		t.Helper()
		if _, err := s.Apply(Add(Annotation{ID: NewID(), Label: label, Start: r.Start, End: r.End})); err != nil {
			t.Fatal(err)
		}
	}
	texts := func(rs []Range) []string {
		var out []string
		for _, r := range rs {
			out = append(out, ix.Slice(r))
		}
		return out
	}

	// "Zelensky": the first occurrence is inside "Volodymyr Zelensky"; tag
	// the second.
	zel := ix.Find("Zelensky", FindOptions{CaseSensitive: true, WholeWord: true})
	if len(zel) != 4 {
		t.Fatalf("Zelensky occurs %d times, want 4", len(zel))
	}
	add("person", zel[1])
	occ := Occurrences(s, zel[1], "person")
	if !rangesEqual(occ, []Range{zel[0], zel[2], zel[3]}) {
		t.Errorf("Occurrences(Zelensky) = %v, want %v", occ, []Range{zel[0], zel[2], zel[3]})
	}
	// The full name tagged as person: the Zelensky inside it is no longer
	// proposed. A claim around another one does not matter.
	add("person", at("Volodymyr Zelensky", 0))
	sent := ix.SentenceAt(zel[2].Start)
	add("claim", sent)
	occ = Occurrences(s, zel[1], "person")
	if !rangesEqual(occ, []Range{zel[2], zel[3]}) {
		t.Errorf("after tagging the full name: %v, want %v", occ, []Range{zel[2], zel[3]})
	}

	// A place with a possessive and a hyphen compound; "Russian" is not
	// "Russia".
	russia := at("Russia", 0)
	add("place", russia)
	occ = Occurrences(s, russia, "place")
	if got := texts(occ); len(got) != 5 || strings.Join(got, ",") != "Russia,Russia,Russia,Russia,Russia" {
		t.Errorf("Occurrences(Russia) = %q, want five times Russia", got)
	}
	// Labelled as a figure instead, the places do not count.
	if got := Occurrences(s, russia, "figure"); len(got) != 5 {
		t.Errorf("Occurrences(Russia, figure) = %v, want 5 (the place annotation is another label)", got)
	}

	// Case and whole words: "U.S." is found as written; "US" is not.
	us := at("U.S.", 0)
	if got := Occurrences(s, us, "place"); len(got) != strings.Count(d.Text, "U.S.")-1 {
		t.Errorf("Occurrences(U.S.) = %d, want %d", len(got), strings.Count(d.Text, "U.S.")-1)
	}

	// Degenerate input.
	if got := Occurrences(s, Range{5, 5}, "place"); got != nil {
		t.Errorf("empty range: %v", got)
	}
	if got := Occurrences(s, Range{-10, 1 << 30}, "place"); got != nil {
		t.Errorf("whole text: %v", got)
	}
	if got := Occurrences(nil, russia, "place"); got != nil {
		t.Errorf("nil state: %v", got)
	}
}

func TestExcludeLabeled(t *testing.T) {
	d := seedDocForSearch(t)
	ix := d.Index()
	s := NewState(d, DefaultSchema())
	kyiv := ix.Find("Kyiv", FindOptions{CaseSensitive: true, WholeWord: true})
	if _, err := s.Apply(Add(Annotation{ID: "k1", Label: "place", Start: kyiv[2].Start, End: kyiv[2].End})); err != nil {
		t.Fatal(err)
	}
	got := ExcludeLabeled(s, kyiv, "place")
	if len(got) != len(kyiv)-1 {
		t.Fatalf("ExcludeLabeled = %v", got)
	}
	for _, r := range got {
		if r == kyiv[2] {
			t.Errorf("the tagged Kyiv is still there")
		}
	}
}

// BenchmarkFinder measures building a Finder and searching on a text of
// 1 MB (the seed article repeated), as the find bar does per keystroke.
func BenchmarkFinder(b *testing.B) {
	text := strings.Repeat(string(readSeedText(b))+"\n", 1<<20/4721)
	ix := NewIndex(text)
	b.Run("build", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			NewFinder(ix, FindOptions{})
		}
	})
	b.Run("build-diacritics", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			NewFinder(ix, FindOptions{IgnoreDiacritics: true})
		}
	})
	f := NewFinder(ix, FindOptions{WholeWord: true})
	b.Run("find", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			f.Find("Zelensky")
		}
	})
}
