package annotate

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// spaCy / Prodigy JSONL: one document per line,
//
//	{"text": "Müller said …", "tokens": [{"text": "Müller", "start": 0, "end": 6, "id": 0, "ws": true}, …],
//	 "spans": [{"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "PERSON"}, …],
//	 "meta": {"id": "doc-…", "title": "…"}}
//
// Offsets count code points (Python str indices); token_end is inclusive.
// Tokens are the document's word segments (Index.Words: Unicode word
// boundaries, no whitespace tokens); ws says whether whitespace follows.
// spaCy's Doc.char_span returns None for a span that does not start and end
// on token boundaries, so such spans are left out and Losses names each.
// Overlapping spans (a claim around a person) are all listed: they belong in
// doc.spans, not doc.ents.

type spacyToken struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	ID    int    `json:"id"`
	WS    bool   `json:"ws"`
}

type spacySpan struct {
	Start      int    `json:"start"`
	End        int    `json:"end"`
	TokenStart int    `json:"token_start"`
	TokenEnd   int    `json:"token_end"`
	Label      string `json:"label"`
}

type docMeta struct {
	ID     string `json:"id"`
	Title  string `json:"title,omitempty"`
	Source string `json:"source,omitempty"`
}

type spacyRecord struct {
	Text   string       `json:"text"`
	Tokens []spacyToken `json:"tokens"`
	Spans  []spacySpan  `json:"spans"`
	Meta   docMeta      `json:"meta"`
}

func metaOf(d *Document) docMeta { return docMeta{ID: d.ID, Title: d.Title, Source: d.Source} }

// tokenSpan returns the tokens a code-point range starts and ends on
// (token_end inclusive), and whether it lines up with token boundaries.
func tokenSpan(tokens []Range, r Range) (first, last int, aligned bool) {
	first = sort.Search(len(tokens), func(i int) bool { return tokens[i].End > r.Start })
	last = sort.Search(len(tokens), func(i int) bool { return tokens[i].End >= r.End })
	if first >= len(tokens) || last >= len(tokens) || last < first {
		return first, last, false
	}
	return first, last, tokens[first].Start == r.Start && tokens[last].End == r.End
}

// isWS reports whether the character at code point cp of ix is whitespace
// (Unicode White_Space, as Python's str.isspace sees it; zero-width
// characters are not).
func isWS(ix *Index, cp int) bool {
	if cp >= ix.Len(CodePoints) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(ix.Text()[ix.ByteOffset(cp):])
	return unicode.IsSpace(r)
}

// writeSpacy writes one record, the same bytes as writeJSONLine of a
// spacyRecord (TestSpacyWriterMatchesEncodingJSON) but built by hand: a
// document has a token object per word, and encoding/json's reflection was
// a third of a dataset conversion.
func writeSpacy(w io.Writer, s *State) error {
	ix := s.Doc.Index()
	words := ix.Words()
	b := make([]byte, 0, 2*len(s.Doc.Text)+64*len(words)+256)
	b = append(b, `{"text":`...)
	b = appendJSONString(b, s.Doc.Text)
	b = append(b, `,"tokens":[`...)
	for i, t := range words {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"text":`...)
		b = appendJSONString(b, ix.Slice(t))
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(t.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(t.End), 10)
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `,"ws":`...)
		b = strconv.AppendBool(b, isWS(ix, t.End))
		b = append(b, '}')
	}
	b = append(b, `],"spans":[`...)
	n := 0
	for _, a := range s.Annotations() {
		first, last, ok := tokenSpan(words, a.Range())
		if !ok {
			continue // reported by Losses
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, `{"start":`...)
		b = strconv.AppendInt(b, int64(a.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(a.End), 10)
		b = append(b, `,"token_start":`...)
		b = strconv.AppendInt(b, int64(first), 10)
		b = append(b, `,"token_end":`...)
		b = strconv.AppendInt(b, int64(last), 10)
		b = append(b, `,"label":`...)
		b = appendJSONString(b, exportName(labelOf(s, a.Label)))
		b = append(b, '}')
	}
	b = append(b, `],"meta":{"id":`...)
	b = appendJSONString(b, s.Doc.ID)
	if s.Doc.Title != "" {
		b = append(b, `,"title":`...)
		b = appendJSONString(b, s.Doc.Title)
	}
	if s.Doc.Source != "" {
		b = append(b, `,"source":`...)
		b = appendJSONString(b, s.Doc.Source)
	}
	b = append(b, "}}\n"...)
	_, err := w.Write(b)
	return err
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// does without HTML escaping: quote, backslash and control characters
// escaped (\b \f \n \r \t by name), U+2028 and U+2029 as \u escapes, invalid
// UTF-8 as U+FFFD, everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// writeJSONLine writes v as one line of JSON without HTML escaping.
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func spacyLosses(s *State) []string {
	ix := s.Doc.Index()
	words := ix.Words()
	var out []string
	for _, a := range s.Annotations() {
		first, last, ok := tokenSpan(words, a.Range())
		if ok {
			continue
		}
		near := ""
		if first < len(words) && last < len(words) && first <= last {
			near = fmt.Sprintf(" (the tokens there are %q)", ix.Slice(Range{words[first].Start, words[last].End}))
		}
		out = append(out, fmt.Sprintf("%s span %q at %v does not line up with token boundaries%s: left out, as spaCy's char_span would return None",
			labelOf(s, a.Label).Name, ix.Slice(a.Range()), a.Range(), near))
	}
	return append(out, commonLosses(s, lossNotes|lossClaims)...)
}

// Kinds of loss shared by several formats.
const (
	lossNotes  = 1 << iota // per-span notes
	lossClaims             // claim details (verdict, evidence, …)
)

// commonLosses counts notes and claim details a format cannot carry.
func commonLosses(s *State, what int) []string {
	notes, claims := 0, 0
	for _, a := range s.Annotations() {
		if a.Note != "" {
			notes++
		}
		if a.Claim != nil && !claimEmpty(a.Claim) {
			claims++
		}
	}
	var out []string
	if what&lossNotes != 0 && notes > 0 {
		out = append(out, fmt.Sprintf("%s on spans %s not exported", plural(notes, "note"), isAre(notes)))
	}
	if what&lossClaims != 0 && claims > 0 {
		out = append(out, fmt.Sprintf("claim details (verdict, claimant, evidence, rationale) of %s %s not exported; use W3C Web Annotation, ClaimReview or the claims JSONL", plural(claims, "claim"), isAre(claims)))
	}
	return out
}

func claimEmpty(c *Claim) bool {
	return c.Verdict == "" && c.Text == "" && c.Claimant == (Claimant{}) && c.Date == "" && c.CheckWorthy == nil &&
		c.Rationale == "" && len(c.Evidence) == 0 && c.ReviewURL == ""
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return fmt.Sprintf("%d %sies", n, what[:len(what)-1])
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func newSpacyDecoder(src Source, opts ImportOptions) (Decoder, error) {
	file := src.name()
	return newLineDecoder(src.R, func(line int, data []byte) (*State, []Problem, error) {
		return parseSpacy(file, line, data, opts)
	}), nil
}

// parseSpacy reads one spaCy / Prodigy record: Prodigy's {"text", "tokens",
// "spans": [...], "answer", "meta"} or spaCy's Doc.to_json() {"text",
// "tokens", "ents": [...], "spans": {"sc": [...]}}.
func parseSpacy(file string, line int, data []byte, opts ImportOptions) (*State, []Problem, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return rejectDoc(Problem{File: file, Line: line, Reason: "invalid JSON: " + err.Error(), Fatal: true})
	}
	rec := jv{v: v}
	if _, err := rec.object(); err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	text, err := rec.key("text").str()
	if err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	if ans := rec.key("answer").optStr(); ans == "reject" || ans == "ignore" {
		return nil, []Problem{{File: file, Line: line, Path: "answer", Reason: fmt.Sprintf("example was answered %q in Prodigy: not imported", ans)}}, nil
	}
	meta := rec.key("meta")
	b := NewImportBuilder(file, line, text, "text", CodePoints, TextOptions{
		ID:     firstNonEmpty(meta.key("id").optStr(), rec.key("id").optStr()),
		Title:  meta.key("title").optStr(),
		Source: firstNonEmpty(meta.key("source").optStr(), meta.key("url").optStr()),
	}, opts)

	// Tokens, when present, are used to check token_start and token_end.
	var tokens []Range
	if tv := rec.key("tokens"); tv.has() {
		arr, err := tv.array()
		if err != nil {
			return rejectDoc(problemOf(err, file, line))
		}
		for i := range arr {
			t := tv.idx(i)
			s, err1 := t.key("start").int()
			e, err2 := t.key("end").int()
			if err1 != nil || err2 != nil {
				b.Report(problemOf(firstErr(err1, err2), file, line))
				tokens = nil
				break
			}
			tokens = append(tokens, Range{s, e})
		}
	}
	addSpans := func(list jv) {
		arr, err := list.array()
		if err != nil {
			b.Report(problemOf(err, file, line))
			return
		}
		for i := range arr {
			sp := list.idx(i)
			if _, err := sp.object(); err != nil {
				b.Report(problemOf(err, file, line))
				continue
			}
			s, err1 := sp.key("start").int()
			e, err2 := sp.key("end").int()
			label, err3 := sp.key("label").str()
			if err := firstErr(err1, err2, err3); err != nil {
				b.Report(problemOf(err, file, line))
				continue
			}
			is := ImportSpan{Path: sp.path, Start: s, End: e, Label: label}
			if q := sp.key("text"); q.has() {
				if qs, err := q.str(); err == nil {
					is.Quote = &qs
				}
			}
			if tokens != nil && sp.key("token_start").has() {
				ts, err1 := sp.key("token_start").int()
				te, err2 := sp.key("token_end").int()
				if err := firstErr(err1, err2); err != nil {
					b.Report(problemOf(err, file, line))
					continue
				}
				switch {
				case ts < 0 || te < ts || te >= len(tokens):
					b.Report(Problem{Path: sp.path, Fatal: true, Reason: fmt.Sprintf("token_start %d and token_end %d are not tokens [0, %d)", ts, te, len(tokens))})
					continue
				case tokens[ts].Start != s || tokens[te].End != e:
					b.Report(Problem{Path: sp.path, Fatal: true, Reason: fmt.Sprintf(
						"span [%d, %d) does not match its tokens %d..%d, which cover [%d, %d)", s, e, ts, te, tokens[ts].Start, tokens[te].End)})
					continue
				}
			}
			b.Add(is)
		}
	}
	if sv := rec.key("spans"); sv.has() {
		if groups, ok := sv.v.(map[string]any); ok {
			keys := make([]string, 0, len(groups))
			for k := range groups {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				addSpans(sv.key(k))
			}
		} else {
			addSpans(sv)
		}
	}
	if ev := rec.key("ents"); ev.has() {
		addSpans(ev)
	}
	for _, k := range []string{"relations", "cats", "accept", "options"} {
		if x := rec.key(k); x.has() && !isEmptyJSON(x.v) {
			b.Report(Problem{Path: k, Reason: fmt.Sprintf("%q is not imported: Factmark keeps spans only", k)})
		}
	}
	return b.State()
}

func isEmptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
