package annotate

import (
	"fmt"
	"io"
)

// doccano JSONL (sequence labeling): one document per line,
//
//	{"text": "Müller said …", "label": [[0, 6, "PERSON"], …], "doc_id": "doc-…", "title": "…"}
//
// Offsets count UTF-16 code units, JavaScript string indices, which is what
// doccano counts by default. Keys other than text and label become the
// example's metadata in doccano. doccano keeps no per-span notes (its
// comments belong to the document) and keeps overlapping spans only in
// projects that allow them.
//
// Import also reads doccano's relation-mode export:
// {"text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": […]}.

type doccanoRecord struct {
	Text   string  `json:"text"`
	Label  [][]any `json:"label"`
	DocID  string  `json:"doc_id"`
	Title  string  `json:"title,omitempty"`
	Source string  `json:"source,omitempty"`
}

func writeDoccano(w io.Writer, s *State) error {
	ix := s.Doc.Index()
	rec := doccanoRecord{Text: s.Doc.Text, Label: [][]any{}, DocID: s.Doc.ID, Title: s.Doc.Title, Source: s.Doc.Source}
	for _, a := range s.Annotations() {
		r, err := ix.ConvertRange(a.Range(), CodePoints, UTF16)
		if err != nil {
			return fmt.Errorf("annotation %s: %w", a.ID, err)
		}
		rec.Label = append(rec.Label, []any{r.Start, r.End, exportName(labelOf(s, a.Label))})
	}
	return writeJSONLine(w, rec)
}

func doccanoLosses(s *State) []string {
	var out []string
	anns := s.Annotations()
	overlaps := 0
	for i, a := range anns {
		for _, b := range anns[i+1:] {
			if b.Start >= a.End {
				break
			}
			if a.Range().Overlaps(b.Range()) {
				overlaps++
			}
		}
	}
	if overlaps > 0 {
		out = append(out, fmt.Sprintf("%s of spans overlap: doccano keeps them only in a project with \"Allow overlapping spans\" on, and drops them silently otherwise", plural(overlaps, "pair")))
	}
	return append(out, commonLosses(s, lossNotes|lossClaims)...)
}

func newDoccanoDecoder(src Source, opts ImportOptions) (Decoder, error) {
	file := src.name()
	return newLineDecoder(src.R, func(line int, data []byte) (*State, []Problem, error) {
		return parseDoccano(file, line, data, opts)
	}), nil
}

func parseDoccano(file string, line int, data []byte, opts ImportOptions) (*State, []Problem, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return rejectDoc(Problem{File: file, Line: line, Reason: "invalid JSON: " + err.Error(), Fatal: true})
	}
	rec := jv{v: v}
	if _, err := rec.object(); err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	textKey := "text"
	if !rec.key("text").has() && rec.key("data").has() {
		textKey = "data" // doccano's older export names the text "data"
	}
	text, err := rec.key(textKey).str()
	if err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	b := NewImportBuilder(file, line, text, textKey, UTF16, TextOptions{
		ID:     firstNonEmpty(rec.key("doc_id").optStr(), rec.key("id").optStr()),
		Title:  rec.key("title").optStr(),
		Source: rec.key("source").optStr(),
	}, opts)
	bad := func(err error) { b.Report(problemOf(err, file, line)) }
	for _, key := range []string{"label", "labels"} {
		lv := rec.key(key)
		if !lv.has() {
			continue
		}
		arr, err := lv.array()
		if err != nil {
			bad(err)
			continue
		}
		for i := range arr {
			item := lv.idx(i)
			if s, ok := item.v.(string); ok {
				b.Report(Problem{Path: item.path, Reason: fmt.Sprintf("document category %q is not imported: Factmark keeps spans only", s)})
				continue
			}
			triple, err := item.array()
			if err != nil {
				bad(err)
				continue
			}
			if len(triple) != 3 {
				bad(item.errf("want [start, end, label], found %d elements", len(triple)))
				continue
			}
			s, err1 := item.idx(0).int()
			e, err2 := item.idx(1).int()
			label, err3 := item.idx(2).str()
			if err := firstErr(err1, err2, err3); err != nil {
				bad(err)
				continue
			}
			b.Add(ImportSpan{Path: item.path, Start: s, End: e, Label: label})
		}
	}
	if ev := rec.key("entities"); ev.has() {
		arr, err := ev.array()
		if err != nil {
			bad(err)
		}
		for i := range arr {
			item := ev.idx(i)
			s, err1 := item.key("start_offset").int()
			e, err2 := item.key("end_offset").int()
			label, err3 := item.key("label").str()
			if err := firstErr(err1, err2, err3); err != nil {
				bad(err)
				continue
			}
			b.Add(ImportSpan{Path: item.path, Start: s, End: e, Label: label})
		}
	}
	if rv := rec.key("relations"); rv.has() && !isEmptyJSON(rv.v) {
		b.Report(Problem{Path: "relations", Reason: "relations are not imported: Factmark has no relations"})
	}
	if cv := rec.key("Comments"); cv.has() && !isEmptyJSON(cv.v) {
		b.Report(Problem{Path: "Comments", Reason: "document comments are not imported: Factmark keeps notes per span"})
	}
	return b.State()
}
