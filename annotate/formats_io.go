//go:build !factmark_ui

package annotate

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
)

// Export and Import are left out under the factmark_ui tag, which registers
// no codec (see BuiltinCodecs), and with them archive/zip.

// Export encodes states with codec c into files in memory, for the browser:
// the main file plus its sidecars (Label Studio's labeling config, Hugging
// Face's labels.json). brat gives a .txt and .ann pair (with its
// annotation.conf and visual.conf) for one document and one zip for several.
func Export(c *Codec, states []*State, opts ExportOptions) ([]File, error) {
	if !c.CanExport() {
		return nil, fmt.Errorf("%s cannot be exported", c.Name)
	}
	opts.Many = opts.Many || len(states) > 1
	if opts.Base == "" && len(states) == 1 && states[0].Doc != nil {
		opts.Base = fileStem(states[0].Doc.ID)
	}
	mem := new(MemorySink)
	var sink FileSink = mem
	var zw *zip.Writer
	if c.PerDocument && opts.Many {
		w, _ := mem.Create(opts.base() + "." + c.ID + ".zip")
		zw = zip.NewWriter(w)
		sink = zw
	}
	enc, err := c.NewEncoder(sink, opts)
	if err != nil {
		return nil, err
	}
	for _, s := range states {
		if err := enc.Encode(s); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return nil, err
		}
	}
	return mem.Result(), nil
}

// Import decodes files in codec c's format, for the browser: the main file
// is the first whose name has one of c's extensions (brat: the .ann or the
// .zip), the others are its companions. It returns every document that
// imported, every problem found, and the first error that stopped a
// document. With ImportOptions.Lenient, documents with span problems are
// imported without those spans.
func Import(c *Codec, files []File, opts ImportOptions) ([]*State, []Problem, error) {
	if !c.CanImport() {
		return nil, nil, fmt.Errorf("%s cannot be imported", c.Name)
	}
	if len(files) == 0 {
		return nil, nil, errors.New("no file to import")
	}
	main := -1
	for i, f := range files {
		if len(codecMatchExt(c, f.Name)) > 0 {
			main = i
			break
		}
	}
	if main < 0 {
		main = 0
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[path.Base(f.Name)] = f.Data
	}
	var problems []Problem
	// Every file is read as UTF-8: converted from UTF-16/32 with a byte
	// order mark (noted), refused at its first byte that is not UTF-8.
	utf8Of := func(name string, data []byte) (io.Reader, error) {
		r, notice, err := EncodingReader(name, bytes.NewReader(data))
		if notice != "" {
			problems = append(problems, Problem{File: displayName(name), Reason: notice})
		}
		return r, err
	}
	mainR, err := utf8Of(files[main].Name, files[main].Data)
	if err != nil {
		return nil, nil, err
	}
	src := Source{
		Name: files[main].Name,
		R:    mainR,
		Open: func(name string) (io.ReadCloser, error) {
			d, ok := byName[path.Base(name)]
			if !ok {
				return nil, fmt.Errorf("%s: not among the files given", name)
			}
			r, err := utf8Of(name, d)
			if err != nil {
				return nil, err
			}
			return io.NopCloser(r), nil
		},
	}
	dec, err := c.NewDecoder(src, opts)
	if err != nil {
		return nil, problems, err
	}
	var states []*State
	var first error
	for {
		s, ps, err := dec.Next()
		problems = append(problems, ps...)
		if err == io.EOF {
			break
		}
		if err != nil {
			if first == nil {
				first = err
			}
			var pe *ProblemsError
			if errors.As(err, &pe) {
				continue
			}
			break
		}
		states = append(states, s)
	}
	return states, problems, first
}
