package annotate

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestEncodingReader(t *testing.T) {
	text := `{"text": "Müller said 🇺🇦 aid rose 12%.", "label": [[0, 6, "PER"]]}` + "\n"
	long := strings.Repeat("Zürich 🦊 Kyiv — naïve café. ", 5000)
	for _, c := range []struct {
		name, in, want, notice string
		errAt                  int // byte offset of the error; -1: none
	}{
		{"utf-8", text, text, "", -1},
		{"utf-8 with a BOM", "\xef\xbb\xbf" + text, text, "", -1},
		{"utf-16le with a BOM", string(utf16LE(text, true)), text, NormalizationNote(NormUTF16LE), -1},
		{"long utf-8", long, long, "", -1},
		{"latin-1", "{\"text\": \"Caf\xe9\"}", "", "", 13},
		{"nul", "{\"text\": \"a\x00\"}", "", "", 11},
		{"cut at the end", "abc\xe2\x82", "", "", 3},
		{"latin-1 after a BOM", "\xef\xbb\xbfab\xff", "", "", 5},
	} {
		for _, wrap := range []struct {
			name string
			f    func(io.Reader) io.Reader
		}{{"whole", func(r io.Reader) io.Reader { return r }}, {"one byte", iotest.OneByteReader}, {"half", iotest.HalfReader}} {
			r, notice, err := EncodingReader("d.jsonl", wrap.f(strings.NewReader(c.in)))
			if err != nil {
				t.Fatalf("%s/%s: %v", c.name, wrap.name, err)
			}
			if notice != c.notice {
				t.Errorf("%s/%s: notice %q, want %q", c.name, wrap.name, notice, c.notice)
			}
			got, err := io.ReadAll(r)
			if c.errAt < 0 {
				if err != nil || string(got) != c.want {
					t.Errorf("%s/%s: %d bytes, %v; want the text", c.name, wrap.name, len(got), err)
				}
				continue
			}
			var ie *ImportError
			if !errors.As(err, &ie) || ie.Offset != c.errAt || !strings.Contains(err.Error(), "d.jsonl: the file is not UTF-8") {
				t.Errorf("%s/%s: error %v, want an *ImportError at byte %d naming the file", c.name, wrap.name, err, c.errAt)
			}
			if !bytes.HasPrefix([]byte(strings.TrimPrefix(c.in, "\xef\xbb\xbf")), got) {
				t.Errorf("%s/%s: passed on %q, not a prefix of the input", c.name, wrap.name, got)
			}
		}
	}
}

// TestImportEncodings: an annotation file saved as UTF-16 imports with a
// notice and the same spans; one in Latin-1 is refused at its first
// non-UTF-8 byte instead of having its text silently changed.
func TestImportEncodings(t *testing.T) {
	c, _ := LookupCodec("doccano")
	line := `{"text": "Kyiv is big 🇺🇦", "label": [[0, 4, "LOC"]]}` + "\n"
	d, err := DetectCodec("export.jsonl", utf16LE(line, true))
	if err != nil || d.ID != "doccano" {
		t.Fatalf("DetectCodec of UTF-16 doccano: %v, %v", d, err)
	}
	states, problems, err := Import(c, []File{{Name: "export.jsonl", Data: utf16LE(line, true)}}, ImportOptions{})
	if err != nil || len(states) != 1 || states[0].Len() != 1 {
		t.Fatalf("UTF-16 doccano: %v, %d documents", err, len(states))
	}
	if len(problems) != 1 || problems[0].Fatal || !strings.Contains(problems[0].Reason, "UTF-16") {
		t.Errorf("UTF-16 doccano: notices %v, want one saying it was converted", problems)
	}
	_, _, err = Import(c, []File{{Name: "latin.jsonl", Data: []byte("{\"text\": \"Caf\xe9 in Kyiv\", \"label\": [[8, 12, \"LOC\"]]}\n")}}, ImportOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Offset != 13 {
		t.Errorf("Latin-1 doccano: %v, want an *ImportError at byte 13", err)
	}
}

// TestImportBratZipEncodings: a zip's entries get the same guard as single
// files: a UTF-16 entry is converted and noted, a Latin-1 one rejects its
// document (naming the entry and the byte) while the others import.
func TestImportBratZipEncodings(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	add("set/good.txt", []byte("Kyiv is big.\n"))
	add("set/good.ann", []byte("T1\tPlace 0 4\tKyiv\n"))
	add("set/wide.txt", utf16LE("Lviv is old.\n", true))
	add("set/wide.ann", []byte("T1\tPlace 0 4\tLviv\n"))
	add("set/latin.txt", []byte("Caf\xe9 in Kyiv.\n"))
	add("set/latin.ann", []byte("T1\tPlace 8 12\tKyiv\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	c, _ := LookupCodec("brat")
	files := []File{{Name: "set.zip", Data: buf.Bytes()}}
	// The Latin-1 document is stopped (whatever the leniency: its text is
	// unreadable); the decoder goes on with the others.
	states, problems, err := Import(c, files, ImportOptions{Lenient: true})
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Errorf("import: %v, want a *ProblemsError for the Latin-1 document", err)
	}
	var got []string
	for _, s := range states {
		for _, a := range s.Annotations() {
			got = append(got, s.Doc.ID+":"+s.Doc.Index().Slice(a.Range()))
		}
	}
	if want := []string{"good:Kyiv", "wide:Lviv"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("imported %q, want %q", got, want)
	}
	var text []string
	for _, p := range problems {
		text = append(text, fmt.Sprintf("%s: %s (fatal %v)", p.File, p.Reason, p.Fatal))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{
		"set.zip:set/latin.txt: the file is not UTF-8 (Latin-1 or Windows-1252 text? save it as UTF-8): byte 0xe9 at byte 3 (fatal true)",
		"set/wide.txt: " + NormalizationNote(NormUTF16LE),
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}
