package annotate

import (
	"bytes"
	"encoding/binary"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The fast path of Decode.
//
// Decode first tries decodeFast: a streaming, typed reader for well-formed
// input that reads the bytes straight into the Document, Schema and
// Annotations, without the generic tree of jsonParser (some 200,000 jnodes
// for 10,000 annotations, most of the time and garbage of Decode, in wasm
// above all). It expects the members of every object in the order
// nativeEncoder writes them (the optional ones — document.source,
// annotation note and claim — may be absent) and accepts any JSON
// whitespace between tokens, so it reads Encode's indented output and
// encodeCompact's single line alike.
//
// It performs every check of nativeDecoder (Document.Check, Schema.Check,
// ids, labels, ranges on grapheme boundaries, the offsets in three units,
// quote, prefix and suffix, claims and CheckClaim, times, duplicates,
// claimants) and builds the state through the same NewState and load, so a
// state it returns is exactly what nativeDecoder returns for that input.
// It makes no error message: on anything it does not expect — a member
// missing, unknown, repeated or out of order, a value of another type, a
// number that is negative, fractional or too large, a null claim, a failed
// check — it gives up, and Decode runs the full decoder from the start,
// which finds the problem and reports its line and path as before. Being
// stricter than nativeDecoder is therefore always safe; being more lenient
// never is. FuzzDecodeFastPath checks that every state it returns is deeply
// equal to the full decoder's, and TestDecodeFastPathTaken that Encode's
// output takes it.

// nativeFastDecodes counts the Decodes that the fast path completed (for
// tests: a change that makes Encode's output fall back shows there).
var nativeFastDecodes atomic.Int64

// fastDecoder reads one native document; any method returning false means
// "give up".
type fastDecoder struct {
	data  []byte
	pos   int
	arena []byte // backing store of short strings kept by the state
	buf   []byte // scratch for unescaping strings that are compared or parsed

	// lastTime is the last time read in Encode's layout, and its value:
	// a modification time is often the creation time, and an import gives
	// many spans the same times.
	lastTime    [len(timeLayout)]byte
	lastTimeVal time.Time
}

// plainID reports whether id is 1 to MaxIDLen printable ASCII characters
// other than the space: an id that checkID accepts, told without decoding
// runes (ids made by NewID are such).
func plainID(id string) bool {
	if id == "" || len(id) > MaxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// decodeFast decodes data when it is a valid document in the expected
// layout; ok is false otherwise (and then nothing was decided about data).
func decodeFast(data []byte) (s *State, ok bool) {
	if len(data) > maxNativeInput {
		return nil, false
	}
	f := &fastDecoder{data: data}
	s, ok = f.file()
	if !ok {
		return nil, false
	}
	nativeFastDecodes.Add(1)
	return s, true
}

func (f *fastDecoder) ws() {
	d := f.data
	i := f.pos
	for i < len(d) && d[i] <= ' ' && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r') {
		i++
	}
	f.pos = i
}

// tok consumes c after optional whitespace.
func (f *fastDecoder) tok(c byte) bool {
	f.ws()
	if f.pos < len(f.data) && f.data[f.pos] == c {
		f.pos++
		return true
	}
	return false
}

// peek returns the byte after optional whitespace (0 at the end).
func (f *fastDecoder) peek() byte {
	f.ws()
	if f.pos < len(f.data) {
		return f.data[f.pos]
	}
	return 0
}

// name consumes `"key":` (after whitespace); key is a plain name.
func (f *fastDecoder) name(key string) bool {
	f.ws()
	d := f.data
	i := f.pos
	if i+len(key)+2 > len(d) || d[i] != '"' || d[i+1+len(key)] != '"' || string(d[i+1:i+1+len(key)]) != key {
		return false
	}
	f.pos = i + len(key) + 2
	return f.tok(':')
}

// member consumes `, "key":`.
func (f *fastDecoder) member(key string) bool {
	return f.tok(',') && f.name(key)
}

// optMember consumes `, "key":` when it comes next; present says whether
// it did.
func (f *fastDecoder) optMember(key string) (present bool) {
	save := f.pos
	if f.member(key) {
		return true
	}
	f.pos = save
	return false
}

// scan reads a string at the next token: its content is data[start:end];
// esc says it has escapes. The content has no raw control character and is
// valid UTF-8.
func (f *fastDecoder) scan() (start, end int, esc, ok bool) {
	f.ws()
	d := f.data
	if f.pos >= len(d) || d[f.pos] != '"' {
		return 0, 0, false, false
	}
	start = f.pos + 1
	var high byte    // the bits of the bytes read one by one: 0x80 set when one is not ASCII
	var words uint64 // the same for the words read eight bytes at a time
	for i := start; i < len(d); {
		// Eight bytes at a time while none of them ends the string or
		// needs a look (the quote, a backslash, a control character).
		for i+8 <= len(d) {
			w := binary.LittleEndian.Uint64(d[i:])
			if swarSpecial(w) {
				break
			}
			words |= w
			i += 8
		}
		if i >= len(d) {
			break
		}
		c := d[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			high |= c
			i++
			continue
		}
		switch c {
		case '"':
			if (high >= utf8.RuneSelf || words&swarHigh != 0) && !utf8.Valid(d[start:i]) {
				return 0, 0, false, false
			}
			f.pos = i + 1
			return start, i, esc, true
		case '\\':
			esc = true
			i += 2
			continue
		}
		return 0, 0, false, false // a control character
	}
	return 0, 0, false, false
}

const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// swarSpecial reports whether one of the eight bytes of w is '"', '\\' or
// below 0x20 (exactly: the tests for a zero byte and for a byte below n
// have no false positives on whether there is one).
func swarSpecial(w uint64) bool {
	q := w ^ (swarOnes * '"')
	b := w ^ (swarOnes * '\\')
	return ((q-swarOnes)&^q|(b-swarOnes)&^b|(w-swarOnes*0x20)&^w)&swarHigh != 0
}

// unescape appends the value of string content s (from scan) to b, as
// jsonParser.string reads it.
func unescape(b, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); {
		j := bytes.IndexByte(s[i:], '\\')
		if j < 0 {
			return append(b, s[i:]...), true
		}
		b = append(b, s[i:i+j]...)
		i += j + 1
		if i >= len(s) {
			return b, false
		}
		r, next, fault := jsonEscape(s, i)
		if fault != escOK {
			return b, false
		}
		b = utf8.AppendRune(b, r)
		i = next
	}
	return b, true
}

// view reads a string and returns its value, valid until the next view (it
// may alias the input or the scratch buffer).
func (f *fastDecoder) view() ([]byte, bool) {
	start, end, esc, ok := f.scan()
	if !ok {
		return nil, false
	}
	if !esc {
		return f.data[start:end], true
	}
	f.buf, ok = unescape(f.buf[:0], f.data[start:end])
	return f.buf, ok
}

// str reads a string and returns a copy of its value.
func (f *fastDecoder) str() (string, bool) {
	v, ok := f.view()
	if !ok {
		return "", false
	}
	return f.keep(v), true
}

// keep copies b into a string. Short strings share blocks of the arena: one
// allocation for many ids and notes.
func (f *fastDecoder) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > 256 {
		return string(b)
	}
	if cap(f.arena)-len(f.arena) < len(b) {
		f.arena = make([]byte, 0, 16<<10)
	}
	n := len(f.arena)
	f.arena = append(f.arena, b...)
	return unsafe.String(&f.arena[n], len(b))
}

// text reads the document's text: one copy, however long.
func (f *fastDecoder) text() (string, bool) {
	start, end, esc, ok := f.scan()
	if !ok {
		return "", false
	}
	if !esc {
		return string(f.data[start:end]), true
	}
	b, ok := unescape(make([]byte, 0, end-start), f.data[start:end])
	if !ok || len(b) == 0 {
		return "", ok
	}
	return unsafe.String(&b[0], len(b)), true
}

// integer reads a non-negative integer up to 1<<31-1 (what
// nativeDecoder.integer accepts, less the negative ones).
func (f *fastDecoder) integer() (int, bool) {
	f.ws()
	d := f.data
	i := f.pos
	if i >= len(d) {
		return 0, false
	}
	v := 0
	if d[i] == '0' {
		i++
	} else {
		j := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			v = v*10 + int(d[i]-'0')
			i++
			if i-j > 10 {
				return 0, false
			}
		}
		if i == j || v > 1<<31-1 {
			return 0, false
		}
	}
	if i < len(d) {
		switch c := d[i]; {
		case '0' <= c && c <= '9', c == '.', c == 'e', c == 'E':
			return 0, false
		}
	}
	f.pos = i
	return v, true
}

// pair reads [a, b].
func (f *fastDecoder) pair() (a, b int, ok bool) {
	if !f.tok('[') {
		return 0, 0, false
	}
	if a, ok = f.integer(); !ok || !f.tok(',') {
		return 0, 0, false
	}
	if b, ok = f.integer(); !ok || !f.tok(']') {
		return 0, 0, false
	}
	return a, b, true
}

// list reads an array, calling elem for each element.
func (f *fastDecoder) list(elem func() bool) bool {
	if !f.tok('[') {
		return false
	}
	if f.peek() == ']' {
		f.pos++
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch f.peek() {
		case ',':
			f.pos++
		case ']':
			f.pos++
			return true
		default:
			return false
		}
	}
}

func (f *fastDecoder) file() (*State, bool) {
	if !f.tok('{') || !f.name("format") {
		return nil, false
	}
	if v, ok := f.view(); !ok || string(v) != Format {
		return nil, false
	}
	if !f.member("unit") {
		return nil, false
	}
	if v, ok := f.view(); !ok || string(v) != string(CodePoints) {
		return nil, false
	}
	if !f.member("document") {
		return nil, false
	}
	doc, ok := f.document()
	if !ok || !f.member("schema") {
		return nil, false
	}
	schema, ok := f.schema()
	if !ok || !f.member("annotations") {
		return nil, false
	}
	s := NewState(doc, schema)
	list, ok := f.annotations(s)
	if !ok || !f.tok('}') {
		return nil, false
	}
	if f.ws(); f.pos != len(f.data) {
		return nil, false
	}
	s.load(list)
	// The checks that need every annotation, made on the loaded state:
	// unique ids (byID holds one per id), no two with the same range and
	// label (adjacent in the sorted chunks), claimants that exist.
	if len(s.byID) != len(list) {
		return nil, false
	}
	var prev *Annotation
	for _, c := range s.spans.chunks {
		for _, a := range c.items {
			if prev != nil && prev.Start == a.Start && prev.End == a.End && prev.Label == a.Label {
				return nil, false
			}
			prev = a
		}
	}
	for _, a := range list {
		if a.Claim == nil || a.Claim.Claimant.SpanID == "" {
			continue
		}
		if id := a.Claim.Claimant.SpanID; id == a.ID || s.byID[id] == nil {
			return nil, false
		}
	}
	return s, true
}

func (f *fastDecoder) document() (*Document, bool) {
	doc := &Document{}
	var ok bool
	if !f.tok('{') || !f.name("id") {
		return nil, false
	}
	if doc.ID, ok = f.str(); !ok || !f.member("title") {
		return nil, false
	}
	if doc.Title, ok = f.str(); !ok {
		return nil, false
	}
	if f.optMember("source") {
		if doc.Source, ok = f.str(); !ok {
			return nil, false
		}
	}
	if !f.member("text") {
		return nil, false
	}
	if doc.Text, ok = f.text(); !ok || !f.member("blocks") {
		return nil, false
	}
	doc.Blocks = []Block{}
	if !f.list(func() bool {
		var b Block
		if !f.tok('{') || !f.name("kind") {
			return false
		}
		v, ok := f.view()
		if !ok {
			return false
		}
		switch BlockKind(v) {
		case BlockParagraph:
			b.Kind = BlockParagraph
		case BlockHeading:
			b.Kind = BlockHeading
		case BlockTitle:
			b.Kind = BlockTitle
		default:
			return false // Document.Check refuses it
		}
		if !f.member("start") {
			return false
		}
		if b.Start, ok = f.integer(); !ok || !f.member("end") {
			return false
		}
		if b.End, ok = f.integer(); !ok || !f.tok('}') {
			return false
		}
		doc.Blocks = append(doc.Blocks, b)
		return true
	}) {
		return nil, false
	}
	if !f.member("sha256") {
		return nil, false
	}
	if doc.SHA256, ok = f.str(); !ok || !f.member("lengths") || !f.tok('{') {
		return nil, false
	}
	l := &doc.Lengths
	for i, p := range [4]*int{&l.Bytes, &l.UTF16, &l.CodePoints, &l.Graphemes} {
		key := [4]string{"bytes", "utf16", "codepoints", "graphemes"}[i]
		if i == 0 && !f.name(key) || i > 0 && !f.member(key) {
			return nil, false
		}
		if *p, ok = f.integer(); !ok {
			return nil, false
		}
	}
	if !f.tok('}') || !f.member("normalization") {
		return nil, false
	}
	doc.Normalization = []string{}
	if !f.list(func() bool {
		s, ok := f.str()
		if !ok || checkNormStep(s) != "" {
			return false
		}
		for _, n := range doc.Normalization {
			if n == s {
				return false
			}
		}
		doc.Normalization = append(doc.Normalization, s)
		return true
	}) || !f.tok('}') {
		return nil, false
	}
	if !utf8.ValidString(doc.Title) || doc.Check() != nil {
		return nil, false
	}
	return doc, true
}

func (f *fastDecoder) schema() (Schema, bool) {
	s := Schema{Labels: []Label{}}
	if !f.tok('{') || !f.name("labels") {
		return Schema{}, false
	}
	if !f.list(func() bool {
		var l Label
		var ok bool
		if !f.tok('{') || !f.name("id") {
			return false
		}
		if l.ID, ok = f.str(); !ok || !f.member("name") {
			return false
		}
		if l.Name, ok = f.str(); !ok || !f.member("key") {
			return false
		}
		if l.Key, ok = f.str(); !ok || !f.member("color") {
			return false
		}
		if l.Color, ok = f.str(); !ok || !f.member("darkColor") {
			return false
		}
		if l.DarkColor, ok = f.str(); !ok || !f.member("kind") {
			return false
		}
		v, ok := f.view()
		if !ok || !f.tok('}') {
			return false
		}
		switch LabelKind(v) {
		case KindEntity:
			l.Kind = KindEntity
		case KindClaim:
			l.Kind = KindClaim
		default:
			l.Kind = LabelKind(f.keep(v))
		}
		s.Labels = append(s.Labels, l)
		return true
	}) || !f.tok('}') {
		return Schema{}, false
	}
	if s.Check() != nil {
		return Schema{}, false
	}
	return s, true
}

func (f *fastDecoder) annotations(s *State) ([]*Annotation, bool) {
	ix := s.Doc.Index()
	// About 230 bytes per annotation in the indented layout: a first
	// guess at the capacity, never a limit.
	store := make([]Annotation, 0, (len(f.data)-f.pos)/256+1)
	if !f.list(func() bool {
		store = append(store, Annotation{})
		return f.annotation(s, ix, &store[len(store)-1])
	}) {
		return nil, false
	}
	list := make([]*Annotation, len(store))
	for i := range store {
		list[i] = &store[i]
	}
	return list, true
}

func (f *fastDecoder) annotation(s *State, ix *Index, a *Annotation) bool {
	var ok bool
	if !f.tok('{') || !f.name("id") {
		return false
	}
	if a.ID, ok = f.str(); !ok || !plainID(a.ID) && checkID(a.ID) != "" || !f.member("label") {
		return false
	}
	v, ok := f.view()
	if !ok {
		return false
	}
	var label Label
	found := false
	for _, l := range s.Schema.Labels {
		if l.ID == string(v) {
			label, found = l, true
			break
		}
	}
	if !found {
		return false
	}
	a.Label = label.ID
	if !f.member("start") {
		return false
	}
	if a.Start, ok = f.integer(); !ok || !f.member("end") {
		return false
	}
	if a.End, ok = f.integer(); !ok {
		return false
	}
	n0 := ix.Len(CodePoints)
	if a.Start > n0 || a.End > n0 || a.End <= a.Start || !ix.IsGraphemeBoundary(a.Start) || !ix.IsGraphemeBoundary(a.End) {
		return false
	}
	if !f.member("offsets") || !f.tok('{') {
		return false
	}
	for k, u := range [3]Unit{Bytes, UTF16, Graphemes} {
		key := [3]string{"byte", "utf16", "grapheme"}[k]
		if k == 0 && !f.name(key) || k > 0 && !f.member(key) {
			return false
		}
		s0, e0, ok := f.pair()
		if !ok {
			return false
		}
		if want, _ := ix.Convert(a.Start, CodePoints, u); s0 != want {
			return false
		}
		if want, _ := ix.Convert(a.End, CodePoints, u); e0 != want {
			return false
		}
	}
	if !f.tok('}') {
		return false
	}
	r := a.Range()
	for k, want := range [3]string{
		ix.Slice(r),
		ix.Slice(Range{max(0, r.Start-QuoteContext), r.Start}),
		ix.Slice(Range{r.End, min(n0, r.End+QuoteContext)}),
	} {
		if !f.member([3]string{"quote", "prefix", "suffix"}[k]) {
			return false
		}
		if v, ok := f.view(); !ok || string(v) != want {
			return false
		}
	}
	if f.optMember("note") {
		if a.Note, ok = f.str(); !ok {
			return false
		}
	}
	if f.optMember("claim") {
		if label.Kind != KindClaim {
			return false
		}
		if a.Claim, ok = f.claim(); !ok || CheckClaim(a.Claim) != nil {
			return false
		}
	}
	if !f.member("created") {
		return false
	}
	if a.Created, ok = f.time(); !ok || !f.member("modified") {
		return false
	}
	if a.Modified, ok = f.time(); !ok {
		return false
	}
	return f.tok('}')
}

func (f *fastDecoder) claim() (*Claim, bool) {
	c := &Claim{}
	var ok bool
	if !f.tok('{') || !f.name("verdict") {
		return nil, false
	}
	if c.Verdict, ok = f.str(); !ok || !f.member("text") {
		return nil, false
	}
	if c.Text, ok = f.str(); !ok || !f.member("claimant") || !f.tok('{') || !f.name("spanId") {
		return nil, false
	}
	if c.Claimant.SpanID, ok = f.str(); !ok || !f.member("name") {
		return nil, false
	}
	if c.Claimant.Name, ok = f.str(); !ok || !f.tok('}') || !f.member("date") {
		return nil, false
	}
	if c.Date, ok = f.str(); !ok || !f.member("checkWorthy") {
		return nil, false
	}
	f.ws()
	switch d := f.data[f.pos:]; {
	case bytes.HasPrefix(d, []byte("null")):
		f.pos += 4
	case bytes.HasPrefix(d, []byte("true")):
		f.pos += 4
		v := true
		c.CheckWorthy = &v
	case bytes.HasPrefix(d, []byte("false")):
		f.pos += 5
		v := false
		c.CheckWorthy = &v
	default:
		return nil, false
	}
	if !f.member("rationale") {
		return nil, false
	}
	if c.Rationale, ok = f.str(); !ok || !f.member("evidence") {
		return nil, false
	}
	c.Evidence = []Evidence{}
	if !f.list(func() bool {
		var ev Evidence
		var ok bool
		if !f.tok('{') || !f.name("url") {
			return false
		}
		if ev.URL, ok = f.str(); !ok || !f.member("quote") {
			return false
		}
		if ev.Quote, ok = f.str(); !ok || !f.member("stance") {
			return false
		}
		if ev.Stance, ok = f.str(); !ok || !f.member("accessed") {
			return false
		}
		if ev.Accessed, ok = f.str(); !ok || !f.tok('}') {
			return false
		}
		c.Evidence = append(c.Evidence, ev)
		return true
	}) || !f.member("reviewUrl") {
		return nil, false
	}
	if c.ReviewURL, ok = f.str(); !ok || !f.tok('}') {
		return nil, false
	}
	return c, true
}

// time reads a time as nativeDecoder.annotation does: the layout Encode
// writes ("2025-11-25T21:30:00.000Z") is read here, any other through
// time.Parse with the same checks.
func (f *fastDecoder) time() (time.Time, bool) {
	v, ok := f.view()
	if !ok {
		return time.Time{}, false
	}
	if len(v) == len(f.lastTime) && string(v) == string(f.lastTime[:]) {
		return f.lastTimeVal, true
	}
	if t, ok := parseCanonicalTime(v); ok {
		copy(f.lastTime[:], v)
		f.lastTimeVal = t
		return t, true
	}
	s := string(v)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || len(s) < len("2006-01-02T15:04:05Z") || (s[10] != 'T' && s[10] != 't') {
		return time.Time{}, false
	}
	return normTime(t), true
}

// parseCanonicalTime reads exactly "YYYY-MM-DDTHH:MM:SS.mmmZ" as
// normTime(time.Parse(time.RFC3339, v)) does; ok is false for any other
// string, or a date or time that time.Parse refuses.
func parseCanonicalTime(v []byte) (time.Time, bool) {
	if len(v) != len(timeLayout) || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != '.' || v[23] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		x := 0
		for _, c := range v[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec, ms := num(11, 2), num(14, 2), num(17, 2), num(20, 3)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 || ms < 0 {
		return time.Time{}, false
	}
	dim := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		dim = 29
	}
	if day > dim {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC), true
}
