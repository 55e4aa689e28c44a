package annotate

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fastSeedStates are states on the Unicode corpus (testdata/unicode) with a
// span of each label in each block (the first grapheme clusters), one of
// them a claim with every field of a claim record set, notes with escapes.
func fastSeedStates(tb testing.TB) map[string]*State {
	tb.Helper()
	out := map[string]*State{"model": modelState(tb)}
	files, err := filepath.Glob(filepath.Join("testdata", "unicode", "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no Unicode corpus: %v", err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		d, err := FromText(raw, TextOptions{Source: filepath.Base(file)})
		if err != nil {
			tb.Fatal(err)
		}
		s := NewState(d, DefaultSchema())
		ix := d.Index()
		n := 0
		for bi, b := range d.Blocks {
			for k, label := range []string{"person", "place", "figure", "claim"} {
				end := ix.GraphemeFloor(min(b.End, b.Start+3+k*5))
				if end <= b.Start {
					end = b.End
				}
				a := Annotation{ID: nativeID(n), Label: label, Start: b.Start, End: end,
					Created: nativeTime(n), Modified: nativeTime(n + 1), Note: "note \"" + strconv.Itoa(n) + "\"\n\t\u2028é"}
				if label == "claim" {
					a.Claim = &Claim{Verdict: "false", Text: "restated " + strconv.Itoa(bi), Claimant: Claimant{SpanID: nativeID(n - 3)},
						Date: "2025-11-20", CheckWorthy: modelBool(bi%2 == 0), Rationale: "why\nbecause",
						Evidence:  []Evidence{{URL: "https://example.com/e?q=1&r=\"2\"", Quote: "q", Stance: "refutes", Accessed: "2025-11-24"}},
						ReviewURL: "https://example.com/review"}
					if bi%3 == 1 {
						a.Claim = &Claim{Claimant: Claimant{Name: "Zoë"}}
					}
				}
				if _, err := s.Apply(Add(a)); err != nil {
					continue // e.g. the same range and label twice in a short block
				}
				n++
			}
		}
		out[filepath.Base(file)] = s
	}
	return out
}

// fastSeedInputs are the seeds of FuzzDecodeFastPath: the committed corpus
// of FuzzDecode and the golden native files, and the Unicode states encoded
// indented and compact.
func fastSeedInputs(tb testing.TB) map[string][]byte {
	tb.Helper()
	seeds := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzDecode", "*"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		lit, ok := strings.CutPrefix(string(raw), "go test fuzz v1\n[]byte(")
		lit, ok2 := strings.CutSuffix(strings.TrimSpace(lit), ")")
		v, err := strconv.Unquote(lit)
		if !ok || !ok2 || err != nil {
			tb.Fatalf("%s: not a []byte corpus entry (%v)", file, err)
		}
		seeds["corpus-"+filepath.Base(file)] = []byte(v)
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "native", "*.json"))
	for _, file := range golden {
		raw, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		seeds["golden-"+filepath.Base(file)] = raw
	}
	for name, s := range fastSeedStates(tb) {
		seeds[name] = mustEncode(tb, s)
		c, err := encodeCompact(s)
		if err != nil {
			tb.Fatal(err)
		}
		seeds[name+"-compact"] = c
		seeds[name+"-escaped"] = escapeAll(c)
	}
	return seeds
}

// checkSameState fails unless fast and full are the same state: document,
// schema, revision, every annotation (claims included, times to the
// location), the counts, and the same Encode and encodeCompact bytes.
func checkSameState(t *testing.T, fast, full *State) {
	t.Helper()
	if !cmp.Equal(full.Doc, fast.Doc, cmpopts.IgnoreUnexported(Document{})) {
		t.Fatalf("documents differ (-full +fast):\n%s", cmp.Diff(full.Doc, fast.Doc, cmpopts.IgnoreUnexported(Document{})))
	}
	if !cmp.Equal(full.Schema, fast.Schema) {
		t.Fatalf("schemas differ (-full +fast):\n%s", cmp.Diff(full.Schema, fast.Schema))
	}
	if fast.Revision != full.Revision || fast.Len() != full.Len() {
		t.Fatalf("revision %d, %d annotations; full decoder: %d, %d", fast.Revision, fast.Len(), full.Revision, full.Len())
	}
	fa, wa := fast.Annotations(), full.Annotations()
	if !cmp.Equal(wa, fa) {
		t.Fatalf("annotations differ (-full +fast):\n%s", cmp.Diff(wa, fa))
	}
	for i := range fa {
		if fa[i].Created != wa[i].Created || fa[i].Modified != wa[i].Modified {
			t.Fatalf("annotation %d: times %#v %#v, full decoder %#v %#v", i, fa[i].Created, fa[i].Modified, wa[i].Created, wa[i].Modified)
		}
	}
	if d := cmp.Diff(full.perLabel, fast.perLabel, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("label counts differ:\n%s", d)
	}
	if d := cmp.Diff(full.claimants, fast.claimants, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("claimant counts differ:\n%s", d)
	}
	ef, err1 := Encode(fast)
	ew, err2 := Encode(full)
	if err1 != nil || err2 != nil || !bytes.Equal(ef, ew) {
		t.Fatalf("encodings differ (%v, %v):\n%s", err1, err2, firstDiff(ew, ef))
	}
	cf, err1 := encodeCompact(fast)
	cw, err2 := encodeCompact(full)
	if err1 != nil || err2 != nil || !bytes.Equal(cf, cw) {
		t.Fatalf("compact encodings differ (%v, %v)", err1, err2)
	}
}

// FuzzDecodeFastPath checks the fast path of Decode against the full
// decoder: whenever the fast path returns a state, the full decoder returns
// the same state (checkSameState), and Decode's error is always the full
// decoder's.
func FuzzDecodeFastPath(f *testing.F) {
	for _, data := range fastSeedInputs(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		full, err := decodeTree(data)
		fast, ok := decodeFast(data)
		if !ok {
			_, derr := Decode(data)
			if (err == nil) != (derr == nil) || err != nil && err.Error() != derr.Error() {
				t.Fatalf("Decode error %v, full decoder %v", derr, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("the fast path accepted what the full decoder refuses: %v", err)
		}
		checkSameState(t, fast, full)
	})
}

// TestDecodeFastPathTaken checks that Encode's output, indented and compact
// (and a dataset's lines), takes the fast path, and gives the full decoder's
// state.
func TestDecodeFastPathTaken(t *testing.T) {
	states := fastSeedStates(t)
	states["bench"] = benchState(t)
	states["empty"] = NewState(modelDoc(t, modelText), DefaultSchema())
	for name, s := range states {
		for _, compact := range []bool{false, true} {
			data := mustEncode(t, s)
			if compact {
				var err error
				if data, err = encodeCompact(s); err != nil {
					t.Fatal(err)
				}
			}
			before := nativeFastDecodes.Load()
			got, err := Decode(data)
			if err != nil {
				t.Fatalf("%s (compact %v): %v", name, compact, err)
			}
			if nativeFastDecodes.Load() == before {
				t.Errorf("%s (compact %v): Decode did not take the fast path", name, compact)
			}
			fast, ok := decodeFast(data)
			if !ok {
				t.Fatalf("%s (compact %v): the fast path gave up on Encode's output", name, compact)
			}
			full, err := decodeTree(data)
			if err != nil {
				t.Fatal(err)
			}
			checkSameState(t, fast, full)
			checkSameState(t, got, full)
		}
	}
	var ds bytes.Buffer
	w := NewDatasetWriter(&ds)
	for _, s := range []*State{states["model"], states["emoji.txt"]} {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	for i, line := range bytes.Split(bytes.TrimSpace(ds.Bytes()), []byte("\n")) {
		if _, ok := decodeFast(line); !ok {
			t.Errorf("dataset line %d: the fast path gave up", i+1)
		}
	}
}

// escapeAll rewrites the JSON data with every non-ASCII character and every
// "/" inside strings escaped (\uXXXX, surrogate pairs above U+FFFF, \/):
// the same values, spelled as Encode never spells them.
func escapeAll(data []byte) []byte {
	var out []byte
	in := false
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case !in:
			in = c == '"'
		case c == '\\':
			out = append(out, data[i:i+2]...)
			i += 2
			continue
		case c == '"':
			in = false
		case c == '/':
			out = append(out, '\\', '/')
			i++
			continue
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(data[i:])
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				out = fmt.Appendf(out, "\\u%04x\\u%04X", r1, r2)
			} else {
				out = fmt.Appendf(out, "\\u%04X", r)
			}
			i += size
			continue
		}
		out = append(out, c)
		i++
	}
	return out
}

// TestDecodeFastPathEscapes checks that strings with escapes of every kind
// (in the text, ids, labels, quotes, notes, claims, times) take the fast
// path and read as the full decoder reads them.
func TestDecodeFastPathEscapes(t *testing.T) {
	for name, data := range map[string][]byte{
		"model":    mustEncode(t, modelState(t)),
		"emoji":    mustEncode(t, fastSeedStates(t)["emoji.txt"]),
		"keys":     []byte(strings.ReplaceAll(string(mustEncode(t, modelState(t))), `"person"`, `"p\u0065rson"`)),
		"compact":  escapeAll(mustCompact(t, fastSeedStates(t)["mixed.txt"])),
		"nfd-time": []byte(strings.ReplaceAll(string(escapeAll(mustEncode(t, fastSeedStates(t)["nfd.txt"]))), `"2025-`, `"\u0032025-`)),
	} {
		data = escapeAll(data)
		if !bytes.Contains(data, []byte(`\u`)) {
			t.Fatalf("%s: nothing escaped", name)
		}
		fast, ok := decodeFast(data)
		full, err := decodeTree(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !ok {
			t.Fatalf("%s: the fast path gave up", name)
		}
		checkSameState(t, fast, full)
	}
}

func mustCompact(t testing.TB, s *State) []byte {
	t.Helper()
	b, err := encodeCompact(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeFastPathFallback checks that input the fast path does not take
// gets the full decoder: the same error, word for word, or the same state
// for valid input in another layout.
func TestDecodeFastPathFallback(t *testing.T) {
	base := string(mustEncode(t, modelState(t)))
	edit := func(old, new string) []byte {
		t.Helper()
		if !strings.Contains(base, old) {
			t.Fatalf("%q is not in the encoding", old)
		}
		return []byte(strings.Replace(base, old, new, 1))
	}
	for _, c := range []struct {
		name string
		data []byte
		err  string // "" for valid input
	}{
		{"empty", nil, "line 1: input is empty, want a JSON object"},
		{"truncated", []byte(base[:len(base)/2]), ""},
		{"end inside a flag", edit(`"end": 14`, `"end": 13`), "line 66: annotations[2].end: 13 is inside a grapheme cluster [12, 14)"},
		{"wrong utf16", edit(`"utf16": [26, 29]`, `"utf16": [26, 28]`), ""},
		{"duplicate key", edit(`"note": "",`, `"note": "", "note": "",`), ""},
		{"unknown field", edit(`"note": "",`, `"note": "", "x": 1,`), ""},
		{"lone surrogate", edit(`"note": ""`, `"note": "\ud800"`), ""},
		{"negative start", edit(`"start": 24`, `"start": -24`), ""},
		{"fractional end", edit(`"end": 27`, `"end": 27.0`), ""},
		{"bad time", edit(`"created": "2025-11-25T09:00:00.000Z"`, `"created": "2025-02-30T09:00:00.000Z"`), ""},
		{"bad sha256", edit(`"sha256": "`, `"sha256": "0`), ""},
		{"trailing data", []byte(base + "{}"), ""},
		{"not an object", []byte("[1, 2]"), "line 1: want a JSON object, got an array"},
		// Valid, but not in Encode's layout: the full decoder reads it.
		{"reordered", edit(`"format": "factmark/v1",
  "unit": "codepoint",`, `"unit": "codepoint",
  "format": "factmark/v1",`), ""},
		{"escaped key", edit(`"quote"`, `"\u0071uote"`), ""},
		{"null claim", edit(`"note": "",
      "created"`, `"note": "", "claim": null,
      "created"`), ""},
		{"minus zero", edit(`"start": 0`, `"start": -0`), ""},
	} {
		if _, ok := decodeFast(c.data); ok {
			t.Errorf("%s: the fast path took it", c.name)
			continue
		}
		got, gerr := Decode(c.data)
		want, werr := decodeTree(c.data)
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Errorf("%s: Decode error %v, full decoder %v", c.name, gerr, werr)
			continue
		}
		if c.err != "" && (gerr == nil || gerr.Error() != c.err) {
			t.Errorf("%s: error %v, want %s", c.name, gerr, c.err)
		}
		if werr == nil {
			if strings.HasPrefix(c.name, "bad") || c.name == "empty" || c.name == "truncated" {
				t.Errorf("%s: decoded", c.name)
			}
			checkSameState(t, got, want)
		}
	}
}

// TestDecodeFastPathOtherTime checks that a time in another RFC 3339 form
// is read by the fast path as the full decoder reads it.
func TestDecodeFastPathOtherTime(t *testing.T) {
	base := string(mustEncode(t, modelState(t)))
	for _, v := range []string{"2025-11-25T10:00:00+01:00", "2025-11-25T09:00:00Z"} {
		data := []byte(strings.Replace(base, `"created": "2025-11-25T09:00:00.000Z"`, `"created": "`+v+`"`, 1))
		fast, ok := decodeFast(data)
		full, err := decodeTree(data)
		if !ok || err != nil {
			t.Fatalf("%s: fast path %v, full decoder %v", v, ok, err)
		}
		checkSameState(t, fast, full)
	}
}

// TestSwarSpecial compares swarSpecial with a byte-by-byte look on every
// byte value at every position, among bytes that are and are not special.
func TestSwarSpecial(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	for _, fill := range []byte{'a', 0xff, 0x80, 0x21, 0x5d, 0x00, '"'} {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				var w [8]byte
				for i := range w {
					w[i] = fill
				}
				w[pos] = byte(c)
				want := false
				for _, x := range w {
					want = want || special(x)
				}
				if got := swarSpecial(binary.LittleEndian.Uint64(w[:])); got != want {
					t.Fatalf("%x: %v, want %v", w, got, want)
				}
			}
		}
	}
}

// TestPlainID checks that every id plainID accepts, checkID accepts, on
// every byte at the start, middle and end of an id, and at the lengths
// around MaxIDLen.
func TestPlainID(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, id := range []string{string([]byte{byte(c)}), "a-" + string([]byte{byte(c)}) + "1", "a-1" + string([]byte{byte(c)})} {
			if plainID(id) && checkID(id) != "" {
				t.Errorf("%q: plainID accepts it, checkID says %s", id, checkID(id))
			}
		}
	}
	for _, n := range []int{0, 1, MaxIDLen - 1, MaxIDLen, MaxIDLen + 1} {
		id := strings.Repeat("x", n)
		if plainID(id) != (checkID(id) == "") {
			t.Errorf("length %d: plainID %v, checkID %q", n, plainID(id), checkID(id))
		}
	}
	if !plainID(NewID()) {
		t.Error("an id made by NewID is not plain")
	}
}

// TestParseCanonicalTime compares the fast reading of Encode's time layout
// with time.Parse on edge dates and times.
func TestParseCanonicalTime(t *testing.T) {
	for _, v := range []string{
		"2025-11-25T21:30:00.000Z", "2024-02-29T00:00:00.000Z", "2023-02-29T00:00:00.000Z",
		"2000-02-29T12:00:00.999Z", "1900-02-29T12:00:00.000Z", "2100-02-28T23:59:59.999Z",
		"0000-01-01T00:00:00.000Z", "0001-01-01T00:00:00.001Z", "9999-12-31T23:59:59.999Z",
		"2025-04-31T00:00:00.000Z", "2025-13-01T00:00:00.000Z", "2025-00-01T00:00:00.000Z",
		"2025-01-00T00:00:00.000Z", "2025-01-01T24:00:00.000Z", "2025-01-01T23:60:00.000Z",
		"2025-01-01T23:59:60.000Z", "2025-01-01t23:59:59.000Z", "2025-01-01T23:59:59.000z",
		"2025-01-01T23:59:59,000Z", "2025-1-01T23:59:59.0000Z", "+025-01-01T23:59:59.000Z",
		"2025-01-01T23:59:5a.000Z", "2025-06-31T00:00:00.000Z", "2025-12-31T00:00:00.000Z",
	} {
		got, ok := parseCanonicalTime([]byte(v))
		want, err := time.Parse(time.RFC3339, v)
		if !ok {
			continue // the general path reads it
		}
		if err != nil {
			t.Errorf("%s: read as %v, time.Parse refuses it: %v", v, got, err)
			continue
		}
		if want = normTime(want); got != want {
			t.Errorf("%s: read as %#v, time.Parse gives %#v", v, got, want)
		}
	}
}

// BenchmarkDecode100KB10k is BenchmarkDecode10k on the document the app's
// benchmark opens: 100 KB of text (the seed article repeated) with 10,000
// annotations, every 20th a sentence-long claim.
func BenchmarkDecode100KB10k(b *testing.B) {
	s := benchStateOf(b, 100<<10)
	data := mustEncode(b, s)
	// Decode (the fast path) and, for comparison in the same run, the full
	// decoder alone (Decode before the fast path).
	for _, dec := range []struct {
		name string
		fn   func([]byte) (*State, error)
	}{{"Decode", Decode}, {"full", decodeTree}} {
		b.Run(dec.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				s, err := dec.fn(data)
				if err != nil {
					b.Fatal(err)
				}
				if s.Len() != 10000 {
					b.Fatalf("%d annotations", s.Len())
				}
			}
		})
	}
}
