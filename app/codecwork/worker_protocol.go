// Package codecwork is the work Factmark's browser app hands to its worker:
// exports in every format but Factmark's own, the losses report shown before
// an export, the zips of multi-file exports and library exports, and the
// imports of annotation files and datasets (format detection, the import with
// the alternatives the Open dialog offers, W3C annotations of the open
// document).
//
// The app's UI (app.wasm, built with the factmark_ui tag) links only this
// file's protocol: Request and Response and their Pack and Unpack. The work
// itself, Run (left out under the tag), is linked by the worker
// (app/importworker, web/import.wasm) and by the native app, which runs it
// on a goroutine; with it come annotate's codecs and archive/zip, which
// app.wasm therefore leaves out.
//
// Documents travel in Factmark's native encoding (annotate.Encode), which
// both sides link; every error travels as the message the user reads.
package codecwork

import (
	"encoding/json"
	"fmt"

	"factmark/annotate"
)

// The operations of a Request.
const (
	// OpExport exports Docs (one, or several with Many) in Codec.
	OpExport = "export"
	// OpImport imports Files: one annotation file, a brat .ann with its
	// .txt, or a brat zip.
	OpImport = "import"
	// OpW3C adds the W3C Web Annotations of Files[0] to Docs[0].
	OpW3C = "w3c"
	// OpWarm runs a small import and export, so that the worker's first
	// real job does not pay the one-time costs (the first run of the code,
	// the JSON encoder's caches); the app sends it when it starts the
	// worker.
	OpWarm = "warm"
)

// Request is one job.
type Request struct {
	Op string `json:"op"`
	// Codec is the id of the export format.
	Codec string `json:"codec,omitempty"`
	// Base is the stem of a single document's export files.
	Base string `json:"base,omitempty"`
	// Many exports a corpus: every document in one dataset (or a zip of
	// the files), named factmark-corpus.
	Many bool `json:"many,omitempty"`
	// W3CAlone (imports) says a W3C file alone annotates the open
	// document: the import then only answers that it is one (Response.W3C).
	W3CAlone bool `json:"w3cAlone,omitempty"`
	// Files are the files to import.
	Files []File `json:"files,omitempty"`
	// Docs are documents in the native encoding.
	Docs [][]byte `json:"-"`
	DocN []int    `json:"docs,omitempty"` // blob numbers of Docs
}

// File is one named file.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"-"`
	Blob int    `json:"blob"`
}

// Response is the answer to a Request.
type Response struct {
	// Error is what failed, as the user reads it; "" when nothing did.
	Error string `json:"error,omitempty"`

	// Exports: the download.
	Name string `json:"name,omitempty"`
	Mime string `json:"mime,omitempty"`
	Data []byte `json:"-"`
	DatN int    `json:"data,omitempty"`
	// Losses are what the export of one document lost, one sentence each.
	Losses []string `json:"losses,omitempty"`
	// LossNote says in one sentence what a corpus export lost; "" when
	// nothing.
	LossNote string `json:"lossNote,omitempty"`

	// Imports.
	Opened *Opened `json:"opened,omitempty"`
	// W3C says the file is W3C Web Annotation, to add to the open
	// document (a Request with W3CAlone).
	W3C bool `json:"w3c,omitempty"`
	// W3CImport is the answer of OpW3C.
	W3CImport *W3CResult `json:"w3cImport,omitempty"`
}

// Opened is what an import gave, with the imports the Open dialog offers
// when it failed.
type Opened struct {
	What     string             `json:"what"`
	Docs     [][]byte           `json:"-"`
	DocN     []int              `json:"docs,omitempty"`
	Problems []annotate.Problem `json:"problems,omitempty"`
	Error    string             `json:"error,omitempty"`
	// Lenient is the import without the spans that have problems.
	Lenient *Opened `json:"lenient,omitempty"`
	// Alt is the import with the offsets read in AltUnit, when every span
	// then matches its text.
	Alt     *Opened       `json:"alt,omitempty"`
	AltUnit annotate.Unit `json:"altUnit,omitempty"`
	// AddLabels is the import with the labels the schema lacks added.
	AddLabels *Opened `json:"addLabels,omitempty"`
}

// W3CResult is the answer of OpW3C.
type W3CResult struct {
	// Error is the strict import's error; Problems its problems when it
	// found some (a *annotate.ProblemsError).
	Error    string             `json:"error,omitempty"`
	Problems []annotate.Problem `json:"problems,omitempty"`
	// Import is the strict import when it succeeded; Lenient the import
	// without the annotations that have problems, when the strict one
	// failed on problems and the lenient one has annotations to add.
	Import  *W3CImport `json:"import,omitempty"`
	Lenient *W3CImport `json:"lenient,omitempty"`
}

// W3CImport is an annotate.W3CImport.
type W3CImport struct {
	Annotations []annotate.Annotation `json:"annotations"`
	Notices     []annotate.Problem    `json:"notices,omitempty"`
}

// blobs collects the binary parts of a message.
type blobs [][]byte

func (b *blobs) add(data []byte) int {
	*b = append(*b, data)
	return len(*b) - 1
}

func (b blobs) get(n int) ([]byte, error) {
	if n < 0 || n >= len(b) {
		return nil, fmt.Errorf("the message has no part %d", n)
	}
	return b[n], nil
}

// Pack turns r into a JSON head and the binary parts it numbers.
func (r *Request) Pack() ([]byte, [][]byte, error) {
	var bs blobs
	q := *r
	q.Files = append([]File(nil), r.Files...)
	for i := range q.Files {
		q.Files[i].Blob = bs.add(q.Files[i].Data)
	}
	q.DocN = nil
	for _, d := range r.Docs {
		q.DocN = append(q.DocN, bs.add(d))
	}
	head, err := json.Marshal(&q)
	return head, bs, err
}

// UnpackRequest reads a Request packed by Pack.
func UnpackRequest(head []byte, parts [][]byte) (*Request, error) {
	var r Request
	if err := json.Unmarshal(head, &r); err != nil {
		return nil, fmt.Errorf("the worker received a request that does not decode: %w", err)
	}
	bs := blobs(parts)
	var err error
	for i := range r.Files {
		if r.Files[i].Data, err = bs.get(r.Files[i].Blob); err != nil {
			return nil, err
		}
	}
	for _, n := range r.DocN {
		d, err := bs.get(n)
		if err != nil {
			return nil, err
		}
		r.Docs = append(r.Docs, d)
	}
	return &r, nil
}

// Pack turns r into a JSON head and the binary parts it numbers.
func (r *Response) Pack() ([]byte, [][]byte, error) {
	bs := blobs{nil} // part 0 is never used: DatN 0 is "no data"
	q := *r
	if r.Data != nil {
		q.DatN = bs.add(r.Data)
	}
	q.Opened = packOpened(r.Opened, &bs)
	head, err := json.Marshal(&q)
	return head, bs, err
}

func packOpened(o *Opened, bs *blobs) *Opened {
	if o == nil {
		return nil
	}
	p := *o
	p.DocN = nil
	for _, d := range o.Docs {
		p.DocN = append(p.DocN, bs.add(d))
	}
	p.Lenient = packOpened(o.Lenient, bs)
	p.Alt = packOpened(o.Alt, bs)
	p.AddLabels = packOpened(o.AddLabels, bs)
	return &p
}

// UnpackResponse reads a Response packed by Pack.
func UnpackResponse(head []byte, parts [][]byte) (*Response, error) {
	var r Response
	if err := json.Unmarshal(head, &r); err != nil {
		return nil, fmt.Errorf("the worker answered with a message that does not decode: %w", err)
	}
	bs := blobs(parts)
	if r.DatN > 0 {
		d, err := bs.get(r.DatN)
		if err != nil {
			return nil, err
		}
		r.Data = d
	}
	if err := unpackOpened(r.Opened, bs); err != nil {
		return nil, err
	}
	return &r, nil
}

func unpackOpened(o *Opened, bs blobs) error {
	if o == nil {
		return nil
	}
	for _, n := range o.DocN {
		d, err := bs.get(n)
		if err != nil {
			return err
		}
		o.Docs = append(o.Docs, d)
	}
	for _, k := range []*Opened{o.Lenient, o.Alt, o.AddLabels} {
		if err := unpackOpened(k, bs); err != nil {
			return err
		}
	}
	return nil
}

// UnitWords names a unit for a button.
func UnitWords(u annotate.Unit) string {
	if u == annotate.UTF16 {
		return "UTF-16 code units (JavaScript string indices)"
	}
	return "code points (Python string indices)"
}
