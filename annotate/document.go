package annotate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// BlockKind says what a block of a document is.
type BlockKind string

// Block kinds.
const (
	BlockTitle     BlockKind = "title"
	BlockHeading   BlockKind = "heading"
	BlockParagraph BlockKind = "paragraph"
)

// Block is a title, heading or paragraph: a range of the document text in
// code points, without its line break.
type Block struct {
	Kind  BlockKind `json:"kind"`
	Start int       `json:"start"`
	End   int       `json:"end"`
}

// Range returns the block's code-point range.
func (b Block) Range() Range { return Range{b.Start, b.End} }

// Lengths is the length of a text in each unit.
type Lengths struct {
	Bytes      int `json:"bytes"`
	UTF16      int `json:"utf16"`
	CodePoints int `json:"codepoints"`
	Graphemes  int `json:"graphemes"`
}

// Normalization steps recorded in Document.Normalization, in the order they
// are applied.
const (
	NormStripBOM = "strip-bom"  // a leading U+FEFF byte order mark was removed
	NormCRLF     = "crlf-to-lf" // CRLF line breaks became LF
	NormCR       = "cr-to-lf"   // lone CR line breaks became LF
	NormNFC      = "nfc"        // the text was not in NFC and was normalized
)

// Document is an imported text. Its Text never changes after import: every
// offset refers to that exact text, whose SHA-256 travels with it.
type Document struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Source        string   `json:"source,omitempty"` // URL or file name
	Text          string   `json:"text"`
	Blocks        []Block  `json:"blocks"`
	SHA256        string   `json:"sha256"` // lowercase hex SHA-256 of the UTF-8 text
	Lengths       Lengths  `json:"lengths"`
	Normalization []string `json:"normalization"` // steps applied at import

	index *Index // built by Index on first use; guarded by indexMu
}

// indexMu guards Document.index. A package-level mutex (rather than a
// sync.Once field) keeps Document safe to copy by value.
var indexMu sync.Mutex

// Index returns the offset index of d.Text, built on first use and cached.
// It is rebuilt if Text was replaced since.
func (d *Document) Index() *Index {
	indexMu.Lock()
	defer indexMu.Unlock()
	if d.index == nil || !sameString(d.index.text, d.Text) {
		d.index = NewIndex(d.Text)
	}
	return d.index
}

// sameString compares two strings, in O(1) when they share their bytes.
func sameString(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	return unsafe.StringData(a) == unsafe.StringData(b) || a == b
}

// TextOptions are the optional fields of a document imported by FromText.
type TextOptions struct {
	ID     string // defaults to "doc-" + the first 12 hex digits of the text's SHA-256
	Title  string // defaults to the text of the title block (or the start of the first block)
	Source string // URL or file name; optional
}

// ImportError reports input that cannot be imported. Offset is a byte offset
// in the raw input, or -1 when the problem has no single position.
type ImportError struct {
	Offset int
	Reason string
}

func (e *ImportError) Error() string {
	if e.Offset < 0 {
		return e.Reason
	}
	return fmt.Sprintf("%s at byte %d", e.Reason, e.Offset)
}

// MaxHeadingLen is the longest line, in code points, that can be a title or
// heading.
const MaxHeadingLen = 160

// maxHeadingWords is the most words a title or heading may have.
const maxHeadingWords = 25

// FromText imports plain UTF-8 text as a Document.
//
// Input is rejected with an *ImportError giving the byte offset in raw of the
// first invalid UTF-8 sequence or NUL character, or when it has no visible
// text. Then, in this order and recorded in Normalization: a leading byte
// order mark is stripped ("strip-bom"), CRLF ("crlf-to-lf") and lone CR
// ("cr-to-lf") line breaks become LF, and the text is normalized to NFC
// ("nfc"). Whitespace is otherwise kept as imported.
//
// Blocks: every line with visible text is one block whose range leaves out
// the line break and the line's leading and trailing whitespace. A line of at
// most MaxHeadingLen code points and 25 words that has a letter or digit and
// does not end in terminal punctuation (. ! ? … : ; possibly followed by
// closing quotes or brackets) is heading-like. Lines before the first real
// line that read like a table-of-contents artefact ("Table of Contents",
// "Contents", "In this article", "On this page", with or without a colon) are
// not blocks (the text still contains them), unless nothing else is there. The first remaining line is the
// title when it is heading-like; later heading-like lines are headings;
// everything else is a paragraph.
func FromText(raw []byte, opts TextOptions) (*Document, error) {
	if len(raw) > MaxTextLen {
		return nil, &ImportError{Offset: -1, Reason: fmt.Sprintf("text of %d bytes is longer than the limit of %d bytes", len(raw), MaxTextLen)}
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == 0 {
			return nil, &ImportError{Offset: i, Reason: "NUL character"}
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, &ImportError{Offset: i, Reason: "invalid utf-8"}
		}
		i += size
	}
	var steps []string
	if bytes.HasPrefix(raw, []byte("\ufeff")) {
		raw = raw[3:]
		steps = append(steps, NormStripBOM)
	}
	text := string(raw)
	if strings.Contains(text, "\r\n") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		steps = append(steps, NormCRLF)
	}
	if strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r", "\n")
		steps = append(steps, NormCR)
	}
	if !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
		steps = append(steps, NormNFC)
	}
	if allSpace(text) {
		return nil, &ImportError{Offset: -1, Reason: "text is empty or only whitespace"}
	}
	if steps == nil {
		steps = []string{}
	}

	sum := sha256.Sum256([]byte(text))
	d := &Document{
		ID:            opts.ID,
		Title:         opts.Title,
		Source:        opts.Source,
		Text:          text,
		SHA256:        hex.EncodeToString(sum[:]),
		Normalization: steps,
	}
	ix := d.Index()
	d.Lengths = Lengths{
		Bytes:      ix.Len(Bytes),
		UTF16:      ix.Len(UTF16),
		CodePoints: ix.Len(CodePoints),
		Graphemes:  ix.Len(Graphemes),
	}
	d.Blocks = textBlocks(ix, true)
	if len(d.Blocks) == 0 { // nothing but table-of-contents lines: keep them
		d.Blocks = textBlocks(ix, false)
	}
	if d.ID == "" {
		d.ID = "doc-" + d.SHA256[:12]
	}
	if d.Title == "" {
		d.Title = defaultTitle(ix, d.Blocks)
	}
	return d, nil
}

// defaultTitle is the title block's text, or else the start of the first
// block cut at a word boundary.
func defaultTitle(ix *Index, blocks []Block) string {
	for _, b := range blocks {
		if b.Kind == BlockTitle {
			return ix.Slice(b.Range())
		}
	}
	if len(blocks) == 0 {
		return ""
	}
	r := blocks[0].Range()
	if r.Len() <= 80 {
		return ix.Slice(r)
	}
	end := r.Start + 80
	for _, w := range ix.Words() {
		if w.End > r.Start+80 {
			break
		}
		if w.Start >= r.Start {
			end = w.End
		}
	}
	return ix.Slice(Range{r.Start, ix.GraphemeFloor(end)}) + "…"
}

// textBlocks splits the text into line blocks and classifies them, leaving
// out leading table-of-contents lines when dropTOC is set.
func textBlocks(ix *Index, dropTOC bool) []Block {
	text := ix.Text()
	var blocks []Block
	started := false // a block has been emitted (no more TOC artefacts)
	cp := 0
	for len(text) > 0 {
		line := text
		nl := strings.IndexByte(text, '\n')
		if nl >= 0 {
			line, text = text[:nl], text[nl+1:]
		} else {
			text = ""
		}
		n := utf8.RuneCountInString(line)
		r, ok := ix.trimSpace(Range{cp, cp + n})
		cp += n + 1
		if !ok {
			continue
		}
		content := ix.Slice(r)
		if dropTOC && !started && isTOCArtefact(content) {
			continue
		}
		kind := BlockParagraph
		if headingLike(content) {
			kind = BlockHeading
			if !started {
				kind = BlockTitle
			}
		}
		started = true
		blocks = append(blocks, Block{Kind: kind, Start: r.Start, End: r.End})
	}
	return blocks
}

// isTOCArtefact reports whether a line is a table-of-contents marker left
// over from copying a web page.
func isTOCArtefact(line string) bool {
	s := strings.ToLower(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line), ":")))
	switch s {
	case "table of contents", "contents", "in this article", "on this page", "toc":
		return true
	}
	return false
}

// headingLike reports whether a trimmed line reads like a title or heading:
// short, with a letter or digit, and no terminal punctuation at its end.
func headingLike(line string) bool {
	if utf8.RuneCountInString(line) > MaxHeadingLen || len(strings.FieldsFunc(line, isSpace)) > maxHeadingWords {
		return false
	}
	if strings.IndexFunc(line, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return false
	}
	s := strings.TrimRightFunc(line, func(r rune) bool {
		return isSpace(r) || strings.ContainsRune("\"'”’»›)]}", r)
	})
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?…:;。！？", last)
}

// CheckError reports an inconsistent document field. Path names the field as
// in the native format, e.g. "document.blocks[2].end".
type CheckError struct {
	Path   string
	Reason string
}

func (e *CheckError) Error() string { return e.Path + ": " + e.Reason }

// Check verifies a decoded document: it has an id; its text is valid UTF-8
// without NUL or CR and in NFC (as FromText leaves it); the hash matches the
// text; the lengths agree with it; and the blocks have known kinds, are
// non-empty, lie in the text on grapheme cluster boundaries, and are sorted
// and non-overlapping. The error is a *CheckError naming the first bad field.
func (d *Document) Check() error {
	bad := func(path, format string, args ...any) error {
		return &CheckError{Path: "document." + path, Reason: fmt.Sprintf(format, args...)}
	}
	if d.ID == "" {
		return bad("id", "is empty")
	}
	if len(d.Text) > MaxTextLen {
		return bad("text", "has %d bytes, more than the limit of %d", len(d.Text), MaxTextLen)
	}
	if !textChecked(d.Text, d.SHA256) {
		if err := checkText(d); err != nil {
			return err
		}
		rememberText(d.Text, d.SHA256)
	}
	ix := d.Index()
	for _, l := range []struct {
		name string
		got  int
		u    Unit
	}{
		{"bytes", d.Lengths.Bytes, Bytes},
		{"utf16", d.Lengths.UTF16, UTF16},
		{"codepoints", d.Lengths.CodePoints, CodePoints},
		{"graphemes", d.Lengths.Graphemes, Graphemes},
	} {
		if want := ix.Len(l.u); l.got != want {
			return bad("lengths."+l.name, "is %d but the text has %d", l.got, want)
		}
	}
	n := ix.Len(CodePoints)
	prevEnd := 0
	for i, b := range d.Blocks {
		p := "blocks[" + strconv.Itoa(i) + "]."
		switch b.Kind {
		case BlockTitle, BlockHeading, BlockParagraph:
		default:
			return bad(p+"kind", "unknown kind %q (want title, heading or paragraph)", string(b.Kind))
		}
		if b.Start < 0 || b.Start > n {
			return bad(p+"start", "%d is out of range [0, %d]", b.Start, n)
		}
		if b.End < 0 || b.End > n {
			return bad(p+"end", "%d is out of range [0, %d]", b.End, n)
		}
		if b.End <= b.Start {
			return bad(p+"end", "%d is not after start %d", b.End, b.Start)
		}
		if !ix.IsGraphemeBoundary(b.Start) {
			return bad(p+"start", "%d is inside a grapheme cluster %v", b.Start, ix.GraphemeAt(b.Start))
		}
		if !ix.IsGraphemeBoundary(b.End) {
			return bad(p+"end", "%d is inside a grapheme cluster %v", b.End, ix.GraphemeAt(b.End))
		}
		if b.Start < prevEnd {
			return bad(p+"start", "%d is before the end %d of blocks[%d] (blocks must be sorted and not overlap)", b.Start, prevEnd, i-1)
		}
		prevEnd = b.End
	}
	return nil
}

// checkText is the part of Check that reads the whole text: UTF-8, no NUL
// or CR, NFC, and the hash.
func checkText(d *Document) error {
	bad := func(path, format string, args ...any) error {
		return &CheckError{Path: "document." + path, Reason: fmt.Sprintf(format, args...)}
	}
	for i := 0; i < len(d.Text); {
		c := d.Text[i]
		switch {
		case c == 0:
			return bad("text", "has a NUL character at byte %d", i)
		case c == '\r':
			return bad("text", "has a carriage return at byte %d (line breaks must be LF)", i)
		case c < utf8.RuneSelf:
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(d.Text[i:])
		if r == utf8.RuneError && size == 1 {
			return bad("text", "has invalid utf-8 at byte %d", i)
		}
		i += size
	}
	if !norm.NFC.IsNormalString(d.Text) {
		return bad("text", "is not in Unicode normalization form NFC")
	}
	sum := sha256.Sum256([]byte(d.Text))
	if h := hex.EncodeToString(sum[:]); d.SHA256 != h {
		return bad("sha256", "is %q but the text hashes to %q", d.SHA256, h)
	}
	return nil
}

// lastText remembers the last text that passed checkText with its hash:
// Encode checks the document each time it saves, and a text (a string,
// immutable) that passed once passes again. Texts are told apart by where
// their bytes are and how many there are.
var lastText struct {
	sync.Mutex
	data *byte
	n    int
	sha  string
}

func textChecked(text, sha string) bool {
	lastText.Lock()
	defer lastText.Unlock()
	return len(text) > 0 && lastText.data == unsafe.StringData(text) && lastText.n == len(text) && lastText.sha == sha
}

func rememberText(text, sha string) {
	lastText.Lock()
	defer lastText.Unlock()
	lastText.data, lastText.n, lastText.sha = unsafe.StringData(text), len(text), sha
}
