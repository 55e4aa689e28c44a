//go:build !factmark_ui

package annotate

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

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
