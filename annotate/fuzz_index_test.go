package annotate

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// FuzzConvert checks that conversions never panic, round-trip, agree with a
// per-code-point reference, and that grapheme helpers, segmentation and Snap
// keep their invariants, for any text and any position.
// Seed corpus: testdata/fuzz/FuzzConvert.
func FuzzConvert(f *testing.F) {
	f.Add(formatsExample, 31, uint8(1), uint8(3))
	f.Add("a\r\nb", 2, uint8(0), uint8(3))
	f.Add("👨‍👩‍👧 🇺🇦🇺", 3, uint8(2), uint8(0))
	f.Add("\xff\xc3", 1, uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, text string, pos int, from, to uint8) {
		ix := NewIndex(text)
		u1, u2 := Units[from%4], Units[to%4]
		got, err := ix.Convert(pos, u1, u2)
		if err != nil {
			var oe *OffsetError
			if !errors.As(err, &oe) || oe.Pos != pos || oe.Unit != u1 {
				t.Fatalf("Convert(%d, %s, %s) error %#v", pos, u1, u2, err)
			}
		} else {
			if got < 0 || got > ix.Len(u2) {
				t.Fatalf("Convert(%d, %s, %s) = %d outside [0, %d]", pos, u1, u2, got, ix.Len(u2))
			}
			back, err := ix.Convert(got, u2, u1)
			if err != nil || back != pos {
				t.Fatalf("Convert(%d, %s, %s) = %d, back = %d, %v", pos, u1, u2, got, back, err)
			}
		}
		n := ix.Len(CodePoints)
		if n != utf8.RuneCountInString(text) || ix.Len(Bytes) != len(text) {
			t.Fatalf("Len: %d code points, %d bytes", n, ix.Len(Bytes))
		}
		// grapheme boundaries agree with uniseg's own iterator
		gcp, gi := 0, 0
		for gr := uniseg.NewGraphemes(text); gr.Next(); gi++ {
			if got, err := ix.Convert(gcp, CodePoints, Graphemes); err != nil || got != gi {
				t.Fatalf("cluster %d %q at code point %d: index says %d, %v", gi, gr.Str(), gcp, got, err)
			}
			gcp += utf8.RuneCountInString(gr.Str())
		}
		if gi != ix.Len(Graphemes) {
			t.Fatalf("Len(graphemes) = %d, uniseg counts %d", ix.Len(Graphemes), gi)
		}
		cp := pos
		if n > 0 {
			cp = ((pos % (n + 1)) + n + 1) % (n + 1)
		} else {
			cp = 0
		}
		// reference: the byte offset of code point cp
		ref := 0
		for i := 0; i < cp; i++ {
			_, size := utf8.DecodeRuneInString(text[ref:])
			ref += size
		}
		if b, err := ix.Convert(cp, CodePoints, Bytes); err != nil || b != ref || ix.ByteOffset(cp) != ref {
			t.Fatalf("cp %d -> byte %d, %v; want %d", cp, b, err, ref)
		}
		fl, ce := ix.GraphemeFloor(cp), ix.GraphemeCeil(cp)
		if fl > cp || ce < cp || !ix.IsGraphemeBoundary(fl) || !ix.IsGraphemeBoundary(ce) {
			t.Fatalf("floor/ceil of %d: %d %d", cp, fl, ce)
		}
		if g := ix.GraphemeAt(cp); cp < n && (g.Start != fl || g.End <= cp || !ix.IsGraphemeBoundary(g.End)) {
			t.Fatalf("GraphemeAt(%d) = %v, floor %d", cp, g, fl)
		}
		if _, err := ix.Convert(cp, CodePoints, Graphemes); (err == nil) != ix.IsGraphemeBoundary(cp) {
			t.Fatalf("cp %d: grapheme conversion error %v but boundary %v", cp, err, ix.IsGraphemeBoundary(cp))
		}
		prev := 0
		for _, w := range ix.Words() {
			if w.Start < prev || w.End <= w.Start || w.End > n {
				t.Fatalf("bad word %v after %d", w, prev)
			}
			prev = w.End
		}
		prev = 0
		for _, s := range ix.Sentences() {
			if s.Start < prev || s.End <= s.Start || s.End > n {
				t.Fatalf("bad sentence %v after %d", s, prev)
			}
			prev = s.End
		}
		ix.SentenceAt(pos)
		for _, kind := range []LabelKind{KindEntity, KindClaim, ""} {
			for _, precise := range []bool{false, true} {
				r, err := ix.Snap(Range{fl, pos}, kind, precise)
				if err != nil {
					continue
				}
				if r.Start >= r.End || r.Start < 0 || r.End > n || !ix.IsGraphemeBoundary(r.Start) || !ix.IsGraphemeBoundary(r.End) {
					t.Fatalf("Snap([%d, %d), %q, %v) = %v", fl, pos, kind, precise, r)
				}
				if again, err := ix.Snap(r, kind, precise); err != nil || again != r {
					t.Fatalf("Snap not idempotent: [%d, %d) %q %v -> %v -> %v, %v", fl, pos, kind, precise, r, again, err)
				}
				for _, edge := range []int{-1, 1} {
					for _, grow := range []bool{false, true} {
						s := ix.StepWord(r, edge, grow)
						if s.Start >= s.End || !ix.IsGraphemeBoundary(s.Start) || !ix.IsGraphemeBoundary(s.End) {
							t.Fatalf("StepWord(%v, %d, %v) = %v", r, edge, grow, s)
						}
					}
				}
			}
		}
	})
}

// FuzzFromText checks that importing never panics, that rejected input is
// reported at a byte that is really NUL or invalid, and that accepted input
// gives a document that passes Check and imports again unchanged.
// Seed corpus: testdata/fuzz/FuzzFromText.
func FuzzFromText(f *testing.F) {
	f.Add([]byte("Table of Contents\nTitle\nBody."))
	f.Add([]byte("\xef\xbb\xbfa\r\nb\rc"))
	f.Add([]byte("Mu\u0308ller\x00"))
	f.Add([]byte("ok\xed\xa0\x80"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := FromText(raw, TextOptions{})
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is no *ImportError", err)
			}
			if ie.Offset >= 0 {
				if ie.Offset >= len(raw) {
					t.Fatalf("offset %d beyond input of %d bytes", ie.Offset, len(raw))
				}
				if !utf8.Valid(raw[:ie.Offset]) || strings.ContainsRune(string(raw[:ie.Offset]), 0) {
					t.Fatalf("error at %d, but the input was bad before", ie.Offset)
				}
				if r, size := utf8.DecodeRune(raw[ie.Offset:]); r != 0 && !(r == utf8.RuneError && size == 1) {
					t.Fatalf("error %v at a good character %q", err, r)
				}
			} else if utf8.Valid(raw) && strings.TrimSpace(strings.Map(func(r rune) rune {
				if isSpace(r) {
					return ' '
				}
				return r
			}, string(raw))) != "" && !strings.ContainsRune(string(raw), 0) {
				t.Fatalf("rejected text with content: %v", err)
			}
			return
		}
		if err := d.Check(); err != nil {
			t.Fatalf("Check: %v", err)
		}
		if len(d.Blocks) == 0 || d.Title == "" {
			t.Fatalf("no blocks (%v) or no title (%q)", d.Blocks, d.Title)
		}
		if !utf8.ValidString(d.Text) || strings.ContainsAny(d.Text, "\r\x00") || !norm.NFC.IsNormalString(d.Text) {
			t.Fatalf("text not normalized: %q", d.Text)
		}
		again, err := FromText([]byte(d.Text), TextOptions{})
		if err != nil {
			t.Fatalf("re-import: %v", err)
		}
		if again.Text != d.Text || len(again.Normalization) != 0 || again.Title != d.Title || len(again.Blocks) != len(d.Blocks) {
			t.Fatalf("re-import differs: %q %q %q", again.Text, again.Normalization, again.Title)
		}
		for i := range d.Blocks {
			if again.Blocks[i] != d.Blocks[i] {
				t.Fatalf("re-import block %d: %v vs %v", i, again.Blocks[i], d.Blocks[i])
			}
		}
	})
}
