package annotate

// What the UI's wasm (built with the factmark_ui tag, see import_common.go)
// keeps of article import: the size limit, format detection and the BOM
// decoders, which need no HTML, Markdown or encoding package.

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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
	for _, c := range codecInfos() {
		for _, e := range c.Extensions {
			e = strings.ToLower(e)
			if strings.HasSuffix(lower, e) && (!isArticle || len(e) > len(ext)) {
				if c.Imports {
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
