package annotate

import (
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// formatsExample is the example of /work/shared/docs/formats.md.
const formatsExample = "Müller said 🇺🇦 aid rose 12%."

func TestConvertFormatsExample(t *testing.T) {
	ix := NewIndex(formatsExample)
	want := map[Unit]Range{
		Bytes:      {31, 34},
		UTF16:      {26, 29},
		CodePoints: {24, 27},
		Graphemes:  {23, 26},
	}
	for _, from := range Units {
		for _, to := range Units {
			got, err := ix.ConvertRange(want[from], from, to)
			if err != nil {
				t.Fatalf("%s -> %s: %v", from, to, err)
			}
			if got != want[to] {
				t.Errorf("%s %v -> %s = %v, want %v", from, want[from], to, got, want[to])
			}
		}
	}
	if got := ix.Slice(want[CodePoints]); got != "12%" {
		t.Errorf("Slice = %q, want 12%%", got)
	}
	if got := formatsExample[31:34]; got != "12%" {
		t.Errorf("bytes [31, 34) = %q", got)
	}
	lens := map[Unit]int{Bytes: 35, UTF16: 30, CodePoints: 28, Graphemes: 27}
	for u, n := range lens {
		if got := ix.Len(u); got != n {
			t.Errorf("Len(%s) = %d, want %d", u, got, n)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	ix := NewIndex(formatsExample)
	tests := []struct {
		pos      int
		from, to Unit
		msg      string
	}{
		{2, Bytes, CodePoints, "byte offset 2 is inside a code point (UTF-8 sequence [1, 3))"},
		{13, UTF16, CodePoints, "utf16 offset 13 is inside a code point (surrogate pair)"},
		{13, CodePoints, Graphemes, "codepoint offset 13 is inside a grapheme cluster [12, 14)"},
		{17, Bytes, Graphemes, "byte offset 17 is inside a grapheme cluster [13, 21)"},
		{16, Bytes, Graphemes, "byte offset 16 is inside a code point (UTF-8 sequence [13, 17))"},
		{99, Bytes, CodePoints, "byte offset 99 is out of range [0, 35]"},
		{-1, CodePoints, Bytes, "codepoint offset -1 is out of range [0, 28]"},
		{28, Graphemes, Bytes, "grapheme offset 28 is out of range [0, 27]"},
		{1, "rune", Bytes, "rune offset 1 is in an unknown unit"},
		{1, Bytes, "rune", `byte offset 1 is not convertible to unknown unit "rune"`},
	}
	for _, tt := range tests {
		_, err := ix.Convert(tt.pos, tt.from, tt.to)
		var oe *OffsetError
		if !errors.As(err, &oe) {
			t.Errorf("Convert(%d, %s, %s) error = %v, want *OffsetError", tt.pos, tt.from, tt.to, err)
			continue
		}
		if err.Error() != tt.msg {
			t.Errorf("Convert(%d, %s, %s) error = %q, want %q", tt.pos, tt.from, tt.to, err, tt.msg)
		}
	}
	// inside a grapheme cluster but on a code point boundary: exact for
	// the code unit conversions.
	if b, err := ix.Convert(13, CodePoints, Bytes); err != nil || b != 17 {
		t.Errorf("Convert(13, codepoint, byte) = %d, %v; want 17", b, err)
	}
}

// reference computes every boundary of text the slow way: per code point
// its byte and UTF-16 offsets, and the grapheme cluster boundaries (via
// uniseg.Graphemes, which has no fast path).
type reference struct {
	byteAt, utf16At []int // indexed by code point, len n+1
	graphStart      []int // code point offsets of cluster starts, plus n
}

func newReference(text string) reference {
	var ref reference
	u := 0
	for i, r := range text {
		ref.byteAt = append(ref.byteAt, i)
		ref.utf16At = append(ref.utf16At, u)
		if r >= 0x10000 && r <= utf8.MaxRune {
			u += 2
		} else {
			u++
		}
	}
	ref.byteAt = append(ref.byteAt, len(text))
	ref.utf16At = append(ref.utf16At, u)
	g := uniseg.NewGraphemes(text)
	cp := 0
	for g.Next() {
		ref.graphStart = append(ref.graphStart, cp)
		cp += utf8.RuneCountInString(g.Str())
	}
	ref.graphStart = append(ref.graphStart, cp)
	return ref
}

// checkAgainstReference compares every conversion of ix with ref.
func checkAgainstReference(t *testing.T, text string) {
	t.Helper()
	ix := NewIndex(text)
	ref := newReference(text)
	n := len(ref.byteAt) - 1
	if ix.Len(CodePoints) != n || ix.Len(Bytes) != len(text) || ix.Len(UTF16) != ref.utf16At[n] || ix.Len(Graphemes) != len(ref.graphStart)-1 {
		t.Fatalf("%q: lengths %d %d %d %d, want %d %d %d %d", text, ix.Len(CodePoints), ix.Len(Bytes), ix.Len(UTF16), ix.Len(Graphemes),
			n, len(text), ref.utf16At[n], len(ref.graphStart)-1)
	}
	cpOfByte := map[int]int{}
	cpOfUnit := map[int]int{}
	gOfCP := map[int]int{}
	for cp := 0; cp <= n; cp++ {
		cpOfByte[ref.byteAt[cp]] = cp
		cpOfUnit[ref.utf16At[cp]] = cp
	}
	for g, cp := range ref.graphStart {
		gOfCP[cp] = g
	}
	for cp := 0; cp <= n; cp++ {
		if b, err := ix.Convert(cp, CodePoints, Bytes); err != nil || b != ref.byteAt[cp] {
			t.Fatalf("%q: cp %d -> byte = %d, %v; want %d", text, cp, b, err, ref.byteAt[cp])
		}
		if u, err := ix.Convert(cp, CodePoints, UTF16); err != nil || u != ref.utf16At[cp] {
			t.Fatalf("%q: cp %d -> utf16 = %d, %v; want %d", text, cp, u, err, ref.utf16At[cp])
		}
		g, err := ix.Convert(cp, CodePoints, Graphemes)
		wantG, boundary := gOfCP[cp]
		if boundary != (err == nil) || boundary && g != wantG || boundary != ix.IsGraphemeBoundary(cp) {
			t.Fatalf("%q: cp %d -> grapheme = %d, %v; want %d (boundary %v)", text, cp, g, err, wantG, boundary)
		}
		if ix.ByteOffset(cp) != ref.byteAt[cp] {
			t.Fatalf("%q: ByteOffset(%d) = %d", text, cp, ix.ByteOffset(cp))
		}
		fl, ce := ix.GraphemeFloor(cp), ix.GraphemeCeil(cp)
		if _, ok := gOfCP[fl]; !ok || fl > cp || ce < cp {
			t.Fatalf("%q: floor/ceil of %d = %d, %d", text, cp, fl, ce)
		}
		if _, ok := gOfCP[ce]; !ok {
			t.Fatalf("%q: ceil of %d = %d is no boundary", text, cp, ce)
		}
		for x := fl + 1; x < ce; x++ {
			if _, ok := gOfCP[x]; ok {
				t.Fatalf("%q: boundary %d between floor %d and ceil %d", text, x, fl, ce)
			}
		}
	}
	for b := 0; b <= len(text); b++ {
		cp, err := ix.Convert(b, Bytes, CodePoints)
		want, ok := cpOfByte[b]
		if ok != (err == nil) || ok && cp != want {
			t.Fatalf("%q: byte %d -> cp = %d, %v; want %d (ok %v)", text, b, cp, err, want, ok)
		}
	}
	for u := 0; u <= ref.utf16At[n]; u++ {
		cp, err := ix.Convert(u, UTF16, CodePoints)
		want, ok := cpOfUnit[u]
		if ok != (err == nil) || ok && cp != want {
			t.Fatalf("%q: utf16 %d -> cp = %d, %v; want %d (ok %v)", text, u, cp, err, want, ok)
		}
	}
	for g, cp := range ref.graphStart {
		if got, err := ix.Convert(g, Graphemes, CodePoints); err != nil || got != cp {
			t.Fatalf("%q: grapheme %d -> cp = %d, %v; want %d", text, g, got, err, cp)
		}
		if got, err := ix.Convert(g, Graphemes, UTF16); err != nil || got != ref.utf16At[cp] {
			t.Fatalf("%q: grapheme %d -> utf16 = %d, %v; want %d", text, g, got, err, ref.utf16At[cp])
		}
	}
}

var conversionTexts = []string{
	"",
	"a",
	"plain ASCII text.\nTwo lines.",
	"\r\n\r\n",
	"a\r\nb\rc\n",
	formatsExample,
	"Mu\u0308ller",         // NFD
	"e\u0301\u0301\u0301x", // stacked combining marks
	"👨‍👩‍👧‍👦 family, 👍🏽 thumbs",     // ZWJ sequence, skin tone
	"🇺🇦🇬🇧🇺",                         // flags and a lone regional indicator
	"𝐀𝐁 = 𝐁𝐀",                       // astral mathematical letters
	"東京は日本の首都です。",                   // CJK
	"مرحبا بالعالم",                 // Arabic
	"नमस्ते दुनिया",                 // Devanagari (virama, spacing marks)
	"a\u00a0b\u00adc\u200bd\u200de", // NBSP, soft hyphen, ZWSP, ZWJ
	" \u0301x",                      // a space carrying a combining mark
	"\xff\xfeinvalid\xc3",           // invalid UTF-8 bytes
	"\ufeffBOM",
	"a\u0301",  // ASCII then combining mark (fast path boundary)
	"x\u0600y", // prepend character
	"한국어 ᄀᆡᆨ",  // Hangul syllables and jamo
	strings.Repeat("ab", 100) + "é" + strings.Repeat("c", 50) + "😀",
}

func TestConvertAgainstReference(t *testing.T) {
	for _, text := range conversionTexts {
		checkAgainstReference(t, text)
	}
}

func TestIndexUTF16MatchesStdlib(t *testing.T) {
	for _, text := range conversionTexts {
		if !utf8.ValidString(text) {
			continue
		}
		ix := NewIndex(text)
		if got, want := ix.Len(UTF16), len(utf16.Encode([]rune(text))); got != want {
			t.Errorf("%q: Len(utf16) = %d, want %d", text, got, want)
		}
	}
}

func TestConvertNeverPanics(t *testing.T) {
	ix := NewIndex(formatsExample)
	empty := NewIndex("")
	positions := []int{-1 << 63, -1<<63 + 1, -1000, -1, 0, 1, 27, 28, 29, 35, 36, 1 << 40, 1<<63 - 1}
	for _, x := range []*Index{ix, empty} {
		for _, p := range positions {
			for _, from := range append(Units, "bogus") {
				for _, to := range append(Units, "") {
					x.Convert(p, from, to)
				}
			}
			x.ByteOffset(p)
			x.Slice(Range{p, p + 3})
			x.Slice(Range{-p, p})
			x.IsGraphemeBoundary(p)
			x.GraphemeFloor(p)
			x.GraphemeCeil(p)
			x.GraphemeAt(p)
		}
	}
}

func TestSliceClamps(t *testing.T) {
	ix := NewIndex(formatsExample)
	tests := []struct {
		r    Range
		want string
	}{
		{Range{0, 6}, "Müller"},
		{Range{-5, 6}, "Müller"},
		{Range{24, 100}, "12%."},
		{Range{12, 14}, "🇺🇦"},
		{Range{5, 5}, ""},
		{Range{6, 2}, ""},
		{Range{100, 200}, ""},
	}
	for _, tt := range tests {
		if got := ix.Slice(tt.r); got != tt.want {
			t.Errorf("Slice(%v) = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestRange(t *testing.T) {
	a := Range{2, 5}
	tests := []struct {
		o                  Range
		overlaps, contains bool
	}{
		{Range{0, 2}, false, false},
		{Range{0, 3}, true, false},
		{Range{2, 5}, true, true},
		{Range{3, 4}, true, true},
		{Range{4, 9}, true, false},
		{Range{5, 9}, false, false},
		{Range{3, 3}, false, true},
		{Range{5, 5}, false, true},
		{Range{6, 6}, false, false},
		{Range{4, 3}, false, false},
	}
	for _, tt := range tests {
		if got := a.Overlaps(tt.o); got != tt.overlaps {
			t.Errorf("%v.Overlaps(%v) = %v", a, tt.o, got)
		}
		if got := tt.o.Overlaps(a); got != tt.overlaps {
			t.Errorf("%v.Overlaps(%v) = %v", tt.o, a, got)
		}
		if got := a.Contains(tt.o); got != tt.contains {
			t.Errorf("%v.Contains(%v) = %v", a, tt.o, got)
		}
	}
	if a.Len() != 3 || (Range{5, 2}).Len() != 0 {
		t.Errorf("Len wrong")
	}
	if a.String() != "[2, 5)" {
		t.Errorf("String = %q", a.String())
	}
}

// benchText returns about 1 MB of mixed text: the seed article (Latin with
// typographic quotes) interleaved with the Unicode corpus (emoji, flags,
// combining marks, CJK, Arabic, Devanagari, astral letters).
func benchText(b testing.TB) string {
	b.Helper()
	parts := []string{string(seedArticle(b))}
	for _, f := range []string{"emoji", "nfd", "cjk", "arabic", "devanagari", "math", "spaces"} {
		raw, err := os.ReadFile("testdata/unicode/" + f + ".txt")
		if err != nil {
			b.Fatal(err)
		}
		parts = append(parts, string(raw))
	}
	unit := strings.Join(parts, "\n")
	return strings.Repeat(unit, 1<<20/len(unit)+1)[:1<<20]
}

func BenchmarkIndexBuild1MB(b *testing.B) {
	cases := map[string]string{
		"mixed": "",
		"ascii": strings.Repeat("The quick brown fox jumps over the lazy dog. ", 1<<20/45+1)[:1<<20],
		// worst case for the run maps: the width changes at every character
		"alternating": strings.Repeat("aé", 1<<20/3+1)[:1<<20-1],
	}
	for _, name := range []string{"mixed", "ascii", "alternating"} {
		text := cases[name]
		if text == "" {
			text = benchText(b)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				NewIndex(text)
			}
		})
	}
}

// BenchmarkConvert measures one conversion per op on 1 MB of mixed text;
// run with -benchtime=1000000x for exactly a million conversions.
func BenchmarkConvert(b *testing.B) {
	text := benchText(b)
	ix := NewIndex(text)
	// valid positions in every unit: the starts of 4096 clusters spread out
	var cps []int
	for cp := 0; cp < ix.Len(CodePoints); cp = ix.GraphemeCeil(cp + 257) {
		cps = append(cps, cp)
	}
	pos := map[Unit][]int{}
	for _, u := range Units {
		for _, cp := range cps {
			p, err := ix.Convert(cp, CodePoints, u)
			if err != nil {
				b.Fatal(err)
			}
			pos[u] = append(pos[u], p)
		}
	}
	for _, pair := range [][2]Unit{{CodePoints, Bytes}, {Bytes, CodePoints}, {CodePoints, UTF16}, {UTF16, CodePoints}, {CodePoints, Graphemes}, {Graphemes, UTF16}} {
		from, to := pair[0], pair[1]
		ps := pos[from]
		b.Run(string(from)+"-to-"+string(to), func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := ix.Convert(ps[i], from, to); err != nil {
					b.Fatal(err)
				}
				i++
				if i == len(ps) {
					i = 0
				}
			}
		})
	}
}

// TestGraphemeFastPath checks NewIndex's grapheme boundaries, which skip
// uniseg between simple characters, against uniseg on a text holding every
// ordered pair of characters from a set: all of U+0000–U+02FF and the
// Cyrillic letters (the fast path), and characters of every other grapheme
// break class next to them.
func TestGraphemeFastPath(t *testing.T) {
	var set []rune
	for r := rune(0); r < 0x300; r++ {
		set = append(set, r)
	}
	for r := rune(0x300); r <= 0x52F; r += 7 {
		set = append(set, r)
	}
	set = append(set, 0x482, 0x483, 0x489, 0x48A, 0x52F, 0x530, 0x4E00, 0x9FFF, 0xA000, 0x3099, 0x309A,
		0x1100, 0x1161, 0x11A8, 0xAC00, 0xAC01, 0x200C, 0x200D, 0xFE0F, 0x1F600, 0x1F3FD, 0x1F1FA, 0x1F1E6,
		0x600, 0x903, 0x93F, 0x94D, 0x200B, 0x2028, 0xFEFF, 0xE0067, 0xE007F, 0x1F3F4, 0x2764, 0x20E3, utf8.RuneError)
	var b strings.Builder
	for _, x := range set {
		for _, y := range set {
			b.WriteRune(x)
			b.WriteRune(y)
		}
	}
	text := b.String() + "\xff\u0301a\xc3\r\n\r\r"
	ix := NewIndex(text)
	g, cp := 0, 0
	gr := uniseg.NewGraphemes(text)
	for gr.Next() {
		if got, err := ix.Convert(cp, CodePoints, Graphemes); err != nil || got != g {
			start, end := gr.Positions()
			t.Fatalf("cluster %d %q at code point %d (bytes %d–%d): index says %d, %v", g, gr.Str(), cp, start, end, got, err)
		}
		n := utf8.RuneCountInString(gr.Str())
		for i := 1; i < n; i++ {
			if ix.IsGraphemeBoundary(cp + i) {
				t.Fatalf("cluster %q at code point %d: index has a boundary inside", gr.Str(), cp)
			}
		}
		cp += n
		g++
	}
	if ix.Len(Graphemes) != g {
		t.Fatalf("Len(graphemes) = %d, uniseg counts %d", ix.Len(Graphemes), g)
	}
}

// TestIndexMemory1MB bounds what the offset maps of a 1 MB text hold, for
// ordinary text and for texts made to defeat run compression (the unit
// widths change at every code point).
func TestIndexMemory1MB(t *testing.T) {
	const mb = 1 << 20
	fill := func(unit string) string { return strings.Repeat(unit, mb/len(unit)+1)[:mb/len(unit)*len(unit)] }
	tests := []struct {
		name  string
		text  string
		limit int
	}{
		{"ascii", fill("The quick brown fox. "), 1 << 10},
		{"seed article", fill(string(seedArticle(t))), 1 << 20},
		{"mixed corpus", benchText(t), 4 << 20},
		{"alternating é", fill("aé"), 12 << 20},
		{"alternating emoji", fill("a😀"), 12 << 20},
		{"combining marks", fill("e\u0301a"), 16 << 20},
		{"flags and text", fill("🇺🇦a"), 12 << 20},
	}
	for _, tt := range tests {
		ix := NewIndex(tt.text)
		size := ix.memSize()
		t.Logf("%-18s %7d bytes of text: offset maps hold %8d bytes (%.2f per byte)", tt.name, len(tt.text), size, float64(size)/float64(len(tt.text)))
		if size > tt.limit {
			t.Errorf("%s: offset maps hold %d bytes for %d bytes of text, want at most %d", tt.name, size, len(tt.text), tt.limit)
		}
	}
}
