package annotate

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

var updateGold = flag.Bool("update-gold", false, "rewrite testdata/gold/*.factmark.json from the gold tables")

// The hand-annotated articles (factmark/v1), the source of truth for
// measuring the suggestion rules: the seed article, and a held-out article
// written and annotated after the rules were written, to which they were
// not tuned.
var (
	goldSeedPath    = filepath.Join("testdata", "gold", "seed.factmark.json")
	goldHeldoutPath = filepath.Join("testdata", "gold", "heldout.factmark.json")
)

// goldEntry is one gold span: in block Block, the next whole-word
// occurrence of Quote (after the previous entry of that block) carries
// Label; Label "-" skips an occurrence that is not an entity of any label.
type goldEntry struct {
	Block int
	Label string
	Quote string
}

// goldSeedTable annotates app/seed/article.txt by hand, every person, place
// and figure, with these guidelines:
//
//   - person: a named person, without title or role ("U.S. Army Secretary
//     Dan Driscoll" → "Dan Driscoll"), without a possessive ("Trump’s" →
//     "Trump"); every mention, surnames alone too.
//   - place: a named location (country, city, region, river) used as a noun
//     or as a noun modifier ("U.S. military officials", "Washington nor Moscow" as
//     governments), without possessive; not an adjective or demonym
//     ("Russian", "Ukrainian", "Western"), not inside a hyphenated adjective
//     ("Russia-friendly"), not part of an organization's name ("U.S. Army",
//     "U.S. Army Europe", "White House", "Kremlin", "Pentagon", "University
//     of Bonn") or a facility's ("Cologne Bonn Airport").
//   - figure: a number or quantity with its unit and qualifier ("at least
//     26", "$105 million", "28-point", "360 days"), an ordinal ("third"), a
//     date or time with a number in it ("January 2017", "early 2022",
//     "2020", "10:30"); a month or weekday on its own ("in January") is not
//     a figure.
var goldSeedTable = []goldEntry{
	{0, "place", "U.S."}, {0, "place", "Kyiv"}, {0, "place", "Ukraine"},

	{1, "place", "Ukraine"}, {1, "place", "Russia"}, {1, "place", "U.S."}, {1, "-", "U.S. Army"},
	{1, "person", "Dan Driscoll"}, {1, "person", "Volodymyr Zelensky"}, {1, "place", "Turkey"},

	{2, "place", "U.S."}, {2, "place", "Russia"}, {2, "place", "Ukraine"}, {2, "place", "Washington"},
	{2, "place", "Moscow"},

	{3, "place", "Ternopil"}, {3, "figure", "at least 26"}, {3, "place", "Russia"}, {3, "place", "Ukraine"},
	{3, "figure", "early 2022"},

	{4, "place", "U.S."},

	{5, "person", "David Butler"}, {5, "-", "U.S. Army"}, {5, "person", "Driscoll"}, {5, "place", "Kyiv"},
	{5, "person", "Driscoll"}, {5, "person", "Randy George"}, {5, "-", "U.S. Army"},
	{5, "person", "Chris Donahue"}, {5, "-", "U.S. Army Europe"}, {5, "person", "Michael Weimer"},

	{6, "place", "U.S."}, {6, "place", "Kyiv"}, {6, "person", "Donald Trump"}, {6, "figure", "January 2017"},
	{6, "person", "Driscoll"}, {6, "person", "Denys Shmyhal"}, {6, "person", "Zelensky"}, {6, "person", "Trump"},

	{7, "person", "Shmyhal"}, {7, "place", "U.S."}, {7, "figure", "$105 million"}, {7, "place", "Ukraine"},

	{9, "place", "U.S."}, {9, "person", "Zelensky"}, {9, "person", "Trump"}, {9, "place", "Ukraine"},

	{10, "place", "U.S."}, {10, "place", "Russia"}, {10, "figure", "28-point"}, {10, "place", "Ukraine"},
	{10, "person", "Trump"}, {10, "person", "Steve Witkoff"}, {10, "person", "Kirill Dmitriev"},

	{11, "person", "Witkoff"}, {11, "person", "Dmitry Peskov"}, {11, "place", "Anchorage"}, {11, "figure", "2020"},
	{11, "person", "Putin"}, {11, "person", "Trump"}, {11, "place", "Alaska"},

	{13, "person", "Zelensky"}, {13, "place", "Russia"}, {13, "place", "Kyiv"}, {13, "place", "U.S."},
	{13, "place", "Moscow"}, {13, "place", "Ukraine"},

	{14, "person", "Sergei Lavrov"}, {14, "place", "Moscow"}, {14, "place", "Ukraine"}, {14, "person", "Putin"},

	{15, "place", "U.S."},

	{16, "person", "Keith Kellogg"}, {16, "place", "U.S."}, {16, "place", "Ukraine"}, {16, "person", "Kellogg"},
	{16, "figure", "360 days"},

	{17, "person", "Kellogg"}, {17, "place", "Ukraine"}, {17, "person", "Trump"}, {17, "-", "Russia"},
	{17, "place", "U.S."},
}

// goldHeldoutTable annotates testdata/gold/heldout.txt with the same
// guidelines.
var goldHeldoutTable = []goldEntry{
	{0, "place", "Rhine"}, {0, "place", "Berlin"},

	{1, "figure", "More than 12,000"}, {1, "place", "Rhine"}, {1, "figure", "two days"}, {1, "figure", "1995"},
	{1, "place", "Düsseldorf"},

	{2, "person", "Friedrich Merz"}, {2, "place", "Cologne"}, {2, "figure", "€1.5 billion"}, {2, "person", "Merz"},
	{2, "-", "Cologne Bonn Airport"}, {2, "figure", "10:30"},

	{4, "figure", "up to €4 billion"}, {4, "figure", "roughly 0.1%"}, {4, "place", "Rhine"}, {4, "figure", "9.8 metres"},
	{4, "place", "Cologne"}, {4, "figure", "14 March"}, {4, "figure", "200-kilometre"}, {4, "place", "Mainz"},
	{4, "place", "Duisburg"}, {4, "figure", "at least five days"},

	{5, "person", "Anna Keller"}, {5, "-", "University of Bonn"}, {5, "figure", "150 mm"}, {5, "figure", "48 hours"},
	{5, "figure", "1990s"}, {5, "figure", "third"}, {5, "figure", "hundred-year"}, {5, "figure", "two decades"},
	{5, "person", "Keller"},

	{6, "place", "North Rhine-Westphalia"}, {6, "person", "Hendrik Wüst"}, {6, "figure", "about 40"},
	{6, "person", "Wüst"}, {6, "figure", "800"}, {6, "figure", "650"},

	{8, "person", "Lars Klingbeil"}, {8, "figure", "5-year"}, {8, "figure", "3 percent"}, {8, "person", "Klingbeil"},
	{8, "person", "Merz"}, {8, "figure", "16"}, {8, "figure", "21 March"},

	{9, "place", "Brussels"}, {9, "person", "Ursula von der Leyen"}, {9, "figure", "€2.2 billion"}, {9, "figure", "2021"},
	{9, "place", "Ahr"}, {9, "figure", "more than 180"},
}

// goldTime is the creation time of the gold annotations.
var goldTime = time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)

func readSeedText(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "app", "seed", "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// goldArticle is a gold table and its article.
type goldArticle struct {
	name, path, textPath, source string
	table                        []goldEntry
	blocks                       int
	counts                       map[string]int
}

var goldArticles = []goldArticle{
	{"seed", goldSeedPath, filepath.Join("..", "app", "seed", "article.txt"), "app/seed/article.txt", goldSeedTable, 18,
		map[string]int{"person": 30, "place": 40, "figure": 7}},
	{"heldout", goldHeldoutPath, filepath.Join("testdata", "gold", "heldout.txt"), "heldout.txt", goldHeldoutTable, 10,
		map[string]int{"person": 10, "place": 12, "figure": 27}},
}

// buildGold builds a gold state from its table.
func buildGold(t testing.TB, g goldArticle) *State {
	t.Helper()
	raw, err := os.ReadFile(g.textPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromText(raw, TextOptions{Source: g.source})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != g.blocks {
		t.Fatalf("%s has %d blocks, the gold table expects %d", g.textPath, len(d.Blocks), g.blocks)
	}
	ix := d.Index()
	s := NewState(d, DefaultSchema())
	cursor := map[int]int{} // block -> byte offset in the text to search from
	for i, g := range g.table {
		b := d.Blocks[g.Block]
		bs, be := ix.ByteOffset(b.Start), ix.ByteOffset(b.End)
		from := max(cursor[g.Block], bs)
		found := -1
		for from < be {
			k := strings.Index(d.Text[from:be], g.Quote)
			if k < 0 {
				break
			}
			k += from
			before, _ := utf8.DecodeLastRuneInString(d.Text[:k])
			after, _ := utf8.DecodeRuneInString(d.Text[k+len(g.Quote):])
			if !unicode.IsLetter(before) && !unicode.IsDigit(before) && !unicode.IsLetter(after) && !unicode.IsDigit(after) {
				found = k
				break
			}
			from = k + 1
		}
		if found < 0 {
			t.Fatalf("gold %d: %q not found in block %d after byte %d", i, g.Quote, g.Block, cursor[g.Block])
		}
		cursor[g.Block] = found + len(g.Quote)
		if g.Label == "-" {
			continue
		}
		st, _ := ix.Convert(found, Bytes, CodePoints)
		en, _ := ix.Convert(found+len(g.Quote), Bytes, CodePoints)
		r := Range{st, en}
		if snapped, err := ix.Snap(r, KindEntity, false); err != nil || snapped != r {
			t.Fatalf("gold %d: %q %v snaps to %v (%v): the gold must be what a user gets", i, g.Quote, r, snapped, err)
		}
		a := Annotation{ID: fmt.Sprintf("gold-%03d", i+1), Label: g.Label, Start: r.Start, End: r.End, Created: goldTime, Modified: goldTime}
		if _, err := s.Apply(Add(a)); err != nil {
			t.Fatalf("gold %d: %v", i, err)
		}
	}
	return s
}

// TestGoldFiles keeps testdata/gold/*.factmark.json equal to the gold
// tables (go test -run TestGoldFiles ./annotate -update-gold rewrites them)
// and checks that they decode to the same annotations.
func TestGoldFiles(t *testing.T) {
	for _, g := range goldArticles {
		s := buildGold(t, g)
		want, err := Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		if *updateGold {
			if err := os.WriteFile(g.path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(g.path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestGoldFiles ./annotate -update-gold)", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s is not the gold table encoded (run go test -run TestGoldFiles ./annotate -update-gold)", g.path)
		}
		dec, err := Decode(got)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, a := range dec.Annotations() {
			counts[a.Label]++
		}
		for l, n := range g.counts {
			if counts[l] != n {
				t.Errorf("%s: %d %s annotations, want %d", g.name, counts[l], l, n)
			}
		}
	}
}

// loadGold decodes a gold file.
func loadGold(t testing.TB, path string) *State {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// prScore is precision and recall of one label.
type prScore struct {
	Label                string
	TP, FP, FN           int
	Precision, Recall, F float64
}

// scoreSuggestions compares suggestions with gold annotations (exact range
// and label) within region.
func scoreSuggestions(sugg []Suggestion, gold []Annotation, region Range, labels []string) map[string]*prScore {
	scores := map[string]*prScore{}
	for _, l := range labels {
		scores[l] = &prScore{Label: l}
	}
	type key struct {
		r     Range
		label string
	}
	goldSet := map[key]bool{}
	for _, a := range gold {
		if region.Contains(a.Range()) && scores[a.Label] != nil {
			goldSet[key{a.Range(), a.Label}] = true
		}
	}
	hit := map[key]bool{}
	for _, s := range sugg {
		sc := scores[s.Label]
		if sc == nil || !region.Contains(s.Range) {
			continue
		}
		k := key{s.Range, s.Label}
		if goldSet[k] && !hit[k] {
			sc.TP++
			hit[k] = true
		} else {
			sc.FP++
		}
	}
	for k := range goldSet {
		if !hit[k] {
			scores[k.label].FN++
		}
	}
	for _, sc := range scores {
		if sc.TP+sc.FP > 0 {
			sc.Precision = float64(sc.TP) / float64(sc.TP+sc.FP)
		}
		if sc.TP+sc.FN > 0 {
			sc.Recall = float64(sc.TP) / float64(sc.TP+sc.FN)
		}
		if sc.Precision+sc.Recall > 0 {
			sc.F = 2 * sc.Precision * sc.Recall / (sc.Precision + sc.Recall)
		}
	}
	return scores
}

// goldScenarios runs the two measurements on the gold seed:
//
//   - "rules": an unannotated article, no corpus: figures and persons after
//     titles only.
//   - "gazetteer": the annotator has done the first half of the article's
//     blocks (their gold annotations are in the state) and the gazetteer
//     holds those names; suggestions are scored on the other half.
func goldScenarios(t testing.TB, path string) (rules, gaz map[string]*prScore, rulesSugg, gazSugg []Suggestion, gold *State) {
	gold = loadGold(t, path)
	d := gold.Doc
	labels := []string{"person", "place", "figure"}
	whole := Range{0, d.Lengths.CodePoints}

	empty := NewState(d, gold.Schema)
	rulesSugg = Suggest(empty, SuggestOptions{})
	rules = scoreSuggestions(rulesSugg, gold.Annotations(), whole, labels)

	split := d.Blocks[len(d.Blocks)/2].Start
	half := NewState(d, gold.Schema)
	var done []Edit
	for _, a := range gold.Annotations() {
		if a.End <= split {
			done = append(done, Add(a))
		}
	}
	if _, err := half.Apply(Batch(done...)); err != nil {
		t.Fatal(err)
	}
	gazSugg = Suggest(half, SuggestOptions{Gazetteer: Gazetteer(half)})
	gaz = scoreSuggestions(gazSugg, gold.Annotations(), Range{split, whole.End}, labels)
	return rules, gaz, rulesSugg, gazSugg, gold
}

func formatScores(name string, scores map[string]*prScore) string {
	var b strings.Builder
	keys := make([]string, 0, len(scores))
	for k := range scores {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := scores[k]
		fmt.Fprintf(&b, "%-9s %-6s precision %.2f (%d/%d)  recall %.2f (%d/%d)  F1 %.2f\n",
			name, k, s.Precision, s.TP, s.TP+s.FP, s.Recall, s.TP, s.TP+s.FN, s.F)
	}
	return b.String()
}

// TestSuggestPrecisionRecall measures the suggestion rules against the
// hand-annotated articles, prints precision and recall per label (go test
// -v), and holds them to floors they meet, so a change that makes them
// worse fails.
func TestSuggestPrecisionRecall(t *testing.T) {
	type floor struct {
		scenario          string
		label             string
		precision, recall float64
	}
	// Measured (go test -v): seed rules figure 1.00/1.00, person 1.00/0.90;
	// seed gazetteer person 1.00/0.81, place 1.00/0.89, figure 1.00/1.00;
	// held-out rules figure 1.00/0.96, person 1.00/0.80; held-out
	// gazetteer person 1.00/0.75 (its places are all new in the second
	// half: recall 0).
	floors := map[string][]floor{
		"seed": {
			{"rules", "figure", 0.9, 0.9},
			{"rules", "person", 0.9, 0.85},
			{"gazetteer", "person", 0.9, 0.75},
			{"gazetteer", "place", 0.9, 0.85},
			{"gazetteer", "figure", 0.9, 0.9},
		},
		"heldout": {
			{"rules", "figure", 0.9, 0.9},
			{"rules", "person", 0.85, 0.75},
			{"gazetteer", "person", 0.85, 0.7},
			{"gazetteer", "figure", 0.9, 0.9},
		},
	}
	for _, g := range goldArticles {
		rules, gaz, rulesSugg, gazSugg, gold := goldScenarios(t, g.path)
		t.Logf("%s: suggestions vs %s (exact span and label):\n%s%s", g.name, g.path,
			formatScores("rules", rules), formatScores("gazetteer", gaz))
		if testing.Verbose() {
			ix := gold.Doc.Index()
			goldSet := map[Suggestion]bool{}
			for _, a := range gold.Annotations() {
				goldSet[Suggestion{Range: a.Range(), Label: a.Label}] = true
			}
			for _, run := range []struct {
				name string
				ss   []Suggestion
			}{{"rules", rulesSugg}, {"gazetteer", gazSugg}} {
				for _, s := range run.ss {
					mark := " "
					if !goldSet[Suggestion{Range: s.Range, Label: s.Label}] {
						mark = "✗"
					}
					t.Logf("%s %-9s %-6s %-9s %.2f %q", mark, run.name, s.Label, s.Rule, s.Confidence, ix.Slice(s.Range))
				}
			}
			for _, a := range gold.Annotations() {
				found := false
				for _, s := range rulesSugg {
					found = found || s.Range == a.Range() && s.Label == a.Label
				}
				if !found {
					t.Logf("  missed by the rules: %-6s %q", a.Label, ix.Slice(a.Range()))
				}
			}
		}
		for _, f := range floors[g.name] {
			s := map[string]map[string]*prScore{"rules": rules, "gazetteer": gaz}[f.scenario][f.label]
			if s.Precision < f.precision || s.Recall < f.recall {
				t.Errorf("%s %s %s: precision %.2f, recall %.2f; want at least %.2f and %.2f",
					g.name, f.scenario, f.label, s.Precision, s.Recall, f.precision, f.recall)
			}
		}
	}
}

// BenchmarkSuggestSeed times Suggest on the seed article with the
// half-annotated gazetteer and reports precision and recall per label.
func BenchmarkSuggestSeed(b *testing.B) {
	rules, gaz, _, _, gold := goldScenarios(b, goldSeedPath)
	half := NewState(gold.Doc, gold.Schema)
	split := gold.Doc.Blocks[len(gold.Doc.Blocks)/2].Start
	for _, a := range gold.Annotations() {
		if a.End <= split {
			if _, err := half.Apply(Add(a)); err != nil {
				b.Fatal(err)
			}
		}
	}
	opts := SuggestOptions{Gazetteer: Gazetteer(half)}
	b.ResetTimer()
	for b.Loop() {
		Suggest(half, opts)
	}
	b.StopTimer()
	for _, l := range []string{"person", "place", "figure"} {
		b.ReportMetric(rules[l].Precision, "rules-"+l+"-P")
		b.ReportMetric(rules[l].Recall, "rules-"+l+"-R")
		b.ReportMetric(gaz[l].Precision, "gaz-"+l+"-P")
		b.ReportMetric(gaz[l].Recall, "gaz-"+l+"-R")
	}
}
