package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Label Studio tasks JSON: an array of tasks,
//
//	[{"data": {"text": "Müller said …", "doc_id": "doc-…", "title": "…"},
//	  "annotations": [{"result": [{"id": "a-…", "from_name": "label", "to_name": "text", "type": "labels",
//	                               "value": {"start": 0, "end": 6, "text": "Müller", "labels": ["Person"]},
//	                               "meta": {"text": ["a note"]}}]}]}]
//
// Offsets count code points (Label Studio's Text tag, since 2021). Notes go
// into the region's meta text, which Label Studio shows as the region's Meta
// Info. The export comes with the labeling config (labeling-config.xml) whose
// <Labels name="label" toName="text"> and <Text name="text" value="$text">
// match from_name and to_name, so the tasks import into a project as they are.
//
// Import reads that shape (one task object, an array of them, or JSON Lines),
// the JSON_MIN export ({"text", "label": [{start, end, text, labels}]}),
// per-region TextArea results (as notes) and, when a task has no annotation,
// its first prediction.

type lsValue struct {
	Start  int      `json:"start"`
	End    int      `json:"end"`
	Text   string   `json:"text"`
	Labels []string `json:"labels"`
}

type lsMeta struct {
	Text []string `json:"text"`
}

type lsResult struct {
	ID       string  `json:"id"`
	FromName string  `json:"from_name"`
	ToName   string  `json:"to_name"`
	Type     string  `json:"type"`
	Value    lsValue `json:"value"`
	Meta     *lsMeta `json:"meta,omitempty"`
}

type lsAnnotation struct {
	Result []lsResult `json:"result"`
}

type lsData struct {
	Text   string `json:"text"`
	DocID  string `json:"doc_id"`
	Title  string `json:"title,omitempty"`
	Source string `json:"source,omitempty"`
}

type lsTask struct {
	Data        lsData         `json:"data"`
	Annotations []lsAnnotation `json:"annotations"`
}

// LabelStudioConfig returns the labeling config for the labels of schema:
// the XML to paste into a Label Studio project's Labeling Interface so that
// exported tasks import as they are.
func LabelStudioConfig(labels []Label) string {
	var b strings.Builder
	b.WriteString("<View>\n  <Style>.htx-text { white-space: pre-wrap; }</Style>\n")
	b.WriteString("  <Labels name=\"label\" toName=\"text\">\n")
	for _, l := range labels {
		b.WriteString("    <Label value=\"")
		xmlEscape(&b, l.Name)
		b.WriteString("\"")
		if l.Color != "" {
			b.WriteString(" background=\"")
			xmlEscape(&b, l.Color)
			b.WriteString("\"")
		}
		if l.Key != "" {
			b.WriteString(" hotkey=\"")
			xmlEscape(&b, l.Key)
			b.WriteString("\"")
		}
		b.WriteString("/>\n")
	}
	b.WriteString("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n")
	return b.String()
}

func xmlEscape(b *strings.Builder, s string) {
	var buf bytes.Buffer
	xml.EscapeText(&buf, []byte(s))
	b.Write(buf.Bytes())
}

// labelSet collects the labels of the schemas an export has seen, in order.
type labelSet struct {
	labels []Label
	seen   map[string]bool
}

func (ls *labelSet) add(s Schema) {
	if ls.seen == nil {
		ls.seen = map[string]bool{}
	}
	for _, l := range s.Labels {
		if !ls.seen[l.ID] {
			ls.seen[l.ID] = true
			ls.labels = append(ls.labels, l)
		}
	}
}

func newLabelStudioEncoder(sink FileSink, opts ExportOptions) (Encoder, error) {
	var labels labelSet
	return &StreamEncoder{Sink: sink, Name: opts.base() + ".labelstudio.json", Head: "[\n", Sep: ",\n", Tail: "\n]\n",
		Write: func(w io.Writer, s *State) error {
			labels.add(s.Schema)
			return writeLabelStudio(w, s)
		},
		Sidecars: func() ([]File, error) {
			if len(labels.labels) == 0 {
				labels.add(DefaultSchema())
			}
			return []File{{Name: "labeling-config.xml", MediaType: "application/xml", Data: []byte(LabelStudioConfig(labels.labels))}}, nil
		}}, nil
}

func writeLabelStudio(w io.Writer, s *State) error {
	ix := s.Doc.Index()
	ann := lsAnnotation{Result: []lsResult{}}
	for _, a := range s.Annotations() {
		r := lsResult{ID: a.ID, FromName: "label", ToName: "text", Type: "labels",
			Value: lsValue{Start: a.Start, End: a.End, Text: ix.Slice(a.Range()), Labels: []string{labelOf(s, a.Label).Name}}}
		if a.Note != "" {
			r.Meta = &lsMeta{Text: []string{a.Note}}
		}
		ann.Result = append(ann.Result, r)
	}
	task := lsTask{Data: lsData{Text: s.Doc.Text, DocID: s.Doc.ID, Title: s.Doc.Title, Source: s.Doc.Source}, Annotations: []lsAnnotation{ann}}
	var buf bytes.Buffer
	if err := writeJSONLine(&buf, task); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return err
}

// lineCounter counts the lines of what a json.Decoder reads, so records can
// be located by line.
type lineCounter struct {
	r    io.Reader
	off  int64
	nl   []int64 // offsets of newlines not yet passed
	base int     // newlines before nl[0]
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			c.nl = append(c.nl, c.off+int64(i))
		}
	}
	c.off += int64(n)
	return n, err
}

// lineAt returns the 1-based line of byte offset off; offsets must not
// decrease from call to call.
func (c *lineCounter) lineAt(off int64) int {
	i := sort.Search(len(c.nl), func(i int) bool { return c.nl[i] >= off })
	c.base += i
	c.nl = c.nl[i:]
	return c.base + 1
}

// jsonStream reads a JSON array of records, or one or more records in a row
// (JSON Lines), one record at a time with its line and path prefix.
type jsonStream struct {
	file  string
	lc    *lineCounter
	dec   *json.Decoder
	array bool
	n     int
	done  bool
}

func newJSONStream(src Source) (*jsonStream, error) {
	file := src.name()
	br := bufio.NewReaderSize(src.R, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	lc := &lineCounter{r: br}
	st := &jsonStream{file: file, lc: lc, dec: json.NewDecoder(lc)}
	st.dec.UseNumber()
	// Find the first non-space byte without consuming it through the decoder.
	for {
		b, err := br.Peek(1)
		if err == io.EOF {
			return nil, &FormatError{File: file, Reason: "file is empty"}
		}
		if err != nil {
			return nil, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte() // not seen by the decoder: offsets stay relative to it
			if b[0] == '\n' {
				lc.base++
			}
			continue
		case '[':
			st.array = true
			if _, err := st.dec.Token(); err != nil {
				return nil, &FormatError{File: file, Line: 1, Reason: "invalid JSON: " + err.Error()}
			}
		case '{':
		default:
			return nil, &FormatError{File: file, Line: lc.base + 1, Reason: fmt.Sprintf("want a JSON array or object, found %q", b[0])}
		}
		return st, nil
	}
}

// next returns the next record, its line and its path prefix ("[3]"), or
// io.EOF.
func (st *jsonStream) next() (json.RawMessage, int, string, error) {
	if st.done {
		return nil, 0, "", io.EOF
	}
	if !st.dec.More() {
		st.done = true
		if st.array {
			if _, err := st.dec.Token(); err != nil {
				return nil, 0, "", &FormatError{File: st.file, Line: st.lc.lineAt(st.dec.InputOffset()), Reason: "invalid JSON: " + err.Error()}
			}
		}
		if _, err := st.dec.Token(); err != io.EOF {
			return nil, 0, "", &FormatError{File: st.file, Line: st.lc.lineAt(st.dec.InputOffset()), Reason: "unexpected data after the JSON value"}
		}
		return nil, 0, "", io.EOF
	}
	var raw json.RawMessage
	if err := st.dec.Decode(&raw); err != nil {
		st.done = true
		line := st.lc.lineAt(st.dec.InputOffset())
		var se *json.SyntaxError
		if asSyntax(err, &se) {
			line = st.lc.lineAt(se.Offset)
		}
		return nil, 0, "", &FormatError{File: st.file, Line: line, Path: fmt.Sprintf("[%d]", st.n), Reason: "invalid JSON: " + err.Error()}
	}
	line := st.lc.lineAt(st.dec.InputOffset() - int64(len(raw)))
	path := ""
	if st.array {
		path = fmt.Sprintf("[%d]", st.n)
	}
	st.n++
	return raw, line, path, nil
}

func asSyntax(err error, target **json.SyntaxError) bool {
	se, ok := err.(*json.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

type lsDecoder struct {
	st   *jsonStream
	opts ImportOptions
}

func newLabelStudioDecoder(src Source, opts ImportOptions) (Decoder, error) {
	st, err := newJSONStream(src)
	if err != nil {
		return nil, err
	}
	return &lsDecoder{st: st, opts: opts}, nil
}

func (d *lsDecoder) Next() (*State, []Problem, error) {
	raw, line, path, err := d.st.next()
	if err != nil {
		return nil, nil, err
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return rejectDoc(Problem{File: d.st.file, Line: line, Path: path, Reason: "invalid JSON: " + err.Error(), Fatal: true})
	}
	return parseLabelStudioTask(d.st.file, line, jv{v: v, path: path}, d.opts)
}

// at joins a path prefix and a key.
func at(prefix, key string) string {
	if prefix == "" {
		return key
	}
	if strings.HasPrefix(key, "[") {
		return prefix + key
	}
	return prefix + "." + key
}

func parseLabelStudioTask(file string, line int, task jv, opts ImportOptions) (*State, []Problem, error) {
	if _, err := task.object(); err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	data := task.key("data")
	minimal := !data.has()
	if minimal {
		data = task // JSON_MIN: the data keys sit on the task
	}
	if _, err := data.object(); err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	textV := data.key("text")
	if !textV.has() {
		// The Text tag may read another key ($content): take the only string.
		var keys []string
		for k, v := range data.v.(map[string]any) {
			if _, ok := v.(string); ok && !strings.Contains(k, "id") && k != "title" && k != "source" {
				keys = append(keys, k)
			}
		}
		if len(keys) == 1 {
			textV = data.key(keys[0])
		} else {
			sort.Strings(keys)
			return rejectDoc(Problem{File: file, Line: line, Path: textV.path, Fatal: true,
				Reason: fmt.Sprintf("no text: want data.text (or one string field in data, found %d: %s)", len(keys), strings.Join(keys, ", "))})
		}
	}
	text, err := textV.str()
	if err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	id := firstNonEmpty(data.key("doc_id").optStr())
	if id == "" {
		if tid := task.key("id").optStr(); tid != "" {
			id = "task-" + tid
		}
	}
	b := NewImportBuilder(file, line, text, textV.path, CodePoints, TextOptions{
		ID: id, Title: data.key("title").optStr(), Source: data.key("source").optStr(),
	}, opts)
	report := func(err error) { b.Report(problemOf(err, file, line)) }

	if minimal {
		keys := make([]string, 0)
		for k := range task.v.(map[string]any) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			list := task.key(k)
			arr, ok := list.v.([]any)
			if !ok {
				continue
			}
			for i := range arr {
				item := list.idx(i)
				if !item.key("labels").has() {
					continue
				}
				lsRegion(b, item, item.key("id").optStr(), report)
			}
		}
		return b.State()
	}

	result, which := jv{}, ""
	anns := task.key("annotations")
	if anns.has() {
		arr, err := anns.array()
		if err != nil {
			return rejectDoc(problemOf(err, file, line))
		}
		for i := range arr {
			a := anns.idx(i)
			if c, _ := a.key("was_cancelled").v.(bool); c {
				b.Report(Problem{Path: a.path, Reason: "annotation was cancelled (skipped) in Label Studio: not imported"})
				continue
			}
			if which != "" {
				b.Report(Problem{Path: a.path, Reason: fmt.Sprintf("another annotator's annotation: not imported (only %s is)", which)})
				continue
			}
			result, which = a.key("result"), a.path
		}
	}
	if which == "" {
		preds := task.key("predictions")
		if arr, ok := preds.v.([]any); ok && len(arr) > 0 {
			p := preds.idx(0)
			result, which = p.key("result"), p.path
			b.Report(Problem{Path: p.path, Reason: fmt.Sprintf("task has no annotation: imported its prediction %s (model %q)", p.path, p.key("model_version").optStr())})
		}
	}
	if which == "" {
		return b.State()
	}
	items, err := result.array()
	if err != nil {
		return rejectDoc(problemOf(err, file, line))
	}
	// Per-region TextArea results share the region's id: they become notes.
	notes := map[string][]string{}
	for i := range items {
		r := result.idx(i)
		if r.key("type").optStr() == "textarea" {
			if arr, ok := r.key("value").key("text").v.([]any); ok {
				rid := r.key("id").optStr()
				for _, t := range arr {
					if s, ok := t.(string); ok {
						notes[rid] = append(notes[rid], s)
					}
				}
			}
		}
	}
	regions := map[string]bool{}
	for i := range items {
		r := result.idx(i)
		if r.key("type").optStr() == "labels" {
			regions[r.key("id").optStr()] = true
		}
	}
	for i := range items {
		r := result.idx(i)
		if _, err := r.object(); err != nil {
			report(err)
			continue
		}
		switch typ := r.key("type").optStr(); typ {
		case "labels":
			lsRegion(b, r, r.key("id").optStr(), report, notes[r.key("id").optStr()]...)
		case "textarea":
			if !regions[r.key("id").optStr()] {
				b.Report(Problem{Path: r.path, Reason: "a text area not attached to a region is not imported"})
			}
		default:
			b.Report(Problem{Path: r.path, Reason: fmt.Sprintf("result of type %q is not imported: Factmark keeps labeled text regions only", typ)})
		}
	}
	return b.State()
}

// lsRegion adds the spans of one labeled region (one per label).
func lsRegion(b *ImportBuilder, r jv, id string, report func(error), extraNotes ...string) {
	val := r.key("value")
	if !val.has() {
		val = r // JSON_MIN regions have no "value" level
	}
	if _, ok := val.key("start").v.(string); ok {
		report(val.key("start").errf("is a string: regions of HyperText (XPath offsets) are not supported; use the Text tag"))
		return
	}
	s, err1 := val.key("start").int()
	e, err2 := val.key("end").int()
	lv := val.key("labels")
	labels, err3 := lv.array()
	if err := firstErr(err1, err2, err3); err != nil {
		report(err)
		return
	}
	var quote *string
	if q, ok := val.key("text").v.(string); ok {
		quote = &q
	}
	var notes []string
	if arr, ok := r.key("meta").key("text").v.([]any); ok {
		for _, t := range arr {
			if s, ok := t.(string); ok && s != "" {
				notes = append(notes, s)
			}
		}
	}
	notes = append(notes, extraNotes...)
	if len(labels) == 0 {
		report(lv.errf("region has no label"))
		return
	}
	for i := range labels {
		name, err := lv.idx(i).str()
		if err != nil {
			report(err)
			continue
		}
		sid := id
		if len(labels) > 1 {
			sid = id + "-" + strconv.Itoa(i)
		}
		b.Add(ImportSpan{Path: r.path, Start: s, End: e, Label: name, Quote: quote, ID: sid, Note: strings.Join(notes, "\n")})
	}
}
