//go:build !js

package annotate

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// nativeConsumerSpan and nativeConsumerDoc are the input of the independent checkers
// testdata/check_codepoints.py and testdata/check_utf16.js.
type nativeConsumerSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote"`
}

type nativeConsumerDoc struct {
	Text  string               `json:"text"`
	Spans []nativeConsumerSpan `json:"spans"`
}

// nativeConsumerDocs reads native encodings as an outsider would (encoding/json
// into plain maps) and lists, per unit, every quote, prefix and suffix with
// the offsets the file gives for it: "start"/"end" for code points,
// "offsets.utf16" for UTF-16.
func nativeConsumerDocs(t *testing.T, encodings [][]byte) (cp, u16 []nativeConsumerDoc) {
	t.Helper()
	for _, data := range encodings {
		var f struct {
			Document struct {
				Text string `json:"text"`
			} `json:"document"`
			Annotations []map[string]any `json:"annotations"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		c, u := nativeConsumerDoc{Text: f.Document.Text}, nativeConsumerDoc{Text: f.Document.Text}
		for _, a := range f.Annotations {
			start, end := int(a["start"].(float64)), int(a["end"].(float64))
			pair := a["offsets"].(map[string]any)["utf16"].([]any)
			us, ue := int(pair[0].(float64)), int(pair[1].(float64))
			quote, prefix, suffix := a["quote"].(string), a["prefix"].(string), a["suffix"].(string)
			np, ns := utf8.RuneCountInString(prefix), utf8.RuneCountInString(suffix)
			up, un := len(utf16.Encode([]rune(prefix))), len(utf16.Encode([]rune(suffix)))
			c.Spans = append(c.Spans, nativeConsumerSpan{start, end, quote}, nativeConsumerSpan{start - np, start, prefix}, nativeConsumerSpan{end, end + ns, suffix})
			u.Spans = append(u.Spans, nativeConsumerSpan{us, ue, quote}, nativeConsumerSpan{us - up, us, prefix}, nativeConsumerSpan{ue, ue + un, suffix})
		}
		cp, u16 = append(cp, c), append(u16, u)
	}
	return cp, u16
}

func nativeWriteConsumerFile(t *testing.T, path string, docs []nativeConsumerDoc) {
	t.Helper()
	var b strings.Builder
	for _, d := range docs {
		line, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func nativeRunConsumer(t *testing.T, interpreter, script, file string) (string, error) {
	t.Helper()
	out, err := exec.Command(interpreter, script, file).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// TestNativeIndependentConsumers has Python slice the text by code points
// and node slice it by UTF-16 code units, for every quote, prefix and suffix
// of the seed article and of the Unicode corpus (emoji ZWJ sequences, flags,
// combining marks, CJK, Arabic, Devanagari, astral letters, invisible
// characters), as encoded in the native format. A deliberately wrong span
// shows that each checker can fail.
func TestNativeIndependentConsumers(t *testing.T) {
	var encodings [][]byte
	for _, s := range append([]*State{nativeSeedState(t)}, nativeCorpusStates(t)...) {
		encodings = append(encodings, mustEncode(t, s))
	}
	cp, u16 := nativeConsumerDocs(t, encodings)
	n := 0
	for _, d := range cp {
		n += len(d.Spans)
	}
	if n < 3000 {
		t.Fatalf("only %d spans to check", n)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		interpreter, script, name string
		docs                      []nativeConsumerDoc
	}{
		{"python3", "testdata/check_codepoints.py", "codepoints.jsonl", cp},
		{"node", "testdata/check_utf16.js", "utf16.jsonl", u16},
	} {
		t.Run(c.interpreter, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			nativeWriteConsumerFile(t, path, c.docs)
			out, err := nativeRunConsumer(t, c.interpreter, c.script, path)
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", c.interpreter, c.script, err, out)
			}
			t.Log(out)
			if !strings.Contains(out, " match") {
				t.Errorf("unexpected output %q", out)
			}
			// Negative control: shift one span of the emoji document by one.
			bad := make([]nativeConsumerDoc, len(c.docs))
			copy(bad, c.docs)
			for i, d := range bad {
				if strings.Contains(d.Text, "👨‍👩‍👧‍👦") {
					spans := append([]nativeConsumerSpan(nil), d.Spans...)
					spans[0].End++
					bad[i].Spans = spans
				}
			}
			badPath := filepath.Join(dir, "bad-"+c.name)
			nativeWriteConsumerFile(t, badPath, bad)
			out, err = nativeRunConsumer(t, c.interpreter, c.script, badPath)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("checker accepted a shifted span: %v\n%s", err, out)
			}
		})
	}
}
