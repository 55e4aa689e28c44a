package main

import (
	"fmt"
	"strings"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Shell is the root component: it owns the session (document, annotations,
// history) and renders the toolbar, the article, the label picker, the side
// panel and the status line. Every user action ends in one of its methods,
// which change the session through annotate edits and re-render.
type Shell struct {
	app.Compo

	s   *session
	ctx app.Context
	// mounted is true once the browser glue is installed.
	mounted bool
	// panelOpen unfolds the side panel on narrow screens.
	panelOpen bool
	// limits is how many items each label group of the panel shows.
	limits map[string]int
	// moreVer changes when a limit changes (a panel field).
	moreVer int
	// panel is what the side panel shows; it catches up with the session
	// after the frame showing a change is painted (syncPanel).
	panel        panelShown
	panelPending bool
	// cl is the span details panel's form state (ui_claim.go); ex the
	// Export menu's (ui_export.go).
	cl claimForm
	ex exportUI
	// op is the state of the open dialogs (ui_open.go); lib the library's
	// (ui_library.go).
	op  openState
	lib libraryUI
}

// OnInit opens the seed article. It runs natively too (pre-rendering).
func (sh *Shell) OnInit() {
	startupMark("init")
	if sh.s != nil {
		return
	}
	defer sh.restoreSaved() // autosave: the saved work replaces the seed
	doc, err := seedDocument()
	if err != nil {
		doc, _ = annotate.FromText([]byte("Factmark\n"), annotate.TextOptions{})
		sh.s = newSession(doc)
		sh.s.alert = "The sample article could not be loaded: " + err.Error()
		return
	}
	sh.s = newSession(doc)
	sh.s.message = "Select text and press 1–4 (or pick a label) to tag it."
}

// OnMount installs the browser glue (selection, keyboard, focus).
func (sh *Shell) OnMount(ctx app.Context) {
	startupMark("mounted")
	sh.ctx = ctx
	if !sh.mounted {
		sh.mounted = true
		glueInstall(sh)
		glueToolsInstall() // find, label all, suggestions (find_glue_wasm.go)
	}
}

// OnDismount removes the browser glue.
func (sh *Shell) OnDismount() {
	if sh.mounted {
		sh.mounted = false
		glueUninstall()
	}
}

// report shows err (role=alert) or clears the previous alert.
func (sh *Shell) report(err error) {
	if err != nil {
		sh.s.alert = upperFirst(err.Error())
		return
	}
	sh.s.alert = ""
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// run executes a keyboard (or picker, toolbar) command.
func (sh *Shell) run(ctx app.Context, c uiAction) {
	s := sh.s
	before := s.selected
	var err error
	switch c.Kind {
	case cmdTag:
		err = s.tag(c.Label, c.Precise)
	case cmdRemove:
		if a, ok := s.state.Annotation(s.selected); ok {
			err = s.remove()
			if err == nil {
				sh.placeCaret(ctx, a.Start)
			}
		}
	case cmdEscape:
		if sh.closeOverlays(ctx) || sh.closeDialogs(ctx) {
			return
		}
		s.escape()
		sh.panelOpen = false
		glueClearSelection()
	case cmdUndo:
		err = s.undoCmd()
	case cmdRedo:
		err = s.redoCmd()
	case cmdResize:
		err = s.resize(c.Edge, c.Grow)
	case cmdLibrary, cmdPaste, cmdNextDoc, cmdPrevDoc:
		sh.runOpen(ctx, c)
	default:
		ctx.PreventUpdate()
		return
	}
	sh.report(err)
	if s.selected != "" && (c.Kind != cmdEscape) {
		sh.focusSelected(ctx, s.selected != before)
	}
}

// focusSelected moves the keyboard focus to the selected span once it is
// rendered (its element may have been replaced) and collapses the DOM
// selection so that keys act on the span.
func (sh *Shell) focusSelected(ctx app.Context, scroll bool) {
	id := sh.s.selected
	ctx.Defer(func(app.Context) { glueFocusSpan(id, scroll) })
}

// placeCaret puts the caret at code point cp in the article and focuses it.
func (sh *Shell) placeCaret(ctx app.Context, cp int) {
	if p, ok := sh.s.caretPoint(cp); ok {
		ctx.Defer(func(app.Context) { glueCaretAt(p) })
	}
}

// onSelection is called by the glue when the DOM selection changed: a and b
// are its ends. A collapsed selection drops the pending one.
func (sh *Shell) onSelection(ctx app.Context, a, b domPoint, collapsed, precise bool, x, y float64) {
	if !sh.applySelection(ctx, a, b, collapsed, precise, x, y) {
		ctx.PreventUpdate()
	}
}

// applySelection records the DOM selection as the pending one and reports
// whether anything changed.
func (sh *Shell) applySelection(ctx app.Context, a, b domPoint, collapsed, precise bool, x, y float64) bool {
	s := sh.s
	if collapsed {
		if s.pending.Len() == 0 {
			return false
		}
		s.pending = annotate.Range{}
		return true
	}
	r, err := s.rangeFromDOM(a, b)
	if err != nil || r.Len() == 0 {
		return false
	}
	if r == s.pending && precise == s.precise && x == s.pickerX && y == s.pickerY {
		return false
	}
	s.setPending(r, precise, x, y)
	ctx.Defer(func(app.Context) { gluePlacePicker(x, y) })
	return true
}

// onMarkClick is called when a mark is clicked without a text selection.
// chain lists the ids of the marks under the pointer, innermost first; a
// click on the selected span selects the one around it.
func (sh *Shell) onMarkClick(ctx app.Context, chain []string) {
	if len(chain) == 0 {
		return
	}
	s := sh.s
	id := chain[0]
	for i, c := range chain {
		if c == s.selected {
			id = chain[(i+1)%len(chain)]
			break
		}
	}
	sh.choose(ctx, id, false)
}

// onMarkFocus selects a span that received the keyboard focus.
func (sh *Shell) onMarkFocus(ctx app.Context, id string) {
	if sh.s.selected == id {
		ctx.PreventUpdate()
		return
	}
	sh.s.selectSpan(id)
	sh.describeSelected()
	ctx.Defer(func(app.Context) { glueCollapseIntoSpan(id) })
}

// choose selects a span and focuses it (scrolling it into view when asked).
func (sh *Shell) choose(ctx app.Context, id string, scroll bool) {
	sh.s.selectSpan(id)
	sh.describeSelected()
	ctx.Defer(func(app.Context) { glueFocusSpan(id, scroll) })
}

// describeSelected sets the message to what the selected span is.
func (sh *Shell) describeSelected() {
	s := sh.s
	if a, ok := s.state.Annotation(s.selected); ok {
		s.message = fmt.Sprintf("Selected %s %s. 1–4 relabel, Enter edits its details, Delete removes, Shift+Alt+arrows resize, Escape deselects.", s.label(a.Label).Name, s.quote(a.Range()))
	}
}

// Render draws the whole app.
func (sh *Shell) Render() app.UI {
	startupMark("render")
	s := sh.s
	glueNote(s)
	sh.syncTools()
	doc := s.doc()
	rows, entities, claims := s.counts()
	sh.syncPanel()
	return app.Div().Class("shell").Body(
		app.A().Class("skip").Href("#article").Text("Skip to the article"),
		app.A().Class("skip").Href("#panel").Text("Skip to the annotation list"),
		sh.renderTopbar(s.state.Len()),
		s.saver.noticeUI(),
		sh.renderExportWarning(),
		app.If(s.alert != "", func() app.UI {
			return app.Div().Class("alert").Role("alert").Body(
				app.Span().Class("alert-text").Text(s.alert),
				app.Button().Type("button").Class("btn btn-quiet").Text("Dismiss").
					OnClick(func(ctx app.Context, e app.Event) { s.alert = "" }),
			)
		}),
		app.Div().Class(layoutClass(sh.panelOpen)).Attr("inert", sh.inertAttr()).Body(
			app.Main().Class("reader").ID("reader").Body(
				sh.renderFindBar(),
				sh.renderSuggestBar(),
				articleHelp(),
				sh.renderArticle(doc),
				sh.renderPicker(),
				app.Div().ID("caret").Class("caret").Aria("hidden", "true"),
			),
			app.Div().Class("side").Body(
				sh.renderDetails(),
				&panelView{
					Rev:  sh.panel.Rev,
					Gen:  sh.panel.Gen,
					Sel:  sh.panel.Sel,
					More: sh.moreVer,
					sh:   sh,
				},
			),
		),
		sh.renderReview(),
		sh.renderOpenDialogs(),
		sh.renderLibrary(),
		app.Footer().Class("status").Body(
			app.P().Class("status-msg").Role("status").Text(s.message),
			app.P().Class("status-counts").Body(sh.renderCounts(rows, entities, claims)...),
		),
	)
}

func layoutClass(open bool) string {
	if open {
		return "layout panel-open"
	}
	return "layout"
}

func (sh *Shell) renderTopbar(n int) app.UI {
	s := sh.s
	undo := app.Button().Type("button").Class("btn").Title("Undo (Ctrl+Z)").Aria("keyshortcuts", "Control+Z").
		Text("Undo").OnClick(func(ctx app.Context, e app.Event) { sh.run(ctx, uiAction{Kind: cmdUndo}) })
	if !s.history.CanUndo() {
		undo = undo.Disabled(true)
	}
	redo := app.Button().Type("button").Class("btn").Title("Redo (Ctrl+Shift+Z or Ctrl+Y)").Aria("keyshortcuts", "Control+Shift+Z Control+Y").
		Text("Redo").OnClick(func(ctx app.Context, e app.Event) { sh.run(ctx, uiAction{Kind: cmdRedo}) })
	if !s.history.CanRedo() {
		redo = redo.Disabled(true)
	}
	return app.Header().Class("topbar").Attr("inert", sh.inertAttr()).Body(
		app.Div().Class("brand").Body(
			app.Span().Class("brand-mark").Aria("hidden", "true").Text("◆"),
			app.Span().Class("brand-name").Text("Factmark"),
		),
		s.saver.statusUI(),
		app.Div().Class("tools").Role("toolbar").Aria("label", "Document").Body(
			sh.renderOpenTools(),
			sh.renderExport(),
			undo,
			redo,
			sh.renderFindButton(),
			sh.renderSuggestToggle(),
			app.Button().Type("button").Class("btn panel-toggle").
				Aria("expanded", fmt.Sprint(sh.panelOpen)).Aria("controls", "panel").
				Text(fmt.Sprintf("Annotations (%d)", n)).
				OnClick(func(ctx app.Context, e app.Event) {
					sh.panelOpen = !sh.panelOpen
					if sh.panelOpen {
						ctx.Defer(func(app.Context) { glueFocusID("panel") })
					}
				}),
		),
	)
}

func (sh *Shell) renderCounts(rows []labelCount, entities, claims int) []app.UI {
	s := sh.s
	out := []app.UI{app.Span().Textf("Revision %d", s.state.Revision)}
	for _, r := range rows {
		out = append(out, app.Span().Class("count", labelClass(r.Label.ID)).Body(
			app.Span().Class("swatch").Aria("hidden", "true"),
			app.Text(fmt.Sprintf("%s %d", r.Label.Name, r.Count)),
		))
	}
	ew, cw := "entities", "claims"
	if entities == 1 {
		ew = "entity"
	}
	if claims == 1 {
		cw = "claim"
	}
	out = append(out, app.Span().Textf("%d %s, %d %s", entities, ew, claims, cw))
	return out
}

// renderArticle renders the document: one chunk component per chunkSize
// blocks, each rendering one block component per block.
func (sh *Shell) renderArticle(doc *annotate.Document) app.UI {
	s := sh.s
	var kids []app.UI
	hasTitle := false
	for _, b := range doc.Blocks {
		if b.Kind == annotate.BlockTitle {
			hasTitle = true
			break
		}
	}
	if !hasTitle {
		kids = append(kids, app.H1().Class("doc-title").Text(doc.Title))
	}
	for c := range s.chunkVer {
		first := c * chunkSize
		kids = append(kids, &chunkView{
			First: first,
			Last:  min(first+chunkSize, len(doc.Blocks)),
			Ver:   s.chunkVer[c],
			Gen:   s.gen,
			s:     s,
		})
	}
	return app.Article().ID("article").Class("doc").TabIndex(0).
		Aria("label", "Article: "+doc.Title).
		Aria("describedby", "article-help").
		Body(kids...)
}

// articleHelp tells screen-reader users how to select and tag (the
// article's description; outside it, so the article holds only the text).
func articleHelp() app.UI {
	return app.P().ID("article-help").Class("sr-only").Text(
		"Use the arrow keys to move the caret and Shift with the arrow keys to select text, " +
			"then press 1 for Person, 2 for Place, 3 for Figure or 4 for Disputed claim.")
}

// renderPicker draws the label picker beside the pending selection.
func (sh *Shell) renderPicker() app.UI {
	s := sh.s
	if s.pending.Len() <= 0 {
		return app.Div().Class("picker").Hidden(true)
	}
	var buttons []app.UI
	for _, l := range s.schema().Labels {
		id := l.ID
		// The accessible name is the label's name alone: the swatch and the
		// key are hidden from it (the key is announced as a shortcut).
		buttons = append(buttons, app.Button().Type("button").Class("pick", labelClass(l.ID)).
			Aria("keyshortcuts", l.Key).
			Title(fmt.Sprintf("Tag as %s (key %s)", l.Name, l.Key)).
			DataSet("label", l.ID).
			Body(
				app.Span().Class("swatch").Aria("hidden", "true"),
				app.Span().Class("pick-name").Text(l.Name),
				app.Kbd().Aria("hidden", "true").Text(l.Key),
			).
			OnClick(func(ctx app.Context, e app.Event) {
				sh.run(ctx, uiAction{Kind: cmdTag, Label: id, Precise: e.Get("altKey").Bool()})
			}, app.EventScope(id)))
	}
	mode := "snaps to words; hold Alt for precise"
	if s.precise {
		mode = "precise"
	}
	return app.Div().Class("picker").Role("group").Aria("label", "Label the selection").
		Body(
			app.Div().Class("picker-preview").Body(
				app.Span().Class("picker-quote").Text(s.preview()),
				app.Span().Class("picker-mode").Text(mode),
			),
			app.Div().Class("picker-buttons").Body(buttons...),
		)
}
