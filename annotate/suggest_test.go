package annotate

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// suggestDoc imports text as a document with the default schema.
func suggestState(t testing.TB, text string) *State {
	t.Helper()
	d, err := FromText([]byte(text), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return NewState(d, DefaultSchema())
}

// suggested returns the text of the suggestions with label.
func suggested(s *State, ss []Suggestion, label string) []string {
	ix := s.Doc.Index()
	var out []string
	for _, x := range ss {
		if x.Label == label {
			out = append(out, ix.Slice(x.Range))
		}
	}
	return out
}

func TestSuggestFigures(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"The deal is worth $105 million and €48m, or US$2.5bn.", []string{"$105 million", "€48m", "US$2.5bn"}},
		{"Prices rose 3.5 per cent, or 12%, in 2023, and 5 percentage points more.", []string{"3.5 per cent", "12%", "2023", "5 percentage points"}},
		{"It began on January 20, 2017 and ended on 5 March 2019.", []string{"January 20, 2017", "5 March 2019"}},
		{"In early 2022, in mid-2023 and in the late 1990s.", []string{"early 2022", "mid-2023", "late 1990s"}},
		{"The term cannot extend beyond 360 days or three years.", []string{"360 days", "three years"}},
		{"A 28-point plan and a 10-year-old boy.", []string{"28-point", "10-year-old"}},
		{"At least 26 people died; more than 1,200 were hurt; about 40 schools closed.", []string{"At least 26", "more than 1,200", "about 40"}},
		{"He flew an F-16 and had COVID-19 at the G7 summit, with 5G phones and 24/7 news.", nil},
		{"She finished 21st, for the third time.", []string{"21st", "third"}},
		{"The river rose 9.8 metres along 150 km at 30°C, over 2 km of it.", []string{"9.8 metres", "150 km", "30°C", "over 2 km"}},
		{"Version 1.2.3 shipped at 10:30 am on 2024-05-01.", []string{"10:30 am", "2024-05-01"}},
		{"Two million dollars and hundreds of euros were lost.", []string{"Two million dollars", "hundreds of euros"}},
		{"In May the minister said so; on May 5 he left.", []string{"May 5"}},
		{"The 1990s ended; the 2020 summit began.", []string{"1990s", "2020"}},
		{"Ukraine’s 2.5 million refugees and 10–15 villages.", []string{"2.5 million", "10–15"}},
		{"Handsome 26 and moreover 40.", []string{"26", "40"}},
		{"No numbers here, and a month on its own: in January.", nil},
	} {
		s := suggestState(t, tc.text)
		got := suggested(s, Suggest(s, SuggestOptions{}), "figure")
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: figures %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestSuggestTitledPersons(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Prime Minister Keir Starmer met Secretary of State Marco Rubio and Dr. Jane Smith.", []string{"Keir Starmer", "Marco Rubio", "Jane Smith"}},
		{"It was agreed by Presidents Zelensky and Trump last year.", []string{"Zelensky", "Trump"}},
		{"General Motors and the General Assembly said so.", nil},
		{"European Commission President Ursula von der Leyen spoke.", []string{"Ursula von der Leyen"}},
		{"Under President Trump’s plan, Sergeant Major Michael Weimer stays.", []string{"Trump", "Michael Weimer"}},
		{"The Chief of Staff of the U.S. Army said nothing.", nil},
		{"Kremlin spokesperson Dmitry Peskov and special envoy Steve Witkoff met.", []string{"Dmitry Peskov", "Steve Witkoff"}},
		{"Mayor J. R. Smith and Gen. Anne-Marie Dubois-Laurent arrived.", []string{"J. R. Smith", "Anne-Marie Dubois-Laurent"}},
		{"President Emmanuel Macron. Later, Macron left and President Macron returned.", []string{"Emmanuel Macron", "Macron", "Macron"}},
		{"The president said the ministers of the EU agreed.", nil},
	} {
		s := suggestState(t, "Headline\n"+tc.text)
		got := suggested(s, Suggest(s, SuggestOptions{}), "person")
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: persons %q, want %q", tc.text, got, tc.want)
		}
	}
	// In a Title Case heading the rule is unsure.
	s := suggestState(t, "President Biden Visits Kyiv\nText.")
	for _, x := range Suggest(s, SuggestOptions{}) {
		if x.Label == "person" && x.Confidence > 0.5 {
			t.Errorf("heading suggestion %v is too confident", x)
		}
	}
}

func TestSuggestGazetteer(t *testing.T) {
	s := suggestState(t, "News\nKyiv is big. Kyivstar is a company. In Kyiv’s centre, Kyiv-based firms and the Kyiv Post. Pro-Kyiv voices.")
	ss := Suggest(s, SuggestOptions{Gazetteer: map[string][]string{"place": {"Kyiv"}}})
	if got := suggested(s, ss, "place"); strings.Join(got, "|") != "Kyiv|Kyiv" {
		t.Errorf("places %q, want Kyiv (alone) and Kyiv (of Kyiv’s)", got)
	}
	for _, x := range ss {
		if x.Rule != RuleGazetteer || x.Confidence != 0.8 {
			t.Errorf("suggestion %+v: want gazetteer rule with 0.8", x)
		}
	}

	// Two labels claim a name: the one that tagged it most wins.
	s = suggestState(t, "News\nWashington spoke to Washington.")
	ss = Suggest(s, SuggestOptions{Gazetteer: map[string][]string{"person": {"Washington", "Washington"}, "place": {"Washington"}}})
	if got := suggested(s, ss, "place"); got != nil {
		t.Errorf("places %q, want none (person tagged it twice)", got)
	}
	if got := suggested(s, ss, "person"); len(got) != 2 {
		t.Errorf("persons %q, want two", got)
	}
	// A tie: one suggestion per range, with half the confidence.
	ss = Suggest(s, SuggestOptions{Gazetteer: map[string][]string{"person": {"Washington"}, "place": {"Washington"}}})
	if len(ss) != 2 || ss[0].Confidence != 0.4 || ss[0].Range == ss[1].Range {
		t.Errorf("tie: %+v", ss)
	}

	// Surnames of full person names; figures and claims are not looked up.
	s = suggestState(t, "News\nDan Driscoll arrived. Driscoll said 26 people and the claim were there.")
	ss = Suggest(s, SuggestOptions{Gazetteer: map[string][]string{"person": {"Dan Driscoll"}, "figure": {"people"}, "claim": {"the claim"}}})
	var rules []string
	for _, x := range ss {
		rules = append(rules, x.Label+":"+s.Doc.Index().Slice(x.Range)+":"+x.Rule)
	}
	if want := "person:Dan Driscoll:gazetteer person:Driscoll:surname figure:26:number"; strings.Join(rules, " ") != want {
		t.Errorf("suggestions %q, want %q", rules, want)
	}
	// A label not in the schema is ignored.
	if ss := Suggest(s, SuggestOptions{Gazetteer: map[string][]string{"org": {"Driscoll"}}}); len(suggested(s, ss, "org")) != 0 {
		t.Errorf("unknown label suggested")
	}
}

func TestSuggestRespectsAnnotations(t *testing.T) {
	s := suggestState(t, "News\nKyiv and Kyiv again; President Biden paid $5 million in Kyiv.")
	ix := s.Doc.Index()
	kyiv := ix.Find("Kyiv", FindOptions{CaseSensitive: true, WholeWord: true})
	biden := ix.Find("Biden", FindOptions{CaseSensitive: true})[0]
	sentence := ix.SentenceAt(biden.Start)
	for _, a := range []Annotation{
		{ID: "p1", Label: "place", Start: kyiv[0].Start, End: kyiv[0].End},
		{ID: "c1", Label: "claim", Start: sentence.Start, End: sentence.End},
		{ID: "x1", Label: "figure", Start: kyiv[2].Start, End: kyiv[2].End}, // wrongly, but a decision
	} {
		if _, err := s.Apply(Add(a)); err != nil {
			t.Fatal(err)
		}
	}
	ss := Suggest(s, SuggestOptions{Gazetteer: Gazetteer(s)})
	// Kyiv[0] is a place already; Kyiv[2] carries another label on the exact
	// range; Kyiv[1] is new. The claim around the sentence does not stop
	// suggestions inside it.
	if got := suggested(s, ss, "place"); len(got) != 1 {
		t.Errorf("places %q, want one", got)
	}
	for _, x := range ss {
		if x.Label == "place" && x.Range != kyiv[1] {
			t.Errorf("place suggested at %v, want %v", x.Range, kyiv[1])
		}
	}
	if got := suggested(s, ss, "person"); strings.Join(got, "|") != "Biden" {
		t.Errorf("persons %q, want Biden", got)
	}
	if got := suggested(s, ss, "figure"); strings.Join(got, "|") != "$5 million" {
		t.Errorf("figures %q", got)
	}

	// Accepting a suggestion is an Add; it is then no longer suggested.
	var fig Suggestion
	for _, x := range ss {
		if x.Label == "figure" {
			fig = x
		}
	}
	if _, err := s.Apply(Add(Annotation{ID: NewID(), Label: fig.Label, Start: fig.Range.Start, End: fig.Range.End})); err != nil {
		t.Fatal(err)
	}
	if got := suggested(s, Suggest(s, SuggestOptions{}), "figure"); got != nil {
		t.Errorf("accepted figure suggested again: %q", got)
	}
}

func TestSuggestOptions(t *testing.T) {
	s := suggestState(t, "News\nPresident Biden paid $5 million.\nIn 2020 Biden won 51.3% of the vote.")
	all := Suggest(s, SuggestOptions{})
	if len(all) != 5 {
		t.Fatalf("suggestions %+v, want 5", all)
	}
	// MinConfidence.
	for _, x := range Suggest(s, SuggestOptions{MinConfidence: 0.9}) {
		if x.Confidence < 0.9 {
			t.Errorf("%+v below MinConfidence", x)
		}
	}
	// Within: only the third block.
	third := s.Doc.Blocks[2].Range()
	within := Suggest(s, SuggestOptions{Within: Range{third.Start + 3, third.Start + 4}})
	if got := suggested(s, within, "figure"); strings.Join(got, "|") != "2020|51.3%" {
		t.Errorf("Within: figures %q", got)
	}
	// A schema without the figure label (and with another person label).
	custom := Schema{Labels: []Label{{ID: "per", Name: "Per", Color: "#000000", DarkColor: "#ffffff", Kind: KindEntity}}}
	s2 := NewState(s.Doc, custom)
	ss := Suggest(s2, SuggestOptions{PersonLabel: "per"})
	if got := suggested(s2, ss, "per"); strings.Join(got, "|") != "Biden|Biden" {
		t.Errorf("custom person label: %q", got)
	}
	if len(ss) != 2 {
		t.Errorf("custom schema: %+v, want the two persons only", ss)
	}
	// Nothing to do.
	if Suggest(nil, SuggestOptions{}) != nil || Suggest(&State{}, SuggestOptions{}) != nil {
		t.Error("nil state suggested something")
	}
}

func TestGazetteerFromStates(t *testing.T) {
	s := suggestState(t, "News\nDan  Driscoll met Zelensky in Kyiv.")
	ix := s.Doc.Index()
	for i, x := range []struct{ label, q string }{{"person", "Dan  Driscoll"}, {"person", "Zelensky"}, {"place", "Kyiv"}, {"claim", "Dan  Driscoll met Zelensky in Kyiv."}} {
		r := ix.Find(x.q, FindOptions{CaseSensitive: true})[0]
		if _, err := s.Apply(Add(Annotation{ID: "g" + string(rune('a'+i)), Label: x.label, Start: r.Start, End: r.End})); err != nil {
			t.Fatal(err)
		}
	}
	g := Gazetteer(s, nil, s)
	if strings.Join(g["person"], "|") != "Dan Driscoll|Zelensky|Dan Driscoll|Zelensky" || strings.Join(g["place"], "|") != "Kyiv|Kyiv" || g["claim"] != nil {
		t.Errorf("Gazetteer = %q", g)
	}
}

// TestSuggestInvariants: on the seed, the held-out article and the Unicode
// corpus, every suggestion is what Snap gives for it, on grapheme
// boundaries, sorted, and not overlapping another of its label.
func TestSuggestInvariants(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "unicode", "*.txt"))
	var states []*State
	for _, f := range files {
		states = append(states, NewState(readUnicodeDoc(t, filepath.Base(f)), DefaultSchema()))
	}
	for _, g := range goldArticles {
		states = append(states, loadGold(t, g.path))
	}
	for _, s := range states {
		ix := s.Doc.Index()
		ss := Suggest(s, SuggestOptions{Gazetteer: Gazetteer(states...)})
		if !sort.SliceIsSorted(ss, func(i, j int) bool {
			a, b := ss[i], ss[j]
			return a.Range.Start < b.Range.Start || a.Range.Start == b.Range.Start && a.Range.End > b.Range.End
		}) {
			t.Errorf("%s: not sorted", s.Doc.Title)
		}
		for i, x := range ss {
			if r, err := ix.Snap(x.Range, KindEntity, false); err != nil || r != x.Range {
				t.Errorf("%s: %q %v snaps to %v (%v)", s.Doc.Title, ix.Slice(x.Range), x.Range, r, err)
			}
			if x.Confidence <= 0 || x.Confidence >= 1 || x.Rule == "" {
				t.Errorf("%s: %+v", s.Doc.Title, x)
			}
			for _, y := range ss[i+1:] {
				if y.Label == x.Label && y.Range.Overlaps(x.Range) {
					t.Errorf("%s: %+v overlaps %+v", s.Doc.Title, x, y)
				}
			}
			for _, a := range s.Overlapping(x.Range) {
				if a.Label == x.Label {
					t.Errorf("%s: %+v overlaps annotation %+v", s.Doc.Title, x, a)
				}
			}
		}
	}
}

// BenchmarkSuggestLarge runs Suggest on 1 MB of news text (the seed article
// repeated) with a gazetteer of its names.
func BenchmarkSuggestLarge(b *testing.B) {
	text := strings.Repeat(string(readSeedText(b))+"\n", 1<<20/4721)
	d, err := FromText([]byte(text), TextOptions{})
	if err != nil {
		b.Fatal(err)
	}
	s := NewState(d, DefaultSchema())
	opts := SuggestOptions{Gazetteer: Gazetteer(loadGold(b, goldSeedPath))}
	b.SetBytes(int64(len(text)))
	var n int
	for b.Loop() {
		n = len(Suggest(s, opts))
	}
	b.ReportMetric(float64(n), "suggestions")
}
