//go:build !wasm

package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"factmark/annotate"
)

// fcState is the seed article with persons, places, figures and claims
// (one with a verdict, one with a note).
func fcCliState(t testing.TB, id string) *annotate.State {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("seed", "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := annotate.FromText(raw, annotate.TextOptions{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	s := annotate.NewState(doc, annotate.DefaultSchema())
	at := time.Date(2025, 11, 21, 8, 0, 0, 0, time.UTC)
	var edits []annotate.Edit
	add := func(label, quote string, nth int, note string, claim *annotate.Claim) {
		text := doc.Text
		off := 0
		for i := 0; ; i++ {
			j := strings.Index(text[off:], quote)
			if j < 0 {
				t.Fatalf("%q not found", quote)
			}
			if i == nth {
				start := utf8.RuneCountInString(text[:off+j])
				edits = append(edits, annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: label, Start: start, End: start + utf8.RuneCountInString(quote),
					Note: note, Claim: claim, Created: at, Modified: at}))
				return
			}
			off += j + len(quote)
		}
	}
	add("person", "Dan Driscoll", 0, "", nil)
	add("person", "Volodymyr Zelensky", 0, "", nil)
	add("place", "Kyiv", 0, "", nil)
	add("place", "Ternopil", 0, "", nil)
	add("figure", "26 fatalities", 0, "", nil)
	add("figure", "$105 million", 0, "support package", nil)
	add("claim", "behind-the-scenes negotiations between the U.S. and Russia have produced a tentative peace framework", 0, "", &annotate.Claim{Verdict: "unproven"})
	add("claim", "the U.S. and Russia have quietly drafted a 28-point peace proposal", 0, "", &annotate.Claim{Verdict: "mostly-true"})
	add("claim", "resulting in at least 26 fatalities", 0, "", nil)
	if _, err := s.Apply(annotate.Batch(edits...)); err != nil {
		t.Fatal(err)
	}
	return s
}

// fcWriteDataset writes states as a native dataset file.
func fcWriteDataset(t testing.TB, path string, states ...*annotate.State) {
	t.Helper()
	var buf bytes.Buffer
	w := annotate.NewDatasetWriter(&buf)
	for _, s := range states {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fcRun(t testing.TB, cmd func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cmd(args, &out, &errb)
	return code, out.String(), errb.String()
}

func fcConvert(args []string, out, errb *bytes.Buffer) int  { return cmdConvert(args, out, errb) }
func fcValidate(args []string, out, errb *bytes.Buffer) int { return cmdValidate(args, out, errb) }
func fcStats(args []string, out, errb *bytes.Buffer) int    { return cmdStats(args, out, errb) }

func fcReadLines(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestConvertToEveryFormat(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "set.jsonl")
	fcWriteDataset(t, in, fcCliState(t, "one"), fcCliState(t, "two"))
	for _, tc := range []struct {
		to, out string
		files   []string
	}{
		{"spacy", "set.spacy.jsonl", nil},
		{"doccano", "set.doccano.jsonl", nil},
		{"labelstudio", "tasks.json", []string{"labeling-config.xml"}},
		{"brat", "set.zip", nil},
		{"conll", "set.conll", nil},
		{"hf", "train.jsonl", []string{"labels.json"}},
		{"checkworthy", "cw.jsonl", nil},
		{"factmark", "copy.jsonl", nil},
	} {
		out := filepath.Join(dir, tc.out)
		code, _, stderr := fcRun(t, fcConvert, "--to", tc.to, in, out)
		if code != 0 {
			t.Errorf("convert --to %s: exit %d\n%s", tc.to, code, stderr)
			continue
		}
		if !strings.Contains(stderr, "2 documents, 18 spans") {
			t.Errorf("convert --to %s: summary missing:\n%s", tc.to, stderr)
		}
		if st, err := os.Stat(out); err != nil || st.Size() == 0 {
			t.Errorf("convert --to %s: %s not written: %v", tc.to, out, err)
		}
		for _, f := range tc.files {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("convert --to %s: sidecar %s: %v", tc.to, f, err)
			}
		}
	}
	// What the formats drop is said per document.
	_, _, stderr := fcRun(t, fcConvert, "--to", "conll", in, filepath.Join(dir, "again.conll"))
	if !strings.Contains(stderr, "one: conll drops: 3 claims are not in token tags") {
		t.Errorf("conll losses not reported:\n%s", stderr)
	}
	// The spaCy lines hold two documents of the seed text.
	lines := fcReadLines(t, filepath.Join(dir, "set.spacy.jsonl"))
	if len(lines) != 2 {
		t.Fatalf("%d spaCy lines", len(lines))
	}
	var rec struct {
		Text  string
		Spans []struct{ Start, End int }
	}
	if err := json.Unmarshal([]byte(lines[1]), &rec); err != nil || len(rec.Spans) != 9 {
		t.Errorf("spaCy line 2: %v, %d spans", err, len(rec.Spans))
	}
}

func TestConvertRoundTripInfersFormats(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	src := []*annotate.State{fcCliState(t, "one"), fcCliState(t, "two")}
	fcWriteDataset(t, in, src...)
	for n, mid := range []string{"x.doccano.jsonl", "x.labelstudio.json", "x.spacy.jsonl", "x.zip"} {
		midPath := filepath.Join(dir, mid)
		back := filepath.Join(dir, fmt.Sprintf("back%d.jsonl", n))
		// The output format comes from the extension, the input's from the content.
		if code, _, stderr := fcRun(t, fcConvert, in, midPath); code != 0 {
			t.Fatalf("%s: exit %d\n%s", mid, code, stderr)
		}
		if code, _, stderr := fcRun(t, fcConvert, midPath, back); code != 0 {
			t.Fatalf("back from %s: exit %d\n%s", mid, code, stderr)
		}
		f, err := os.Open(back)
		if err != nil {
			t.Fatal(err)
		}
		r := annotate.NewDatasetReader(f)
		for i := 0; ; i++ {
			s, err := r.Next()
			if err != nil {
				if i != len(src) {
					t.Errorf("%s: %d documents back (%v)", mid, i, err)
				}
				break
			}
			got, want := fcSpanKeys(s), fcSpanKeys(src[i])
			if got != want {
				t.Errorf("%s: document %d changed:\n got %s\nwant %s", mid, i, got, want)
			}
		}
		f.Close()
	}
}

func fcSpanKeys(s *annotate.State) string {
	var b strings.Builder
	for _, a := range s.Annotations() {
		fmt.Fprintf(&b, "%s[%d,%d) ", a.Label, a.Start, a.End)
	}
	return b.String()
}

func TestConvertStdinToStdout(t *testing.T) {
	var buf bytes.Buffer
	w := annotate.NewDatasetWriter(&buf)
	w.Write(fcCliState(t, "one"))
	old := stdin
	stdin = &buf
	defer func() { stdin = old }()
	code, stdout, stderr := fcRun(t, fcConvert, "-", "-", "--to", "doccano")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var rec struct {
		Text  string
		Label [][]any
	}
	if err := json.Unmarshal([]byte(stdout), &rec); err != nil || len(rec.Label) != 9 {
		t.Errorf("stdout is not one doccano line: %v\n%s", err, stdout)
	}
	if !strings.Contains(stderr, "<stdin> (factmark) → <stdout> (doccano): 1 document, 9 spans\n") {
		t.Errorf("summary: %s", stderr)
	}
	if code, _, stderr := fcRun(t, fcConvert, "-", "-"); code != 2 || !strings.Contains(stderr, "name the output format with --to") {
		t.Errorf("stdout without --to: exit %d\n%s", code, stderr)
	}
}

func TestConvertReportsProblemsWithFileLineAndPath(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "tasks.json")
	os.WriteFile(in, []byte(`[
  {"data": {"text": "Müller said 🇺🇦 aid rose 12%."},
   "annotations": [{"result": [
     {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 6, "text": "Müller", "labels": ["PER"]}},
     {"id": "b", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 26, "end": 29, "text": "12%", "labels": ["PERCENT"]}}]}]},
  {"data": {"text": "Kyiv."}, "annotations": [{"result": [
     {"id": "c", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 4, "text": "Kyiv", "labels": ["MISC"]}}]}]}
]
`), 0o644)
	out := filepath.Join(dir, "out.jsonl")
	code, _, stderr := fcRun(t, fcConvert, in, out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{
		in + ": line 2: [0].annotations[0].result[1]: codepoint offset 29 is out of range [0, 28]",
		in + `: line 6: [1].annotations[0].result[0]: label "MISC" cannot be mapped to the schema`,
		"2 documents could not be imported",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// --unit utf16 reads the offsets as UTF-16, --lenient drops the MISC span.
	code, _, stderr = fcRun(t, fcConvert, "--unit", "utf16", "--lenient", in, out)
	if code != 0 {
		t.Fatalf("lenient: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, `skipped: `+in+`: line 6: [1].annotations[0].result[0]: label "MISC"`) {
		t.Errorf("lenient: skipped span not reported:\n%s", stderr)
	}
	if lines := fcReadLines(t, out); len(lines) != 2 {
		t.Errorf("lenient output has %d documents", len(lines))
	}
}

func TestConvertLosslessRefuses(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	fcWriteDataset(t, in, fcCliState(t, "one"))
	out := filepath.Join(dir, "out.conll")
	code, _, stderr := fcRun(t, fcConvert, "--lossless", in, out)
	if code != 1 || !strings.Contains(stderr, "--lossless: 1 document would lose data in conll") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a refused conversion", out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if code, _, stderr := fcRun(t, fcConvert, "--lossless", in, filepath.Join(dir, "ok.labelstudio.json")); code != 1 || !strings.Contains(stderr, "claim details") {
		t.Errorf("labelstudio loses the verdicts: exit %d\n%s", code, stderr)
	}
}

func TestConvertBratOutputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	fcWriteDataset(t, in, fcCliState(t, "one"), fcCliState(t, "two"))
	// A zip.
	zipPath := filepath.Join(dir, "c.zip")
	if code, _, stderr := fcRun(t, fcConvert, in, zipPath); code != 0 {
		t.Fatalf("zip: %d\n%s", code, stderr)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	if strings.Join(names, " ") != "one.txt one.ann two.txt two.ann annotation.conf visual.conf" {
		t.Errorf("zip: %v", names)
	}
	// A directory.
	out := filepath.Join(dir, "col") + "/"
	if code, _, stderr := fcRun(t, fcConvert, "--to", "brat", in, out); code != 0 {
		t.Fatalf("dir: %d\n%s", code, stderr)
	}
	for _, f := range []string{"one.txt", "one.ann", "two.txt", "two.ann", "annotation.conf", "visual.conf"} {
		if _, err := os.Stat(filepath.Join(dir, "col", f)); err != nil {
			t.Errorf("dir: %v", err)
		}
	}
	// One pair, named after OUT; it refuses a second document.
	single := filepath.Join(dir, "single.jsonl")
	fcWriteDataset(t, single, fcCliState(t, "one"))
	if code, _, stderr := fcRun(t, fcConvert, single, filepath.Join(dir, "art.ann")); code != 0 {
		t.Fatalf("pair: %d\n%s", code, stderr)
	}
	txt, _ := os.ReadFile(filepath.Join(dir, "art.txt"))
	ann, _ := os.ReadFile(filepath.Join(dir, "art.ann"))
	if len(txt) == 0 || !bytes.HasPrefix(ann, []byte("T1\tPlace 54 58\tKyiv\n")) {
		t.Errorf("pair: txt %d bytes, ann %q", len(txt), ann)
	}
	if code, _, stderr := fcRun(t, fcConvert, in, filepath.Join(dir, "two.ann")); code != 1 || !strings.Contains(stderr, "write a .zip or a directory") {
		t.Errorf("two documents into one pair: exit %d\n%s", code, stderr)
	}
	// And back: a .ann with its .txt beside it.
	back := filepath.Join(dir, "back.json")
	if code, _, stderr := fcRun(t, fcConvert, filepath.Join(dir, "art.ann"), back); code != 0 {
		t.Fatalf("from pair: %d\n%s", code, stderr)
	}
	data, _ := os.ReadFile(back)
	s, err := annotate.Decode(data)
	if err != nil || fcSpanKeys(s) != fcSpanKeys(fcCliState(t, "one")) {
		t.Errorf("pair round trip: %v\n%s", err, fcSpanKeys(s))
	}
}

func TestConvertUsage(t *testing.T) {
	code, stdout, _ := fcRun(t, fcConvert, "-h")
	if code != 0 || !strings.Contains(stdout, "Usage: factmark convert") || !strings.Contains(stdout, "Examples:") || !strings.Contains(stdout, "labelstudio") || !strings.Contains(stdout, "-lenient") {
		t.Errorf("-h: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{{}, {"one"}, {"--bogus", "a", "b"}, {"--to", "pdf", "a", "b"}, {"--unit", "inches", "a", "b"}} {
		if code, _, stderr := fcRun(t, fcConvert, args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, _, stderr := fcRun(t, fcConvert, "missing.jsonl", "out.jsonl"); code != 1 || !strings.Contains(stderr, "missing.jsonl") {
		t.Errorf("missing input: exit %d %s", code, stderr)
	}
	if code, _, stderr := fcRun(t, fcConvert, "--from", "conll", "a.conll", "b.jsonl"); code != 1 || !strings.Contains(stderr, "conll cannot be imported") {
		if code != 1 || !strings.Contains(stderr, "a.conll") {
			t.Errorf("conll input: exit %d %s", code, stderr)
		}
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	fcWriteDataset(t, good, fcCliState(t, "one"), fcCliState(t, "two"))
	code, stdout, stderr := fcRun(t, fcValidate, good)
	if code != 0 || !strings.Contains(stdout, "good.jsonl: valid factmark: 2 documents, 18 annotations") {
		t.Errorf("valid dataset: exit %d\n%s%s", code, stdout, stderr)
	}
	// One document, indented.
	one := filepath.Join(dir, "one.factmark.json")
	b, _ := annotate.Encode(fcCliState(t, "one"))
	os.WriteFile(one, b, 0o644)
	if code, stdout, stderr := fcRun(t, fcValidate, one); code != 0 || !strings.Contains(stdout, "valid factmark: 1 document, 9 annotations") {
		t.Errorf("valid document: exit %d\n%s%s", code, stdout, stderr)
	}
	// A dataset whose second line has a wrong hash and whose third is cut.
	lines := fcReadLines(t, good)
	bad := filepath.Join(dir, "bad.jsonl")
	l2 := strings.Replace(lines[1], `"sha256":"`, `"sha256":"00`, 1)
	os.WriteFile(bad, []byte(lines[0]+"\n"+l2+"\n"+lines[0][:100]+"\n"), 0o644)
	code, _, stderr = fcRun(t, fcValidate, bad)
	if code != 1 {
		t.Errorf("bad dataset: exit %d", code)
	}
	for _, want := range []string{bad + ": line 2: document.sha256", bad + ": line 3:", "invalid: 2 documents with errors, 1 document valid"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// Other formats validate through their importer.
	dc := filepath.Join(dir, "d.jsonl")
	os.WriteFile(dc, []byte(`{"text": "Kyiv 🇺🇦", "label": [[0, 4, "LOC"], [5, 6, "LOC"]]}`+"\n"), 0o644)
	code, _, stderr = fcRun(t, fcValidate, dc)
	if code != 1 || !strings.Contains(stderr, dc+": line 1: label[1]: utf16 offset 6 is inside a code point (surrogate pair)") {
		t.Errorf("doccano: exit %d\n%s", code, stderr)
	}
	if code, _, _ := fcRun(t, fcValidate); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
	if code, stdout, _ := fcRun(t, fcValidate, "-h"); code != 0 || !strings.Contains(stdout, "Examples:") {
		t.Errorf("-h: %d", code)
	}
}

func TestStats(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "set.jsonl")
	fcWriteDataset(t, in, fcCliState(t, "one"), fcCliState(t, "two"))
	code, stdout, stderr := fcRun(t, fcStats, in)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"one                               9  person 2, place 2, figure 2, claim 3",
		"2 documents, 18 annotations",
		"  person               Person                       4",
		"  claim                Disputed claim               6",
		"  (no verdict)                                      2",
		"  mostly-true                                       2",
		"  unproven                                          2",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stats lack %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = fcRun(t, fcStats, "--json", in)
	if code != 0 {
		t.Fatalf("json: exit %d\n%s", code, stderr)
	}
	var got struct {
		Documents []struct {
			ID       string
			Labels   map[string]int
			Verdicts map[string]int
		}
		Labels map[string]struct {
			Name  string
			Count int
		}
		Verdicts map[string]int
		Totals   map[string]int
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if len(got.Documents) != 2 || got.Documents[1].ID != "two" || got.Documents[0].Labels["claim"] != 3 ||
		got.Labels["figure"].Count != 4 || got.Labels["figure"].Name != "Figure" || got.Verdicts["unproven"] != 2 || got.Totals["annotations"] != 18 {
		t.Errorf("json stats: %+v", got)
	}
}

// --- streaming ---

// fcBigDataset writes a native dataset of about size bytes: the seed article,
// annotated, under a new document id per line. It returns the number of
// documents.
func fcBigDataset(t testing.TB, path string, size int) int {
	t.Helper()
	var buf bytes.Buffer
	annotate.NewDatasetWriter(&buf).Write(fcCliState(t, "seed"))
	line := buf.Bytes()
	i := bytes.Index(line, []byte(`"id":"seed"`))
	if i < 0 {
		t.Fatalf("no document id in %.200s", line)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	n := 0
	for written := 0; written < size; n++ {
		id := `"id":"seed-` + strconv.Itoa(n) + `"`
		w.Write(line[:i])
		w.WriteString(id)
		w.Write(line[i+len(`"id":"seed"`):])
		written += len(line) + len(id) - len(`"id":"seed"`)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return n
}

// fcPeakHeap runs f and returns the highest heap in use (the bytes of heap
// spans holding objects, runtime.MemStats.HeapInuse) and the highest live
// heap (the bytes the last completed GC found reachable) seen while it ran,
// sampled every millisecond through runtime/metrics, which does not stop the
// world. Heap in use also counts garbage the collector has not reached yet,
// so it depends on when GC runs on a busy machine; the live heap does not.
// Both are measured from what the process held before f (earlier tests in
// the package leave servers and caches behind), so they are f's own growth.
func fcPeakHeap(f func()) (inUse, live uint64) {
	runtime.GC()
	base := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(base)
	baseInUse, baseLive := base[0].Value.Uint64()+base[1].Value.Uint64(), base[2].Value.Uint64()
	var peak, peakLive atomic.Uint64
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	var mu sync.Mutex
	sample := func() {
		mu.Lock()
		defer mu.Unlock()
		metrics.Read(samples)
		if v := samples[0].Value.Uint64() + samples[1].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		if v := samples[2].Value.Uint64(); v > peakLive.Load() {
			peakLive.Store(v)
		}
	}
	sample()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	sample()
	return max(peak.Load(), baseInUse) - baseInUse, max(peakLive.Load(), baseLive) - baseLive
}

// fcVmHWM returns the process's peak resident set size (VmHWM) in bytes and
// resets it, or 0 where /proc is not there.
func fcVmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	var kb uint64
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ = strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), " kB"), 10, 64)
		}
	}
	return kb << 10
}

func fcResetHWM() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// TestConvertStreamsInBoundedMemory converts a 40 MB dataset: the heap
// never holds more than a few documents' worth.
func TestConvertStreamsInBoundedMemory(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "big.jsonl")
	docs := fcBigDataset(t, in, 40<<20)
	out := filepath.Join(dir, "big.spacy.jsonl")
	var code int
	var stderr string
	// Frequent collections keep the live figure close to what is reachable:
	// what is allocated during a collection counts as live, and on a loaded
	// machine a collection can take long.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	peak, live := fcPeakHeap(func() { code, _, stderr = fcRun(t, fcConvert, "-q", in, out) })
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := len(fcReadLines(t, out)); n != docs {
		t.Errorf("%d lines out, want %d", n, docs)
	}
	// A converter that read the whole input would hold at least its 40 MB
	// plus the decoded documents live; a streaming one holds a document or
	// two and its buffers.
	if live > 16<<20 {
		t.Errorf("live heap grew by %.1f MB while converting 40 MB: not streaming", float64(live)/(1<<20))
	}
	t.Logf("%d documents, 40 MB: live heap grew by at most %.1f MB, heap in use by %.1f MB", docs, float64(live)/(1<<20), float64(peak)/(1<<20))
}

// BenchmarkConvertDataset converts native datasets of 10 MB and 100 MB to
// spaCy JSONL and reports the peak heap in use (sampled every ms) and the
// peak resident set (VmHWM, reset before each run): they stay flat as the
// input grows tenfold. FACTMARK_BENCH_MB=10,100,1000 chooses other sizes
// (1000 takes a few minutes and 6 GB of disk).
func BenchmarkConvertDataset(b *testing.B) {
	sizes := []int{10 << 20, 100 << 20}
	if env := os.Getenv("FACTMARK_BENCH_MB"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			mb, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || mb <= 0 {
				b.Fatalf("FACTMARK_BENCH_MB=%q: want sizes in MB, e.g. 10,100,1000", env)
			}
			sizes = append(sizes, mb<<20)
		}
	}
	for _, size := range sizes {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			dir := b.TempDir()
			in := filepath.Join(dir, "in.jsonl")
			docs := fcBigDataset(b, in, size)
			st, _ := os.Stat(in)
			out := filepath.Join(dir, "out.spacy.jsonl")
			b.SetBytes(st.Size())
			b.ResetTimer()
			var maxHeap, maxLive, maxRSS uint64
			for i := 0; i < b.N; i++ {
				fcResetHWM()
				peak, live := fcPeakHeap(func() {
					if code, _, stderr := fcRun(b, fcConvert, "-q", in, out); code != 0 {
						b.Fatalf("exit %d\n%s", code, stderr)
					}
				})
				maxHeap = max(maxHeap, peak)
				maxLive = max(maxLive, live)
				maxRSS = max(maxRSS, fcVmHWM())
			}
			b.ReportMetric(float64(maxHeap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(maxLive)/(1<<20), "peak-live-MB")
			b.ReportMetric(float64(maxRSS)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(docs), "docs")
		})
	}
}

func TestConvertBratDirectory(t *testing.T) {
	dir := t.TempDir()
	col := filepath.Join(dir, "col")
	os.MkdirAll(filepath.Join(col, "sub"), 0o755)
	txt, _ := os.ReadFile(filepath.Join("..", "annotate", "testdata", "formats", "brat_article.txt"))
	ann, _ := os.ReadFile(filepath.Join("..", "annotate", "testdata", "formats", "brat_article.ann"))
	os.WriteFile(filepath.Join(col, "a.txt"), txt, 0o644)
	os.WriteFile(filepath.Join(col, "a.ann"), ann, 0o644)
	os.WriteFile(filepath.Join(col, "sub", "b.txt"), []byte("Kyiv and Lviv.\n"), 0o644)
	os.WriteFile(filepath.Join(col, "sub", "b.ann"), []byte("T1\tPlace 0 4\tKyiv\nT2\tGPE 9 13\tLviv\n"), 0o644)
	os.WriteFile(filepath.Join(col, "c.txt"), []byte("No annotations yet.\n"), 0o644)
	os.WriteFile(filepath.Join(col, "annotation.conf"), []byte("[entities]\nPlace\n"), 0o644)
	out := filepath.Join(dir, "col.jsonl")
	code, _, stderr := fcRun(t, fcConvert, col, out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "(brat) → "+out+" (factmark): 3 documents, 6 spans") ||
		!strings.Contains(stderr, "c.txt: no .ann beside the text") || !strings.Contains(stderr, "a.ann: line 7: R1: relation") {
		t.Errorf("stderr:\n%s", stderr)
	}
	lines := fcReadLines(t, out)
	if len(lines) != 3 || !strings.Contains(lines[0], `"id":"a"`) || !strings.Contains(lines[2], `"id":"b"`) {
		t.Errorf("documents: %d\n%.300s", len(lines), lines)
	}
	if code, stdout, _ := fcRun(t, fcValidate, col); code != 0 || !strings.Contains(stdout, "valid brat: 3 documents, 6 annotations (3 warnings)") {
		t.Errorf("validate a collection: %d %s", code, stdout)
	}
}
