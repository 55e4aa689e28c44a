//go:build wasm

package main

import (
	"strings"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// glueDownload saves data as a file called name: a Blob, an object URL and a
// click on a temporary <a download>. The bytes are exactly data.
func glueDownload(name, mime string, data []byte) error {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	blob := js.Global().Get("Blob").New([]any{u8}, map[string]any{"type": mime})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	a := document().Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Get("style").Set("display", "none")
	document().Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	js.Global().Call("setTimeout", revoke, 60000)
	return nil
}

// Keys and clicks of the Export menu, its loss warning and the span details
// panel, decided synchronously (to prevent the browser's default and the
// article's shortcuts) in a capturing listener that runs before the glue's
// keyboard handler (glue_wasm.go).
func init() {
	glueMenuFocus = menuFocus
	glueSyncFields = syncFields
	doc := document()
	if !doc.Truthy() {
		return // not in a page
	}
	doc.Call("addEventListener", "keydown", js.FuncOf(onOverlayKey), true)
	doc.Call("addEventListener", "keyup", js.FuncOf(onOverlayKeyUp), true)
	doc.Call("addEventListener", "mousedown", js.FuncOf(onOverlayMouseDown), true)
}

// menuItems returns the items of a menu and the index of el among them (-1).
func menuItems(menu, el js.Value) ([]js.Value, int) {
	list := menu.Call("querySelectorAll", `[role="menuitem"]`)
	n := list.Get("length").Int()
	items := make([]js.Value, n)
	at := -1
	for i := range items {
		items[i] = list.Index(i)
		if items[i].Equal(el) {
			at = i
		}
	}
	return items, at
}

func menuFocus(menuID string, last bool) {
	menu := byID(menuID)
	if menu.IsNull() {
		return
	}
	items, _ := menuItems(menu, js.Null())
	if len(items) == 0 {
		return
	}
	if last {
		items[len(items)-1].Call("focus")
	} else {
		items[0].Call("focus")
	}
}

func onOverlayKey(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("defaultPrevented").Bool() || e.Get("isComposing").Bool() {
		return nil
	}
	target := e.Get("target")
	key := e.Get("key").String()
	mod := e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()
	alt := e.Get("altKey").Bool()
	prevent := func() { e.Call("preventDefault") }
	if menu := closest(target, "#export-menu"); menu.Truthy() {
		items, at := menuItems(menu, target)
		n := len(items)
		if n == 0 {
			return nil
		}
		to := -1
		switch key {
		case "ArrowDown":
			to = (at + 1) % n
		case "ArrowUp":
			to = (at - 1 + n) % n
		case "Home", "PageUp":
			to = 0
		case "End", "PageDown":
			to = n - 1
		case "Escape":
			prevent()
			dispatch(func(sh *Shell, ctx app.Context) { sh.closeOverlays(ctx) })
			return nil
		case "Tab":
			dispatch(func(sh *Shell, ctx app.Context) { sh.ex.open = false })
			return nil
		case "Enter", " ":
			return nil // the button's click
		default:
			// Type-ahead: the next item whose name starts with the letter.
			if len([]rune(key)) == 1 && !mod && !alt {
				prevent()
				k := strings.ToLower(key)
				for i := 1; i <= n; i++ {
					j := (at + i) % n
					if strings.HasPrefix(strings.ToLower(items[j].Get("textContent").String()), k) {
						items[j].Call("focus")
						break
					}
				}
			}
			return nil
		}
		prevent()
		items[to].Call("focus")
		return nil
	}
	if target.Get("id").String() == "export" {
		switch key {
		case "ArrowDown", "ArrowUp":
			prevent()
			last := key == "ArrowUp"
			dispatch(func(sh *Shell, ctx app.Context) { sh.toggleExport(ctx, true, last) })
		case "Escape":
			prevent()
			dispatch(func(sh *Shell, ctx app.Context) { sh.closeOverlays(ctx) })
		}
		return nil
	}
	if dlg := closest(target, "#export-warning"); dlg.Truthy() {
		switch key {
		case "Escape":
			prevent()
			dispatch(func(sh *Shell, ctx app.Context) { sh.cancelExport(ctx) })
		case "Tab":
			// Keep the focus in the dialog.
			btns := dlg.Call("querySelectorAll", "button")
			if n := btns.Get("length").Int(); n > 0 {
				first, last := btns.Index(0), btns.Index(n-1)
				shift := e.Get("shiftKey").Bool()
				if shift && target.Equal(first) || !shift && target.Equal(last) {
					prevent()
					if shift {
						last.Call("focus")
					} else {
						first.Call("focus")
					}
				}
			}
		case "Enter", " ":
		default:
			prevent() // no shortcuts behind a modal dialog
		}
		return nil
	}
	if panel := closest(target, "#span-details"); panel.Truthy() {
		switch {
		case key == "Escape":
			prevent()
			dispatch(func(sh *Shell, ctx app.Context) { sh.focusSelected(ctx, true) })
		case mod && !alt && (strings.EqualFold(key, "z") || strings.EqualFold(key, "y")):
			// Selects and dates have no undo of their own, and a text field
			// with nothing typed since its last commit has nothing to undo:
			// undo the edits.
			tag := target.Get("tagName").String()
			saved := target.Get("dataset").Get("saved")
			if tag == "SELECT" || tag == "INPUT" && target.Get("type").String() == "date" ||
				saved.Type() == js.TypeString && "="+target.Get("value").String() == saved.String() {
				prevent()
				redo := e.Get("shiftKey").Bool() || strings.EqualFold(key, "y")
				dispatch(func(sh *Shell, ctx app.Context) { sh.undoFromPanel(redo) })
			}
		case !isEditable(target) && !mod && (key == "Delete" || key == "Backspace" || len(key) == 1 && key >= "0" && key <= "9"):
			// On the panel's buttons these must not remove or relabel the span.
			prevent()
		}
		return nil
	}
	if key == "Enter" && !mod && !alt && target.Get("tagName").String() == "MARK" &&
		target.Call("getAttribute", "aria-current").String() == "true" && byID("span-details").Truthy() {
		// Enter on the selected span: to its details, when the key is
		// released (the key's own events must not reach the field).
		prevent()
		toDetails = true
	}
	return nil
}

// toDetails is set when Enter was pressed on the selected span.
var toDetails bool

func onOverlayKeyUp(_ js.Value, args []js.Value) any {
	if !toDetails || args[0].Get("key").String() != "Enter" {
		return nil
	}
	toDetails = false
	if panel := byID("span-details"); panel.Truthy() {
		if first := panel.Call("querySelector", "select, input, textarea, button"); first.Truthy() {
			first.Call("focus")
		}
	}
	return nil
}

// onOverlayMouseDown closes the Export menu on a press outside it.
func onOverlayMouseDown(_ js.Value, args []js.Value) any {
	menu := byID("export-menu")
	if menu.IsNull() || menu.Get("hidden").Bool() {
		return nil
	}
	if closest(args[0].Get("target"), ".export-wrap").Truthy() {
		return nil
	}
	dispatch(func(sh *Shell, ctx app.Context) { sh.ex.open = false })
	return nil
}

// syncFields sets each field of the details panel that has a data-saved
// value ("=" + the committed text) to that value, unless the user has typed
// in it since the last sync (its text differs from what was synced then).
func syncFields() {
	panel := byID("span-details")
	if !panel.Truthy() {
		return
	}
	list := panel.Call("querySelectorAll", "[data-saved]")
	for i, n := 0, list.Get("length").Int(); i < n; i++ {
		el := list.Index(i)
		saved := strings.TrimPrefix(el.Get("dataset").Get("saved").String(), "=")
		cur := el.Get("value").String()
		prev := el.Get("fmSynced")
		if cur != saved {
			typing := prev.Type() == js.TypeString && cur != prev.String() ||
				prev.Type() != js.TypeString && el.Equal(document().Get("activeElement"))
			if typing {
				continue
			}
			el.Set("value", saved)
		}
		el.Set("fmSynced", saved)
	}
}
