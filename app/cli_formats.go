//go:build !wasm

package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"factmark/annotate"
)

// The data commands: convert, validate and stats. They stream: a dataset of
// many documents is read, checked and written one document at a time.

// sniffLen is how much of an input format detection reads: enough for the
// first line of a JSON Lines file with a long article, whose keys after the
// text tell spaCy from doccano.
const sniffLen = 1 << 20

// stdin is the standard input of the commands (tests replace it).
var stdin io.Reader = os.Stdin

// maxReportLines bounds the warnings a command prints about one run; the
// rest are counted.
const maxReportLines = 200

// reporter prints problems and losses on stderr, at most maxReportLines.
type reporter struct {
	w      io.Writer
	prefix string
	lines  int
	extra  int
}

func (r *reporter) printf(format string, args ...any) {
	if r.lines >= maxReportLines {
		r.extra++
		return
	}
	r.lines++
	fmt.Fprintf(r.w, r.prefix+format+"\n", args...)
}

func (r *reporter) problems(ps []annotate.Problem, lenient bool) {
	for _, p := range ps {
		switch {
		case p.Fatal && lenient:
			r.printf("skipped: %v", p)
		case p.Fatal:
			r.printf("error: %v", p)
		default:
			r.printf("warning: %v", p)
		}
	}
}

func (r *reporter) flush() {
	if r.extra > 0 {
		fmt.Fprintf(r.w, "%s… and %d more lines not shown\n", r.prefix, r.extra)
	}
}

// parseArgs parses flags that may come before, between or after the
// positional arguments. It returns the positional arguments, or the exit
// status to stop with: 0 after -h (usage on stdout), 2 after a bad flag
// (error and usage on stderr).
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, int, bool) {
	var pos []string
	fs.SetOutput(io.Discard)
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, 0, true
		}
		if err != nil {
			fs.SetOutput(stderr)
			fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
			fs.Usage()
			return nil, 2, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...) // after "--" everything is an argument
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	fs.SetOutput(stderr)
	return pos, 0, false
}

// importFlags are the flags of every command that reads annotations.
type importFlags struct {
	format    *string
	unit      *string
	lenient   *bool
	addLabels *bool
}

func addImportFlags(fs *flag.FlagSet, formatFlag, formatHelp string) importFlags {
	return importFlags{
		format:    fs.String(formatFlag, "", formatHelp),
		unit:      fs.String("unit", "", "the input's offsets count `unit` (codepoint, utf16, byte or grapheme) instead of the format's own"),
		lenient:   fs.Bool("lenient", false, "import what can be imported: leave out spans with problems (reported) instead of failing their document"),
		addLabels: fs.Bool("add-labels", false, "add labels that are not in the schema as new entity labels instead of failing"),
	}
}

func (f importFlags) options() (annotate.ImportOptions, error) {
	opts := annotate.ImportOptions{Lenient: *f.lenient, AddLabels: *f.addLabels}
	if *f.unit != "" {
		u := annotate.Unit(strings.ToLower(*f.unit))
		switch u {
		case "codepoints", "cp":
			u = annotate.CodePoints
		case "bytes":
			u = annotate.Bytes
		case "graphemes":
			u = annotate.Graphemes
		}
		switch u {
		case annotate.CodePoints, annotate.UTF16, annotate.Bytes, annotate.Graphemes:
		default:
			return opts, fmt.Errorf("-unit %q: want codepoint, utf16, byte or grapheme", *f.unit)
		}
		opts.Unit = u
	}
	return opts, nil
}

// inputFile is an opened input file (or standard input, or a brat
// collection directory).
type inputFile struct {
	src   annotate.Source
	codec *annotate.Codec
	close func()
	// dir, when set, is a brat collection read document by document.
	dir []string
}

// decoder starts reading the input.
func (in *inputFile) decoder(opts annotate.ImportOptions) (annotate.Decoder, error) {
	if in.dir != nil {
		return &dirDecoder{codec: in.codec, files: in.dir, opts: opts}, nil
	}
	// Annotation files are UTF-8: UTF-16/32 with a byte order mark is
	// converted (the notice comes as the first problem), anything else
	// that is not UTF-8 stops the import at its byte offset.
	r, notice, err := annotate.EncodingReader(in.src.Name, in.src.R)
	if err != nil {
		return nil, err
	}
	src := in.src
	src.R = r
	if open := in.src.Open; open != nil {
		src.Open = func(name string) (io.ReadCloser, error) { return utf8Companion(name, open) }
	}
	dec, err := in.codec.NewDecoder(src, opts)
	if err != nil || notice == "" {
		return dec, err
	}
	return &noticeDecoder{Decoder: dec, notice: &annotate.Problem{File: src.Name, Reason: notice}}, nil
}

// noticeDecoder reports notice with the first document.
type noticeDecoder struct {
	annotate.Decoder
	notice *annotate.Problem
}

func (d *noticeDecoder) Next() (*annotate.State, []annotate.Problem, error) {
	s, ps, err := d.Decoder.Next()
	if d.notice != nil {
		ps = append([]annotate.Problem{*d.notice}, ps...)
		d.notice = nil
	}
	return s, ps, err
}

// openBratDir opens a brat collection directory: every .ann (with the .txt
// beside it) and every .txt without one, in subdirectories too, by name.
func openBratDir(dir, format string) (*inputFile, error) {
	if format != "" && format != "brat" {
		return nil, fmt.Errorf("%s is a directory: only a brat collection can be read from one (not %s)", dir, format)
	}
	c, _ := annotate.LookupCodec("brat")
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch ext := filepath.Ext(p); {
		case d.IsDir():
		case ext == ".ann":
			files = append(files, p)
		case ext == ".txt":
			if _, err := os.Stat(strings.TrimSuffix(p, ext) + ".ann"); os.IsNotExist(err) {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no brat .ann or .txt files in the directory", dir)
	}
	sort.Strings(files)
	return &inputFile{codec: c, dir: files, close: func() {}}, nil
}

// dirDecoder reads the documents of a brat collection directory one file at
// a time.
type dirDecoder struct {
	codec *annotate.Codec
	files []string
	opts  annotate.ImportOptions
	cur   annotate.Decoder
	f     *os.File
	// pending are problems reported at the end of a file, returned with the
	// next document.
	pending []annotate.Problem
}

func (d *dirDecoder) Next() (*annotate.State, []annotate.Problem, error) {
	s, ps, err := d.next()
	if len(d.pending) > 0 {
		ps = append(d.pending, ps...)
		d.pending = nil
	}
	return s, ps, err
}

func (d *dirDecoder) next() (*annotate.State, []annotate.Problem, error) {
	for {
		if d.cur == nil {
			if len(d.files) == 0 {
				return nil, nil, io.EOF
			}
			name := d.files[0]
			d.files = d.files[1:]
			f, err := os.Open(name)
			if err != nil {
				return nil, nil, err
			}
			dir := filepath.Dir(name)
			r, notice, err := annotate.EncodingReader(name, f)
			if err != nil {
				f.Close()
				return nil, nil, err
			}
			dec, err := d.codec.NewDecoder(annotate.Source{Name: name, R: r, Open: func(other string) (io.ReadCloser, error) {
				return utf8Companion(other, func(other string) (io.ReadCloser, error) {
					return os.Open(filepath.Join(dir, filepath.Base(other)))
				})
			}}, d.opts)
			if err == nil && notice != "" {
				dec = &noticeDecoder{Decoder: dec, notice: &annotate.Problem{File: name, Reason: notice}}
			}
			if err != nil {
				f.Close()
				var fe *annotate.FormatError
				if errors.As(err, &fe) {
					p := annotate.Problem{File: fe.File, Line: fe.Line, Path: fe.Path, Reason: fe.Reason, Fatal: true}
					return nil, []annotate.Problem{p}, &annotate.ProblemsError{Problems: []annotate.Problem{p}}
				}
				return nil, nil, err
			}
			d.cur, d.f = dec, f
		}
		s, ps, err := d.cur.Next()
		if err == io.EOF {
			d.f.Close()
			d.cur = nil
			d.pending = append(d.pending, ps...)
			continue
		}
		return s, ps, err
	}
}

// openInput opens name ("-" for standard input) and finds its format: the
// one named, or the one its content and extension say.
func openInput(name, format string) (*inputFile, error) {
	in := &inputFile{close: func() {}}
	var head []byte
	if name == "-" {
		br := bufio.NewReaderSize(stdin, sniffLen)
		head, _ = br.Peek(sniffLen)
		in.src = annotate.Source{Name: "-", R: br}
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.IsDir() {
			f.Close()
			return openBratDir(name, format)
		}
		head = make([]byte, sniffLen)
		n, _ := f.ReadAt(head, 0)
		head = head[:n]
		dir := filepath.Dir(name)
		in.src = annotate.Source{Name: name, R: f, Open: func(other string) (io.ReadCloser, error) {
			return os.Open(filepath.Join(dir, filepath.Base(other)))
		}}
		in.close = func() { f.Close() }
	}
	if format != "" {
		c, ok := annotate.LookupCodec(format)
		if !ok {
			in.close()
			return nil, fmt.Errorf("unknown format %q; formats that import: %s", format, strings.Join(annotate.CodecIDs(true), ", "))
		}
		if !c.CanImport() {
			in.close()
			return nil, fmt.Errorf("%s cannot be imported (it keeps no character offsets); formats that import: %s", c.ID, strings.Join(annotate.CodecIDs(true), ", "))
		}
		in.codec = c
		return in, nil
	}
	c, err := annotate.DetectCodec(name, head)
	if err != nil {
		in.close()
		return nil, fmt.Errorf("%v (with -from)", err)
	}
	in.codec = c
	return in, nil
}

// fileSink writes the main file to main and every other file into dir.
type fileSink struct {
	main     io.Writer
	mainUsed bool
	dir      string
	cur      *os.File
	written  []string
	// rename maps an extension to a path (brat's single .txt/.ann pair).
	rename map[string]string
}

func (s *fileSink) Create(name string) (io.Writer, error) {
	if err := s.closeCur(); err != nil {
		return nil, err
	}
	if s.rename != nil {
		if p, ok := s.rename[filepath.Ext(name)]; ok {
			return s.open(p)
		}
	}
	if !s.mainUsed && s.main != nil {
		s.mainUsed = true
		return s.main, nil
	}
	return s.open(filepath.Join(s.dir, filepath.Base(name)))
}

func (s *fileSink) open(p string) (io.Writer, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	s.cur = f
	s.written = append(s.written, p)
	return f, nil
}

func (s *fileSink) closeCur() error {
	if s.cur == nil {
		return nil
	}
	err := s.cur.Close()
	s.cur = nil
	return err
}

// output is where a conversion writes.
type output struct {
	sink   annotate.FileSink
	many   bool
	finish func() error // flush, close and move into place
	abort  func()
	files  func() []string
}

// openOutput prepares the output of codec c at name ("-" for stdout): a
// temporary file renamed into place by finish, so a failed run leaves no
// half-written file. brat writes a zip (name.zip or stdout), a directory
// (an existing one, or a name ending in "/"), or one .txt/.ann pair (name.ann).
func openOutput(c *annotate.Codec, name, sidecarDir string, stdout io.Writer) (*output, error) {
	if sidecarDir == "" {
		sidecarDir = "."
		if name != "-" {
			sidecarDir = filepath.Dir(name)
		}
	}
	lower := strings.ToLower(name)
	isDir := strings.HasSuffix(name, "/") || strings.HasSuffix(name, string(filepath.Separator))
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		isDir = true
	}
	many := !(strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".ann"))
	if c.PerDocument && isDir {
		s := &fileSink{dir: name}
		return &output{sink: s, many: true, finish: s.closeCur, abort: func() { s.closeCur() }, files: func() []string { return s.written }}, nil
	}
	if isDir {
		return nil, fmt.Errorf("%s is a directory; only brat writes a directory (give a file name)", name)
	}
	if c.PerDocument && strings.HasSuffix(lower, ".ann") {
		s := &fileSink{dir: filepath.Dir(name), rename: map[string]string{".ann": name, ".txt": strings.TrimSuffix(name, filepath.Ext(name)) + ".txt"}}
		return &output{sink: s, many: false, finish: s.closeCur, abort: func() { s.closeCur() }, files: func() []string { return s.written }}, nil
	}
	var w io.Writer
	var tmp *os.File
	if name == "-" {
		w = stdout
	} else {
		var err error
		tmp, err = os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
		if err != nil {
			return nil, err
		}
		mode := os.FileMode(0o644) // CreateTemp makes 0600; keep an existing file's mode
		if st, err := os.Stat(name); err == nil {
			mode = st.Mode().Perm()
		}
		if err := tmp.Chmod(mode); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, err
		}
		w = tmp
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	out := &output{many: many}
	var zw *zip.Writer
	s := &fileSink{main: bw, dir: sidecarDir}
	out.sink = s
	if c.PerDocument {
		zw = zip.NewWriter(bw)
		out.sink = zw
		out.many = true
	}
	out.files = func() []string {
		if name == "-" {
			return s.written
		}
		return append([]string{name}, s.written...)
	}
	out.finish = func() error {
		if err := s.closeCur(); err != nil {
			return err
		}
		if zw != nil {
			if err := zw.Close(); err != nil {
				return err
			}
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if tmp == nil {
			return nil
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), name)
	}
	out.abort = func() {
		s.closeCur()
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	return out, nil
}

func formatList(imports bool) string {
	var b strings.Builder
	for _, c := range annotate.Codecs() {
		if (imports && !c.CanImport()) || (!imports && !c.CanExport()) {
			continue
		}
		fmt.Fprintf(&b, "  %-12s %s; %s\n", c.ID, c.Name, c.Offsets)
	}
	return b.String()
}

func cmdConvert(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("factmark convert", flag.ContinueOnError)
	imp := addImportFlags(fs, "from", "input `format` (default: found from the input's content and extension)")
	to := fs.String("to", "", "output `format` (default: found from OUT's extension: .json/.jsonl factmark, .zip/.ann brat, .conll conll, x.spacy.jsonl spacy, …)")
	sidecars := fs.String("sidecars", "", "`directory` for the files that go with the output (labels.json, labeling-config.xml); default: OUT's directory, or . for stdout")
	lossless := fs.Bool("lossless", false, "fail (exit 1, no output file) when the output format would drop anything: overlaps, notes, claims, spans off token boundaries")
	quiet := fs.Bool("q", false, "do not print what the output format drops, nor the summary")
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprint(out, `Usage: factmark convert [--from FORMAT] [--to FORMAT] [flags] IN OUT

Converts annotations from one format to another. IN and OUT may be - for
standard input and output. A dataset converts one document at a time, so its
size does not matter. Offsets are converted from and to each format's unit and
every span is checked against its text; problems are reported with the file,
line and JSON path, and what the output format cannot carry is listed (per
document) on stderr.

Examples:
  factmark convert article.factmark.json article.spacy.jsonl
  factmark convert --to doccano dataset.jsonl - > doccano.jsonl
  factmark convert --from labelstudio --to factmark export.json dataset.jsonl
  factmark convert tasks.json corpus.zip            (brat: a zip of .txt/.ann pairs)
  factmark convert --to brat dataset.jsonl out/     (brat: a directory)
  factmark convert --to hf dataset.jsonl train.jsonl  (writes labels.json beside it)
  cat dataset.jsonl | factmark convert --to conll - -

Formats that import:
`)
		fmt.Fprint(out, formatList(true))
		fmt.Fprint(out, "\nFormats that export:\n")
		fmt.Fprint(out, formatList(false))
		fmt.Fprint(out, "\nFlags:\n")
		fs.PrintDefaults()
	}
	pos, code, stop := parseArgs(fs, args, stdout, stderr)
	if stop {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "factmark convert: "+format+"\n", a...)
		return code
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "factmark convert: want IN and OUT, got %d argument(s)\n", len(pos))
		fs.Usage()
		return 2
	}
	inName, outName := pos[0], pos[1]
	opts, err := imp.options()
	if err != nil {
		return fail(2, "%v", err)
	}
	var outCodec *annotate.Codec
	if *to != "" {
		c, ok := annotate.LookupCodec(*to)
		if !ok || !c.CanExport() {
			return fail(2, "unknown output format %q; formats that export: %s", *to, strings.Join(annotate.CodecIDs(false), ", "))
		}
		outCodec = c
	} else if outName == "-" {
		return fail(2, "name the output format with --to when writing to standard output")
	} else if outCodec, err = annotate.CodecForOutput(strings.TrimSuffix(outName, "/")); err != nil {
		if st, serr := os.Stat(outName); serr == nil && st.IsDir() {
			outCodec, _ = annotate.LookupCodec("brat")
		} else {
			return fail(2, "%v (with --to)", err)
		}
	}
	in, err := openInput(inName, *imp.format)
	if err != nil {
		return fail(1, "%v", err)
	}
	defer in.close()
	dec, err := in.decoder(opts)
	if err != nil {
		return fail(1, "%v", err)
	}
	out, err := openOutput(outCodec, outName, *sidecars, stdout)
	if err != nil {
		return fail(1, "%v", err)
	}
	enc, err := outCodec.NewEncoder(out.sink, annotate.ExportOptions{Base: "factmark", Many: out.many})
	if err != nil {
		out.abort()
		return fail(1, "%v", err)
	}
	rep := &reporter{w: stderr, prefix: "factmark convert: "}
	docs, spans, failed, lossy := 0, 0, 0, 0
	for {
		st, problems, err := dec.Next()
		rep.problems(problems, opts.Lenient)
		if err == io.EOF {
			break
		}
		var pe *annotate.ProblemsError
		if errors.As(err, &pe) {
			failed++
			continue
		}
		if err != nil {
			out.abort()
			rep.flush()
			return fail(1, "%v", err)
		}
		if losses := outCodec.Losses(st); len(losses) > 0 {
			lossy++
			if !*quiet || *lossless {
				for _, l := range losses {
					rep.printf("%s: %s drops: %s", st.Doc.ID, outCodec.ID, l)
				}
			}
		}
		if err := enc.Encode(st); err != nil {
			out.abort()
			rep.flush()
			return fail(1, "%s: %v", st.Doc.ID, err)
		}
		docs++
		spans += st.Len()
	}
	rep.flush()
	if *lossless && lossy > 0 {
		out.abort()
		return fail(1, "--lossless: %s would lose data in %s (listed above); nothing written", plural(lossy, "document"), outCodec.ID)
	}
	if err := enc.Close(); err != nil {
		out.abort()
		return fail(1, "%v", err)
	}
	if err := out.finish(); err != nil {
		out.abort()
		return fail(1, "%v", err)
	}
	if !*quiet {
		wrote := ""
		if files := out.files(); len(files) > 4 {
			wrote = fmt.Sprintf("; wrote %s and %d more files", strings.Join(files[:3], ", "), len(files)-3)
		} else if len(files) > 0 {
			wrote = "; wrote " + strings.Join(files, ", ")
		}
		outDisplay := outName
		if outName == "-" {
			outDisplay = "<stdout>"
		}
		fmt.Fprintf(stderr, "factmark convert: %s (%s) → %s (%s): %s, %s%s\n", displayName(inName), in.codec.ID, outDisplay, outCodec.ID,
			plural(docs, "document"), plural(spans, "span"), wrote)
	}
	if failed > 0 {
		return fail(1, "%s could not be imported (errors above); the output holds the other %d", plural(failed, "document"), docs)
	}
	return 0
}

func displayName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("factmark validate", flag.ContinueOnError)
	imp := addImportFlags(fs, "format", "`format` of the files (default: found from content and extension)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: factmark validate [--format FORMAT] FILE...

Checks files without changing them: a Factmark document or dataset (JSON Lines,
one document per line) is decoded with every check of the native format (text
hash, lengths, ranges on grapheme boundaries in every unit, quotes, labels,
unique ids); a file in another format is imported as convert would import it.
Every error names the file, the line and the JSON path. Exits 1 when a file
has an error, 2 on bad usage. FILE may be - for standard input.

Examples:
  factmark validate article.factmark.json
  factmark validate dataset.jsonl
  factmark validate --format doccano --unit utf16 export.jsonl

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, stop := parseArgs(fs, args, stdout, stderr)
	if stop {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "factmark validate: want at least one FILE")
		fs.Usage()
		return 2
	}
	opts, err := imp.options()
	if err != nil {
		fmt.Fprintf(stderr, "factmark validate: %v\n", err)
		return 2
	}
	status := 0
	for _, name := range pos {
		rep := &reporter{w: stderr, prefix: "factmark validate: "}
		in, err := openInput(name, *imp.format)
		if err != nil {
			fmt.Fprintf(stderr, "factmark validate: %v\n", err)
			status = 1
			continue
		}
		docs, spans, bad, warnings := 0, 0, 0, 0
		dec, err := in.decoder(opts)
		for err == nil {
			var st *annotate.State
			var problems []annotate.Problem
			st, problems, err = dec.Next()
			for _, p := range problems {
				if !p.Fatal {
					warnings++
				}
			}
			rep.problems(problems, opts.Lenient)
			var pe *annotate.ProblemsError
			if errors.As(err, &pe) {
				bad++
				err = nil
				continue
			}
			if err == nil {
				docs++
				spans += st.Len()
			}
		}
		in.close()
		rep.flush()
		if err != io.EOF {
			fmt.Fprintf(stderr, "factmark validate: %v\n", err)
			bad++
		}
		if bad > 0 {
			status = 1
			fmt.Fprintf(stderr, "factmark validate: %s (%s): invalid: %s with errors, %s valid\n", displayName(name), in.codec.ID, plural(bad, "document"), plural(docs, "document"))
			continue
		}
		note := ""
		if warnings > 0 {
			note = fmt.Sprintf(" (%s)", plural(warnings, "warning"))
		}
		fmt.Fprintf(stdout, "%s: valid %s: %s, %s%s\n", displayName(name), in.codec.ID, plural(docs, "document"), plural(spans, "annotation"), note)
	}
	return status
}

// docStats are the counts of one document.
type docStats struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Annotations int            `json:"annotations"`
	Labels      map[string]int `json:"labels"`
	Verdicts    map[string]int `json:"verdicts,omitempty"`
}

const noVerdict = "(no verdict)"

func statsOf(st *annotate.State) docStats {
	d := docStats{ID: st.Doc.ID, Title: st.Doc.Title, Annotations: st.Len(), Labels: map[string]int{}}
	for _, a := range st.Annotations() {
		d.Labels[a.Label]++
		if l, ok := st.Schema.Label(a.Label); ok && l.Kind == annotate.KindClaim {
			v := noVerdict
			if a.Claim != nil && strings.TrimSpace(a.Claim.Verdict) != "" {
				v = strings.TrimSpace(a.Claim.Verdict)
			}
			if d.Verdicts == nil {
				d.Verdicts = map[string]int{}
			}
			d.Verdicts[v]++
		}
	}
	return d
}

func sortedKeys(m map[string]int, order []string) []string {
	var keys []string
	seen := map[string]bool{}
	for _, k := range order {
		if _, ok := m[k]; ok && !seen[k] {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}

func cmdStats(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("factmark stats", flag.ContinueOnError)
	imp := addImportFlags(fs, "format", "`format` of the files (default: found from content and extension)")
	asJSON := fs.Bool("json", false, "print JSON: {\"documents\": [...], \"labels\": {...}, \"verdicts\": {...}, \"totals\": {...}}")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: factmark stats [--json] [--format FORMAT] FILE...

Counts documents and annotations: per label, per document, and claims by
verdict. Reads any format that imports (a Factmark dataset by default) one
document at a time. FILE may be - for standard input.

Examples:
  factmark stats dataset.jsonl
  factmark stats --json export.json | jq .labels

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, stop := parseArgs(fs, args, stdout, stderr)
	if stop {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "factmark stats: want at least one FILE")
		fs.Usage()
		return 2
	}
	opts, err := imp.options()
	if err != nil {
		fmt.Fprintf(stderr, "factmark stats: %v\n", err)
		return 2
	}
	rep := &reporter{w: stderr, prefix: "factmark stats: "}
	bw := bufio.NewWriter(stdout)
	defer bw.Flush()
	labels, verdicts := map[string]int{}, map[string]int{}
	names := map[string]string{}
	var order []string
	docs, spans, failed := 0, 0, 0
	if *asJSON {
		bw.WriteString("{\"documents\": [")
	} else {
		fmt.Fprintf(bw, "%-28s %6s  %s\n", "document", "spans", "per label")
	}
	status := 0
	for _, name := range pos {
		in, err := openInput(name, *imp.format)
		if err != nil {
			fmt.Fprintf(stderr, "factmark stats: %v\n", err)
			status = 1
			continue
		}
		dec, err := in.decoder(opts)
		for err == nil {
			var st *annotate.State
			var problems []annotate.Problem
			st, problems, err = dec.Next()
			rep.problems(problems, opts.Lenient)
			var pe *annotate.ProblemsError
			if errors.As(err, &pe) {
				failed++
				err = nil
				continue
			}
			if err != nil {
				break
			}
			d := statsOf(st)
			for _, l := range st.Schema.Labels {
				if _, ok := names[l.ID]; !ok {
					names[l.ID] = l.Name
					order = append(order, l.ID)
				}
			}
			for k, n := range d.Labels {
				labels[k] += n
			}
			for k, n := range d.Verdicts {
				verdicts[k] += n
			}
			if *asJSON {
				if docs > 0 {
					bw.WriteString(",")
				}
				bw.WriteString("\n  ")
				b, _ := json.Marshal(d)
				bw.Write(b)
			} else {
				var parts []string
				for _, k := range sortedKeys(d.Labels, order) {
					parts = append(parts, fmt.Sprintf("%s %d", k, d.Labels[k]))
				}
				id := d.ID
				if len([]rune(id)) > 28 {
					id = string([]rune(id)[:27]) + "…"
				}
				fmt.Fprintf(bw, "%-28s %6d  %s\n", id, d.Annotations, strings.Join(parts, ", "))
			}
			docs++
			spans += d.Annotations
		}
		in.close()
		if err != io.EOF {
			fmt.Fprintf(stderr, "factmark stats: %v\n", err)
			status = 1
		}
	}
	rep.flush()
	if failed > 0 {
		status = 1
		fmt.Fprintf(stderr, "factmark stats: %s could not be read (errors above) and are not counted\n", plural(failed, "document"))
	}
	if *asJSON {
		type labelCount struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		}
		lc := map[string]labelCount{}
		for k, n := range labels {
			lc[k] = labelCount{Name: names[k], Count: n}
		}
		tail := map[string]any{"labels": lc, "verdicts": verdicts, "totals": map[string]int{"documents": docs, "annotations": spans, "failed": failed}}
		b, _ := json.MarshalIndent(tail, "", "  ")
		if docs > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("],\n ")
		bw.Write(b[1:])
		bw.WriteString("\n")
		return status
	}
	fmt.Fprintf(bw, "\n%s, %s\n", plural(docs, "document"), plural(spans, "annotation"))
	if len(labels) > 0 {
		fmt.Fprintf(bw, "\nper label:\n")
		for _, k := range sortedKeys(labels, order) {
			fmt.Fprintf(bw, "  %-20s %-22s %7d\n", k, names[k], labels[k])
		}
	}
	if len(verdicts) > 0 {
		fmt.Fprintf(bw, "\nclaims by verdict:\n")
		for _, k := range sortedKeys(verdicts, nil) {
			fmt.Fprintf(bw, "  %-43s %7d\n", k, verdicts[k])
		}
	}
	return status
}

// utf8Companion opens a companion file (a brat .txt) with open, read as
// UTF-8 like the main file (converted from UTF-16/32, refused where it is
// not UTF-8).
func utf8Companion(name string, open func(string) (io.ReadCloser, error)) (io.ReadCloser, error) {
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	r, _, err := annotate.EncodingReader(name, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{r, f}, nil
}
