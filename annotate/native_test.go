package annotate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/rivo/uniseg"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var updateNative = flag.Bool("update-native", false, "rewrite the golden files under testdata/native")

const (
	nativeGoldenDir = "testdata/native"
	nativeSchema    = "../web/schema/factmark-v1.schema.json"
)

// nativeID makes deterministic ids that look like NewID's.
func nativeID(i int) string { return fmt.Sprintf("a-%016x", uint64(i+1)*0x9e3779b97f4a7c15) }

func nativeTime(i int) time.Time {
	return modelT0.Add(time.Duration(i)*time.Minute + time.Duration(i*7)*time.Millisecond)
}

// nativeFind returns the code-point ranges of the whole-word occurrences of
// needle in d's text.
func nativeFind(t testing.TB, d *Document, needle string) []Range {
	t.Helper()
	ix := d.Index()
	var out []Range
	for off := 0; ; {
		i := strings.Index(d.Text[off:], needle)
		if i < 0 {
			break
		}
		b0, b1 := off+i, off+i+len(needle)
		off = b1
		before, _ := utf8.DecodeLastRuneInString(d.Text[:b0])
		after, _ := utf8.DecodeRuneInString(d.Text[b1:])
		if unicode.IsLetter(before) || unicode.IsDigit(before) || unicode.IsLetter(after) || unicode.IsDigit(after) {
			continue
		}
		r, err := ix.ConvertRange(Range{b0, b1}, Bytes, CodePoints)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		t.Fatalf("%q is not in the text", needle)
	}
	return out
}

// nativeSeedState is the seed article with persons, places, figures
// (nested and overlapping) and claims with claim records and notes.
func nativeSeedState(t testing.TB) *State {
	t.Helper()
	raw, err := readModelSeed()
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromText(raw, TextOptions{Source: "https://news.example.com/2025/11/us-delegation-kyiv"})
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	i := 0
	add := func(label string, r Range, note string, c *Claim) string {
		a := Annotation{ID: nativeID(i), Label: label, Start: r.Start, End: r.End, Created: nativeTime(i), Modified: nativeTime(i), Note: note, Claim: c}
		i++
		if _, err := s.Apply(Add(a)); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	spans := map[string][]string{
		"person": {"Dan Driscoll", "Driscoll", "Volodymyr Zelensky", "Zelensky", "David Butler", "Randy George", "Chris Donahue",
			"Michael Weimer", "Donald Trump", "Trump", "Denys Shmyhal", "Shmyhal", "Steve Witkoff", "Witkoff", "Kirill Dmitriev",
			"Dmitry Peskov", "Putin", "Sergei Lavrov", "Keith Kellogg", "Kellogg"},
		"place":  {"Kyiv", "Ukraine", "Russia", "Turkey", "Ternopil", "Washington", "Moscow", "Alaska", "Anchorage", "U.S.", "White House"},
		"figure": {"at least 26", "$105 million", "28-point", "360 days", "January 2017", "2020", "early 2022"},
	}
	for _, label := range []string{"person", "place", "figure"} {
		for _, needle := range spans[label] {
			for _, r := range nativeFind(t, d, needle) {
				add(label, r, "", nil)
			}
		}
	}
	driscoll := s.Overlapping(nativeFind(t, d, "Dan Driscoll")[0])[0].ID
	add("claim", nativeFind(t, d, "This visit marks the highest-level engagement by U.S. military officials in Kyiv since the inauguration of former President Donald Trump in January 2017.")[0],
		"Checked against the State Department's visit records.", &Claim{
			Verdict: "false", Text: "No U.S. military visit to Kyiv since 2017 was as senior.", Claimant: Claimant{SpanID: driscoll},
			Date: "2025-11-19", CheckWorthy: modelBool(true), Rationale: "Defense Secretary Lloyd Austin visited Kyiv in 2023.\nThat visit was higher-level.",
			Evidence: []Evidence{
				{URL: "https://www.defense.gov/News/Releases/", Quote: "Secretary of Defense Lloyd J. Austin III traveled to Kyiv", Stance: "refutes", Accessed: "2025-11-20"},
				{URL: "https://example.org/background", Quote: "", Stance: "context", Accessed: ""},
			},
			ReviewURL: "https://factcheck.example.org/reviews/kyiv-visit",
		})
	add("claim", nativeFind(t, d, "Russia’s full-scale invasion of Ukraine began in early 2022 and has since caused widespread devastation.")[0], "", &Claim{Verdict: "true"})
	add("claim", nativeFind(t, d, "which cannot extend beyond 360 days without renewal")[0], "Clause only; the term limit is what matters.", &Claim{Claimant: Claimant{Name: "a White House official"}})
	add("claim", nativeFind(t, d, "the U.S. and Russia have quietly drafted a 28-point peace proposal.")[0], "", nil)
	return s
}

// nativeCorpusFiles lists the Unicode corpus.
func nativeCorpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/unicode/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Unicode corpus under testdata/unicode: %v", err)
	}
	sort.Strings(files)
	return files
}

// nativeCorpusState annotates one corpus file: every grapheme cluster that is
// not a single ASCII character (emoji sequences, flags, letters with marks,
// invisible characters), every word, pairs of words (overlapping the words),
// and sentences as claims.
func nativeCorpusState(t testing.TB, file string) *State {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromText(raw, TextOptions{Source: filepath.Base(file)})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	s := NewState(d, DefaultSchema())
	ix := d.Index()
	i := 0
	add := func(label string, r Range, c *Claim) {
		if !ix.IsGraphemeBoundary(r.Start) || !ix.IsGraphemeBoundary(r.End) || r.Len() == 0 {
			return
		}
		a := Annotation{ID: nativeID(i), Label: label, Start: r.Start, End: r.End, Created: nativeTime(i), Modified: nativeTime(i), Claim: c}
		if _, err := s.Apply(Add(a)); err == nil {
			i++
		}
	}
	for g := 0; g < ix.Len(Graphemes); g++ {
		r, err := ix.ConvertRange(Range{g, g + 1}, Graphemes, CodePoints)
		if err != nil {
			t.Fatal(err)
		}
		if q := ix.Slice(r); len(q) > 1 || q[0] >= utf8.RuneSelf {
			add("figure", r, nil)
		}
	}
	words := ix.Words()
	for k, w := range words {
		add("person", w, nil)
		if k+1 < len(words) && k%2 == 0 {
			add("place", Range{w.Start, words[k+1].End}, nil)
		}
	}
	for k, sent := range ix.Sentences() {
		var c *Claim
		if k == 0 {
			c = &Claim{Verdict: "unproven", Text: "First sentence of " + filepath.Base(file), Rationale: ix.Slice(sent)}
		}
		add("claim", sent, c)
	}
	if s.Len() < 10 {
		t.Fatalf("%s: only %d annotations", file, s.Len())
	}
	return s
}

func nativeCorpusStates(t testing.TB) []*State {
	var out []*State
	for _, f := range nativeCorpusFiles(t) {
		out = append(out, nativeCorpusState(t, f))
	}
	return out
}

func encodeDataset(t testing.TB, states []*State) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewDatasetWriter(&buf)
	for _, s := range states {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func mustEncode(t testing.TB, s *State) []byte {
	t.Helper()
	b, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func emojiState(t testing.TB) *State {
	for _, f := range nativeCorpusFiles(t) {
		if filepath.Base(f) == "emoji.txt" {
			return nativeCorpusState(t, f)
		}
	}
	t.Fatal("no emoji.txt in the corpus")
	return nil
}

// TestNativeGolden compares the encodings of the seed article, the emoji
// corpus file and the whole Unicode corpus (as a dataset) with the committed
// golden files, and checks that decoding and re-encoding each golden file
// gives it back byte for byte. Run with -update-native to rewrite them.
func TestNativeGolden(t *testing.T) {
	for _, g := range []struct {
		file string
		make func() []byte
	}{
		{"seed.factmark.json", func() []byte { return mustEncode(t, nativeSeedState(t)) }},
		{"emoji.factmark.json", func() []byte { return mustEncode(t, emojiState(t)) }},
		{"corpus.jsonl", func() []byte { return encodeDataset(t, nativeCorpusStates(t)) }},
	} {
		t.Run(g.file, func(t *testing.T) {
			path := filepath.Join(nativeGoldenDir, g.file)
			got := g.make()
			if *updateNative {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestNativeGolden -update-native)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("encoding differs from %s (run go test -run TestNativeGolden -update-native and review the diff):\n%s", path, firstDiff(want, got))
			}
			// Decode and encode the golden file again.
			var again []byte
			if strings.HasSuffix(g.file, ".jsonl") {
				var states []*State
				r := NewDatasetReader(bytes.NewReader(want))
				for {
					s, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					states = append(states, s)
				}
				if len(states) != len(nativeCorpusFiles(t)) {
					t.Errorf("%d documents in %s", len(states), path)
				}
				again = encodeDataset(t, states)
			} else {
				s, err := Decode(want)
				if err != nil {
					t.Fatal(err)
				}
				again = mustEncode(t, s)
			}
			if !bytes.Equal(again, want) {
				t.Errorf("encode(decode(%s)) differs:\n%s", path, firstDiff(want, again))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			if len(w) > 300 {
				w = w[:300] + "…"
			}
			if len(g) > 300 {
				g = g[:300] + "…"
			}
			return fmt.Sprintf("line %d:\nwant %s\n got %s", i+1, w, g)
		}
	}
	return "(no difference)"
}

// TestNativeRoundTrip checks that decoding an encoding gives the same state.
func TestNativeRoundTrip(t *testing.T) {
	states := append([]*State{nativeSeedState(t), modelState(t)}, nativeCorpusStates(t)...)
	for _, s := range states {
		t.Run(s.Doc.ID, func(t *testing.T) {
			data := mustEncode(t, s)
			back, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.Doc, back.Doc, cmp.AllowUnexported(Document{}), cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".index"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(s.Schema, back.Schema); diff != "" {
				t.Errorf("schema (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(s.Annotations(), back.Annotations(), cmpAnn); diff != "" {
				t.Errorf("annotations (-want +got):\n%s", diff)
			}
			if back.Revision != 0 {
				t.Errorf("decoded Revision %d", back.Revision)
			}
			checkSpanList(t, back)
			if again := mustEncode(t, back); !bytes.Equal(again, data) {
				t.Errorf("not byte-identical:\n%s", firstDiff(data, again))
			}
			compact, err := encodeCompact(s)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.ContainsAny(compact, "\n\r") {
				t.Error("the compact encoding has a line break")
			}
			var a, b any
			json.Unmarshal(compact, &a)
			json.Unmarshal(data, &b)
			if !cmp.Equal(a, b) {
				t.Error("compact and indented encodings hold different JSON")
			}
		})
	}
}

// nativeFile is the native format as an independent consumer reads it, with
// encoding/json.
type nativeFile struct {
	Document struct {
		Text    string `json:"text"`
		SHA256  string `json:"sha256"`
		Lengths struct {
			Bytes, UTF16, CodePoints, Graphemes int
		} `json:"lengths"`
	} `json:"document"`
	Annotations []struct {
		ID      string `json:"id"`
		Start   int    `json:"start"`
		End     int    `json:"end"`
		Offsets struct {
			Byte     [2]int `json:"byte"`
			UTF16    [2]int `json:"utf16"`
			Grapheme [2]int `json:"grapheme"`
		} `json:"offsets"`
		Quote  string `json:"quote"`
		Prefix string `json:"prefix"`
		Suffix string `json:"suffix"`
	} `json:"annotations"`
}

// TestNativeOffsetsIndependent reads encodings with encoding/json and checks
// every unit with code that shares nothing with Index: []rune slicing for
// code points, Go string slicing for bytes, unicode/utf16 for UTF-16 units
// and uniseg's grapheme iterator for clusters.
func TestNativeOffsetsIndependent(t *testing.T) {
	states := append([]*State{nativeSeedState(t)}, nativeCorpusStates(t)...)
	total := 0
	for _, s := range states {
		var f nativeFile
		if err := json.Unmarshal(mustEncode(t, s), &f); err != nil {
			t.Fatal(err)
		}
		text := f.Document.Text
		runes := []rune(text)
		units := utf16.Encode(runes)
		var clusters []int // byte offset of every cluster boundary
		g := uniseg.NewGraphemes(text)
		for g.Next() {
			from, _ := g.Positions()
			clusters = append(clusters, from)
		}
		clusters = append(clusters, len(text))
		sum := sha256.Sum256([]byte(text))
		l := f.Document.Lengths
		if f.Document.SHA256 != hex.EncodeToString(sum[:]) || l.Bytes != len(text) || l.UTF16 != len(units) ||
			l.CodePoints != len(runes) || l.Graphemes != len(clusters)-1 {
			t.Errorf("%s: sha256 or lengths %+v disagree with the text", s.Doc.ID, l)
		}
		for _, a := range f.Annotations {
			where := fmt.Sprintf("%s %s [%d, %d)", s.Doc.ID, a.ID, a.Start, a.End)
			if got := string(runes[a.Start:a.End]); got != a.Quote {
				t.Errorf("%s: code points give %q, quote %q", where, got, a.Quote)
			}
			if got := string(runes[max(0, a.Start-32):a.Start]); got != a.Prefix {
				t.Errorf("%s: prefix %q, want %q", where, a.Prefix, got)
			}
			if got := string(runes[a.End:min(len(runes), a.End+32)]); got != a.Suffix {
				t.Errorf("%s: suffix %q, want %q", where, a.Suffix, got)
			}
			if b := a.Offsets.Byte; text[b[0]:b[1]] != a.Quote {
				t.Errorf("%s: bytes %v give %q", where, b, text[b[0]:b[1]])
			}
			if u := a.Offsets.UTF16; string(utf16.Decode(units[u[0]:u[1]])) != a.Quote || utf16.IsSurrogate(rune(units[u[0]])) && units[u[0]] >= 0xdc00 {
				t.Errorf("%s: utf16 %v give %q", where, u, string(utf16.Decode(units[u[0]:u[1]])))
			}
			if gr := a.Offsets.Grapheme; clusters[gr[0]] != a.Offsets.Byte[0] || clusters[gr[1]] != a.Offsets.Byte[1] {
				t.Errorf("%s: graphemes %v are bytes [%d, %d), want %v", where, gr, clusters[gr[0]], clusters[gr[1]], a.Offsets.Byte)
			}
			total++
		}
	}
	if total < 1000 {
		t.Errorf("only %d annotations checked", total)
	}
}

// nativeSchemaValidator compiles web/schema/factmark-v1.schema.json.
func nativeSchemaValidator(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(nativeSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", nativeSchema, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "urn:factmark:schema:factmark-v1"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compiling %s: %v", nativeSchema, err)
	}
	return sch
}

func validateJSON(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestNativeJSONSchema validates encodings against the published JSON Schema
// and checks that the schema rejects broken files (so that it is not
// vacuous).
func TestNativeJSONSchema(t *testing.T) {
	sch := nativeSchemaValidator(t)
	states := append([]*State{nativeSeedState(t), modelState(t)}, nativeCorpusStates(t)...)
	for _, s := range states {
		if err := validateJSON(sch, mustEncode(t, s)); err != nil {
			t.Errorf("%s: %v", s.Doc.ID, err)
		}
	}
	base := string(mustEncode(t, modelState(t)))
	for _, tc := range []struct{ old, new string }{
		{`"format": "factmark/v1"`, `"format": "factmark/v2"`},
		{`"unit": "codepoint"`, `"unit": "byte"`},
		{`"start": 24`, `"start": "24"`},
		{`"start": 24`, `"start": -1`},
		{`"byte": [31, 34]`, `"byte": [31, 34, 35]`},
		{`"quote": "12%",`, ``},
		{`"note": "",`, `"note": "", "colour": "red",`},
		{`"kind": "claim"`, `"kind": "relation"`},
		{`"color": "#0031c4"`, `"color": "blue"`},
		{`"verdict": "false"`, `"verdict": "lie"`},
		{`"stance": "refutes"`, `"stance": "hmm"`},
		{`"url": "https://example.com/aid"`, `"url": "javascript:alert(1)"`},
		{`"checkWorthy": true`, `"checkWorthy": "yes"`},
		{`"created": "2025-11-25T09:00:00.000Z"`, `"created": "25 Nov 2025"`},
		{`"sha256": "`, `"sha256": "X`},
	} {
		bad := strings.Replace(base, tc.old, tc.new, 1)
		if bad == base {
			t.Fatalf("%q is not in the encoding", tc.old)
		}
		if err := validateJSON(sch, []byte(bad)); err == nil {
			t.Errorf("the schema accepts %s instead of %s", tc.new, tc.old)
		}
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode accepts %s instead of %s", tc.new, tc.old)
		}
	}
}

// TestNativeSchemaVocabulary keeps the enums of the JSON Schema in step with
// the claim vocabulary.
func TestNativeSchemaVocabulary(t *testing.T) {
	data, err := os.ReadFile(nativeSchema)
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		Defs struct {
			Claim struct {
				Properties struct {
					Verdict  struct{ Enum []string } `json:"verdict"`
					Evidence struct {
						Items struct {
							Properties struct {
								Stance struct{ Enum []string } `json:"stance"`
							} `json:"properties"`
						} `json:"items"`
					} `json:"evidence"`
				} `json:"properties"`
			} `json:"claim"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &sch); err != nil {
		t.Fatal(err)
	}
	verdicts := []string{""}
	for _, v := range Verdicts() {
		verdicts = append(verdicts, v.ID)
	}
	stances := []string{""}
	for _, s := range Stances() {
		stances = append(stances, s.ID)
	}
	if diff := cmp.Diff(verdicts, sch.Defs.Claim.Properties.Verdict.Enum); diff != "" {
		t.Errorf("schema verdicts (-Verdicts() +schema):\n%s", diff)
	}
	if diff := cmp.Diff(stances, sch.Defs.Claim.Properties.Evidence.Items.Properties.Stance.Enum); diff != "" {
		t.Errorf("schema stances (-Stances() +schema):\n%s", diff)
	}
}

// nativeLine returns the 1-based line of the first occurrence of marker.
func nativeLine(t *testing.T, text, marker string) int {
	t.Helper()
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("%q is not in the input", marker)
	}
	return 1 + strings.Count(text[:i], "\n")
}

// TestDecodeErrors breaks an encoding in one place at a time and checks the
// error: its JSON path, its reason and the line of the bad value.
func TestDecodeErrors(t *testing.T) {
	base := string(mustEncode(t, modelState(t)))
	a2 := base[strings.Index(base, "    {\n      \"id\": \"a-2\""):]
	a2 = a2[:strings.Index(a2, "    },\n")+len("    },\n")]
	for _, tc := range []struct {
		name     string
		old, new string
		n        int    // which occurrence of old (1 = first)
		line     string // marker of the line the error names ("" = where old was)
		want     string
	}{
		{"end in flag", `"end": 14`, `"end": 13`, 1, "", `annotations[2].end: 13 is inside a grapheme cluster [12, 14)`},
		{"start in flag", `"start": 12`, `"start": 13`, 1, "", `annotations[2].start: 13 is inside a grapheme cluster [12, 14)`},
		{"reversed", `"start": 24`, `"start": 28`, 1, `"end": 27`, `annotations[3].end: 27 is before start 28 (range [28, 27) is reversed)`},
		{"out of range", `"end": 27`, `"end": 29`, 1, "", `annotations[3].end: 29 is out of range [0, 28]`},
		{"negative", `"start": 24`, `"start": -24`, 1, "", `annotations[3].start: -24 is out of range [0, 28]`},
		{"empty", `"end": 27`, `"end": 24`, 1, "", `annotations[3].end: 24 equals start (the range is empty)`},
		{"bytes", `"byte": [31, 34]`, `"byte": [31, 33]`, 1, "", `annotations[3].offsets.byte[1]: 33 does not match end 27, which is byte offset 34`},
		{"utf16", `"utf16": [26, 29]`, `"utf16": [24, 29]`, 1, "", `annotations[3].offsets.utf16[0]: 24 does not match start 24, which is utf16 offset 26`},
		{"graphemes", `"grapheme": [23, 26]`, `"grapheme": [24, 27]`, 1, "", `annotations[3].offsets.grapheme[0]: 24 does not match start 24, which is grapheme offset 23`},
		{"pair", `"grapheme": [23, 26]`, `"grapheme": [23]`, 1, "", `annotations[3].offsets.grapheme: want two numbers [start, end], got 1`},
		{"quote", `"quote": "12%"`, `"quote": "12 %"`, 1, "", `annotations[3].quote: "12 %" is not the text of the range, "12%"`},
		{"prefix", `"prefix": "Müller said ",`, `"prefix": "Mueller said ",`, 1, "", `annotations[2].prefix: "Mueller said " is not the text before the range, "Müller said "`},
		{"suffix", `"suffix": ".",`, `"suffix": "",`, 1, "", `annotations[3].suffix: "" is not the text after the range, "."`},
		{"label", `"label": "figure"`, `"label": "number"`, 1, "", `annotations[3].label: "number" is not a label of the schema`},
		{"id taken", `"id": "a-2"`, `"id": "a-1"`, 1, "", `annotations[2].id: "a-1" is already the id of annotations[1]`},
		{"id blank", `"id": "a-2"`, `"id": "a 2"`, 1, "", `annotations[2].id: "a 2" has a space, control or invisible character`},
		{"duplicate span", a2, a2 + strings.Replace(a2, `"a-2"`, `"a-5"`, 1), 1, "    {\n      \"id\": \"a-5\"", `annotations[3]: has the same range [12, 14) and label "place" as annotations[2]`},
		{"unknown field", `"note": "",`, `"note": "", "colour": "red",`, 1, "", `annotations[0].colour: unknown field`},
		{"missing field", `"quote": "12%",` + "\n      ", ``, 1, "    {\n      \"id\": \"a-3\"", `annotations[3].quote: is missing`},
		{"string for int", `"start": 24`, `"start": "24"`, 1, "", `annotations[3].start: want an integer, got string "24"`},
		{"float", `"start": 24`, `"start": 24.0`, 1, "", `annotations[3].start: want an integer, got 24.0`},
		{"exponent", `"start": 24`, `"start": 2.4e1`, 1, "", `annotations[3].start: want an integer, got 2.4e1`},
		{"huge", `"start": 24`, `"start": 99999999999999999999`, 1, "", `annotations[3].start: integer 99999999999999999999 is out of range`},
		{"null note", `"note": ""`, `"note": null`, 1, "", `annotations[0].note: want a string, got null`},
		{"lengths", `"graphemes": 27`, `"graphemes": 28`, 1, "", `document.lengths.graphemes: is 28 but the text has 27`},
		{"block kind", `"kind": "paragraph"`, `"kind": "para"`, 1, "", `document.blocks[0].kind: unknown kind "para" (want title, heading or paragraph)`},
		{"block type", `{"kind": "paragraph", "start": 0, "end": 28}`, `"paragraph"`, 1, "", `document.blocks[0]: want an object, got string "paragraph"`},
		{"normalization", `"normalization": []`, `"normalization": ["nfc", "nfc"]`, 1, "", `document.normalization[1]: "nfc" is already normalization[0]`},
		{"normalization step", `"normalization": []`, `"normalization": ["NFC!"]`, 1, "", `document.normalization[0]: "NFC!" is not a step name (lowercase letters, digits and "-")`},
		{"no source value", `"title": "Test",`, `"title": "Test", "source": 7,`, 1, "", `document.source: want a string, got number 7`},
		{"key taken", `"key": "2"`, `"key": "1"`, 1, "", `schema.labels[1].key: "1" is already the key of labels[0]`},
		{"no labels", `"labels": [`, `"labels": [], "x": [`, 1, "", `schema.x: unknown field`},
		{"claimant", `"spanId": "a-1"`, `"spanId": "a-7"`, 1, "", `annotations[0].claim.claimant.spanId: annotation "a-7" is not in the file`},
		{"claimant self", `"spanId": "a-1"`, `"spanId": "a-4"`, 1, "", `annotations[0].claim.claimant.spanId: "a-4" is the claim itself`},
		{"check-worthy", `"checkWorthy": true`, `"checkWorthy": "yes"`, 1, "", `annotations[0].claim.checkWorthy: want true, false or null, got string "yes"`},
		{"evidence field", `"stance": "refutes"`, `"stance": "refutes", "weight": 1`, 1, "", `annotations[0].claim.evidence[0].weight: unknown field`},
		{"created", `"created": "2025-11-25T09:00:00.000Z"`, `"created": "25/11/2025"`, 1, "", `annotations[0].created: "25/11/2025" is not an RFC 3339 time such as "2025-11-25T21:30:00.000Z"`},
		{"format version", `"format": "factmark/v1"`, `"format": "factmark/v2"`, 1, "", `format: "factmark/v2" is a version of the Factmark format this program does not read (it reads "factmark/v1")`},
		{"format other", `"format": "factmark/v1"`, `"format": "brat"`, 1, "", `format: "brat" is not "factmark/v1"`},
		{"unit", `"unit": "codepoint"`, `"unit": "utf16"`, 1, "", `unit: "utf16" is not "codepoint" (factmark/v1 counts in code points)`},
		{"top-level field", `"unit": "codepoint",`, `"unit": "codepoint", "history": [],`, 1, "", `history: unknown field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			idx := -1
			for k := 0; k < tc.n; k++ {
				j := strings.Index(in[idx+1:], tc.old)
				if j < 0 {
					t.Fatalf("%q occurs fewer than %d times", tc.old, tc.n)
				}
				idx += 1 + j
			}
			in = in[:idx] + tc.new + in[idx+len(tc.old):]
			line := 1 + strings.Count(in[:idx], "\n")
			if tc.line != "" {
				line = nativeLine(t, in, tc.line)
			}
			want := fmt.Sprintf("line %d: %s", line, tc.want)
			_, err := Decode([]byte(in))
			if err == nil {
				t.Fatalf("Decode accepted the input; want %s", want)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *DecodeError", err)
			}
			if err.Error() != want {
				t.Errorf("got  %s\nwant %s", err, want)
			}
		})
	}
	// Errors whose wording belongs to other parts of the package: check the
	// path and the line, and that the reason is there.
	for _, tc := range []struct{ name, old, new, prefix string }{
		{"sha256", `"sha256": "f`, `"sha256": "0`, `document.sha256: `},
		{"text changed", `"text": "Müller`, `"text": "Muller`, `document.sha256: `},
		{"verdict", `"verdict": "false"`, `"verdict": "lie"`, `annotations[0].claim.verdict: unknown verdict "lie"`},
		{"evidence url", `"url": "https://example.com/aid"`, `"url": "javascript:alert(1)"`, `annotations[0].claim.evidence[0].url: `},
		{"claim date", `"date": ""`, `"date": "yesterday"`, `annotations[0].claim.date: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(base, tc.old, tc.new, 1)
			_, err := Decode([]byte(in))
			if err == nil {
				t.Fatal("Decode accepted the input")
			}
			line := nativeLine(t, in, tc.new)
			if tc.name == "text changed" {
				line = nativeLine(t, in, `"sha256"`)
			}
			if want := fmt.Sprintf("line %d: %s", line, tc.prefix); !strings.HasPrefix(err.Error(), want) || len(err.Error()) <= len(want) {
				t.Errorf("got  %s\nwant %s…", err, want)
			}
		})
	}
	// A claim record on an entity label.
	in := strings.Replace(base, `"label": "claim",`, `"label": "figure",`, 1)
	_, err := Decode([]byte(in))
	if want := fmt.Sprintf(`line %d: annotations[0].claim: label "figure" is of kind entity, so the span cannot carry a claim record`, nativeLine(t, in, `"claim": {`)); err == nil || err.Error() != want {
		t.Errorf("claim on entity:\n got %v\nwant %s", err, want)
	}
}

// TestDecodeSyntax checks errors in the JSON itself.
func TestDecodeSyntax(t *testing.T) {
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	for _, tc := range []struct{ in, want string }{
		{"", "line 1: input is empty, want a JSON object"},
		{" \n\t", "line 1: input is empty, want a JSON object"},
		{"{", "line 1: unexpected end of input, want a member name in double quotes (column 2)"},
		{`{"a": 1} x`, "line 1: unexpected character 'x' after the end of the JSON value (column 10)"},
		{`{"a": tru}`, "line 1: a: unexpected character 't', want a value (column 7)"},
		{"{\"a\": \"\xff\"}", "line 1: a: invalid utf-8 (byte 0xff) (column 8)"},
		{`{"a": "\ud800"}`, `line 1: a: \ud800 is a lone surrogate, not a character (column 8)`},
		{`{"a": "\udc00\ud800"}`, `line 1: a: \udc00 is a lone surrogate, not a character (column 8)`},
		{`{"a": "\x"}`, `line 1: a: invalid escape \x (column 8)`},
		{`{"a": "\u12"}`, `line 1: a: invalid \u escape, want 4 hex digits (column 8)`},
		{`{"a": 1, "a": 2}`, "line 1: a: duplicate member name (column 10)"},
		{`{"a": 01}`, "line 1: a: number with a leading zero (column 7)"},
		{`{"a": -}`, "line 1: a: unexpected character '}' in a number, want a digit (column 8)"},
		{`{"a": 1.}`, "line 1: a: unexpected character '}' after a decimal point, want a digit (column 9)"},
		{`{"a": [1,]}`, "line 1: a[1]: unexpected character ']', want a value (column 10)"},
		{`{"a": [1 2]}`, "line 1: a: unexpected character '2', want ',' or ']' (column 10)"},
		{`{"a" 1}`, `line 1: unexpected character '1' after member name "a", want ':' (column 6)`},
		{`{"a b": {"c": x}}`, `line 1: "a b".c: unexpected character 'x', want a value (column 15)`},
		{"{\n  \"a\": \"x\ny\"}", "line 2: a: control character U+000A in a string (escape it) (column 10)"},
		{"{\n  \"a\": \"x", "line 2: a: string is not terminated (column 8)"},
		{"[1]", "line 1: want a JSON object, got an array"},
		{`{"a": 1}`, `line 1: not a Factmark file (it has no "format": "factmark/v1")`},
		{`{"format": 1}`, `line 1: format: want a string, got number 1`},
		{deep, "nesting deeper than 64 levels"},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil {
			t.Errorf("Decode(%q) succeeded", tc.in)
			continue
		}
		if tc.in == deep {
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decode(deep) = %v", err)
			}
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Decode(%q)\n got %s\nwant %s", tc.in, err, tc.want)
		}
	}
	// Escapes that are fine, including a surrogate pair for U+1F600.
	s := modelState(t)
	s.Apply(SetNote("a-1", "x"))
	data := strings.Replace(string(mustEncode(t, s)), `"note": "x"`, `"note": "\ud83d\ude00 \u00fc \/ \b\f\n\r\t"`, 1)
	back, err := Decode([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := back.Annotation("a-1"); a.Note != "😀 ü / \b\f\n\r\t" {
		t.Errorf("note %q", a.Note)
	}
}

func TestEncodeRefuses(t *testing.T) {
	s := modelState(t)
	s.Doc.SHA256 = "0"
	if _, err := Encode(s); err == nil || !strings.HasPrefix(err.Error(), "cannot encode: document.sha256: ") {
		t.Errorf("bad document: %v", err)
	}
	s = modelState(t)
	s.Schema.Labels[0].Color = "red"
	if _, err := Encode(s); err == nil || err.Error() != `cannot encode: schema.labels[0].color: "red" is not a colour of the form #rrggbb` {
		t.Errorf("bad schema: %v", err)
	}
	if _, err := Encode(&State{}); err == nil {
		t.Error("state without document encoded")
	}
	s = modelState(t)
	s.Doc.Title = "bad \xff"
	if _, err := Encode(s); err == nil || err.Error() != "cannot encode: document.title is not valid utf-8" {
		t.Errorf("bad title: %v", err)
	}
}

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           `"plain"`,
		"q\"b\\":          `"q\"b\\"`,
		"\n\r\t\b\f":      `"\n\r\t\b\f"`,
		"\x00\x1f\x7f":    `"\u0000\u001f` + "\x7f" + `"`,
		"\u2028\u2029":    `"\u2028\u2029"`,
		"<&> ü 🇺🇦 \u00a0": "\"<&> ü 🇺🇦 \u00a0\"",
	} {
		got := string(appendString(nil, in))
		if got != want {
			t.Errorf("appendString(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil || back != in {
			t.Errorf("encoding/json reads %s as %q, %v", got, back, err)
		}
	}
}

func TestDataset(t *testing.T) {
	states := []*State{modelState(t), emojiState(t), nativeSeedState(t)}
	data := encodeDataset(t, states)
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Fatalf("%d lines, want 3", n)
	}
	lines := strings.SplitAfter(string(data), "\n")
	// Blank lines are skipped; a bad line reports its line number and the
	// reader goes on with the next one.
	input := "\n" + lines[0] + "  \r\n" + strings.Replace(lines[1], `"unit":"codepoint"`, `"unit":"byte"`, 1) + lines[2]
	r := NewDatasetReader(strings.NewReader(input))
	s, err := r.Next()
	if err != nil || s.Doc.ID != states[0].Doc.ID {
		t.Fatalf("first: %v", err)
	}
	_, err = r.Next()
	var de *DecodeError
	if !errors.As(err, &de) || de.Line != 4 || err.Error() != `line 4: unit: "byte" is not "codepoint" (factmark/v1 counts in code points)` {
		t.Fatalf("second: %v", err)
	}
	s, err = r.Next()
	if err != nil || s.Doc.ID != states[2].Doc.ID || s.Len() != states[2].Len() {
		t.Fatalf("third: %v", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("end: %v, want io.EOF", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the end: %v, want io.EOF", err)
	}
	// A last line without a newline still counts.
	r = NewDatasetReader(strings.NewReader(strings.TrimSuffix(lines[0], "\n")))
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatal(err)
	}
	// Read errors are passed on.
	r = NewDatasetReader(io.MultiReader(strings.NewReader(lines[0]), errReader{}))
	r.Next()
	if _, err := r.Next(); err == nil || err.Error() != "dataset after line 1: disk on fire" {
		t.Errorf("read error: %v", err)
	}
	// The writer reports the document that cannot be written.
	bad := modelState(t)
	bad.Doc.Lengths.Bytes++
	w := NewDatasetWriter(io.Discard)
	w.Write(modelState(t))
	if err := w.Write(bad); err == nil || !strings.HasPrefix(err.Error(), "dataset line 2: cannot encode: document.lengths.bytes: ") {
		t.Errorf("writer: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func BenchmarkEncode10k(b *testing.B) {
	s := benchState(b)
	data, err := Encode(s)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Encode(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode10k(b *testing.B) {
	data, err := Encode(benchState(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if s.Len() != 10000 {
			b.Fatalf("%d annotations", s.Len())
		}
	}
}
