package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The Export control: a menu button in the toolbar listing every export
// codec of the annotate registry with the unit its offsets count in and what
// it can never carry. Choosing one builds the export in Go; when the codec's
// Losses say the current annotations would lose something, a dialog names it
// first ("Export anyway" / "Cancel"). A format that writes several files
// (brat, Label Studio's config, Hugging Face's labels.json) downloads as one
// zip built here with archive/zip.

// exportUI is the state of the control.
type exportUI struct {
	open bool
	// pending is the export waiting for the loss warning's answer.
	pending *pendingExport
}

// pendingExport is a built export held back by a loss warning.
type pendingExport struct {
	codec  *annotate.Codec
	name   string
	mime   string
	data   []byte
	losses []string
}

// exportCodecs lists the codecs that can export, in the registry's order.
func exportCodecs() []*annotate.Codec {
	var out []*annotate.Codec
	for _, c := range annotate.Codecs() {
		if c.CanExport() {
			out = append(out, c)
		}
	}
	return out
}

// exportFile builds the download for codec c: its one file, or a zip of its
// files named after the document and the codec.
func exportFile(s *annotate.State, c *annotate.Codec) (name, mime string, data []byte, err error) {
	base := slug(s.Doc.Title)
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

// unitOf says what a codec's offsets count, for the menu and messages.
func unitOf(c *annotate.Codec) string {
	if c.Offsets != "" {
		return c.Offsets
	}
	if c.Unit != "" {
		return string(c.Unit)
	}
	return "no character offsets"
}

// limitsLine says in the menu what a codec can never carry.
func limitsLine(c *annotate.Codec) string {
	l := strings.TrimSuffix(c.Limits, ".")
	if rest, ok := strings.CutPrefix(l, "Nothing: "); ok {
		return "Lossless: " + rest
	}
	return "Limits: " + l
}

// exportAs exports in the codec with id: at once, or after the loss warning.
func (sh *Shell) exportAs(ctx app.Context, id string) {
	s := sh.s
	sh.ex.open = false
	c, ok := annotate.LookupCodec(id)
	if !ok || !c.CanExport() {
		sh.report(fmt.Errorf("cannot export: no export format %q", id))
		return
	}
	name, mime, data, err := exportFile(s.state, c)
	if err != nil {
		sh.report(err)
		sh.later(func() { glueFocusID("export") })
		return
	}
	p := &pendingExport{codec: c, name: name, mime: mime, data: data}
	if c.Losses != nil {
		p.losses = c.Losses(s.state)
	}
	if len(p.losses) > 0 {
		sh.ex.pending = p
		s.message = fmt.Sprintf("Exporting as %s would lose something: see the warning.", c.Name)
		sh.later(func() { glueFocusID("export-cancel") })
		return
	}
	sh.download(ctx, p)
}

// download saves a built export and says what was written.
func (sh *Shell) download(ctx app.Context, p *pendingExport) {
	s := sh.s
	sh.ex.pending = nil
	err := glueDownload(p.name, p.mime, p.data)
	sh.report(err)
	if err == nil {
		s.message = fmt.Sprintf("Exported %s as %s (%d annotations; offsets: %s).", p.name, p.codec.Name, s.state.Len(), unitOf(p.codec))
	}
	sh.later(func() { glueFocusID("export") })
}

// toggleExport opens or closes the menu; an opened menu focuses its first
// (or, with last, its last) item.
func (sh *Shell) toggleExport(ctx app.Context, open, last bool) {
	sh.ex.open = open
	if !open {
		return
	}
	sh.later(func() { glueMenuFocus("export-menu", last) })
}

// renderExport is the toolbar's Export menu button and its menu.
func (sh *Shell) renderExport() app.UI {
	open := sh.ex.open
	var items []app.UI
	for _, c := range exportCodecs() {
		id := c.ID
		items = append(items, app.Li().Role("none").Body(
			app.Button().Type("button").Role("menuitem").Class("menu-item").TabIndex(-1).
				DataSet("codec", c.ID).Title(c.Limits).
				Body(
					app.Span().Class("menu-name").Text(c.Name),
					app.Span().Class("menu-unit").Text("Offsets: "+unitOf(c)),
					app.Span().Class("menu-limits").Text(limitsLine(c)),
				).
				OnClick(func(ctx app.Context, e app.Event) { sh.exportAs(ctx, id) }, app.EventScope(id))))
	}
	return app.Div().Class("export-wrap").Body(
		app.Button().Type("button").Class("btn btn-primary").ID("export").
			Title("Download the document and its annotations in a format of your choice").
			Aria("haspopup", "menu").Aria("expanded", fmt.Sprint(open)).Aria("controls", "export-menu").
			Text("Export").
			OnClick(func(ctx app.Context, e app.Event) { sh.toggleExport(ctx, !sh.ex.open, false) }),
		app.Ul().ID("export-menu").Class("menu").Role("menu").Aria("label", "Export as").Hidden(!open).Body(items...),
	)
}

// renderExportWarning is the loss warning of a pending export, or nothing.
func (sh *Shell) renderExportWarning() app.UI {
	p := sh.ex.pending
	if p == nil {
		return nil
	}
	const show = 12
	var lis []app.UI
	for i, l := range p.losses {
		if i == show {
			lis = append(lis, app.Li().Textf("… and %d more.", len(p.losses)-show))
			break
		}
		lis = append(lis, app.Li().Text(upperFirst(l)+"."))
	}
	return app.Div().Class("modal").Body(
		app.Div().ID("export-warning").Class("dialog").Role("alertdialog").Aria("modal", "true").
			Aria("labelledby", "export-warning-head").Aria("describedby", "export-warning-body").Body(
			app.H2().ID("export-warning-head").Class("dialog-head").Textf("Export as %s?", p.codec.Name),
			app.Div().ID("export-warning-body").Body(
				app.P().Textf("%s cannot carry everything in this document. The export would lose (%s):", p.codec.Name, countOf(len(p.losses), "item")),
				app.Ul().Class("loss-list").Body(lis...),
				app.P().Class("dialog-note").Text("For a complete copy, export as Factmark (factmark/v1 JSON)."),
			),
			app.Div().Class("dialog-buttons").Body(
				app.Button().Type("button").ID("export-anyway").Class("btn btn-primary").Text("Export anyway").
					OnClick(func(ctx app.Context, e app.Event) {
						if p := sh.ex.pending; p != nil {
							sh.download(ctx, p)
						}
					}),
				app.Button().Type("button").ID("export-cancel").Class("btn").Text("Cancel").
					OnClick(func(ctx app.Context, e app.Event) { sh.cancelExport(ctx) }),
			),
		),
	)
}

// countOf is "1 item", "3 items".
func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// cancelExport drops a pending export: nothing is downloaded.
func (sh *Shell) cancelExport(ctx app.Context) {
	if p := sh.ex.pending; p != nil {
		sh.s.message = fmt.Sprintf("Export as %s cancelled; nothing was downloaded.", p.codec.Name)
	}
	sh.ex.pending = nil
	sh.later(func() { glueFocusID("export") })
}

// closeOverlays closes the export menu and the loss warning; it reports
// whether one was open (Escape then does nothing else).
func (sh *Shell) closeOverlays(ctx app.Context) bool {
	switch {
	case sh.ex.pending != nil:
		sh.cancelExport(ctx)
		return true
	case sh.ex.open:
		sh.ex.open = false
		sh.later(func() { glueFocusID("export") })
		return true
	}
	return false
}

// glueMenuFocus focuses the first (or last) item of the menu with that id;
// files_wasm.go sets it in the browser, natively it does nothing.
var glueMenuFocus = func(menuID string, last bool) {}

// later runs f after the shell's next update, in the shell's context: the
// element whose event asked for it (a dialog's button) may be gone by then,
// and go-app drops the deferred calls of unmounted elements.
func (sh *Shell) later(f func()) {
	sh.ctx.Defer(func(app.Context) { f() })
}
