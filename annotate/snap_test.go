package annotate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// markedText removes the markers ⟦ ⟧ (the raw selection) and ⟨ ⟩ (the
// expected span) from s and returns the text and both ranges in code points.
func markedText(t *testing.T, s string) (text string, sel, want Range) {
	t.Helper()
	var b strings.Builder
	cp := 0
	pos := map[rune]int{}
	for _, r := range s {
		switch r {
		case '⟦', '⟧', '⟨', '⟩':
			if _, dup := pos[r]; dup {
				t.Fatalf("marker %q twice in %q", r, s)
			}
			pos[r] = cp
		default:
			b.WriteRune(r)
			cp++
		}
	}
	for _, r := range "⟦⟧" {
		if _, ok := pos[r]; !ok {
			t.Fatalf("marker %q missing in %q", r, s)
		}
	}
	sel = Range{pos['⟦'], pos['⟧']}
	want = Range{-1, -1}
	if s, ok := pos['⟨']; ok {
		want = Range{s, pos['⟩']}
	}
	return b.String(), sel, want
}

func TestSnapMarked(t *testing.T) {
	tests := []struct {
		marked  string
		kind    LabelKind
		precise bool
	}{
		// entities: quotes and punctuation around go, inner ones stay
		{"said ⟦“⟨Kyiv⟩,”⟧ he", KindEntity, false},
		{"said “⟦⟨Kyiv⟩,⟧” he", KindEntity, false},
		{"said ⟦“⟨Kyi⟧v⟩,” he", KindEntity, false},
		{"news ⟦(⟨Reuters⟩)⟧ - Kyiv", KindEntity, false},
		{"news (⟦⟨Reuters⟩)⟧ - Kyiv", KindEntity, false},
		{"envoy ⟦⟨Kirill Dmitriev (RDIF)⟩⟧ said", KindEntity, false},
		{"envoy ⟦⟨Kirill Dmitriev (RDIF)⟩.⟧", KindEntity, false},
		{"⟦⟨(RDIF) chief⟩⟧", KindEntity, false}, // the opener is closed inside: kept
		{"a ⟦⟨$105 million⟩⟧ package", KindEntity, false},
		{"a $⟨1⟦05 mill⟧ion⟩ package", KindEntity, false},
		{"a ⟦⟨28-point⟩⟧ plan", KindEntity, false},
		{"a 28-⟨po⟦int⟧⟩ plan", KindEntity, false},
		{"a ⟨2⟦8-po⟧int⟩ plan", KindEntity, false},
		{"rose ⟦⟨12%⟩.⟧", KindEntity, false},
		{"fell ⟦⟨−5%⟩,⟧ then", KindEntity, false},
		{"fell ⟦⟨-5%⟩⟧ then", KindEntity, false},
		{"ranked ⟦⟨#1⟩,⟧ twice", KindEntity, false},
		{"the ⟦⟨U.S.⟩⟧ approval", KindEntity, false},
		{"the ⟦⟨U.S⟧.⟩ approval", KindEntity, false},
		{"the ⟦⟨U.S.⟩ ⟧approval", KindEntity, false},
		{"the ⟨U⟦.⟧S.⟩ approval", KindEntity, false},
		{"backed by the ⟦⟨U.S.⟩⟧", KindEntity, false},
		{"⟦⟨U.S.-led⟩⟧ talks", KindEntity, false},
		{"⟦⟨U.S.⟩⟧-led talks", KindEntity, false},
		{"⟦⟨Donald J.⟩⟧ Trump", KindEntity, false},
		{"⟦⟨Apple Inc.⟩⟧", KindEntity, false},
		{"⟦⟨Gen. George⟩⟧ said", KindEntity, false},
		{"arrived in ⟦⟨Kyiv⟩.⟧", KindEntity, false},
		{"⟦⟨Russia⟩⟧’s invasion", KindEntity, false},
		{"⟨Russ⟦i⟧a⟩’s invasion", KindEntity, false},
		{"⟦⟨Russia’s⟩⟧ invasion", KindEntity, false},
		{"⟦⟨McDonald's⟩⟧ opened", KindEntity, false},
		{"the ⟦⟨Presidents⟩’⟧ deal", KindEntity, false},
		{"⟦'⟨Kyiv⟩'⟧", KindEntity, false},
		{`⟦"⟨Kyiv⟩,"⟧ he`, KindEntity, false},
		{"⟦„⟨Kiew⟩“⟧ sagte", KindEntity, false},
		{"⟦« ⟨Kiev⟩ »⟧", KindEntity, false},
		{"⟦— ⟨Kyiv⟩ —⟧", KindEntity, false},
		{"⟦...⟨Kyiv⟩...⟧", KindEntity, false},
		{"the ⟦“⟨spirit of Anchorage⟩”⟧ –", KindEntity, false},
		{"⟦⟨Operation “Spiderweb”⟩⟧ began", KindEntity, false},
		{"⟦⟨.5 mm⟩⟧", KindEntity, false},
		{"⟦⟨O’Brien⟩⟧ said", KindEntity, false},
		{"⟦⟨don't⟩⟧", KindEntity, false},
		// graphemes are never split
		{"x ⟨⟦🇺⟧🇦⟩ y", KindEntity, false},
		{"x ⟨🇺⟦🇦⟧⟩ y", KindEntity, true},
		{"a ⟨👨‍⟦👩‍👧⟧⟩ b", KindEntity, true},
		{"a ⟦⟨👨‍👩‍👧⟩⟧ b", KindEntity, false},
		{"⟦⟨👍🏽⟩!⟧", KindEntity, false},
		{"M⟨u⟦\u0308⟧⟩ller", KindEntity, true},
		{"⟨Mu⟦\u0308⟧ller⟩ said", KindEntity, false},
		{"Mü⟨⟦ll⟧⟩er", KindEntity, true},
		{"⟨Mü⟦ll⟧er⟩", KindEntity, false},
		{"⟦\u00a0⟨Kyiv⟩\u200b⟧", KindEntity, true},
		{"⟦ \t⟨“Kyiv,”⟩\n⟧", KindEntity, true}, // precise keeps punctuation
		{"⟨न⟦म⟧स्ते⟩ दुनिया", KindEntity, false},
		{"नम⟨स⟦्⟧⟩ते", KindEntity, true},
		{"स्⟨त⟦े⟧⟩", KindClaim, true},
		{"東⟨⟦京⟧⟩は", KindEntity, false},
		{"東⟨⟦京は⟩⟧日本", KindEntity, false},
		{"⟦«⟨مرحبا⟩»⟧", KindEntity, false},
		{"⟨𝐀⟦𝐁⟩⟧ x", KindEntity, false},
		{"Ukrai\u00adne ⟨Ukr⟦ai\u00adn⟧e⟩", KindEntity, false},
		// claims: separators go, the closing full stop stays or is added
		{"⟦⟨The plan will fail.⟩⟧ Next.", KindClaim, false},
		{"⟦⟨The plan will fail⟧.⟩ Next.", KindClaim, false},
		{"⟦⟨The plan will f⟧ail.⟩ Next.", KindClaim, false},
		{"said⟦, ⟨the plan will fail.⟩⟧", KindClaim, false},
		{"⟦⟨The plan fails⟧!⟩ Next", KindClaim, false},
		{"⟦⟨Does it work⟧?!⟩ No.", KindClaim, false},
		{"⟦⟨Prices rose 12%⟧.⟩", KindClaim, false},
		{"⟦⟨It is 3⟧.5⟩ percent", KindClaim, false},
		{"⟦⟨the talks, he said⟩,⟧ and", KindClaim, false},
		{"He said ⟦⟨“We will win this war⟧.”⟩ Later.", KindClaim, false},
		{"He said ⟦⟨“We will win this war.”⟩⟧ Later.", KindClaim, false},
		{"He said “⟦⟨We will win this war⟧.⟩” Later.", KindClaim, false},
		{"He said ⟦⟨\"We will win⟧.\"⟩ Later.", KindClaim, false},
		{"He said ⟦⟨\"We\" will win⟧.⟩\" Later.", KindClaim, false},
		{"⟦⟨Talks with the U.S⟧.⟩ Then", KindClaim, false},
		{"⟦⟨the war ends⟩⟧, he said", KindClaim, false},
		{"⟦ — ⟨the war ends⟩ — ⟧", KindClaim, false},
		{"⟦⟨“The war ends⟩⟧", KindClaim, false},
		{"⟦⟨the (war) ends⟩⟧.", KindClaim, true},
		// other kinds: whole words, whitespace trimmed, punctuation kept
		{"⟦ ⟨“Kyi⟧v⟩,” x", "", false},
	}
	for _, tt := range tests {
		text, sel, want := markedText(t, tt.marked)
		ix := NewIndex(text)
		got, err := ix.Snap(sel, tt.kind, tt.precise)
		if err != nil {
			t.Errorf("Snap(%q, %s, precise %v): %v", tt.marked, tt.kind, tt.precise, err)
			continue
		}
		if got != want {
			t.Errorf("Snap(%q, %s, precise %v) = %v %q, want %v %q", tt.marked, tt.kind, tt.precise, got, ix.Slice(got), want, ix.Slice(want))
		}
		if !ix.IsGraphemeBoundary(got.Start) || !ix.IsGraphemeBoundary(got.End) {
			t.Errorf("Snap(%q) = %v splits a grapheme cluster", tt.marked, got)
		}
		// snapping is idempotent
		if again, err := ix.Snap(got, tt.kind, tt.precise); err != nil || again != got {
			t.Errorf("Snap(Snap(%q)) = %v, %v; want %v", tt.marked, again, err, got)
		}
		// and the direction of the selection does not matter
		if back, err := ix.Snap(Range{sel.End, sel.Start}, tt.kind, tt.precise); err != nil || back != got {
			t.Errorf("Snap(reversed %q) = %v, %v; want %v", tt.marked, back, err, got)
		}
	}
}

func TestSnapErrors(t *testing.T) {
	tests := []struct {
		marked  string
		kind    LabelKind
		precise bool
		msg     string
	}{
		{"a⟦⟧b", KindEntity, false, "selection [1, 1) is empty"},
		{"a⟦ \u00a0\n⟧b", KindEntity, false, "selection [1, 4) is only whitespace"},
		{"a⟦ \u200b ⟧b", KindClaim, true, "selection [1, 4) is only whitespace"},
		{"Kyiv⟦, ⟧then", KindEntity, false, "selection [4, 6) has no word to annotate, only punctuation"},
		{"Kyiv⟦ “”⟧", KindEntity, false, "selection [4, 7) has no word to annotate, only punctuation"},
		{"Kyiv⟦ — ⟧x", KindClaim, false, "selection [4, 7) has no word to annotate, only punctuation"},
	}
	for _, tt := range tests {
		text, sel, _ := markedText(t, tt.marked)
		_, err := NewIndex(text).Snap(sel, tt.kind, tt.precise)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("Snap(%q) error = %v, want %q", tt.marked, err, tt.msg)
		}
	}
	ix := NewIndex("abc")
	for _, r := range []Range{{-1, 2}, {1, 4}, {-1 << 62, 1 << 62}} {
		if _, err := ix.Snap(r, KindEntity, false); err == nil || !strings.Contains(err.Error(), "out of range [0, 3]") {
			t.Errorf("Snap(%v) error = %v, want out of range", r, err)
		}
	}
}

// seedSpan finds the occurrence-th (from 1) occurrence of needle in the
// seed document and returns its code-point range.
func seedSpan(t *testing.T, ix *Index, needle string, occurrence int) Range {
	t.Helper()
	text := ix.Text()
	off := 0
	for i := 0; i < occurrence; i++ {
		j := strings.Index(text[off:], needle)
		if j < 0 {
			t.Fatalf("%q occurrence %d not in the seed article", needle, occurrence)
		}
		off += j
		if i < occurrence-1 {
			off += len(needle)
		}
	}
	s := utf8.RuneCountInString(text[:off])
	return Range{s, s + utf8.RuneCountInString(needle)}
}

func TestSnapSeedArticle(t *testing.T) {
	d, err := FromText(seedArticle(t), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := d.Index()
	tests := []struct {
		sel  string // selected text (first occurrence unless n > 1)
		n    int
		kind LabelKind
		want string // the snapped text, which must lie around the selection
	}{
		{"Kyi", 2, KindEntity, "Kyiv"},
		{" Kyiv, supported", 1, KindEntity, "Kyiv, supported"},
		{"Kyiv, ", 1, KindEntity, "Kyiv"},
		{"iv,", 1, KindEntity, "Kyiv"},
		{"Ternopil, ", 1, KindEntity, "Ternopil"},
		{"Dan Driscoll, ", 1, KindEntity, "Dan Driscoll"},
		{"an Drisc", 1, KindEntity, "Dan Driscoll"},
		{"Volodymyr Zelensky upon", 1, KindEntity, "Volodymyr Zelensky upon"},
		{" $105 million ", 1, KindEntity, "$105 million"},
		{"$105 mill", 1, KindEntity, "$105 million"},
		{"105 million", 1, KindEntity, "105 million"},
		{"a 28-point", 1, KindEntity, "a 28-point"},
		{"28-poi", 1, KindEntity, "28-point"},
		{"at least 26 fatalities,", 1, KindEntity, "at least 26 fatalities"},
		{"360 days ", 1, KindEntity, "360 days"},
		{"January 2017.", 1, KindEntity, "January 2017"},
		{"early 2022 ", 1, KindEntity, "early 2022"},
		{"U.S.", 1, KindEntity, "U.S."},
		{"U.S", 1, KindEntity, "U.S."},
		{"U.S. ", 2, KindEntity, "U.S."},
		{"U.S. Army, ", 1, KindEntity, "U.S. Army"},
		{"U.S. Army;", 1, KindEntity, "U.S. Army"},
		{"U.S. Army Europe;", 1, KindEntity, "U.S. Army Europe"},
		{"the U.S.,", 1, KindEntity, "the U.S."}, // "Western allies including the U.S., continues"
		{"Russia", 4, KindEntity, "Russia"},      // of "Russia’s full-scale invasion"
		{"Russia’s", 1, KindEntity, "Russia’s"},
		{"Kellogg", 2, KindEntity, "Kellogg"}, // of "Kellogg’s departure"
		{"Moscow", 3, KindEntity, "Moscow"},   // of "Moscow’s preconditions"
		{"“spirit of Anchorage”", 1, KindEntity, "spirit of Anchorage"},
		{"Anchorage” ", 1, KindEntity, "Anchorage"},
		{"Alaska –", 1, KindEntity, "Alaska"},
		{"Trump.", 1, KindEntity, "Trump"},
		{"Sergeant Major Michael Weimer.", 1, KindEntity, "Sergeant Major Michael Weimer"},
		{"Axios, ", 1, KindEntity, "Axios"},
		{"BBC’s", 1, KindEntity, "BBC’s"},
		{"BBC", 1, KindEntity, "BBC"},
		{"CBS News, the BBC", 1, KindEntity, "CBS News, the BBC"},
		{"PATRIOT air-defense", 1, KindEntity, "PATRIOT air-defense"},
		{"Senate-approved", 1, KindEntity, "Senate-approved"},
		{"The official noted that Presidents Zelensky and Trump had previously agreed on halting combat along existing front lines and discussed security guarantees for Ukraine", 1, KindClaim,
			"The official noted that Presidents Zelensky and Trump had previously agreed on halting combat along existing front lines and discussed security guarantees for Ukraine."},
		{"there were no new developments beyond that framework.", 1, KindClaim, "there were no new developments beyond that framework."},
		{", which reportedly includes significant compromises from Ukraine", 1, KindClaim, "which reportedly includes significant compromises from Ukraine."},
		{"the U.S. and Russia have quietly drafted a 28-point peace proposal", 1, KindClaim, "the U.S. and Russia have quietly drafted a 28-point peace proposal."},
		{"resulting in at least 26 fatalities, ", 1, KindClaim, "resulting in at least 26 fatalities"},
		{"“spirit of Anchorage” – a nod to the 2020 summit between Putin and Trump in Alaska –", 1, KindClaim, "“spirit of Anchorage” – a nod to the 2020 summit between Putin and Trump in Alaska"},
	}
	for _, tt := range tests {
		n := tt.n
		if n == 0 {
			n = 1
		}
		sel := seedSpan(t, ix, tt.sel, n)
		got, err := ix.Snap(sel, tt.kind, false)
		if err != nil {
			t.Errorf("Snap(%q #%d, %s): %v", tt.sel, n, tt.kind, err)
			continue
		}
		if ix.Slice(got) != tt.want || !got.Overlaps(sel) {
			t.Errorf("Snap(%q #%d %v, %s) = %v %q, want %q", tt.sel, n, sel, tt.kind, got, ix.Slice(got), tt.want)
		}
		// precise mode keeps exactly the (trimmed) selection
		p, err := ix.Snap(sel, tt.kind, true)
		if err != nil || ix.Slice(p) != strings.TrimSpace(tt.sel) {
			t.Errorf("precise Snap(%q) = %q, %v", tt.sel, ix.Slice(p), err)
		}
	}
}

func TestStepWord(t *testing.T) {
	text := "Kyiv, supported by the U.S., continues 🇺🇦 talks."
	ix := NewIndex(text)
	find := func(s string) Range {
		i := strings.Index(text, s)
		st := utf8.RuneCountInString(text[:i])
		return Range{st, st + utf8.RuneCountInString(s)}
	}
	tests := []struct {
		from string
		edge int
		grow bool
		want string
	}{
		{"supported", 1, true, "supported by"},
		{"supported", -1, true, ", supported"},
		{", supported", -1, true, "Kyiv, supported"},
		{"Kyiv", -1, true, "Kyiv"},
		{"talks.", 1, true, "talks."},
		{"by the U.S.", 1, false, "by the U.S"},
		{"by the U.S", 1, false, "by the"},
		{"by the", 1, false, "by"},
		{"by", 1, false, "by"},
		{"by", -1, false, "by"},
		{"by the U.S", -1, false, "the U.S"},
		{"continues", 1, true, "continues 🇺🇦"},
		{"continues 🇺🇦", 1, true, "continues 🇺🇦 talks"},
		{"🇺🇦 talks", -1, false, "talks"},
		{"🇺🇦 talks", 1, false, "🇺🇦"},
		{"pported", -1, true, "supported"},
		{"suppor", 1, true, "supported"},
		{"supported by", 0, true, "supported by"},
		{"supported by", 2, false, "supported by"},
	}
	for _, tt := range tests {
		got := ix.StepWord(find(tt.from), tt.edge, tt.grow)
		if s := ix.Slice(got); s != tt.want {
			t.Errorf("StepWord(%q, %d, grow %v) = %v %q, want %q", tt.from, tt.edge, tt.grow, got, s, tt.want)
		}
	}
	// out-of-range and reversed inputs are clamped, never panic
	for _, r := range []Range{{-5, 2}, {40, 1000}, {9, 3}, {-1 << 62, 1 << 62}} {
		for _, edge := range []int{-1, 1} {
			for _, grow := range []bool{false, true} {
				got := ix.StepWord(r, edge, grow)
				if got.Start < 0 || got.End > ix.Len(CodePoints) || got.Start > got.End {
					t.Errorf("StepWord(%v, %d, %v) = %v", r, edge, grow, got)
				}
			}
		}
	}
}

// BenchmarkSnap snaps selections spread over 1 MB of mixed text, as entity,
// as claim and in precise mode (one Snap per op).
func BenchmarkSnap(b *testing.B) {
	ix := NewIndex(benchText(b))
	ix.Words() // segmentation is built once per text, not per snap
	n := ix.Len(CodePoints)
	var sels []Range
	for s := 11; s+40 < n; s += 4099 {
		sels = append(sels, Range{s, s + 37})
	}
	for _, c := range []struct {
		name    string
		kind    LabelKind
		precise bool
	}{{"entity", KindEntity, false}, {"claim", KindClaim, false}, {"precise", KindEntity, true}} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				ix.Snap(sels[i], c.kind, c.precise)
				i++
				if i == len(sels) {
					i = 0
				}
			}
		})
	}
}

func BenchmarkWords1MB(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		NewIndex(text).Words()
	}
}
