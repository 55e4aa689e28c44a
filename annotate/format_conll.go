package annotate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
)

// Token-level exports. Tokens are the document's word segments
// (Index.Words), sentences its Unicode sentences (Index.Sentences).
//
// CoNLL-2003 style IOB2 text: each document starts with
// "-DOCSTART- -X- -X- O" and a blank line; each sentence is one "token TAG"
// line per token followed by a blank line. Tags are IOB2 over the entity
// labels (B-PERSON, I-PERSON, B-PLACE, …, O): every I-X follows a B-X or an
// I-X.
//
// Hugging Face token classification JSONL: one record per sentence,
// {"id": "doc-…-0", "doc_id": "doc-…", "tokens": [...], "ner_tags": [ids]}
// with the tag names, in id order, in the sidecar labels.json.
//
// Both carry entity labels only, one label per token: character offsets,
// whitespace, overlapping or nested entities (the inner or later one is
// dropped), notes and claims are lost. Claims have their own export, a
// sentence-level check-worthiness layer: one JSONL record per sentence,
// {"id", "doc_id", "sentence", "start", "end", "text", "label": 0 or 1},
// where label 1 says a claim annotation overlaps the sentence (claims
// marked not check-worthy do not count) and start and end count code points.

// iobDoc is a document tagged for the token formats.
type iobDoc struct {
	tokens []Range
	text   []string // token texts, whitespace replaced by '_'
	sent   [][2]int // per sentence, its token index range [from, to)
	label  []string // per token, the entity label id ("" for O)
	begin  []bool   // per token, B- (true) or I-
	losses []string
}

// tagIOB tags the tokens of s with its entity annotations.
func tagIOB(s *State) *iobDoc {
	ix := s.Doc.Index()
	words := ix.Words()
	d := &iobDoc{tokens: words, text: make([]string, len(words)), label: make([]string, len(words)), begin: make([]bool, len(words))}
	sanitized := 0
	for i, w := range words {
		t := ix.Slice(w)
		if strings.IndexFunc(t, unicode.IsSpace) >= 0 {
			t = strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return '_'
				}
				return r
			}, t)
			sanitized++
		}
		d.text[i] = t
	}
	// Sentences: each token belongs to the sentence its start is in (or the
	// one before, for a token in the gap between two).
	sents := ix.Sentences()
	sentOf := make([]int, len(words))
	for i, w := range words {
		k := sort.Search(len(sents), func(k int) bool { return sents[k].Start > w.Start }) - 1
		if k < 0 {
			k = 0
		}
		sentOf[i] = k
	}
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && sentOf[j] == sentOf[i] {
			j++
		}
		d.sent = append(d.sent, [2]int{i, j})
		i = j
	}
	// Entities, longest first at each start: a later one that shares a token
	// with one already tagged is dropped.
	claims := 0
	for _, a := range s.Annotations() {
		l := labelOf(s, a.Label)
		if l.Kind != KindEntity {
			claims++
			continue
		}
		first := sort.Search(len(words), func(i int) bool { return words[i].End > a.Start })
		last := sort.Search(len(words), func(i int) bool { return words[i].Start >= a.End }) - 1
		quote := ix.Slice(a.Range())
		if first > last || first >= len(words) {
			d.losses = append(d.losses, fmt.Sprintf("%s %q at %v covers no token: left out", l.Name, quote, a.Range()))
			continue
		}
		taken := ""
		for i := first; i <= last; i++ {
			if d.label[i] != "" {
				taken = d.label[i]
				break
			}
		}
		if taken != "" {
			d.losses = append(d.losses, fmt.Sprintf("%s %q at %v overlaps a %s already tagged (IOB2 has one tag per token): left out",
				l.Name, quote, a.Range(), labelOf(s, taken).Name))
			continue
		}
		if words[first].Start != a.Start || words[last].End != a.End {
			d.losses = append(d.losses, fmt.Sprintf("%s %q at %v splits a token: tagged as the whole tokens %q",
				l.Name, quote, a.Range(), ix.Slice(Range{words[first].Start, words[last].End})))
		}
		for i := first; i <= last; i++ {
			d.label[i] = a.Label
			d.begin[i] = i == first || sentOf[i] != sentOf[i-1]
		}
		if sentOf[first] != sentOf[last] {
			d.losses = append(d.losses, fmt.Sprintf("%s %q at %v crosses a sentence boundary: tagged as one entity per sentence", l.Name, quote, a.Range()))
		}
	}
	if sanitized > 0 {
		d.losses = append(d.losses, fmt.Sprintf("%s contain whitespace, written as '_'", plural(sanitized, "token")))
	}
	if claims > 0 {
		d.losses = append(d.losses, fmt.Sprintf("%s %s not in token tags (entities only); the check-worthy sentences export carries them", plural(claims, "claim"), isAre(claims)))
	}
	d.losses = append(d.losses, commonLosses(s, lossNotes)...)
	return d
}

func (d *iobDoc) tag(s *State, i int) string {
	if d.label[i] == "" {
		return "O"
	}
	p := "I-"
	if d.begin[i] {
		p = "B-"
	}
	return p + exportName(labelOf(s, d.label[i]))
}

func iobLosses(s *State) []string { return tagIOB(s).losses }

func writeCoNLL(w io.Writer, s *State) error {
	d := tagIOB(s)
	var b bytes.Buffer
	b.WriteString("-DOCSTART- -X- -X- O\n\n")
	for _, sr := range d.sent {
		for i := sr[0]; i < sr[1]; i++ {
			b.WriteString(d.text[i])
			b.WriteByte(' ')
			b.WriteString(d.tag(s, i))
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

type hfRecord struct {
	ID      string   `json:"id"`
	DocID   string   `json:"doc_id"`
	Tokens  []string `json:"tokens"`
	NERTags []int    `json:"ner_tags"`
}

// hfTags is the growing list of tag names; ids never change once given.
type hfTags struct {
	names []string
	ids   map[string]int
}

func (t *hfTags) id(name string) int {
	if i, ok := t.ids[name]; ok {
		return i
	}
	t.ids[name] = len(t.names)
	t.names = append(t.names, name)
	return t.ids[name]
}

func newHFEncoder(sink FileSink, opts ExportOptions) (Encoder, error) {
	tags := &hfTags{ids: map[string]int{}}
	tags.id("O")
	return &StreamEncoder{Sink: sink, Name: opts.base() + ".hf.jsonl",
		Write: func(w io.Writer, s *State) error {
			// The schema's entity labels get their ids in schema order.
			for _, l := range s.Schema.Labels {
				if l.Kind == KindEntity {
					tags.id("B-" + exportName(l))
					tags.id("I-" + exportName(l))
				}
			}
			d := tagIOB(s)
			for n, sr := range d.sent {
				rec := hfRecord{ID: fmt.Sprintf("%s-%d", s.Doc.ID, n), DocID: s.Doc.ID, Tokens: d.text[sr[0]:sr[1]], NERTags: make([]int, 0, sr[1]-sr[0])}
				for i := sr[0]; i < sr[1]; i++ {
					rec.NERTags = append(rec.NERTags, tags.id(d.tag(s, i)))
				}
				if err := writeJSONLine(w, rec); err != nil {
					return err
				}
			}
			return nil
		},
		Sidecars: func() ([]File, error) {
			data, err := json.MarshalIndent(tags.names, "", "  ")
			if err != nil {
				return nil, err
			}
			return []File{{Name: "labels.json", MediaType: "application/json", Data: append(data, '\n')}}, nil
		}}, nil
}

type checkWorthyRecord struct {
	ID       string `json:"id"`
	DocID    string `json:"doc_id"`
	Sentence int    `json:"sentence"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
	Label    int    `json:"label"`
}

// checkWorthyClaims returns the claim ranges that flag sentences.
func checkWorthyClaims(s *State) (flag []Range, skipped int) {
	for _, a := range s.Annotations() {
		if labelOf(s, a.Label).Kind != KindClaim {
			continue
		}
		if a.Claim != nil && a.Claim.CheckWorthy != nil && !*a.Claim.CheckWorthy {
			skipped++
			continue
		}
		flag = append(flag, a.Range())
	}
	return flag, skipped
}

func writeCheckWorthy(w io.Writer, s *State) error {
	ix := s.Doc.Index()
	claims, _ := checkWorthyClaims(s)
	for n, sent := range ix.Sentences() {
		rec := checkWorthyRecord{ID: fmt.Sprintf("%s-%d", s.Doc.ID, n), DocID: s.Doc.ID, Sentence: n, Start: sent.Start, End: sent.End, Text: ix.Slice(sent)}
		for _, c := range claims {
			if c.Overlaps(sent) {
				rec.Label = 1
				break
			}
		}
		if err := writeJSONLine(w, rec); err != nil {
			return err
		}
	}
	return nil
}

func checkWorthyLosses(s *State) []string {
	var out []string
	entities, partial := 0, 0
	ix := s.Doc.Index()
	for _, a := range s.Annotations() {
		if labelOf(s, a.Label).Kind == KindEntity {
			entities++
			continue
		}
		if st := ix.SentenceAt(a.Start); st.Start != a.Start || ix.SentenceAt(a.End-1).End != a.End {
			partial++
		}
	}
	if _, skipped := checkWorthyClaims(s); skipped > 0 {
		out = append(out, fmt.Sprintf("%s marked not check-worthy %s not flagged", plural(skipped, "claim"), isAre(skipped)))
	}
	if partial > 0 {
		out = append(out, fmt.Sprintf("%s cover part of a sentence: the whole sentence is flagged", plural(partial, "claim")))
	}
	if entities > 0 {
		out = append(out, fmt.Sprintf("%s %s not exported (claims only; use CoNLL or Hugging Face for entities)", plural(entities, "entity"), isAre(entities)))
	}
	return append(out, commonLosses(s, lossNotes|lossClaims)...)
}
