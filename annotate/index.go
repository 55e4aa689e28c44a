package annotate

import (
	"fmt"
	"unicode/utf8"
	"unsafe"

	"github.com/rivo/uniseg"
)

// Unit names the unit an offset counts in.
type Unit string

// The four units Factmark converts between. CodePoints is canonical: every
// range stored by Factmark counts Unicode code points (Python str indices).
const (
	CodePoints Unit = "codepoint" // Unicode code points (Python, brat, Label Studio, W3C)
	Bytes      Unit = "byte"      // UTF-8 bytes (Go string indices)
	UTF16      Unit = "utf16"     // UTF-16 code units (JavaScript and DOM indices, doccano)
	Graphemes  Unit = "grapheme"  // extended grapheme clusters (what people see as characters)
)

// Units lists the four units in a fixed order.
var Units = []Unit{CodePoints, Bytes, UTF16, Graphemes}

func (u Unit) valid() bool {
	switch u {
	case CodePoints, Bytes, UTF16, Graphemes:
		return true
	}
	return false
}

// Range is a half-open [Start, End) range, in code points unless stated
// otherwise.
type Range struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the number of positions in r, or 0 when r is empty or inverted.
func (r Range) Len() int {
	if r.End <= r.Start {
		return 0
	}
	return r.End - r.Start
}

// Overlaps reports whether r and o share at least one position. Empty ranges
// overlap nothing.
func (r Range) Overlaps(o Range) bool {
	return r.Start < r.End && o.Start < o.End && r.Start < o.End && o.Start < r.End
}

// Contains reports whether o lies within r. An empty o is contained when its
// position lies within [r.Start, r.End].
func (r Range) Contains(o Range) bool {
	return o.Start <= o.End && r.Start <= o.Start && o.End <= r.End
}

// String formats r as "[start, end)".
func (r Range) String() string { return fmt.Sprintf("[%d, %d)", r.Start, r.End) }

// OffsetError reports a position that cannot be converted: out of range, in
// the middle of a code point, or in the middle of a grapheme cluster when
// grapheme alignment is required. Error() reads, for example,
// "utf16 offset 7 is inside a code point (surrogate pair)".
type OffsetError struct {
	Pos    int    // the offending position, in Unit
	Unit   Unit   // the unit Pos counts in
	Reason string // e.g. "out of range [0, 42]", "inside a grapheme cluster [10, 14)"
}

func (e *OffsetError) Error() string {
	return fmt.Sprintf("%s offset %d is %s", e.Unit, e.Pos, e.Reason)
}

// run is one piece of a piecewise-linear map between a coarse unit and a
// finer one: from coarse position c (and fine position f) on, every coarse
// unit spans w fine units, up to the next run.
type run struct{ c, f, w int32 }

// runMap maps between a coarse and a fine unit with maximal runs of equal
// width, so plain ASCII text is one run and conversions are a binary search
// over the runs: O(log runs), with no per-character storage. A run takes 12
// bytes; text built to change width at every character (1 MB of "aé")
// needs one run per character, about 13 MB per MB for all three maps at worst.
type runMap struct {
	runs   []run
	nc, nf int // totals in coarse and fine units
}

func (m *runMap) add(c, f, w int) {
	if n := len(m.runs); n > 0 && int(m.runs[n-1].w) == w {
		return
	}
	m.runs = append(m.runs, run{int32(c), int32(f), int32(w)})
}

// fine converts coarse position c in [0, nc] to the fine unit; exact.
func (m *runMap) fine(c int) int {
	rs := m.runs
	if len(rs) == 0 {
		return 0
	}
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if int(rs[mid].c) <= c {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	r := rs[lo-1]
	return int(r.f) + (c-int(r.c))*int(r.w)
}

// coarse converts fine position f in [0, nf] to the coarse unit. When f falls
// inside a coarse unit, exact is false and [lo, hi) is that unit's extent in
// fine units; c is then the coarse unit that contains f.
func (m *runMap) coarse(f int) (c, lo, hi int, exact bool) {
	rs := m.runs
	if len(rs) == 0 {
		return 0, 0, 0, true
	}
	l, h := 0, len(rs)
	for l < h {
		mid := int(uint(l+h) >> 1)
		if int(rs[mid].f) <= f {
			l = mid + 1
		} else {
			h = mid
		}
	}
	r := rs[l-1]
	w := int(r.w)
	d := f - int(r.f)
	q, rem := d/w, d%w
	c = int(r.c) + q
	if rem == 0 {
		return c, f, f, true
	}
	lo = int(r.f) + q*w
	return c, lo, lo + w, false
}

// Index converts offsets in one text between bytes, UTF-16 code units, code
// points and grapheme clusters. It is built once per text (NewIndex) and is
// safe for concurrent use; every conversion is a binary search over runs of
// equally wide characters, O(log n) at worst and O(1) for ASCII text.
// Word and sentence segments are computed on first use.
type Index struct {
	text  string
	bytes runMap // code points -> UTF-8 bytes
	utf16 runMap // code points -> UTF-16 units
	graph runMap // grapheme clusters -> code points

	seg *segments // lazily computed, see segment.go
}

// MaxTextLen is the longest text, in bytes, that an Index covers (2 GiB - 1;
// offsets are stored in 32 bits to halve the index). FromText rejects longer
// input and Document.Check longer texts.
const MaxTextLen = 1<<31 - 1

// NewIndex indexes text. Invalid UTF-8 bytes count as one code point (and one
// UTF-16 unit) each, as in Go's []rune conversion; documents built by FromText
// never contain them. NewIndex panics if text is longer than MaxTextLen, which
// input that went through FromText or Document.Check never is.
func NewIndex(text string) *Index {
	if len(text) > MaxTextLen {
		panic(fmt.Sprintf("annotate: NewIndex: text of %d bytes is longer than MaxTextLen", len(text)))
	}
	ix := &Index{text: text, seg: &segments{}}
	// Count the runs first so that each map is allocated once, exactly.
	n8, n16 := 0, 0
	w8, w16 := 0, 0
	for i := 0; i < len(text); {
		size, units := 1, 1
		if text[i] < utf8.RuneSelf {
			for i++; i < len(text) && text[i] < utf8.RuneSelf; i++ {
			}
		} else {
			size, units = widths(text[i:])
			i += size
		}
		if size != w8 {
			n8++
			w8 = size
		}
		if units != w16 {
			n16++
			w16 = units
		}
	}
	ix.bytes.runs = make([]run, 0, n8)
	ix.utf16.runs = make([]run, 0, n16)
	cp, u16 := 0, 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			ix.bytes.add(cp, i, 1)
			ix.utf16.add(cp, u16, 1)
			j := i + 1
			for j < len(text) && text[j] < utf8.RuneSelf {
				j++
			}
			cp += j - i
			u16 += j - i
			i = j
			continue
		}
		size, units := widths(text[i:])
		ix.bytes.add(cp, i, size)
		ix.utf16.add(cp, u16, units)
		i += size
		cp++
		u16 += units
	}
	ix.bytes.nc, ix.bytes.nf = cp, len(text)
	ix.utf16.nc, ix.utf16.nf = cp, u16

	// Grapheme clusters. A simple character (see simpleRune) followed by
	// another simple character or the end of the text is a cluster of its
	// own, so uniseg only sees the rest. After such a character the break
	// state is the same as at the start of a text.
	g, cp := 0, 0
	state := -1
	for i := 0; i < len(text); {
		// A stretch of ASCII other than CR, each followed by ASCII.
		if j := i; text[j] < utf8.RuneSelf && text[j] != '\r' {
			for j+1 < len(text) && text[j] < utf8.RuneSelf && text[j] != '\r' && text[j+1] < utf8.RuneSelf {
				j++
			}
			if j > i {
				ix.graph.add(g, cp, 1)
				g += j - i
				cp += j - i
				i = j
				state = -1
				continue
			}
		}
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if simpleRune(r) {
			next := rune(-1)
			if j := i + size; j < len(text) {
				next = rune(text[j])
				if next >= utf8.RuneSelf {
					next, _ = utf8.DecodeRuneInString(text[j:])
				}
			}
			if next < 0 || simpleRune(next) {
				ix.graph.add(g, cp, 1)
				i += size
				cp++
				g++
				state = -1
				continue
			}
		}
		cluster, _, _, next := uniseg.FirstGraphemeClusterInString(text[i:], state)
		n := utf8.RuneCountInString(cluster)
		ix.graph.add(g, cp, n)
		i += len(cluster)
		cp += n
		g++
		state = next
	}
	ix.graph.nc, ix.graph.nf = g, cp
	return ix
}

// widths returns the UTF-8 and UTF-16 lengths of the first code point of s
// (an invalid byte counts as a one-byte code point, one UTF-16 unit).
func widths(s string) (size, units int) {
	if s[0] < utf8.RuneSelf {
		return 1, 1
	}
	r, size := utf8.DecodeRuneInString(s)
	if size == 4 && r > 0xFFFF {
		return 4, 2
	}
	return size, 1
}

// simpleRune reports whether r is a character between which and another
// simple character (or the end of the text) there is always a grapheme
// cluster boundary: one whose Grapheme_Cluster_Break class is Other, Control
// or LF (not CR, Extend, ZWJ, SpacingMark, Prepend, Regional_Indicator or a
// Hangul class). That holds below U+0300 (Basic Latin, Latin-1, Latin
// Extended, IPA), for the Cyrillic letters and the CJK unified ideographs. ©
// and ® are Extended_Pictographic, but only join a following Extend or ZWJ,
// which is never simple. TestGraphemeFastPath checks every pair against
// uniseg.
func simpleRune(r rune) bool {
	switch {
	case r < 0x300:
		return r != '\r' && r != utf8.RuneError
	case r >= 0x400 && r <= 0x482, r >= 0x48A && r <= 0x52F:
		return true
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	}
	return false
}

// Text returns the indexed text.
func (ix *Index) Text() string { return ix.text }

// Len returns the length of the text in unit u, or 0 for an unknown unit.
func (ix *Index) Len(u Unit) int {
	switch u {
	case CodePoints:
		return ix.bytes.nc
	case Bytes:
		return len(ix.text)
	case UTF16:
		return ix.utf16.nf
	case Graphemes:
		return ix.graph.nc
	}
	return 0
}

// Convert converts pos in unit from to unit to. It returns an *OffsetError
// when from or to is unknown, when pos is out of range, when pos lies inside a
// code point (a UTF-8 sequence or a surrogate pair), or when to is Graphemes
// and pos lies inside a grapheme cluster. Conversions among bytes, UTF-16 and
// code points are exact at every code point boundary, including those inside
// a grapheme cluster; use IsGraphemeBoundary to demand cluster alignment.
// Convert never panics.
func (ix *Index) Convert(pos int, from, to Unit) (int, error) {
	if !from.valid() {
		return 0, &OffsetError{Pos: pos, Unit: from, Reason: "in an unknown unit"}
	}
	if !to.valid() {
		return 0, &OffsetError{Pos: pos, Unit: from, Reason: fmt.Sprintf("not convertible to unknown unit %q", string(to))}
	}
	cp, err := ix.toCodePoint(pos, from)
	if err != nil {
		return 0, err
	}
	if to == Graphemes {
		g, lo, hi, exact := ix.graph.coarse(cp)
		if !exact {
			return 0, &OffsetError{Pos: pos, Unit: from, Reason: fmt.Sprintf("inside a grapheme cluster [%d, %d)",
				ix.fromCodePoint(lo, from), ix.fromCodePoint(hi, from))}
		}
		return g, nil
	}
	return ix.fromCodePoint(cp, to), nil
}

// ConvertRange converts both ends of r from unit from to unit to, with the
// errors of Convert. An inverted range is an error.
func (ix *Index) ConvertRange(r Range, from, to Unit) (Range, error) {
	if r.Start > r.End {
		return Range{}, &OffsetError{Pos: r.Start, Unit: from, Reason: fmt.Sprintf("after the end of its range %d", r.End)}
	}
	s, err := ix.Convert(r.Start, from, to)
	if err != nil {
		return Range{}, err
	}
	e, err := ix.Convert(r.End, from, to)
	if err != nil {
		return Range{}, err
	}
	return Range{s, e}, nil
}

// toCodePoint converts pos (unit from, which is valid) to code points.
func (ix *Index) toCodePoint(pos int, from Unit) (int, error) {
	if n := ix.Len(from); pos < 0 || pos > n {
		return 0, &OffsetError{Pos: pos, Unit: from, Reason: fmt.Sprintf("out of range [0, %d]", n)}
	}
	switch from {
	case Bytes:
		cp, lo, hi, exact := ix.bytes.coarse(pos)
		if !exact {
			return 0, &OffsetError{Pos: pos, Unit: from, Reason: fmt.Sprintf("inside a code point (UTF-8 sequence [%d, %d))", lo, hi)}
		}
		return cp, nil
	case UTF16:
		cp, _, _, exact := ix.utf16.coarse(pos)
		if !exact {
			return 0, &OffsetError{Pos: pos, Unit: from, Reason: "inside a code point (surrogate pair)"}
		}
		return cp, nil
	case Graphemes:
		return ix.graph.fine(pos), nil
	}
	return pos, nil
}

// fromCodePoint converts cp in [0, Len(CodePoints)] to unit to, which is not
// Graphemes unless cp is a cluster boundary (then it returns that cluster
// index; otherwise the index of the cluster containing cp).
func (ix *Index) fromCodePoint(cp int, to Unit) int {
	switch to {
	case Bytes:
		return ix.bytes.fine(cp)
	case UTF16:
		return ix.utf16.fine(cp)
	case Graphemes:
		g, _, _, _ := ix.graph.coarse(cp)
		return g
	}
	return cp
}

func (ix *Index) clamp(cp int) int {
	if cp < 0 {
		return 0
	}
	if n := ix.bytes.nc; cp > n {
		return n
	}
	return cp
}

// ByteOffset returns the UTF-8 byte offset of code point cp, clamped to
// [0, Len(CodePoints)].
func (ix *Index) ByteOffset(cp int) int { return ix.bytes.fine(ix.clamp(cp)) }

// Slice returns the text of the code-point range r, clamped to the text; an
// empty or inverted range gives "".
func (ix *Index) Slice(r Range) string {
	s, e := ix.clamp(r.Start), ix.clamp(r.End)
	if s >= e {
		return ""
	}
	return ix.text[ix.bytes.fine(s):ix.bytes.fine(e)]
}

// IsGraphemeBoundary reports whether code point offset cp is at the start or
// end of a grapheme cluster. 0 and Len(CodePoints) are boundaries; positions
// outside the text are not.
func (ix *Index) IsGraphemeBoundary(cp int) bool {
	if cp < 0 || cp > ix.bytes.nc {
		return false
	}
	_, _, _, exact := ix.graph.coarse(cp)
	return exact
}

// GraphemeFloor returns the nearest grapheme cluster boundary <= cp (cp is
// clamped to the text first).
func (ix *Index) GraphemeFloor(cp int) int {
	cp = ix.clamp(cp)
	_, lo, _, exact := ix.graph.coarse(cp)
	if exact {
		return cp
	}
	return lo
}

// GraphemeCeil returns the nearest grapheme cluster boundary >= cp (cp is
// clamped to the text first).
func (ix *Index) GraphemeCeil(cp int) int {
	cp = ix.clamp(cp)
	_, _, hi, exact := ix.graph.coarse(cp)
	if exact {
		return cp
	}
	return hi
}

// GraphemeAt returns the grapheme cluster containing code point cp, or the
// empty range at the end of text when cp >= Len(CodePoints) (cp is clamped).
func (ix *Index) GraphemeAt(cp int) Range {
	cp = ix.clamp(cp)
	if cp == ix.bytes.nc {
		return Range{cp, cp}
	}
	g, _, _, _ := ix.graph.coarse(cp)
	return Range{ix.graph.fine(g), ix.graph.fine(g + 1)}
}

// memSize returns the bytes held by the offset maps (not the text itself,
// nor the lazily built segmentation).
func (ix *Index) memSize() int {
	const runSize = int(unsafe.Sizeof(run{}))
	return int(unsafe.Sizeof(*ix)) + runSize*(cap(ix.bytes.runs)+cap(ix.utf16.runs)+cap(ix.graph.runs))
}
