//go:build !factmark_ui

package annotate

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// brat standoff: per document a .txt with the text (LF line breaks) and a
// .ann beside it,
//
//	T1	Person 0 6	Müller
//	T2	Disputed_claim 120 160;161 190	first line second line
//	#1	AnnotatorNotes T1	a note
//
// Offsets count code points. A span may not cross a line break, so a span
// that does is written as fragments ("s e;s e", the text column joins the
// fragments with a space; a tab splits a span too, as readers split lines at
// tabs) and read back as one span when only whitespace separates its
// fragments. Type names cannot contain spaces: "Disputed
// claim" is written "Disputed_claim". Several documents go into one zip with
// the collection's annotation.conf and visual.conf.

// BratType is a label's brat type name: its name with whitespace as '_'
// ("Disputed claim" → "Disputed_claim").
func BratType(l Label) string {
	name := l.Name
	if strings.TrimSpace(name) == "" {
		name = l.ID
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// bratFragments splits a code-point range at line breaks into the pieces
// brat can hold; tabs split it too, so that the text column of the .ann
// never holds a tab (readers split .ann lines at tabs).
func bratFragments(ix *Index, r Range) []Range {
	var out []Range
	start := r.Start
	cp := r.Start
	for _, c := range ix.Slice(r) {
		if c == '\n' || c == '\t' {
			if cp > start {
				out = append(out, Range{start, cp})
			}
			start = cp + 1
		}
		cp++
	}
	if r.End > start {
		out = append(out, Range{start, r.End})
	}
	return out
}

// BratAnn returns the .ann file of s.
func BratAnn(s *State) []byte {
	ix := s.Doc.Index()
	var b bytes.Buffer
	t, n := 0, 0
	for _, a := range s.Annotations() {
		frags := bratFragments(ix, a.Range())
		if len(frags) == 0 {
			continue // reported by Losses
		}
		t++
		fmt.Fprintf(&b, "T%d\t%s ", t, BratType(labelOf(s, a.Label)))
		texts := make([]string, len(frags))
		for i, f := range frags {
			if i > 0 {
				b.WriteByte(';')
			}
			fmt.Fprintf(&b, "%d %d", f.Start, f.End)
			texts[i] = ix.Slice(f)
		}
		b.WriteByte('\t')
		b.WriteString(strings.Join(texts, " "))
		b.WriteByte('\n')
		if a.Note != "" {
			n++
			fmt.Fprintf(&b, "#%d\tAnnotatorNotes T%d\t%s\n", n, t, oneLine(a.Note))
		}
	}
	return b.Bytes()
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// BratConf returns the annotation.conf and visual.conf of a collection
// with these labels; every kind of overlap is allowed (a claim contains
// persons; two claims may cross).
func BratConf(labels []Label) (annotationConf, visualConf []byte) {
	var a, v bytes.Buffer
	a.WriteString("# Written by Factmark. Every overlap is allowed: a claim may contain persons and figures.\n[entities]\n")
	for _, l := range labels {
		a.WriteString(BratType(l) + "\n")
	}
	a.WriteString("\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n")
	v.WriteString("[labels]\n")
	for _, l := range labels {
		short := l.Name
		if i := strings.IndexByte(short, ' '); i > 0 {
			short = short[:i]
		}
		fmt.Fprintf(&v, "%s | %s | %s\n", BratType(l), l.Name, short)
	}
	v.WriteString("\n[drawing]\n")
	for _, l := range labels {
		if l.Color != "" {
			fmt.Fprintf(&v, "%s\tbgColor:%s\n", BratType(l), l.Color)
		}
	}
	return a.Bytes(), v.Bytes()
}

type bratEncoder struct {
	sink   FileSink
	opts   ExportOptions
	labels labelSet
	stems  map[string]bool
	n      int
}

func newBratEncoder(sink FileSink, opts ExportOptions) (Encoder, error) {
	return &bratEncoder{sink: sink, opts: opts, stems: map[string]bool{}}, nil
}

func (e *bratEncoder) Encode(s *State) error {
	if e.n > 0 && !e.opts.Many {
		return errors.New("brat: this output holds one .txt/.ann pair; write a .zip or a directory for several documents")
	}
	e.n++
	e.labels.add(s.Schema)
	stem := fileStem(s.Doc.ID)
	for i := 2; e.stems[stem]; i++ {
		stem = fmt.Sprintf("%s-%d", fileStem(s.Doc.ID), i)
	}
	e.stems[stem] = true
	w, err := e.sink.Create(stem + ".txt")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, s.Doc.Text); err != nil {
		return err
	}
	w, err = e.sink.Create(stem + ".ann")
	if err != nil {
		return err
	}
	_, err = w.Write(BratAnn(s))
	return err
}

func (e *bratEncoder) Close() error {
	if len(e.labels.labels) == 0 {
		e.labels.add(DefaultSchema())
	}
	ac, vc := BratConf(e.labels.labels)
	for _, f := range []File{{Name: "annotation.conf", Data: ac}, {Name: "visual.conf", Data: vc}} {
		w, err := e.sink.Create(f.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(f.Data); err != nil {
			return err
		}
	}
	return nil
}

func bratLosses(s *State) []string {
	ix := s.Doc.Index()
	var out []string
	multi := 0
	for _, a := range s.Annotations() {
		if len(bratFragments(ix, a.Range())) == 0 {
			out = append(out, fmt.Sprintf("%s span at %v holds only line breaks: left out", labelOf(s, a.Label).Name, a.Range()))
		}
		if strings.ContainsAny(a.Note, "\n\r\t") {
			multi++
		}
	}
	if multi > 0 {
		out = append(out, fmt.Sprintf("%s with line breaks or tabs %s written on one line (brat notes are one line)", plural(multi, "note"), isAre(multi)))
	}
	return append(out, commonLosses(s, lossClaims)...)
}

// --- import ---

type bratDoc struct {
	annName, txtName string
	ann, txt         []byte
	missing          string   // a problem: the pair is incomplete (fatal when txt is nil)
	notes            []string // reported problems: an entry was converted from UTF-16 or UTF-32
}

type bratDecoder struct {
	opts  ImportOptions
	docs  []func() (bratDoc, error)
	i     int
	first error
}

func newBratDecoder(src Source, opts ImportOptions) (Decoder, error) {
	d := &bratDecoder{opts: opts}
	name := src.name()
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".ann") || strings.HasSuffix(lower, ".txt") {
		data, err := io.ReadAll(src.R)
		if err != nil {
			return nil, err
		}
		stem := name[:len(name)-4]
		other := stem + ".txt"
		if strings.HasSuffix(lower, ".txt") {
			other = stem + ".ann"
		}
		var otherData []byte
		missing := ""
		if src.Open == nil {
			missing = fmt.Sprintf("%s was not given", path.Base(other))
		} else if rc, err := src.Open(path.Base(other)); err != nil {
			missing = err.Error()
		} else {
			otherData, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
		}
		doc := bratDoc{annName: name, txtName: other, ann: data, txt: otherData}
		if strings.HasSuffix(lower, ".txt") {
			doc = bratDoc{annName: other, txtName: name, ann: otherData, txt: data}
			if missing != "" {
				doc.missing = "no .ann beside the text (" + missing + "): imported without annotations"
			}
		} else if missing != "" {
			return nil, &FormatError{File: name, Reason: "the text of a brat .ann is its .txt: " + missing}
		}
		d.docs = append(d.docs, func() (bratDoc, error) { return doc, nil })
		return d, nil
	}
	// A zip of a collection.
	var zr *zip.Reader
	var err error
	if ra, ok := src.R.(interface {
		io.ReaderAt
		Size() int64
	}); ok {
		zr, err = zip.NewReader(ra, ra.Size())
	} else if f, ok := src.R.(interface {
		io.ReaderAt
		io.Seeker
	}); ok {
		size, serr := f.Seek(0, io.SeekEnd)
		if serr != nil {
			return nil, serr
		}
		zr, err = zip.NewReader(f, size)
	} else {
		data, rerr := io.ReadAll(src.R)
		if rerr != nil {
			return nil, rerr
		}
		zr, err = zip.NewReader(bytes.NewReader(data), int64(len(data)))
	}
	if err != nil {
		return nil, &FormatError{File: name, Reason: "brat input must be a .ann (with its .txt) or a zip of them: " + err.Error()}
	}
	files := map[string]*zip.File{}
	var anns, txts []string
	for _, f := range zr.File {
		files[f.Name] = f
		switch {
		case strings.HasSuffix(f.Name, ".ann"):
			anns = append(anns, f.Name)
		case strings.HasSuffix(f.Name, ".txt"):
			txts = append(txts, f.Name)
		}
	}
	sort.Strings(anns)
	sort.Strings(txts)
	// Entries are read as UTF-8 the way single files are (EncodingReader):
	// UTF-16 or UTF-32 with a byte order mark is converted and noted;
	// anything else that is not UTF-8 rejects that document, naming the
	// entry and the byte, and the other documents are still read.
	read := func(f *zip.File, doc *bratDoc) ([]byte, error) {
		rc, err := f.Open()
		if err != nil {
			return nil, &FormatError{File: name, Path: f.Name, Reason: err.Error()}
		}
		defer rc.Close()
		r, notice, err := EncodingReader(name+":"+f.Name, rc)
		var data []byte
		if err == nil {
			data, err = io.ReadAll(r)
		}
		var bad *ImportError
		switch {
		case errors.As(err, &bad):
			doc.txt, doc.missing = nil, err.Error()
			return nil, nil
		case err != nil:
			return nil, &FormatError{File: name, Path: f.Name, Reason: err.Error()}
		}
		if notice != "" {
			doc.notes = append(doc.notes, f.Name+": "+notice)
		}
		return data, nil
	}
	for _, a := range anns {
		a := a
		txt := strings.TrimSuffix(a, ".ann") + ".txt"
		d.docs = append(d.docs, func() (bratDoc, error) {
			doc := bratDoc{annName: name + ":" + a, txtName: name + ":" + txt}
			tf, ok := files[txt]
			if !ok {
				doc.txtName, doc.missing = "", "no "+txt+" beside it in the zip"
				return doc, nil
			}
			var err error
			if doc.ann, err = read(files[a], &doc); err != nil || doc.missing != "" {
				return doc, err
			}
			doc.txt, err = read(tf, &doc)
			return doc, err
		})
	}
	for _, t := range txts {
		t := t
		if _, ok := files[strings.TrimSuffix(t, ".txt")+".ann"]; ok {
			continue
		}
		d.docs = append(d.docs, func() (bratDoc, error) {
			doc := bratDoc{annName: name + ":" + strings.TrimSuffix(t, ".txt") + ".ann", txtName: name + ":" + t}
			data, err := read(files[t], &doc)
			if err != nil || doc.missing != "" {
				return doc, err
			}
			doc.txt, doc.missing = data, "no .ann beside the text: imported without annotations"
			return doc, nil
		})
	}
	if len(d.docs) == 0 {
		return nil, &FormatError{File: name, Reason: "the zip holds no .ann or .txt file"}
	}
	return d, nil
}

func (d *bratDecoder) Next() (*State, []Problem, error) {
	if d.i >= len(d.docs) {
		return nil, nil, io.EOF
	}
	doc, err := d.docs[d.i]()
	d.i++
	if err != nil {
		return nil, nil, err
	}
	if doc.txt == nil {
		return rejectDoc(Problem{File: doc.annName, Reason: doc.missing, Fatal: true})
	}
	return parseBrat(doc, d.opts)
}

type bratSpan struct {
	id    string
	line  int
	frags []Range // in the import unit
	typ   string
	text  string
}

// parseBrat reads one .ann against its .txt.
func parseBrat(doc bratDoc, opts ImportOptions) (*State, []Problem, error) {
	if !utf8.Valid(doc.txt) {
		return rejectDoc(Problem{File: doc.txtName, Reason: "text is not valid UTF-8", Fatal: true})
	}
	text := string(doc.txt)
	base := path.Base(strings.TrimSuffix(doc.annName[strings.LastIndexByte(doc.annName, ':')+1:], ".ann"))
	file := doc.annName
	if doc.ann == nil {
		file = doc.txtName // a text without annotations
	}
	b := NewImportBuilder(file, 0, text, doc.txtName, CodePoints, TextOptions{ID: base, Source: path.Base(doc.txtName[strings.LastIndexByte(doc.txtName, ':')+1:])}, opts)
	if doc.missing != "" {
		b.Report(Problem{Reason: doc.missing})
	}
	for _, n := range doc.notes {
		b.Report(Problem{Reason: n})
	}
	unit := CodePoints
	if opts.Unit != "" {
		unit = opts.Unit
	}
	raw := NewIndex(text)
	var spans []*bratSpan
	byID := map[string]*bratSpan{}
	notes := map[string][]string{}
	for n, line := range strings.Split(string(doc.ann), "\n") {
		ln := n + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		bad := func(format string, args ...any) {
			b.Report(Problem{Line: ln, Path: strings.SplitN(line, "\t", 2)[0], Fatal: true, Reason: fmt.Sprintf(format, args...)})
		}
		parts := strings.SplitN(line, "\t", 3)
		id := parts[0]
		if id == "" || len(parts) < 2 {
			bad("want an id, a tab and an annotation (\"T1\\tPerson 0 6\\tMüller\")")
			continue
		}
		switch id[0] {
		case 'T':
			if len(parts) < 2 {
				bad("want \"T<n>\\t<type> <start> <end>\\t<text>\"")
				continue
			}
			typ, offs, ok := strings.Cut(parts[1], " ")
			if !ok {
				bad("%q has no offsets", parts[1])
				continue
			}
			sp := &bratSpan{id: id, line: ln, typ: typ}
			if len(parts) == 3 {
				sp.text = parts[2]
			}
			okFrags := true
			for _, f := range strings.Split(offs, ";") {
				a, c, ok := strings.Cut(strings.TrimSpace(f), " ")
				s, err1 := strconv.Atoi(a)
				e, err2 := strconv.Atoi(strings.TrimSpace(c))
				if !ok || err1 != nil || err2 != nil {
					bad("fragment %q is not \"<start> <end>\"", f)
					okFrags = false
					break
				}
				sp.frags = append(sp.frags, Range{s, e})
			}
			if !okFrags {
				continue
			}
			if byID[id] != nil {
				bad("id %s is used twice (first on line %d)", id, byID[id].line)
				continue
			}
			byID[id] = sp
			spans = append(spans, sp)
		case '#':
			if len(parts) < 3 {
				bad("want \"#<n>\\tAnnotatorNotes <id>\\t<note>\"")
				continue
			}
			kind, target, _ := strings.Cut(parts[1], " ")
			if kind != "AnnotatorNotes" {
				b.Report(Problem{Line: ln, Path: id, Reason: fmt.Sprintf("comment of type %q is not imported", kind)})
				continue
			}
			notes[strings.TrimSpace(target)] = append(notes[strings.TrimSpace(target)], parts[2])
		case 'R', 'E', 'A', 'M', 'N', '*':
			what := map[byte]string{'R': "relation", 'E': "event", 'A': "attribute", 'M': "attribute", 'N': "normalization", '*': "equivalence"}[id[0]]
			detail := ""
			if len(parts) > 1 {
				detail = " (" + parts[1] + ")"
			}
			b.Report(Problem{Line: ln, Path: id, Reason: fmt.Sprintf("%s%s is not imported: Factmark keeps text spans and notes", what, detail)})
		default:
			bad("unknown annotation line %q", line)
		}
	}
	for target := range notes {
		if byID[target] == nil {
			b.Report(Problem{Path: target, Reason: fmt.Sprintf("a note refers to %s, which is not a text-bound annotation: not imported", target)})
		}
	}
	for _, sp := range spans {
		is := ImportSpan{Path: sp.id, Line: sp.line, Label: sp.typ, Note: strings.Join(notes[sp.id], "\n")}
		if len(sp.frags) == 1 {
			q := sp.text
			is.Start, is.End, is.Quote = sp.frags[0].Start, sp.frags[0].End, &q
			b.Add(is)
			continue
		}
		// Fragments: each must match its part of the text column, and only
		// whitespace may separate them.
		var texts []string
		var cps []Range
		bad := ""
		for _, f := range sp.frags {
			r, err := raw.ConvertRange(f, unit, CodePoints)
			if err != nil {
				bad = err.Error()
				break
			}
			if len(cps) > 0 {
				prev := cps[len(cps)-1]
				if r.Start < prev.End {
					bad = fmt.Sprintf("fragment %v starts before the previous one ends", f)
					break
				}
				if gap := raw.Slice(Range{prev.End, r.Start}); !allSpace(gap) {
					bad = fmt.Sprintf("discontinuous span: its fragments are separated by %q, and a Factmark span is continuous", gap)
					break
				}
			}
			cps = append(cps, r)
			texts = append(texts, raw.Slice(r))
		}
		if bad != "" {
			b.Report(Problem{Line: sp.line, Path: sp.id, Fatal: true, Reason: bad})
			continue
		}
		if got := strings.Join(texts, " "); got != sp.text {
			b.Report(Problem{Line: sp.line, Path: sp.id, Fatal: true, Reason: "the fragments' text differs from the text column", Expected: sp.text, Found: got})
			continue
		}
		is.Start, is.End = sp.frags[0].Start, sp.frags[len(sp.frags)-1].End
		b.Add(is)
	}
	return b.State()
}
