package main

// Opening articles and annotation files: the Open control (several files at
// once), a drop on the window, and the Paste text dialog all end in
// openFiles, which decides per file what it is:
//
//   - an article (.txt, .md, .html and what annotate.DetectArticleFormat
//     recognises): plain UTF-8 text is imported here with annotate.FromText;
//     Markdown, HTML and text in another encoding go to importArticle
//     (worker*.go), which runs annotate.ImportFile away from the UI (in the
//     browser in a Web Worker with its own wasm). The HTML is never rendered
//     or run: only the text the importer extracts is shown.
//   - an annotation file (Factmark's own .factmark.json or dataset .jsonl,
//     W3C Web Annotation, Label Studio, doccano, spaCy/Prodigy, brat .ann with
//     its .txt, or a brat zip): annotate.DetectCodec and annotate.Import, run
//     by the worker (codecJob, codecwork.ImportGroup), which answers with the
//     documents in Factmark's native encoding, the problems, and the imports
//     the problem list offers. A W3C file alone is matched against the open
//     document there too (importW3C).
//
// Every problem an import finds is listed (which span, what the file says
// and what the text holds); a strict import that finds span problems opens
// nothing, and the list offers to import again without those spans. A file
// that fails leaves the open document exactly as it was. One document is
// opened; several (a dataset, several files) go into the library and the
// first is opened. The status line says what the import normalized.

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"factmark/annotate"
	"factmark/app/codecwork"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// maxAnnotationBytes bounds the annotation files the app reads (articles are
// bounded by annotate.MaxImportSize).
const maxAnnotationBytes = 64 << 20

// openAccept is what the Open control offers.
const openAccept = ".txt,.text,.md,.markdown,.html,.htm,.xhtml,.json,.jsonl,.ann,.zip," +
	"text/plain,text/markdown,text/html,application/json,application/zip"

// inFile is a file the user picked, dropped or pasted.
type inFile struct {
	Name string
	Data []byte
}

// openState is the state of the open dialogs (a field of the Shell).
type openState struct {
	// paste is true while the Paste text dialog is shown.
	paste bool
	// report lists the problems of the last import; nil when none is shown.
	report *importReport
	// busy says what is being opened ("" when nothing).
	busy string
}

// importReport is the problem list of an import.
type importReport struct {
	Title    string
	Intro    string
	Problems []annotate.Problem
	// retry imports again leaving out the spans with problems; nil when
	// that would not help.
	retry func(ctx app.Context)
	// altRetry imports again reading the offsets in another unit (altText
	// says which); nil when that would not help.
	altRetry func(ctx app.Context)
	altText  string
	// labelRetry imports again adding the labels the schema lacks; nil
	// when that would not help.
	labelRetry func(ctx app.Context)
	// seq tells reports apart (the scope of their buttons' handlers: go-app
	// keeps a handler whose code is the same, with what it captured).
	seq int
}

// reportSeq numbers import reports.
var reportSeq int

// checkOpenSize refuses a file too large to open, before it is read: an
// article over annotate.MaxImportSize, any other file over maxAnnotationBytes.
func checkOpenSize(name string, size int64) error {
	if isArticleName(name) {
		return annotate.CheckImportSize(name, size)
	}
	if size > maxAnnotationBytes {
		return fmt.Errorf("%s: the file is %.1f MB, more than the %d MB Factmark opens", name, float64(size)/(1<<20), maxAnnotationBytes>>20)
	}
	return nil
}

// isArticleName reports whether a file name is an article's by its
// extension.
func isArticleName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".html", ".htm", ".xhtml", ".shtml":
		return !strings.HasSuffix(strings.ToLower(name), ".conll.txt")
	}
	return false
}

// opened is what an import gave.
type opened struct {
	what     string // the file name(s), for messages
	states   []*annotate.State
	article  bool // imported text: an article already in the library is opened instead
	problems []annotate.Problem
	err      error
	// lenient imports again without the spans that have problems.
	lenient func() opened
	// alt is the import with offsets read in altUnit instead of the
	// format's unit, when that makes every span match its text (a tool
	// that wrote JavaScript string indices where code points belong).
	alt     func() opened
	altUnit annotate.Unit
	// addLabels is the import with the labels the schema lacks added as
	// new labels, when that makes it succeed.
	addLabels func() opened
}

// unitWords names a unit for a button.
func unitWords(u annotate.Unit) string { return codecwork.UnitWords(u) }

// openFiles opens files the user picked or dropped. With addOnly (the
// library's Import) every document goes into the library and the open one
// stays.
func (sh *Shell) openFiles(ctx app.Context, files []inFile, addOnly bool) {
	if len(files) == 0 {
		return
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	what := strings.Join(names, ", ")
	if err := sh.s.saver.editable(); err != nil {
		sh.report(fmt.Errorf("cannot open %s: %w", what, err))
		return
	}
	// W3C Web Annotations carry no text: on their own they annotate the
	// open document (with a .txt beside them they import as a document).
	// The worker, which knows the formats, says whether a file is one; when
	// it is not, its answer is the file's import.
	if len(files) == 1 && !addOnly && !isArticleName(files[0].Name) {
		f := files[0]
		if res, ok := nativeFile(f); ok {
			sh.finishOpen(ctx, []opened{res}, addOnly)
			return
		}
		sh.op.busy = "Opening " + what + "…"
		req := &codecwork.Request{Op: codecwork.OpImport, W3CAlone: true, Files: []codecwork.File{{Name: f.Name, Data: f.Data}}}
		codecJob(req, func(r *codecwork.Response) {
			sh.ctx.Dispatch(func(ctx app.Context) {
				if r.W3C {
					sh.op.busy = ""
					sh.importW3C(f)
					return
				}
				sh.openGroups(ctx, what, [][]inFile{files}, addOnly, r)
			})
		})
		return
	}
	// A brat pair or zip is one import; everything else is one per file.
	var groups [][]inFile
	var brat []inFile
	for _, f := range files {
		lower := strings.ToLower(f.Name)
		if strings.HasSuffix(lower, ".ann") || strings.HasSuffix(lower, ".zip") {
			brat = append(brat, f)
		}
	}
	if len(brat) > 0 {
		groups = [][]inFile{files}
	} else {
		for _, f := range files {
			groups = append(groups, []inFile{f})
		}
	}
	sh.openGroups(ctx, what, groups, addOnly, nil)
}

// openGroups imports each group (one file, or a brat pair) and shows what
// they gave when the last is done: articles here or through importArticle,
// annotation files in the worker (codecJob). answered is the worker's
// answer to the import of the only group, when it has already given one.
func (sh *Shell) openGroups(ctx app.Context, what string, groups [][]inFile, addOnly bool, answered *codecwork.Response) {
	sh.op.busy = "Opening " + what + "…"
	results := make([]opened, len(groups))
	left := len(groups)
	finish := func(ctx app.Context) {
		sh.op.busy = ""
		sh.finishOpen(ctx, results, addOnly)
	}
	for i, g := range groups {
		i := i
		if article, ok := articleFile(g); ok && unknownType(article.Name) == nil && needsImporter(article) {
			importArticle(article.Name, article.Data, func(doc *annotate.Document, err error) {
				sh.ctx.Dispatch(func(ctx app.Context) {
					results[i] = articleResult(article.Name, doc, err)
					if left--; left == 0 {
						finish(ctx)
					}
				})
			})
			continue
		}
		if res, ok := localGroup(g); ok {
			results[i] = res
		} else if answered != nil {
			results[i] = openedFrom(groupWhat(g), answered)
		} else {
			codecJob(importRequest(g), func(r *codecwork.Response) {
				sh.ctx.Dispatch(func(ctx app.Context) {
					results[i] = openedFrom(groupWhat(g), r)
					if left--; left == 0 {
						finish(ctx)
					}
				})
			})
			continue
		}
		if left--; left == 0 {
			finish(ctx)
		}
	}
}

// articleFile returns the group's file when it is one article.
func articleFile(g []inFile) (inFile, bool) {
	if len(g) != 1 {
		return inFile{}, false
	}
	head := g[0].Data[:min(len(g[0].Data), 4096)]
	if _, err := annotate.DetectArticleFormat(g[0].Name, head); err != nil {
		return inFile{}, false
	}
	return g[0], true
}

// needsImporter reports whether an article needs annotate.ImportFile
// (Markdown, HTML, another encoding than UTF-8) rather than FromText.
func needsImporter(f inFile) bool {
	head := f.Data[:min(len(f.Data), 4096)]
	format, err := annotate.DetectArticleFormat(f.Name, head)
	if err != nil || format != annotate.ArticleText {
		return true
	}
	return !utf8.Valid(f.Data) || bytes.IndexByte(f.Data, 0) >= 0
}

// knownExts are the file name endings Factmark opens; a file without an
// extension is opened by its content.
var knownExts = []string{".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".mkdn",
	".html", ".htm", ".xhtml", ".shtml", ".json", ".jsonl", ".ann", ".zip"}

// unknownType refuses a file whose extension Factmark does not open.
func unknownType(name string) error {
	ext := strings.ToLower(path.Ext(path.Base(name)))
	if ext == "" {
		return nil
	}
	for _, k := range knownExts {
		if ext == k {
			return nil
		}
	}
	return fmt.Errorf("%s: Factmark does not open %s files; it opens articles (.txt, .md, .html) and annotation files (.json, .jsonl, a brat .ann with its .txt, a .zip)", name, ext)
}

// localGroup imports here what needs no worker: a file of a type Factmark
// does not open (the error), an article in UTF-8 plain text. ok is false
// for an annotation file (one file, a brat pair or zip), which the worker
// imports (importRequest, openedFrom).
func localGroup(g []inFile) (res opened, ok bool) {
	for _, f := range g {
		if err := unknownType(f.Name); err != nil {
			return opened{what: f.Name, err: err}, true
		}
	}
	if len(g) == 1 {
		if res, ok := nativeFile(g[0]); ok {
			return res, true
		}
	}
	if f, ok := articleFile(g); ok {
		doc, err := annotate.FromText(f.Data, annotate.TextOptions{Source: path.Base(f.Name)})
		return articleResult(f.Name, doc, err), true
	}
	return opened{}, false
}

// groupWhat names a group's files for messages.
func groupWhat(g []inFile) string {
	names := make([]string, len(g))
	for i, f := range g {
		names[i] = f.Name
	}
	return strings.Join(names, " and ")
}

// importRequest is the worker's job of importing an annotation file or a
// brat pair: codecwork.ImportGroup, which detects the format, imports, and
// when a strict import fails on its spans also tries the imports the
// problem list offers (without those spans, with the offsets in the other
// unit, with the missing labels added).
func importRequest(g []inFile) *codecwork.Request {
	req := &codecwork.Request{Op: codecwork.OpImport}
	for _, f := range g {
		req.Files = append(req.Files, codecwork.File{Name: f.Name, Data: f.Data})
	}
	return req
}

// openedFrom turns the worker's answer to an import into an import result;
// the documents are decoded when the result (or the alternative) is taken.
func openedFrom(what string, r *codecwork.Response) opened {
	if r.Error != "" || r.Opened == nil {
		msg := r.Error
		if msg == "" {
			msg = "the import worker gave no answer"
		}
		return opened{what: what, err: errors.New(msg)}
	}
	return openedOf(r.Opened)
}

// openedOf decodes one import result of the worker and its alternatives.
func openedOf(o *codecwork.Opened) opened {
	res := opened{what: o.What, problems: o.Problems}
	if o.Error != "" {
		res.err = errors.New(o.Error)
	} else {
		for _, d := range o.Docs {
			st, err := annotate.Decode(d)
			if err != nil {
				res.states, res.err = nil, fmt.Errorf("%s: the import worker answered with a document that does not decode: %w", o.What, err)
				break
			}
			res.states = append(res.states, st)
		}
	}
	if l := o.Lenient; l != nil {
		res.lenient = func() opened { return openedOf(l) }
	}
	if a := o.Alt; a != nil {
		res.alt, res.altUnit = func() opened { return openedOf(a) }, o.AltUnit
	}
	if a := o.AddLabels; a != nil {
		res.addLabels = func() opened { return openedOf(a) }
	}
	return res
}

// articleResult turns an imported article into an import result.
func articleResult(name string, doc *annotate.Document, err error) opened {
	if err != nil {
		return opened{what: name, err: err}
	}
	if len(doc.Blocks) == 0 {
		return opened{what: name, err: fmt.Errorf("%s: the file has no text", name)}
	}
	if doc.Title == "" {
		doc.Title = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	return opened{what: name, article: true, states: []*annotate.State{annotate.NewState(doc, annotate.DefaultSchema())}}
}

// finishOpen shows what the imports gave: failures and problems in the
// report, the documents in the library, the first one opened.
func (sh *Shell) finishOpen(ctx app.Context, results []opened, addOnly bool) {
	sh.op.report = nil
	var ok []opened
	var failed []string
	var problems []annotate.Problem
	var retry []func() opened
	for _, r := range results {
		problems = append(problems, r.problems...)
		if r.err != nil {
			failed = append(failed, r.err.Error())
			if r.lenient != nil {
				retry = append(retry, r.lenient)
			}
			continue
		}
		ok = append(ok, r)
	}
	if len(failed) > 0 {
		// All or nothing: the open document stays as it was.
		what := results[0].what
		if len(results) > 1 {
			what = fmt.Sprintf("%d files", len(results))
		}
		msg := "Cannot open " + what + ": " + strings.Join(failed, "; ")
		if len(ok) > 0 {
			msg += fmt.Sprintf(". Nothing was opened, not even the %d that imported; fix or leave out the files that failed.", len(ok))
		}
		sh.s.alert = msg
		if len(problems) > 0 {
			rep := &importReport{
				Title:    "Problems in " + what,
				Intro:    "Nothing was opened; the open document is unchanged. Each problem says where it is and, for a span, the text the file gives and the text at its offsets.",
				Problems: problems,
			}
			if len(retry) == len(failed) {
				rep.retry = func(ctx app.Context) {
					rs := make([]opened, len(results))
					copy(rs, results)
					for i, r := range rs {
						if r.lenient != nil {
							rs[i] = r.lenient()
						}
					}
					sh.op.report = nil
					sh.finishOpen(ctx, rs, addOnly)
				}
			}
			if len(results) == 1 && results[0].addLabels != nil {
				r := results[0]
				rep.labelRetry = func(ctx app.Context) {
					sh.op.report = nil
					sh.finishOpen(ctx, []opened{r.addLabels()}, addOnly)
				}
				rep.Intro += " Every span imports when the labels Factmark's schema lacks are added as new labels."
			}
			if len(results) == 1 && results[0].alt != nil {
				r := results[0]
				rep.altText = "Read the offsets as " + unitWords(r.altUnit)
				rep.altRetry = func(ctx app.Context) {
					sh.op.report = nil
					sh.finishOpen(ctx, []opened{r.alt()}, addOnly)
				}
				rep.Intro += " Every span matches its text when the offsets are read as " + unitWords(r.altUnit) + "."
			}
			reportSeq++
			rep.seq = reportSeq
			sh.op.report = rep
		}
		return
	}
	var states []*annotate.State
	article := true
	for _, r := range ok {
		states = append(states, r.states...)
		article = article && r.article
	}
	what := ok[0].what
	if len(ok) > 1 {
		what = fmt.Sprintf("%d files", len(ok))
	}
	if len(problems) > 0 {
		reportSeq++
		sh.op.report = &importReport{
			Title:    "Imported " + what + " with remarks",
			Intro:    "These items were not taken as they were:",
			Problems: problems,
			seq:      reportSeq,
		}
	}
	sh.lib.place(sh, ctx, what, states, article, addOnly)
}

// normalizationNotes describes what the imports of docs normalized, each
// step once.
func normalizationNotes(states []*annotate.State) string {
	seen := map[string]bool{}
	var notes []string
	for _, st := range states {
		for _, step := range st.Doc.Normalization {
			if !seen[step] {
				seen[step] = true
				notes = append(notes, annotate.NormalizationNote(step))
			}
		}
	}
	if len(notes) == 0 {
		return "Nothing needed normalizing."
	}
	return strings.Join(notes, " ")
}

// openedMessage is the status line after opening st from what.
func openedMessage(what string, st *annotate.State) string {
	n := st.Len()
	ann := fmt.Sprintf("%d annotations", n)
	if n == 1 {
		ann = "1 annotation"
	}
	return fmt.Sprintf("Opened %s: “%s”, %d blocks, %s. %s", what, st.Doc.Title, len(st.Doc.Blocks), ann, normalizationNotes([]*annotate.State{st}))
}

// onOpenPicked reads the files chosen in a file input (id) and opens them.
func (sh *Shell) onOpenPicked(id string, addOnly bool) {
	glueReadFiles(id, func(files []inFile, err error) {
		sh.ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				sh.report(err)
				return
			}
			sh.openFiles(ctx, files, addOnly)
		})
	})
}

// onDrop opens files dropped on the window (called by the glue).
func (sh *Shell) onDrop(files []inFile, err error) {
	sh.ctx.Dispatch(func(ctx app.Context) {
		if err != nil {
			sh.report(err)
			return
		}
		sh.openFiles(ctx, files, false)
	})
}

// showPaste opens the Paste text dialog.
func (sh *Shell) showPaste(ctx app.Context) {
	sh.op.paste = true
	ctx.Defer(func(app.Context) { glueFocusID("paste-text") })
}

// closeDialogs closes the open dialogs and reports whether one was open.
func (sh *Shell) closeOpenDialogs(ctx app.Context) bool {
	was := sh.op.paste || sh.op.report != nil
	if sh.op.paste {
		ctx.Defer(func(app.Context) { glueFocusID("paste-button") })
	}
	sh.op.paste = false
	sh.op.report = nil
	return was
}

// submitPaste opens the pasted text as a new document.
func (sh *Shell) submitPaste(ctx app.Context) {
	text := glueValue("paste-text")
	title := strings.TrimSpace(glueValue("paste-title"))
	if strings.TrimSpace(text) == "" {
		sh.s.alert = "Paste or type some text first."
		return
	}
	doc, err := annotate.FromText([]byte(text), annotate.TextOptions{Title: title, Source: "pasted text"})
	res := articleResult("the pasted text", doc, err)
	if res.err != nil {
		sh.s.alert = upperFirst("cannot open " + res.err.Error())
		return
	}
	sh.op.paste = false
	sh.finishOpen(ctx, []opened{res}, false)
}

// renderOpenTools is the Open control, the Paste text button and the
// Library button of the toolbar.
func (sh *Shell) renderOpenTools() app.UI {
	return app.Div().Class("open-tools").Body(
		app.Input().Type("file").ID("open-file").Class("file-input").Multiple(true).
			Accept(openAccept).
			// The file picker takes the user a moment: time for the worker,
			// which imports annotation files, to start.
			OnClick(func(ctx app.Context, e app.Event) { warmWorker() }).
			OnChange(func(ctx app.Context, e app.Event) { sh.onOpenPicked("open-file", false) }),
		app.Label().For("open-file").Class("btn").
			Title("Open articles (.txt, .md, .html) or annotation files (Factmark, W3C, Label Studio, doccano, spaCy, brat .ann with its .txt or a zip); or drop them on the window").
			Text("Open…"),
		app.Button().Type("button").Class("btn").ID("paste-button").
			Title("Paste text as a new document (Alt+P)").Aria("keyshortcuts", "Alt+P").
			Text("Paste text").OnClick(func(ctx app.Context, e app.Event) { sh.showPaste(ctx) }),
		app.Button().Type("button").Class("btn").ID("library-button").
			Title("Every document stored in this browser (Alt+L)").Aria("keyshortcuts", "Alt+L").
			Text("Library").OnClick(func(ctx app.Context, e app.Event) { sh.toggleLibrary(ctx) }),
		&dropZone{sh: sh},
	)
}

// renderOpenDialogs draws the Paste text dialog, the problem list and the
// busy line.
func (sh *Shell) renderOpenDialogs() app.UI {
	var out []app.UI
	if sh.op.busy != "" {
		out = append(out, app.P().Class("open-busy").Role("status").Text(sh.op.busy))
	}
	if sh.op.paste {
		out = append(out, app.Div().Class("dialog-backdrop").Body(
			app.Div().Class("dialog").ID("paste-dialog").Role("dialog").Aria("modal", "true").
				Aria("labelledby", "paste-heading").
				OnKeyDown(sh.dialogKeys).
				Body(
					app.H2().ID("paste-heading").Text("Paste text"),
					app.P().Class("dialog-note").Text("The text becomes a new document in the library. Blank lines separate paragraphs; a short first line is the title."),
					app.Label().For("paste-title").Text("Title (optional)"),
					app.Input().Type("text").ID("paste-title").Class("field").AutoComplete(false),
					app.Label().For("paste-text").Text("Text"),
					app.Textarea().ID("paste-text").Class("field paste-text").Rows(12),
					app.Div().Class("dialog-buttons").Body(
						app.Button().Type("button").Class("btn btn-primary").ID("paste-open").
							Title("Open the text (Ctrl+Enter)").Text("Open").
							OnClick(func(ctx app.Context, e app.Event) { sh.submitPaste(ctx) }),
						app.Button().Type("button").Class("btn").Text("Cancel").
							OnClick(func(ctx app.Context, e app.Event) { sh.closeOpenDialogs(ctx) }),
					),
				),
		))
	}
	if r := sh.op.report; r != nil {
		var items []app.UI
		for _, p := range r.Problems {
			items = append(items, renderProblem(p))
		}
		buttons := []app.UI{}
		if r.altRetry != nil {
			buttons = append(buttons, app.Button().Type("button").Class("btn btn-primary").ID("import-unit").
				Text(r.altText).
				OnClick(func(ctx app.Context, e app.Event) { r.altRetry(ctx) }, app.EventScope(r.seq)))
		}
		if r.labelRetry != nil {
			buttons = append(buttons, app.Button().Type("button").Class("btn btn-primary").ID("import-add-labels").
				Text("Add the missing labels").
				Title("Import again, adding each label the file uses and the schema lacks as a new label").
				OnClick(func(ctx app.Context, e app.Event) { r.labelRetry(ctx) }, app.EventScope(r.seq)))
		}
		if r.retry != nil {
			buttons = append(buttons, app.Button().Type("button").Class("btn").ID("import-lenient").
				Text(fmt.Sprintf("Import without these spans")).
				Title("Import again, leaving out every span listed here").
				OnClick(func(ctx app.Context, e app.Event) { r.retry(ctx) }, app.EventScope(r.seq)))
		}
		buttons = append(buttons, app.Button().Type("button").Class("btn btn-primary").ID("report-close").Text("Close").
			OnClick(func(ctx app.Context, e app.Event) { sh.closeOpenDialogs(ctx) }))
		out = append(out, app.Div().Class("dialog-backdrop").Body(
			app.Div().Class("dialog").ID("import-report").Role("dialog").Aria("modal", "true").
				Aria("labelledby", "report-heading").
				OnKeyDown(sh.dialogKeys).
				Body(
					app.H2().ID("report-heading").Text(r.Title),
					app.P().Class("dialog-note").Text(r.Intro),
					app.Ol().Class("problems").Body(items...),
					app.Div().Class("dialog-buttons").Body(buttons...),
				),
		))
	}
	return app.Div().Class("open-dialogs").Body(out...)
}

// dialogKeys: Escape closes a dialog, Ctrl+Enter opens the pasted text.
func (sh *Shell) dialogKeys(ctx app.Context, e app.Event) {
	switch e.Get("key").String() {
	case "Escape":
		sh.closeOpenDialogs(ctx)
	case "Enter":
		if sh.op.paste && (e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()) {
			sh.submitPaste(ctx)
		}
	}
}

// renderProblem is one problem: where, what, and for a span the two texts.
func renderProblem(p annotate.Problem) app.UI {
	var where []string
	if p.File != "" {
		where = append(where, p.File)
	}
	if p.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", p.Line))
	}
	if p.Path != "" {
		where = append(where, p.Path)
	}
	kids := []app.UI{
		app.Span().Class("problem-where").Text(strings.Join(where, ", ")),
		app.Span().Class("problem-reason").Text(upperFirst(p.Reason)),
	}
	if p.Expected != "" || p.Found != "" {
		kids = append(kids, app.Span().Class("problem-texts").Body(
			app.Span().Text("expected "), app.Span().Class("problem-expected").Text("“"+p.Expected+"”"),
			app.Span().Text(", found "), app.Span().Class("problem-found").Text("“"+p.Found+"”"),
		))
	}
	cls := "problem"
	if p.Fatal {
		cls += " problem-fatal"
	}
	return app.Li().Class(cls).Body(kids...)
}

// openKey maps the keys of opening and the library: Alt+L, Alt+P,
// Alt+PageDown, Alt+PageUp (letter is the layout-independent key code).
func openKey(in keyInput, letter string) uiAction {
	if !in.Alt || in.Ctrl || in.Meta || in.Shift {
		return uiAction{}
	}
	switch {
	case letter == "L":
		return uiAction{Kind: cmdLibrary}
	case letter == "P":
		return uiAction{Kind: cmdPaste}
	case in.Key == "PageDown":
		return uiAction{Kind: cmdNextDoc}
	case in.Key == "PageUp":
		return uiAction{Kind: cmdPrevDoc}
	}
	return uiAction{}
}

// runOpen runs the commands of openKey.
func (sh *Shell) runOpen(ctx app.Context, c uiAction) {
	switch c.Kind {
	case cmdLibrary:
		sh.toggleLibrary(ctx)
	case cmdPaste:
		sh.closeOpenDialogs(ctx)
		sh.showPaste(ctx)
	case cmdNextDoc:
		sh.stepDocument(1)
	case cmdPrevDoc:
		sh.stepDocument(-1)
	}
}

// closeDialogs closes the open dialogs and the library (Escape) and reports
// whether one was open.
func (sh *Shell) closeDialogs(ctx app.Context) bool {
	if sh.closeOpenDialogs(ctx) {
		return true
	}
	if sh.lib.open {
		if sh.lib.renaming != "" {
			sh.lib.renaming = ""
			return true
		}
		sh.closeLibrary(ctx)
		return true
	}
	return false
}

// dropZone makes the window a drop target for files while it is mounted.
type dropZone struct {
	app.Compo
	sh *Shell
}

func (d *dropZone) OnMount(app.Context) {
	glueInstallDrop(d.sh.onDrop)
	warmOnDrag()
}
func (d *dropZone) OnDismount() { glueUninstallDrop() }
func (d *dropZone) Render() app.UI {
	return app.Div().Class("drop-hint").Aria("hidden", "true").Text("Drop files to open them")
}

// modalOpen reports whether a dialog of opening or the library is shown:
// the rest of the page is then inert (out of reach of Tab and clicks).
func (sh *Shell) modalOpen() bool {
	return sh.op.paste || sh.op.report != nil || sh.lib.open || sh.ex.pending != nil
}

// inertAttr is the value of the inert attribute of the page behind a
// dialog: "" (no attribute) when none is open.
func (sh *Shell) inertAttr() string {
	if sh.modalOpen() {
		return "inert"
	}
	return ""
}

// importW3C adds the W3C Web Annotations of f to the open document as one
// edit (one undo step). The worker matches them against a copy of the
// document; annotations whose positions do not select their quote are
// listed, and the import can be repeated without them; nothing is added
// until the user says so.
func (sh *Shell) importW3C(f inFile) {
	st := sh.s.state
	title, id := st.Doc.Title, st.Doc.ID
	fail := func(err error) {
		sh.s.alert = upperFirst(fmt.Sprintf("cannot add the annotations of %s to “%s”: %v", f.Name, title, err))
	}
	doc, err := annotate.Encode(st)
	if err != nil {
		fail(err)
		return
	}
	sh.op.busy = "Adding the annotations of " + f.Name + " to “" + title + "”…"
	req := &codecwork.Request{Op: codecwork.OpW3C, Docs: [][]byte{doc}, Files: []codecwork.File{{Name: f.Name, Data: f.Data}}}
	codecJob(req, func(r *codecwork.Response) {
		sh.ctx.Dispatch(func(ctx app.Context) {
			sh.op.busy = ""
			w := r.W3CImport
			switch {
			case r.Error != "":
				fail(errors.New(r.Error))
			case w == nil:
				fail(errors.New("the import worker gave no answer"))
			case sh.s.state.Doc.ID != id:
				fail(errors.New("another document was opened meanwhile; open it again and repeat"))
			case w.Error != "":
				fail(errors.New(w.Error))
				if len(w.Problems) > 0 {
					reportSeq++
					rep := &importReport{
						Title:    "Problems in " + f.Name,
						Intro:    "Nothing was added; the open document is unchanged. W3C annotations carry no text: they are matched against the open document. Each problem says where it is and, for a span, the text the file gives and the text at its offsets.",
						Problems: w.Problems,
						seq:      reportSeq,
					}
					if lax := w.Lenient; lax != nil {
						rep.retry = func(ctx app.Context) {
							sh.op.report = nil
							sh.addW3C(f.Name, &annotate.W3CImport{Annotations: lax.Annotations, Notices: lax.Notices})
						}
					}
					sh.op.report = rep
				}
			default:
				sh.addW3C(f.Name, &annotate.W3CImport{Annotations: w.Import.Annotations, Notices: w.Import.Notices})
			}
		})
	})
}

// addW3C applies an imported set of W3C annotations to the open document.
func (sh *Shell) addW3C(name string, imp *annotate.W3CImport) {
	sh.op.report = nil
	title := sh.s.state.Doc.Title
	if len(imp.Notices) > 0 {
		reportSeq++
		sh.op.report = &importReport{
			Title:    "Imported " + name + " with remarks",
			Intro:    "These items were not taken as they were:",
			Problems: imp.Notices,
			seq:      reportSeq,
		}
	}
	if len(imp.Annotations) == 0 {
		sh.s.alert = ""
		sh.s.message = fmt.Sprintf("%s has nothing to add to “%s”: its annotations are already there.", name, title)
		return
	}
	if err := sh.s.apply(imp.Edit()); err != nil {
		sh.s.alert = upperFirst(fmt.Sprintf("cannot add the annotations of %s to “%s”: %v", name, title, err))
		return
	}
	sh.s.alert = ""
	n := len(imp.Annotations)
	what := fmt.Sprintf("%d annotations", n)
	if n == 1 {
		what = "1 annotation"
	}
	sh.s.message = fmt.Sprintf("Added %s from %s to “%s” (W3C Web Annotation, code points). Ctrl+Z takes them out again.", what, name, title)
}
