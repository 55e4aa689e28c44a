//go:build !js

// Independent consumers of the exports: python3 reads the code-point formats
// (spaCy, Label Studio, brat, CoNLL, Hugging Face) by slicing Python strings,
// node reads doccano's UTF-16 offsets by slicing JavaScript strings. They run
// with os/exec, which GOOS=js does not have; the native test run covers them.

package annotate

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runConsumer runs script with interpreter; a missing interpreter fails the
// test (CI installs python3 and node: make deps).
func runConsumer(t *testing.T, interpreter, script string, args ...string) {
	t.Helper()
	path, err := exec.LookPath(interpreter)
	if err != nil {
		t.Fatalf("%s is needed for the independent format checks and was not found: %v (see make deps)", interpreter, err)
	}
	out, err := exec.Command(path, append([]string{filepath.Join("testdata", script)}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s %s: %v\n%s", interpreter, script, strings.Join(args, " "), err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}

// writeExport exports states with codec id into dir and returns the paths of
// the files by name.
func writeExport(t *testing.T, dir, id string, states []*State) map[string]string {
	t.Helper()
	files, err := Export(fxMustCodec(t, id), states, ExportOptions{Base: "set", Many: true})
	if err != nil {
		t.Fatalf("export %s: %v", id, err)
	}
	paths := map[string]string{}
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths[f.Name] = p
	}
	return paths
}

func TestExportsReadByIndependentConsumers(t *testing.T) {
	corpora := map[string][]*State{
		"seed":    {fxSeedState(t), fxMdState(t)},
		"unicode": fxUnicodeStates(t),
	}
	for name, states := range corpora {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			native := writeExport(t, dir, "factmark", states)["set.jsonl"]
			spacy := writeExport(t, dir, "spacy", states)
			runConsumer(t, "python3", "check_formats.py", native, "spacy", spacy["set.spacy.jsonl"])
			ls := writeExport(t, dir, "labelstudio", states)
			runConsumer(t, "python3", "check_formats.py", native, "labelstudio", ls["set.labelstudio.json"], ls["labeling-config.xml"])
			brat := writeExport(t, dir, "brat", states)
			runConsumer(t, "python3", "check_formats.py", native, "brat", brat["set.brat.zip"])
			conll := writeExport(t, dir, "conll", states)
			runConsumer(t, "python3", "check_formats.py", native, "conll", conll["set.conll"])
			hf := writeExport(t, dir, "hf", states)
			runConsumer(t, "python3", "check_formats.py", native, "hf", hf["set.hf.jsonl"], hf["labels.json"])
			doccano := writeExport(t, dir, "doccano", states)
			runConsumer(t, "node", "check_doccano.js", native, doccano["set.doccano.jsonl"])
		})
	}
}

// TestConsumersCatchBadOffsets makes sure the consumers are not vacuous: a
// doccano file in code points and a spaCy file with a shifted span fail.
func TestConsumersCatchBadOffsets(t *testing.T) {
	dir := t.TempDir()
	states := []*State{fxMdState(t)}
	native := writeExport(t, dir, "factmark", states)["set.jsonl"]
	bad := filepath.Join(dir, "bad.jsonl")
	// Code points where doccano wants UTF-16: "12%" at [24, 27) instead of [26, 29).
	os.WriteFile(bad, []byte(`{"text":"Müller said 🇺🇦 aid rose 12%.","label":[[0,6,"PERSON"],[15,28,"CLAIM"],[24,27,"FIGURE"]]}`+"\n"), 0o644)
	out, err := exec.Command("node", filepath.Join("testdata", "check_doccano.js"), native, bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), `text.slice(15, 28) is "\udde6 aid rose 12"`) {
		t.Errorf("node accepted code points as UTF-16: %v\n%s", err, out)
	}
	spacy := writeExport(t, dir, "spacy", states)["set.spacy.jsonl"]
	data, _ := os.ReadFile(spacy)
	shifted := bytes.Replace(data, []byte(`{"start":24,"end":27,"token_start":5`), []byte(`{"start":25,"end":27,"token_start":5`), 1)
	os.WriteFile(spacy, shifted, 0o644)
	out, err = exec.Command("python3", filepath.Join("testdata", "check_formats.py"), native, "spacy", spacy).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "does not start and end on tokens") {
		t.Errorf("python accepted a span off its tokens: %v\n%s", err, out)
	}
}
