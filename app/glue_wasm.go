//go:build wasm

package main

import (
	"strconv"
	"sync/atomic"
	"syscall/js"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Browser glue: document-level listeners for the keyboard, the selection,
// clicks and focus on marks. go-app runs its own event handlers after the
// JavaScript event has returned, too late to preventDefault, and one handler
// per mark would cost a JavaScript function per span; so these listeners are
// installed once, decide synchronously, and hand the work to the shell on the
// UI goroutine with Dispatch.

var glue struct {
	sh        *Shell
	listeners []listener
	// mouseDown is true while the primary button is down (a drag).
	mouseDown bool
	// precise is the Alt state of the current selection gesture.
	precise bool
	// spanSelected and schema are snapshots the UI goroutine publishes at
	// each render (spanSelected also after each command the glue
	// dispatches), read by the synchronous key handler.
	spanSelected atomic.Bool
	schema       atomic.Pointer[annotate.Schema]
	// labelCSS is the label stylesheet installed in sheet.
	labelCSS string
	sheet    js.Value
	// gen is the session generation (document) of the last render.
	gen int
	// barEl and statusEl are the top bar and the status line heightObs
	// watches (watchHeights).
	barEl, statusEl, heightObs js.Value
}

type listener struct {
	target  js.Value
	event   string
	fn      js.Func
	capture bool
}

func document() js.Value { return js.Global().Get("document") }

func byID(id string) js.Value { return document().Call("getElementById", id) }

// glueInstall adds the listeners.
func glueInstall(sh *Shell) {
	glue.sh = sh
	glueNote(sh.s)
	doc := document()
	listen(doc, "keydown", onKeyDown, false)
	listen(doc, "mousedown", onMouseDown, true)
	listen(doc, "mouseup", onMouseUp, false)
	listen(doc, "selectionchange", onSelectionChange, false)
	listen(doc, "focusin", onFocusIn, false)
	for _, ev := range []string{"wheel", "touchstart", "keydown", "mousedown"} {
		listen(js.Global(), ev, unpin, true)
	}
	listen(js.Global(), "resize", func(js.Value, []js.Value) any { updateCaret(); return nil }, false)
	// Tells tests (and anyone curious) that the wasm app, not the
	// pre-rendered page, is live.
	doc.Get("documentElement").Call("setAttribute", "data-factmark", "ready")
}

// glueUninstall removes them.
func glueUninstall() {
	for _, l := range glue.listeners {
		l.target.Call("removeEventListener", l.event, l.fn, l.capture)
		l.fn.Release()
	}
	glue.listeners = nil
	glue.sh = nil
}

func listen(target js.Value, event string, f func(js.Value, []js.Value) any, capture bool) {
	fn := js.FuncOf(f)
	target.Call("addEventListener", event, fn, capture)
	glue.listeners = append(glue.listeners, listener{target, event, fn, capture})
}

// glueNote publishes what the key handler needs to decide synchronously,
// and keeps the label colours' stylesheet in step with the schema.
func glueNote(s *session) {
	if s.gen != glue.gen {
		glue.gen, pinned.sel = s.gen, "" // another document: what was pinned is gone
	}
	glue.spanSelected.Store(s.selected != "")
	schema := s.schema()
	glue.schema.Store(&schema)
	if css := labelCSS(schema); css != glue.labelCSS {
		glue.labelCSS = css
		setLabelSheet(css)
	}
	watchHeights()
}

// watchHeights keeps the heights of the top bar (--top-h) and the status
// line (--status-h) on the root element: on narrow screens the top bar wraps
// onto several lines, and what sticks under it (the find bar, the side
// column) must start below it; the span details become a sheet at the bottom
// of the view, which sits on the status line instead of covering its
// messages.
func watchHeights() {
	bar, status := document().Call("querySelector", ".topbar"), document().Call("querySelector", ".status")
	if bar.IsNull() || status.IsNull() || (bar.Equal(glue.barEl) && status.Equal(glue.statusEl)) {
		return
	}
	if glue.heightObs.IsUndefined() {
		glue.heightObs = js.Global().Get("ResizeObserver").New(js.FuncOf(func(_ js.Value, args []js.Value) any {
			entries := args[0]
			root := document().Get("documentElement").Get("style")
			for i, n := 0, entries.Length(); i < n; i++ {
				el := entries.Index(i).Get("target")
				h := strconv.Itoa(el.Get("offsetHeight").Int()) + "px"
				if el.Equal(glue.barEl) {
					root.Call("setProperty", "--top-h", h)
				} else if el.Equal(glue.statusEl) {
					root.Call("setProperty", "--status-h", h)
				}
			}
			return nil
		}))
	}
	glue.heightObs.Call("disconnect")
	glue.barEl, glue.statusEl = bar, status
	glue.heightObs.Call("observe", bar)
	glue.heightObs.Call("observe", status)
}

// setLabelSheet installs css as a constructed stylesheet (CSSOM, which the
// Content-Security-Policy allows, unlike style elements and attributes).
func setLabelSheet(css string) {
	if glue.sheet.IsUndefined() {
		ctor := js.Global().Get("CSSStyleSheet")
		if ctor.IsUndefined() {
			return
		}
		glue.sheet = ctor.New()
		doc := document()
		sheets := js.Global().Get("Array").Call("from", doc.Get("adoptedStyleSheets"))
		sheets.Call("push", glue.sheet)
		doc.Set("adoptedStyleSheets", sheets)
	}
	glue.sheet.Call("replaceSync", css)
}

// gluePlacePicker moves the label picker to (x, y) in the reader.
func gluePlacePicker(x, y float64) {
	p := document().Call("querySelector", ".picker")
	if p.IsNull() {
		return
	}
	st := p.Get("style")
	st.Set("left", strconv.FormatFloat(x, 'f', 0, 64)+"px")
	st.Set("top", strconv.FormatFloat(y, 'f', 0, 64)+"px")
}

// dispatch runs f on the UI goroutine and re-renders the shell.
func dispatch(f func(sh *Shell, ctx app.Context)) {
	sh := glue.sh
	if sh == nil {
		return
	}
	sh.ctx.Dispatch(func(ctx app.Context) {
		f(sh, ctx)
		// The key handler reads this snapshot; renders come a frame
		// later, but the next key event comes after this (the Go runtime
		// returns to the browser only when every goroutine is idle), so a
		// key pressed before the page has painted acts on the state the
		// previous key left.
		glue.spanSelected.Store(sh.s.selected != "")
	})
}

// isEditable reports whether el takes typed text.
func isEditable(el js.Value) bool {
	if el.IsNull() || el.IsUndefined() || el.Get("nodeType").Int() != 1 {
		return false
	}
	switch el.Get("tagName").String() {
	case "INPUT":
		switch el.Get("type").String() {
		case "button", "submit", "reset", "checkbox", "radio", "file", "range", "color":
			return false
		}
		return true
	case "TEXTAREA", "SELECT":
		return true
	}
	return el.Get("isContentEditable").Bool()
}

// inReader reports whether the focus or the selection is in the article.
func inReader() bool {
	article := byID("article")
	if article.IsNull() {
		return false
	}
	if article.Call("contains", document().Get("activeElement")).Bool() {
		return true
	}
	sel := js.Global().Call("getSelection")
	return sel.Get("rangeCount").Int() > 0 && article.Call("contains", sel.Get("focusNode")).Bool()
}

func onKeyDown(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("defaultPrevented").Bool() || e.Get("isComposing").Bool() {
		return nil
	}
	schema := glue.schema.Load()
	if schema == nil {
		return nil
	}
	in := keyInput{
		Key:      e.Get("key").String(),
		Code:     e.Get("code").String(),
		Ctrl:     e.Get("ctrlKey").Bool(),
		Meta:     e.Get("metaKey").Bool(),
		Shift:    e.Get("shiftKey").Bool(),
		Alt:      e.Get("altKey").Bool(),
		Editable: isEditable(e.Get("target")),
	}
	switch in.Key {
	case "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End":
		in.InReader = inReader()
	}
	c := keyCommand(in, *schema, glue.spanSelected.Load())
	if c.Kind == cmdNone {
		return nil
	}
	e.Call("preventDefault")
	if c.Kind == cmdCaret {
		moveCaret(c)
		return nil
	}
	if c.Kind == cmdTag {
		// The selection as it is now: a key pressed right after Shift+arrow
		// or a drag may come before the selectionchange event.
		if a, b, collapsed, x, y, ok := readSelection(); ok && !collapsed {
			precise := glue.precise
			dispatch(func(sh *Shell, ctx app.Context) {
				sh.applySelection(ctx, a, b, false, precise, x, y)
				sh.run(ctx, c)
			})
			return nil
		}
	}
	dispatch(func(sh *Shell, ctx app.Context) { sh.run(ctx, c) })
	return nil
}

func onMouseDown(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("button").Int() != 0 {
		return nil
	}
	target := e.Get("target")
	if closest(target, ".picker").Truthy() {
		// Keep the selection and the focus where they are.
		e.Call("preventDefault")
		return nil
	}
	glue.mouseDown = true
	glue.precise = e.Get("altKey").Bool()
	return nil
}

func onMouseUp(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("button").Int() != 0 {
		return nil
	}
	wasDown := glue.mouseDown
	glue.mouseDown = false
	target := e.Get("target")
	if closest(target, ".picker").Truthy() || !wasDown {
		return nil
	}
	glue.precise = glue.precise || e.Get("altKey").Bool()
	a, b, collapsed, x, y, ok := readSelection()
	if ok && !collapsed {
		precise := glue.precise
		dispatch(func(sh *Shell, ctx app.Context) { sh.onSelection(ctx, a, b, false, precise, x, y) })
		return nil
	}
	mark := closest(target, "mark[data-id]")
	article := byID("article")
	if mark.Truthy() && article.Call("contains", mark).Bool() {
		var chain []string
		for m := mark; m.Truthy() && article.Call("contains", m).Bool(); m = closest(m.Get("parentElement"), "mark[data-id]") {
			chain = append(chain, m.Get("dataset").Get("id").String())
		}
		dispatch(func(sh *Shell, ctx app.Context) { sh.onMarkClick(ctx, chain) })
		return nil
	}
	if ok {
		dispatch(func(sh *Shell, ctx app.Context) { sh.onSelection(ctx, a, b, true, false, 0, 0) })
	}
	updateCaret()
	return nil
}

func onSelectionChange(js.Value, []js.Value) any {
	updateCaret()
	if glue.mouseDown {
		return nil
	}
	a, b, collapsed, x, y, ok := readSelection()
	if !ok {
		return nil
	}
	precise := glue.precise
	dispatch(func(sh *Shell, ctx app.Context) { sh.onSelection(ctx, a, b, collapsed, precise, x, y) })
	return nil
}

func onFocusIn(_ js.Value, args []js.Value) any {
	target := args[0].Get("target")
	article := byID("article")
	if article.IsNull() || !article.Call("contains", target).Bool() {
		updateCaret()
		return nil
	}
	if target.Equal(article) {
		ensureCaret()
		updateCaret()
		return nil
	}
	if glue.mouseDown || target.Get("tagName").String() != "MARK" {
		return nil
	}
	id := target.Get("dataset").Get("id").String()
	dispatch(func(sh *Shell, ctx app.Context) { sh.onMarkFocus(ctx, id) })
	return nil
}

// closest is Element.closest for any node (text nodes use their parent).
func closest(n js.Value, selector string) js.Value {
	if n.IsNull() || n.IsUndefined() {
		return js.Null()
	}
	if n.Get("nodeType").Int() != 1 {
		n = n.Get("parentElement")
		if n.IsNull() || n.IsUndefined() {
			return js.Null()
		}
	}
	return n.Call("closest", selector)
}

// glueFocusSpan focuses the span's first fragment and puts the caret at its
// end, scrolling it to the middle of the view when scroll is set (or when
// it is out of view).
func glueFocusSpan(id string, scroll bool) {
	el := document().Call("querySelector", `mark[data-id="`+id+`"][tabindex="0"]`)
	if el.IsNull() {
		return
	}
	el.Call("focus", map[string]any{"preventScroll": true})
	if scroll || !inView(el) {
		revealPinned(`#article mark[data-id="`+id+`"][tabindex="0"]`, el)
	}
	glueCollapseIntoSpan(id)
}

// glueCollapseIntoSpan collapses the selection at the end of the span, so
// that keys act on the span and Shift+arrows start from it.
func glueCollapseIntoSpan(id string) {
	frags := document().Call("querySelectorAll", `mark[data-id="`+id+`"]`)
	n := frags.Get("length").Int()
	if n == 0 {
		return
	}
	last := frags.Index(n - 1)
	node, off := lastTextPosition(last)
	if node.IsNull() {
		return
	}
	js.Global().Call("getSelection").Call("collapse", node, off)
	updateCaret()
}

// inView reports whether el is in the part of the view nothing covers:
// below the top bar and the find bar stuck under it, above the status line
// and, on narrow screens, the details sheet.
func inView(el js.Value) bool {
	top, bottom := 0.0, js.Global().Get("innerHeight").Float()
	for _, sel := range []string{".topbar", ".findbar:not([hidden])"} {
		if bar := document().Call("querySelector", sel); bar.Truthy() {
			if b := bar.Call("getBoundingClientRect").Get("bottom").Float(); b > top {
				top = b
			}
		}
	}
	if st := document().Call("querySelector", ".status"); st.Truthy() {
		bottom = min(bottom, st.Call("getBoundingClientRect").Get("top").Float())
	}
	// The details are a sheet over the article on narrow screens only (a
	// column beside it on wide ones).
	if d := document().Call("querySelector", ".details:not([hidden])"); d.Truthy() &&
		js.Global().Call("getComputedStyle", d).Get("position").String() == "fixed" {
		bottom = min(bottom, d.Call("getBoundingClientRect").Get("top").Float())
	}
	r := el.Call("getBoundingClientRect")
	return r.Get("top").Float() >= top && r.Get("bottom").Float() <= bottom
}

// glueCaretAt puts a collapsed selection at p and focuses the article.
func glueCaretAt(p domPoint) {
	article := byID("article")
	if article.IsNull() {
		return
	}
	blk := article.Call("querySelector", `[data-start="`+strconv.Itoa(p.Block)+`"]`)
	if blk.IsNull() {
		return
	}
	node, off := textPosition(blk, p.UTF16)
	if node.IsNull() {
		return
	}
	article.Call("focus", map[string]any{"preventScroll": true})
	js.Global().Call("getSelection").Call("collapse", node, off)
	updateCaret()
}

// glueClearSelection collapses the selection to its focus end.
func glueClearSelection() {
	sel := js.Global().Call("getSelection")
	if sel.Get("rangeCount").Int() > 0 && !sel.Get("isCollapsed").Bool() {
		sel.Call("collapse", sel.Get("focusNode"), sel.Get("focusOffset"))
	}
	updateCaret()
}

func glueScrollTop() { js.Global().Call("scrollTo", 0, 0) }

// glueFocusID focuses the element with that id.
func glueFocusID(id string) {
	if el := byID(id); el.Truthy() {
		el.Call("focus")
	}
}

// ensureCaret puts the caret at the start of the first block in view when
// the selection is not in the article.
func ensureCaret() {
	article := byID("article")
	sel := js.Global().Call("getSelection")
	if sel.Get("rangeCount").Int() > 0 && article.Call("contains", sel.Get("focusNode")).Bool() {
		return
	}
	blocks := article.Call("querySelectorAll", "[data-start]")
	n := blocks.Get("length").Int()
	for i := 0; i < n; i++ {
		b := blocks.Index(i)
		if b.Call("getBoundingClientRect").Get("bottom").Float() > 0 || i == n-1 {
			node, off := textPosition(b, 0)
			if !node.IsNull() {
				sel.Call("collapse", node, off)
			}
			return
		}
	}
}

// moveCaret moves or extends the selection with Selection.modify, which
// works on text that is not editable: the caret is ours to draw.
func moveCaret(c uiAction) {
	ensureCaret()
	sel := js.Global().Call("getSelection")
	if sel.Get("rangeCount").Int() == 0 {
		return
	}
	alter := "move"
	if c.Extend {
		alter = "extend"
		glue.precise = c.Precise
	}
	sel.Call("modify", alter, c.Direction, c.Granularity)
	if a, b, collapsed, x, y, ok := readSelection(); ok {
		precise := glue.precise
		dispatch(func(sh *Shell, ctx app.Context) { sh.onSelection(ctx, a, b, collapsed, precise, x, y) })
	}
	// Keep the moving end in view.
	r := document().Call("createRange")
	r.Call("setStart", sel.Get("focusNode"), sel.Get("focusOffset"))
	rect := r.Call("getBoundingClientRect")
	h := js.Global().Get("innerHeight").Float()
	if top := rect.Get("top").Float(); top < 60 || rect.Get("bottom").Float() > h-60 {
		js.Global().Call("scrollBy", 0, top-h/2)
	}
	updateCaret()
}

// updateCaret draws the caret where the collapsed selection is while the
// article has the focus, in the next animation frame: reading the
// selection's position forces a layout, which there comes for free (the
// frame lays the page out anyway), and several changes in one frame draw
// it once.
func updateCaret() {
	if caretFrame.pending {
		return
	}
	caretFrame.pending = true
	if caretFrame.draw.IsUndefined() {
		caretFrame.draw = js.FuncOf(func(js.Value, []js.Value) any {
			caretFrame.pending = false
			drawCaret()
			return nil
		})
	}
	js.Global().Call("requestAnimationFrame", caretFrame.draw)
}

var caretFrame struct {
	pending bool
	draw    js.Func
}

// drawCaret draws the caret now.
func drawCaret() {
	caret := byID("caret")
	article := byID("article")
	reader := byID("reader")
	if caret.IsNull() || article.IsNull() || reader.IsNull() {
		return
	}
	style := caret.Get("style")
	sel := js.Global().Call("getSelection")
	if !article.Call("contains", document().Get("activeElement")).Bool() ||
		sel.Get("rangeCount").Int() == 0 || !sel.Get("isCollapsed").Bool() ||
		!article.Call("contains", sel.Get("focusNode")).Bool() {
		style.Set("display", "none")
		return
	}
	rects := sel.Call("getRangeAt", 0).Call("getClientRects")
	if rects.Get("length").Int() == 0 {
		style.Set("display", "none")
		return
	}
	rect := rects.Index(0)
	base := reader.Call("getBoundingClientRect")
	x := rect.Get("left").Float() - base.Get("left").Float()
	y := rect.Get("top").Float() - base.Get("top").Float()
	style.Set("transform", "translate("+strconv.FormatFloat(x, 'f', 1, 64)+"px,"+strconv.FormatFloat(y, 'f', 1, 64)+"px)")
	style.Set("height", strconv.FormatFloat(rect.Get("height").Float(), 'f', 1, 64)+"px")
	style.Set("display", "block")
}

// glueAfterPaint calls f on the UI goroutine after the browser has painted
// the frame that shows the current update (a requestAnimationFrame callback
// runs just before that frame's paint; a task it schedules runs after), or
// after 100 ms, whichever comes first: a hidden tab paints no frames.
func glueAfterPaint(f func(sh *Shell, ctx app.Context)) {
	afterNextPaint(func() { dispatch(f) })
}

// glueDefers is true where glueAfterPaint waits for a frame.
const glueDefers = true
