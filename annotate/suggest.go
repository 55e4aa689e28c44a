package annotate

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Suggestion is a span the rules propose for a label. It is not an
// annotation: it enters a State (and an export) only when the user accepts
// it, as an Add edit.
type Suggestion struct {
	Range      Range   `json:"range"`      // code points, snapped as Index.Snap would for an entity
	Label      string  `json:"label"`      // label id
	Rule       string  `json:"rule"`       // the rule that proposed it (Rule* constants)
	Confidence float64 `json:"confidence"` // 0..1: how often the rule is right, roughly
}

// Suggestion rules.
const (
	RuleMoney     = "money"     // "$105 million", "€48 million", "5,000 hryvnias"
	RulePercent   = "percent"   // "12%", "3.5 per cent", "two percentage points"
	RuleDate      = "date"      // "January 2017", "20 January 2017", "early 2022", "mid-2022", "the 1990s"
	RuleYear      = "year"      // a year on its own: "the 2020 summit"
	RuleDuration  = "duration"  // "360 days", "three years"
	RuleQuantity  = "quantity"  // a number with a unit: "40 km", "5 tonnes", "30°C"
	RuleCompound  = "compound"  // a number in a compound: "28-point", "10-year-old"
	RuleOrdinal   = "ordinal"   // "21st", "third"
	RuleNumber    = "number"    // any other number, with its qualifier: "at least 26", "about 2,300"
	RuleTitle     = "title"     // a name after a title: "President Volodymyr Zelensky", "envoy Steve Witkoff"
	RuleGazetteer = "gazetteer" // a name tagged elsewhere in the corpus
	RuleSurname   = "surname"   // the last name of a person tagged elsewhere with a full name
)

// SuggestOptions configure Suggest.
type SuggestOptions struct {
	// Gazetteer lists, per label id, the names already tagged with that
	// label in the corpus (see Gazetteer); a name may appear several times,
	// which counts when two labels claim it. Names are proposed wherever
	// they occur as whole words (case-sensitive), for every entity label of
	// the schema except the figure label (figures come from the rules).
	Gazetteer map[string][]string
	// PersonLabel and FigureLabel are the label ids the title and figure
	// rules propose; defaults "person" and "figure". A label that is not in
	// the schema turns its rules off.
	PersonLabel, FigureLabel string
	// MinConfidence drops suggestions below it.
	MinConfidence float64
	// Within limits the work to the blocks that overlap it (the blocks on
	// screen of a long document, say); the zero Range means the whole text.
	Within Range
	// Names are person names found after titles elsewhere in the
	// document. Suggest looks for them, and their surnames, in its blocks
	// as it does for the names it finds after titles in the blocks
	// themselves ("President Putin" in one block, "Putin" in another). A
	// caller that works Within one window of blocks at a time passes the
	// TitledNames of the whole document, so that the windows together
	// propose what one Suggest of the whole text does.
	Names []string
}

// titledNameConfidence is the least confidence of a name after a title
// that is looked for elsewhere (below it: a Title Case heading).
const titledNameConfidence = 0.7

// TitledNames returns the person names the title rule finds in the blocks
// of s's document that opts selects (all, or those overlapping
// opts.Within), in text order: the names Suggest also looks for elsewhere
// in the document, see SuggestOptions.Names. They depend on the text alone,
// not on the annotations, so they can be collected once per document.
func TitledNames(s *State, opts SuggestOptions) []string {
	if s == nil || s.Doc == nil {
		return nil
	}
	if opts.PersonLabel == "" {
		opts.PersonLabel = "person"
	}
	if l, ok := s.Schema.Label(opts.PersonLabel); !ok || l.Kind != KindEntity {
		return nil
	}
	ix := s.Doc.Index()
	var out []string
	for _, c := range suggestTitled(s.Doc, opts.blocks(s.Doc), opts.PersonLabel) {
		if c.Confidence >= titledNameConfidence {
			out = append(out, ix.Slice(c.Range))
		}
	}
	return out
}

// blocks returns the blocks to work on.
func (o SuggestOptions) blocks(d *Document) []Block {
	if o.Within == (Range{}) {
		return d.Blocks
	}
	var out []Block
	for _, b := range d.Blocks {
		if b.Range().Overlaps(o.Within) {
			out = append(out, b)
		}
	}
	return out
}

// Gazetteer collects, per entity label, the text of every span tagged with
// it in states: the input of SuggestOptions.Gazetteer. A name appears once
// per annotation.
func Gazetteer(states ...*State) map[string][]string {
	g := map[string][]string{}
	for _, s := range states {
		if s == nil || s.Doc == nil {
			continue
		}
		ix := s.Doc.Index()
		for a := range s.All() {
			if l, ok := s.Schema.Label(a.Label); !ok || l.Kind != KindEntity {
				continue
			}
			if t := collapseSpace(ix.Slice(a.Range())); t != "" {
				g[a.Label] = append(g[a.Label], t)
			}
		}
	}
	return g
}

// Suggest proposes spans for s's document with rule-based recognisers:
//
//   - figures (FigureLabel): money, percentages, dates with a number (a bare
//     month name is not a figure), years, durations, numbers with units,
//     numbers in compounds ("28-point"), ordinals, and other numbers; a
//     qualifier before a number is part of it ("at least 26", "more than
//     $5 billion", "about 2,300"); numbers inside names ("F-16", "COVID-19",
//     "G7") are not figures;
//   - persons (PersonLabel) after a title: "President", "Minister",
//     "Secretary", "General", "Colonel", "Sergeant Major", "Chief", "Mayor",
//     "Dr.", "spokesperson", "envoy" and more, including chains ("Defense
//     Minister", "Secretary of State") and plural titles ("Presidents
//     Zelensky and Trump" gives two);
//   - names from opts.Gazetteer, and the surnames of tagged full person
//     names ("Driscoll" from "Dan Driscoll").
//
// Every suggestion is snapped as Index.Snap snaps an entity selection, so it
// is exactly the span a user would get by selecting it. A suggestion never
// overlaps an annotation with the same label, never has the exact range of
// an annotation with any label, and never overlaps another suggestion with
// the same label (the longer, then the more confident, wins). Where two
// labels propose the same range, the more confident one stays.
// The result is sorted by start, longer spans first, then by label.
func Suggest(s *State, opts SuggestOptions) []Suggestion {
	if s == nil || s.Doc == nil {
		return nil
	}
	if opts.PersonLabel == "" {
		opts.PersonLabel = "person"
	}
	if opts.FigureLabel == "" {
		opts.FigureLabel = "figure"
	}
	ix := s.Doc.Index()
	var cands []Suggestion
	var local []string // person names found in this document
	if l, ok := s.Schema.Label(opts.FigureLabel); ok && l.Kind == KindEntity {
		cands = append(cands, suggestFigures(s.Doc, opts.blocks(s.Doc), opts.FigureLabel)...)
	}
	if l, ok := s.Schema.Label(opts.PersonLabel); ok && l.Kind == KindEntity {
		titled := suggestTitled(s.Doc, opts.blocks(s.Doc), opts.PersonLabel)
		cands = append(cands, titled...)
		// The names found after titles are looked for elsewhere in the
		// document too ("President Putin" ... "between Putin and Trump"),
		// with their surnames.
		for _, c := range titled {
			if c.Confidence >= titledNameConfidence { // not from a Title Case heading
				local = append(local, ix.Slice(c.Range))
			}
		}
		local = append(local, opts.Names...)
	}
	cands = append(cands, suggestGazetteer(s, opts, local)...)

	// Snap, and drop what collides with the annotations.
	kept := cands[:0]
	for _, c := range cands {
		r, err := ix.Snap(c.Range, KindEntity, false)
		if err != nil {
			continue
		}
		c.Range = r
		if c.Confidence < opts.MinConfidence || collides(s, c) {
			continue
		}
		kept = append(kept, c)
	}
	return resolveSuggestions(kept)
}

// collides reports whether c overlaps an annotation with its label or has
// the exact range of any annotation.
func collides(s *State, c Suggestion) bool {
	for _, a := range s.Overlapping(c.Range) {
		if a.Label == c.Label || a.Range() == c.Range {
			return true
		}
	}
	return false
}

// resolveSuggestions removes overlaps within a label (longer, then more
// confident wins; the same span from two rules keeps the better rule with a
// little more confidence) and same-range proposals of different labels
// (the more confident wins; on a tie the first label id), and sorts the
// rest. It takes O(n log n) time.
func resolveSuggestions(cands []Suggestion) []Suggestion {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.Range.Len() != b.Range.Len() {
			return a.Range.Len() > b.Range.Len()
		}
		if a.Confidence != b.Confidence {
			return a.Confidence > b.Confidence
		}
		if a.Range.Start != b.Range.Start {
			return a.Range.Start < b.Range.Start
		}
		return a.Label < b.Label
	})
	type key struct {
		r     Range
		label string
	}
	exact := map[key]int{}        // index into out
	taken := map[string][]Range{} // per label, sorted by start, not overlapping
	var out []Suggestion
	for _, c := range cands {
		if i, ok := exact[key{c.Range, c.Label}]; ok {
			out[i].Confidence = math.Round(min(0.99, out[i].Confidence+0.05)*100) / 100
			continue
		}
		rs := taken[c.Label]
		k := sort.Search(len(rs), func(i int) bool { return rs[i].Start >= c.Range.End })
		if k > 0 && rs[k-1].End > c.Range.Start {
			continue // overlaps a longer or surer one of its label
		}
		rs = append(rs, Range{})
		copy(rs[k+1:], rs[k:])
		rs[k] = c.Range
		taken[c.Label] = rs
		exact[key{c.Range, c.Label}] = len(out)
		out = append(out, c)
	}
	// The same range proposed for two labels: keep the more confident.
	best := map[Range]int{}
	for i, c := range out {
		j, ok := best[c.Range]
		if !ok || c.Confidence > out[j].Confidence || c.Confidence == out[j].Confidence && c.Label < out[j].Label {
			best[c.Range] = i
		}
	}
	final := make([]Suggestion, 0, len(best))
	for i, c := range out {
		if best[c.Range] == i {
			final = append(final, c)
		}
	}
	sort.Slice(final, func(i, j int) bool {
		a, b := final[i], final[j]
		if a.Range.Start != b.Range.Start {
			return a.Range.Start < b.Range.Start
		}
		if a.Range.End != b.Range.End {
			return a.Range.End > b.Range.End
		}
		return a.Label < b.Label
	})
	return final
}

// ---------------------------------------------------------------------------
// Figures.

const (
	reNum      = `(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`
	reScale    = `(?:hundred|thousand|million|billion|trillion)`
	reNumWord  = `(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|a\s+thousand|a\s+dozen|dozens\s+of|hundreds\s+of|thousands\s+of)`
	reCurSym   = `(?:US\$|A\$|C\$|NZ\$|HK\$|S\$|[$€£¥₹₽₴₩₺₪])`
	reCurWord  = `(?:(?:US\s+)?dollars?|euros?|pounds?(?:\s+sterling)?|yen|yuan|renminbi|rubles?|roubles?|hryvnias?|rupees?|francs?|pesos?|shekels?|liras?|lire|zlotys?|kronor|kroner|krona|krone|rand)`
	reCurCode  = `(?:USD|EUR|GBP|JPY|CNY|RUB|UAH|CHF|CAD|AUD|INR|PLN)`
	reMonth    = `(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`
	reDay      = `(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?`
	rePart     = `(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]+)`
	reTimeUnit = `(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|centuries|century|millennia)`
	reUnit     = `(?:km|kilomet(?:er|re)s?|mi|miles?|m|met(?:er|re)s?|cm|mm|ft|feet|foot|inch(?:es)?|kg|kilo(?:gram)?s?|g|grams?|mg|tonnes?|tons?|lbs?|ounces?|oz|litres?|liters?|ml|gallons?|barrels?|bbl|acres?|hectares?|ha|sq\.?\s?(?:km|mi|m|ft)|km2|km²|m2|m²|square\s+(?:kilomet(?:er|re)s|miles|met(?:er|re)s|feet)|°C|°F|°|degrees?(?:\s+(?:Celsius|Fahrenheit))?|knots?|mph|km/h|kph|MW|GW|kW|TW|kWh|MWh|GWh|TWh|bcm|bpd|GB|MB|TB|Mbps|Gbps|kcal|calories|volts?|MHz|GHz|Hz)`
	reOrdWord  = `(?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth|hundredth|thousandth|millionth)`
	reQual     = `(?:[Aa]t\s+least|[Aa]t\s+most|[Mm]ore\s+than|[Ll]ess\s+than|[Ff]ewer\s+than|[Uu]p\s+to|[Nn]early|[Aa]lmost|[Aa]bout|[Aa]round|[Aa]pproximately|[Rr]oughly|[Ss]ome|[Oo]ver|[Uu]nder|[Aa]s\s+many\s+as|[Aa]s\s+much\s+as|[Aa]s\s+few\s+as|[Nn]o\s+fewer\s+than|[Nn]o\s+more\s+than|[Nn]o\s+less\s+than|[Aa]n\s+estimated|[Jj]ust\s+over|[Jj]ust\s+under|[Ww]ell\s+over|[Cc]lose\s+to|[Uu]pwards\s+of)`
)

// figureRule is one figure pattern. qualify: a qualifier before the match
// joins it. need lists substrings ("|"-separated) of which the lowercased
// sentence must contain one for the pattern to be tried (a fast filter).
type figureRule struct {
	rule    string
	conf    float64
	re      *regexp.Regexp
	words   bool // the pattern can match without a digit (number words)
	qualify bool
	need    []string
}

const (
	needCurSym  = "$|€|£|¥|₹|₽|₴|₩|₺|₪"
	needCurCode = "usd|eur|gbp|jpy|cny|rub|uah|chf|cad|aud|inr|pln"
	needCurWord = "dollar|euro|pound|yen|yuan|renminbi|ruble|rouble|hryvn|rupee|franc|peso|shekel|lira|lire|zloty|kron|rand"
	needMonth   = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
	needTime    = "second|minute|hour|day|night|week|fortnight|month|year|decade|centur|millenni"
)

// figureRules are compiled on first use (not at program start).
var figureRules = sync.OnceValue(func() []figureRule {
	r := func(rule string, conf float64, words, qualify bool, need, pattern string) figureRule {
		var n []string
		if need != "" {
			n = strings.Split(need, "|")
		}
		return figureRule{rule: rule, conf: conf, re: regexp.MustCompile(pattern), words: words, qualify: qualify, need: n}
	}
	return []figureRule{
		r(RuleMoney, 0.95, false, true, needCurSym, reCurSym+`\s?`+reNum+`(?:[\s-]?(?:`+reScale+`|bn|mn|m|k)\b)?`),
		r(RuleMoney, 0.95, false, true, needCurCode, reCurCode+`\s?`+reNum+`(?:\s`+reScale+`|bn|mn|m)?`),
		r(RuleMoney, 0.9, false, true, needCurWord+"|"+needCurCode, reNum+`(?:\s+`+reScale+`)?\s+(?:`+reCurWord+`|`+reCurCode+`)\b`),
		r(RuleMoney, 0.85, true, true, needCurWord, `(?i:`+reNumWord+`)(?:\s+`+reScale+`)?\s+`+reCurWord+`\b`),
		r(RuleMoney, 0.85, true, true, needCurWord, `\b(?:[Hh]undreds|[Tt]housands|[Mm]illions|[Bb]illions)\s+of\s+`+reCurWord+`\b`),
		r(RulePercent, 0.95, false, true, "%|‰|per", reNum+`(?:\s?%|\s?‰|\s+per\s?cent\b|\s+percent(?:age\s+points?)?\b)`),
		r(RulePercent, 0.85, true, true, "per", `(?i:`+reNumWord+`)\s+(?:per\s?cent|percent(?:age\s+points?)?)\b`),
		r(RuleDate, 0.95, false, false, needMonth, rePart+`?`+reMonth+`\s+`+reDay+`,?\s+\d{4}\b`),
		r(RuleDate, 0.95, false, false, needMonth, rePart+`?`+reDay+`\s+(?:of\s+)?`+reMonth+`,?\s+\d{4}\b`),
		r(RuleDate, 0.95, false, false, needMonth, rePart+`?`+reMonth+`,?\s+\d{4}\b`),
		r(RuleDate, 0.9, false, false, needMonth, reMonth+`\s+`+reDay+`\b`),
		r(RuleDate, 0.9, false, false, needMonth, `\b`+reDay+`\s+(?:of\s+)?`+reMonth+`(?:\s|$|[,.;:!?)])`),
		r(RuleDate, 0.9, false, false, "early|mid|late", rePart+`(?:the\s+)?\d{4}s?\b`),
		r(RuleDate, 0.9, false, false, "-", `\b\d{4}-\d{2}-\d{2}\b`),
		r(RuleDate, 0.85, false, false, "/", `\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b`),
		r(RuleDate, 0.85, false, false, "0s", `\b\d{3}0s\b`),
		r(RuleDate, 0.85, false, false, ":", `\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\b\.?|\s?[AP]M\b)?`),
		r(RuleDuration, 0.9, false, true, needTime, reNum+`\s+`+reTimeUnit+`\b`),
		r(RuleDuration, 0.8, true, true, needTime, `(?i:`+reNumWord+`)\s+`+reTimeUnit+`\b`),
		r(RuleQuantity, 0.9, false, true, "", reNum+`(?:\s+`+reScale+`)?\s?`+reUnit+`(?:\b|$|[\s,.;:!?)])`),
		r(RuleCompound, 0.9, false, false, "-", reNum+`(?:-[a-z]+)+\b`),
		r(RuleOrdinal, 0.9, false, false, "st|nd|rd|th", `\b\d+(?:st|nd|rd|th)\b`),
		r(RuleOrdinal, 0.5, true, false, "th|third", `\b(?:`+reOrdWord+`|`+capitalize(reOrdWord)+`)\b`),
		r(RuleNumber, 0.75, false, true, "", reNum+`(?:\s+`+reScale+`)?(?:\s*[-–]\s*`+reNum+`)?`),
		r(RuleNumber, 0.7, true, true, "hundred|thousand|million|billion|trillion", `(?i:`+reNumWord+`)\s+`+reScale+`\b`),
	}
})

// needs reports whether the lowercased sentence has one of the substrings
// a rule needs.
func (fr *figureRule) needs(lower string) bool {
	if fr.need == nil {
		return true
	}
	for _, n := range fr.need {
		if strings.Contains(lower, n) {
			return true
		}
	}
	return false
}

// numberWords are the words that can start a spelled-out figure.
var numberWords = wordSet(`one two three four five six seven eight nine ten eleven twelve thirteen fourteen
	fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
	hundreds thousand thousands million millions billion billions dozen dozens third fourth fifth sixth seventh
	eighth ninth tenth eleventh twelfth hundredth thousandth millionth`)

// hasNumberWord reports whether the lowercased text has a spelled-out
// number or ordinal.
func hasNumberWord(lower string) bool {
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if numberWords[w] || strings.HasSuffix(w, "teenth") || strings.HasSuffix(w, "tieth") {
			return true
		}
		if i := strings.IndexByte(w, '-'); i > 0 && numberWords[w[:i]] {
			return true
		}
	}
	return false
}

// capitalize turns the alternation (?:third|fourth) into (?:Third|Fourth).
func capitalize(alt string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(alt, "(?:"), ")")
	parts := strings.Split(inner, "|")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return "(?:" + strings.Join(parts, "|") + ")"
}

var rxQualifier = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(reQual + `\s+$`) })

// suggestFigures runs the figure rules over the text.
func suggestFigures(d *Document, blocks []Block, label string) []Suggestion {
	ix := d.Index()
	var cands []figureCand
	// Sentence by sentence (a line break ends a sentence, so they lie in
	// blocks), and only those with a digit or a number word.
	sents := ix.Sentences()
	for _, b := range blocks {
		i := sort.Search(len(sents), func(i int) bool { return sents[i].End > b.Start })
		for ; i < len(sents) && sents[i].Start < b.End; i++ {
			cands = figureCandidates(ix, sents[i], cands)
		}
	}
	return pickFigures(ix, cands, label)
}

// figureCand is a figure found by a rule, in bytes of the text.
type figureCand struct {
	bs, be int
	rule   string
	conf   float64
}

// figureCandidates appends the figures the rules find in sentence sent.
func figureCandidates(ix *Index, sent Range, cands []figureCand) []figureCand {
	bs, be := ix.ByteOffset(sent.Start), ix.ByteOffset(sent.End)
	t := ix.text[bs:be]
	digits := strings.ContainsAny(t, "0123456789")
	lower := strings.ToLower(t)
	if !digits && !hasNumberWord(lower) {
		return cands
	}
	rules := figureRules()
	for k := range rules {
		fr := &rules[k]
		if !digits && !fr.words || !fr.needs(lower) {
			continue
		}
		for _, m := range fr.re.FindAllStringIndex(t, -1) {
			s, e := trimMatch(t, m[0], m[1])
			if s >= e || !figureBoundary(t, s, e, fr.rule) {
				continue
			}
			if fr.rule == RuleNumber && isYear(t[s:e]) {
				cands = append(cands, figureCand{bs + s, bs + e, RuleYear, 0.8})
				continue
			}
			if fr.qualify {
				from := max(0, s-40)
				if q := rxQualifier().FindStringIndex(t[from:s]); q != nil {
					if qs := from + q[0]; qs == 0 || !isWordRune(lastRune(t[:qs])) {
						s = qs
					}
				}
			}
			cands = append(cands, figureCand{bs + s, bs + e, fr.rule, fr.conf})
		}
	}
	return cands
}

// pickFigures keeps the longest, then most confident, candidates that do
// not overlap, as suggestions in code points.
func pickFigures(ix *Index, cands []figureCand, label string) []Suggestion {
	sort.SliceStable(cands, func(i, j int) bool {
		li, lj := cands[i].be-cands[i].bs, cands[j].be-cands[j].bs
		if li != lj {
			return li > lj
		}
		return cands[i].conf > cands[j].conf
	})
	var taken []figureCand // sorted by start, not overlapping
	for _, c := range cands {
		i := sort.Search(len(taken), func(i int) bool { return taken[i].bs >= c.be })
		if i > 0 && taken[i-1].be > c.bs {
			continue
		}
		taken = append(taken, figureCand{})
		copy(taken[i+1:], taken[i:])
		taken[i] = c
	}
	out := make([]Suggestion, 0, len(taken))
	for _, c := range taken {
		s, err1 := ix.Convert(c.bs, Bytes, CodePoints)
		e, err2 := ix.Convert(c.be, Bytes, CodePoints)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Suggestion{Range: Range{s, e}, Label: label, Rule: c.rule, Confidence: c.conf})
	}
	return out
}

// trimMatch trims spaces and trailing punctuation a pattern took for its
// boundary.
func trimMatch(t string, s, e int) (int, int) {
	for s < e && strings.ContainsRune(" \t\n\u00a0", rune(t[s])) {
		s++
	}
	for e > s {
		r, size := utf8.DecodeLastRuneInString(t[s:e])
		if !isSpace(r) && !strings.ContainsRune(",.;:!?)", r) {
			break
		}
		// keep the full stop of "Jan." and similar only when a digit follows the match
		if r == '.' && e-size > s && unicode.IsLetter(lastRune(t[s:e-size])) && strings.HasSuffix(t[s:e], ".") && monthAbbrevEnd(t[s:e]) {
			break
		}
		e -= size
	}
	return s, e
}

// monthAbbrevEnd reports whether s ends with an abbreviated month and its
// full stop ("Sept.").
func monthAbbrevEnd(s string) bool {
	for _, m := range []string{"Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec."} {
		if strings.HasSuffix(s, m) {
			return true
		}
	}
	return false
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// figureBoundary reports whether t[s:e] stands on its own: not glued to a
// word or a number ("F-16", "COVID-19", "G7", "v1.2.3", "24/7", "4K").
func figureBoundary(t string, s, e int, rule string) bool {
	before, _ := utf8.DecodeLastRuneInString(t[:s])
	after, _ := utf8.DecodeRuneInString(t[e:])
	if s > 0 && isWordRune(before) {
		return false
	}
	if e < len(t) && isWordRune(after) {
		return false
	}
	if s > 0 && strings.ContainsRune("-‐‑./:,#№", before) {
		// glued to what precedes: "F-16", "1.2.3", "24/7", "No.5"
		if prev := lastRune(t[:s-utf8.RuneLen(before)]); isWordRune(prev) {
			return false
		}
	}
	if e < len(t) && strings.ContainsRune("-‐‑./:,", after) && rule != RuleDate {
		if next, _ := utf8.DecodeRuneInString(t[e+utf8.RuneLen(after):]); unicode.IsDigit(next) || after != '.' && after != ',' && unicode.IsLetter(next) {
			return false
		}
	}
	return true
}

// isYear reports whether a number on its own reads as a year (1500–2099).
func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s >= "1500" && s <= "2099"
}

// ---------------------------------------------------------------------------
// Persons after titles.

// personTitles are words after which a capitalized name is a person's.
var personTitles = wordSet(`President Presidents Vice-President Premier Minister Ministers Secretary Secretaries
	Chancellor Senator Senators Sen Congressman Congresswoman Representative Rep Governor Gov Mayor Ambassador
	Envoy Commissioner Chairman Chairwoman Chairperson Director Deputy Speaker Judge Justice Prosecutor
	King Queen Prince Princess Emperor Empress Pope Cardinal Archbishop Bishop Patriarch Rabbi Imam Sheikh Emir
	Ayatollah General Generals Gen Colonel Col Lieutenant Lt Maj Captain Capt Sergeant Sgt Corporal Cpl
	Admiral Adm Commander Cmdr Marshal Brigadier Commodore Pvt Officer Inspector Detective Superintendent
	Chief Dr Prof Professor Mr Mrs Ms Mx Sir Dame Lord Lady Pastor Rev Reverend Hon`)

// lowerTitles are lowercase nouns that name a person's role before the name
// ("Kremlin spokesperson Dmitry Peskov", "special envoy Steve Witkoff").
var lowerTitles = wordSet(`spokesperson spokesman spokeswoman envoy adviser advisor aide minister president
	senator governor mayor ambassador chancellor colonel general sergeant captain lieutenant commander
	correspondent lawyer attorney prosecutor judge economist analyst researcher professor director chairman
	chairwoman chief executive secretary candidate premier leader`)

// pluralTitles take several names: "Presidents Zelensky and Trump".
var pluralTitles = wordSet(`Presidents Ministers Secretaries Senators Generals`)

// chainTitles continue a title: "Sergeant Major", "Attorney General",
// "Prime Minister", "Secretary General".
var chainTitles = wordSet(`Major General Minister Secretary Admiral Colonel Commander Marshal Justice Attorney
	Prosecutor Officer Executive Director Chief Mayor Sergeant Lieutenant Governor Ambassador Envoy Prime Vice
	Deputy Foreign Defense Defence Interior Finance Health Security Special`)

// departments follow "of" in a title: "Secretary of State Marco Rubio".
var departments = wordSet(`State Defense Defence Staff Treasury Health Justice Commerce Energy Labor Labour
	Education Agriculture Transportation Interior Homeland Security Veterans Affairs War Finance Foreign`)

// notNames are capitalized words that do not start or continue a name.
var notNames = wordSet(`The A An And Or But Of In On At For To From By With As His Her Their Its It This That
	These Those He She They We I You Who Whom Which What When Where Why How Not No Yes Also Said Says Told
	January February March April May June July August September October November December Monday Tuesday
	Wednesday Thursday Friday Saturday Sunday Today Yesterday Tomorrow Army Navy Air Force Forces Office
	Ministry Department Government Council Committee Party Union Assembly Parliament Congress Senate House
	Court Bank Police Agency Service Staff Republic Federation Kingdom States Nations Organization Prime
	Motors Electric Dynamics Assembly Mills League Corporation Company Group`)

// nameParticles may sit inside a name: "Ludwig van Beethoven".
var nameParticles = wordSet(`de da di del della der den van von du dos das bin ibn al el le la ter ten`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// tok is a word of a block with its text.
type tok struct {
	r Range
	t string
}

// blockTokens returns the words of each block.
func blockTokens(ix *Index, b Block) []tok {
	words := ix.Words()
	i := sort.Search(len(words), func(i int) bool { return words[i].End > b.Start })
	var out []tok
	for ; i < len(words) && words[i].Start < b.End; i++ {
		out = append(out, tok{words[i], ix.Slice(words[i])})
	}
	return out
}

// spaced reports whether tokens a and b are separated by whitespace only,
// without a line break.
func spaced(ix *Index, a, b tok) bool {
	if b.r.Start <= a.r.End {
		return false
	}
	gap := ix.Slice(Range{a.r.End, b.r.Start})
	return strings.TrimFunc(gap, isSpace) == "" && !strings.ContainsAny(gap, "\n\u2028\u2029")
}

// adjacent reports whether b follows a with nothing in between.
func adjacent(a, b tok) bool { return a.r.End == b.r.Start }

// possessive returns t without a possessive ’s or 's.
func possessive(t string) (string, bool) {
	for _, p := range []string{"’s", "'s", "’S", "'S"} {
		if s, ok := strings.CutSuffix(t, p); ok && s != "" {
			return s, true
		}
	}
	return t, false
}

// nameWord reports whether t (without a possessive) can be part of a name:
// a capitalized word of letters, apostrophes and hyphens.
func nameWord(t string) bool {
	if notNames[t] || personTitles[t] {
		return false
	}
	first, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsUpper(first) {
		return false
	}
	letters := 0
	for _, r := range t {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			letters++
		case r == '’' || r == '\'':
		default:
			return false
		}
	}
	// An all-caps word of three or more letters is an acronym, not a name.
	if letters >= 3 && strings.ToUpper(t) == t {
		return false
	}
	return letters >= 1
}

// parseName reads a name starting at token i: capitalized words (with
// hyphenated parts, particles and initials), at most four, on one line. It
// returns the range and the index after the name, or ok false.
func parseName(ix *Index, toks []tok, i int) (r Range, next int, ok bool) {
	n, words := i, 0
	for n < len(toks) && words < 4 {
		t := toks[n]
		if words > 0 && !spaced(ix, toks[n-1], t) {
			break
		}
		base, poss := possessive(t.t)
		// Particles: "Ludwig van Beethoven", "Ursula von der Leyen".
		if words > 0 && nameParticles[t.t] {
			k := n
			for k < len(toks) && nameParticles[toks[k].t] && k+1 < len(toks) && spaced(ix, toks[k], toks[k+1]) {
				k++
			}
			if k > n && k < len(toks) && nameWord(toks[k].t) {
				n = k
				continue
			}
			break
		}
		if !nameWord(base) {
			break
		}
		end := n + 1
		// An initial: "J." (one capital and a full stop).
		if utf8.RuneCountInString(base) == 1 {
			if end < len(toks) && toks[end].t == "." && adjacent(t, toks[end]) {
				end++
			} else {
				break
			}
		}
		// Hyphenated: "Jean-Luc", "al-Assad".
		for end+1 < len(toks) && (toks[end].t == "-" || toks[end].t == "‐") && adjacent(toks[end-1], toks[end]) &&
			adjacent(toks[end], toks[end+1]) && nameWord(toks[end+1].t) {
			end += 2
		}
		if !ok {
			r.Start = t.r.Start
		}
		r.End = toks[end-1].r.End
		if poss {
			r.End -= 2
		}
		ok = true
		words++
		n = end
		if poss {
			break
		}
	}
	return r, n, ok
}

// inCompound reports whether r is glued by a hyphen to a lowercase word,
// as in "Russia-friendly" or "pro-Trump": a modifier, not the entity.
func (ix *Index) inCompound(r Range) bool {
	n := ix.Len(CodePoints)
	if r.End+1 < n && isHyphen(ix.runeAt(r.End)) && unicode.IsLower(ix.runeAt(r.End+1)) {
		return true
	}
	return r.Start >= 2 && isHyphen(ix.runeAt(r.Start-1)) && unicode.IsLower(ix.runeAt(r.Start-2))
}

// partOfLongerName reports whether the name ending at token last is glued
// by a hyphen to a capitalized word, or followed by a capitalized word that
// is not itself a known name, a title or a function word: then the match is
// part of a longer name. A possessive ends the name.
func partOfLongerName(ix *Index, toks []tok, last int, poss bool, known map[string][]gazEntry) bool {
	if poss || last+1 >= len(toks) {
		return false
	}
	next := toks[last+1]
	if isHyphen(ix.runeAt(next.r.Start)) && adjacent(toks[last], next) && last+2 < len(toks) {
		after := toks[last+2]
		r, _ := utf8.DecodeRuneInString(after.t)
		return adjacent(next, after) && unicode.IsUpper(r)
	}
	if !spaced(ix, toks[last], next) {
		return false
	}
	base, _ := possessive(next.t)
	first, _ := utf8.DecodeRuneInString(base)
	return unicode.IsUpper(first) && !functionWords[base] && !personTitles[base] &&
		known[foldApostrophes(next.t)] == nil && known[foldApostrophes(base)] == nil
}

// functionWords are capitalized words that do not continue a name.
var functionWords = wordSet(`The A An And Or But Of In On At For To From By With As I`)

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// suggestTitled finds persons named after a title.
func suggestTitled(d *Document, blocks []Block, label string) []Suggestion {
	ix := d.Index()
	var out []Suggestion
	for _, b := range blocks {
		toks := blockTokens(ix, b)
		conf := 0.8
		if b.Kind != BlockParagraph {
			conf = 0.45 // headings are Title Case: every word looks like a name
		}
		for i := 0; i < len(toks); i++ {
			t := toks[i].t
			c := conf
			switch {
			case personTitles[t]:
			case lowerTitles[t]:
				c = math.Round((c-0.1)*100) / 100
			default:
				continue
			}
			plural := pluralTitles[t]
			j := i + 1
			// "Gen." "Dr."
			if j < len(toks) && toks[j].t == "." && adjacent(toks[i], toks[j]) {
				j++
			}
			// Title chains and departments.
			for j < len(toks) && spaced(ix, toks[j-1], toks[j]) {
				switch {
				case chainTitles[toks[j].t]:
					j++
					continue
				case toks[j].t == "of" && j+1 < len(toks) && departments[toks[j+1].t]:
					j += 2
					for j < len(toks) && departments[toks[j].t] {
						j++
					}
					continue
				}
				break
			}
			if j >= len(toks) || !spaced(ix, toks[j-1], toks[j]) {
				continue
			}
			for {
				r, next, ok := parseName(ix, toks, j)
				if !ok {
					break
				}
				if !ix.inCompound(r) {
					out = append(out, Suggestion{Range: r, Label: label, Rule: RuleTitle, Confidence: c})
				}
				i = next - 1
				// "Presidents Zelensky and Trump", "Generals A, B and C"
				if !plural || next+1 >= len(toks) || (toks[next].t != "and" && toks[next].t != ",") {
					break
				}
				j = next + 1
				if toks[next].t == "," && j < len(toks) && toks[j].t == "and" {
					j++
				}
				if j >= len(toks) {
					break
				}
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Gazetteer.

// gazEntry is a name to look for, as tokens.
type gazEntry struct {
	toks  []string
	gaps  []bool // gaps[k]: whitespace between toks[k] and toks[k+1] (else adjacent)
	label string
	rule  string
	conf  float64
}

// foldApostrophes makes ’ and ' the same for matching names.
func foldApostrophes(s string) string {
	if !strings.ContainsAny(s, "’‘ʼ") {
		return s
	}
	return apostrophes.Replace(s)
}

var apostrophes = strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'")

// nameTokens splits a name into tokens (as Index.Words) with its gaps.
func nameTokens(name string) (toks []string, gaps []bool) {
	nix := NewIndex(name)
	ws := nix.Words()
	for k, w := range ws {
		toks = append(toks, foldApostrophes(nix.Slice(w)))
		if k > 0 {
			gaps = append(gaps, ws[k-1].End < w.Start)
		}
	}
	return toks, gaps
}

// suggestGazetteer finds the corpus names, and the person names local found
// in the document itself (with less confidence), in the document.
func suggestGazetteer(s *State, opts SuggestOptions, local []string) []Suggestion {
	// Count each name per label; a name claimed by several labels goes to
	// the one that tagged it most (ties: all, with less confidence).
	counts := map[string]map[string]int{} // name -> label -> count
	for label, names := range opts.Gazetteer {
		l, ok := s.Schema.Label(label)
		if !ok || l.Kind != KindEntity || label == opts.FigureLabel {
			continue
		}
		for _, n := range names {
			n = collapseSpace(foldApostrophes(n))
			if n == "" || strings.IndexFunc(n, unicode.IsLetter) < 0 {
				continue
			}
			if counts[n] == nil {
				counts[n] = map[string]int{}
			}
			counts[n][label]++
		}
	}
	byFirst := map[string][]gazEntry{}
	add := func(name, label, rule string, conf float64) {
		toks, gaps := nameTokens(name)
		if len(toks) == 0 {
			return
		}
		byFirst[toks[0]] = append(byFirst[toks[0]], gazEntry{toks, gaps, label, rule, conf})
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	surnames := map[string]int{}
	for _, n := range names {
		best, tie := "", false
		for label, c := range counts[n] {
			switch {
			case best == "" || c > counts[n][best]:
				best, tie = label, false
			case c == counts[n][best]:
				tie = true
			}
		}
		for label, c := range counts[n] {
			if c != counts[n][best] {
				continue
			}
			toks, _ := nameTokens(n)
			conf := 0.8
			if len(toks) > 1 {
				conf = 0.9
			}
			if tie {
				conf /= 2
			}
			add(n, label, RuleGazetteer, conf)
			// The surname of a full person name.
			if label == opts.PersonLabel && len(toks) >= 2 {
				allNames := true
				for _, t := range toks {
					if !nameWord(t) && !nameParticles[t] {
						allNames = false
					}
				}
				last := toks[len(toks)-1]
				if allNames && utf8.RuneCountInString(last) >= 3 {
					surnames[last]++
				}
			}
		}
	}
	for _, n := range local {
		n = collapseSpace(foldApostrophes(n))
		if counts[n] != nil || n == "" {
			continue // the corpus knows it
		}
		counts[n] = map[string]int{opts.PersonLabel: 1}
		toks, _ := nameTokens(n)
		add(n, opts.PersonLabel, RuleGazetteer, 0.75)
		if len(toks) >= 2 && utf8.RuneCountInString(toks[len(toks)-1]) >= 3 && nameWord(toks[len(toks)-1]) {
			surnames[toks[len(toks)-1]]++
		}
	}
	for _, sn := range sortedKeys(surnames) {
		if counts[sn] != nil { // tagged on its own already
			continue
		}
		add(sn, opts.PersonLabel, RuleSurname, 0.6)
	}
	if len(byFirst) == 0 {
		return nil
	}

	ix := s.Doc.Index()
	var out []Suggestion
	for _, b := range opts.blocks(s.Doc) {
		toks := blockTokens(ix, b)
		for i := range toks {
			first := foldApostrophes(toks[i].t)
			cands := byFirst[first]
			base, poss := possessive(first)
			if poss {
				cands = append(append([]gazEntry(nil), cands...), byFirst[base]...)
			}
			for _, e := range cands {
				if i+len(e.toks) > len(toks) {
					continue
				}
				match, endPoss := true, false
				for k, et := range e.toks {
					dt := foldApostrophes(toks[i+k].t)
					if k > 0 {
						if e.gaps[k-1] && !spaced(ix, toks[i+k-1], toks[i+k]) || !e.gaps[k-1] && !adjacent(toks[i+k-1], toks[i+k]) {
							match = false
							break
						}
					}
					if dt == et {
						continue
					}
					if k == len(e.toks)-1 {
						if base, ok := possessive(dt); ok && base == et {
							endPoss = true
							continue
						}
					}
					match = false
					break
				}
				if !match {
					continue
				}
				r := Range{toks[i].r.Start, toks[i+len(e.toks)-1].r.End}
				if endPoss {
					r.End -= 2
				}
				// A whole word, not part of a compound ("Russia-friendly")
				// or of a longer name ("Rhine" of "North Rhine-Westphalia",
				// "Cologne" of "Cologne Bonn Airport", "U.S." of "U.S. Army").
				if !ix.wordBoundary(r.Start, false) || !ix.wordBoundary(r.End, true) || ix.inCompound(r) ||
					b.Kind == BlockParagraph && partOfLongerName(ix, toks, i+len(e.toks)-1, endPoss, byFirst) {
					continue
				}
				out = append(out, Suggestion{Range: r, Label: e.label, Rule: e.rule, Confidence: e.conf})
			}
		}
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
