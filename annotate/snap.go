package annotate

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snap turns a raw selection r (code points, either direction) into the span
// a user means to annotate with a label of the given kind.
//
// Always: r must lie in the text and not be empty (else an *OffsetError or a
// plain error); both ends move outwards to grapheme cluster boundaries, so a
// span never splits a cluster (an emoji, a flag, a letter with its marks); and
// surrounding whitespace is trimmed (including NBSP and zero-width spaces). In
// precise mode that is all.
//
// Otherwise the span widens to whole words (Unicode word segments, see
// Words), and then:
//
//   - KindEntity: surrounding quotes, brackets and punctuation go
//     (“Kyiv,” → Kyiv, (Reuters) → Reuters), but a closing bracket or quote
//     whose opener is inside stays (Dmitriev (RDIF)), symbols that belong to
//     a figure stay ($105 million, 12%, −5, #1), and so does the full stop of
//     an abbreviation (U.S., Gen., Inc., an initial as in J.); a selection
//     that ends inside a dotted abbreviation such as "U.S" gets its full stop.
//     A possessive ’s that widening added (the user selected "Russia" of
//     "Russia’s") is left out.
//   - KindClaim: leading and trailing separators (commas, colons, dashes) go;
//     quotes and brackets stay; the closing full stop (or ! ? …) stays, and is
//     added when the selection stops right before it, together with a closing
//     quote whose opener the claim contains.
//
// An error says why when nothing is left (e.g. the selection was only
// whitespace or, for an entity, only punctuation).
func (ix *Index) Snap(r Range, kind LabelKind, precise bool) (Range, error) {
	if r.Start > r.End {
		r.Start, r.End = r.End, r.Start
	}
	n := ix.Len(CodePoints)
	for _, p := range []int{r.Start, r.End} {
		if p < 0 || p > n {
			return Range{}, &OffsetError{Pos: p, Unit: CodePoints, Reason: fmt.Sprintf("out of range [0, %d]", n)}
		}
	}
	if r.Start == r.End {
		return Range{}, fmt.Errorf("selection %v is empty", r)
	}
	span, ok := ix.trimSpace(Range{ix.GraphemeFloor(r.Start), ix.GraphemeCeil(r.End)})
	if !ok {
		return Range{}, fmt.Errorf("selection %v is only whitespace", r)
	}
	if precise {
		return span, nil
	}
	span = ix.widenToWords(span)
	switch kind {
	case KindEntity:
		span = ix.tidyEntity(span, r)
	case KindClaim:
		span = ix.tidyClaim(span)
	}
	if span.Len() == 0 {
		return Range{}, fmt.Errorf("selection %v has no word to annotate, only punctuation", r)
	}
	return Range{ix.GraphemeFloor(span.Start), ix.GraphemeCeil(span.End)}, nil
}

// wordIndex returns the index of the first word that ends after cp
// (len(words) if none).
func (ix *Index) wordIndex(cp int) int {
	w := ix.Words()
	return sort.Search(len(w), func(i int) bool { return w[i].End > cp })
}

// wordAt returns the word containing cp, if any.
func (ix *Index) wordAt(cp int) (Range, bool) {
	w := ix.Words()
	if i := ix.wordIndex(cp); i < len(w) && w[i].Start <= cp {
		return w[i], true
	}
	return Range{}, false
}

// widenToWords moves the ends of a non-empty span outwards to the
// boundaries of the words they cut.
func (ix *Index) widenToWords(span Range) Range {
	if w, ok := ix.wordAt(span.Start); ok && w.Start < span.Start {
		span.Start = w.Start
	}
	if w, ok := ix.wordAt(span.End - 1); ok && w.End > span.End {
		span.End = w.End
	}
	return span
}

// runeAt returns the code point at cp (which is inside the text).
func (ix *Index) runeAt(cp int) rune {
	r, _ := utf8.DecodeRuneInString(ix.text[ix.ByteOffset(cp):])
	return r
}

// runeAfter returns the code point at cp, or -1 at the end of the text.
func (ix *Index) runeAfter(cp int) rune {
	if cp >= ix.Len(CodePoints) {
		return -1
	}
	return ix.runeAt(cp)
}

// closersOf maps an opening quote or bracket to the characters that close it.
var closersOf = map[rune]string{
	'(': ")", '[': "]", '{': "}", '“': "”", '‘': "’", '«': "»", '‹': "›",
	'„': "“”", '‚': "‘’", '"': `"`, '\'': "'", '「': "」", '『': "』", '（': "）", '【': "】",
}

// openersOf maps a closing quote or bracket to the characters that open it.
var openersOf = func() map[rune]string {
	m := map[rune]string{}
	for o, cs := range closersOf {
		for _, c := range cs {
			m[c] += string(o)
		}
	}
	return m
}()

// keepAtEdge are punctuation marks that belong to what they stand next to
// (12%, #1, @user, § 5, 5′ 11″) and are never stripped from an entity.
const keepAtEdge = "%‰‱#@&§¶′″‴"

// isApostrophe reports whether the quote at cp sits between two letters
// (Russia’s, don't), where it is an apostrophe, not a quote.
func (ix *Index) isApostrophe(cp int) bool {
	if cp == 0 || cp+1 >= ix.Len(CodePoints) {
		return false
	}
	return unicode.IsLetter(ix.runeAt(cp-1)) && unicode.IsLetter(ix.runeAt(cp+1))
}

// matchForward finds the closer of the opener o at cp within [cp+1, end),
// returning its position or -1. Same-character nesting is counted for
// brackets; apostrophes inside words are not quotes.
func (ix *Index) matchForward(o rune, cp, end int) int {
	closers := closersOf[o]
	symmetric := strings.ContainsRune(closers, o)
	depth := 0
	b := ix.ByteOffset(cp + 1)
	for p := cp + 1; p < end; p++ {
		c, size := utf8.DecodeRuneInString(ix.text[b:])
		b += size
		switch {
		case strings.ContainsRune(closers, c) && !ix.isApostrophe(p):
			if depth == 0 {
				return p
			}
			depth--
		case c == o && !symmetric:
			depth++
		}
	}
	return -1
}

// matchBackward finds the opener of the closer c at cp within [start, cp),
// returning its position or -1.
func (ix *Index) matchBackward(c rune, start, cp int) int {
	openers := openersOf[c]
	symmetric := strings.ContainsRune(openers, c)
	depth := 0
	b := ix.ByteOffset(cp)
	for p := cp - 1; p >= start; p-- {
		o, size := utf8.DecodeLastRuneInString(ix.text[:b])
		b -= size
		switch {
		case strings.ContainsRune(openers, o) && !ix.isApostrophe(p):
			if depth == 0 {
				return p
			}
			depth--
		case o == c && !symmetric && !ix.isApostrophe(p):
			depth++
		}
	}
	return -1
}

// unmatchedOpener reports whether r contains an opener for closer c that is
// not closed within r (so a c right after r would close it).
func (ix *Index) unmatchedOpener(c rune, r Range) bool {
	if !strings.ContainsRune(openersOf[c], c) {
		return ix.matchBackward(c, r.Start, r.End) >= 0
	}
	// symmetric quotes: an odd number of them
	n := 0
	for p := r.Start; p < r.End; p++ {
		if ix.runeAt(p) == c && !ix.isApostrophe(p) {
			n++
		}
	}
	return n%2 == 1
}

// isEdgePunct reports whether r is punctuation that may be stripped from the
// edge of an entity.
func isEdgePunct(r rune) bool {
	if strings.ContainsRune(keepAtEdge, r) {
		return false
	}
	return unicode.IsPunct(r) || strings.ContainsRune("|~^`´¨•", r)
}

// abbreviations whose full stop belongs to the word (checked case-sensitively
// on the word before the stop).
var abbreviations = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range strings.Fields(`Mr Mrs Ms Mx Dr Prof Sr Jr St Ste Gen Col Lt Sgt Capt Maj Cmdr Adm Brig Gov Sen Rep Rev
		Hon Pres Amb Supt Insp Det Inc Ltd Corp Co Bros Plc LLC Mt Ft No Nos vs etc al approx est dept univ assn
		Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Ave Blvd Rd`) {
		m[a] = true
	}
	return m
}()

// isAbbreviation reports whether word w (followed by a full stop) is an
// abbreviation: dotted letters (U.S, e.g, a.m), a single capital (an initial)
// or a common title or company abbreviation.
func (ix *Index) isAbbreviation(w Range) bool {
	t := ix.Slice(w)
	if abbreviations[t] {
		return true
	}
	letters, dots := 0, 0
	for _, r := range t {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '.':
			dots++
		default:
			return false
		}
	}
	if dots > 0 {
		return letters > 0
	}
	r, _ := utf8.DecodeRuneInString(t)
	return letters == 1 && unicode.IsUpper(r)
}

// tidyEntity strips what surrounds an entity. raw is the user's selection.
func (ix *Index) tidyEntity(span, raw Range) Range {
	// A possessive the widening added: "Russia" of "Russia’s".
	if w, ok := ix.wordAt(span.End - 1); ok && w.End == span.End && w.Len() > 2 && raw.End <= w.End-1 {
		if s := ix.runeAt(w.End - 1); s == 's' || s == 'S' {
			if a := ix.runeAt(w.End - 2); (a == '’' || a == '\'') && raw.End <= w.End-2+1 {
				span.End = w.End - 2
			}
		}
	}
	// A dotted abbreviation the selection stopped short of: "U.S" -> "U.S.".
	if w, ok := ix.wordAt(span.End - 1); ok && w.End == span.End && ix.runeAfter(span.End) == '.' &&
		strings.ContainsRune(ix.Slice(w), '.') && ix.isAbbreviation(w) {
		span.End++
	}
	for span.Len() > 0 {
		fc := ix.GraphemeAt(span.Start)
		lc := ix.GraphemeAt(span.End - 1)
		f, l := ix.runeAt(fc.Start), ix.runeAt(lc.Start)
		if _, ok := closersOf[f]; ok && fc != lc {
			m := ix.matchForward(f, fc.Start, span.End)
			if m == lc.Start {
				span = ix.trimmed(Range{fc.End, lc.Start})
				continue
			}
			if m < 0 {
				span = ix.trimmed(Range{fc.End, span.End})
				continue
			}
		} else if isEdgePunct(f) {
			next := ix.runeAfter(fc.End)
			if !((f == '-' || f == '.' || f == '−') && unicode.IsDigit(next)) {
				span = ix.trimmed(Range{fc.End, span.End})
				continue
			}
		}
		if isEdgePunct(l) {
			keep := false
			if _, ok := openersOf[l]; ok && fc != lc && ix.unmatchedOpener(l, Range{span.Start, lc.Start}) {
				keep = true
			}
			if l == '.' {
				if w, ok := ix.wordAt(lc.Start - 1); ok && w.End == lc.Start && w.Start >= span.Start && ix.isAbbreviation(w) {
					keep = true
				}
			}
			if !keep {
				span = ix.trimmed(Range{span.Start, lc.Start})
				continue
			}
		}
		break
	}
	return span
}

// trimmed is trimSpace that returns an empty range when nothing is left.
func (ix *Index) trimmed(r Range) Range {
	if r.Start >= r.End {
		return Range{r.Start, r.Start}
	}
	t, ok := ix.trimSpace(r)
	if !ok {
		return Range{r.Start, r.Start}
	}
	return t
}

// claim separators stripped from the edges of a claim.
const (
	claimLeadStrip  = ",;:.…!?)]}”’»›-–—/·•"
	claimTrailStrip = ",;:-–—/([{“‘«‹„‚·•"
	terminalPunct   = ".!?…"
)

// tidyClaim strips separators around a claim and keeps (or adds) its closing
// full stop.
func (ix *Index) tidyClaim(span Range) Range {
	for span.Len() > 0 {
		fc := ix.GraphemeAt(span.Start)
		f := ix.runeAt(fc.Start)
		if !strings.ContainsRune(claimLeadStrip, f) || (f == '-' || f == '.') && unicode.IsDigit(ix.runeAfter(fc.End)) {
			break
		}
		span = ix.trimmed(Range{fc.End, span.End})
	}
	for span.Len() > 0 {
		lc := ix.GraphemeAt(span.End - 1)
		if !strings.ContainsRune(claimTrailStrip, ix.runeAt(lc.Start)) {
			break
		}
		span = ix.trimmed(Range{span.Start, lc.Start})
	}
	if span.Len() == 0 {
		return span
	}
	// Add the terminal punctuation right after the claim, if it ends a
	// sentence there (whitespace, a closing quote or bracket, or the end of
	// the text follows).
	last := ix.runeAt(span.End - 1)
	if !strings.ContainsRune(terminalPunct, last) {
		e := span.End
		for strings.ContainsRune(terminalPunct, ix.runeAfter(e)) {
			e++
		}
		if next := ix.runeAfter(e); e > span.End && (next < 0 || isSpace(next) || openersOf[next] != "") {
			span.End = ix.GraphemeCeil(e)
		}
	}
	// And a closing quote whose opener the claim contains.
	if c := ix.runeAfter(span.End); openersOf[c] != "" && strings.ContainsRune(terminalPunct, ix.runeAt(span.End-1)) &&
		ix.unmatchedOpener(c, span) {
		span.End = ix.GraphemeCeil(span.End + 1)
	}
	return span
}

// StepWord grows or shrinks r by one word (token, as in Words: a word, a
// number or a punctuation mark) at its start (edge -1) or end (edge +1). It
// never makes r empty and returns r unchanged when there is nothing to step
// over or edge is not ±1. r is clamped to the text first.
func (ix *Index) StepWord(r Range, edge int, grow bool) Range {
	if r.Start > r.End {
		r.Start, r.End = r.End, r.Start
	}
	r = Range{ix.clamp(r.Start), ix.clamp(r.End)}
	w := ix.Words()
	switch {
	case edge == -1 && grow:
		// the last word that starts before r.Start
		if i := sort.Search(len(w), func(i int) bool { return w[i].Start >= r.Start }) - 1; i >= 0 {
			r.Start = w[i].Start
		}
	case edge == -1 && !grow:
		// the first word that starts after r.Start, if it ends inside r
		i := sort.Search(len(w), func(i int) bool { return w[i].Start > r.Start })
		if i < len(w) && w[i].Start < r.End {
			r.Start = w[i].Start
		}
	case edge == 1 && grow:
		// the first word that ends after r.End
		if i := ix.wordIndex(r.End); i < len(w) {
			r.End = w[i].End
		}
	case edge == 1 && !grow:
		// the last word that ends before r.End, if it ends inside r
		i := sort.Search(len(w), func(i int) bool { return w[i].End >= r.End }) - 1
		if i >= 0 && w[i].End > r.Start {
			r.End = w[i].End
		}
	}
	return Range{ix.GraphemeFloor(r.Start), ix.GraphemeCeil(r.End)}
}
