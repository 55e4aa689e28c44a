package annotate

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// Annotation files (JSON, JSON Lines, brat standoff) must be UTF-8. Tools on
// Windows sometimes save them as UTF-16 with a byte order mark, and older
// ones as Latin-1; encoding/json would turn the first into a syntax error at
// an odd character and the second, silently, into U+FFFD replacement
// characters, changing the text the offsets point into. EncodingReader puts
// itself in front of every import: UTF-16 and UTF-32 with a byte order mark
// are converted (with a notice), a UTF-8 byte order mark is dropped, and
// anything else that is not UTF-8 is refused at its byte offset.

// EncodingReader returns a reader of r's content as UTF-8 for the file
// called name. A UTF-16 or UTF-32 file with a byte order mark is read whole
// and converted, and notice says so (without the file name); otherwise the content streams through
// a check that fails the read at the first byte that is not UTF-8, with an
// error that names the file, the byte offset and the remedy (wrapping an
// *ImportError).
func EncodingReader(name string, r io.Reader) (out io.Reader, notice string, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return br, "", nil // a zip archive (brat): its entries are the format's business
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
		return &utf8Checker{name: displayName(name), r: br, off: 3}, "", nil
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}), bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0, 0, 0xfe, 0xff}):
		raw, err := io.ReadAll(br)
		if err != nil {
			return nil, "", err
		}
		text, step, err := decodeBOM(raw)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", displayName(name), err)
		}
		return bytes.NewReader(text), NormalizationNote(step), nil
	}
	return &utf8Checker{name: displayName(name), r: br}, "", nil
}

// utf8Checker passes r through and fails at the first byte that does not
// belong to valid UTF-8 (or is NUL).
type utf8Checker struct {
	name    string
	r       io.Reader
	off     int    // bytes of the file checked so far
	buf     []byte // read buffer: carry (a sequence cut by the last read) + new bytes
	pending []byte // checked bytes not yet delivered
	pendBuf []byte // pending's storage
	err     error  // the error after pending is delivered
}

func (c *utf8Checker) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.fill()
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// fill reads and checks the next piece of the input into pending, or sets
// err.
func (c *utf8Checker) fill() {
	if c.buf == nil {
		c.buf = make([]byte, 0, 32<<10)
	}
	carry := len(c.buf)
	n, err := c.r.Read(c.buf[carry:cap(c.buf)])
	data := c.buf[:carry+n]
	i := 0
	for i < len(data) {
		b := data[i]
		if b < utf8.RuneSelf {
			if b == 0 {
				c.err = c.bad(c.off+i, "a NUL byte")
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if err == nil && !utf8.FullRune(data[i:]) {
				break // a sequence cut by this read: wait for the rest
			}
			c.err = c.bad(c.off+i, fmt.Sprintf("byte 0x%02x", b))
			break
		}
		i += size
	}
	c.pendBuf = append(c.pendBuf[:0], data[:i]...)
	c.pending = c.pendBuf
	c.off += i
	if c.err == nil {
		c.buf = append(c.buf[:0], data[i:]...)
		if err != nil {
			if err == io.EOF && len(c.buf) > 0 {
				c.err = c.bad(c.off, fmt.Sprintf("byte 0x%02x", c.buf[0]))
			} else {
				c.err = err
			}
		}
	}
}

func (c *utf8Checker) bad(off int, what string) error {
	return fmt.Errorf("%s: %w", c.name, &ImportError{Offset: off, Reason: fmt.Sprintf(
		"the file is not UTF-8 (Latin-1 or Windows-1252 text? save it as UTF-8): %s", what)})
}
