//go:build !js

// The checks in this file run independent consumers of our offsets, python3
// (code points) and node (UTF-16 units), with os/exec, which does not exist
// under GOOS=js; the native test run covers them.

package annotate

import (
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// checkSpan is one span for the checker scripts.
type checkSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote"`
}

type checkDoc struct {
	Text  string      `json:"text"`
	Spans []checkSpan `json:"spans"`
}

// runChecker runs an independent checker on files. A missing interpreter is a
// failure, not a skip: CI installs python3 and node (make deps).
func runChecker(t *testing.T, interpreter, script string, files ...string) (string, error) {
	t.Helper()
	path, err := exec.LookPath(interpreter)
	if err != nil {
		t.Fatalf("%s is needed for the independent offset checks and was not found: %v (install it, see make deps)", interpreter, err)
	}
	out, err := exec.Command(path, append([]string{filepath.Join("testdata", script)}, files...)...).CombinedOutput()
	return string(out), err
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// corpusSpans collects the spans to check in a document: every block,
// sentence, word and grapheme cluster, snapped selections, and random
// grapheme-aligned ranges.
func corpusSpans(ix *Index, blocks []Block, rng *rand.Rand) []Range {
	var spans []Range
	for _, b := range blocks {
		spans = append(spans, b.Range())
	}
	spans = append(spans, ix.Sentences()...)
	spans = append(spans, ix.Words()...)
	n := ix.Len(CodePoints)
	for cp := 0; cp < n; cp = ix.GraphemeCeil(cp + 1) {
		spans = append(spans, ix.GraphemeAt(cp))
	}
	for i := 0; i < 200; i++ {
		a, b := rng.Intn(n+1), rng.Intn(n+1)
		if a > b {
			a, b = b, a
		}
		r := Range{ix.GraphemeFloor(a), ix.GraphemeCeil(b)}
		spans = append(spans, r)
		for _, kind := range []LabelKind{KindEntity, KindClaim} {
			for _, precise := range []bool{false, true} {
				if s, err := ix.Snap(Range{a, b}, kind, precise); err == nil {
					spans = append(spans, s)
				}
			}
		}
	}
	return append(spans, Range{0, 0}, Range{0, n}, Range{n, n})
}

// TestUnicodeCorpusIndependentChecks imports every file of the Unicode
// corpus and checks thousands of spans per file, converted by Index, against
// Python's code-point slicing, JavaScript's UTF-16 slicing, Go byte slicing
// and grapheme counts from uniseg.
func TestUnicodeCorpusIndependentChecks(t *testing.T) {
	files, err := filepath.Glob("testdata/unicode/*.txt")
	if err != nil || len(files) < 8 {
		t.Fatalf("corpus: %v, %d files", err, len(files))
	}
	dir := t.TempDir()
	var cpFiles, u16Files []string
	rng := rand.New(rand.NewSource(1))
	total := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := FromText(raw, TextOptions{Source: filepath.Base(f)})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := d.Check(); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ix := d.Index()
		// Independent grapheme boundaries: uniseg's iterator over the whole text.
		gOf := map[int]int{}
		g, cp := 0, 0
		for gr := uniseg.NewGraphemes(d.Text); gr.Next(); g++ {
			gOf[cp] = g
			cp += utf8.RuneCountInString(gr.Str())
		}
		gOf[cp] = g
		cpDoc := checkDoc{Text: d.Text}
		u16Doc := checkDoc{Text: d.Text}
		for _, r := range corpusSpans(ix, d.Blocks, rng) {
			quote := ix.Slice(r)
			conv := map[Unit]Range{}
			for _, u := range Units {
				c, err := ix.ConvertRange(r, CodePoints, u)
				if err != nil {
					t.Fatalf("%s: %v to %s: %v", f, r, u, err)
				}
				conv[u] = c
				back, err := ix.ConvertRange(c, u, CodePoints)
				if err != nil || back != r {
					t.Fatalf("%s: %v -> %s %v -> codepoint = %v, %v", f, r, u, c, back, err)
				}
			}
			if b := conv[Bytes]; d.Text[b.Start:b.End] != quote {
				t.Fatalf("%s: bytes %v give %q, want %q", f, b, d.Text[b.Start:b.End], quote)
			}
			gs, okS := gOf[r.Start]
			ge, okE := gOf[r.End]
			if !okS || !okE || (Range{gs, ge}) != conv[Graphemes] {
				t.Fatalf("%s: %v in graphemes = %v, uniseg says [%d, %d) (%v %v)", f, r, conv[Graphemes], gs, ge, okS, okE)
			}
			cpDoc.Spans = append(cpDoc.Spans, checkSpan{r.Start, r.End, quote})
			u := conv[UTF16]
			u16Doc.Spans = append(u16Doc.Spans, checkSpan{u.Start, u.End, quote})
		}
		total += len(cpDoc.Spans)
		base := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), ".txt"))
		writeJSON(t, base+".cp.json", cpDoc)
		writeJSON(t, base+".utf16.json", u16Doc)
		cpFiles = append(cpFiles, base+".cp.json")
		u16Files = append(u16Files, base+".utf16.json")
	}
	if out, err := runChecker(t, "python3", "check_codepoints.py", cpFiles...); err != nil {
		t.Errorf("python3 code point check failed: %v\n%s", err, out)
	} else if strings.Count(out, "match") != len(files) {
		t.Errorf("python3 output:\n%s", out)
	}
	if out, err := runChecker(t, "node", "check_utf16.js", u16Files...); err != nil {
		t.Errorf("node UTF-16 check failed: %v\n%s", err, out)
	} else if strings.Count(out, "match") != len(files) {
		t.Errorf("node output:\n%s", out)
	}
	t.Logf("%d spans in %d files checked by python3 and node", total, len(files))
}

// TestCheckersCatchMismatches proves the checkers can fail: offsets in the
// wrong unit, a wrong quote, a range outside the text and malformed input.
func TestCheckersCatchMismatches(t *testing.T) {
	ix := NewIndex(formatsExample)
	dir := t.TempDir()
	cpRange := Range{24, 27}
	u16Range, _ := ix.ConvertRange(cpRange, CodePoints, UTF16)
	// Code points given to the UTF-16 checker and vice versa.
	wrongForNode := filepath.Join(dir, "cp-as-utf16.json")
	writeJSON(t, wrongForNode, checkDoc{formatsExample, []checkSpan{{cpRange.Start, cpRange.End, "12%"}}})
	wrongForPython := filepath.Join(dir, "utf16-as-cp.json")
	writeJSON(t, wrongForPython, checkDoc{formatsExample, []checkSpan{{u16Range.Start, u16Range.End, "12%"}}})
	badQuote := filepath.Join(dir, "quote.json")
	writeJSON(t, badQuote, checkDoc{formatsExample, []checkSpan{{0, 6, "Muller"}}})
	outside := filepath.Join(dir, "outside.json")
	writeJSON(t, outside, checkDoc{"abc", []checkSpan{{2, 4, "c"}}})
	malformed := filepath.Join(dir, "malformed.json")
	os.WriteFile(malformed, []byte(`{"text": "abc", "spans": [{"start": "0", "end": 1, "quote": "a"}]}`), 0o644)
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte(`{"text":"a😀b","spans":[{"start":1,"end":2,"quote":"😀"}]}`+"\n"+`{"text":"xyz","spans":[]}`+"\n"), 0o644)
	goodU16 := filepath.Join(dir, "good16.jsonl")
	os.WriteFile(goodU16, []byte(`{"text":"a😀b","spans":[{"start":1,"end":3,"quote":"😀"}]}`+"\n"), 0o644)

	tests := []struct {
		interp, script, file string
		code                 int
		msg                  string
	}{
		{"node", "check_utf16.js", wrongForNode, 1, `text.slice(24, 27) is "e 1", but quote is "12%"`},
		{"python3", "check_codepoints.py", wrongForPython, 1, "[26, 29) is not a range within the text's 28 code points"},
		{"python3", "check_codepoints.py", badQuote, 1, `text[0:6] is 'Müller', but quote is 'Muller'`},
		{"node", "check_utf16.js", badQuote, 1, `text.slice(0, 6) is "Müller", but quote is "Muller"`},
		{"python3", "check_codepoints.py", outside, 1, "[2, 4) is not a range within the text's 3 code points"},
		{"node", "check_utf16.js", outside, 1, "[2, 4) is not a range within the text's 3 UTF-16 units"},
		{"python3", "check_codepoints.py", malformed, 2, "want integer start and end"},
		{"node", "check_utf16.js", malformed, 2, "want integer start and end"},
		{"python3", "check_codepoints.py", good, 0, "1 spans in 2 documents match"},
		{"node", "check_utf16.js", goodU16, 0, "1 spans in 1 documents match"},
		{"node", "check_utf16.js", good, 1, `text.slice(1, 2) is "\ud83d", but quote is "😀"`},
	}
	for _, tt := range tests {
		out, err := runChecker(t, tt.interp, tt.script, tt.file)
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %s: %v", tt.script, tt.file, err)
		}
		if code != tt.code || !strings.Contains(out, tt.msg) {
			t.Errorf("%s %s: exit %d, output %q; want exit %d and %q", tt.script, filepath.Base(tt.file), code, out, tt.code, tt.msg)
		}
	}
}
