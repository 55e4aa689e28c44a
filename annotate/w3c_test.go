package annotate

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var updateW3C = flag.Bool("update-w3c", false, "rewrite the golden files under testdata/w3c")

// seedSource is the web source given to the seed article in these tests.
const seedSource = "https://news.example.com/2025/11/us-delegation-kyiv"

func readSeedArticle(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "app", "seed", "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// spanOf returns the code-point range of the n-th (0-based) occurrence of
// quote in the document text.
func spanOf(t testing.TB, d *Document, quote string, n int) Range {
	t.Helper()
	from := 0
	for i := 0; ; i++ {
		b := strings.Index(d.Text[from:], quote)
		if b < 0 {
			t.Fatalf("%q (occurrence %d) is not in the text", quote, n)
		}
		b += from
		if i == n {
			ix := d.Index()
			s, _ := ix.Convert(b, Bytes, CodePoints)
			e, _ := ix.Convert(b+len(quote), Bytes, CodePoints)
			return Range{s, e}
		}
		from = b + len(quote)
	}
}

var testTime = time.Date(2025, 11, 20, 9, 30, 15, 123000000, time.UTC)

// The claim sentence.
const seedClaim = "This visit marks the highest-level engagement by U.S. military officials in Kyiv since the inauguration of former President Donald Trump in January 2017."

// seedClaimState annotates the seed article: persons, places, figures, a
// nested claim with every detail, a claim with only a verdict, and a claim
// with none.
func seedClaimState(t testing.TB, source string) *State {
	t.Helper()
	d, err := FromText(readSeedArticle(t), TextOptions{Source: source})
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	yes, no := true, false
	n := 0
	add := func(label, quote string, occ int, note string, c *Claim) string {
		t.Helper()
		n++
		r := spanOf(t, d, quote, occ)
		a := Annotation{
			ID: fmt.Sprintf("a-%016x", n), Label: label, Start: r.Start, End: r.End,
			Created: testTime.Add(time.Duration(n) * time.Minute), Modified: testTime.Add(time.Duration(n) * time.Hour),
			Note: note, Claim: c,
		}
		if _, err := s.Apply(Add(a)); err != nil {
			t.Fatalf("add %q: %v", quote, err)
		}
		return a.ID
	}
	butler := add("person", "David Butler", 0, "", nil)
	add("person", "Dan Driscoll", 0, "U.S. Army Secretary", nil)
	add("person", "Donald Trump", 0, "", nil)
	add("place", "Kyiv", 0, "", nil)
	add("place", "Kyiv", 1, "", nil)
	add("place", "Ternopil", 0, "", nil)
	add("figure", "$105 million", 0, "", nil)
	add("figure", "28-point", 0, "", nil)
	add("figure", "at least 26 fatalities", 0, "", nil)
	add("claim", seedClaim, 0, "Checked with the Pentagon press office.", &Claim{
		Verdict:     "false",
		Text:        "No U.S. military delegation this senior has visited Kyiv since January 2017.",
		Claimant:    Claimant{SpanID: butler},
		Date:        "2025-11-19",
		CheckWorthy: &yes,
		Rationale:   "Defense Secretary Lloyd Austin visited Kyiv in April 2022 and November 2023.",
		Evidence: []Evidence{
			{URL: "https://www.defense.gov/News/News-Stories/Article/Article/3009394/", Quote: "Austin, Blinken visit Kyiv", Stance: "refutes", Accessed: "2025-11-20"},
			{URL: "https://en.wikipedia.org/wiki/Daniel_P._Driscoll", Stance: "context"},
		},
		ReviewURL: "https://factcheck.example.org/2025/kyiv-visit",
	})
	add("claim", "Russia’s full-scale invasion of Ukraine began in early 2022", 0, "", &Claim{
		Verdict: "true", Claimant: Claimant{Name: "BBC"}, CheckWorthy: &no,
	})
	add("claim", "the U.S. and Russia have quietly drafted a 28-point peace proposal", 0, "", nil)
	return s
}

// w3cMotivations is the Motivation vocabulary of the Web Annotation model
// (section 3.3.5).
var w3cMotivations = map[string]bool{
	"assessing": true, "bookmarking": true, "classifying": true, "commenting": true, "describing": true,
	"editing": true, "highlighting": true, "identifying": true, "linking": true, "moderating": true,
	"questioning": true, "replying": true, "tagging": true,
}

func isIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !strings.ContainsAny(s, " \t\n<>\"{}|\\^`")
}

// checkW3CStructure checks an export against the requirements of the Web
// Annotation Data Model, reading it as plain JSON (not with our types), and
// returns the annotations it holds.
func checkW3CStructure(t *testing.T, d *Document, data []byte) []map[string]any {
	t.Helper()
	var coll map[string]any
	if err := json.Unmarshal(data, &coll); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
	}
	// 4.1 Annotation Collection: @context, id (IRI), type, label, total, first.
	if coll["@context"] != "http://www.w3.org/ns/anno.jsonld" {
		errorf("collection @context = %v", coll["@context"])
	}
	if id, _ := coll["id"].(string); !isIRI(id) {
		errorf("collection id %q is not an IRI", id)
	}
	if coll["type"] != "AnnotationCollection" {
		errorf("collection type = %v", coll["type"])
	}
	if l, _ := coll["label"].(string); l == "" {
		errorf("collection has no label")
	}
	if coll["factmark:unit"] != "codepoint" {
		errorf("collection does not state the unit: factmark:unit = %v", coll["factmark:unit"])
	}
	page, ok := coll["first"].(map[string]any)
	if !ok {
		t.Fatalf("collection first is %T, want an embedded AnnotationPage", coll["first"])
	}
	if page["type"] != "AnnotationPage" {
		errorf("first.type = %v", page["type"])
	}
	if id, _ := page["id"].(string); !isIRI(id) || id != coll["last"] {
		errorf("page id %q is not an IRI or not the collection's last page %v", id, coll["last"])
	}
	if page["partOf"] != coll["id"] || page["startIndex"] != 0.0 {
		errorf("page partOf %v / startIndex %v", page["partOf"], page["startIndex"])
	}
	raw, ok := page["items"].([]any)
	if !ok {
		t.Fatalf("first.items is %T", page["items"])
	}
	if total, _ := coll["total"].(float64); int(total) != len(raw) {
		errorf("total %v but %d items", coll["total"], len(raw))
	}
	ids := map[string]bool{}
	var out []map[string]any
	text := []rune(d.Text)
	for i, x := range raw {
		a, ok := x.(map[string]any)
		if !ok {
			t.Fatalf("items[%d] is %T", i, x)
		}
		out = append(out, a)
		p := fmt.Sprintf("items[%d]", i)
		// 3.1 Annotations: id (IRI), type Annotation, at least one target.
		id, _ := a["id"].(string)
		if !isIRI(id) || ids[id] {
			errorf("%s: id %q is not a unique IRI", p, id)
		}
		ids[id] = true
		if a["type"] != "Annotation" {
			errorf("%s: type %v", p, a["type"])
		}
		// 3.3.5 Motivation: a single value from the vocabulary.
		m, _ := a["motivation"].(string)
		if !w3cMotivations[m] {
			errorf("%s: motivation %v is not in the vocabulary", p, a["motivation"])
		}
		// 3.3.1 created/modified: xsd:dateTime with timezone, in UTC.
		for _, k := range []string{"created", "modified"} {
			s, _ := a[k].(string)
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil || !strings.HasSuffix(s, "Z") {
				errorf("%s.%s = %q, want a UTC xsd:dateTime", p, k, s)
			}
		}
		tg, ok := a["target"].(map[string]any)
		if !ok {
			errorf("%s: target is %T", p, a["target"])
			continue
		}
		if src, _ := tg["source"].(string); !isIRI(src) {
			errorf("%s: target.source %q is not an IRI", p, src)
		}
		sels, _ := tg["selector"].([]any)
		var exact, prefix, suffix string
		start, end := -1, -1
		for _, sx := range sels {
			sel, _ := sx.(map[string]any)
			switch sel["type"] {
			case "TextQuoteSelector":
				exact, _ = sel["exact"].(string)
				prefix, _ = sel["prefix"].(string)
				suffix, _ = sel["suffix"].(string)
			case "TextPositionSelector":
				s, ok1 := sel["start"].(float64)
				e, ok2 := sel["end"].(float64)
				if !ok1 || !ok2 || s < 0 || e < s || s != float64(int(s)) || e != float64(int(e)) {
					errorf("%s: TextPositionSelector start %v end %v", p, sel["start"], sel["end"])
				}
				start, end = int(s), int(e)
			default:
				errorf("%s: unexpected selector %v", p, sel["type"])
			}
		}
		// 4.2.4/4.2.1: both selectors, and (the point of it all) the positions
		// select the quote in code points, with the prefix and suffix around it.
		if exact == "" || start < 0 {
			errorf("%s: want a TextQuoteSelector and a TextPositionSelector, got %v", p, sels)
		} else if end > len(text) || string(text[start:end]) != exact {
			errorf("%s: text[%d:%d] (code points) does not equal exact %q", p, start, end, exact)
		} else {
			if !strings.HasSuffix(string(text[:start]), prefix) || len([]rune(prefix)) != min(start, 32) {
				errorf("%s: prefix %q does not end right before the quote", p, prefix)
			}
			if !strings.HasPrefix(string(text[end:]), suffix) || len([]rune(suffix)) != min(len(text)-end, 32) {
				errorf("%s: suffix %q does not start right after the quote", p, suffix)
			}
		}
		// 3.2 Bodies: TextualBody with value; purposes from the vocabulary.
		bodies, _ := a["body"].([]any)
		if len(bodies) == 0 {
			errorf("%s: no body", p)
		}
		tagging := 0
		for j, bx := range bodies {
			b, _ := bx.(map[string]any)
			bp := fmt.Sprintf("%s.body[%d]", p, j)
			purpose, _ := b["purpose"].(string)
			if !w3cMotivations[purpose] && b["type"] != "schema:Claim" {
				errorf("%s: purpose %v is not in the vocabulary", bp, b["purpose"])
			}
			switch b["type"] {
			case "TextualBody":
				if v, ok := b["value"].(string); !ok || v == "" {
					errorf("%s: TextualBody without a value", bp)
				}
				if purpose == "tagging" {
					tagging++
				}
			case "SpecificResource":
				if src, _ := b["source"].(string); !isIRI(src) || purpose != "linking" {
					errorf("%s: evidence source %v purpose %v", bp, b["source"], purpose)
				}
				if st, ok := b["state"].(map[string]any); ok {
					if _, err := time.Parse(time.RFC3339, fmt.Sprint(st["sourceDate"])); err != nil || st["type"] != "TimeState" {
						errorf("%s: state %v", bp, st)
					}
				}
			case "Text":
				if id, _ := b["id"].(string); !isIRI(id) {
					errorf("%s: external body id %v", bp, b["id"])
				}
			case "schema:Claim":
			default:
				errorf("%s: unexpected body type %v", bp, b["type"])
			}
		}
		if tagging != 1 {
			errorf("%s: %d tagging bodies, want 1 (the label)", p, tagging)
		}
	}
	return out
}

func TestW3CExportStructure(t *testing.T) {
	for _, source := range []string{seedSource, "", "article.txt"} {
		t.Run("source="+source, func(t *testing.T) {
			s := seedClaimState(t, source)
			data, err := EncodeW3C(s)
			if err != nil {
				t.Fatal(err)
			}
			items := checkW3CStructure(t, s.Doc, data)
			if len(items) != s.Len() {
				t.Fatalf("%d items for %d annotations", len(items), s.Len())
			}
			wantSource := seedSource
			if source != seedSource {
				wantSource = "urn:factmark:" + s.Doc.ID + ":" + s.Doc.SHA256
			}
			for i, a := range s.Annotations() {
				it := items[i]
				if it["id"] != AnnotationIRI(s.Doc, a.ID) {
					t.Errorf("items[%d].id = %v", i, it["id"])
				}
				if src := it["target"].(map[string]any)["source"]; src != wantSource {
					t.Errorf("items[%d].target.source = %v, want %v", i, src, wantSource)
				}
				l, _ := s.Schema.Label(a.Label)
				wantMotivation := "tagging"
				if l.Kind == KindClaim {
					wantMotivation = "assessing"
				}
				if it["motivation"] != wantMotivation {
					t.Errorf("items[%d] (%s) motivation %v, want %s", i, a.Label, it["motivation"], wantMotivation)
				}
				bodies := it["body"].([]any)
				if b := bodies[0].(map[string]any); b["purpose"] != "tagging" || b["value"] != l.Name {
					t.Errorf("items[%d] first body %v, want the tagging body %q", i, b, l.Name)
				}
			}
		})
	}
}

// TestW3CExportClaimBodies pins the bodies of the fully detailed claim.
func TestW3CExportClaimBodies(t *testing.T) {
	s := seedClaimState(t, seedSource)
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	var coll struct {
		First struct {
			Items []struct {
				Motivation string            `json:"motivation"`
				Body       []json.RawMessage `json:"body"`
			} `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(data, &coll); err != nil {
		t.Fatal(err)
	}
	var claim []string
	for i, a := range s.Annotations() {
		if a.Claim != nil && a.Claim.ReviewURL != "" {
			for _, b := range coll.First.Items[i].Body {
				claim = append(claim, string(b))
			}
		}
	}
	butler := "urn:factmark:" + s.Doc.ID + ":" + s.Doc.SHA256 + "/annotations/a-0000000000000001"
	want := []string{
		`{"type":"TextualBody","purpose":"tagging","value":"Disputed claim"}`,
		`{"type":"TextualBody","purpose":"commenting","value":"Checked with the Pentagon press office."}`,
		`{"type":"TextualBody","purpose":"classifying","value":"False"}`,
		`{"type":"TextualBody","purpose":"assessing","value":"Defense Secretary Lloyd Austin visited Kyiv in April 2022 and November 2023."}`,
		`{"type":"TextualBody","purpose":"describing","value":"No U.S. military delegation this senior has visited Kyiv since January 2017."}`,
		`{"id":"https://factcheck.example.org/2025/kyiv-visit","type":"Text","purpose":"assessing"}`,
		`{"type":"schema:Claim","schema:author":{"type":"schema:Person","factmark:annotation":"` + butler + `"},"schema:datePublished":"2025-11-19","factmark:checkWorthy":true}`,
		`{"type":"SpecificResource","purpose":"linking","source":"https://www.defense.gov/News/News-Stories/Article/Article/3009394/","selector":{"type":"TextQuoteSelector","exact":"Austin, Blinken visit Kyiv"},"state":{"type":"TimeState","sourceDate":"2025-11-20T00:00:00Z"},"factmark:stance":"refutes"}`,
		`{"type":"SpecificResource","purpose":"linking","source":"https://en.wikipedia.org/wiki/Daniel_P._Driscoll","factmark:stance":"context"}`,
	}
	var compact []string
	for _, b := range claim {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(b)); err != nil {
			t.Fatal(err)
		}
		compact = append(compact, buf.String())
	}
	if diff := cmp.Diff(want, compact); diff != "" {
		t.Errorf("claim bodies (-want +got):\n%s", diff)
	}
}

// TestW3CGolden keeps the seed export under review: the exact bytes live in
// testdata/w3c/seed.json (go test -run TestW3CGolden -update-w3c rewrites it).
func TestW3CGolden(t *testing.T) {
	s := seedClaimState(t, seedSource)
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	again, err := EncodeW3C(s)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("export is not deterministic (%v)", err)
	}
	golden := filepath.Join("testdata", "w3c", "seed.json")
	if *updateW3C {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestW3CGolden -update-w3c to create it)", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("export differs from %s:\n%s", golden, cmp.Diff(string(want), string(data)))
	}
}

// roundTrip exports s to W3C, imports into a fresh state of the same
// document and compares the annotations.
func roundTrip(t *testing.T, s *State) {
	t.Helper()
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	fresh := NewState(s.Doc, s.Schema)
	res, err := ImportW3C(fresh, data, W3COptions{})
	if err != nil {
		t.Fatalf("import of our own export: %v", err)
	}
	if len(res.Notices) > 0 {
		t.Errorf("import of our own export gave notices: %q", notices(res))
	}
	if _, err := fresh.Apply(res.Edit()); err != nil {
		t.Fatalf("applying the import: %v", err)
	}
	if diff := cmp.Diff(s.Annotations(), fresh.Annotations()); diff != "" {
		t.Fatalf("round trip changed the annotations (-exported +imported):\n%s", diff)
	}
	again, err := EncodeW3C(fresh)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("re-export differs (%v)", err)
	}
	// Importing into the state that already has them adds nothing.
	res, err = ImportW3C(s, data, W3COptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Annotations) != 0 || len(res.Notices) != s.Len() {
		t.Errorf("re-import into the same state: %d annotations, %d notices (want 0, %d)", len(res.Annotations), len(res.Notices), s.Len())
	}
}

func TestW3CRoundTripSeed(t *testing.T) {
	for _, source := range []string{seedSource, ""} {
		roundTrip(t, seedClaimState(t, source))
	}
}

// corpusState annotates a document of the Unicode corpus with many spans:
// words, sentences and random grapheme-aligned ranges, some of them claims
// with details, notes on some.
func corpusState(t testing.TB, name string, raw []byte, rng *rand.Rand) *State {
	t.Helper()
	d, err := FromText(raw, TextOptions{Source: name})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s := NewState(d, DefaultSchema())
	ix := d.Index()
	var spans []Range
	spans = append(spans, ix.Words()...)
	spans = append(spans, ix.Sentences()...)
	n := ix.Len(CodePoints)
	for i := 0; i < 60; i++ {
		a, b := rng.Intn(n+1), rng.Intn(n+1)
		if a > b {
			a, b = b, a
		}
		if r := (Range{ix.GraphemeFloor(a), ix.GraphemeCeil(b)}); r.Len() > 0 {
			spans = append(spans, r)
		}
	}
	labels := []string{"person", "place", "figure", "claim"}
	seen := map[string]bool{}
	var edits []Edit
	for i, r := range spans {
		l := labels[i%len(labels)]
		k := fmt.Sprint(l, r)
		if seen[k] || r.Len() == 0 {
			continue
		}
		seen[k] = true
		a := Annotation{ID: fmt.Sprintf("a-%016x", i+1), Label: l, Start: r.Start, End: r.End,
			Created: testTime, Modified: testTime.Add(time.Duration(i) * time.Second)}
		if i%5 == 0 {
			a.Note = "note on " + ix.Slice(r)
		}
		if l == "claim" && i%8 == 3 {
			v := Verdicts()[i%7]
			a.Claim = &Claim{Verdict: v.ID, Text: "restated: " + strings.Join(strings.Fields(ix.Slice(r)), " "), Claimant: Claimant{Name: "Zoë 👩🏽‍💻"},
				Rationale: "because\n" + ix.Slice(r),
				Evidence:  []Evidence{{URL: "https://example.org/é?q=" + url.QueryEscape(ix.Slice(r)), Quote: ix.Slice(r), Stance: "context"}}}
		}
		edits = append(edits, Add(a))
	}
	if _, err := s.Apply(Batch(edits...)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "unicode", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Unicode corpus: %v", err)
	}
	return files
}

func TestW3CRoundTripUnicodeCorpus(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, f := range corpusFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := corpusState(t, filepath.Base(f), raw, rng)
			data, err := EncodeW3C(s)
			if err != nil {
				t.Fatal(err)
			}
			checkW3CStructure(t, s.Doc, data)
			roundTrip(t, s)
		})
	}
}

func TestW3CExportEmpty(t *testing.T) {
	d, err := FromText([]byte("Nothing here."), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	checkW3CStructure(t, d, data)
	res, err := ImportW3C(s, data, W3COptions{})
	if err != nil || len(res.Annotations) != 0 {
		t.Errorf("import of an empty collection: %v, %v", res, err)
	}
	if _, err := EncodeW3C(nil); err == nil {
		t.Error("EncodeW3C(nil) did not fail")
	}
}

// emojiDoc is a short text with astral characters before the spans, so that
// UTF-16 and code-point positions differ.
func emojiDoc(t testing.TB) *Document {
	t.Helper()
	d, err := FromText([]byte("Kyiv 🇺🇦 said 👨‍👩‍👧 aid rose 12% in Kyiv.\nSecond line: Kyiv again."), TextOptions{Source: "https://example.org/emoji"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func importString(t *testing.T, s *State, js string) (*W3CImport, error) {
	t.Helper()
	return ImportW3C(s, []byte(js), W3COptions{})
}

// TestW3CImportUTF16 reads positions counted in UTF-16 code units, as
// Hypothesis and Recogito write them: they only match the quote that way, so
// they are converted, with a notice.
func TestW3CImportUTF16(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	// "12%": code points [25, 28), UTF-16 [31, 34).
	want := spanOf(t, d, "12%", 0)
	u, _ := d.Index().ConvertRange(want, CodePoints, UTF16)
	if u == want {
		t.Fatal("test text does not tell UTF-16 from code points")
	}
	js := fmt.Sprintf(`{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://hypothes.is/a/abc", "type": "Annotation",
		"motivation": "commenting", "created": "2024-05-01T10:00:00.000000+00:00",
		"body": [{"type": "TextualBody", "value": "Is this right?", "format": "text/markdown"},
		         {"type": "TextualBody", "purpose": "tagging", "value": "figure"}],
		"target": [{"source": "https://example.org/emoji", "selector": [
			{"type": "RangeSelector", "startSelector": {"type": "XPathSelector", "value": "/p[1]"}},
			{"type": "TextPositionSelector", "start": %d, "end": %d},
			{"type": "TextQuoteSelector", "exact": "12%%", "prefix": "aid rose ", "suffix": " in Kyiv"}]}]}`, u.Start, u.End)
	res, err := importString(t, s, js)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Annotations) != 1 {
		t.Fatalf("%d annotations", len(res.Annotations))
	}
	a := res.Annotations[0]
	if a.Range() != want || a.Label != "figure" || a.Note != "Is this right?" || a.Claim != nil {
		t.Errorf("imported %+v, want figure %v with the note", a, want)
	}
	if a.ID != "https://hypothes.is/a/abc" {
		t.Errorf("foreign annotation got id %q, want its IRI", a.ID)
	}
	if !a.Created.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) || !a.Modified.Equal(a.Created) {
		t.Errorf("created %v modified %v", a.Created, a.Modified)
	}
	wantNotice := fmt.Sprintf("1 annotations counted TextPositionSelector offsets in UTF-16 code units (as Hypothesis and Recogito do); converted to code points after checking their quotes: $ (https://hypothes.is/a/abc) [%d, %d) -> [%d, %d)", u.Start, u.End, want.Start, want.End)
	if len(res.Notices) != 1 || notices(res)[0] != wantNotice {
		t.Errorf("notices %q\nwant %q", notices(res), wantNotice)
	}
	if _, err := s.Apply(res.Edit()); err != nil {
		t.Fatal(err)
	}
	// Exported again, it keeps its IRI, so importing it again finds it.
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"id": "https://hypothes.is/a/abc"`) {
		t.Errorf("re-export lost the annotation's IRI:\n%s", data)
	}
	res, err = ImportW3C(s, data, W3COptions{})
	if err != nil || len(res.Annotations) != 0 || len(res.Notices) != 1 || !strings.Contains(notices(res)[0], "already present (https://hypothes.is/a/abc), skipped") {
		t.Errorf("re-import: %v %+v", err, res)
	}
}

// TestW3CImportMismatch: positions that select other text in every unit are
// reported per annotation with both texts, and nothing is imported.
func TestW3CImportMismatch(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	good := spanOf(t, d, "aid", 0)
	js := fmt.Sprintf(`[
		{"id": "urn:x:1", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "Figure"},
		 "target": {"source": "https://example.org/emoji", "selector": [{"type": "TextQuoteSelector", "exact": "aid"}, {"type": "TextPositionSelector", "start": %d, "end": %d}]}},
		{"id": "urn:x:2", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "place"},
		 "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Kyiv"}, {"type": "TextPositionSelector", "start": 1, "end": 5}]}},
		{"id": "urn:x:3", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "place"},
		 "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Odesa"}, {"type": "TextPositionSelector", "start": 500, "end": 505}]}}
	]`, good.Start, good.End)
	res, err := importString(t, s, js)
	if err == nil {
		t.Fatalf("no error; imported %+v", res.Annotations)
	}
	want := `2 problems:
	$[1].target.selector[1]: annotation urn:x:2: TextPositionSelector [1, 5) does not select the TextQuoteSelector's exact text, counted in code points or in UTF-16 code units; the quote occurs 3 times, first at code points [0, 4) (expected "Kyiv", found "yiv ")
	$[2].target.selector[1]: annotation urn:x:3: TextPositionSelector [500, 505) lies past the end of the text (65 code points); the quote does not occur in this text (expected "Odesa", found "")`
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
	pe, ok := err.(*ProblemsError)
	if !ok || len(pe.Problems) != 2 {
		t.Fatalf("error is %T, want a *ProblemsError with 2 problems", err)
	}
	if p := pe.Problems[0]; p.Path != "$[1].target.selector[1]" || p.Expected != "Kyiv" || p.Found != "yiv " || !p.Fatal {
		t.Errorf("problem %+v", p)
	}
	// Lenient: the good annotation is imported, the two bad ones reported.
	res, err = ImportW3C(s, []byte(js), W3COptions{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Annotations) != 1 || res.Annotations[0].Range() != good || res.Annotations[0].ID != "urn:x:1" {
		t.Errorf("lenient import: %+v", res.Annotations)
	}
	if got := notices(res); len(got) != 2 || !strings.HasSuffix(got[0], "; left out (expected \"Kyiv\", found \"yiv \")") {
		t.Errorf("lenient notices %q", got)
	}
	res = nil
	if res != nil {
		t.Error("a result came back with the error")
	}
}

func TestW3CImportQuoteOnly(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	anno := func(exact, prefix, suffix string) string {
		return fmt.Sprintf(`{"type": "Annotation", "motivation": "tagging", "body": {"type": "TextualBody", "value": "Place"},
			"target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": %q, "prefix": %q, "suffix": %q}}}`, exact, prefix, suffix)
	}
	// "Kyiv" occurs three times; the suffix picks the second.
	res, err := importString(t, s, anno("Kyiv", "rose 12% in ", "."))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Annotations[0].Range(), spanOf(t, d, "Kyiv", 1); got != want {
		t.Errorf("quote-only Kyiv placed at %v, want %v", got, want)
	}
	if len(res.Notices) != 2 || !strings.Contains(notices(res)[0], "$.target.source: x is not this document (https://example.org/emoji)") ||
		!strings.Contains(notices(res)[1], "had only a TextQuoteSelector") {
		t.Errorf("notices %q", notices(res))
	}
	// A body without purpose takes the annotation's motivation (tagging).
	if res.Annotations[0].Label != "place" {
		t.Errorf("label %q", res.Annotations[0].Label)
	}
	// Without context it is ambiguous.
	_, err = importString(t, s, anno("Kyiv", "", ""))
	if err == nil || !strings.Contains(err.Error(), `$.target.selector: "Kyiv" occurs 3 times and its prefix and suffix do not single one out (3 candidates)`) {
		t.Errorf("ambiguous quote: %v", err)
	}
	_, err = importString(t, s, anno("Odesa", "", ""))
	if err == nil || !strings.Contains(err.Error(), `$.target.selector.exact: "Odesa" does not occur in the document text`) {
		t.Errorf("missing quote: %v", err)
	}
}

func TestW3CImportPositionsOnly(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	r := spanOf(t, d, "said", 0)
	res, err := importString(t, s, fmt.Sprintf(`{"type": "Annotation", "bodyValue": "a comment", "body": {"purpose": "tagging", "type": "TextualBody", "value": "person"},
		"target": {"selector": {"type": "TextPositionSelector", "start": %d, "end": %d}}}`, r.Start, r.End))
	if err != nil {
		t.Fatal(err)
	}
	a := res.Annotations[0]
	if a.Range() != r || a.Note != "a comment" || a.Label != "person" {
		t.Errorf("imported %+v", a)
	}
	if !strings.HasPrefix(a.ID, "a-") || len(a.ID) != 18 {
		t.Errorf("annotation without id got id %q, want a new one", a.ID)
	}
	if len(res.Notices) != 1 || !strings.Contains(notices(res)[0], "had only a TextPositionSelector; taken as code points") {
		t.Errorf("notices %q", notices(res))
	}
}

func TestW3CImportLabelsAndTags(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	sel := `"target": {"selector": [{"type": "TextQuoteSelector", "exact": "12%"}]}`
	for _, tc := range []struct {
		bodies, label string
		notices       int
	}{
		{`{"type": "TextualBody", "purpose": "tagging", "value": "figure"}`, "figure", 0},
		{`{"type": "TextualBody", "purpose": "tagging", "value": "Figure"}`, "figure", 0},
		{`{"type": "TextualBody", "purpose": "tagging", "value": " FIGURE "}`, "figure", 0},
		{`{"type": "TextualBody", "purpose": "tagging", "value": "disputed claim"}`, "claim", 0},
		{`{"type": "TextualBody", "purpose": "tagging", "value": "economy"}, {"type": "TextualBody", "purpose": ["tagging"], "value": "Figure"}`, "figure", 1},
		{`{"type": "TextualBody", "purpose": "classifying", "value": "Figure"}`, "figure", 0},
		{`{"type": "TextualBody", "purpose": "tagging", "value": "Figure"}, {"type": "TextualBody", "purpose": "highlighting", "value": "yellow"}`, "figure", 1},
	} {
		res, err := importString(t, s, `{"type": "Annotation", "body": [`+tc.bodies+`], `+sel+`}`)
		if err != nil {
			t.Errorf("%s: %v", tc.bodies, err)
			continue
		}
		// one notice is always there: quote only
		if a := res.Annotations[0]; a.Label != tc.label || len(res.Notices) != tc.notices+1 {
			t.Errorf("%s: label %q notices %q; want %q and %d notices", tc.bodies, a.Label, notices(res), tc.label, tc.notices+1)
		}
	}
	_, err := importString(t, s, `{"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "economy"}], `+sel+`}`)
	if err == nil || err.Error() != `$.body: no tagging body names a label of the schema (tags: "economy"; labels: Person, Place, Figure, Disputed claim)` {
		t.Errorf("unknown tag: %v", err)
	}
	_, err = importString(t, s, `{"type": "Annotation", "body": {"type": "TextualBody", "value": "just a comment"}, "motivation": "commenting", `+sel+`}`)
	if err == nil || err.Error() != `$.body: no tagging body: Factmark needs one whose value names a label (Person, Place, Figure, Disputed claim)` {
		t.Errorf("no tag: %v", err)
	}
}

// TestW3CImportClaimFromOtherTools reads claim details written by hand the
// way another tool would: verdict by display name, plain IRI evidence.
func TestW3CImportClaimFromOtherTools(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	res, err := importString(t, s, `{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "id": "http://example.org/anno/7", "motivation": "assessing",
		"body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"},
		         {"type": "TextualBody", "purpose": "classifying", "value": "Mostly True"},
		         {"type": "TextualBody", "purpose": "assessing", "value": "Official figures say 11.8%."},
		         {"type": "SpecificResource", "purpose": "linking", "source": {"id": "https://stats.example.org/aid"}, "selector": [{"type": "TextQuoteSelector", "exact": "11.8%"}], "state": {"type": "TimeState", "sourceDate": "2024-06-01T23:30:00-02:00"}}],
		"target": {"source": "https://example.org/emoji", "selector": {"type": "TextQuoteSelector", "exact": "aid rose 12%"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	want := &Claim{Verdict: "mostly-true", Rationale: "Official figures say 11.8%.",
		Evidence: []Evidence{{URL: "https://stats.example.org/aid", Quote: "11.8%", Accessed: "2024-06-02"}}}
	if diff := cmp.Diff(want, res.Annotations[0].Claim); diff != "" {
		t.Errorf("claim (-want +got):\n%s", diff)
	}
}

func TestW3CImportShapes(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	one := `{"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "place"}, "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Second"}]}}`
	two := `{"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "person"}, "target": {"selector": [{"type": "TextQuoteSelector", "exact": "line"}]}}`
	for name, js := range map[string]string{
		"annotation":            one,
		"array":                 "[" + one + "," + two + "]",
		"page":                  `{"type": "AnnotationPage", "items": [` + one + "," + two + `]}`,
		"collection":            `{"type": "AnnotationCollection", "total": 2, "first": {"type": "AnnotationPage", "items": [` + one + `], "next": {"type": "AnnotationPage", "items": [` + two + `]}}}`,
		"json-ld @type and @id": `{"@type": "oa:Annotation", "@id": "urn:y", "body": {"type": "TextualBody", "purpose": "tagging", "value": "place"}, "target": {"selector": [{"@type": "TextQuoteSelector", "exact": "Second"}]}}`,
	} {
		res, err := importString(t, s, js)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if n := strings.Count(js, `"exact"`); len(res.Annotations) != n {
			t.Errorf("%s: %d annotations, want %d", name, len(res.Annotations), n)
		}
	}
}

func TestW3CImportErrors(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	r := spanOf(t, d, "12%", 0)
	good := func(body, target string) string {
		if body == "" {
			body = `{"type": "TextualBody", "purpose": "tagging", "value": "figure"}`
		}
		if target == "" {
			target = fmt.Sprintf(`{"selector": [{"type": "TextQuoteSelector", "exact": "12%%"}, {"type": "TextPositionSelector", "start": %d, "end": %d}]}`, r.Start, r.End)
		}
		return `{"type": "Annotation", "body": [` + body + `], "target": ` + target + `}`
	}
	claimTag := `{"type": "TextualBody", "purpose": "tagging", "value": "claim"}, `
	for _, tc := range []struct{ name, in, want string }{
		{"empty", ``, `empty input: want a JSON annotation, array or collection`},
		{"syntax", "{\n  \"type\": \"Annotation\",\n  oops\n}", `line 3: invalid JSON at column 4: invalid character 'o' looking for beginning of object key string`},
		{"trailing", good("", "") + "\n {}", `line 2: unexpected data after the JSON value, at column 2`},
		{"number", `42`, `$: want a JSON object or array, got a number`},
		{"unknown type", `{"type": "Collection"}`, `$.type: want Annotation, AnnotationPage or AnnotationCollection, got type "Collection"`},
		{"array of strings", `["a"]`, `$[0]: want an annotation object, got a string`},
		{"page reference", `{"type": "AnnotationCollection", "first": "https://example.org/page1"}`, `$.first: page "https://example.org/page1" is only referenced, not embedded; Factmark works offline and cannot fetch it`},
		{"total mismatch", `{"type": "AnnotationCollection", "total": 3, "first": {"type": "AnnotationPage", "items": [` + good("", "") + `]}}`, `$.total: the collection says 3 annotations but its pages hold 1`},
		{"not an annotation", `[{"type": "Note", "target": "x"}]`, `$[0].type: want "Annotation", got type "Note"`},
		{"no target", `[{"type": "Annotation"}]`, `$[0].target: missing: an annotation needs a target`},
		{"whole resource", good("", `"https://example.org/emoji"`), `$.target: "https://example.org/emoji" targets the whole resource; Factmark needs a TextQuoteSelector or TextPositionSelector to place the span`},
		{"other selector", good("", `{"selector": {"type": "FragmentSelector", "value": "t=1"}}`), `$.target.selector: no TextQuoteSelector or TextPositionSelector (found type "FragmentSelector")`},
		{"negative start", good("", `{"selector": {"type": "TextPositionSelector", "start": -1, "end": 3}}`), `$.target.selector.start: want a non-negative integer, got -1`},
		{"fractional end", good("", `{"selector": {"type": "TextPositionSelector", "start": 1, "end": 2.5}}`), `$.target.selector.end: want a non-negative integer, got 2.5`},
		{"empty range", good("", `{"selector": {"type": "TextPositionSelector", "start": 3, "end": 3}}`), `$.target.selector.end: 3 is not after start 3 (the span would be empty)`},
		{"past the end", good("", `{"selector": {"type": "TextPositionSelector", "start": 3, "end": 300}}`), `$.target.selector.end: 300 is past the end of the text (65 code points)`},
		{"splits a flag", good("", `{"selector": {"type": "TextPositionSelector", "start": 5, "end": 6}}`), `$.target: end 6 is inside the grapheme cluster [5, 7)`},
		{"empty exact", good("", `{"selector": {"type": "TextQuoteSelector", "exact": ""}}`), `$.target.selector.exact: missing or not a non-empty string`},
		{"bad created", `{"type": "Annotation", "created": "yesterday", "body": {"type": "TextualBody", "purpose": "tagging", "value": "figure"}, "target": {"selector": {"type": "TextQuoteSelector", "exact": "12%"}}}`, `$.created: "yesterday" is not a date-time with time zone (want e.g. 2024-05-01T12:00:00Z)`},
		{"claim on entity", good(`{"type": "TextualBody", "purpose": "tagging", "value": "figure"}, {"type": "TextualBody", "purpose": "classifying", "value": "false"}`, ""), `$.body[1]: claim details (verdict, rationale, evidence…) on a "Figure" span; only claim labels carry them`},
		{"unknown verdict", good(claimTag+`{"type": "TextualBody", "purpose": "classifying", "value": "pants on fire"}`, ""), `$.body[1]: classifying body "pants on fire" is neither a verdict (false, mostly-false, misleading, mixed, unproven, mostly-true, true) nor a label of the schema`},
		{"two verdicts", good(claimTag+`{"type": "TextualBody", "purpose": "classifying", "value": "false"}, {"type": "TextualBody", "purpose": "classifying", "value": "true"}`, ""), `$.body[2]: a second verdict "true" (the first was "false")`},
		{"javascript evidence", good(claimTag+`{"type": "SpecificResource", "purpose": "linking", "source": "javascript:alert(1)"}`, ""), `$: claim.evidence[0].url: scheme "javascript" is not allowed (http or https only)`},
		{"data review url", good(claimTag+`{"id": "data:text/html,hi", "type": "Text", "purpose": "assessing"}`, ""), `$: claim.reviewUrl: scheme "data" is not allowed (http or https only)`},
		{"bad claim date", good(claimTag+`{"type": "schema:Claim", "schema:datePublished": "May 2024"}`, ""), `$: claim.date: "May 2024" is not a date written YYYY-MM-DD`},
		{"bad check-worthy", good(claimTag+`{"type": "schema:Claim", "factmark:checkWorthy": "yes"}`, ""), `$.body[1].factmark:checkWorthy: want true or false, got "yes"`},
		{"bad stance", good(claimTag+`{"type": "SpecificResource", "purpose": "linking", "source": "https://example.org", "factmark:stance": "agrees"}`, ""), `$: claim.evidence[0].stance: unknown stance "agrees"`},
		{"bad sourceDate", good(claimTag+`{"type": "SpecificResource", "purpose": "linking", "source": "https://example.org", "state": {"type": "TimeState", "sourceDate": "2024-06-01"}}`, ""), `$.body[1].state.sourceDate: "2024-06-01" is not a date-time with time zone`},
		{"bodyValue not string", `{"type": "Annotation", "bodyValue": 3, "target": {"selector": {"type": "TextQuoteSelector", "exact": "12%"}}}`, `$.bodyValue: want a string, got a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := importString(t, s, tc.in)
			if err == nil {
				t.Fatalf("no error, imported %+v", res)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error:\n%s\nwant it to start with:\n%s", err, tc.want)
			}
			if res != nil {
				t.Error("a result came back with the error")
			}
		})
	}
}

// TestW3CImportIDs: ids of our own export are kept; collisions get new ids;
// duplicates are skipped; the claimant follows its span.
func TestW3CImportIDs(t *testing.T) {
	s := seedClaimState(t, seedSource)
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	// Into a state where the claimant's id is taken by another span and one
	// exported annotation already exists.
	other := NewState(s.Doc, s.Schema)
	butler, _ := s.Annotation("a-0000000000000001")
	kyiv, _ := s.Annotation("a-0000000000000004")
	ter := spanOf(t, s.Doc, "Ukraine", 0)
	if _, err := other.Apply(Batch(
		Add(Annotation{ID: butler.ID, Label: "place", Start: ter.Start, End: ter.End, Created: testTime, Modified: testTime}),
		Add(kyiv),
	)); err != nil {
		t.Fatal(err)
	}
	res, err := ImportW3C(other, data, W3COptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Annotations) != s.Len()-1 {
		t.Fatalf("%d annotations imported, want %d", len(res.Annotations), s.Len()-1)
	}
	var newButler string
	for _, a := range res.Annotations {
		if a.Label == "person" && a.Start == butler.Start {
			newButler = a.ID
		}
	}
	if newButler == "" || newButler == butler.ID {
		t.Fatalf("claimant span imported with id %q", newButler)
	}
	for _, a := range res.Annotations {
		if a.Claim != nil && a.Claim.ReviewURL != "" && a.Claim.Claimant.SpanID != newButler {
			t.Errorf("claimant span id %q, want the new id %q", a.Claim.Claimant.SpanID, newButler)
		}
	}
	got := notices(res)
	sort.Strings(got)
	wantNotices := []string{
		"$.first.items[0]: annotation " + AnnotationIRI(s.Doc, kyiv.ID) + ": already present (a-0000000000000004), skipped",
		"$.first.items[5]: annotation " + AnnotationIRI(s.Doc, butler.ID) + ": id a-0000000000000001 is already used by another annotation; imported with a new id",
	}
	if diff := cmp.Diff(wantNotices, got); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	if _, err := other.Apply(res.Edit()); err != nil {
		t.Fatal(err)
	}
}

// notices returns the notices of an import as text.
func notices(res *W3CImport) []string {
	var out []string
	for _, p := range res.Notices {
		out = append(out, p.Error())
	}
	return out
}

// TestW3CFixtures imports annotations written by other tools, kept under
// testdata/w3c: Hypothesis-style annotations whose positions count UTF-16
// code units (made with node's string indices on the Unicode corpus), and an
// AnnoRepo-style collection counting code points (made with Python).
func TestW3CFixtures(t *testing.T) {
	for _, tc := range []struct {
		fixture, text string
		want          []string // label:quote:note of each annotation, in order
		utf16         int      // annotations converted from UTF-16
	}{
		{"hypothesis-emoji.json", "emoji.txt", []string{"place:Kyiv:", "place:London:Capital of England", "place:England 🏴󠁧󠁢󠁥󠁮󠁧󠁿:", "person:The technologist 👩🏽‍💻:who?"}, 4},
		{"annorepo-cjk.json", "cjk.txt", []string{"place:東京:", "place:北京:", "place:서울:", "figure:𩸽:"}, 0},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "unicode", tc.text))
			if err != nil {
				t.Fatal(err)
			}
			d, err := FromText(raw, TextOptions{Source: "https://example.org/" + tc.text})
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join("testdata", "w3c", tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			s := NewState(d, DefaultSchema())
			res, err := ImportW3C(s, data, W3COptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Apply(res.Edit()); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range s.Annotations() {
				got = append(got, a.Label+":"+d.Index().Slice(a.Range())+":"+a.Note)
				if !strings.HasPrefix(a.ID, "http") {
					t.Errorf("annotation id %q, want the tool's IRI", a.ID)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("annotations (-want +got):\n%s", diff)
			}
			var converted string
			for _, n := range res.Notices {
				if strings.Contains(n.Reason, "UTF-16") {
					converted = n.Reason
				}
			}
			if want := fmt.Sprintf("%d annotations counted", tc.utf16); (tc.utf16 > 0) != strings.HasPrefix(converted, want) {
				t.Errorf("UTF-16 notice %q, want %d conversions", converted, tc.utf16)
			}
			// Every notice is about the source URL (the fixtures name another
			// copy of the text) or the UTF-16 conversion.
			for _, n := range res.Notices {
				if !strings.Contains(n.Reason, "UTF-16") && !strings.Contains(n.Reason, "is not this document") {
					t.Errorf("unexpected notice %v", n)
				}
			}
		})
	}
}

// TestW3CImportClaimantOrder: a claim may come before its claimant in the
// file; the batch adds the claimant first. Links that cannot hold are
// dropped with a notice, keeping the name.
func TestW3CImportClaimantOrder(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	claim := func(id, quote, claimant string) string {
		return fmt.Sprintf(`{"id": %q, "type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"},
			{"type": "schema:Claim", "schema:author": {"type": "schema:Person", "factmark:annotation": %q}}],
			"target": {"selector": {"type": "TextQuoteSelector", "exact": %q}}}`, id, claimant, quote)
	}
	person := `{"id": "urn:p", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "person"}, "target": {"selector": {"type": "TextQuoteSelector", "exact": "Second"}}}`
	res, err := importString(t, s, "["+claim("urn:c", "aid rose 12%", "urn:p")+","+person+"]")
	if err != nil {
		t.Fatal(err)
	}
	if res.Annotations[0].ID != "urn:p" || res.Annotations[1].Claim.Claimant.SpanID != "urn:p" {
		t.Errorf("order %+v", res.Annotations)
	}
	if _, err := NewState(d, DefaultSchema()).Apply(res.Edit()); err != nil {
		t.Errorf("apply: %v", err)
	}
	// Two claims naming each other.
	res, err = importString(t, s, "["+claim("urn:a", "aid rose 12%", "urn:b")+","+claim("urn:b", "Second line", "urn:a")+"]")
	if err != nil {
		t.Fatal(err)
	}
	if got := notices(res); len(got) != 2 || !strings.Contains(got[0], "urn:a: claims name each other as claimants") {
		t.Errorf("cycle notices %q", got)
	}
	if _, err := NewState(d, DefaultSchema()).Apply(res.Edit()); err != nil {
		t.Errorf("apply: %v", err)
	}
	if c := res.Annotations[0].Claim; res.Annotations[0].ID != "urn:a" || c.Claimant != (Claimant{Name: "Second line"}) {
		t.Errorf("cycle broken at %s with claimant %+v", res.Annotations[0].ID, c.Claimant)
	}
	// Itself, and a claimant left out of a lenient import.
	bad := `{"id": "urn:p", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "person"}, "target": {"selector": {"type": "TextQuoteSelector", "exact": "Odesa"}}}`
	res, err = ImportW3C(s, []byte("["+claim("urn:c", "aid rose 12%", "urn:c")+","+claim("urn:d", "Second line", "urn:p")+","+bad+"]"), W3COptions{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(notices(res), "\n")
	for _, want := range []string{"urn:c: the claimant's span is the claim itself", "urn:d: the claimant's span urn:p is not in this import", `"Odesa" does not occur in the document text; left out`} {
		if !strings.Contains(got, want) {
			t.Errorf("notices\n%s\nlack %q", got, want)
		}
	}
	if _, err := NewState(d, DefaultSchema()).Apply(res.Edit()); err != nil || len(res.Annotations) != 2 {
		t.Errorf("apply %d annotations: %v", len(res.Annotations), err)
	}
}

// TestW3CImportNFDQuote: a quote in NFD (a page that was not normalized)
// still matches the document's NFC text.
func TestW3CImportNFDQuote(t *testing.T) {
	d, err := FromText([]byte("Zoë and Müller met."), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	res, err := importString(t, s, `{"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "person"},
		"target": {"selector": [{"type": "TextQuoteSelector", "exact": "Mu\u0308ller"}, {"type": "TextPositionSelector", "start": 8, "end": 14}]}}`)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Annotations[0].Range(); r != (Range{8, 14}) {
		t.Errorf("range %v", r)
	}
}

// TestW3CImportChangedDetails: importing a file whose annotation exists
// with other details keeps the document's and says so.
func TestW3CImportChangedDetails(t *testing.T) {
	s := seedClaimState(t, seedSource)
	data, err := EncodeW3C(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(SetNote("a-0000000000000002", "changed")); err != nil {
		t.Fatal(err)
	}
	res, err := ImportW3C(s, data, W3COptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range notices(res) {
		if strings.Contains(n, "differ") {
			got = append(got, n)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "already present (a-0000000000000002), skipped; its note or claim details in the file differ from the document's, which were kept") {
		t.Errorf("notices %q", got)
	}
}
