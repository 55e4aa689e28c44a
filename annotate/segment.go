package annotate

import (
	"sort"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// segments holds the word and sentence segmentation of an Index, computed on
// first use (Unicode UAX #29 rules, via uniseg).
type segments struct {
	wordsOnce sync.Once
	words     []Range // word segments that are not pure whitespace

	sentOnce  sync.Once
	sentences []Range // trimmed sentences
	sentSpans []Range // the untrimmed extents (for SentenceAt)
}

// isSpace reports whether r is whitespace for trimming and tokenizing: Unicode
// White_Space (which includes NBSP) plus the invisible zero-width space,
// joiners and the BOM, which never stand alone as text a user means to mark.
func isSpace(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}

func allSpace(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

// Words returns the word segments of the text (Unicode word boundaries) that
// are not pure whitespace, in code points: words, numbers, and each
// punctuation mark or symbol on its own. "U.S" is one segment and its final
// "." another; "Russia’s" is one; "28-point" is "28", "-", "point". These
// are the tokens of the token-based exports (spaCy, CoNLL). The slice is
// computed once and shared: do not modify it.
func (ix *Index) Words() []Range {
	s := ix.seg
	s.wordsOnce.Do(func() {
		rest, state, cp := ix.text, -1, 0
		for len(rest) > 0 {
			var w string
			w, rest, state = uniseg.FirstWordInString(rest, state)
			n := utf8.RuneCountInString(w)
			if !allSpace(w) {
				s.words = append(s.words, Range{cp, cp + n})
			}
			cp += n
		}
	})
	return s.words
}

// Sentences returns the sentences of the text (Unicode sentence boundaries),
// in code points, with leading and trailing whitespace (including the line
// break) trimmed; whitespace-only segments are left out. A line break always
// ends a sentence, so a heading is a sentence of its own. The slice is
// computed once and shared: do not modify it.
//
// Unlike plain UAX #29, a full stop after an abbreviation (U.S., Gen., Mr.,
// an initial; see Snap) does not end a sentence, so "the U.S. Army said" is
// one sentence. The price: a sentence that really ends with "U.S." runs on
// into the next one.
func (ix *Index) Sentences() []Range {
	s := ix.seg
	s.sentOnce.Do(func() {
		var spans []Range // untrimmed uniseg sentences
		rest, state, cp := ix.text, -1, 0
		for len(rest) > 0 {
			var sent string
			sent, rest, state = uniseg.FirstSentenceInString(rest, state)
			n := utf8.RuneCountInString(sent)
			spans = append(spans, Range{cp, cp + n})
			cp += n
		}
		for i := 0; i < len(spans); i++ {
			span := spans[i]
			// UAX #29 ends a sentence at "U.S. Army" or "Gen. Chris";
			// join across the full stop of an abbreviation unless a line
			// break ended the sentence.
			for i+1 < len(spans) && ix.endsWithAbbreviation(span) {
				i++
				span.End = spans[i].End
			}
			if r, ok := ix.trimSpace(span); ok {
				s.sentences = append(s.sentences, r)
				s.sentSpans = append(s.sentSpans, span)
			}
		}
	})
	return s.sentences
}

// endsWithAbbreviation reports whether sentence span ends with the full stop
// of an abbreviation (see isAbbreviation) followed by spaces but no line
// break.
func (ix *Index) endsWithAbbreviation(span Range) bool {
	r, ok := ix.trimSpace(span)
	if !ok || ix.runeAt(r.End-1) != '.' {
		return false
	}
	for p := r.End; p < span.End; p++ {
		if c := ix.runeAt(p); c == '\n' || c == '\u2028' || c == '\u2029' || c == '\u0085' {
			return false
		}
	}
	w, ok := ix.wordAt(r.End - 2)
	return ok && w.End == r.End-1 && ix.isAbbreviation(w)
}

// SentenceAt returns the sentence containing code point cp. A position in the
// whitespace after a sentence belongs to that sentence; a position before the
// first sentence to the first. It returns the empty range when the text has
// no sentence.
func (ix *Index) SentenceAt(cp int) Range {
	sents := ix.Sentences()
	if len(sents) == 0 {
		return Range{}
	}
	spans := ix.seg.sentSpans
	i := sort.Search(len(spans), func(i int) bool { return spans[i].Start > cp }) - 1
	if i < 0 {
		i = 0
	}
	return sents[i]
}

// trimSpace trims whitespace (isSpace) from both ends of r, keeping grapheme
// clusters whole: a space that carries a combining mark is kept. It reports
// false when nothing is left.
func (ix *Index) trimSpace(r Range) (Range, bool) {
	s, e := ix.clamp(r.Start), ix.clamp(r.End)
	bs := ix.ByteOffset(s)
	for s < e {
		c, size := utf8.DecodeRuneInString(ix.text[bs:])
		if !isSpace(c) || !ix.IsGraphemeBoundary(s+1) {
			break
		}
		s++
		bs += size
	}
	be := ix.ByteOffset(e)
	for e > s {
		c, size := utf8.DecodeLastRuneInString(ix.text[:be])
		if !isSpace(c) || !ix.IsGraphemeBoundary(e-1) {
			break
		}
		e--
		be -= size
	}
	return Range{s, e}, s < e
}
