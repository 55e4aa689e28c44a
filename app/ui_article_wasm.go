//go:build wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The article's window (ui_article.go): an IntersectionObserver watches the
// placeholder chunks and makes those within a screen or so of the viewport
// live; another watches the live chunks and releases those that are more
// than a few screens away.

var chunkWatch struct {
	obs      js.Value // IntersectionObserver, created on first use
	watched  js.Value // WeakSet of the elements observed
	callback js.Func
	scan     js.Func // scanChunks, run by setTimeout
	pending  bool    // a scan is scheduled
	// idx are the chunks mounted or updated since the last scan; all asks
	// for every chunk (a new height estimate); sizedPx is the estimate the
	// placeholders were last sized with.
	idx     map[int]bool
	all     bool
	sizedPx float64

	// far watches the live chunks (farWatched) with a wider margin: one
	// that leaves it is released (onChunksFar).
	far         js.Value
	farWatched  js.Value
	farCallback js.Func
}

// Margins of the two observers: a placeholder this near the viewport is
// rendered, a rendered chunk this far from it is released. The gap keeps a
// chunk from going back and forth.
const (
	nearPx = 1000
	farPx  = 3500
)

// rootMargin is an IntersectionObserver margin of px above and below the
// viewport.
func rootMargin(px int) string {
	m := strconv.Itoa(px) + "px 0px "
	return m + m
}

// estPxPerChar is the height of rendered text per code point, as last
// measured (CSS pixels), for the placeholders' heights.
var estPxPerChar = 0.32

// glueWatchChunks schedules one scan of chunk idx after the current
// update: every chunk asks for it when it is mounted or updated, and one
// scan serves them all. Only those chunks are looked at: an edit updates
// one chunk, and a long document has hundreds of placeholders.
func glueWatchChunks(idx int) {
	if chunkWatch.idx == nil {
		chunkWatch.idx = map[int]bool{}
	}
	chunkWatch.idx[idx] = true
	if chunkWatch.pending {
		return
	}
	chunkWatch.pending = true
	if chunkWatch.scan.IsUndefined() {
		chunkWatch.scan = js.FuncOf(func(js.Value, []js.Value) any {
			chunkWatch.pending = false
			scanChunks()
			return nil
		})
	}
	js.Global().Call("setTimeout", chunkWatch.scan, 0)
}

// scanChunks gives the placeholders their estimated heights (through the
// CSSOM: the page's policy forbids style attributes), observes those not
// yet observed, and drops the height of chunks that are live again.
func scanChunks() {
	if chunkWatch.obs.IsUndefined() {
		chunkWatch.callback = js.FuncOf(onChunksSeen)
		chunkWatch.obs = js.Global().Get("IntersectionObserver").New(chunkWatch.callback,
			map[string]any{"rootMargin": rootMargin(nearPx)})
		chunkWatch.watched = js.Global().Get("WeakSet").New()
		chunkWatch.farCallback = js.FuncOf(onChunksFar)
		chunkWatch.far = js.Global().Get("IntersectionObserver").New(chunkWatch.farCallback,
			map[string]any{"rootMargin": rootMargin(farPx)})
		chunkWatch.farWatched = js.Global().Get("WeakSet").New()
	}
	idx := chunkWatch.idx
	chunkWatch.idx = nil
	if d := estPxPerChar - chunkWatch.sizedPx; d > 0.05*estPxPerChar || d < -0.05*estPxPerChar {
		chunkWatch.all = true
	}
	var els []js.Value
	if chunkWatch.all || len(idx) > 32 {
		chunkWatch.all = false
		chunkWatch.sizedPx = estPxPerChar
		list := document().Call("querySelectorAll", "#article .chunk")
		for i, n := 0, list.Length(); i < n; i++ {
			els = append(els, list.Index(i))
		}
	} else {
		for c := range idx {
			if el := chunkEl(c); el.Truthy() {
				els = append(els, el)
			}
		}
	}
	resized := false // a placeholder's height changed or went
	for _, el := range els {
		if el.Get("dataset").Get("lazy").IsUndefined() {
			// Live: the height was the placeholder's.
			if el.Call("hasAttribute", "style").Bool() {
				el.Call("removeAttribute", "style")
				resized = true
			}
			if !chunkWatch.farWatched.Call("has", el).Bool() {
				chunkWatch.farWatched.Call("add", el)
				chunkWatch.far.Call("observe", el)
			}
			continue
		}
		if chunkWatch.farWatched.Call("has", el).Bool() {
			chunkWatch.farWatched.Call("delete", el)
			chunkWatch.far.Call("unobserve", el)
		}
		if sizePlaceholder(el) {
			resized = true
		}
		if !chunkWatch.watched.Call("has", el).Bool() {
			chunkWatch.watched.Call("add", el)
			chunkWatch.obs.Call("observe", el)
		}
	}
	if resized {
		keepPinned()
	}
}

// sizePlaceholder gives placeholder el its box: the one it had when it was
// released, when the window is as wide as it was then (its height and its
// blocks' outer margins, so that the page around it does not move), or the
// height estimated from its length. It reports whether anything changed.
func sizePlaceholder(el js.Value) bool {
	ds := el.Get("dataset")
	h, mt, mb := "", "0px", "0px"
	if box, w := ds.Get("box"), ds.Get("w"); !box.IsUndefined() && w.String() == strconv.Itoa(js.Global().Get("innerWidth").Int()) {
		if f := strings.Fields(box.String()); len(f) == 3 {
			h, mt, mb = f[0]+"px", f[1]+"px", f[2]+"px"
		}
	}
	if h == "" {
		c, err := strconv.Atoi(ds.Get("chars").String())
		if err != nil {
			return false
		}
		h = strconv.FormatFloat(float64(c)*estPxPerChar+8, 'f', 0, 64) + "px"
	}
	st := el.Get("style")
	if st.Get("height").String() == h && st.Get("marginTop").String() == mt && st.Get("marginBottom").String() == mb {
		return false
	}
	st.Set("height", h)
	st.Set("marginTop", mt)
	st.Set("marginBottom", mb)
	return true
}

// chunkIndex is the index of chunk element el.
func chunkIndex(el js.Value) (int, bool) {
	c, err := strconv.Atoi(el.Get("dataset").Get("chunk").String())
	return c, err == nil
}

// chunkEl is the element of chunk c (null when there is none).
func chunkEl(c int) js.Value {
	return document().Call("querySelector", `#article .chunk[data-chunk="`+strconv.Itoa(c)+`"]`)
}

// glueSizeChunk gives the released chunk idx its box at once, in the task
// that made it a placeholder: the page is never laid out without it.
func glueSizeChunk(idx int) {
	el := chunkEl(idx)
	if el.Truthy() && !el.Get("dataset").Get("lazy").IsUndefined() {
		sizePlaceholder(el)
	}
}

// onChunksFar releases the live chunks that went far from the viewport.
// What it saw may be stale by the time the UI goroutine gets to it (a find
// step or a jump may have rendered the chunk again, the reader may have
// scrolled back), so each chunk is checked and measured then (farChunks).
func onChunksFar(_ js.Value, args []js.Value) any {
	entries := args[0]
	var cs []int
	for i, n := 0, entries.Length(); i < n; i++ {
		e := entries.Index(i)
		el := e.Get("target")
		if e.Get("isIntersecting").Bool() || !el.Get("dataset").Get("lazy").IsUndefined() {
			continue
		}
		if c, ok := chunkIndex(el); ok {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return nil
	}
	dispatch(func(sh *Shell, ctx app.Context) {
		cs, boxes := farChunks(cs)
		if len(cs) == 0 {
			ctx.PreventUpdate()
			return
		}
		if !sh.s.release(cs, boxes, js.Global().Get("innerWidth").Int()) {
			ctx.PreventUpdate()
		}
	})
	return nil
}

// farChunks returns those of the chunks cs that are rendered, still far
// from the view and hold neither the focus, the text selection nor what
// the app scrolled to, each with its box.
func farChunks(cs []int) ([]int, []chunkBox) {
	var out []int
	var boxes []chunkBox
	var keep []js.Value
	far := float64(farPx)
	vh := js.Global().Get("innerHeight").Float()
	for _, c := range cs {
		el := chunkEl(c)
		if !el.Truthy() || !el.Get("dataset").Get("lazy").IsUndefined() {
			continue
		}
		first, last := el.Get("firstElementChild"), el.Get("lastElementChild")
		if !first.Truthy() {
			continue
		}
		r := el.Call("getBoundingClientRect")
		if r.Get("bottom").Float() > -far && r.Get("top").Float() < vh+far {
			continue
		}
		if keep == nil {
			keep = heldNodes()
		}
		held := false
		for _, k := range keep {
			if el.Call("contains", k).Bool() {
				held = true
				break
			}
		}
		if held {
			continue
		}
		px := func(v js.Value) float64 { return js.Global().Call("parseFloat", v).Float() }
		b := chunkBox{
			Height:       r.Get("height").Float(),
			MarginTop:    px(js.Global().Call("getComputedStyle", first).Get("marginTop")),
			MarginBottom: px(js.Global().Call("getComputedStyle", last).Get("marginBottom")),
		}
		if b.Height > 0 {
			out = append(out, c)
			boxes = append(boxes, b)
		}
	}
	return out, boxes
}

// heldNodes are the nodes whose chunk must stay rendered: the focused
// element, the ends of the text selection and what the app scrolled to.
func heldNodes() []js.Value {
	var out []js.Value
	if a := document().Get("activeElement"); a.Truthy() {
		out = append(out, a)
	}
	if sel := js.Global().Call("getSelection"); sel.Truthy() && sel.Get("rangeCount").Int() > 0 {
		for _, k := range []string{"anchorNode", "focusNode"} {
			if n := sel.Get(k); n.Truthy() {
				out = append(out, n)
			}
		}
	}
	if pinned.sel != "" {
		if el := document().Call("querySelector", pinned.sel); el.Truthy() {
			out = append(out, el)
		}
	}
	return out
}

// onChunksSeen makes the placeholders that came near the viewport live.
func onChunksSeen(_ js.Value, args []js.Value) any {
	entries := args[0]
	var cs []int
	for i, n := 0, entries.Length(); i < n; i++ {
		e := entries.Index(i)
		el := e.Get("target")
		if el.Get("dataset").Get("lazy").IsUndefined() {
			// Live now: stop watching it (a placeholder again after another
			// document is loaded, it is watched again).
			chunkWatch.obs.Call("unobserve", el)
			chunkWatch.watched.Call("delete", el)
			continue
		}
		if !e.Get("isIntersecting").Bool() {
			continue
		}
		if c, ok := chunkIndex(el); ok {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return nil
	}
	measureChunks()
	dispatch(func(sh *Shell, ctx app.Context) { sh.s.touch(cs) })
	return nil
}

// measureChunks updates the height per code point of rendered text from
// the live chunks.
func measureChunks() {
	list := document().Call("querySelectorAll", "#article .chunk:not([data-lazy])")
	var h, chars float64
	for i, n := 0, min(list.Length(), 64); i < n; i++ {
		el := list.Index(i)
		c, err := strconv.Atoi(el.Get("dataset").Get("chars").String())
		if err != nil || c <= 0 {
			continue
		}
		h += el.Call("getBoundingClientRect").Get("height").Float()
		chars += float64(c)
	}
	if chars > 2000 && h > 0 {
		estPxPerChar = h / chars
	}
}

// pinned keeps what the app last scrolled to (a span, a find hit) in view
// while the chunks around it render: a placeholder in view that becomes
// live changes its own height, which turns off the browser's scroll
// anchoring, so the text above can push the target out of view. The pin
// lasts until the user scrolls, presses a key or a button, or for a few
// seconds.
var pinned struct {
	sel   string  // a selector of the element, "" when nothing is pinned
	until float64 // performance.now() deadline
}

// revealPinned scrolls el (found by sel) to the middle of the view and pins
// it there.
func revealPinned(sel string, el js.Value) {
	el.Call("scrollIntoView", map[string]any{"block": "center"})
	pinned.sel = sel
	pinned.until = js.Global().Get("performance").Call("now").Float() + 4000
}

// unpin drops the pin: the user took over the scrolling.
func unpin(js.Value, []js.Value) any {
	pinned.sel = ""
	return nil
}

// keepPinned scrolls the pinned element back to the middle of the view when
// it left it (scanChunks calls it when placeholders changed height: nothing
// else the app does moves the text under the view).
func keepPinned() {
	if pinned.sel == "" {
		return
	}
	if js.Global().Get("performance").Call("now").Float() > pinned.until {
		pinned.sel = ""
		return
	}
	if el := document().Call("querySelector", pinned.sel); el.Truthy() && !inView(el) {
		el.Call("scrollIntoView", map[string]any{"block": "center"})
	}
}
