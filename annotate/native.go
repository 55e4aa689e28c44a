package annotate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Format is the format marker of Factmark's native JSON format.
const Format = "factmark/v1"

// QuoteContext is the number of code points of text before and after an
// annotation that the native format stores as its prefix and suffix.
const QuoteContext = 32

// timeLayout is how the native format writes times: RFC 3339 in UTC with
// milliseconds, the precision Factmark keeps.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Encode writes s in the native format factmark/v1: one indented JSON object
// and a final newline, byte for byte the same for the same state.
//
//	{
//	  "format": "factmark/v1",
//	  "unit": "codepoint",
//	  "document": {"id", "title", "source" (when set), "text", "blocks", "sha256", "lengths", "normalization"},
//	  "schema": {"labels": [{"id", "name", "key", "color", "darkColor", "kind"}, …]},
//	  "annotations": [
//	    {
//	      "id": "a-…", "label": "person",
//	      "start": 24, "end": 27,                       // code points, half-open
//	      "offsets": {"byte": [31, 34], "utf16": [26, 29], "grapheme": [23, 26]},
//	      "quote": "12%",                               // the exact text
//	      "prefix": "…", "suffix": "…",                 // up to 32 code points either side
//	      "note": "", "claim": {…} (claims only),
//	      "created": "2025-11-25T21:30:00.000Z", "modified": "…"
//	    }, …
//	  ]
//	}
//
// Annotations are sorted as by State.Annotations. The undo history is not
// part of an export. web/schema/factmark-v1.schema.json is the JSON Schema.
// Encode checks the document and schema first (Document.Check, Schema.Check)
// so that its output always decodes.
func Encode(s *State) ([]byte, error) { return AppendEncode(nil, s) }

// AppendEncode appends Encode's output for s to dst and returns the
// extended buffer (dst as it was, with an error): a caller that wraps the
// encoding in a larger record writes it in place rather than copying
// megabytes.
func AppendEncode(dst []byte, s *State) ([]byte, error) {
	e := &nativeEncoder{indent: true, b: dst}
	if s != nil {
		e.cache = s.enc.take()
		defer func() { s.enc.put(e.cache) }()
		if n := e.cache.size + e.cache.size/16 + 1024; e.cache.size > 0 && cap(e.b)-len(e.b) < n {
			b := make([]byte, len(e.b), len(e.b)+n)
			copy(b, e.b)
			e.b = b
		}
	}
	start := len(dst)
	if err := e.state(s); err != nil {
		return dst, err
	}
	e.b = append(e.b, '\n')
	if e.cache != nil {
		e.cache.size = len(e.b) - start
	}
	return e.b, nil
}

// encodeCompact is Encode on one line, without the final newline.
func encodeCompact(s *State) ([]byte, error) {
	e := &nativeEncoder{}
	if err := e.state(s); err != nil {
		return nil, err
	}
	return e.b, nil
}

// Decode reads a document in the native format and validates all of it: the
// structure (no unknown, missing, duplicate or wrongly typed field), the
// document (Document.Check: the text matches its hash and lengths, blocks lie
// on grapheme boundaries), the schema (Schema.Check) and every annotation: a
// unique id, a label of the schema, a non-empty range inside the text on
// grapheme cluster boundaries, offsets in bytes, UTF-16 units and graphemes
// that agree with it, a quote equal to the text of the range, prefix and
// suffix equal to the text around it, a claim record only on a claim label,
// RFC 3339 times, and no two annotations with the same range and label.
//
// The error is a *DecodeError naming the line and JSON path of the first
// problem, e.g. "line 57: annotations[3].end: 120 is inside a grapheme
// cluster [118, 122)". Decode never panics.
func Decode(data []byte) (*State, error) {
	// Well-formed input in the usual layout takes the fast path
	// (native_fast.go); anything else, and every error, the full decoder.
	if s, ok := decodeFast(data); ok {
		return s, nil
	}
	return decodeTree(data)
}

// decodeTree is Decode by the full decoder: the input parsed into a tree of
// jnodes, then read by nativeDecoder with every error's line and path.
func decodeTree(data []byte) (*State, error) {
	root, strs, err := parseNativeJSON(data)
	if err != nil {
		return nil, err
	}
	d := &nativeDecoder{data: data, root: root, strs: strs}
	s, err := d.file()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// DecodeError reports why input in the native format was refused.
type DecodeError struct {
	Line   int    // 1-based line of the input (of the dataset, for DatasetReader); 0 if unknown
	Path   string // JSON path of the bad value, e.g. "annotations[3].end"; "" for the whole input
	Reason string
}

// Error reads, for example, "line 4: annotations[3].end: 120 is inside a
// grapheme cluster [118, 122)".
func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// DatasetWriter writes a dataset: JSON Lines, one document in the native
// format per line.
type DatasetWriter struct {
	w io.Writer
	n int
}

// NewDatasetWriter returns a writer of a dataset to w.
func NewDatasetWriter(w io.Writer) *DatasetWriter { return &DatasetWriter{w: w} }

// Write writes s as one line (compact JSON and "\n").
func (w *DatasetWriter) Write(s *State) error {
	b, err := encodeCompact(s)
	if err != nil {
		return fmt.Errorf("dataset line %d: %w", w.n+1, err)
	}
	if _, err := w.w.Write(append(b, '\n')); err != nil {
		return err
	}
	w.n++
	return nil
}

// DatasetReader reads a dataset written by DatasetWriter, one document at a
// time. Blank lines are skipped.
type DatasetReader struct {
	r    *bufio.Reader
	line int
	err  error // sticky read error
}

// NewDatasetReader returns a reader of the dataset in r.
func NewDatasetReader(r io.Reader) *DatasetReader {
	return &DatasetReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Next decodes the next document. It returns io.EOF after the last one. A
// line that does not decode gives a *DecodeError whose Line is the line of
// the dataset; Next can then be called again for the following lines.
func (r *DatasetReader) Next() (*State, error) {
	for r.err == nil {
		line, err := r.r.ReadBytes('\n')
		if err != nil {
			r.err = err
			if len(line) == 0 {
				break
			}
		}
		r.line++
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		s, derr := Decode(line)
		if derr != nil {
			var de *DecodeError
			if errors.As(derr, &de) {
				de.Line = r.line
				return nil, de
			}
			return nil, &DecodeError{Line: r.line, Reason: derr.Error()}
		}
		return s, nil
	}
	if r.err == io.EOF {
		return nil, io.EOF
	}
	return nil, fmt.Errorf("dataset after line %d: %w", r.line, r.err)
}

// ---------------------------------------------------------------------------
// Encoding

type nativeEncoder struct {
	b      []byte
	indent bool
	depth  int

	// cache is the encodings kept from the previous Encodes of the state
	// (nil: no caching); Encode updates it and puts it back.
	cache *encodedAnns
}

// encodeCache is the encoding of a state's annotations by Encode, kept for
// the next Encode of the same state: an annotation whose value, document
// (index) and place in the output are unchanged is copied, not converted,
// checked and escaped again. Autosave encodes the whole state after every
// edit; with 10,000 annotations this is most of its work.
//
// The encodings are kept by the annotation's pointer: a State never changes
// an annotation it holds (an edit replaces it with a changed copy, a
// rollback puts the old one back), so the same pointer means the same
// value. A map keyed by pointer is also much cheaper to probe than one keyed
// by id, and it is kept across Encodes rather than built anew each time.
type encodeCache struct {
	mu   sync.Mutex
	last *encodedAnns
}

type encodedAnns struct {
	ix    *Index
	depth int
	m     map[*Annotation][]byte
	size  int // the length of the last encoding, to size the next one's buffer

	// textJSON is the JSON string of the text at textPtr (textLen bytes).
	textPtr  *byte
	textLen  int
	textJSON []byte

	// blocksJSON is the encoding of the blocks at blocksPtr (blocksLen of
	// them) at blocksDepth, indented or not: a document's blocks never
	// change, and a long article has thousands.
	blocksPtr    *Block
	blocksLen    int
	blocksDepth  int
	blocksIndent bool
	blocksJSON   []byte
}

// take returns the cache for one Encode (and leaves none behind, so that
// concurrent Encodes of one state do not share it).
func (c *encodeCache) take() *encodedAnns {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := c.last
	c.last = nil
	if last == nil {
		last = &encodedAnns{}
	}
	return last
}

// put keeps the encodings of a complete Encode.
func (c *encodeCache) put(next *encodedAnns) {
	if next == nil {
		return
	}
	c.mu.Lock()
	c.last = next
	c.mu.Unlock()
}

// prepare makes the cache fit for an Encode of n annotations on ix at
// depth: emptied when either changed, and rid of the encodings of
// annotations no longer in the state when they outnumber a quarter of it.
func (c *encodedAnns) prepare(s *State, ix *Index, depth int) {
	if c.m == nil || c.ix != ix || c.depth != depth {
		c.ix, c.depth, c.m = ix, depth, make(map[*Annotation][]byte, s.Len())
		return
	}
	if len(c.m) <= s.Len()+s.Len()/4+64 {
		return
	}
	m := make(map[*Annotation][]byte, s.Len())
	for _, ch := range s.spans.chunks {
		for _, a := range ch.items {
			if b, ok := c.m[a]; ok {
				m[a] = b
			}
		}
	}
	c.m = m
}

func (e *nativeEncoder) nl() {
	if e.indent {
		e.b = append(e.b, '\n')
		for i := 0; i < e.depth; i++ {
			e.b = append(e.b, ' ', ' ')
		}
	}
}

// open starts an object or array spread over lines.
func (e *nativeEncoder) open(c byte) { e.b = append(e.b, c); e.depth++ }

// close ends it; empty says nothing was written inside.
func (e *nativeEncoder) close(c byte, empty bool) {
	e.depth--
	if !empty {
		e.nl()
	}
	e.b = append(e.b, c)
}

// key writes a member name of a multi-line object: first says it is the first.
func (e *nativeEncoder) key(k string, first bool) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.nl()
	e.b = appendString(e.b, k)
	e.colon()
}

func (e *nativeEncoder) colon() {
	e.b = append(e.b, ':')
	if e.indent {
		e.b = append(e.b, ' ')
	}
}

// sep writes the separator between members of an inline object or array.
func (e *nativeEncoder) sep() {
	e.b = append(e.b, ',')
	if e.indent {
		e.b = append(e.b, ' ')
	}
}

// inline writes an object on one line: {"k": v, …}.
func (e *nativeEncoder) inline(kv ...any) {
	e.b = append(e.b, '{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			e.sep()
		}
		e.b = appendString(e.b, kv[i].(string))
		e.colon()
		switch v := kv[i+1].(type) {
		case string:
			e.b = appendString(e.b, v)
		case int:
			e.b = strconv.AppendInt(e.b, int64(v), 10)
		case Range:
			e.pair(v)
		}
	}
	e.b = append(e.b, '}')
}

func (e *nativeEncoder) pair(r Range) {
	e.b = append(e.b, '[')
	e.b = strconv.AppendInt(e.b, int64(r.Start), 10)
	e.sep()
	e.b = strconv.AppendInt(e.b, int64(r.End), 10)
	e.b = append(e.b, ']')
}

func (e *nativeEncoder) str(k, v string, first bool) {
	e.key(k, first)
	e.b = appendString(e.b, v)
}

// text appends the JSON string of the document's text, escaped once per
// text: the cache keeps the escaped form of the last text it saw (a string
// is immutable, so the same data pointer and length mean the same text).
func (e *nativeEncoder) text(t string) {
	c := e.cache
	if c == nil || len(t) < 4096 {
		e.b = appendString(e.b, t)
		return
	}
	if c.textPtr != unsafe.StringData(t) || c.textLen != len(t) {
		c.textPtr, c.textLen = unsafe.StringData(t), len(t)
		c.textJSON = appendString(nil, t)
	}
	e.b = append(e.b, c.textJSON...)
}

// blocks appends the array of a document's blocks, encoded once per
// document when there are many: the cache keeps the encoding of the last
// blocks it saw (a document's blocks are never changed in place).
func (e *nativeEncoder) blocks(bs []Block) {
	c := e.cache
	if c == nil || len(bs) < 64 {
		e.writeBlocks(bs)
		return
	}
	if c.blocksPtr == unsafe.SliceData(bs) && c.blocksLen == len(bs) && c.blocksDepth == e.depth && c.blocksIndent == e.indent {
		e.b = append(e.b, c.blocksJSON...)
		return
	}
	start := len(e.b)
	e.writeBlocks(bs)
	c.blocksPtr, c.blocksLen, c.blocksDepth, c.blocksIndent = unsafe.SliceData(bs), len(bs), e.depth, e.indent
	c.blocksJSON = append(c.blocksJSON[:0], e.b[start:]...)
}

func (e *nativeEncoder) writeBlocks(bs []Block) {
	e.open('[')
	for i, b := range bs {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.nl()
		e.inline("kind", string(b.Kind), "start", b.Start, "end", b.End)
	}
	e.close(']', len(bs) == 0)
}

// time appends member k with t as timeLayout writes it.
func (e *nativeEncoder) time(k string, t time.Time) {
	e.key(k, false)
	e.b = append(e.b, '"')
	e.b = appendTime(e.b, t)
	e.b = append(e.b, '"')
}

func (e *nativeEncoder) num(k string, v int) {
	e.key(k, false)
	e.b = strconv.AppendInt(e.b, int64(v), 10)
}

func (e *nativeEncoder) state(s *State) error {
	if s == nil || s.Doc == nil {
		return errors.New("cannot encode: the state has no document")
	}
	d := s.Doc
	if err := d.Check(); err != nil {
		return fmt.Errorf("cannot encode: %w", err)
	}
	if err := s.Schema.Check(); err != nil {
		return fmt.Errorf("cannot encode: %w", err)
	}
	for _, n := range d.Normalization {
		if r := checkNormStep(n); r != "" {
			return fmt.Errorf("cannot encode: document.normalization: %q %s", n, r)
		}
	}
	for _, f := range []struct{ path, s string }{{"document.title", d.Title}, {"document.source", d.Source}} {
		if !utf8.ValidString(f.s) {
			return fmt.Errorf("cannot encode: %s is not valid utf-8", f.path)
		}
	}
	ix := d.Index()
	if cap(e.b) == 0 {
		e.b = make([]byte, 0, len(d.Text)*2+s.Len()*400+4096)
	}

	e.open('{')
	e.str("format", Format, true)
	e.str("unit", string(CodePoints), false)

	e.key("document", false)
	e.open('{')
	e.str("id", d.ID, true)
	e.str("title", d.Title, false)
	if d.Source != "" {
		e.str("source", d.Source, false)
	}
	e.key("text", false)
	e.text(d.Text)
	e.key("blocks", false)
	e.blocks(d.Blocks)
	e.str("sha256", d.SHA256, false)
	e.key("lengths", false)
	l := d.Lengths
	e.inline("bytes", l.Bytes, "utf16", l.UTF16, "codepoints", l.CodePoints, "graphemes", l.Graphemes)
	e.key("normalization", false)
	e.b = append(e.b, '[')
	for i, n := range d.Normalization {
		if i > 0 {
			e.sep()
		}
		e.b = appendString(e.b, n)
	}
	e.b = append(e.b, ']')
	e.close('}', false)

	e.key("schema", false)
	e.open('{')
	e.key("labels", true)
	e.open('[')
	for i, l := range s.Schema.Labels {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.nl()
		e.inline("id", l.ID, "name", l.Name, "key", l.Key, "color", l.Color, "darkColor", l.DarkColor, "kind", string(l.Kind))
	}
	e.close(']', len(s.Schema.Labels) == 0)
	e.close('}', false)

	e.key("annotations", false)
	e.open('[')
	var m map[*Annotation][]byte
	if e.cache != nil {
		e.cache.prepare(s, ix, e.depth)
		m = e.cache.m
	}
	i := 0
	for _, c := range s.spans.chunks {
		for _, a := range c.items {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.nl()
			if b, ok := m[a]; ok {
				e.b = append(e.b, b...)
				i++
				continue
			}
			start := len(e.b)
			if err := e.annotation(ix, a, i); err != nil {
				return err
			}
			if m != nil {
				m[a] = bytes.Clone(e.b[start:])
			}
			i++
		}
	}
	e.close(']', i == 0)
	e.close('}', false)
	return nil
}

func (e *nativeEncoder) annotation(ix *Index, a *Annotation, i int) error {
	r := a.Range()
	if reason := checkRange(ix, r); reason != "" {
		return fmt.Errorf("cannot encode annotations[%d] (%q): %s", i, a.ID, reason)
	}
	var off [3]Range
	for k, u := range []Unit{Bytes, UTF16, Graphemes} {
		c, err := ix.ConvertRange(r, CodePoints, u)
		if err != nil {
			return fmt.Errorf("cannot encode annotations[%d] (%q): %w", i, a.ID, err)
		}
		off[k] = c
	}
	for _, t := range []time.Time{a.Created, a.Modified} {
		if y := t.Year(); y < 1 || y > 9999 {
			return fmt.Errorf("cannot encode annotations[%d] (%q): time %v is outside the years 1 to 9999", i, a.ID, t)
		}
	}
	if !utf8.ValidString(a.Note) {
		return fmt.Errorf("cannot encode annotations[%d] (%q): note is not valid utf-8", i, a.ID)
	}
	if a.Claim != nil {
		if p, reason := a.Claim.check(); p != "" {
			return fmt.Errorf("cannot encode annotations[%d] (%q): claim.%s: %s", i, a.ID, p, reason)
		}
		if err := CheckClaim(a.Claim); err != nil {
			return fmt.Errorf("cannot encode annotations[%d] (%q): %w", i, a.ID, err)
		}
	}
	n := ix.Len(CodePoints)
	e.open('{')
	e.str("id", a.ID, true)
	e.str("label", a.Label, false)
	e.num("start", a.Start)
	e.num("end", a.End)
	e.key("offsets", false)
	e.inline("byte", off[0], "utf16", off[1], "grapheme", off[2])
	e.str("quote", ix.Slice(r), false)
	e.str("prefix", ix.Slice(Range{max(0, r.Start-QuoteContext), r.Start}), false)
	e.str("suffix", ix.Slice(Range{r.End, min(n, r.End+QuoteContext)}), false)
	e.str("note", a.Note, false)
	if c := a.Claim; c != nil {
		e.key("claim", false)
		e.open('{')
		e.str("verdict", c.Verdict, true)
		e.str("text", c.Text, false)
		e.key("claimant", false)
		e.inline("spanId", c.Claimant.SpanID, "name", c.Claimant.Name)
		e.str("date", c.Date, false)
		e.key("checkWorthy", false)
		switch {
		case c.CheckWorthy == nil:
			e.b = append(e.b, "null"...)
		case *c.CheckWorthy:
			e.b = append(e.b, "true"...)
		default:
			e.b = append(e.b, "false"...)
		}
		e.str("rationale", c.Rationale, false)
		e.key("evidence", false)
		e.open('[')
		for j, ev := range c.Evidence {
			if j > 0 {
				e.b = append(e.b, ',')
			}
			e.nl()
			e.inline("url", ev.URL, "quote", ev.Quote, "stance", ev.Stance, "accessed", ev.Accessed)
		}
		e.close(']', len(c.Evidence) == 0)
		e.str("reviewUrl", c.ReviewURL, false)
		e.close('}', false)
	}
	e.time("created", a.Created)
	e.time("modified", a.Modified)
	e.close('}', false)
	return nil
}

// appendString appends s as a JSON string. It escapes only what JSON requires
// plus U+2028 and U+2029 (which JavaScript source cannot hold); s must be
// valid UTF-8 (the encoder checks every string it takes from outside the
// document, whose text Document.Check has verified).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// checkNormStep reports what is wrong with a normalization step name ("" if
// nothing): it must be a lowercase word such as "nfc" or "crlf-to-lf".
func checkNormStep(s string) string {
	if s == "" {
		return "is empty"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return "is not a step name (lowercase letters, digits and \"-\")"
		}
	}
	return ""
}

// ---------------------------------------------------------------------------
// Decoding: a small JSON parser that keeps positions, then typed access with
// paths.

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// jnode is one parsed JSON value. It is kept small (64 bytes): a document
// with 10,000 annotations has some 200,000 of them.
type jnode struct {
	off     int32 // byte offset of the value in the input
	end     int32 // end of a number, or of a raw string's content
	esc     int32 // a string with escapes: 1 + its index in the parser's strs
	kind    jkind
	raw     bool // a string without escapes: its value is data[off+1:end]
	b       bool
	elems   []jnode
	members []jmember
}

type jmember struct {
	key string
	off int32 // byte offset of the key
	val jnode
}

// maxDepth limits nesting; the native format needs 6 levels.
const maxDepth = 64

type jsonParser struct {
	data []byte
	pos  int
	path []jsonPathSeg
	// Scratch stacks: the members and elements of the objects and arrays
	// being parsed, copied out in one allocation when each one ends.
	members []jmember
	elems   []jnode
	// strs are the values of the strings with escapes (jnode.esc).
	strs []string
}

// internedKeys are the member names of the native format, kept as constants
// so that parsing them does not allocate.
var internedKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"format", "unit", "document", "schema", "annotations", "id", "title", "source", "text",
		"blocks", "kind", "start", "end", "sha256", "lengths", "bytes", "utf16", "codepoints", "graphemes",
		"normalization", "labels", "name", "key", "color", "darkColor", "label", "offsets", "byte", "grapheme",
		"quote", "prefix", "suffix", "note", "claim", "created", "modified", "verdict", "claimant", "spanId",
		"date", "checkWorthy", "rationale", "evidence", "url", "stance", "accessed", "reviewUrl"} {
		m[k] = k
	}
	return m
}()

// jsonPathSeg is one step of a JSON path: a key, or an index when key is "".
type jsonPathSeg struct {
	key   string
	index int
}

func formatJSONPath(segs []jsonPathSeg) string {
	var b strings.Builder
	for _, s := range segs {
		if s.key == "" {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// maxNativeInput is the largest input the parser reads (its offsets are
// 32-bit).
const maxNativeInput = math.MaxInt32

// parseNativeJSON parses data; strs are the values of its strings with
// escapes (jnode.esc).
func parseNativeJSON(data []byte) (root jnode, strs []string, err error) {
	if len(data) > maxNativeInput {
		return jnode{}, nil, &DecodeError{Line: 1, Reason: fmt.Sprintf("input has %d bytes, more than the %d this decoder reads", len(data), maxNativeInput)}
	}
	p := &jsonParser{data: data}
	p.ws()
	if p.pos == len(data) {
		return jnode{}, nil, &DecodeError{Line: 1, Reason: "input is empty, want a JSON object"}
	}
	n, err := p.value()
	if err != nil {
		return jnode{}, nil, err
	}
	p.ws()
	if p.pos < len(data) {
		return jnode{}, nil, p.errf(p.pos, "unexpected %s after the end of the JSON value", p.what())
	}
	return n, p.strs, nil
}

// jsonLineCol returns the 1-based line and column (in code points) of byte
// offset off of data.
func jsonLineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, utf8.RuneCount(data[start:off]) + 1
}

func (p *jsonParser) errf(off int, format string, args ...any) error {
	line, col := jsonLineCol(p.data, off)
	return &DecodeError{Line: line, Path: formatJSONPath(p.path), Reason: fmt.Sprintf(format, args...) + fmt.Sprintf(" (column %d)", col)}
}

// what describes the input at p.pos for an error message.
func (p *jsonParser) what() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.data[p.pos])
	}
	return fmt.Sprintf("character %q", r)
}

func (p *jsonParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (jnode, error) {
	if len(p.path) > maxDepth {
		return jnode{}, p.errf(p.pos, "nesting deeper than %d levels", maxDepth)
	}
	if p.pos >= len(p.data) {
		return jnode{}, p.errf(p.pos, "unexpected end of input, want a value")
	}
	off := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		if end, ok := p.rawString(); ok {
			return jnode{kind: jString, off: int32(off), end: int32(end), raw: true}, nil
		}
		s, err := p.string()
		p.strs = append(p.strs, s)
		return jnode{kind: jString, off: int32(off), esc: int32(len(p.strs))}, err
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
				p.pos += len(lit)
				if lit == "null" {
					return jnode{kind: jNull, off: int32(off)}, nil
				}
				return jnode{kind: jBool, off: int32(off), b: lit == "true"}, nil
			}
		}
	}
	return jnode{}, p.errf(p.pos, "unexpected %s, want a value", p.what())
}

func (p *jsonParser) object() (jnode, error) {
	n := jnode{kind: jObject, off: int32(p.pos)}
	mark := len(p.members)
	defer func() { p.members = p.members[:mark] }()
	p.pos++ // {
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return jnode{}, p.errf(p.pos, "unexpected %s, want a member name in double quotes", p.what())
		}
		koff := p.pos
		key, err := p.key()
		if err != nil {
			return jnode{}, err
		}
		for _, m := range p.members[mark:] {
			if m.key == key {
				p.path = append(p.path, jsonPathSeg{key: keyOrQuoted(key)})
				return jnode{}, p.errf(koff, "duplicate member name")
			}
		}
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return jnode{}, p.errf(p.pos, "unexpected %s after member name %q, want ':'", p.what(), key)
		}
		p.pos++
		p.ws()
		p.path = append(p.path, jsonPathSeg{key: keyOrQuoted(key)})
		v, err := p.value()
		if err != nil {
			return jnode{}, err
		}
		p.path = p.path[:len(p.path)-1]
		p.members = append(p.members, jmember{key: key, off: int32(koff), val: v})
		p.ws()
		if p.pos < len(p.data) {
			switch p.data[p.pos] {
			case ',':
				p.pos++
				continue
			case '}':
				p.pos++
				n.members = append([]jmember(nil), p.members[mark:]...)
				return n, nil
			}
		}
		return jnode{}, p.errf(p.pos, "unexpected %s, want ',' or '}'", p.what())
	}
}

// keyOrQuoted returns key as a path segment: as is when it is a plain name,
// quoted otherwise (so that a path stays unambiguous).
func keyOrQuoted(key string) string {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return strconv.Quote(key)
		}
	}
	if key == "" {
		return `""`
	}
	return key
}

func (p *jsonParser) array() (jnode, error) {
	n := jnode{kind: jArray, off: int32(p.pos)}
	mark := len(p.elems)
	defer func() { p.elems = p.elems[:mark] }()
	p.pos++ // [
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for i := 0; ; i++ {
		p.ws()
		p.path = append(p.path, jsonPathSeg{index: i})
		v, err := p.value()
		if err != nil {
			return jnode{}, err
		}
		p.path = p.path[:len(p.path)-1]
		p.elems = append(p.elems, v)
		p.ws()
		if p.pos < len(p.data) {
			switch p.data[p.pos] {
			case ',':
				p.pos++
				continue
			case ']':
				p.pos++
				n.elems = append([]jnode(nil), p.elems[mark:]...)
				return n, nil
			}
		}
		return jnode{}, p.errf(p.pos, "unexpected %s, want ',' or ']'", p.what())
	}
}

func (p *jsonParser) number() (jnode, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(d) && d[i] == '0' {
		i++
		if i < len(d) && '0' <= d[i] && d[i] <= '9' {
			return jnode{}, p.errf(start, "number with a leading zero")
		}
	} else if digits() == 0 {
		p.pos = i
		return jnode{}, p.errf(i, "unexpected %s in a number, want a digit", p.what())
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return jnode{}, p.errf(i, "unexpected %s after a decimal point, want a digit", p.what())
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return jnode{}, p.errf(i, "unexpected %s in an exponent, want a digit", p.what())
		}
	}
	p.pos = i
	return jnode{kind: jNumber, off: int32(start), end: int32(i)}, nil
}

// key parses a member name: an interned constant when it is one of the
// format's names.
func (p *jsonParser) key() (string, error) {
	d := p.data
	start := p.pos + 1
	if i := bytes.IndexByte(d[start:], '"'); i >= 0 {
		if k, ok := internedKeys[string(d[start:start+i])]; ok {
			p.pos = start + i + 1
			return k, nil
		}
	}
	return p.string()
}

// rawString parses a JSON string at p.pos that has no escapes and valid
// UTF-8, returning the end of its content; ok is false (and p.pos
// unchanged) for any other string.
func (p *jsonParser) rawString() (end int, ok bool) {
	d := p.data
	start := p.pos + 1
	for i := start; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			if !utf8.Valid(d[start:i]) {
				return 0, false
			}
			p.pos = i + 1
			return i, true
		}
		if c == '\\' || c < 0x20 {
			return 0, false
		}
	}
	return 0, false
}

// string parses a JSON string at p.pos. It rejects invalid UTF-8, raw
// control characters and escapes of lone surrogates, which other decoders
// silently turn into U+FFFD.
func (p *jsonParser) string() (string, error) {
	d := p.data
	start := p.pos + 1
	// Fast path: no escapes.
	i := start
	for i < len(d) {
		c := d[i]
		if c == '"' {
			if !utf8.Valid(d[start:i]) {
				break
			}
			p.pos = i + 1
			return string(d[start:i]), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		i++
	}
	var b []byte
	i = start
	for {
		if i >= len(d) {
			return "", p.errf(p.pos, "string is not terminated")
		}
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(b), nil
		case c < 0x20:
			return "", p.errf(i, "control character U+%04X in a string (escape it)", c)
		case c == '\\':
			if i+1 >= len(d) {
				return "", p.errf(i, "string is not terminated")
			}
			r, next, fault := jsonEscape(d, i+1)
			switch fault {
			case escHex:
				return "", p.errf(i, "invalid \\u escape, want 4 hex digits")
			case escSurrogate:
				return "", p.errf(i, "\\u%04x is a lone surrogate, not a character", r)
			case escUnknown:
				return "", p.errf(i, "invalid escape \\%c", r)
			}
			b = utf8.AppendRune(b, r)
			i = next
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errf(i, "invalid utf-8 (byte 0x%02x)", c)
			}
			b = append(b, d[i:i+size]...)
			i += size
		}
	}
}

// escapeFault is what is wrong with a string escape.
type escapeFault uint8

const (
	escOK        escapeFault = iota
	escUnknown               // not one of JSON's escapes
	escHex                   // \u without four hex digits
	escSurrogate             // a \u surrogate without its pair
)

// jsonEscape decodes the escape whose letter is d[i] (just after the
// backslash): the character, the index after the escape, and what is wrong
// with it. A surrogate pair written as two \u escapes is one character; a
// fault gives the escape letter (escUnknown) or the lone surrogate
// (escSurrogate) as the character. Both decoders read escapes with it.
func jsonEscape(d []byte, i int) (r rune, next int, fault escapeFault) {
	switch e := d[i]; e {
	case '"', '\\', '/':
		return rune(e), i + 1, escOK
	case 'b':
		return '\b', i + 1, escOK
	case 'f':
		return '\f', i + 1, escOK
	case 'n':
		return '\n', i + 1, escOK
	case 'r':
		return '\r', i + 1, escOK
	case 't':
		return '\t', i + 1, escOK
	case 'u':
		r, ok := jsonHex4(d, i+1)
		if !ok {
			return 0, i, escHex
		}
		i += 5
		if utf16.IsSurrogate(r) {
			r2, ok2 := rune(0), false
			if r < 0xdc00 && i+5 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
				r2, ok2 = jsonHex4(d, i+2)
			}
			dec := utf16.DecodeRune(r, r2)
			if !ok2 || dec == utf8.RuneError {
				return r, i, escSurrogate
			}
			return dec, i + 6, escOK
		}
		return r, i, escOK
	default:
		return rune(e), i, escUnknown
	}
}

func jsonHex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// nativeDecoder turns the parsed tree into a State, checking as it goes.
type nativeDecoder struct {
	data []byte
	root jnode
	strs []string // the values of the strings with escapes (jnode.esc)
}

// fail returns a *DecodeError at node n (nil: no line).
func (d *nativeDecoder) fail(n *jnode, path, format string, args ...any) error {
	e := &DecodeError{Path: path, Reason: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, _ = jsonLineCol(d.data, int(n.off))
	}
	return e
}

// obj checks that n (at path parent.key) is an object with the required
// members and no others (optional lists the allowed extra ones) and returns a
// lookup of its members. Paths are joined only for errors.
func (d *nativeDecoder) obj(n *jnode, parent, key string, required, optional []string) (func(string) *jnode, error) {
	if n.kind != jObject {
		return nil, d.fail(n, joinKey(parent, key), "want an object, got %s", d.describe(n))
	}
	for i := range n.members {
		m := &n.members[i]
		if !hasName(required, m.key) && !hasName(optional, m.key) {
			line, _ := jsonLineCol(d.data, int(m.off))
			return nil, &DecodeError{Line: line, Path: joinKey(joinKey(parent, key), keyOrQuoted(m.key)), Reason: "unknown field"}
		}
	}
	get := func(k string) *jnode {
		for i := range n.members {
			if n.members[i].key == k {
				return &n.members[i].val
			}
		}
		return nil
	}
	for _, k := range required {
		if get(k) == nil {
			return nil, d.fail(n, joinKey(joinKey(parent, key), k), "is missing")
		}
	}
	return get, nil
}

// unitIndex numbers the units for table lookups.
func unitIndex(u Unit) int {
	switch u {
	case Bytes:
		return 0
	case UTF16:
		return 1
	case Graphemes:
		return 2
	}
	return 3
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func hasName(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinKey returns the path of member key of path ("" key: path itself).
func joinKey(path, key string) string {
	switch {
	case key == "":
		return path
	case path == "":
		return key
	}
	return path + "." + key
}

func (d *nativeDecoder) str(n *jnode, parent, key string) (string, error) {
	if n == nil {
		return "", nil
	}
	if n.kind != jString {
		return "", d.fail(n, joinKey(parent, key), "want a string, got %s", d.describe(n))
	}
	return d.text(n), nil
}

// view is str for a value that is read and dropped (a time to parse): a
// string without escapes is not copied out of the input.
func (d *nativeDecoder) view(n *jnode, parent, key string) (string, error) {
	if n != nil && n.kind == jString && n.raw && n.end > n.off+1 {
		return unsafe.String(&d.data[n.off+1], n.end-n.off-1), nil
	}
	return d.str(n, parent, key)
}

// text returns the value of string node n.
func (d *nativeDecoder) text(n *jnode) string {
	if n.raw {
		return string(d.data[n.off+1 : n.end])
	}
	return d.escaped(n)
}

// escaped returns the value of a string node with escapes.
func (d *nativeDecoder) escaped(n *jnode) string {
	if n.esc <= 0 || int(n.esc) > len(d.strs) {
		return ""
	}
	return d.strs[n.esc-1]
}

// equal reports whether string node n holds s, without allocating.
func (d *nativeDecoder) equal(n *jnode, s string) bool {
	if n.raw {
		return string(d.data[n.off+1:n.end]) == s
	}
	return d.escaped(n) == s
}

func (d *nativeDecoder) integer(n *jnode, parent, key string) (int, error) {
	if n.kind != jNumber {
		return 0, d.fail(n, joinKey(parent, key), "want an integer, got %s", d.describe(n))
	}
	lit := d.data[n.off:n.end]
	if bytes.ContainsAny(lit, ".eE") {
		return 0, d.fail(n, joinKey(parent, key), "want an integer, got %s", lit)
	}
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	v := 0
	for _, c := range lit {
		v = v*10 + int(c-'0')
		if v > 1<<31-1 {
			return 0, d.fail(n, joinKey(parent, key), "integer %s is out of range", d.data[n.off:n.end])
		}
	}
	if neg {
		v = -v
	}
	return v, nil
}

// describe names the type of n, with the value for short scalars.
func (d *nativeDecoder) describe(n *jnode) string {
	switch n.kind {
	case jString:
		s := d.text(n)
		if utf8.RuneCountInString(s) > 20 {
			s = string([]rune(s)[:20]) + "…"
		}
		return fmt.Sprintf("string %q", s)
	case jNumber:
		return "number " + string(d.data[n.off:n.end])
	case jBool:
		return fmt.Sprintf("boolean %v", n.b)
	}
	return n.kind.String()
}

func (d *nativeDecoder) array(n *jnode, parent, key string) ([]jnode, error) {
	if n.kind != jArray {
		return nil, d.fail(n, joinKey(parent, key), "want an array, got %s", d.describe(n))
	}
	return n.elems, nil
}

func (d *nativeDecoder) file() (*State, error) {
	if d.root.kind != jObject {
		return nil, d.fail(&d.root, "", "want a JSON object, got %s", d.describe(&d.root))
	}
	var fn *jnode
	for i := range d.root.members {
		if d.root.members[i].key == "format" {
			fn = &d.root.members[i].val
		}
	}
	if fn == nil {
		return nil, d.fail(&d.root, "", "not a Factmark file (it has no \"format\": %q)", Format)
	}
	format, err := d.str(fn, "format", "")
	if err != nil {
		return nil, err
	}
	if format != Format {
		if strings.HasPrefix(format, "factmark/") {
			return nil, d.fail(fn, "format", "%q is a version of the Factmark format this program does not read (it reads %q)", format, Format)
		}
		return nil, d.fail(fn, "format", "%q is not %q", format, Format)
	}
	get, err := d.obj(&d.root, "", "", []string{"format", "unit", "document", "schema", "annotations"}, nil)
	if err != nil {
		return nil, err
	}
	unit, err := d.str(get("unit"), "unit", "")
	if err != nil {
		return nil, err
	}
	if unit != string(CodePoints) {
		return nil, d.fail(get("unit"), "unit", "%q is not %q (factmark/v1 counts in code points)", unit, CodePoints)
	}
	doc, err := d.document(get("document"))
	if err != nil {
		return nil, err
	}
	schema, err := d.schema(get("schema"))
	if err != nil {
		return nil, err
	}
	s := NewState(doc, schema)
	list, err := d.annotations(get("annotations"), s)
	if err != nil {
		return nil, err
	}
	s.load(list)
	return s, nil
}

// checkErr turns a *CheckError from Document.Check or Schema.Check into a
// *DecodeError at the line of the field it names.
func (d *nativeDecoder) checkErr(err error) error {
	var ce *CheckError
	if !errors.As(err, &ce) {
		return &DecodeError{Reason: err.Error()}
	}
	return d.fail(d.lookup(ce.Path), ce.Path, "%s", ce.Reason)
}

// lookup finds the node at a path like "document.blocks[2].end", or the
// deepest node on the way there.
func (d *nativeDecoder) lookup(path string) *jnode {
	n := &d.root
	for path != "" {
		var seg string
		if path[0] == '[' {
			j := strings.IndexByte(path, ']')
			if j < 0 {
				return n
			}
			i, err := strconv.Atoi(path[1:j])
			if err != nil || n.kind != jArray || i < 0 || i >= len(n.elems) {
				return n
			}
			n = &n.elems[i]
			path = strings.TrimPrefix(path[j+1:], ".")
			continue
		}
		j := strings.IndexAny(path, ".[")
		if j < 0 {
			seg, path = path, ""
		} else {
			seg, path = path[:j], strings.TrimPrefix(path[j:], ".")
		}
		found := false
		for i := range n.members {
			if n.members[i].key == seg {
				n, found = &n.members[i].val, true
				break
			}
		}
		if !found {
			return n
		}
	}
	return n
}

func (d *nativeDecoder) document(n *jnode) (*Document, error) {
	const p = "document"
	get, err := d.obj(n, p, "", []string{"id", "title", "text", "blocks", "sha256", "lengths", "normalization"}, []string{"source"})
	if err != nil {
		return nil, err
	}
	doc := &Document{}
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &doc.ID}, {"title", &doc.Title}, {"source", &doc.Source}, {"text", &doc.Text}, {"sha256", &doc.SHA256}} {
		if *f.dst, err = d.str(get(f.key), p, f.key); err != nil {
			return nil, err
		}
	}
	blocks, err := d.array(get("blocks"), p, "blocks")
	if err != nil {
		return nil, err
	}
	doc.Blocks = make([]Block, len(blocks))
	for i := range blocks {
		bp := fmt.Sprintf("%s.blocks[%d]", p, i)
		bget, err := d.obj(&blocks[i], bp, "", []string{"kind", "start", "end"}, nil)
		if err != nil {
			return nil, err
		}
		kind, err := d.str(bget("kind"), bp, "kind")
		if err != nil {
			return nil, err
		}
		doc.Blocks[i].Kind = BlockKind(kind)
		if doc.Blocks[i].Start, err = d.integer(bget("start"), bp, "start"); err != nil {
			return nil, err
		}
		if doc.Blocks[i].End, err = d.integer(bget("end"), bp, "end"); err != nil {
			return nil, err
		}
	}
	lget, err := d.obj(get("lengths"), p, "lengths", []string{"bytes", "utf16", "codepoints", "graphemes"}, nil)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"bytes", &doc.Lengths.Bytes}, {"utf16", &doc.Lengths.UTF16}, {"codepoints", &doc.Lengths.CodePoints}, {"graphemes", &doc.Lengths.Graphemes}} {
		if *f.dst, err = d.integer(lget(f.key), p, "lengths."+f.key); err != nil {
			return nil, err
		}
	}
	steps, err := d.array(get("normalization"), p, "normalization")
	if err != nil {
		return nil, err
	}
	doc.Normalization = make([]string, len(steps))
	for i := range steps {
		sp := fmt.Sprintf("%s.normalization[%d]", p, i)
		s, err := d.str(&steps[i], sp, "")
		if err != nil {
			return nil, err
		}
		if r := checkNormStep(s); r != "" {
			return nil, d.fail(&steps[i], sp, "%q %s", s, r)
		}
		for j := 0; j < i; j++ {
			if doc.Normalization[j] == s {
				return nil, d.fail(&steps[i], sp, "%q is already normalization[%d]", s, j)
			}
		}
		doc.Normalization[i] = s
	}
	if !utf8.ValidString(doc.Title) {
		return nil, d.fail(get("title"), p+".title", "is not valid utf-8")
	}
	if err := doc.Check(); err != nil {
		return nil, d.checkErr(err)
	}
	return doc, nil
}

func (d *nativeDecoder) schema(n *jnode) (Schema, error) {
	get, err := d.obj(n, "schema", "", []string{"labels"}, nil)
	if err != nil {
		return Schema{}, err
	}
	labels, err := d.array(get("labels"), "schema.labels", "")
	if err != nil {
		return Schema{}, err
	}
	s := Schema{Labels: make([]Label, len(labels))}
	for i := range labels {
		lp := fmt.Sprintf("schema.labels[%d]", i)
		lget, err := d.obj(&labels[i], lp, "", []string{"id", "name", "key", "color", "darkColor", "kind"}, nil)
		if err != nil {
			return Schema{}, err
		}
		l := &s.Labels[i]
		var kind string
		for _, f := range []struct {
			key string
			dst *string
		}{{"id", &l.ID}, {"name", &l.Name}, {"key", &l.Key}, {"color", &l.Color}, {"darkColor", &l.DarkColor}, {"kind", &kind}} {
			if *f.dst, err = d.str(lget(f.key), lp, f.key); err != nil {
				return Schema{}, err
			}
		}
		l.Kind = LabelKind(kind)
	}
	if err := s.Check(); err != nil {
		return Schema{}, d.checkErr(err)
	}
	return s, nil
}

var (
	annotationFields = []string{"id", "label", "start", "end", "offsets", "quote", "prefix", "suffix", "created", "modified"}
	annotationExtra  = []string{"note", "claim"}
)

type nativeSpanKey struct {
	start, end int
	label      string
}

func (d *nativeDecoder) annotations(n *jnode, s *State) ([]*Annotation, error) {
	elems, err := d.array(n, "annotations", "")
	if err != nil {
		return nil, err
	}
	ix := s.Doc.Index()
	list := make([]*Annotation, len(elems))
	store := make([]Annotation, len(elems))
	ids := make(map[string]int, len(elems))
	spans := make(map[nativeSpanKey]int, len(elems))
	for i := range elems {
		a := &store[i]
		if err := d.annotation(&elems[i], i, s, ix, a); err != nil {
			return nil, err
		}
		if j, ok := ids[a.ID]; ok {
			p := fmt.Sprintf("annotations[%d].id", i)
			return nil, d.fail(d.lookup(p), p, "%q is already the id of annotations[%d]", a.ID, j)
		}
		ids[a.ID] = i
		k := nativeSpanKey{a.Start, a.End, a.Label}
		if j, ok := spans[k]; ok {
			return nil, d.fail(&elems[i], fmt.Sprintf("annotations[%d]", i), "has the same range %v and label %q as annotations[%d]", a.Range(), a.Label, j)
		}
		spans[k] = i
		list[i] = a
	}
	for i, a := range list {
		if a.Claim == nil || a.Claim.Claimant.SpanID == "" {
			continue
		}
		p := fmt.Sprintf("annotations[%d].claim.claimant.spanId", i)
		switch id := a.Claim.Claimant.SpanID; {
		case id == a.ID:
			return nil, d.fail(d.lookup(p), p, "%q is the claim itself", id)
		case !hasKey(ids, id):
			return nil, d.fail(d.lookup(p), p, "annotation %q is not in the file", id)
		}
	}
	return list, nil
}

func (d *nativeDecoder) annotation(n *jnode, i int, s *State, ix *Index, a *Annotation) error {
	p := "annotations[" + strconv.Itoa(i) + "]"
	get, err := d.obj(n, p, "", annotationFields, annotationExtra)
	if err != nil {
		return err
	}
	if a.ID, err = d.str(get("id"), p, "id"); err != nil {
		return err
	}
	if r := checkID(a.ID); r != "" {
		return d.fail(get("id"), p+".id", "%s", r)
	}
	if a.Label, err = d.view(get("label"), p, "label"); err != nil {
		return err
	}
	label, ok := s.Schema.Label(a.Label)
	if !ok {
		return d.fail(get("label"), p+".label", "%q is not a label of the schema", a.Label)
	}
	a.Label = label.ID // one string per label, not one per annotation
	if a.Start, err = d.integer(get("start"), p, "start"); err != nil {
		return err
	}
	if a.End, err = d.integer(get("end"), p, "end"); err != nil {
		return err
	}
	n0 := ix.Len(CodePoints)
	switch {
	case a.Start < 0 || a.Start > n0:
		return d.fail(get("start"), p+".start", "%d is out of range [0, %d]", a.Start, n0)
	case a.End < 0 || a.End > n0:
		return d.fail(get("end"), p+".end", "%d is out of range [0, %d]", a.End, n0)
	case a.End < a.Start:
		return d.fail(get("end"), p+".end", "%d is before start %d (range [%d, %d) is reversed)", a.End, a.Start, a.Start, a.End)
	case a.End == a.Start:
		return d.fail(get("end"), p+".end", "%d equals start (the range is empty)", a.End)
	case !ix.IsGraphemeBoundary(a.Start):
		return d.fail(get("start"), p+".start", "%d is inside a grapheme cluster %v", a.Start, ix.GraphemeAt(a.Start))
	case !ix.IsGraphemeBoundary(a.End):
		return d.fail(get("end"), p+".end", "%d is inside a grapheme cluster %v", a.End, ix.GraphemeAt(a.End))
	}
	oget, err := d.obj(get("offsets"), p, "offsets", []string{"byte", "utf16", "grapheme"}, nil)
	if err != nil {
		return err
	}
	for _, u := range []Unit{Bytes, UTF16, Graphemes} {
		op := [...]string{"offsets.byte", "offsets.utf16", "offsets.grapheme", ""}[unitIndex(u)]
		on := oget(string(u))
		pair, err := d.array(on, p, op)
		if err != nil {
			return err
		}
		if len(pair) != 2 {
			return d.fail(on, joinKey(p, op), "want two numbers [start, end], got %d", len(pair))
		}
		for k, cp := range [2]int{a.Start, a.End} {
			kp := func() string { return fmt.Sprintf("%s.%s[%d]", p, op, k) }
			got, err := d.integer(&pair[k], "", "")
			if err != nil {
				err.(*DecodeError).Path = kp()
				return err
			}
			want, _ := ix.Convert(cp, CodePoints, u)
			if got != want {
				name := [2]string{"start", "end"}[k]
				return d.fail(&pair[k], kp(), "%d does not match %s %d, which is %s offset %d", got, name, cp, u, want)
			}
		}
	}
	r := a.Range()
	for _, f := range []struct {
		key  string
		want string
	}{
		{"quote", ix.Slice(r)},
		{"prefix", ix.Slice(Range{max(0, r.Start-QuoteContext), r.Start})},
		{"suffix", ix.Slice(Range{r.End, min(n0, r.End+QuoteContext)})},
	} {
		fn := get(f.key)
		if fn.kind != jString {
			return d.fail(fn, joinKey(p, f.key), "want a string, got %s", d.describe(fn))
		}
		if !d.equal(fn, f.want) {
			got := d.text(fn)
			what := map[string]string{"quote": "the text of the range", "prefix": "the text before the range", "suffix": "the text after the range"}[f.key]
			return d.fail(fn, joinKey(p, f.key), "%s is not %s, %s", quoteShort(got), what, quoteShort(f.want))
		}
	}
	if a.Note, err = d.str(get("note"), p, "note"); err != nil {
		return err
	}
	if cn := get("claim"); cn != nil && cn.kind != jNull {
		if label.Kind != KindClaim {
			return d.fail(cn, p+".claim", "label %q is of kind %s, so the span cannot carry a claim record", label.ID, label.Kind)
		}
		if a.Claim, err = d.claim(cn, p+".claim"); err != nil {
			return err
		}
		if err := CheckClaim(a.Claim); err != nil {
			var ce *CheckError
			if errors.As(err, &ce) {
				path := p + "." + ce.Path
				return d.fail(d.lookup(path), path, "%s", ce.Reason)
			}
			return d.fail(cn, p+".claim", "%v", err)
		}
	}
	for _, f := range []struct {
		key string
		dst *time.Time
	}{{"created", &a.Created}, {"modified", &a.Modified}} {
		v, err := d.view(get(f.key), p, f.key)
		if err != nil {
			return err
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil || len(v) < len("2006-01-02T15:04:05Z") || (v[10] != 'T' && v[10] != 't') {
			return d.fail(get(f.key), joinKey(p, f.key), "%s is not an RFC 3339 time such as \"2025-11-25T21:30:00.000Z\"", quoteShort(v))
		}
		*f.dst = normTime(t)
	}
	return nil
}

func (d *nativeDecoder) claim(n *jnode, p string) (*Claim, error) {
	get, err := d.obj(n, p, "", nil, []string{"verdict", "text", "claimant", "date", "checkWorthy", "rationale", "evidence", "reviewUrl"})
	if err != nil {
		return nil, err
	}
	c := &Claim{}
	for _, f := range []struct {
		key string
		dst *string
	}{{"verdict", &c.Verdict}, {"text", &c.Text}, {"date", &c.Date}, {"rationale", &c.Rationale}, {"reviewUrl", &c.ReviewURL}} {
		if *f.dst, err = d.str(get(f.key), p, f.key); err != nil {
			return nil, err
		}
	}
	if cn := get("claimant"); cn != nil {
		cget, err := d.obj(cn, p, "claimant", nil, []string{"spanId", "name"})
		if err != nil {
			return nil, err
		}
		if c.Claimant.SpanID, err = d.str(cget("spanId"), p, "claimant.spanId"); err != nil {
			return nil, err
		}
		if c.Claimant.Name, err = d.str(cget("name"), p, "claimant.name"); err != nil {
			return nil, err
		}
	}
	if wn := get("checkWorthy"); wn != nil && wn.kind != jNull {
		if wn.kind != jBool {
			return nil, d.fail(wn, p+".checkWorthy", "want true, false or null, got %s", d.describe(wn))
		}
		v := wn.b
		c.CheckWorthy = &v
	}
	if en := get("evidence"); en != nil {
		elems, err := d.array(en, p, "evidence")
		if err != nil {
			return nil, err
		}
		c.Evidence = make([]Evidence, len(elems))
		for i := range elems {
			ep := fmt.Sprintf("%s.evidence[%d]", p, i)
			eget, err := d.obj(&elems[i], ep, "", nil, []string{"url", "quote", "stance", "accessed"})
			if err != nil {
				return nil, err
			}
			ev := &c.Evidence[i]
			for _, f := range []struct {
				key string
				dst *string
			}{{"url", &ev.URL}, {"quote", &ev.Quote}, {"stance", &ev.Stance}, {"accessed", &ev.Accessed}} {
				if *f.dst, err = d.str(eget(f.key), ep, f.key); err != nil {
					return nil, err
				}
			}
		}
	}
	return c, nil
}

// quoteShort quotes s for an error message, cut to 40 code points.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return strconv.Quote(string([]rune(s)[:40])) + "…"
	}
	return strconv.Quote(s)
}
