//go:build wasm

package main

import (
	"strconv"
	"sync/atomic"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Browser glue of find, label-all and suggestions (ui_find.go,
// ui_suggest.go): a keydown listener in the capture phase, so that it
// decides before the main key handler (glue_wasm.go) and before the
// browser's own find, and a click listener for suggestions. Like the main
// glue, it decides synchronously and hands the work to the shell.

var toolsGlue struct {
	sugOn, sugCur atomic.Bool
}

// glueToolsInstall adds the listeners (glueUninstall removes them).
func glueToolsInstall() {
	doc := document()
	listen(doc, "keydown", onToolKey, true)
	listen(doc, "click", onSugClick, false)
}

// glueToolsNote publishes what the key handler needs.
func glueToolsNote(s *session) {
	toolsGlue.sugOn.Store(s.tools.sug.on)
	_, cur := s.sugFind(s.tools.sug.cur)
	toolsGlue.sugCur.Store(cur)
}

func onToolKey(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("defaultPrevented").Bool() || e.Get("isComposing").Bool() {
		return nil
	}
	target := e.Get("target")
	in := toolKeyInput{
		Key:          e.Get("key").String(),
		Code:         e.Get("code").String(),
		Ctrl:         e.Get("ctrlKey").Bool(),
		Meta:         e.Get("metaKey").Bool(),
		Shift:        e.Get("shiftKey").Bool(),
		Alt:          e.Get("altKey").Bool(),
		SpanSelected: glue.spanSelected.Load(),
		SugOn:        toolsGlue.sugOn.Load(),
		SugCur:       toolsGlue.sugCur.Load(),
	}
	switch {
	case target.Get("nodeType").Int() != 1:
	case target.Get("id").String() == "find-input":
		in.Where = "find"
	case closest(target, "#review-list").Truthy():
		in.Where = "review"
	case closest(target, "#review").Truthy():
		in.Where = "dialog"
	case isEditable(target):
		in.Where = "edit"
	case closest(target, "button, a[href], summary, [role=menuitem], [role=option], mark").Truthy():
		in.Where = "control"
	}
	c := toolKey(in)
	if c == toolNone {
		return nil
	}
	e.Call("preventDefault")
	dispatch(func(sh *Shell, ctx app.Context) { sh.runTool(ctx, c, "") })
	return nil
}

// onSugClick accepts a suggestion that is clicked (not dragged over).
func onSugClick(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("button").Int() != 0 || e.Get("shiftKey").Bool() || e.Get("altKey").Bool() ||
		e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() {
		return nil
	}
	el := closest(e.Get("target"), ".sug[data-sug]")
	if !el.Truthy() || !byID("article").Call("contains", el).Bool() {
		return nil
	}
	if sel := js.Global().Call("getSelection"); sel.Get("rangeCount").Int() > 0 && !sel.Get("isCollapsed").Bool() {
		return nil
	}
	key := el.Get("dataset").Get("sug").String()
	dispatch(func(sh *Shell, ctx app.Context) { sh.report(sh.acceptSuggestion(ctx, key, false)) })
	return nil
}

// glueFocusFind focuses the find field and selects its text.
func glueFocusFind() {
	if el := byID("find-input"); el.Truthy() {
		el.Call("focus")
		el.Call("select")
	}
}

// glueSelectRange selects the text from a to b in the article and focuses
// it, as the browser's find leaves the match it closed on.
func glueSelectRange(a, b domPoint) {
	article := byID("article")
	if article.IsNull() {
		return
	}
	at := func(p domPoint) (js.Value, int) {
		blk := article.Call("querySelector", `[data-start="`+strconv.Itoa(p.Block)+`"]`)
		if blk.IsNull() {
			return js.Null(), 0
		}
		return textPosition(blk, p.UTF16)
	}
	na, oa := at(a)
	nb, ob := at(b)
	article.Call("focus", map[string]any{"preventScroll": true})
	if na.IsNull() || nb.IsNull() {
		return
	}
	js.Global().Call("getSelection").Call("setBaseAndExtent", na, oa, nb, ob)
	updateCaret()
}

// glueShowHit scrolls the current hit (or, when it is not drawn, the block
// that holds it) to the middle of the view unless it is in view.
func glueShowHit(block int) {
	sel := "#article .find-cur"
	el := document().Call("querySelector", sel)
	if el.IsNull() {
		if block < 0 {
			return
		}
		sel = `#article [data-start="` + strconv.Itoa(block) + `"]`
		el = document().Call("querySelector", sel)
		if el.IsNull() {
			return
		}
	}
	if !inView(el) {
		revealPinned(sel, el)
	}
}

// glueScrollNearest scrolls the element with id into view in its list.
func glueScrollNearest(id string) {
	if el := byID(id); el.Truthy() {
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
}

// glueShowSug scrolls the current suggestion (or its block) into view.
func glueShowSug(block int) {
	// The keys act on it from the article (not from a span, where Enter
	// opens the span's details).
	if a := byID("article"); a.Truthy() && !a.Equal(document().Get("activeElement")) {
		a.Call("focus", map[string]any{"preventScroll": true})
	}
	sel := "#article .sug-cur"
	el := document().Call("querySelector", sel)
	if el.IsNull() {
		sel = `#article [data-start="` + strconv.Itoa(block) + `"]`
		el = document().Call("querySelector", sel)
		if el.IsNull() {
			return
		}
	}
	if !inView(el) {
		revealPinned(sel, el)
	}
}
