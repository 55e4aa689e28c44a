package annotate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// W3C Web Annotation export and import.
//
// EncodeW3C writes the annotations of a state as one AnnotationCollection
// (https://www.w3.org/TR/annotation-model/) whose first and only page embeds
// every annotation:
//
//	{"@context": "http://www.w3.org/ns/anno.jsonld",
//	 "id": "urn:factmark:<document id>:<sha256>/annotations",
//	 "type": "AnnotationCollection", "label": …, "total": N,
//	 "factmark:unit": "codepoint", "factmark:document": {id, title, source, sha256, codepoints},
//	 "first": {"id": …/annotations/page/1, "type": "AnnotationPage", "partOf": …, "startIndex": 0,
//	           "items": [annotation, …]},
//	 "last": …/annotations/page/1}
//
// Each annotation:
//
//	{"id": "urn:factmark:<document id>:<sha256>/annotations/<annotation id>",
//	 "type": "Annotation", "motivation": "tagging" (entities) or "assessing" (claims),
//	 "created", "modified": UTC xsd:dateTime,
//	 "body": [bodies, see below],
//	 "target": {"source": the document's http(s) source, else "urn:factmark:<document id>:<sha256>",
//	            "selector": [{"type": "TextQuoteSelector", "exact", "prefix", "suffix"},
//	                         {"type": "TextPositionSelector", "start", "end"}]}}
//
// TextPositionSelector counts Unicode code points of the document text, as
// the specification requires; prefix and suffix are up to 32 code points.
// The collection states the unit in "factmark:unit".
//
// Bodies, in this order, each present only when its field is set:
//   - the label: TextualBody, purpose "tagging", value the label's name;
//   - the note: TextualBody, purpose "commenting";
//   - the verdict: TextualBody, purpose "classifying" (the claim is
//     classified into the fixed verdict vocabulary), value the verdict's
//     display name ("Mostly false");
//   - the rationale: TextualBody, purpose "assessing" (the reviewer's
//     assessment of the claim);
//   - the normalized claim text: TextualBody, purpose "describing" (a
//     restatement of what the target says);
//   - the published review (Claim.ReviewURL): an external web resource body
//     {"id": url, "type": "Text", "purpose": "assessing"};
//   - the claimant, claim date and check-worthiness: a body of type
//     "schema:Claim" (the schema prefix is defined by the anno.jsonld
//     context) with "schema:author": {"type": "schema:Person", "schema:name",
//     "factmark:annotation": IRI of the claimant's person span},
//     "schema:datePublished": "YYYY-MM-DD" and "factmark:checkWorthy": bool;
//   - each evidence item: a SpecificResource body, purpose "linking", whose
//     source is the evidence URL, with a TextQuoteSelector holding the quoted
//     passage, a TimeState whose sourceDate is the date accessed (midnight
//     UTC), and "factmark:stance" (supports, refutes or context).
//
// Stance, check-worthiness, the claimant's span, the unit and the document
// record have no term in the Web Annotation or schema.org vocabularies. They
// are written as "factmark:…" properties: under JSON-LD rules an undefined
// prefix makes them absolute IRIs in the factmark: scheme, so JSON-LD
// processors keep them, and plain JSON readers find them by name. The
// @context stays the single anno.jsonld string that simple consumers check.
//
// ImportW3C reads such collections back, and also an AnnotationPage, a bare
// JSON array of annotations, or a single Annotation, from Factmark or from
// other tools (Hypothesis, Recogito, Annotorious…); see ImportW3C.

// W3CContext is the JSON-LD context of Web Annotations.
const W3CContext = "http://www.w3.org/ns/anno.jsonld"

// w3cContextLen is the number of code points of prefix and suffix written
// in TextQuoteSelectors (as in the native format).
const w3cContextLen = 32

// DocumentIRI returns the IRI that identifies the document in exports: its
// source when that is an absolute http or https URL, otherwise a URN made
// of its id and the SHA-256 of its text, "urn:factmark:<id>:<sha256>".
func DocumentIRI(d *Document) string {
	if claimIsWebURL(d.Source) {
		return d.Source
	}
	return documentURN(d)
}

func documentURN(d *Document) string {
	return "urn:factmark:" + urnEscape(d.ID) + ":" + d.SHA256
}

// AnnotationIRI returns the IRI of annotation id of document d in the W3C
// export: "urn:factmark:<document id>:<sha256>/annotations/<id>", or the id
// itself when it is an absolute IRI already (an annotation imported from
// another tool keeps its IRI as id).
func AnnotationIRI(d *Document, id string) string {
	if isAbsoluteIRI(id) {
		return id
	}
	return documentURN(d) + "/annotations/" + urnEscape(id)
}

// isAbsoluteIRI reports whether s starts with a URI scheme and a colon and
// has no spaces or control characters.
func isAbsoluteIRI(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 || !claimValidScheme(strings.ToLower(s[:i])) || i == len(s)-1 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// urnEscape percent-encodes everything but unreserved characters, so that an
// id cannot break the URN's structure (":" and "/" are separators).
func urnEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func claimIsWebURL(s string) bool { return s != "" && claimURLProblem(s) == "" }

// --- export ---

type w3cCollection struct {
	Context  string      `json:"@context"`
	ID       string      `json:"id"`
	Type     string      `json:"type"`
	Label    string      `json:"label"`
	Total    int         `json:"total"`
	Unit     Unit        `json:"factmark:unit"`
	Document w3cDocument `json:"factmark:document"`
	First    w3cPage     `json:"first"`
	Last     string      `json:"last"`
}

type w3cDocument struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Source     string `json:"source,omitempty"`
	SHA256     string `json:"sha256"`
	CodePoints int    `json:"codepoints"`
}

type w3cPage struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	PartOf     string          `json:"partOf"`
	StartIndex int             `json:"startIndex"`
	Items      []w3cAnnotation `json:"items"`
}

type w3cAnnotation struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	Motivation string    `json:"motivation"`
	Created    string    `json:"created,omitempty"`
	Modified   string    `json:"modified,omitempty"`
	Body       []any     `json:"body,omitempty"`
	Target     w3cTarget `json:"target"`
}

type w3cTarget struct {
	Source   string `json:"source"`
	Selector []any  `json:"selector"`
}

type w3cQuoteSelector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

type w3cPositionSelector struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

type w3cTextualBody struct {
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
	Value   string `json:"value"`
}

type w3cWebBody struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

type w3cClaimBody struct {
	Type          string     `json:"type"`
	Author        *w3cPerson `json:"schema:author,omitempty"`
	DatePublished string     `json:"schema:datePublished,omitempty"`
	CheckWorthy   *bool      `json:"factmark:checkWorthy,omitempty"`
}

type w3cPerson struct {
	Type       string `json:"type"`
	Name       string `json:"schema:name,omitempty"`
	Annotation string `json:"factmark:annotation,omitempty"`
}

type w3cEvidenceBody struct {
	Type     string            `json:"type"`
	Purpose  string            `json:"purpose"`
	Source   string            `json:"source"`
	Selector *w3cQuoteSelector `json:"selector,omitempty"`
	State    *w3cTimeState     `json:"state,omitempty"`
	Stance   string            `json:"factmark:stance,omitempty"`
}

type w3cTimeState struct {
	Type       string `json:"type"`
	SourceDate string `json:"sourceDate"`
}

// Motivations and purposes used by the W3C export (all from the Web
// Annotation vocabulary).
const (
	MotivationTagging     = "tagging"
	MotivationCommenting  = "commenting"
	MotivationAssessing   = "assessing"
	MotivationClassifying = "classifying"
	MotivationDescribing  = "describing"
	MotivationLinking     = "linking"
)

func w3cTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// quoteContext returns the exact text of r and up to n code points before
// and after it.
func w3cQuoteContext(ix *Index, r Range, n int) (exact, prefix, suffix string) {
	return ix.Slice(r), ix.Slice(Range{max(0, r.Start-n), r.Start}), ix.Slice(Range{r.End, min(ix.Len(CodePoints), r.End+n)})
}

// EncodeW3C exports the annotations of s as a W3C Web Annotation
// AnnotationCollection (JSON-LD, indented, ending in a newline). The output
// is deterministic: the same state gives the same bytes. See the comment at
// the top of w3c.go for the exact shape.
func EncodeW3C(s *State) ([]byte, error) {
	if s == nil || s.Doc == nil {
		return nil, fmt.Errorf("w3c: no document to export")
	}
	d := s.Doc
	ix := d.Index()
	base := documentURN(d)
	coll := w3cCollection{
		Context: W3CContext,
		ID:      base + "/annotations",
		Type:    "AnnotationCollection",
		Label:   "Factmark annotations of " + d.Title,
		Unit:    CodePoints,
		Document: w3cDocument{
			ID: d.ID, Title: d.Title, Source: d.Source, SHA256: d.SHA256, CodePoints: ix.Len(CodePoints),
		},
	}
	if strings.TrimSpace(d.Title) == "" {
		coll.Label = "Factmark annotations of " + d.ID
	}
	page := base + "/annotations/page/1"
	coll.First = w3cPage{ID: page, Type: "AnnotationPage", PartOf: coll.ID, Items: []w3cAnnotation{}}
	coll.Last = page
	target := DocumentIRI(d)
	for _, a := range s.Annotations() {
		label, ok := s.Schema.Label(a.Label)
		if !ok {
			return nil, fmt.Errorf("w3c: annotation %s has label %q, which the schema does not define", a.ID, a.Label)
		}
		r := a.Range()
		if r.Start < 0 || r.End > ix.Len(CodePoints) || r.End <= r.Start {
			return nil, fmt.Errorf("w3c: annotation %s: range %v is not inside the text [0, %d]", a.ID, r, ix.Len(CodePoints))
		}
		exact, prefix, suffix := w3cQuoteContext(ix, r, w3cContextLen)
		wa := w3cAnnotation{
			ID:         AnnotationIRI(d, a.ID),
			Type:       "Annotation",
			Motivation: MotivationTagging,
			Created:    w3cTime(a.Created),
			Modified:   w3cTime(a.Modified),
			Target: w3cTarget{Source: target, Selector: []any{
				w3cQuoteSelector{Type: "TextQuoteSelector", Exact: exact, Prefix: prefix, Suffix: suffix},
				w3cPositionSelector{Type: "TextPositionSelector", Start: r.Start, End: r.End},
			}},
		}
		if label.Kind == KindClaim {
			wa.Motivation = MotivationAssessing
		}
		wa.Body = append(wa.Body, w3cTextualBody{"TextualBody", MotivationTagging, label.Name})
		if a.Note != "" {
			wa.Body = append(wa.Body, w3cTextualBody{"TextualBody", MotivationCommenting, a.Note})
		}
		if c := a.Claim; c != nil {
			wa.Body = append(wa.Body, claimBodies(d, c)...)
		}
		coll.First.Items = append(coll.First.Items, wa)
	}
	coll.Total = len(coll.First.Items)
	return claimJSONIndent(coll)
}

func claimBodies(d *Document, c *Claim) []any {
	var bodies []any
	if c.Verdict != "" {
		name := c.Verdict
		if v, ok := VerdictByID(c.Verdict); ok {
			name = v.Name
		}
		bodies = append(bodies, w3cTextualBody{"TextualBody", MotivationClassifying, name})
	}
	if c.Rationale != "" {
		bodies = append(bodies, w3cTextualBody{"TextualBody", MotivationAssessing, c.Rationale})
	}
	if c.Text != "" {
		bodies = append(bodies, w3cTextualBody{"TextualBody", MotivationDescribing, c.Text})
	}
	if c.ReviewURL != "" {
		bodies = append(bodies, w3cWebBody{ID: c.ReviewURL, Type: "Text", Purpose: MotivationAssessing})
	}
	if c.Claimant != (Claimant{}) || c.Date != "" || c.CheckWorthy != nil {
		cb := w3cClaimBody{Type: "schema:Claim", DatePublished: c.Date, CheckWorthy: c.CheckWorthy}
		if c.Claimant != (Claimant{}) {
			cb.Author = &w3cPerson{Type: "schema:Person", Name: c.Claimant.Name}
			if c.Claimant.SpanID != "" {
				cb.Author.Annotation = AnnotationIRI(d, c.Claimant.SpanID)
			}
		}
		bodies = append(bodies, cb)
	}
	for _, e := range c.Evidence {
		eb := w3cEvidenceBody{Type: "SpecificResource", Purpose: MotivationLinking, Source: e.URL, Stance: e.Stance}
		if e.Quote != "" {
			eb.Selector = &w3cQuoteSelector{Type: "TextQuoteSelector", Exact: e.Quote}
		}
		if e.Accessed != "" {
			eb.State = &w3cTimeState{Type: "TimeState", SourceDate: e.Accessed + "T00:00:00Z"}
		}
		bodies = append(bodies, eb)
	}
	return bodies
}

func claimJSONIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// --- import ---

// W3CImport is the result of ImportW3C: annotations ready to add to the
// state, and notices about what was converted or left out.
type W3CImport struct {
	Annotations []Annotation
	// Notices say what the import did that the user should know: positions
	// converted from UTF-16, spans found by quote only, tags that are not
	// labels, annotations already present; in a lenient import also the
	// annotations left out (Fatal). Each names the annotation by JSON path
	// and IRI.
	Notices []Problem
}

// Edit returns one batch edit adding every imported annotation, claimants
// before their claims, to be applied with State.Apply or History.Do (so that
// the import is undone as one step). Apply refuses an empty batch: check
// that Annotations is not empty first.
func (r *W3CImport) Edit() Edit {
	edits := make([]Edit, len(r.Annotations))
	for i, a := range r.Annotations {
		edits[i] = Add(a)
	}
	return Batch(edits...)
}

// W3COptions configure ImportW3C.
type W3COptions struct {
	// Lenient leaves out the annotations that have problems (and reports
	// them) instead of failing the import.
	Lenient bool
}

// ImportW3C reads W3C Web Annotations for the document of s: an
// AnnotationCollection with embedded pages, an AnnotationPage, a JSON array
// of annotations, or a single Annotation. It does not change s: apply the
// result's Edit to add the annotations.
//
// Each annotation needs a target with a TextQuoteSelector, a
// TextPositionSelector, or both:
//   - both: the positions must select the exact quote in code points. When
//     they do not, but do when counted in UTF-16 code units (as Hypothesis and
//     Recogito count), they are converted and a notice says so. Otherwise the
//     annotation is reported with the text its positions select and the text
//     the quote expects; nothing is shifted silently.
//   - quote only: the quote is searched in the text and its prefix and
//     suffix decide between repeated occurrences; an ambiguous or missing
//     quote is an error.
//   - positions only: taken as code points (unverifiable; a notice says so).
//
// The range must be non-empty and must not split a grapheme cluster.
//
// The label comes from the first "tagging" body whose value is a label id or
// name of the schema (ignoring case); failing that, from a "classifying"
// body naming a label. Other tags are reported and dropped. "commenting"
// bodies (and bodies without purpose on commenting annotations, as
// Hypothesis writes them) become the note. On claim labels, the verdict
// ("classifying", verdict id or name), rationale ("assessing"), normalized
// text ("describing"), review URL, claimant, date, check-worthiness and
// evidence are read as EncodeW3C writes them, and the claim is checked with
// CheckClaim.
//
// Ids: an annotation exported by Factmark for this document keeps its id;
// one from another tool keeps its IRI as id (so that importing it again finds
// it), or gets a new id when it has none. An id already used in s by an
// identical annotation (same label and range) is skipped with a notice; by a
// different one, the import gets a new id (notice). A claimant pointing at
// an imported or existing annotation is mapped to its id.
//
// Input that is not JSON or not in the shape of Web Annotations fails with a
// *FormatError (line and JSON path). Problems with annotations are collected,
// each with its JSON path, the annotation's IRI and, for positions that do
// not match their quote, the expected and found text; they fail the import
// together in a *ProblemsError, or with opts.Lenient leave out just those
// annotations. On error nothing is returned to add.
func ImportW3C(s *State, data []byte, opts W3COptions) (*W3CImport, error) {
	if s == nil || s.Doc == nil {
		return nil, errors.New("w3c: no document to import into")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, w3cJSONError(data, err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		for end < int64(len(data)) && strings.IndexByte(" \t\r\n", data[end]) >= 0 {
			end++
		}
		line, col := w3cLineCol(data, end)
		return nil, &FormatError{Line: line, Reason: fmt.Sprintf("unexpected data after the JSON value, at column %d", col)}
	}
	im := &w3cImporter{s: s, doc: s.Doc, ix: s.Doc.Index(), res: &W3CImport{}, lenient: opts.Lenient}
	items, err := im.items(root)
	if err != nil {
		return nil, err
	}
	im.run(items)
	if im.fatal && !opts.Lenient {
		return nil, &ProblemsError{Problems: im.res.Notices}
	}
	return im.res, nil
}

// w3cJSONError turns an encoding/json error into a *FormatError with line
// and column.
func w3cJSONError(data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 {
		if err == io.EOF {
			return &FormatError{Reason: "empty input: want a JSON annotation, array or collection"}
		}
		return &FormatError{Reason: "invalid JSON: " + err.Error()}
	}
	line, col := w3cLineCol(data, off)
	return &FormatError{Line: line, Reason: fmt.Sprintf("invalid JSON at column %d: %v", col, err)}
}

// lineCol returns the 1-based line and column (in bytes) of byte offset off.
func w3cLineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for _, c := range data[:max(0, min(int(off), len(data)))] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

type w3cItem struct {
	path string
	obj  map[string]any
}

type w3cImporter struct {
	s       *State
	doc     *Document
	ix      *Index
	res     *W3CImport
	fatal   bool // a fatal problem was reported
	nFatal  int
	lenient bool

	utf16Converted []string // paths of annotations whose positions were UTF-16
	positionsOnly  []string
	quoteOnly      []string
	sources        map[string]bool
	cur            string // IRI of the annotation being read, for problems
}

// problem records a fatal problem of the annotation being read.
func (im *w3cImporter) problem(path, format string, args ...any) {
	im.report(Problem{Path: path, Reason: fmt.Sprintf(format, args...), Fatal: true})
}

// notice records something the user should know.
func (im *w3cImporter) notice(path, format string, args ...any) {
	im.report(Problem{Path: path, Reason: fmt.Sprintf(format, args...)})
}

func (im *w3cImporter) report(p Problem) {
	if im.cur != "" {
		p.Reason = "annotation " + im.cur + ": " + p.Reason
	}
	if p.Fatal {
		im.fatal = true
		im.nFatal++
		if im.lenient {
			p.Reason += "; left out"
		}
	}
	im.res.Notices = append(im.res.Notices, p)
}

// items finds the annotations in the top-level value.
func (im *w3cImporter) items(root any) ([]w3cItem, error) {
	fail := func(path, format string, args ...any) error {
		return &FormatError{Path: path, Reason: fmt.Sprintf(format, args...)}
	}
	arr := func(path string, v any) ([]w3cItem, error) {
		list, ok := v.([]any)
		if !ok {
			return nil, fail(path, "want an array of annotations, got %s", w3cKind(v))
		}
		var out []w3cItem
		for i, x := range list {
			p := fmt.Sprintf("%s[%d]", path, i)
			o, ok := x.(map[string]any)
			if !ok {
				return nil, fail(p, "want an annotation object, got %s", w3cKind(x))
			}
			out = append(out, w3cItem{p, o})
		}
		return out, nil
	}
	switch v := root.(type) {
	case []any:
		return arr("$", v)
	case map[string]any:
		types := w3cStrings(w3cField(v, "type", "@type"))
		switch {
		case w3cHasType(types, "AnnotationCollection"):
			return im.collection(v, fail, arr)
		case w3cHasType(types, "AnnotationPage"):
			items, ok := v["items"]
			if !ok {
				return nil, fail("$.items", "missing: an AnnotationPage lists its annotations in items")
			}
			return arr("$.items", items)
		case w3cHasType(types, "Annotation"), v["target"] != nil:
			return []w3cItem{{"$", v}}, nil
		}
		return nil, fail("$.type", "want Annotation, AnnotationPage or AnnotationCollection, got %s", w3cDescribeTypes(types))
	}
	return nil, fail("$", "want a JSON object or array, got %s", w3cKind(root))
}

func (im *w3cImporter) collection(v map[string]any, fail func(string, string, ...any) error, arr func(string, any) ([]w3cItem, error)) ([]w3cItem, error) {
	var out []w3cItem
	page, path := v["first"], "$.first"
	if page == nil {
		if total, ok := w3cInt(v["total"]); ok && total == 0 {
			return nil, nil
		}
		return nil, fail("$.first", "missing: the collection has no first page")
	}
	for n := 0; page != nil; n++ {
		if n > 100000 {
			return nil, fail(path, "too many pages")
		}
		o, ok := page.(map[string]any)
		if !ok {
			if s, isStr := page.(string); isStr {
				return nil, fail(path, "page %q is only referenced, not embedded; Factmark works offline and cannot fetch it (export the collection with its pages embedded)", s)
			}
			return nil, fail(path, "want an AnnotationPage object, got %s", w3cKind(page))
		}
		items, err := arr(path+".items", o["items"])
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		page, path = o["next"], path+".next"
	}
	if total, ok := w3cInt(v["total"]); ok && total != len(out) {
		return nil, fail("$.total", "the collection says %d annotations but its pages hold %d", total, len(out))
	}
	return out, nil
}

// run converts every item, collecting problems.
func (im *w3cImporter) run(items []w3cItem) {
	type pending struct {
		path     string // JSON path of the item
		a        Annotation
		iri      string
		claimant string // IRI of the claimant span, to map after all ids are known
	}
	var all []pending
	iriToID := map[string]string{}
	taken := map[string]bool{}
	for _, a := range im.s.Annotations() {
		taken[a.ID] = true
		iriToID[AnnotationIRI(im.doc, a.ID)] = a.ID
	}
	type key struct {
		label      string
		start, end int
	}
	seen := map[key]string{}
	for _, a := range im.s.Annotations() {
		seen[key{a.Label, a.Start, a.End}] = a.ID
	}
	for _, it := range items {
		n := im.fatalCount()
		a, iri, claimant := im.annotation(it)
		if im.fatalCount() > n {
			im.cur = ""
			continue
		}
		// The id.
		id := im.ownID(iri)
		if id != "" && taken[id] {
			if old, ok := im.s.Annotation(id); ok && old.Label == a.Label && old.Start == a.Start && old.End == a.End {
				c := a.Claim.Clone()
				if c != nil && claimant != "" {
					c.Claimant.SpanID = iriToID[claimant]
				}
				if old.Note != a.Note || !old.Claim.Equal(c) && !(old.Claim.IsZero() && c.IsZero()) {
					im.notice(it.path, "already present (%s), skipped; its note or claim details in the file differ from the document's, which were kept", id)
				} else {
					im.notice(it.path, "already present (%s), skipped", id)
				}
				im.cur = ""
				continue
			}
			im.notice(it.path, "id %s is already used by another annotation; imported with a new id", id)
			id = ""
		}
		if id == "" {
			for id = NewID(); taken[id]; id = NewID() {
			}
		}
		if other, dup := seen[key{a.Label, a.Start, a.End}]; dup {
			im.notice(it.path, "same label and range as %s; skipped", other)
			if iri != "" {
				iriToID[iri] = other
			}
			im.cur = ""
			continue
		}
		a.ID = id
		taken[id] = true
		seen[key{a.Label, a.Start, a.End}] = id
		if iri != "" {
			iriToID[iri] = id
		}
		all = append(all, pending{it.path, a, iri, claimant})
		im.cur = ""
	}
	var kept []pending
	for _, p := range all {
		im.cur = p.iri
		if p.claimant != "" {
			switch id, ok := iriToID[p.claimant]; {
			case !ok:
				im.notice(p.path, "the claimant's span %s is not in this import or the document; kept the claimant's name only", p.claimant)
			case id == p.a.ID:
				im.notice(p.path, "the claimant's span is the claim itself; kept the claimant's name only")
			default:
				p.a.Claim.Claimant.SpanID = id
			}
			if p.a.Claim.IsZero() {
				p.a.Claim = nil
			}
		}
		if p.a.Claim != nil {
			if errs := ClaimProblems(p.a.Claim); len(errs) > 0 {
				for _, e := range errs {
					im.problem(p.path, "%s: %s", e.Path, e.Reason)
				}
				continue
			}
		}
		kept = append(kept, p)
	}
	// Order the additions so that every claimant exists before its claim
	// (State.Apply checks that). A claimant left out of a lenient import, or
	// a cycle of claims naming each other, loses its span link.
	placed := map[string]bool{}
	for _, a := range im.s.Annotations() {
		placed[a.ID] = true
	}
	inImport := map[string]bool{}
	for _, p := range kept {
		inImport[p.a.ID] = true
	}
	for len(kept) > 0 {
		var rest []pending
		for _, p := range kept {
			if c := p.a.Claim; c != nil && c.Claimant.SpanID != "" && !placed[c.Claimant.SpanID] {
				if inImport[c.Claimant.SpanID] {
					rest = append(rest, p)
					continue
				}
				im.cur = p.iri
				im.notice(p.path, "the claimant's span was left out of the import; kept the claimant's name only")
				c.Claimant.SpanID = ""
			}
			placed[p.a.ID] = true
			im.res.Annotations = append(im.res.Annotations, p.a)
		}
		if len(rest) == len(kept) {
			p := rest[0] // a cycle: break it here
			im.cur = p.iri
			im.notice(p.path, "claims name each other as claimants; this one keeps the claimant's name only")
			c := p.a.Claim
			if c.Claimant.Name == "" {
				for _, q := range rest {
					if q.a.ID == c.Claimant.SpanID {
						c.Claimant.Name = im.ix.Slice(q.a.Range())
					}
				}
			}
			c.Claimant.SpanID = ""
		}
		kept = rest
	}
	im.cur = ""
	summarize := func(paths []string, format string) {
		if len(paths) == 0 {
			return
		}
		list := paths
		more := ""
		if len(list) > 5 {
			list, more = list[:5], fmt.Sprintf(" and %d more", len(paths)-5)
		}
		im.notice("", format, len(paths), strings.Join(list, ", ")+more)
	}
	summarize(im.utf16Converted, "%d annotations counted TextPositionSelector offsets in UTF-16 code units (as Hypothesis and Recogito do); converted to code points after checking their quotes: %s")
	summarize(im.quoteOnly, "%d annotations had only a TextQuoteSelector; placed where their quote (with prefix and suffix) occurs in the text: %s")
	summarize(im.positionsOnly, "%d annotations had only a TextPositionSelector; taken as code points without a quote to check them against: %s")
	if im.fatal && !im.lenient {
		im.res.Annotations = nil
	}
}

// fatalCount counts the fatal problems so far.
func (im *w3cImporter) fatalCount() int { return im.nFatal }

// label names the annotation at path for summaries: the path and its IRI.
func (im *w3cImporter) label(path string) string {
	if im.cur != "" {
		return path + " (" + im.cur + ")"
	}
	return path
}

// ownID returns the annotation id an annotation IRI stands for: the id in
// a Factmark annotation IRI of this document, else the IRI itself when it
// can be an id (see AnnotationIRI), else "" (a new id is made).
func (im *w3cImporter) ownID(iri string) string {
	prefix := documentURN(im.doc) + "/annotations/"
	if strings.HasPrefix(iri, prefix) {
		id, err := url.PathUnescape(iri[len(prefix):])
		if err != nil || checkID(id) != "" {
			return ""
		}
		return id
	}
	if strings.HasPrefix(iri, "urn:factmark:") || !isAbsoluteIRI(iri) || checkID(iri) != "" {
		return ""
	}
	return iri
}

// annotation converts one item. Problems are recorded with im.problem.
func (im *w3cImporter) annotation(it w3cItem) (a Annotation, iri, claimant string) {
	o, p := it.obj, it.path
	if s, ok := w3cField(o, "id", "@id").(string); ok {
		iri = s
	}
	im.cur = iri
	if t := w3cField(o, "type", "@type"); t != nil && !w3cHasType(w3cStrings(t), "Annotation") {
		im.problem(p+".type", "want \"Annotation\", got %s", w3cDescribeTypes(w3cStrings(t)))
		return
	}
	motivations := w3cStrings(o["motivation"])
	// Times.
	var err error
	if a.Created, err = parseW3CTime(o["created"]); err != nil {
		im.problem(p+".created", "%v", err)
	}
	if a.Modified, err = parseW3CTime(o["modified"]); err != nil {
		im.problem(p+".modified", "%v", err)
	}
	if a.Created.IsZero() {
		a.Created = time.Now().UTC().Truncate(time.Second)
	}
	if a.Modified.IsZero() {
		a.Modified = a.Created
	}
	// Target.
	r, ok := im.target(p, o["target"])
	if !ok {
		return
	}
	a.Start, a.End = r.Start, r.End
	// Bodies.
	claimant = im.bodies(p, o, motivations, &a)
	return
}

func parseW3CTime(v any) (time.Time, error) {
	if v == nil {
		return time.Time{}, nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("want an xsd:dateTime string, got %s", w3cKind(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date-time with time zone (want e.g. 2024-05-01T12:00:00Z)", s)
	}
	return t, nil
}

// target finds the code-point range of the annotation's target.
func (im *w3cImporter) target(p string, v any) (Range, bool) {
	item := p
	p += ".target"
	if v == nil {
		im.problem(p, "missing: an annotation needs a target")
		return Range{}, false
	}
	var targets []any
	if list, ok := v.([]any); ok {
		targets = list
	} else {
		targets = []any{v}
	}
	if len(targets) == 0 {
		im.problem(p, "is empty: an annotation needs a target")
		return Range{}, false
	}
	var chosen map[string]any
	var cp string
	extra := 0
	for i, t := range targets {
		tp := p
		if len(targets) > 1 || w3cIsList(v) {
			tp = fmt.Sprintf("%s[%d]", p, i)
		}
		o, ok := t.(map[string]any)
		if !ok || o["selector"] == nil {
			continue
		}
		if chosen == nil {
			chosen, cp = o, tp
		} else {
			extra++
		}
	}
	if chosen == nil {
		if s, ok := targets[0].(string); ok {
			im.problem(p, "%q targets the whole resource; Factmark needs a TextQuoteSelector or TextPositionSelector to place the span", s)
		} else {
			im.problem(p, "no selector: Factmark needs a TextQuoteSelector or TextPositionSelector to place the span")
		}
		return Range{}, false
	}
	if extra > 0 {
		im.notice(p, "%d more targets with selectors; only the first (%s) was imported", extra, cp)
	}
	im.checkSource(cp, chosen["source"])
	// Selectors.
	sp := cp + ".selector"
	sels := chosen["selector"]
	var list []any
	if l, ok := sels.([]any); ok {
		list = l
	} else {
		list = []any{sels}
	}
	var quote, pos map[string]any
	var qp, pp string
	var seenTypes []string
	for i, s := range list {
		ip := sp
		if w3cIsList(sels) {
			ip = fmt.Sprintf("%s[%d]", sp, i)
		}
		o, ok := s.(map[string]any)
		if !ok {
			im.problem(ip, "want a selector object, got %s", w3cKind(s))
			return Range{}, false
		}
		types := w3cStrings(w3cField(o, "type", "@type"))
		seenTypes = append(seenTypes, types...)
		switch {
		case w3cHasType(types, "TextQuoteSelector") && quote == nil:
			quote, qp = o, ip
		case w3cHasType(types, "TextPositionSelector") && pos == nil:
			pos, pp = o, ip
		}
	}
	if quote == nil && pos == nil {
		im.problem(sp, "no TextQuoteSelector or TextPositionSelector (found %s)", w3cDescribeTypes(seenTypes))
		return Range{}, false
	}
	var exact, prefix, suffix string
	if quote != nil {
		var ok bool
		if exact, ok = quote["exact"].(string); !ok || exact == "" {
			im.problem(qp+".exact", "missing or not a non-empty string")
			return Range{}, false
		}
		prefix, _ = quote["prefix"].(string)
		suffix, _ = quote["suffix"].(string)
		// The document text is NFC (FromText); so must the quote be to match.
		exact, prefix, suffix = norm.NFC.String(exact), norm.NFC.String(prefix), norm.NFC.String(suffix)
	}
	var r Range
	switch {
	case pos != nil:
		start, ok1 := w3cInt(pos["start"])
		end, ok2 := w3cInt(pos["end"])
		if !ok1 || start < 0 {
			im.problem(pp+".start", "want a non-negative integer, got %s", w3cValue(pos["start"]))
			return Range{}, false
		}
		if !ok2 || end < 0 {
			im.problem(pp+".end", "want a non-negative integer, got %s", w3cValue(pos["end"]))
			return Range{}, false
		}
		if end <= start {
			im.problem(pp+".end", "%d is not after start %d (the span would be empty)", end, start)
			return Range{}, false
		}
		r = Range{start, end}
		if quote == nil {
			if n := im.ix.Len(CodePoints); end > n {
				im.problem(pp+".end", "%d is past the end of the text (%d code points)", end, n)
				return Range{}, false
			}
			im.positionsOnly = append(im.positionsOnly, im.label(item))
			break
		}
		n := im.ix.Len(CodePoints)
		if end <= n && im.ix.Slice(r) == exact {
			break
		}
		if u, ok := im.fromUTF16(r); ok && im.ix.Slice(u) == exact {
			im.utf16Converted = append(im.utf16Converted, fmt.Sprintf("%s [%d, %d) -> [%d, %d)", im.label(item), r.Start, r.End, u.Start, u.End))
			r = u
			break
		}
		what := "does not select the TextQuoteSelector's exact text, counted in code points or in UTF-16 code units"
		if start >= n {
			what = fmt.Sprintf("lies past the end of the text (%d code points)", n)
		}
		hint := "; the quote does not occur in this text"
		if at := im.findQuote(exact, prefix, suffix); len(at) == 1 {
			hint = fmt.Sprintf("; the quote occurs once, at code points %v", at[0])
		} else if len(at) > 1 {
			hint = fmt.Sprintf("; the quote occurs %d times, first at code points %v", len(at), at[0])
		}
		im.report(Problem{Path: pp, Fatal: true, Expected: exact, Found: im.ix.Slice(r), Reason: fmt.Sprintf(
			"TextPositionSelector [%d, %d) %s%s", start, end, what, hint)})
		return Range{}, false
	default:
		at := im.findQuote(exact, prefix, suffix)
		best := w3cBestQuote(im.ix, at, prefix, suffix)
		switch {
		case len(at) == 0:
			im.problem(qp+".exact", "%q does not occur in the document text", exact)
			return Range{}, false
		case len(best) != 1:
			im.problem(qp, "%q occurs %d times and its prefix and suffix do not single one out (%d candidates)", exact, len(at), len(best))
			return Range{}, false
		}
		r = best[0]
		im.quoteOnly = append(im.quoteOnly, fmt.Sprintf("%s at [%d, %d)", im.label(item), r.Start, r.End))
	}
	if !im.ix.IsGraphemeBoundary(r.Start) {
		im.problem(cp, "start %d is inside the grapheme cluster %v", r.Start, im.ix.GraphemeAt(r.Start))
		return Range{}, false
	}
	if !im.ix.IsGraphemeBoundary(r.End) {
		im.problem(cp, "end %d is inside the grapheme cluster %v", r.End, im.ix.GraphemeAt(r.End))
		return Range{}, false
	}
	return r, true
}

func (im *w3cImporter) fromUTF16(r Range) (Range, bool) {
	s, err := im.ix.Convert(r.Start, UTF16, CodePoints)
	if err != nil {
		return Range{}, false
	}
	e, err := im.ix.Convert(r.End, UTF16, CodePoints)
	if err != nil {
		return Range{}, false
	}
	return Range{s, e}, true
}

// checkSource notes, once per source, a target source that is not this
// document.
func (im *w3cImporter) checkSource(path string, v any) {
	src, ok := v.(string)
	if !ok {
		if o, isObj := v.(map[string]any); isObj {
			src, _ = w3cField(o, "id", "@id").(string)
		}
	}
	if src == "" || src == im.doc.Source || src == documentURN(im.doc) || src == DocumentIRI(im.doc) {
		return
	}
	if im.sources == nil {
		im.sources = map[string]bool{}
	}
	if im.sources[src] {
		return
	}
	im.sources[src] = true
	why := "the positions were checked against the quotes"
	if strings.HasPrefix(src, "urn:factmark:") {
		why = "it was exported from another document or another version of this text; " + why
	}
	im.notice(path+".source", "%s is not this document (%s); %s", src, DocumentIRI(im.doc), why)
}

// findQuote returns every occurrence of exact in the text, in code points.
func (im *w3cImporter) findQuote(exact, prefix, suffix string) []Range {
	text := im.ix.Text()
	var out []Range
	n := w3cRuneCount(exact)
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], exact)
		if i < 0 {
			break
		}
		b := from + i
		cp, _ := im.ix.Convert(b, Bytes, CodePoints)
		out = append(out, Range{cp, cp + n})
		if len(out) > 10000 {
			break
		}
		from = b + 1
		for from < len(text) && text[from]&0xC0 == 0x80 {
			from++
		}
	}
	return out
}

// bestQuote keeps the occurrences whose surrounding text agrees best with
// prefix and suffix (by the number of matching code points next to the
// quote).
func w3cBestQuote(ix *Index, at []Range, prefix, suffix string) []Range {
	if len(at) <= 1 {
		return at
	}
	pr, sr := []rune(prefix), []rune(suffix)
	score := func(r Range) int {
		before := []rune(ix.Slice(Range{max(0, r.Start-len(pr)), r.Start}))
		after := []rune(ix.Slice(Range{r.End, r.End + len(sr)}))
		s := 0
		for i := 1; i <= len(pr) && i <= len(before) && pr[len(pr)-i] == before[len(before)-i]; i++ {
			s++
		}
		for i := 0; i < len(sr) && i < len(after) && sr[i] == after[i]; i++ {
			s++
		}
		return s
	}
	best, top := []Range(nil), -1
	for _, r := range at {
		switch sc := score(r); {
		case sc > top:
			best, top = []Range{r}, sc
		case sc == top:
			best = append(best, r)
		}
	}
	return best
}

func w3cRuneCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// bodies reads the bodies into a (label, note, claim). It returns the IRI of
// the claimant's span, if any.
func (im *w3cImporter) bodies(p string, o map[string]any, motivations []string, a *Annotation) (claimant string) {
	type body struct {
		path string
		v    any
	}
	var list []body
	if bv, ok := o["bodyValue"]; ok {
		s, isStr := bv.(string)
		if !isStr {
			im.problem(p+".bodyValue", "want a string, got %s", w3cKind(bv))
			return
		}
		list = append(list, body{p + ".bodyValue", map[string]any{"type": "TextualBody", "value": s}})
	}
	switch b := o["body"].(type) {
	case nil:
	case []any:
		for i, x := range b {
			list = append(list, body{fmt.Sprintf("%s.body[%d]", p, i), x})
		}
	default:
		list = append(list, body{p + ".body", b})
	}
	defaultPurpose := ""
	if len(motivations) == 1 {
		defaultPurpose = motivations[0]
	}
	var tags []string // tag values, in order
	var tagPaths []string
	var classes []string
	var classPaths []string
	var notes []string
	c := &Claim{}
	hasClaim := false
	var claimPath string
	for _, b := range list {
		bo, ok := b.v.(map[string]any)
		if !ok {
			if s, isStr := b.v.(string); isStr {
				// An external resource given by IRI alone.
				if defaultPurpose == MotivationLinking && claimIsWebURL(s) {
					c.Evidence = append(c.Evidence, Evidence{URL: s})
					hasClaim, claimPath = true, b.path
					continue
				}
				im.notice(b.path, "body %q is a link without a purpose Factmark can use; dropped", s)
				continue
			}
			im.problem(b.path, "want a body object or IRI, got %s", w3cKind(b.v))
			continue
		}
		types := w3cStrings(w3cField(bo, "type", "@type"))
		purposes := w3cStrings(bo["purpose"])
		purpose := defaultPurpose
		if len(purposes) > 0 {
			purpose = purposes[0]
			for _, pu := range purposes {
				if w3cKnownPurpose(pu) {
					purpose = pu
					break
				}
			}
		}
		value, hasValue := bo["value"].(string)
		switch {
		case w3cHasType(types, "schema:Claim") || w3cHasType(types, "http://schema.org/Claim") || w3cHasType(types, "https://schema.org/Claim"):
			hasClaim, claimPath = true, b.path
			if d, ok := bo["schema:datePublished"].(string); ok {
				c.Date = d
			}
			if cw, ok := bo["factmark:checkWorthy"].(bool); ok {
				c.CheckWorthy = &cw
			} else if v, present := bo["factmark:checkWorthy"]; present {
				im.problem(b.path+".factmark:checkWorthy", "want true or false, got %s", w3cValue(v))
			}
			switch au := bo["schema:author"].(type) {
			case nil:
			case string:
				c.Claimant.Name = au
			case map[string]any:
				c.Claimant.Name, _ = au["schema:name"].(string)
				claimant, _ = au["factmark:annotation"].(string)
			default:
				im.problem(b.path+".schema:author", "want a person object or a name, got %s", w3cKind(au))
			}
		case hasValue && (w3cHasType(types, "TextualBody") || len(types) == 0):
			switch purpose {
			case MotivationTagging:
				tags = append(tags, value)
				tagPaths = append(tagPaths, b.path)
			case MotivationClassifying:
				classes = append(classes, value)
				classPaths = append(classPaths, b.path)
			case MotivationCommenting, "replying", "questioning", "":
				if strings.TrimSpace(value) != "" {
					notes = append(notes, value)
				}
			case MotivationAssessing:
				c.Rationale = w3cJoin(c.Rationale, value)
				hasClaim, claimPath = true, b.path
			case MotivationDescribing:
				c.Text = w3cJoin(c.Text, value)
				hasClaim, claimPath = true, b.path
			default:
				im.notice(b.path, "%s body %q is not something Factmark records; dropped", purpose, w3cAbbrev(value))
			}
		case purpose == MotivationLinking || w3cHasType(types, "SpecificResource") && bo["source"] != nil:
			e := Evidence{}
			switch src := bo["source"].(type) {
			case string:
				e.URL = src
			case map[string]any:
				e.URL, _ = w3cField(src, "id", "@id").(string)
			}
			if e.URL == "" {
				e.URL, _ = w3cField(bo, "id", "@id").(string)
			}
			if sel, ok := bo["selector"].(map[string]any); ok {
				e.Quote, _ = sel["exact"].(string)
			} else if sels, ok := bo["selector"].([]any); ok {
				for _, s := range sels {
					if so, ok := s.(map[string]any); ok && w3cHasType(w3cStrings(w3cField(so, "type", "@type")), "TextQuoteSelector") {
						e.Quote, _ = so["exact"].(string)
						break
					}
				}
			}
			if st, ok := bo["state"].(map[string]any); ok {
				if sd, ok := st["sourceDate"].(string); ok {
					t, err := time.Parse(time.RFC3339Nano, sd)
					if err != nil {
						im.problem(b.path+".state.sourceDate", "%q is not a date-time with time zone", sd)
						continue
					}
					e.Accessed = t.UTC().Format(time.DateOnly)
				}
			}
			if st, ok := bo["factmark:stance"].(string); ok {
				e.Stance = st
			}
			c.Evidence = append(c.Evidence, e)
			hasClaim, claimPath = true, b.path
		case purpose == MotivationAssessing && w3cField(bo, "id", "@id") != nil && !hasValue:
			c.ReviewURL, _ = w3cField(bo, "id", "@id").(string)
			hasClaim, claimPath = true, b.path
		default:
			desc := w3cDescribeTypes(types)
			if purpose != "" {
				desc = purpose + " " + desc
			}
			im.notice(b.path, "%s body is not something Factmark records; dropped", desc)
		}
	}
	// The label: a tag, else a classification, naming a label.
	var label Label
	found := false
	for i, t := range tags {
		if l, ok := im.lookupLabel(t); ok && !found {
			label, found = l, true
			continue
		}
		im.notice(tagPaths[i], "tag %q is not a label of the schema; dropped", t)
	}
	for i, cl := range classes {
		if v, ok := LookupVerdict(cl); ok {
			if c.Verdict != "" && c.Verdict != v.ID {
				im.problem(classPaths[i], "a second verdict %q (the first was %q)", cl, c.Verdict)
				return
			}
			c.Verdict = v.ID
			hasClaim, claimPath = true, classPaths[i]
			continue
		}
		if l, ok := im.lookupLabel(cl); ok {
			if !found {
				label, found = l, true
			}
			continue
		}
		im.problem(classPaths[i], "classifying body %q is neither a verdict (%s) nor a label of the schema", cl, verdictIDList())
		return
	}
	if !found {
		var names []string
		for _, l := range im.s.Schema.Labels {
			names = append(names, l.Name)
		}
		if len(tags) == 0 {
			im.problem(p+".body", "no tagging body: Factmark needs one whose value names a label (%s)", strings.Join(names, ", "))
		} else {
			im.problem(p+".body", "no tagging body names a label of the schema (tags: %s; labels: %s)", w3cQuoteList(tags), strings.Join(names, ", "))
		}
		return
	}
	a.Label = label.ID
	a.Note = strings.Join(notes, "\n\n")
	if hasClaim {
		if label.Kind != KindClaim {
			im.problem(claimPath, "claim details (verdict, rationale, evidence…) on a %q span; only claim labels carry them", label.Name)
			return
		}
		if !c.IsZero() || claimant != "" { // an empty record is no record
			a.Claim = c
		}
	}
	return claimant
}

func (im *w3cImporter) lookupLabel(v string) (Label, bool) {
	if l, ok := im.s.Schema.Label(v); ok {
		return l, true
	}
	for _, l := range im.s.Schema.Labels {
		if l.Name == v {
			return l, true
		}
	}
	k := strings.ToLower(strings.TrimSpace(v))
	for _, l := range im.s.Schema.Labels {
		if strings.ToLower(l.ID) == k || strings.ToLower(l.Name) == k {
			return l, true
		}
	}
	return Label{}, false
}

func w3cKnownPurpose(p string) bool {
	switch p {
	case "assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
		"identifying", "linking", "moderating", "questioning", "replying", "tagging":
		return true
	}
	return false
}

func w3cJoin(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n\n" + b
}

func w3cAbbrev(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func w3cQuoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// --- small JSON helpers ---

func w3cField(o map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := o[k]; ok {
			return v
		}
	}
	return nil
}

func w3cIsList(v any) bool { _, ok := v.([]any); return ok }

// stringList reads a JSON-LD value that may be a string or an array of
// strings.
func w3cStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func w3cHasType(list []string, s string) bool {
	for _, x := range list {
		if x == s || x == "oa:"+s || x == "http://www.w3.org/ns/oa#"+s {
			return true
		}
	}
	return false
}

func w3cDescribeTypes(types []string) string {
	if len(types) == 0 {
		return "no type"
	}
	sorted := append([]string(nil), types...)
	sort.Strings(sorted)
	return "type " + w3cQuoteList(sorted)
}

func w3cInt(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil || i > 1<<40 || i < -(1<<40) {
		return 0, false
	}
	return int(i), true
}

func w3cKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func w3cValue(v any) string {
	if v == nil {
		return "nothing"
	}
	b, err := json.Marshal(v)
	if err != nil || len(b) > 60 {
		return w3cKind(v)
	}
	return string(b)
}

// --- registry ---

// w3cSniffKeys returns the keys of the first object in head (or of the
// first element of a top-level array).
func w3cSniffKeys(head []byte) (map[string]bool, bool) {
	keys := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimLeft(head, " \t\r\n\ufeff")))
	tok, err := dec.Token()
	if err != nil {
		return nil, false
	}
	if tok == json.Delim('[') {
		if tok, err = dec.Token(); err != nil || tok != json.Delim('{') {
			return nil, false
		}
	} else if tok != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, ok := tok.(string)
		if !ok {
			break
		}
		keys[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			break
		}
	}
	return keys, true
}

// w3cEncoder writes one collection file per document: "<base>.w3c.jsonld"
// for one document, "<document id>.w3c.jsonld" each when there are several.
type w3cEncoder struct {
	sink   FileSink
	opts   ExportOptions
	names  map[string]bool
	n      int
	closed bool
}

func (e *w3cEncoder) Encode(s *State) error {
	if e.closed {
		return errors.New("encode after close")
	}
	data, err := EncodeW3C(s)
	if err != nil {
		return err
	}
	name := e.opts.base()
	if e.opts.Many {
		name = fileStem(s.Doc.ID)
	}
	for i, base := 2, name; e.names[name+".w3c.jsonld"]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	e.names[name+".w3c.jsonld"] = true
	e.n++
	w, err := e.sink.Create(name + ".w3c.jsonld")
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func (e *w3cEncoder) Close() error {
	e.closed = true
	return nil
}

// newW3CDecoder imports a W3C file together with the text it annotates: the
// file carries no text, so the text is looked for beside it (src.Open) under
// the source name recorded in "factmark:document", then under the file's
// own stem with ".txt" ("article.w3c.jsonld" → "article.txt"). The text is
// imported as FromText does and the annotations are checked against it.
func newW3CDecoder(src Source, opts ImportOptions) (Decoder, error) {
	data, err := io.ReadAll(src.R)
	if err != nil {
		return nil, err
	}
	return &w3cDecoder{src: src, opts: opts, data: data}, nil
}

type w3cDecoder struct {
	src  Source
	opts ImportOptions
	data []byte
	done bool
}

func (d *w3cDecoder) Next() (*State, []Problem, error) {
	if d.done {
		return nil, nil, io.EOF
	}
	d.done = true
	file := d.src.name()
	var head struct {
		Doc struct {
			ID     string `json:"id"`
			Title  string `json:"title"`
			Source string `json:"source"`
			SHA256 string `json:"sha256"`
		} `json:"factmark:document"`
	}
	_ = json.Unmarshal(d.data, &head) // shape errors are ImportW3C's to report
	var names []string
	if src := head.Doc.Source; src != "" && !claimIsWebURL(src) && !strings.ContainsAny(src, "/\\") {
		names = append(names, src)
	}
	stem := d.src.Name
	for _, ext := range []string{".w3c.jsonld", ".jsonld", ".json"} {
		if strings.HasSuffix(strings.ToLower(stem), ext) {
			stem = stem[:len(stem)-len(ext)]
			break
		}
	}
	if stem != "" && stem != "-" {
		names = append(names, path.Base(stem)+".txt")
	}
	var text []byte
	var textName string
	if d.src.Open != nil {
		for _, n := range names {
			rc, err := d.src.Open(n)
			if err != nil {
				continue
			}
			text, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", n, err)
			}
			textName = n
			break
		}
	}
	if textName == "" {
		want := "the document's .txt"
		if len(names) > 0 {
			want = strings.Join(names, " or ")
		}
		return nil, nil, &FormatError{File: file, Reason: fmt.Sprintf(
			"W3C annotations carry no document text: open the document in Factmark and import the annotations into it, or put %s beside this file", want)}
	}
	to := TextOptions{ID: head.Doc.ID, Title: head.Doc.Title, Source: head.Doc.Source}
	if to.Source == "" {
		// Annotations from other tools name the page they were made on.
		to.Source = textName
		if src := w3cFirstSource(d.data); claimIsWebURL(src) {
			to.Source = src
		}
	}
	doc, err := FromText(text, to)
	if err != nil {
		return nil, nil, &FormatError{File: textName, Reason: "text cannot be imported: " + err.Error()}
	}
	var problems []Problem
	if head.Doc.SHA256 != "" && head.Doc.SHA256 != doc.SHA256 {
		problems = append(problems, Problem{File: file, Path: "$.factmark:document.sha256", Reason: fmt.Sprintf(
			"the annotations were made on another version of the text (sha256 %s, %s has %s); every position was checked against its quote", head.Doc.SHA256, textName, doc.SHA256)})
	}
	s := NewState(doc, d.opts.schema())
	res, err := ImportW3C(s, d.data, W3COptions{Lenient: d.opts.Lenient})
	if err != nil {
		var pe *ProblemsError
		var fe *FormatError
		switch {
		case errors.As(err, &pe):
			for i := range pe.Problems {
				pe.Problems[i].File = file
			}
			return nil, append(problems, pe.Problems...), &ProblemsError{Problems: append(problems, pe.Problems...)}
		case errors.As(err, &fe):
			fe.File = file
			return nil, problems, fe
		}
		return nil, problems, err
	}
	for _, p := range res.Notices {
		p.File = file
		problems = append(problems, p)
	}
	if len(res.Annotations) > 0 {
		if _, err := s.Apply(res.Edit()); err != nil {
			return nil, problems, fmt.Errorf("%s: %w", file, err)
		}
	}
	return s, problems, nil
}

// w3cFirstSource returns the source of the first annotation target in a W3C
// file, or "".
func w3cFirstSource(data []byte) string {
	var root any
	if json.Unmarshal(data, &root) != nil {
		return ""
	}
	var find func(v any, depth int) string
	find = func(v any, depth int) string {
		if depth > 8 {
			return ""
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if s := find(e, depth+1); s != "" {
					return s
				}
			}
		case map[string]any:
			if t, ok := x["target"]; ok {
				if l, ok := t.([]any); ok && len(l) > 0 {
					t = l[0]
				}
				if o, ok := t.(map[string]any); ok {
					src, _ := w3cField(o, "source").(string)
					return src
				}
				src, _ := t.(string)
				return src
			}
			for _, k := range []string{"first", "items"} {
				if s := find(x[k], depth+1); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return find(root, 0)
}
