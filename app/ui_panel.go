package main

import (
	"fmt"
	"strings"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// panelStep is how many items a label group shows at first and how many more
// each "Show more" adds, so that thousands of spans do not make a list of
// thousands of buttons.
const panelStep = 100

// panelView is the side panel: annotations grouped by label with counts.
// Choosing one (click, or Enter on its button) scrolls to it, selects it and
// focuses it. It re-renders only when its fields change.
type panelView struct {
	app.Compo

	Rev, Gen int
	Sel      string
	More     int

	sh *Shell
}

func (p *panelView) Render() app.UI {
	sh := p.sh
	s := sh.s
	// One pass over the annotations in text order: the count of each label
	// and the items its list shows (not a copy of every annotation).
	limitOf := func(id string) int {
		if n, ok := sh.limits[id]; ok {
			return n
		}
		return panelStep
	}
	// The first items of each label in text order: the walk stops once
	// every list is full, so it costs what the panel shows, not the
	// number of annotations.
	counts := map[string]int{}
	shown := map[string][]annotate.Annotation{}
	missing := 0
	for _, l := range s.schema().Labels {
		counts[l.ID] = s.state.CountLabel(l.ID)
		missing += min(counts[l.ID], limitOf(l.ID))
	}
	for a := range s.state.All() {
		if missing == 0 {
			break
		}
		if len(shown[a.Label]) < min(counts[a.Label], limitOf(a.Label)) {
			shown[a.Label] = append(shown[a.Label], a)
			missing--
		}
	}
	var sections []app.UI
	for _, l := range s.schema().Labels {
		n := counts[l.ID]
		limit := limitOf(l.ID)
		var lis []app.UI
		for _, a := range shown[l.ID] {
			lis = append(lis, p.renderItem(a, l))
		}
		headID := "panel-" + l.ID
		sec := app.Section().Class("group", labelClass(l.ID)).Aria("labelledby", headID).Body(
			app.H2().ID(headID).Class("group-head").Body(
				app.Span().Class("swatch").Aria("hidden", "true"),
				app.Span().Class("group-name").Text(l.Name),
				app.Span().Class("group-count").Aria("label", fmt.Sprintf("%d annotations", n)).Text(fmt.Sprint(n)),
				app.Kbd().Class("group-key").Title("Shortcut key").Text(l.Key),
			),
			app.If(n == 0, func() app.UI {
				return app.P().Class("group-empty").Text("None yet.")
			}).Else(func() app.UI {
				return app.Ul().Class("group-list").Body(lis...)
			}),
			app.If(n > limit, func() app.UI {
				id := l.ID
				return app.Button().Type("button").Class("btn btn-quiet more").
					Text(fmt.Sprintf("Show %d more of %d", min(panelStep, n-limit), n)).
					OnClick(func(ctx app.Context, e app.Event) {
						if sh.limits == nil {
							sh.limits = map[string]int{}
						}
						sh.limits[id] = limit + panelStep
						sh.moreVer++
					}, app.EventScope(id, limit))
			}),
		)
		sections = append(sections, sec)
	}
	return app.Aside().ID("panel").Class("panel").Aria("label", "Annotations").TabIndex(-1).Body(
		app.Div().Class("panel-head").Body(
			app.Span().Class("panel-title").Text("Annotations"),
			app.Button().Type("button").Class("btn panel-close").Text("Close").
				OnClick(func(ctx app.Context, e app.Event) {
					sh.panelOpen = false
					ctx.Defer(func(app.Context) { glueFocusID("article") })
				}),
		),
		sh.renderSpanTools(),
		app.Div().Class("panel-inner").Body(sections...),
		app.Details().Class("help").Body(
			app.Summary().Text("Keyboard shortcuts"),
			app.Dl().Body(
				app.Dt().Text("Shift + arrows"), app.Dd().Text("select text (Ctrl: by word; Alt: precise)"),
				app.Dt().Text("1 – 4"), app.Dd().Text("tag the selection; relabel the selected span"),
				app.Dt().Text("Tab, click"), app.Dd().Text("select a span (click again: the span around it)"),
				app.Dt().Text("Enter"), app.Dd().Text("edit the selected span's note and claim details (Escape: back to the span)"),
				app.Dt().Text("Delete"), app.Dd().Text("remove the selected span"),
				app.Dt().Text("Shift + Alt + → / ←"), app.Dd().Text("grow / shrink its end by a word"),
				app.Dt().Text("Shift + Alt + ↑ / ↓"), app.Dd().Text("grow / shrink its start by a word"),
				app.Dt().Text("Escape"), app.Dd().Text("deselect"),
				app.Dt().Text("Ctrl + Z, Ctrl + Shift + Z"), app.Dd().Text("undo, redo"),
				app.Dt().Text("Ctrl + F"), app.Dd().Text("find (Enter, Shift + Enter, F3: next, previous; Escape: close and select the match)"),
				app.Dt().Text("A"), app.Dd().Text("label all other occurrences of the selected span (review: ↑ ↓, Enter accepts, x rejects, a accepts all)"),
				app.Dt().Text("S"), app.Dd().Text("show or hide suggestions (N, Shift + N: next, previous; Enter or click accepts, x rejects)"),
				app.Dt().Text("Alt + L"), app.Dd().Text("the library of stored documents"),
				app.Dt().Text("Alt + Page Down / Page Up"), app.Dd().Text("next / previous document in the library"),
				app.Dt().Text("Alt + P"), app.Dd().Text("paste text as a new document"),
			),
		),
	)
}

// panelShown is the session's revision, generation and selection as the
// panel last rendered them.
type panelShown struct {
	Rev, Gen int
	Sel      string
}

// syncPanel lets the panel catch up with the session. With thousands of
// spans, re-rendering the panel's lists costs more than the edit itself, so
// it is done after the browser has painted the frame that shows the edit in
// the article: the mark appears at once, the list follows a frame later.
func (sh *Shell) syncPanel() {
	s := sh.s
	want := panelShown{Rev: s.state.Revision, Gen: s.gen, Sel: s.selected}
	if sh.panel == want {
		return
	}
	if !glueDefers {
		sh.panel = want
		return
	}
	if sh.panelPending {
		return
	}
	sh.panelPending = true
	glueAfterPaint(func(sh *Shell, ctx app.Context) {
		sh.panelPending = false
		s := sh.s
		sh.panel = panelShown{Rev: s.state.Revision, Gen: s.gen, Sel: s.selected}
	})
}

// panelItem is one entry of the panel. A component with small comparable
// fields, so that an edit re-renders only the entries it changes, not every
// entry with its click handler.
type panelItem struct {
	app.Compo

	ID, Label, Name string
	Start, End      int
	Current         bool
	Gen             int

	sh *Shell
}

func (p *panelView) renderItem(a annotate.Annotation, l annotate.Label) app.UI {
	return &panelItem{ID: a.ID, Label: l.ID, Name: l.Name, Start: a.Start, End: a.End,
		Current: a.ID == p.Sel, Gen: p.Gen, sh: p.sh}
}

func (it *panelItem) Render() app.UI {
	sh := it.sh
	s := sh.s
	text := strings.Join(strings.Fields(s.index().Slice(annotate.Range{Start: it.Start, End: it.End})), " ")
	short := text
	if r := []rune(text); len(r) > 90 {
		short = string(r[:87]) + "…"
	}
	id := it.ID
	btn := app.Button().Type("button").Class("item").DataSet("id", it.ID).
		Title(fmt.Sprintf("%s: %s (code points %d–%d)", it.Name, text, it.Start, it.End)).
		Body(
			app.Span().Class("item-text").Text(short),
			app.Span().Class("item-pos").Aria("hidden", "true").Text(fmt.Sprint(it.Start)),
		).
		OnClick(func(ctx app.Context, e app.Event) {
			sh.panelOpen = false
			sh.choose(ctx, id, true)
		})
	if it.Current {
		btn = btn.Aria("current", "true")
	}
	return app.Li().Body(btn)
}
