//go:build wasm

package main

import (
	"strconv"
	"syscall/js"
	"unicode/utf16"
)

// Selection to offsets. A DOM boundary point (node, offset) becomes a
// domPoint: the data-start of the block element that holds it (code points)
// and the number of UTF-16 code units of text before it inside that block,
// summed over the block's text nodes in document order with a TreeWalker.
// The session converts that to code points with the document's Index.
// Nothing is ever searched for by its text.

const showText = 4 // NodeFilter.SHOW_TEXT

// readSelection returns the ends of the current selection when it touches
// the article, whether it is collapsed, and where the label picker goes (in
// pixels relative to the reader).
func readSelection() (a, b domPoint, collapsed bool, x, y float64, ok bool) {
	article := byID("article")
	sel := js.Global().Call("getSelection")
	if article.IsNull() || sel.IsNull() || sel.Get("rangeCount").Int() == 0 {
		return
	}
	rng := sel.Call("getRangeAt", 0)
	if !rng.Call("intersectsNode", article).Bool() {
		return
	}
	ok = true
	if sel.Get("isCollapsed").Bool() {
		collapsed = true
		return
	}
	a = pointOf(article, sel.Get("anchorNode"), sel.Get("anchorOffset").Int())
	b = pointOf(article, sel.Get("focusNode"), sel.Get("focusOffset").Int())
	if a == b {
		collapsed = true
		return
	}
	x, y = pickerPosition(rng)
	return
}

// pickerPosition places the picker under the last line of the selection,
// inside the reader.
func pickerPosition(rng js.Value) (x, y float64) {
	reader := byID("reader")
	if reader.IsNull() {
		return 0, 0
	}
	base := reader.Call("getBoundingClientRect")
	rects := rng.Call("getClientRects")
	n := rects.Get("length").Int()
	var rect js.Value
	for i := n - 1; i >= 0; i-- {
		if r := rects.Index(i); r.Get("width").Float() > 0 {
			rect = r
			break
		}
	}
	if rect.IsUndefined() {
		rect = rng.Call("getBoundingClientRect")
	}
	x = rect.Get("left").Float() - base.Get("left").Float()
	y = rect.Get("bottom").Float() - base.Get("top").Float() + 6
	maxX := reader.Get("clientWidth").Float() - 340
	return max(0, min(x, maxX)), y
}

// pointOf maps a boundary point to a domPoint. A point outside every block
// (in the title bar, between blocks, after the article) maps to the start of
// the next block, or to the end of the text.
func pointOf(article, node js.Value, off int) domPoint {
	if blk := closest(node, "[data-start]"); blk.Truthy() && article.Call("contains", blk).Bool() {
		start, err := strconv.Atoi(blk.Get("dataset").Get("start").String())
		if err == nil {
			return domPoint{Block: start, UTF16: utf16Before(blk, node, off)}
		}
	}
	r := document().Call("createRange")
	r.Call("setStart", node, off)
	r.Call("collapse", true)
	blocks := article.Call("querySelectorAll", "[data-start]")
	for i, n := 0, blocks.Get("length").Int(); i < n; i++ {
		blk := blocks.Index(i)
		if r.Call("comparePoint", blk, 0).Int() >= 0 {
			start, err := strconv.Atoi(blk.Get("dataset").Get("start").String())
			if err == nil {
				return domPoint{Block: start}
			}
		}
	}
	return domPoint{End: true}
}

// utf16Before counts the UTF-16 code units of the block's text that come
// before the boundary point (node, off): the length of a range from the
// block's start to the point, whose text is that of the text nodes before
// it (one call into the browser, where walking the text nodes took one per
// node: a paragraph with fifty marks has a hundred).
func utf16Before(blk, node js.Value, off int) int {
	r := document().Call("createRange")
	r.Call("setStart", blk, 0)
	r.Call("setEnd", node, off)
	n := 0
	for _, c := range r.Call("toString").String() {
		n += utf16.RuneLen(c)
	}
	return n
}

// textPosition is the inverse of utf16Before: the text node and offset in
// blk at u UTF-16 code units from its start.
func textPosition(blk js.Value, u int) (js.Value, int) {
	walker := document().Call("createTreeWalker", blk, showText)
	last := js.Null()
	for t := walker.Call("nextNode"); !t.IsNull(); t = walker.Call("nextNode") {
		n := t.Get("length").Int()
		if u <= n {
			return t, u
		}
		u -= n
		last = t
	}
	if last.IsNull() {
		return blk, 0
	}
	return last, last.Get("length").Int()
}

// lastTextPosition is the end of the last text node in el.
func lastTextPosition(el js.Value) (js.Value, int) {
	walker := document().Call("createTreeWalker", el, showText)
	last := js.Null()
	for t := walker.Call("nextNode"); !t.IsNull(); t = walker.Call("nextNode") {
		last = t
	}
	if last.IsNull() {
		return last, 0
	}
	return last, last.Get("length").Int()
}
