//go:build !js

// Independent consumers check the claim exports: python3 slices code points
// (testdata/check_codepoints.py), node slices UTF-16 code units
// (testdata/check_utf16.js). They read files written here from the exports
// as parsed as plain JSON, sharing no code with the encoders. os/exec does
// not exist under GOOS=js; the native test run covers these.

package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

type extSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote"`
}

type extDoc struct {
	Text  string    `json:"text"`
	Spans []extSpan `json:"spans"`
}

// runExternal runs an independent checker script from testdata on files. A
// missing interpreter fails the test: CI installs python3 and node.
func runExternal(t *testing.T, interpreter, script string, files ...string) {
	t.Helper()
	path, err := exec.LookPath(interpreter)
	if err != nil {
		t.Fatalf("%s is needed for the independent offset checks: %v (see make deps)", interpreter, err)
	}
	out, err := exec.Command(path, append([]string{filepath.Join("testdata", script)}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", interpreter, script, err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}

func writeExt(t *testing.T, path string, docs ...extDoc) {
	t.Helper()
	var buf bytes.Buffer
	for _, d := range docs {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// w3cSpans reads every TextPositionSelector of a W3C export as plain JSON and
// pairs it with its TextQuoteSelector: the exact quote, and the prefix and
// suffix as spans of their own right before and after it.
func w3cSpans(t *testing.T, data []byte) []extSpan {
	t.Helper()
	var coll struct {
		First struct {
			Items []struct {
				Target struct {
					Selector []map[string]any `json:"selector"`
				} `json:"target"`
			} `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(data, &coll); err != nil {
		t.Fatal(err)
	}
	var spans []extSpan
	for _, it := range coll.First.Items {
		var exact, prefix, suffix string
		start, end := -1, -1
		for _, s := range it.Target.Selector {
			switch s["type"] {
			case "TextQuoteSelector":
				exact, _ = s["exact"].(string)
				prefix, _ = s["prefix"].(string)
				suffix, _ = s["suffix"].(string)
			case "TextPositionSelector":
				start, end = int(s["start"].(float64)), int(s["end"].(float64))
			}
		}
		if start < 0 || exact == "" {
			t.Fatalf("annotation without both selectors: %v", it.Target.Selector)
		}
		spans = append(spans,
			extSpan{start, end, exact},
			extSpan{start - utf8.RuneCountInString(prefix), start, prefix},
			extSpan{end, end + utf8.RuneCountInString(suffix), suffix})
	}
	return spans
}

// TestW3CPositionsPython: every TextPositionSelector of the W3C export
// slices back to its exact quote (and prefix and suffix) in Python, on the
// seed article and every file of the Unicode corpus.
func TestW3CPositionsPython(t *testing.T) {
	dir := t.TempDir()
	var files []string
	total := 0
	check := func(name string, s *State) {
		data, err := EncodeW3C(s)
		if err != nil {
			t.Fatal(err)
		}
		spans := w3cSpans(t, data)
		if len(spans) != 3*s.Len() {
			t.Fatalf("%s: %d spans for %d annotations", name, len(spans), s.Len())
		}
		total += len(spans)
		f := filepath.Join(dir, name+".w3c-spans.json")
		writeExt(t, f, extDoc{s.Doc.Text, spans})
		files = append(files, f)
	}
	check("seed", seedClaimState(t, seedSource))
	rng := rand.New(rand.NewSource(7))
	for _, f := range corpusFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(filepath.Base(f), corpusState(t, filepath.Base(f), raw, rng))
	}
	runExternal(t, "python3", "check_codepoints.py", files...)
	t.Logf("%d spans in %d documents", total, len(files))

	// Negative control: the checker catches positions that are off (here
	// the UTF-16 positions of a span after emoji, taken as code points).
	d := emojiDoc(t)
	r := spanOf(t, d, "aid rose 12%", 0)
	u, _ := d.Index().ConvertRange(r, CodePoints, UTF16)
	bad := filepath.Join(dir, "negative.json")
	writeExt(t, bad, extDoc{d.Text, []extSpan{{u.Start, u.End, "aid rose 12%"}}})
	if out, err := exec.Command("python3", filepath.Join("testdata", "check_codepoints.py"), bad).CombinedOutput(); err == nil {
		t.Errorf("the checker accepted UTF-16 positions as code points: %s", out)
	}
}

// TestClaimsDatasetOffsetsExternal: the claims dataset's code-point offsets
// and contexts slice right in Python, its UTF-16 offsets in node.
func TestClaimsDatasetOffsetsExternal(t *testing.T) {
	dir := t.TempDir()
	var cpDocs, u16Docs []extDoc
	add := func(s *State) {
		data, err := EncodeClaims(s)
		if err != nil {
			t.Fatal(err)
		}
		cp := extDoc{Text: s.Doc.Text}
		u16 := extDoc{Text: s.Doc.Text}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var rec struct {
				Quote   string `json:"quote"`
				Context struct {
					Text       string `json:"text"`
					Start, End int
				} `json:"context"`
				Offsets struct {
					CodePoint struct{ Start, End int } `json:"codepoint"`
					UTF16     struct{ Start, End int } `json:"utf16"`
				} `json:"offsets"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatal(err)
			}
			cp.Spans = append(cp.Spans, extSpan{rec.Offsets.CodePoint.Start, rec.Offsets.CodePoint.End, rec.Quote},
				extSpan{rec.Context.Start, rec.Context.End, rec.Context.Text})
			u16.Spans = append(u16.Spans, extSpan{rec.Offsets.UTF16.Start, rec.Offsets.UTF16.End, rec.Quote})
		}
		if len(cp.Spans) == 0 {
			t.Fatalf("%s: no claim records", s.Doc.Source)
		}
		cpDocs = append(cpDocs, cp)
		u16Docs = append(u16Docs, u16)
	}
	add(seedClaimState(t, seedSource))
	rng := rand.New(rand.NewSource(8))
	for _, f := range corpusFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add(corpusState(t, filepath.Base(f), raw, rng))
	}
	cpFile, u16File := filepath.Join(dir, "claims-cp.jsonl"), filepath.Join(dir, "claims-utf16.jsonl")
	writeExt(t, cpFile, cpDocs...)
	writeExt(t, u16File, u16Docs...)
	runExternal(t, "python3", "check_codepoints.py", cpFile)
	runExternal(t, "node", "check_utf16.js", u16File)
}
