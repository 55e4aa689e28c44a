package main

import (
	"errors"
	"fmt"
	"strings"

	"factmark/annotate"
	"factmark/app/codecwork"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The Export control: a menu button in the toolbar listing every export
// codec of annotate's built-in table with the unit its offsets count in and
// what it can never carry. Factmark's own format is exported here, at once;
// every other format is built by the worker (codecJob, worker*.go), which
// also says what the export would lose and zips a format's several files
// (brat, Label Studio's config, Hugging Face's labels.json) into one
// download. When the export would lose something, a dialog names it first
// ("Export anyway" / "Cancel").

// exportUI is the state of the control.
type exportUI struct {
	open bool
	// pending is the export waiting for the loss warning's answer.
	pending *pendingExport
	// busy counts the exports the worker is building (aria-busy of the
	// Export button).
	busy int
}

// pendingExport is a built export held back by a loss warning.
type pendingExport struct {
	codec  annotate.CodecInfo
	name   string
	mime   string
	data   []byte
	losses []string
}

// exportCodecs lists the codecs that can export, in the table's order.
func exportCodecs() []annotate.CodecInfo {
	var out []annotate.CodecInfo
	for _, c := range annotate.BuiltinCodecs() {
		if c.Exports {
			out = append(out, c)
		}
	}
	return out
}

// unitOf says what a codec's offsets count, for the menu and messages.
func unitOf(c annotate.CodecInfo) string {
	if c.Offsets != "" {
		return c.Offsets
	}
	if c.Unit != "" {
		return string(c.Unit)
	}
	return "no character offsets"
}

// limitsLine says in the menu what a codec can never carry.
func limitsLine(c annotate.CodecInfo) string {
	l := strings.TrimSuffix(c.Limits, ".")
	if rest, ok := strings.CutPrefix(l, "Nothing: "); ok {
		return "Lossless: " + rest
	}
	return "Limits: " + l
}

// exportAs exports in the codec with id: at once, or after the loss warning.
// Factmark's own format is built here; the others in the worker, whose
// answer exportBuilt takes.
func (sh *Shell) exportAs(ctx app.Context, id string) {
	s := sh.s
	sh.ex.open = false
	c, ok := annotate.BuiltinCodec(id)
	if !ok || !c.Exports {
		sh.report(fmt.Errorf("cannot export: no export format %q", id))
		return
	}
	base := slug(s.state.Doc.Title)
	if c.ID == nativeCodecID {
		name, mime, data, err := nativeExportFile(s.state, base)
		if err != nil {
			sh.report(fmt.Errorf("cannot export as %s: %w", c.Name, err))
			sh.later(func() { glueFocusID("export") })
			return
		}
		sh.download(ctx, &pendingExport{codec: c, name: name, mime: mime, data: data})
		return
	}
	doc, err := annotate.Encode(s.state)
	if err != nil {
		sh.report(fmt.Errorf("cannot export as %s: %w", c.Name, err))
		sh.later(func() { glueFocusID("export") })
		return
	}
	sh.ex.busy++
	prev, busy := s.message, fmt.Sprintf("Exporting as %s…", c.Name)
	s.message = busy
	// The menu closes: the focus goes back to its button while the worker
	// builds the export.
	sh.later(func() { glueFocusID("export") })
	codecJob(&codecwork.Request{Op: codecwork.OpExport, Codec: c.ID, Base: base, Docs: [][]byte{doc}}, func(r *codecwork.Response) {
		sh.ctx.Dispatch(func(ctx app.Context) {
			if s.message == busy {
				s.message = prev
			}
			sh.exportBuilt(ctx, c, r)
		})
	})
}

// exportBuilt takes the worker's answer to an export: the download, or the
// loss warning first, or the error.
func (sh *Shell) exportBuilt(ctx app.Context, c annotate.CodecInfo, r *codecwork.Response) {
	s := sh.s
	sh.ex.busy--
	if r.Error != "" {
		sh.report(errors.New(r.Error))
		sh.later(func() { glueFocusID("export") })
		return
	}
	p := &pendingExport{codec: c, name: r.Name, mime: r.Mime, data: r.Data, losses: r.Losses}
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
	warmIfStaysOpen("export-menu")
	sh.later(func() { glueMenuFocus("export-menu", last) })
}

// renderExport is the toolbar's Export menu button and its menu.
func (sh *Shell) renderExport() app.UI {
	open := sh.ex.open
	// The items exist while the menu is open: the shell renders on every
	// edit, and a closed menu's eleven entries cost a diff each time.
	var items []app.UI
	for _, c := range exportCodecs() {
		if !open {
			break
		}
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
			Aria("busy", fmt.Sprint(sh.ex.busy > 0)).
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
