package annotate

import (
	"errors"
	"strings"
	"testing"
)

// FuzzImportFile feeds arbitrary bytes to ImportFile under each article
// file name: it never panics, refuses with an error that names the file,
// and whatever it accepts is a consistent document whose text is valid,
// NFC, NUL-free UTF-8 with LF line ends.
func FuzzImportFile(f *testing.F) {
	f.Add("a.txt", []byte("Kyiv\r\nZelensky said 🇺🇦 aid rose 12%.\r\n"))
	f.Add("a.txt", []byte("\xff\xfeK\x00y\x00i\x00v\x00\n\x00"))
	f.Add("a.txt", []byte("Caf\xe9 au lait co\xfbte 2 \x80.\n"))
	f.Add("a.txt", []byte("bad \xc3\x28 utf-8"))
	f.Add("a.md", []byte("# Title\n\nSome *text* with [a link](javascript:alert(1)).\n\n- item\n"))
	f.Add("a.html", []byte(`<html><head><title>T</title><meta charset="iso-8859-1"></head><body><article><h1>T</h1><p>Caf\xe9 <script>alert(1)</script></p></article></body></html>`))
	f.Add("a.bin", []byte{0, 1, 2, 3})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(name) > 64 {
			name = name[:64]
		}
		d, err := ImportFile(name, data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if d == nil {
			t.Fatal("nil document without an error")
		}
		if err := d.Check(); err != nil {
			t.Fatalf("imported document does not check: %v", err)
		}
		if strings.ContainsAny(d.Text, "\x00\r") {
			t.Fatalf("text keeps NUL or CR: %q", d.Text)
		}
	})
}

// FuzzImportDataset imports arbitrary native JSON Lines datasets: every
// line is a document or a problem naming its line, never a panic, and what
// comes in encodes and decodes back.
func FuzzImportDataset(f *testing.F) {
	doc, err := FromText([]byte("Kyiv 🇺🇦\nZelensky said aid rose 12%.\n"), TextOptions{})
	if err != nil {
		f.Fatal(err)
	}
	st := NewState(doc, DefaultSchema())
	if _, err := st.Apply(Add(Annotation{ID: "a-1", Label: "place", Start: 0, End: 4})); err != nil {
		f.Fatal(err)
	}
	var line strings.Builder
	if err := NewDatasetWriter(&line).Write(st); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(line.String() + line.String()))
	f.Add([]byte(line.String() + "{\"format\":\"factmark/v1\"}\n"))
	f.Add([]byte(strings.Replace(line.String(), `"end":4`, `"end":5`, 1)))
	f.Add([]byte("\n\n[1,2,3]\n"))
	c, ok := LookupCodec("factmark")
	if !ok {
		f.Fatal("no factmark codec")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		states, problems, err := Import(c, []File{{Name: "d.jsonl", Data: data}}, ImportOptions{Lenient: true})
		for _, p := range problems {
			if p.Reason == "" {
				t.Fatalf("problem without a reason: %#v", p)
			}
		}
		if err != nil {
			var pe *ProblemsError
			if err.Error() == "" && !errors.As(err, &pe) {
				t.Fatal("empty error")
			}
		}
		for _, s := range states {
			enc, err := Encode(s)
			if err != nil {
				t.Fatalf("encode of an imported document: %v", err)
			}
			if _, err := Decode(enc); err != nil {
				t.Fatalf("decode of its encoding: %v", err)
			}
		}
	})
}
