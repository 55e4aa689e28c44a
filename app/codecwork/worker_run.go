//go:build !factmark_ui

package codecwork

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"factmark/annotate"
)

// SniffLen is how much of an annotation file format detection looks at.
const SniffLen = 1 << 20

// Run does one job. Every failure is in the Response.
func Run(req *Request) *Response {
	switch req.Op {
	case OpExport:
		return runExport(req)
	case OpImport:
		return runImport(req)
	case OpW3C:
		return runW3C(req)
	case OpWarm:
		return runWarm()
	}
	return &Response{Error: fmt.Sprintf("the worker has no operation %q", req.Op)}
}

// decodeDocs decodes the documents of a request.
func decodeDocs(req *Request) ([]*annotate.State, error) {
	states := make([]*annotate.State, len(req.Docs))
	for i, d := range req.Docs {
		st, err := annotate.Decode(d)
		if err != nil {
			return nil, fmt.Errorf("the worker received a document that does not decode: %w", err)
		}
		states[i] = st
	}
	return states, nil
}

func runExport(req *Request) *Response {
	c, ok := annotate.LookupCodec(req.Codec)
	if !ok || !c.CanExport() {
		return &Response{Error: fmt.Sprintf("no export format %q", req.Codec)}
	}
	states, err := decodeDocs(req)
	if err != nil {
		return &Response{Error: err.Error()}
	}
	if req.Many {
		name, mime, data, err := CorpusFile(c, states)
		if err != nil {
			return &Response{Error: err.Error()}
		}
		return &Response{Name: name, Mime: mime, Data: data, LossNote: CorpusLosses(c, states)}
	}
	if len(states) != 1 {
		return &Response{Error: fmt.Sprintf("cannot export as %s: %d documents where one was expected", c.Name, len(states))}
	}
	name, mime, data, err := ExportFile(states[0], c, req.Base)
	if err != nil {
		return &Response{Error: err.Error()}
	}
	return &Response{Name: name, Mime: mime, Data: data, Losses: c.Losses(states[0])}
}

// ExportFile builds the download of s in codec c: its one file, or a zip of
// its files named after base and the codec.
func ExportFile(s *annotate.State, c *annotate.Codec, base string) (name, mime string, data []byte, err error) {
	files, err := annotate.Export(c, []*annotate.State{s}, annotate.ExportOptions{Base: base})
	if err != nil {
		return "", "", nil, fmt.Errorf("cannot export as %s: %w", c.Name, err)
	}
	switch len(files) {
	case 0:
		return "", "", nil, fmt.Errorf("cannot export as %s: the export wrote no file", c.Name)
	case 1:
		f := files[0]
		mime := f.MediaType
		if mime == "" {
			mime = annotate.MediaTypeOf(f.Name)
		}
		return f.Name, mime, f.Data, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.Name)
		if err == nil {
			_, err = w.Write(f.Data)
		}
		if err != nil {
			return "", "", nil, fmt.Errorf("cannot export as %s: zip %s: %w", c.Name, f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return "", "", nil, fmt.Errorf("cannot export as %s: zip: %w", c.Name, err)
	}
	return base + "." + c.ID + ".zip", "application/zip", buf.Bytes(), nil
}

// CorpusFile encodes states with c: the one file it writes, or a zip of
// them all.
func CorpusFile(c *annotate.Codec, states []*annotate.State) (name, mime string, data []byte, err error) {
	files, err := annotate.Export(c, states, annotate.ExportOptions{Base: "factmark-corpus", Many: true})
	if err != nil {
		return "", "", nil, err
	}
	if len(files) == 1 {
		return files[0].Name, files[0].MediaType, files[0].Data, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return "", "", nil, err
		}
		if _, err := w.Write(f.Data); err != nil {
			return "", "", nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return "", "", nil, err
	}
	return "factmark-corpus-" + c.ID + ".zip", "application/zip", buf.Bytes(), nil
}

// CorpusLosses says what the export of states left out, in one sentence.
func CorpusLosses(c *annotate.Codec, states []*annotate.State) string {
	n := 0
	var first string
	for _, st := range states {
		if ls := c.Losses(st); len(ls) > 0 {
			n++
			if first == "" {
				first = ls[0]
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%s cannot carry everything in %d of them: %s", c.Name, n, first)
}

// runImport imports an annotation file, a brat pair or a brat zip.
func runImport(req *Request) *Response {
	g := req.Files
	if len(g) == 0 {
		return &Response{Error: "the worker received no file to import"}
	}
	if req.W3CAlone && len(g) == 1 {
		f := g[0]
		if c, err := annotate.DetectCodec(f.Name, f.Data[:min(len(f.Data), SniffLen)]); err == nil && c.ID == "w3c" {
			return &Response{W3C: true}
		}
	}
	return &Response{Opened: ImportGroup(g)}
}

// ImportGroup imports one annotation file or a brat pair: the documents, the
// problems, and when a strict import fails the alternatives that work.
func ImportGroup(g []File) *Opened {
	main := g[0]
	for _, f := range g {
		lower := strings.ToLower(f.Name)
		if strings.HasSuffix(lower, ".ann") || strings.HasSuffix(lower, ".zip") {
			main = f
			break
		}
	}
	var names []string
	files := make([]annotate.File, len(g))
	for i, f := range g {
		names = append(names, f.Name)
		files[i] = annotate.File{Name: f.Name, MediaType: annotate.MediaTypeOf(f.Name), Data: f.Data}
	}
	what := strings.Join(names, " and ")
	codec, err := annotate.DetectCodec(main.Name, main.Data[:min(len(main.Data), SniffLen)])
	if err != nil {
		return &Opened{What: what, Error: err.Error()}
	}
	run := func(lenient bool, unit annotate.Unit) *Opened {
		return importCodec(codec, files, what, annotate.ImportOptions{Lenient: lenient, Unit: unit})
	}
	res, err := importWith(codec, files, what, annotate.ImportOptions{})
	var pe *annotate.ProblemsError
	if err == nil || !errors.As(err, &pe) {
		return res
	}
	// Labels the schema lacks (a tool's own ORG, EVENT): offer to add them
	// when that is all that stands in the way.
	if lr := importCodec(codec, files, what, annotate.ImportOptions{AddLabels: true}); lr.Error == "" {
		res.AddLabels = lr
	}
	// Offer to leave the spans out only when that imports.
	if lr := run(true, ""); lr.Error == "" {
		res.Lenient = lr
	}
	// Offsets in the other unit of character offsets?
	other := annotate.Unit("")
	switch codec.Unit {
	case annotate.CodePoints:
		other = annotate.UTF16
	case annotate.UTF16:
		other = annotate.CodePoints
	}
	if other != "" {
		if ar := run(false, other); ar.Error == "" && len(ar.Problems) == 0 {
			ar.What += " (offsets read as " + UnitWords(other) + ")"
			res.Alt, res.AltUnit = ar, other
		}
	}
	return res
}

// importCodec imports files with codec and opts.
func importCodec(codec *annotate.Codec, files []annotate.File, what string, opts annotate.ImportOptions) *Opened {
	o, _ := importWith(codec, files, what, opts)
	return o
}

// importWith imports files with codec and opts; the error is the import's.
func importWith(codec *annotate.Codec, files []annotate.File, what string, opts annotate.ImportOptions) (*Opened, error) {
	states, problems, err := annotate.Import(codec, files, opts)
	res := &Opened{What: what, Problems: problems}
	if err == nil && len(states) == 0 {
		err = fmt.Errorf("%s: no document in the file", what)
	}
	if err != nil {
		res.Error = err.Error()
		return res, err
	}
	for _, st := range states {
		data, err := annotate.Encode(st)
		if err != nil {
			err = fmt.Errorf("%s: %w", what, err)
			res.Docs, res.Error = nil, err.Error()
			return res, err
		}
		res.Docs = append(res.Docs, data)
	}
	return res, nil
}

// runW3C adds the W3C Web Annotations of Files[0] to Docs[0].
func runW3C(req *Request) *Response {
	states, err := decodeDocs(req)
	if err != nil {
		return &Response{Error: err.Error()}
	}
	if len(states) != 1 || len(req.Files) != 1 {
		return &Response{Error: "the worker received no document or no file for the W3C import"}
	}
	st, data := states[0], req.Files[0].Data
	run := func(lenient bool) (*annotate.W3CImport, error) {
		return annotate.ImportW3C(st, data, annotate.W3COptions{Lenient: lenient})
	}
	res := &W3CResult{}
	imp, err := run(false)
	if err == nil {
		res.Import = &W3CImport{Annotations: imp.Annotations, Notices: imp.Notices}
		return &Response{W3CImport: res}
	}
	res.Error = err.Error()
	var pe *annotate.ProblemsError
	if errors.As(err, &pe) {
		res.Problems = pe.Problems
		if lax, err := run(true); err == nil && len(lax.Annotations) > 0 {
			res.Lenient = &W3CImport{Annotations: lax.Annotations, Notices: lax.Notices}
		}
	}
	return &Response{W3CImport: res}
}

// runWarm imports a doccano line and exports the document in a line format
// and Label Studio, through the same steps as real jobs.
func runWarm() *Response {
	line := []byte(`{"text": "Olena Zelenska visited Kharkiv on Friday.", "label": [[0, 14, "PERSON"], [23, 30, "LOC"]]}` + "\n")
	o := ImportGroup([]File{{Name: "warm.jsonl", Data: line}})
	if o.Error != "" || len(o.Docs) != 1 {
		return &Response{Error: "the worker's warm-up import failed: " + o.Error}
	}
	for _, id := range []string{"spacy", "labelstudio"} {
		if r := runExport(&Request{Op: OpExport, Codec: id, Base: "warm", Docs: o.Docs}); r.Error != "" {
			return &Response{Error: "the worker's warm-up export failed: " + r.Error}
		}
	}
	return &Response{}
}
