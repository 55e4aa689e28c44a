//go:build !factmark_ui

package annotate

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// MaxImportSize is the largest article file ImportFile accepts, in bytes
// (20 MiB: several hundred times a long news article).
const MaxImportSize = 20 << 20

// ArticleFormat is the format of an article file: what ImportFile reads.
type ArticleFormat string

// Article formats.
const (
	ArticleText     ArticleFormat = "text"
	ArticleMarkdown ArticleFormat = "markdown"
	ArticleHTML     ArticleFormat = "html"
)

// articleExts maps file name extensions to article formats.
var articleExts = map[string]ArticleFormat{
	".txt": ArticleText, ".text": ArticleText,
	".md": ArticleMarkdown, ".markdown": ArticleMarkdown, ".mdown": ArticleMarkdown, ".mkd": ArticleMarkdown, ".mkdn": ArticleMarkdown,
	".html": ArticleHTML, ".htm": ArticleHTML, ".xhtml": ArticleHTML, ".shtml": ArticleHTML,
}

// CheckImportSize reports an *ImportError when a file of size bytes is too
// large to import as an article (more than MaxImportSize). Call it before
// reading a file (the browser's File.size, os.Stat); ImportFile checks again.
func CheckImportSize(name string, size int64) error {
	if size > MaxImportSize {
		return fmt.Errorf("%s: %w", displayFile(name), &ImportError{Offset: -1, Reason: fmt.Sprintf(
			"the file is %s, more than the limit of %s for an article", humanBytes(size), humanBytes(MaxImportSize))})
	}
	return nil
}

// humanBytes formats a size for people: "20 MB", "25.3 MB", "512 bytes".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		s := fmt.Sprintf("%.1f", float64(n)/(1<<20))
		return strings.TrimSuffix(s, ".0") + " MB"
	case n >= 1<<10:
		s := fmt.Sprintf("%.1f", float64(n)/(1<<10))
		return strings.TrimSuffix(s, ".0") + " KB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func displayFile(name string) string {
	if name == "" || name == "-" {
		return "pasted text"
	}
	return baseName(name)
}

// baseName is the last element of a slash or backslash separated path.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// DetectArticleFormat tells the format of an article file from its name and
// its first bytes: by extension (.txt/.text, .md/.markdown/.mdown/.mkd/.mkdn,
// .html/.htm/.xhtml/.shtml), else HTML when the content starts (after a byte
// order mark and whitespace) with an HTML doctype, comment or one of the
// tags <html>, <head>, <body>, <meta>, <title>, <article>, <div>, <p>,
// else plain text. A file whose extension belongs to an annotation format of
// the registry (.json, .jsonl, .ann, .conll.txt, a .zip...) is refused with
// an error saying so (and to import it as annotations, if the format can be
// imported).
func DetectArticleFormat(name string, head []byte) (ArticleFormat, error) {
	lower := strings.ToLower(baseName(name))
	ext := path.Ext(lower)
	art, isArticle := articleExts[ext]
	for _, c := range Codecs() {
		for _, e := range c.Extensions {
			e = strings.ToLower(e)
			if strings.HasSuffix(lower, e) && (!isArticle || len(e) > len(ext)) {
				if c.CanImport() {
					return "", fmt.Errorf("%s: this is an annotation file (%s), not an article: import it as annotations", displayFile(name), c.Name)
				}
				return "", fmt.Errorf("%s: this is an annotation file (%s), not an article", displayFile(name), c.Name)
			}
		}
	}
	if isArticle {
		return art, nil
	}
	if looksLikeHTML(head) {
		return ArticleHTML, nil
	}
	return ArticleText, nil
}

// looksLikeHTML reports whether data starts like an HTML document.
func looksLikeHTML(data []byte) bool {
	if len(data) > 1024 {
		data = data[:1024]
	}
	if text, _, err := decodeBOM(data); err == nil && text != nil {
		data = text
	}
	data = bytes.TrimLeft(data, " \t\r\n\f\ufeff")
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.TrimLeft(data, " \t\r\n\f")
	lower := bytes.ToLower(data)
	for _, p := range []string{"<!doctype html", "<!--", "<html", "<head", "<body", "<meta", "<title", "<article", "<div", "<p>", "<p "} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	return false
}

// ImportFile imports an article file (plain text, Markdown or HTML; see
// DetectArticleFormat) as a Document whose Source is the file's base name
// (or the URL an HTML page names as its own).
//
// A file larger than MaxImportSize is refused before anything else. The
// encoding is detected and, where it is not UTF-8, converted with a notice
// in Normalization (see NormalizationNote): UTF-16 and UTF-32 with a byte
// order mark, UTF-16 without one (recognised by its zero bytes), the
// charset an HTML page declares, and single-byte text (Latin-1, read as
// Windows-1252). Text that is neither valid UTF-8 nor single-byte text (a
// file that mixes encodings, a binary file) and NUL characters are refused
// with the byte offset of the first bad byte. Then FromText, FromMarkdown
// or FromHTML does the rest.
//
// Errors name the file ("notes.txt: invalid utf-8 at byte 12") and wrap an
// *ImportError where the problem is the content.
func ImportFile(name string, data []byte) (*Document, error) {
	if err := CheckImportSize(name, int64(len(data))); err != nil {
		return nil, err
	}
	f, err := DetectArticleFormat(name, data)
	if err != nil {
		return nil, err
	}
	opts := TextOptions{}
	if name != "" && name != "-" {
		opts.Source = baseName(name)
	}
	var d *Document
	switch f {
	case ArticleMarkdown:
		d, err = FromMarkdown(data, opts)
	case ArticleHTML:
		d, err = FromHTML(data, opts)
	default:
		d, err = fromTextFile(data, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayFile(name), err)
	}
	return d, nil
}

// fromTextFile is FromText after encoding detection.
func fromTextFile(raw []byte, opts TextOptions) (*Document, error) {
	text, steps, err := decodeArticle(raw, ArticleText)
	if err != nil {
		return nil, err
	}
	d, err := FromText([]byte(text), opts)
	if err != nil {
		return nil, err
	}
	if len(steps) > 0 {
		d.Normalization = append(steps, d.Normalization...)
	}
	return d, nil
}

// decodeArticle returns raw as UTF-8 text and the conversion steps applied.
// For plain text a UTF-8 byte order mark is kept (FromText strips and
// records it); for Markdown and HTML it is stripped here and recorded.
func decodeArticle(raw []byte, f ArticleFormat) (string, []string, error) {
	if text, step, err := decodeBOM(raw); err != nil {
		return "", nil, err
	} else if text != nil {
		return string(text), []string{step}, nil
	}
	if le, be := looksUTF16(raw); le || be {
		text, err := decodeUTF16(raw, be, 0)
		if err != nil {
			return "", nil, err
		}
		if be {
			return string(text), []string{NormUTF16BE}, nil
		}
		return string(text), []string{NormUTF16LE}, nil
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return "", nil, &ImportError{Offset: i, Reason: "NUL character"}
	}
	var steps []string
	if f != ArticleText && bytes.HasPrefix(raw, []byte("\ufeff")) {
		raw = raw[3:]
		steps = append(steps, NormStripBOM)
	}
	if utf8.Valid(raw) {
		return string(raw), steps, nil
	}
	if f == ArticleHTML {
		if enc, name, _ := charset.DetermineEncoding(raw, ""); enc != nil && declaresCharset(raw) &&
			name != "utf-8" && !strings.HasPrefix(name, "utf-16") && name != "replacement" && name != "x-user-defined" {
			out, err := enc.NewDecoder().Bytes(raw)
			if err == nil && utf8.Valid(out) {
				step := NormWindows1252
				if name != "windows-1252" {
					step = stepName(name) + "-to-utf8"
				}
				return string(out), append(steps, step), nil
			}
		}
	}
	bad, single := singleByteText(raw)
	if !single {
		return "", nil, &ImportError{Offset: bad, Reason: "invalid utf-8"}
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", nil, &ImportError{Offset: bad, Reason: "invalid utf-8"}
	}
	return string(out), append(steps, NormWindows1252), nil
}

// declaresCharset reports whether the start of an HTML page has a charset
// declaration (which charset.DetermineEncoding then found).
func declaresCharset(raw []byte) bool {
	if len(raw) > 1024 {
		raw = raw[:1024]
	}
	return bytes.Contains(bytes.ToLower(raw), []byte("charset"))
}

// stepName makes an encoding name usable in a normalization step: lowercase
// letters, digits and "-".
func stepName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// singleByteText reports whether raw (which is not valid UTF-8) reads as
// single-byte text: none of its bytes above 0x7F form a valid UTF-8
// sequence, none is undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90,
// 0x9D), and it has no control characters other than tab, line breaks and
// form feed. bad is the offset of the first invalid UTF-8 byte.
func singleByteText(raw []byte) (bad int, single bool) {
	bad = -1
	multi := false
	single = true
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
				single = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			if bad < 0 {
				bad = i
			}
			switch c {
			case 0x81, 0x8d, 0x8f, 0x90, 0x9d:
				single = false
			}
			i++
			continue
		}
		multi = true
		i += size
	}
	return bad, single && !multi && bad >= 0
}

// decodeBOM converts UTF-16 and UTF-32 text that starts with a byte order
// mark (leaving the mark out). It returns nil text when raw has no such mark.
func decodeBOM(raw []byte) (text []byte, step string, err error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0, 0, 0xfe, 0xff}):
		text, err = decodeUTF32(raw, true)
		return text, NormUTF32BE, err
	case bytes.HasPrefix(raw, []byte{0xff, 0xfe, 0, 0}):
		text, err = decodeUTF32(raw, false)
		return text, NormUTF32LE, err
	case bytes.HasPrefix(raw, []byte{0xfe, 0xff}):
		text, err = decodeUTF16(raw, true, 2)
		return text, NormUTF16BE, err
	case bytes.HasPrefix(raw, []byte{0xff, 0xfe}):
		text, err = decodeUTF16(raw, false, 2)
		return text, NormUTF16LE, err
	}
	return nil, "", nil
}

// looksUTF16 recognises UTF-16 without a byte order mark by its zero bytes:
// in mostly-Latin text every other byte is zero, which UTF-8 text never has.
// It needs 16 bytes at least, and no U+0000.
func looksUTF16(raw []byte) (le, be bool) {
	n := len(raw)
	if n > 4096 {
		n = 4096
	}
	n &^= 1
	if n < 16 {
		return false, false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if raw[i] == 0 && raw[i+1] == 0 {
			return false, false // U+0000: not text in any case
		}
		if raw[i] == 0 {
			even++
		}
		if raw[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*3 && even*50 <= pairs:
		return true, false
	case even*10 >= pairs*3 && odd*50 <= pairs:
		return false, true
	}
	return false, false
}

// decodeUTF16 converts UTF-16 text from byte offset start to UTF-8. Errors
// give the byte offset in raw.
func decodeUTF16(raw []byte, be bool, start int) ([]byte, error) {
	if (len(raw)-start)%2 != 0 {
		return nil, &ImportError{Offset: len(raw) - 1, Reason: "UTF-16 text ends in the middle of a character (odd number of bytes)"}
	}
	unit := func(i int) uint16 {
		if be {
			return uint16(raw[i])<<8 | uint16(raw[i+1])
		}
		return uint16(raw[i+1])<<8 | uint16(raw[i])
	}
	out := make([]byte, 0, len(raw)-start)
	for i := start; i < len(raw); i += 2 {
		u := unit(i)
		r := rune(u)
		switch {
		case u == 0:
			return nil, &ImportError{Offset: i, Reason: "NUL character in UTF-16 text"}
		case utf16.IsSurrogate(r):
			if u >= 0xdc00 || i+3 >= len(raw) {
				return nil, &ImportError{Offset: i, Reason: "unpaired UTF-16 surrogate"}
			}
			r = utf16.DecodeRune(r, rune(unit(i+2)))
			if r == utf8.RuneError {
				return nil, &ImportError{Offset: i, Reason: "unpaired UTF-16 surrogate"}
			}
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// decodeUTF32 converts UTF-32 text after its byte order mark to UTF-8.
func decodeUTF32(raw []byte, be bool) ([]byte, error) {
	if len(raw)%4 != 0 {
		return nil, &ImportError{Offset: len(raw) - len(raw)%4, Reason: "UTF-32 text ends in the middle of a character"}
	}
	out := make([]byte, 0, len(raw))
	for i := 4; i < len(raw); i += 4 {
		var u uint32
		if be {
			u = uint32(raw[i])<<24 | uint32(raw[i+1])<<16 | uint32(raw[i+2])<<8 | uint32(raw[i+3])
		} else {
			u = uint32(raw[i+3])<<24 | uint32(raw[i+2])<<16 | uint32(raw[i+1])<<8 | uint32(raw[i])
		}
		switch {
		case u == 0:
			return nil, &ImportError{Offset: i, Reason: "NUL character in UTF-32 text"}
		case u > utf8.MaxRune || utf16.IsSurrogate(rune(u)):
			return nil, &ImportError{Offset: i, Reason: fmt.Sprintf("invalid UTF-32 code point 0x%X", u)}
		}
		out = utf8.AppendRune(out, rune(u))
	}
	return out, nil
}
