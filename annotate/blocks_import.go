package annotate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalization steps recorded by the article importers (ImportFile,
// FromHTML, FromMarkdown, FromBlocks), besides those of FromText.
const (
	// NormHTMLReadability: the article body of an HTML page was extracted
	// with readability (go-readability, a port of Firefox's Reader View);
	// scripts, styles, navigation, forms and embedded content were dropped.
	NormHTMLReadability = "html-readability"
	// NormHTMLBody: readability found no article in the HTML page, so the
	// text of its whole body was taken (scripts, styles, navigation, forms
	// and embedded content still dropped).
	NormHTMLBody = "html-body"
	// NormMarkdown: Markdown was parsed (CommonMark with GitHub tables and
	// strikethrough) and its markup stripped to text.
	NormMarkdown = "markdown"
	// NormMarkdownAsText: the Markdown was too complex to parse safely
	// (nested too deeply, or with tens of thousands of brackets or emphasis
	// marks in a paragraph) and was imported as plain text, markup and all.
	NormMarkdownAsText = "markdown-as-plain-text"
	// NormFrontMatter: a YAML front matter block at the start of a
	// Markdown file was left out (its title, if any, became the title).
	NormFrontMatter = "strip-front-matter"
	// NormStripControl: control characters other than tab and line break
	// were removed.
	NormStripControl = "strip-control"
	// NormUTF16LE, NormUTF16BE, NormUTF32LE, NormUTF32BE: the file was
	// UTF-16 or UTF-32 (with a byte order mark, or UTF-16 recognised by its
	// zero bytes) and was converted to UTF-8.
	NormUTF16LE = "utf16le-to-utf8"
	NormUTF16BE = "utf16be-to-utf8"
	NormUTF32LE = "utf32le-to-utf8"
	NormUTF32BE = "utf32be-to-utf8"
	// NormWindows1252: the file was not UTF-8 but single-byte text, read as
	// Windows-1252 (the superset of Latin-1 that browsers use for files
	// labelled Latin-1) and converted to UTF-8.
	NormWindows1252 = "windows-1252-to-utf8"
)

// NormalizationNote describes a normalization step in a sentence for people,
// e.g. "Converted from UTF-16 (little-endian) to UTF-8." Unknown steps (from
// files written by later versions) are named as they are.
func NormalizationNote(step string) string {
	switch step {
	case NormStripBOM:
		return "Removed the byte order mark at the start."
	case NormCRLF:
		return "Converted Windows line breaks (CRLF) to LF."
	case NormCR:
		return "Converted old Mac line breaks (CR) to LF."
	case NormNFC:
		return "Normalized the text to Unicode NFC (composed characters)."
	case NormHTMLReadability:
		return "Extracted the article from the HTML page (readability); scripts, styles, navigation and embedded content were dropped and nothing in the page was run."
	case NormHTMLBody:
		return "Found no article in the HTML page, so took the text of the whole page; scripts, styles and embedded content were dropped and nothing in the page was run."
	case NormMarkdown:
		return "Converted Markdown to text: headings, paragraphs, list items and quotes became blocks, inline markup and links were stripped."
	case NormMarkdownAsText:
		return "The Markdown was too complex to parse safely (nested too deeply, or with tens of thousands of brackets or emphasis marks in one paragraph), so it was imported as plain text, markup and all."
	case NormFrontMatter:
		return "Left out the front matter block at the start of the Markdown file."
	case NormStripControl:
		return "Removed invisible control characters."
	case NormUTF16LE:
		return "Converted from UTF-16 (little-endian) to UTF-8."
	case NormUTF16BE:
		return "Converted from UTF-16 (big-endian) to UTF-8."
	case NormUTF32LE:
		return "Converted from UTF-32 (little-endian) to UTF-8."
	case NormUTF32BE:
		return "Converted from UTF-32 (big-endian) to UTF-8."
	case NormWindows1252:
		return "The file was not UTF-8: read it as Latin-1 (Windows-1252) and converted it to UTF-8. Check accented letters and quotes."
	}
	if name, ok := strings.CutSuffix(step, "-to-utf8"); ok && name != "" {
		return "Converted from the page's declared encoding " + name + " to UTF-8."
	}
	return "Applied \"" + step + "\"."
}

// BlockText is one block of an article before it has offsets: a title,
// heading or paragraph and its text.
type BlockText struct {
	Kind BlockKind
	Text string
}

// FromBlocks builds a Document from the blocks of an article (as found in an
// HTML page or a Markdown file). steps are the normalization steps already
// applied to produce the blocks (e.g. NormHTMLReadability); FromBlocks
// records them first, then its own.
//
// The text is laid out as FromText would read it: one line per block, lines
// separated by "\n", each block's range covering its line without leading
// and trailing whitespace, so FromText on the document's text finds the
// same block ranges. A block's text is cleaned up first: control characters
// other than tab and line break are removed ("strip-control"), CRLF and CR
// become LF ("crlf-to-lf", "cr-to-lf"), and the text is normalized to NFC
// ("nfc"). A title or heading that spans several lines is joined into one
// line; a paragraph with line breaks (a <pre>, a <br>) becomes one paragraph
// per line. Blocks with no visible text are left out. Only the first block
// can be the title; later title blocks become headings.
//
// It returns an *ImportError when a block is not valid UTF-8 or when no block
// has visible text. The ID defaults to "doc-" + the first 12 hex digits of
// the text's SHA-256 and the Title to the title block's text (or the start of
// the first block), as in FromText.
func FromBlocks(blocks []BlockText, opts TextOptions, steps ...string) (*Document, error) {
	var (
		b        strings.Builder
		kinds    []BlockKind
		ctrl     bool
		crlf, cr bool
		nfc      bool
		total    int
	)
	for i, bt := range blocks {
		if !utf8.ValidString(bt.Text) {
			off := 0
			for off < len(bt.Text) {
				r, size := utf8.DecodeRuneInString(bt.Text[off:])
				if r == utf8.RuneError && size == 1 {
					break
				}
				off += size
			}
			return nil, &ImportError{Offset: -1, Reason: fmt.Sprintf("block %d: invalid utf-8 at byte %d of its text", i, off)}
		}
		total += len(bt.Text) + 1
		if total > MaxTextLen {
			return nil, &ImportError{Offset: -1, Reason: fmt.Sprintf("text of more than %d bytes is longer than the limit of %d bytes", total, MaxTextLen)}
		}
		t := bt.Text
		if strings.Contains(t, "\r\n") {
			t = strings.ReplaceAll(t, "\r\n", "\n")
			crlf = true
		}
		if strings.Contains(t, "\r") {
			t = strings.ReplaceAll(t, "\r", "\n")
			cr = true
		}
		if c, changed := stripControl(t); changed {
			t, ctrl = c, true
		}
		if !norm.NFC.IsNormalString(t) {
			t = norm.NFC.String(t)
			nfc = true
		}
		kind := bt.Kind
		switch kind {
		case BlockTitle, BlockHeading:
			if strings.Contains(t, "\n") {
				t = strings.Join(strings.FieldsFunc(t, func(r rune) bool { return r == '\n' }), " ")
			}
		case BlockParagraph:
		default:
			return nil, &ImportError{Offset: -1, Reason: fmt.Sprintf("block %d: unknown kind %q (want title, heading or paragraph)", i, string(kind))}
		}
		for _, line := range strings.Split(t, "\n") {
			line = strings.TrimFunc(line, isSpace)
			if line == "" {
				continue
			}
			k := kind
			if k == BlockTitle && len(kinds) > 0 {
				k = BlockHeading
			}
			if len(kinds) > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(line)
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return nil, &ImportError{Offset: -1, Reason: errNoText}
	}
	text := b.String()
	// NFC is closed under concatenation at "\n", but a block that starts
	// with a combining mark could in principle interact with trimming; make
	// sure the whole text is normal.
	if !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
		nfc = true
	}
	all := append([]string{}, steps...)
	if ctrl {
		all = append(all, NormStripControl)
	}
	if crlf {
		all = append(all, NormCRLF)
	}
	if cr {
		all = append(all, NormCR)
	}
	if nfc {
		all = append(all, NormNFC)
	}
	sum := sha256.Sum256([]byte(text))
	d := &Document{
		ID:            opts.ID,
		Title:         opts.Title,
		Source:        opts.Source,
		Text:          text,
		SHA256:        hex.EncodeToString(sum[:]),
		Normalization: all,
	}
	ix := d.Index()
	d.Lengths = Lengths{
		Bytes:      ix.Len(Bytes),
		UTF16:      ix.Len(UTF16),
		CodePoints: ix.Len(CodePoints),
		Graphemes:  ix.Len(Graphemes),
	}
	// Block ranges: one per line, as laid out above (every line is
	// non-empty and trimmed).
	d.Blocks = make([]Block, 0, len(kinds))
	cp := 0
	for i, l := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(l)
		d.Blocks = append(d.Blocks, Block{Kind: kinds[i], Start: cp, End: cp + n})
		cp += n + 1
	}
	if d.ID == "" {
		d.ID = "doc-" + d.SHA256[:12]
	}
	if d.Title == "" {
		d.Title = defaultTitle(ix, d.Blocks)
	}
	return d, nil
}

// errNoText is the reason FromBlocks gives when no block has visible text.
const errNoText = "no text to annotate was found"

// firstNonBlank returns the first of s that is not empty after trimming.
func firstNonBlank(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// stripControl removes C0 and C1 control characters other than tab and line
// feed (and CR, which the caller turns into line feeds), and reports whether
// it removed any.
func stripControl(s string) (string, bool) {
	isCtrl := func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r < 0xa0)
	}
	if strings.IndexFunc(s, isCtrl) < 0 {
		return s, false
	}
	return strings.Map(func(r rune) rune {
		if isCtrl(r) {
			return -1
		}
		return r
	}, s), true
}
