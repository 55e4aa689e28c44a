package annotate

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FindOptions configure a search in a document's text.
type FindOptions struct {
	// CaseSensitive matches letter case exactly. By default case is
	// ignored, with Unicode case folding ("STRASSE" finds "Straße", "ΟΔΟΣ"
	// finds "οδός" when diacritics are ignored too).
	CaseSensitive bool
	// IgnoreDiacritics lets letters match whatever accents they carry:
	// "Malmo" finds "Malmö", "Sao Paulo" finds "São Paulo", "Lodz" finds
	// "Łódź". Only marks that are diacritics are ignored (Latin, Greek and
	// Cyrillic accents, Hebrew points, Arabic harakat); the vowel signs of
	// Indic scripts are letters and still count.
	IgnoreDiacritics bool
	// WholeWord only finds matches that start and end at word boundaries
	// (Unicode word segmentation, see Index.Words): "Kyiv" is not found in
	// "Kyivstar". A possessive after the match is a boundary: "Russia" is
	// found in "Russia’s", as the span "Russia".
	WholeWord bool
	// Limit stops the search after this many matches; 0 means no limit.
	Limit int
}

// A Finder searches one text with fixed options. Building it folds the text
// once (case, diacritics, quotes, whitespace), so each Find is a plain
// substring search: keep one per document and options while the user types.
// A Finder is safe for concurrent use.
type Finder struct {
	ix     *Index
	opts   FindOptions
	folded string
	segs   []foldSeg // maps folded bytes back to code points
}

// foldSeg says where a stretch of folded bytes comes from: from at on, the
// bytes come one for one from the code points cp, cp+1, ... (linear) or all
// from the single code point cp.
type foldSeg struct {
	at, cp int32
	linear bool
}

// Find searches ix's text for query with opts. See Finder.Find.
func (ix *Index) Find(query string, opts FindOptions) []Range {
	return NewFinder(ix, opts).Find(query)
}

// NewFinder prepares searches of ix's text with opts.
func NewFinder(ix *Index, opts FindOptions) *Finder {
	f := &Finder{ix: ix, opts: opts}
	var b strings.Builder
	b.Grow(len(ix.text))
	var scratch []byte
	space := false // the last output was a space from whitespace
	cp := 0
	for _, r := range ix.text {
		start := b.Len()
		if isSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
		} else {
			space = false
			scratch = foldRune(scratch[:0], r, opts)
			b.Write(scratch)
		}
		f.addSeg(start, b.Len(), cp)
		cp++
	}
	f.folded = b.String()
	return f
}

// addSeg records that folded bytes [from, to) come from code point cp.
func (f *Finder) addSeg(from, to, cp int) {
	if to == from {
		return
	}
	if to-from == 1 && len(f.segs) > 0 {
		last := f.segs[len(f.segs)-1]
		// Extend a linear segment whose next byte would be this one.
		if last.linear && int(last.at)+(cp-int(last.cp)) == from {
			return
		}
	}
	f.segs = append(f.segs, foldSeg{at: int32(from), cp: int32(cp), linear: to-from == 1})
}

// origin returns the code point that folded byte b comes from.
func (f *Finder) origin(b int) int {
	i := sort.Search(len(f.segs), func(i int) bool { return int(f.segs[i].at) > b }) - 1
	s := f.segs[i]
	if s.linear {
		return int(s.cp) + b - int(s.at)
	}
	return int(s.cp)
}

// foldRune appends the searchable form of r to dst: quotes, apostrophes and
// hyphens in one form each; without diacritics when asked; case-folded
// unless case matters.
func foldRune(dst []byte, r rune, opts FindOptions) []byte {
	if r < utf8.RuneSelf {
		if !opts.CaseSensitive && 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	}
	switch r {
	case '’', '‘', 'ʼ', '′', '‛':
		return append(dst, '\'')
	case '“', '”', '„', '″', '‟':
		return append(dst, '"')
	case '‐', '‑':
		return append(dst, '-')
	case '\u00ad': // a soft hyphen is invisible: "Ukrai­ne" is "Ukraine"
		return dst
	}
	var buf [32]byte
	parts := utf8.AppendRune(buf[:0], r)
	if opts.IgnoreDiacritics {
		if s, ok := letterFolds[r]; ok {
			parts = append(buf[:0], s...)
		} else {
			d := norm.NFD.AppendString(nil, string(r))
			parts = parts[:0]
			for _, c := range string(d) {
				if !isDiacritic(c) {
					parts = utf8.AppendRune(parts, c)
				}
			}
		}
	}
	for _, c := range string(parts) {
		if !opts.CaseSensitive {
			if s, ok := caseFolds[c]; ok {
				dst = append(dst, s...)
				continue
			}
			c = unicode.ToLower(unicode.ToUpper(c))
		}
		dst = utf8.AppendRune(dst, c)
	}
	return dst
}

// caseFolds are the full case foldings that are more than one character.
var caseFolds = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st",
	'İ': "i\u0307", 'ŉ': "\u02bcn",
}

// letterFolds are letters that are "a letter with a diacritic" to readers
// but have no decomposition in Unicode.
var letterFolds = map[rune]string{
	'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ħ': "h", 'Ħ': "H",
	'ı': "i", 'ŀ': "l", 'Ŀ': "L", 'ŧ': "t", 'Ŧ': "T", 'ƒ': "f", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE",
}

// isDiacritic reports whether r is a combining mark that is a diacritic:
// the combining diacritical marks blocks, Hebrew points and Arabic harakat.
func isDiacritic(r rune) bool {
	switch {
	case 0x0300 <= r && r <= 0x036f, 0x1ab0 <= r && r <= 0x1aff, 0x1dc0 <= r && r <= 0x1dff,
		0x20d0 <= r && r <= 0x20ff, 0xfe20 <= r && r <= 0xfe2f:
		return true
	case 0x0591 <= r && r <= 0x05c7 && unicode.Is(unicode.Mn, r): // Hebrew points and accents
		return true
	case 0x064b <= r && r <= 0x065f, r == 0x0670: // Arabic harakat, superscript alef
		return true
	case r == 0x0483 || r == 0x0484 || r == 0x0485 || r == 0x0486 || r == 0x0487: // Cyrillic titlo and co.
		return true
	}
	return false
}

// foldQuery folds a query as the text is folded, with its whitespace
// trimmed and collapsed.
func (f *Finder) foldQuery(query string) string {
	query = norm.NFC.String(strings.TrimFunc(query, isSpace))
	var b []byte
	space := false
	for _, r := range query {
		if isSpace(r) {
			if !space {
				b = append(b, ' ')
			}
			space = true
			continue
		}
		space = false
		b = foldRune(b, r, f.opts)
	}
	return string(b)
}

// Find returns the code-point ranges of the matches of query in the text,
// in order and not overlapping. The query is compared as the options say;
// in every mode typographic quotes and apostrophes match their ASCII forms
// (’ finds ' and the other way round), any run of whitespace matches any
// other (a line break, a no-break space), soft hyphens are ignored, and the
// query's own leading and trailing whitespace is ignored. A match never splits a grapheme cluster:
// with IgnoreDiacritics it covers the marks of its last letter, and a match
// that would start or end inside a cluster (a letter of a flag, "e" of
// "é" in NFD) is not one. An empty query finds nothing.
func (f *Finder) Find(query string) []Range {
	q := f.foldQuery(query)
	if q == "" {
		return nil
	}
	var out []Range
	n := f.ix.Len(CodePoints)
	for from := 0; from <= len(f.folded)-len(q); {
		i := strings.Index(f.folded[from:], q)
		if i < 0 {
			break
		}
		s, e := from+i, from+i+len(q)
		from = s + 1
		// The match must cover whole code points of the text.
		if s > 0 && f.origin(s-1) == f.origin(s) {
			continue
		}
		if e < len(f.folded) && f.origin(e) == f.origin(e-1) {
			continue
		}
		r := Range{f.origin(s), f.origin(e-1) + 1}
		// Marks dropped by folding belong to the match's last letter.
		next := n
		if e < len(f.folded) {
			next = f.origin(e)
		}
		if !f.ix.IsGraphemeBoundary(r.End) {
			if c := f.ix.GraphemeCeil(r.End); c <= next {
				r.End = c
			}
		}
		if !f.ix.IsGraphemeBoundary(r.Start) || !f.ix.IsGraphemeBoundary(r.End) {
			continue
		}
		if f.opts.WholeWord && !(f.ix.wordBoundary(r.Start, false) && f.ix.wordBoundary(r.End, true)) {
			continue
		}
		out = append(out, r)
		from = e
		if f.opts.Limit > 0 && len(out) >= f.opts.Limit {
			break
		}
	}
	return out
}

// wordBoundary reports whether cp is not inside a word (Index.Words). With
// end set, a possessive ’s or 's (or a lone apostrophe) ending the word
// after cp also makes a boundary.
func (ix *Index) wordBoundary(cp int, end bool) bool {
	w, ok := ix.wordAt(cp)
	if !ok || w.Start == cp {
		return true
	}
	// Invisible format characters (bidi marks, joiners) at the edge of a
	// segment do not make the word longer.
	if strings.IndexFunc(ix.Slice(Range{w.Start, cp}), notInvisible) < 0 {
		return true
	}
	after := ix.Slice(Range{cp, w.End})
	if strings.IndexFunc(after, notInvisible) < 0 {
		return true
	}
	if end {
		switch strings.TrimRightFunc(after, func(r rune) bool { return !notInvisible(r) }) {
		case "’s", "'s", "’S", "'S", "’", "'":
			return true
		}
	}
	return false
}

// notInvisible reports whether r is neither whitespace nor an invisible
// format character.
func notInvisible(r rune) bool { return !isSpace(r) && !unicode.Is(unicode.Cf, r) }

// Occurrences returns, for "label all occurrences", every other whole-word
// occurrence of the text of r (case and diacritics as written) that does
// not already overlap an annotation with label. r itself is not returned.
// The ranges are in text order; r is clamped to the text.
func Occurrences(s *State, r Range, label string) []Range {
	if s == nil || s.Doc == nil {
		return nil
	}
	ix := s.Doc.Index()
	r = Range{ix.clamp(r.Start), ix.clamp(r.End)}
	q := ix.Slice(r)
	if strings.TrimFunc(q, isSpace) == "" {
		return nil
	}
	var out []Range
	for _, m := range ix.Find(q, FindOptions{CaseSensitive: true, WholeWord: true}) {
		if m == r {
			continue
		}
		out = append(out, m)
	}
	return ExcludeLabeled(s, out, label)
}

// ExcludeLabeled returns the ranges of rs that do not overlap an annotation
// with label (for "label all" from a search: the matches still to label).
func ExcludeLabeled(s *State, rs []Range, label string) []Range {
	var out []Range
outer:
	for _, m := range rs {
		for _, a := range s.Overlapping(m) {
			if a.Label == label {
				continue outer
			}
		}
		out = append(out, m)
	}
	return out
}
