package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A Codec is one import/export format: the formats of the NLP toolchain
// (spaCy, doccano, Label Studio, brat, CoNLL, Hugging Face), the fact-check
// formats (W3C Web Annotation, ClaimReview) and Factmark's own. The command
// line lists the registered codecs (Codecs) and finds them by id
// (LookupCodec) or by file name and content (DetectCodec); the browser app's
// menus read their descriptions from BuiltinCodecs (a table without their
// code) and leave the codecs themselves to its worker.
//
// Exports stream: an Encoder takes documents one at a time and writes them to
// a FileSink as named files, so a dataset converts holding one document in
// memory. Imports stream the same way through a Decoder.
type Codec struct {
	// ID is the stable identifier used by the command line (--to spacy).
	ID string
	// Name is the human name shown in the Export menu.
	Name string
	// Extensions are the file name endings of the format, with their dot,
	// the one exports write first (".jsonl").
	Extensions []string
	// MediaType is the media type of the main file.
	MediaType string
	// Unit is the unit the format's character offsets count in, or "" when
	// the format has no character offsets (token formats, claim records).
	Unit Unit
	// Offsets says in words what the offsets count, for menus and help:
	// "code points", "UTF-16 code units", "tokens (no character offsets)".
	Offsets string
	// Limits says in one sentence what the format can never carry. The app
	// shows it next to the menu entry; Losses reports what a given state
	// would lose.
	Limits string
	// NewEncoder starts an export into sink; nil when the format cannot be
	// exported.
	NewEncoder func(sink FileSink, opts ExportOptions) (Encoder, error)
	// NewDecoder starts an import of src; nil when the format cannot be
	// imported.
	NewDecoder func(src Source, opts ImportOptions) (Decoder, error)
	// Losses reports, one sentence each, what exporting s in this format
	// would drop or change (overlapping spans in IOB2, notes in doccano,
	// claims in entity-only formats, spans that do not line up with tokens).
	// Nil when nothing is lost. Required.
	Losses func(s *State) []string
	// PerDocument says the format writes files per document (brat's .txt
	// and .ann) rather than one file for all: several documents then go into
	// a zip (Export) or a directory (the command line), whose entries the
	// Encoder creates through its FileSink.
	PerDocument bool
	// Sniff reports whether an input with this file name and these first
	// bytes is in this format. Optional; DetectCodec falls back to
	// Extensions.
	Sniff func(name string, head []byte) bool
}

// CanExport reports whether c can write documents.
func (c *Codec) CanExport() bool { return c.NewEncoder != nil }

// CanImport reports whether c can read documents.
func (c *Codec) CanImport() bool { return c.NewDecoder != nil }

// A FileSink receives the named files of an export, one after the other: a
// writer returned by Create is complete when Create is called again or the
// export's Encoder is closed. *zip.Writer is a FileSink; MemorySink collects
// files for the browser.
type FileSink interface {
	Create(name string) (io.Writer, error)
}

// An Encoder writes documents in one format. Encode takes one document at a
// time; Close finishes the export (closing brackets, sidecar files such as
// Hugging Face's labels.json or Label Studio's labeling config). An Encoder
// must not be used after an error.
type Encoder interface {
	Encode(s *State) error
	Close() error
}

// A Decoder reads documents in one format, one at a time. Next returns the
// next document with the problems found in it, or io.EOF after the last.
// When a document has problems that a strict import does not accept
// (ImportOptions.Lenient is false), Next returns a nil state, the problems
// and a *ProblemsError; the decoder then continues with the next document
// where the format allows it (JSON Lines, brat zips). Other errors (a file
// that is not JSON at all, a read error) end the import.
type Decoder interface {
	Next() (*State, []Problem, error)
}

// ExportOptions configure an export.
type ExportOptions struct {
	// Base is the stem of the files written: "article" gives
	// "article.spacy.jsonl". Defaults to "dataset" (formats that name files
	// per document, like brat, use the document ids).
	Base string
	// Many says the export may hold several documents. Factmark's own format
	// then writes JSON Lines (one document per line) instead of one indented
	// JSON document, and brat, which writes a .txt and .ann pair per
	// document, expects a sink that can take many (a zip or a directory).
	Many bool
}

func (o ExportOptions) base() string {
	if o.Base == "" {
		return "dataset"
	}
	return o.Base
}

// ImportOptions configure an import.
type ImportOptions struct {
	// Schema is the label schema imported labels are mapped onto, by id or
	// name, case-insensitively, and through common synonyms for the default
	// labels (PER, PERSON → person; LOC, GPE, PLACE → place; CARDINAL,
	// MONEY, PERCENT, QUANTITY → figure). Defaults to DefaultSchema().
	Schema Schema
	// Unit overrides the offset unit the format states, for files written
	// by tools that count differently (e.g. UTF16 for a Label Studio export
	// whose offsets are JavaScript string indices). Empty: the format's.
	Unit Unit
	// Lenient keeps what can be imported: spans with problems (offsets that
	// do not match their quote, labels that cannot be mapped) are left out
	// and reported, instead of failing the document.
	Lenient bool
	// AddLabels adds labels that cannot be mapped to the schema as new
	// entity labels (id from the name, no shortcut key) instead of reporting
	// them.
	AddLabels bool
}

func (o ImportOptions) schema() Schema {
	if len(o.Schema.Labels) == 0 {
		return DefaultSchema()
	}
	return o.Schema
}

// A Source is the input of an import: a named stream and, for formats that
// come as several files (a brat .ann beside its .txt), a way to open the
// others by name.
type Source struct {
	// Name is the file name ("article.ann"), used in problems and to find
	// companion files; "" or "-" for standard input.
	Name string
	// R is the content of the file.
	R io.Reader
	// Open opens a companion file by name (a base name, as found in Name's
	// directory). Nil when there are none.
	Open func(name string) (io.ReadCloser, error)
}

func (s Source) name() string {
	if s.Name == "" || s.Name == "-" {
		return "<stdin>"
	}
	return s.Name
}

// File is one named file of an export or import, in memory.
type File struct {
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Data      []byte `json:"-"`
}

// MediaTypeOf returns the media type for a file name by its extension.
func MediaTypeOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return "application/json"
	case ".jsonl":
		return "application/jsonl"
	case ".jsonld":
		return "application/ld+json"
	case ".zip":
		return "application/zip"
	case ".xml":
		return "application/xml"
	}
	return "text/plain; charset=utf-8"
}

// MemorySink is a FileSink that keeps the files in memory, for the browser.
type MemorySink struct {
	Files []File
	bufs  []*bytes.Buffer
}

// Create starts a new file.
func (m *MemorySink) Create(name string) (io.Writer, error) {
	m.flush()
	b := new(bytes.Buffer)
	m.Files = append(m.Files, File{Name: name, MediaType: MediaTypeOf(name)})
	m.bufs = append(m.bufs, b)
	return b, nil
}

func (m *MemorySink) flush() {
	for i, b := range m.bufs {
		m.Files[i].Data = b.Bytes()
	}
}

// Result returns the files written so far.
func (m *MemorySink) Result() []File {
	m.flush()
	return m.Files
}

// Problem is one thing an import could not take as it was: a span whose
// offsets do not match its quote, a label that is not in the schema, a
// record Factmark has no place for. It says where (file, line, JSON path or
// brat id) and what.
type Problem struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"` // 1-based; 0 when unknown
	// Path locates the item inside the file: a JSON path
	// ("[2].annotations[0].result[3].value") or a brat id ("T4").
	Path   string `json:"path,omitempty"`
	Reason string `json:"reason"`
	// Expected is the text the file gives for a span (its quote) and Found
	// the text at the span's offsets, when they differ.
	Expected string `json:"expected,omitempty"`
	Found    string `json:"found,omitempty"`
	// Fatal problems fail a strict import; in a lenient one the item was
	// left out. Other problems are reported and the import goes on (a
	// relation Factmark cannot represent, a duplicate span).
	Fatal bool `json:"fatal,omitempty"`
}

func (p Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(": ")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Reason)
	if p.Expected != "" || p.Found != "" {
		fmt.Fprintf(&b, " (expected %q, found %q)", p.Expected, p.Found)
	}
	return b.String()
}

// ProblemsError is the error of a document a strict import rejects: every
// fatal problem found in it.
type ProblemsError struct {
	Problems []Problem
}

func (e *ProblemsError) Error() string {
	var fatal []Problem
	for _, p := range e.Problems {
		if p.Fatal {
			fatal = append(fatal, p)
		}
	}
	if len(fatal) == 0 {
		fatal = e.Problems
	}
	if len(fatal) == 1 {
		return fatal[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems:", len(fatal))
	for i, p := range fatal {
		if i == 20 {
			fmt.Fprintf(&b, "\n\t… and %d more", len(fatal)-i)
			break
		}
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// FormatError reports input that is not in the shape of its format at all:
// a file that is not JSON, a record that is not an object. It names the file,
// the line and the JSON path.
type FormatError struct {
	File   string
	Line   int
	Path   string
	Reason string
}

func (e *FormatError) Error() string {
	return Problem{File: e.File, Line: e.Line, Path: e.Path, Reason: e.Reason}.Error()
}

// --- registry ---

var registry struct {
	sync.RWMutex
	codecs []*Codec
}

// menuOrder is the order of the Export menu; codecs registered with other
// ids follow in registration order.
var menuOrder = []string{"factmark", "w3c", "labelstudio", "doccano", "spacy", "brat", "conll", "hf", "checkworthy", "claimreview", "claims"}

// Register adds a codec to the registry. It panics when the codec has no id,
// name, extension or Losses function, when it can neither import nor export,
// or when its id is taken: registration happens in init functions, and these
// are programming errors.
func Register(c *Codec) {
	switch {
	case c == nil || c.ID == "":
		panic("annotate: Register: codec without id")
	case c.Name == "" || len(c.Extensions) == 0 || c.MediaType == "":
		panic("annotate: Register: codec " + c.ID + " needs a name, extensions and a media type")
	case c.Losses == nil:
		panic("annotate: Register: codec " + c.ID + " needs a Losses function")
	case c.NewEncoder == nil && c.NewDecoder == nil:
		panic("annotate: Register: codec " + c.ID + " can neither import nor export")
	}
	registry.Lock()
	defer registry.Unlock()
	for _, o := range registry.codecs {
		if o.ID == c.ID {
			panic("annotate: Register: codec " + c.ID + " registered twice")
		}
	}
	registry.codecs = append(registry.codecs, c)
	rank := func(id string) int {
		for i, m := range menuOrder {
			if m == id {
				return i
			}
		}
		return len(menuOrder)
	}
	sort.SliceStable(registry.codecs, func(i, j int) bool {
		return rank(registry.codecs[i].ID) < rank(registry.codecs[j].ID)
	})
}

// Codecs returns the registered codecs in menu order.
func Codecs() []*Codec {
	registry.RLock()
	defer registry.RUnlock()
	return append([]*Codec(nil), registry.codecs...)
}

// LookupCodec returns the codec with the given id (case-insensitive).
func LookupCodec(id string) (*Codec, bool) {
	registry.RLock()
	defer registry.RUnlock()
	for _, c := range registry.codecs {
		if strings.EqualFold(c.ID, id) {
			return c, true
		}
	}
	return nil, false
}

// CodecIDs returns the ids of the codecs that can import (imports true) or
// export (imports false), in menu order.
func CodecIDs(imports bool) []string {
	var ids []string
	for _, c := range Codecs() {
		if (imports && c.CanImport()) || (!imports && c.CanExport()) {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// DetectCodec finds the importable format of an input from its file name and
// its first bytes (give the whole first line of a JSON Lines file, which may
// be long: the keys after a long text are what tell spaCy from doccano):
// first by asking each codec's Sniff, then by a unique extension. The error
// lists the candidates when the input is ambiguous.
func DetectCodec(name string, head []byte) (*Codec, error) {
	// A UTF-16/32 file with a byte order mark is sniffed as the UTF-8 text
	// Import converts it to.
	if len(head) >= 2 && (head[0] == 0xfe || head[0] == 0xff || head[0] == 0) {
		if text, _, err := decodeBOM(head[:len(head)&^3]); err == nil && text != nil {
			head = text
		}
	}
	head = bytes.TrimPrefix(head, []byte{0xef, 0xbb, 0xbf})
	var sniffed []*Codec
	for _, c := range Codecs() {
		if c.CanImport() && c.Sniff != nil && c.Sniff(name, head) {
			sniffed = append(sniffed, c)
		}
	}
	if len(sniffed) == 1 {
		return sniffed[0], nil
	}
	if len(sniffed) > 1 {
		return nil, fmt.Errorf("%s: format is ambiguous (%s); name it", displayName(name), joinIDs(sniffed))
	}
	byExt := codecsByExt(name, true)
	if len(byExt) == 1 {
		return byExt[0], nil
	}
	if len(byExt) > 1 {
		return nil, fmt.Errorf("%s: format is ambiguous (%s); name it", displayName(name), joinIDs(byExt))
	}
	return nil, fmt.Errorf("%s: unknown format; name one of %s", displayName(name), strings.Join(CodecIDs(true), ", "))
}

// CodecForOutput finds the export format for an output file name by its
// extension: ".json" and ".jsonl" are Factmark's own, ".zip" and ".ann"
// brat, ".conll" CoNLL, ".xml"... The error lists the candidates when the
// extension is shared (".jsonl" by several line formats is taken as
// Factmark's dataset).
func CodecForOutput(name string) (*Codec, error) {
	lower := strings.ToLower(name)
	for _, c := range Codecs() {
		// A compound extension that names the format wins: "x.spacy.jsonl".
		if c.CanExport() && strings.Contains(lower, "."+strings.ToLower(c.ID)+".") {
			return c, nil
		}
	}
	cands := codecsByExt(name, false)
	for _, c := range cands {
		if c.ID == "factmark" {
			return c, nil
		}
	}
	if len(cands) == 1 {
		return cands[0], nil
	}
	if len(cands) > 1 {
		return nil, fmt.Errorf("%s: extension is used by several formats (%s); name one", displayName(name), joinIDs(cands))
	}
	return nil, fmt.Errorf("%s: unknown output format; name one of %s", displayName(name), strings.Join(CodecIDs(false), ", "))
}

// codecsByExt returns the codecs with the longest extension name ends with:
// "x.doccano.jsonl" is doccano's alone, "x.jsonl" is everyone's.
func codecsByExt(name string, imports bool) []*Codec {
	var out []*Codec
	best := 0
	for _, c := range Codecs() {
		if (imports && !c.CanImport()) || (!imports && !c.CanExport()) {
			continue
		}
		n := len(codecMatchExt(c, name))
		switch {
		case n == 0 || n < best:
		case n > best:
			best, out = n, []*Codec{c}
		default:
			out = append(out, c)
		}
	}
	return out
}

func joinIDs(cs []*Codec) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

func displayName(name string) string {
	if name == "" || name == "-" {
		return "<stdin>"
	}
	return name
}

// codecMatchExt returns the longest of c's extensions that name ends with.
func codecMatchExt(c *Codec, name string) string {
	lower := strings.ToLower(name)
	best := ""
	for _, e := range c.Extensions {
		if strings.HasSuffix(lower, strings.ToLower(e)) && len(e) > len(best) {
			best = e
		}
	}
	return best
}

// fileStem makes a document id safe as a file name stem.
func fileStem(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|' || r < ' ':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), ". ")
	if s == "" {
		return "document"
	}
	return s
}

// --- building blocks for codecs ---

// StreamEncoder is an Encoder that writes every document into one file:
// Head, then what Write writes for each document (Sep between documents),
// then Tail, then the Sidecars. Line formats (JSON Lines) and JSON arrays
// are StreamEncoders; codecs registered by other files may use it too.
type StreamEncoder struct {
	Sink FileSink
	Name string // the file name, e.g. "dataset.spacy.jsonl"
	// Head is written first, Sep between two documents, Tail last.
	Head, Sep, Tail string
	// Write writes one document.
	Write func(w io.Writer, s *State) error
	// Sidecars, when set, returns files Close writes after the main one.
	Sidecars func() ([]File, error)
	// OneOnly, when set, is the error Encode returns for a second document
	// (a format or an output that holds one document).
	OneOnly string

	bw      *bufio.Writer
	n       int
	started bool
	closed  bool
}

func (e *StreamEncoder) start() error {
	if e.started {
		return nil
	}
	e.started = true
	w, err := e.Sink.Create(e.Name)
	if err != nil {
		return err
	}
	e.bw = bufio.NewWriterSize(w, 64<<10)
	_, err = e.bw.WriteString(e.Head)
	return err
}

// Encode writes one document.
func (e *StreamEncoder) Encode(s *State) error {
	if e.closed {
		return errors.New("encode after close")
	}
	if e.n > 0 && e.OneOnly != "" {
		return errors.New(e.OneOnly)
	}
	if err := e.start(); err != nil {
		return err
	}
	if e.n > 0 {
		if _, err := e.bw.WriteString(e.Sep); err != nil {
			return err
		}
	}
	e.n++
	return e.Write(e.bw, s)
}

// Close writes the tail and the sidecars.
func (e *StreamEncoder) Close() error {
	if e.closed {
		return nil
	}
	if err := e.start(); err != nil {
		return err
	}
	e.closed = true
	if _, err := e.bw.WriteString(e.Tail); err != nil {
		return err
	}
	if err := e.bw.Flush(); err != nil {
		return err
	}
	if e.Sidecars == nil {
		return nil
	}
	files, err := e.Sidecars()
	if err != nil {
		return err
	}
	for _, f := range files {
		w, err := e.Sink.Create(f.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(f.Data); err != nil {
			return err
		}
	}
	return nil
}

// lineDecoder reads JSON Lines: one record per non-blank line, parsed by
// parse with the 1-based line number.
type lineDecoder struct {
	r       *bufio.Reader
	line    int
	parse   func(line int, data []byte) (*State, []Problem, error)
	pending []Problem
}

func newLineDecoder(r io.Reader, parse func(line int, data []byte) (*State, []Problem, error)) *lineDecoder {
	return &lineDecoder{r: bufio.NewReaderSize(r, 256<<10), parse: parse}
}

// Next returns the next record's document. A record parse skips (nil state,
// nil error) leaves its problems for the next document or the end.
func (d *lineDecoder) Next() (*State, []Problem, error) {
	for {
		data, err := d.r.ReadBytes('\n')
		if len(data) == 0 && err != nil {
			ps := d.pending
			d.pending = nil
			return nil, ps, err
		}
		if err != nil && err != io.EOF {
			return nil, nil, err
		}
		d.line++
		if d.line == 1 {
			data = bytes.TrimPrefix(data, []byte("\ufeff"))
		}
		if len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		st, ps, perr := d.parse(d.line, data)
		if st == nil && perr == nil {
			d.pending = append(d.pending, ps...)
			continue
		}
		if d.pending != nil {
			ps = append(d.pending, ps...)
			d.pending = nil
		}
		return st, ps, perr
	}
}

// --- imports: turning a foreign document into a State ---

// ImportSpan is one span read from a foreign format, before it is checked.
type ImportSpan struct {
	// Path and Line locate the span in its file, for problems
	// ("[0].label[2]", "T4"). Line 0 takes the builder's line.
	Path string
	Line int
	// Start and End are the span's offsets in the builder's unit.
	Start, End int
	// Label is the format's label name, mapped onto the schema by name.
	Label string
	// Quote is the text the file says lies at [Start, End), or nil.
	Quote *string
	// ID is kept when it is unique in the document; otherwise a new id is
	// made.
	ID    string
	Note  string
	Claim *Claim
}

// ImportBuilder turns a foreign document and its spans into a State, the
// same way for every format: it imports the text as FromText does (a BOM,
// CRLF and non-NFC text are normalized, and every offset is moved along with
// the text, or reported when it falls inside a sequence that changed),
// converts offsets from the format's unit to code points, verifies them
// against the span's quote, maps labels onto the schema, and reports every
// span it cannot take as it is: which one, why, expected and found text.
// Nothing is shifted or dropped silently.
type ImportBuilder struct {
	file     string
	line     int
	text     string
	textPath string
	unit     Unit
	doc      TextOptions
	opts     ImportOptions
	spans    []ImportSpan
	problems []Problem
}

// NewImportBuilder starts a document read from file (at line, 0 when
// unknown) whose text is text, found at JSON path textPath, with offsets
// counted in unit (ImportOptions.Unit overrides it).
func NewImportBuilder(file string, line int, text, textPath string, unit Unit, doc TextOptions, opts ImportOptions) *ImportBuilder {
	if opts.Unit != "" {
		unit = opts.Unit
	}
	return &ImportBuilder{file: file, line: line, text: text, textPath: textPath, unit: unit, doc: doc, opts: opts}
}

// Add adds a span to check and import.
func (b *ImportBuilder) Add(sp ImportSpan) { b.spans = append(b.spans, sp) }

// Report records a problem found by the format's reader; File and Line
// default to the builder's.
func (b *ImportBuilder) Report(p Problem) {
	if p.File == "" {
		p.File = b.file
	}
	if p.Line == 0 {
		p.Line = b.line
	}
	b.problems = append(b.problems, p)
}

// Problems returns the problems reported so far.
func (b *ImportBuilder) Problems() []Problem { return b.problems }

// checked is a span that passed the checks, in code points of the raw text.
type checked struct {
	sp    ImportSpan
	label Label
	r     Range
}

// State checks the spans and builds the document. It returns the state and
// every problem found. When a span has a fatal problem and the import is not
// lenient, it returns a nil state and a *ProblemsError; a document whose text
// cannot be imported at all fails the same way.
func (b *ImportBuilder) State() (*State, []Problem, error) {
	fail := func() (*State, []Problem, error) {
		return nil, b.problems, &ProblemsError{Problems: b.problems}
	}
	doc, err := FromText([]byte(b.text), b.doc)
	if err != nil {
		b.Report(Problem{Path: b.textPath, Reason: "text cannot be imported: " + err.Error(), Fatal: true})
		return fail()
	}
	raw := NewIndex(b.text)
	schema := Schema{Labels: append([]Label(nil), b.opts.schema().Labels...)}

	// Labels.
	type unknown struct {
		name  string
		line  int
		paths []string
	}
	var unknowns []*unknown
	byName := map[string]*unknown{}
	var ok []checked
	for _, sp := range b.spans {
		l, found := resolveLabel(schema, sp.Label)
		if !found && b.opts.AddLabels && strings.TrimSpace(sp.Label) != "" {
			l = newLabelFor(schema, sp.Label)
			grown := Schema{Labels: append(append([]Label(nil), schema.Labels...), l)}
			if err := grown.Check(); err == nil {
				schema = grown
				b.Report(Problem{Line: sp.Line, Path: sp.Path, Reason: fmt.Sprintf("label %q is not in the schema: added as entity label %q", sp.Label, l.ID)})
				found = true
			}
		}
		if !found {
			u := byName[sp.Label]
			if u == nil {
				u = &unknown{name: sp.Label, line: sp.Line}
				byName[sp.Label] = u
				unknowns = append(unknowns, u)
			}
			u.paths = append(u.paths, sp.Path)
			continue
		}
		ok = append(ok, checked{sp: sp, label: l})
	}
	for _, u := range unknowns {
		paths := u.paths
		more := ""
		if len(paths) > 5 {
			more = fmt.Sprintf(" and %d more", len(paths)-5)
			paths = paths[:5]
		}
		var ids []string
		for _, l := range schema.Labels {
			ids = append(ids, l.ID)
		}
		b.Report(Problem{Line: u.line, Path: paths[0], Fatal: true, Reason: fmt.Sprintf(
			"label %q cannot be mapped to the schema (%s); used by %d span(s): %s%s",
			u.name, strings.Join(ids, ", "), len(u.paths), strings.Join(paths, ", "), more)})
	}

	// Offsets: unit conversion and quotes, in the raw text.
	kept := ok[:0]
	for _, c := range ok {
		sp := c.sp
		bad := func(reason string, args ...any) {
			b.Report(Problem{Line: sp.Line, Path: sp.Path, Fatal: true, Reason: fmt.Sprintf(reason, args...)})
		}
		if sp.End <= sp.Start {
			bad("span [%d, %d) is empty or inverted", sp.Start, sp.End)
			continue
		}
		r, err := raw.ConvertRange(Range{sp.Start, sp.End}, b.unit, CodePoints)
		if err != nil {
			bad("%v", err)
			continue
		}
		if sp.Quote != nil {
			found := raw.Slice(r)
			if found != *sp.Quote && normNFC(found) != normNFC(*sp.Quote) {
				b.Report(Problem{Line: sp.Line, Path: sp.Path, Fatal: true,
					Reason:   fmt.Sprintf("text at %s offsets [%d, %d) differs from the span's text%s", b.unit, sp.Start, sp.End, quoteHint(raw, sp, b.unit)),
					Expected: *sp.Quote, Found: found})
				continue
			}
		}
		c.r = r
		kept = append(kept, c)
	}
	ok = kept

	// Move offsets along with the normalization of the text.
	if doc.Text != b.text {
		var pos []int
		for _, c := range ok {
			pos = append(pos, c.r.Start, c.r.End)
		}
		moved, badPos := remapNormalized(b.text, doc.Text, pos)
		kept = ok[:0]
		for _, c := range ok {
			s, e := moved[c.r.Start], moved[c.r.End]
			if badPos[c.r.Start] || badPos[c.r.End] {
				b.Report(Problem{Line: c.sp.Line, Path: c.sp.Path, Fatal: true, Found: raw.Slice(c.r), Reason: fmt.Sprintf(
					"span [%d, %d) starts or ends inside a sequence that import normalization changes (%s)",
					c.sp.Start, c.sp.End, strings.Join(doc.Normalization, ", "))})
				continue
			}
			c.r = Range{s, e}
			kept = append(kept, c)
		}
		ok = kept
	}

	// Grapheme clusters, duplicates, ids.
	ix := doc.Index()
	seen := map[[3]any]string{}
	ids := map[string]bool{}
	now := importTime()
	var edits []Edit
	for _, c := range ok {
		sp := c.sp
		if !ix.IsGraphemeBoundary(c.r.Start) || !ix.IsGraphemeBoundary(c.r.End) {
			at := c.r.Start
			if ix.IsGraphemeBoundary(at) {
				at = c.r.End
			}
			b.Report(Problem{Line: sp.Line, Path: sp.Path, Fatal: true, Found: ix.Slice(c.r), Reason: fmt.Sprintf(
				"span [%d, %d) splits the grapheme cluster %q at code points %v", c.r.Start, c.r.End, ix.Slice(ix.GraphemeAt(at)), ix.GraphemeAt(at))})
			continue
		}
		key := [3]any{c.label.ID, c.r.Start, c.r.End}
		if first, dup := seen[key]; dup {
			b.Report(Problem{Line: sp.Line, Path: sp.Path, Found: ix.Slice(c.r), Reason: fmt.Sprintf(
				"duplicate of %s (same label %s and range %v): imported once", first, c.label.ID, c.r)})
			continue
		}
		seen[key] = sp.Path
		id := sp.ID
		if id == "" || ids[id] || !validImportID(id) {
			id = NewID()
		}
		ids[id] = true
		a := Annotation{ID: id, Label: c.label.ID, Start: c.r.Start, End: c.r.End, Created: now, Modified: now, Note: sp.Note}
		if sp.Claim != nil {
			if c.label.Kind == KindClaim {
				cl := *sp.Claim
				a.Claim = &cl
			} else {
				b.Report(Problem{Line: sp.Line, Path: sp.Path, Reason: fmt.Sprintf("claim details on entity label %s are left out", c.label.ID)})
			}
		}
		edits = append(edits, Add(a))
	}
	for _, p := range b.problems {
		if p.Fatal && !b.opts.Lenient {
			return fail()
		}
	}
	st := NewState(doc, schema)
	if len(edits) > 0 {
		if _, err := st.Apply(Batch(edits...)); err != nil {
			b.Report(Problem{Path: b.textPath, Fatal: true, Reason: "annotations cannot be applied: " + err.Error()})
			return fail()
		}
	}
	return st, b.problems, nil
}

// importTime is the creation time given to imported annotations.
var importTime = func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// validImportID reports whether a foreign id can be kept as an annotation id.
func validImportID(id string) bool {
	if len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || r == ':' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

func normNFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// quoteHint says where a mismatching quote is found instead: at the same
// numbers counted in another unit, or at one place in the text.
func quoteHint(raw *Index, sp ImportSpan, used Unit) string {
	q := *sp.Quote
	if q == "" {
		return ""
	}
	for _, u := range Units {
		if u == used {
			continue
		}
		if r, err := raw.ConvertRange(Range{sp.Start, sp.End}, u, CodePoints); err == nil && raw.Slice(r) == q {
			return fmt.Sprintf("; counted in %s units these offsets give the text (does the file count %s?)", u, u)
		}
	}
	text := raw.Text()
	if i := strings.Index(text, q); i >= 0 {
		cp := utf8.RuneCountInString(text[:i])
		if strings.Count(text, q) == 1 {
			return fmt.Sprintf("; the text occurs once, at code points [%d, %d)", cp, cp+utf8.RuneCountInString(q))
		}
		return fmt.Sprintf("; the text occurs %d times, first at code points [%d, %d)", strings.Count(text, q), cp, cp+utf8.RuneCountInString(q))
	}
	return "; the text does not occur in the document"
}

// remapNormalized maps code-point positions in raw to positions in norm, the
// text FromText made of raw. A position maps when normalizing the text before
// it and the text after it separately gives norm; otherwise it lies inside a
// sequence normalization changed (a CRLF pair, a base letter and its
// combining mark) and is reported in bad.
func remapNormalized(raw, normText string, pos []int) (moved map[int]int, bad map[int]bool) {
	moved, bad = map[int]int{}, map[int]bool{}
	n := utf8.RuneCountInString(raw)
	cuts := append([]int{0, n}, pos...)
	sort.Ints(cuts)
	uniq := cuts[:0]
	for i, c := range cuts {
		if c < 0 || c > n {
			continue
		}
		if i == 0 || c != cuts[i-1] {
			uniq = append(uniq, c)
		}
	}
	cuts = uniq
	// Byte offsets of the cuts.
	byteAt := make([]int, len(cuts))
	cp, bi := 0, 0
	for k, c := range cuts {
		for cp < c {
			_, size := utf8.DecodeRuneInString(raw[bi:])
			bi += size
			cp++
		}
		byteAt[k] = bi
	}
	var b strings.Builder
	outAt := make([]int, len(cuts))
	for k := range cuts {
		outAt[k] = utf8.RuneCountInString(b.String())
		if k+1 < len(cuts) {
			b.WriteString(normalizePiece(raw[byteAt[k]:byteAt[k+1]], k == 0))
		}
	}
	if b.String() == normText {
		for k, c := range cuts {
			moved[c] = outAt[k]
		}
		return moved, bad
	}
	for k, c := range cuts {
		pre := normalizePiece(raw[:byteAt[k]], true)
		if pre+normalizePiece(raw[byteAt[k]:], byteAt[k] == 0) == normText {
			moved[c] = utf8.RuneCountInString(pre)
		} else {
			bad[c] = true
		}
	}
	return moved, bad
}

// normalizePiece applies FromText's normalization to a piece of text.
func normalizePiece(s string, first bool) string {
	if first {
		s = strings.TrimPrefix(s, "\ufeff")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return normNFC(s)
}

// --- labels ---

// labelSynonyms maps the default labels to names other tools use for them
// (spaCy's OntoNotes types, CoNLL-2003's, common variants), lower case
// without separators.
var labelSynonyms = map[string][]string{
	"person": {"per", "pers", "person", "persons", "people", "human", "name"},
	"place":  {"loc", "location", "gpe", "place", "places", "geo", "geoloc", "fac", "facility", "city", "country"},
	"figure": {"figure", "figures", "num", "number", "numeral", "quantity", "cardinal", "ordinal", "money", "percent", "percentage", "date", "time", "duration", "amount", "statistic", "stat"},
	"claim":  {"claim", "claims", "disputedclaim", "checkworthyclaim", "checkworthy", "factcheck", "disputed"},
}

func labelKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '_' || r == '-' || r == '.' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// resolveLabel maps a foreign label name onto schema: by id, by name, or by
// a synonym of a default label, ignoring case, spaces, '_' and '-'; a
// B-/I- IOB prefix is ignored.
func resolveLabel(schema Schema, name string) (Label, bool) {
	k := labelKey(name)
	if k == "" {
		return Label{}, false
	}
	for _, l := range schema.Labels {
		if labelKey(l.ID) == k || labelKey(l.Name) == k {
			return l, true
		}
	}
	for _, l := range schema.Labels {
		for _, syn := range labelSynonyms[l.ID] {
			if syn == k {
				return l, true
			}
		}
	}
	return Label{}, false
}

// newLabelFor makes an entity label for a foreign name that is not in the
// schema: id from the name, the name as given, a colour from a fixed
// palette, no shortcut key.
func newLabelFor(schema Schema, name string) Label {
	var b strings.Builder
	for _, r := range labelKey(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	id := b.String()
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "label" + id // ids start with a letter
	}
	if len(id) > 48 {
		id = id[:48]
	}
	taken := func(id string) bool { _, ok := schema.Label(id); return ok }
	for i, base := 2, id; taken(id); i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	// The name as given, printable, at most MaxLabelNameLen code points.
	clean := strings.Join(strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }), " ")
	if r := []rune(clean); len(r) > MaxLabelNameLen {
		clean = strings.TrimSpace(string(r[:MaxLabelNameLen]))
	}
	if clean == "" {
		clean = id
	}
	// Colours readable on the light and on the dark page.
	palette := [][2]string{{"#6a3d9a", "#c9a0ff"}, {"#8c510a", "#f6c177"}, {"#01665e", "#80cdc1"}, {"#525252", "#bdbdbd"}, {"#b2182b", "#f4a582"}}
	c := palette[len(schema.Labels)%len(palette)]
	return Label{ID: id, Name: clean, Color: c[0], DarkColor: c[1], Kind: KindEntity}
}

// exportName is a label's name in the NER-style formats (spaCy, doccano,
// CoNLL, Hugging Face): its id in upper case, separators as '_' ("PERSON").
func exportName(l Label) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(l.ID) {
		if r == ' ' || r == '\t' || r == '-' || r == '.' {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// labelOf returns the label of an annotation, or one named after its id.
func labelOf(s *State, id string) Label {
	if l, ok := s.Schema.Label(id); ok {
		return l
	}
	return Label{ID: id, Name: id, Kind: KindEntity}
}

// --- JSON values with paths ---

// jv is a decoded JSON value (numbers as json.Number) with its path.
type jv struct {
	v    any
	path string
}

func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("more than one JSON value")
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

func (j jv) key(k string) jv {
	var v any
	if m, ok := j.v.(map[string]any); ok {
		v = m[k]
	}
	p := k
	if j.path != "" {
		p = j.path + "." + k
	}
	return jv{v, p}
}

func (j jv) idx(i int) jv {
	var v any
	if a, ok := j.v.([]any); ok && i < len(a) {
		v = a[i]
	}
	return jv{v, fmt.Sprintf("%s[%d]", j.path, i)}
}

func (j jv) has() bool { return j.v != nil }

func jvKind(v any) string {
	switch v.(type) {
	case nil:
		return "null or missing"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

func (j jv) errf(format string, args ...any) *FormatError {
	return &FormatError{Path: j.path, Reason: fmt.Sprintf(format, args...)}
}

func (j jv) object() (map[string]any, error) {
	m, ok := j.v.(map[string]any)
	if !ok {
		return nil, j.errf("want an object, found %s", jvKind(j.v))
	}
	return m, nil
}

func (j jv) array() ([]any, error) {
	a, ok := j.v.([]any)
	if !ok {
		return nil, j.errf("want an array, found %s", jvKind(j.v))
	}
	return a, nil
}

func (j jv) str() (string, error) {
	s, ok := j.v.(string)
	if !ok {
		return "", j.errf("want a string, found %s", jvKind(j.v))
	}
	return s, nil
}

// optStr returns the string, or "" when the value is missing or not a string.
func (j jv) optStr() string {
	switch v := j.v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

func (j jv) int() (int, error) {
	n, ok := j.v.(json.Number)
	if !ok {
		return 0, j.errf("want an integer, found %s", jvKind(j.v))
	}
	i, err := strconv.ParseInt(n.String(), 10, 0)
	if err != nil {
		return 0, j.errf("want an integer, found %s", n.String())
	}
	return int(i), nil
}

// locate fills in the file and line of a *FormatError.
func locate(err error, file string, line int) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		if fe.File == "" {
			fe.File = file
		}
		if fe.Line == 0 {
			fe.Line = line
		}
	}
	return err
}

// problemOf turns an error into a fatal problem at file and line.
func problemOf(err error, file string, line int) Problem {
	var fe *FormatError
	if errors.As(err, &fe) {
		p := Problem{File: fe.File, Line: fe.Line, Path: fe.Path, Reason: fe.Reason, Fatal: true}
		if p.File == "" {
			p.File = file
		}
		if p.Line == 0 {
			p.Line = line
		}
		return p
	}
	return Problem{File: file, Line: line, Reason: err.Error(), Fatal: true}
}

// rejectDoc is what a decoder returns for a document that cannot be read.
func rejectDoc(p ...Problem) (*State, []Problem, error) {
	return nil, p, &ProblemsError{Problems: p}
}

// jsonHead describes the start of a JSON input for sniffing: whether it is
// an array, and the keys of its first object (the top-level object, or the
// array's first element), as far as the bytes go.
type jsonHead struct {
	array bool
	keys  map[string]bool
}

// sniffJSON reads the keys of the first object in head, which may be cut
// anywhere: values are skipped, and reading stops at the first error.
// It scans bytes rather than tokens: the detectors run on whole files, and a
// Factmark file's text is one long string value.
func sniffJSON(head []byte) (jsonHead, bool) {
	h := jsonHead{keys: map[string]bool{}}
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(head) == 0 || (head[0] != '{' && head[0] != '[') {
		return h, false
	}
	i := 0
	if head[0] == '[' {
		h.array = true
		i = skipJSONSpace(head, 1)
		if i >= len(head) {
			return h, false
		}
		if head[i] != '{' {
			return h, strings.IndexByte(`-0123456789tfn[]"`, head[i]) >= 0
		}
	}
	i++ // past '{'
	for {
		i = skipJSONSpace(head, i)
		if i >= len(head) || head[i] != '"' {
			return h, true // the closing brace, or an error
		}
		end, ok := skipJSONString(head, i)
		if !ok {
			return h, true
		}
		key := head[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			var k string
			if json.Unmarshal(head[i:end], &k) != nil {
				return h, true
			}
			h.keys[k] = true
		} else {
			h.keys[string(key)] = true
		}
		i = skipJSONSpace(head, end)
		if i >= len(head) || head[i] != ':' {
			return h, true
		}
		if i, ok = skipJSONValue(head, skipJSONSpace(head, i+1)); !ok {
			return h, true
		}
		i = skipJSONSpace(head, i)
		if i >= len(head) || head[i] != ',' {
			return h, true
		}
		i++
	}
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipJSONString returns the offset after the string that starts at b[i]
// (a quote), and false when b ends inside it.
func skipJSONString(b []byte, i int) (int, bool) {
	i++
	for {
		k := bytes.IndexAny(b[i:], `"\`)
		if k < 0 {
			return len(b), false
		}
		i += k
		if b[i] == '"' {
			return i + 1, true
		}
		i += 2 // a backslash and the character it escapes
		if i > len(b) {
			return len(b), false
		}
	}
}

// skipJSONValue returns the offset after the value that starts at b[i], and
// false when b ends inside it or it is not a value.
func skipJSONValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	switch b[i] {
	case '"':
		return skipJSONString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				j, ok := skipJSONString(b, i)
				if !ok {
					return j, false
				}
				i = j
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return i, false
	}
	j := i
	for j < len(b) && strings.IndexByte(",}] \t\r\n", b[j]) < 0 {
		j++
	}
	return j, j > i
}

func (h jsonHead) any(keys ...string) bool {
	for _, k := range keys {
		if h.keys[k] {
			return true
		}
	}
	return false
}

// --- Factmark's own format, factmark/v1 ---

func newNativeEncoder(sink FileSink, opts ExportOptions) (Encoder, error) {
	if opts.Many {
		var dw *DatasetWriter
		return &StreamEncoder{Sink: sink, Name: opts.base() + ".jsonl", Write: func(w io.Writer, s *State) error {
			if dw == nil {
				dw = NewDatasetWriter(w)
			}
			return dw.Write(s)
		}}, nil
	}
	return &StreamEncoder{Sink: sink, Name: opts.base() + ".factmark.json",
		OneOnly: "a factmark/v1 .json file holds one document; write a dataset (.jsonl) for several",
		Write: func(w io.Writer, s *State) error {
			b, err := Encode(s)
			if err != nil {
				return err
			}
			_, err = w.Write(b)
			return err
		}}, nil
}

// newNativeDecoder reads one indented factmark/v1 document or a dataset of
// one compact document per line, deciding by the first line.
func newNativeDecoder(src Source, opts ImportOptions) (Decoder, error) {
	file := src.name()
	br := bufio.NewReaderSize(src.R, 256<<10)
	first, err := br.Peek(1)
	for err == nil && (first[0] == ' ' || first[0] == '\n' || first[0] == '\r' || first[0] == '\t') {
		br.ReadByte()
		first, err = br.Peek(1)
	}
	if err == io.EOF {
		return nil, &FormatError{File: file, Reason: "file is empty"}
	}
	if err != nil {
		return nil, err
	}
	// A document written by Encode starts "{\n"; a dataset line is compact.
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == '{' && (head[1] == '\n' || head[1] == '\r' || head[1] == ' ') {
		return &nativeSingle{file: file, r: br}, nil
	}
	return &nativeDataset{file: file, r: NewDatasetReader(br)}, nil
}

// nativeDataset reads a dataset with DatasetReader, which goes on after a
// line that does not decode.
type nativeDataset struct {
	file string
	r    *DatasetReader
}

func (d *nativeDataset) Next() (*State, []Problem, error) {
	s, err := d.r.Next()
	if err == io.EOF {
		return nil, nil, io.EOF
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return rejectDoc(nativeProblem(err, d.file, 0))
	}
	if err != nil {
		return nil, nil, err
	}
	return s, nil, nil
}

type nativeSingle struct {
	file string
	r    io.Reader
	done bool
}

func (d *nativeSingle) Next() (*State, []Problem, error) {
	if d.done {
		return nil, nil, io.EOF
	}
	d.done = true
	data, err := io.ReadAll(d.r)
	if err != nil {
		return nil, nil, err
	}
	s, err := Decode(data)
	if err != nil {
		return rejectDoc(nativeProblem(err, d.file, 0))
	}
	return s, nil, nil
}

func nativeProblem(err error, file string, line int) Problem {
	var de *DecodeError
	if errors.As(err, &de) {
		l := de.Line
		if l == 0 {
			l = line
		}
		return Problem{File: file, Line: l, Path: de.Path, Reason: de.Reason, Fatal: true}
	}
	return Problem{File: file, Line: line, Reason: err.Error(), Fatal: true}
}
