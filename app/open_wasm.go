//go:build wasm

package main

// Browser glue of opening files (ui_open.go): reading the files of a file
// input or of a drop, each checked against its size limit before it is read,
// and the value of a text field.

import (
	"fmt"
	"syscall/js"
)

// readFileList reads every File of list (a FileList or an array) and calls done once
// with all of them or the first error (not on the UI goroutine). Sizes are
// checked first: a file over its limit is refused without being read.
func readFileList(list js.Value, done func([]inFile, error)) {
	n := 0
	if list.Truthy() {
		n = list.Get("length").Int()
	}
	if n == 0 {
		return
	}
	fs := make([]js.Value, n)
	for i := range fs {
		fs[i] = list.Index(i)
		name := fs[i].Get("name").String()
		if err := checkOpenSize(name, int64(fs[i].Get("size").Float())); err != nil {
			done(nil, fmt.Errorf("cannot open %w", err))
			return
		}
	}
	out := make([]inFile, n)
	left := n
	failed := false
	var funcs []js.Func
	release := func() {
		for _, f := range funcs {
			f.Release()
		}
	}
	for i, f := range fs {
		i, name := i, f.Get("name").String()
		ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
			u8 := js.Global().Get("Uint8Array").New(args[0])
			data := make([]byte, u8.Get("length").Int())
			js.CopyBytesToGo(data, u8)
			out[i] = inFile{Name: name, Data: data}
			if left--; left == 0 && !failed {
				release()
				done(out, nil)
			}
			return nil
		})
		fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
			msg := "unknown error"
			if len(args) > 0 && args[0].Truthy() {
				msg = args[0].Call("toString").String()
			}
			if !failed {
				failed = true
				done(nil, fmt.Errorf("cannot read %s: %s", name, msg))
			}
			return nil
		})
		funcs = append(funcs, ok, fail)
		f.Call("arrayBuffer").Call("then", ok, fail)
	}
}

// glueReadFiles reads the files chosen in the file input with that id, then
// clears it (choosing the same files again is a change).
func glueReadFiles(id string, done func([]inFile, error)) {
	input := byID(id)
	if input.IsNull() {
		done(nil, fmt.Errorf("the file control %q is missing", id))
		return
	}
	// A copy of the list: clearing the input empties its FileList.
	files := js.Global().Get("Array").Call("from", input.Get("files"))
	input.Set("value", "")
	readFileList(files, done)
}

// glueValue returns the value of the form field with that id ("" when
// there is none).
func glueValue(id string) string {
	el := byID(id)
	if el.IsNull() {
		return ""
	}
	return el.Get("value").String()
}

// dropGlue holds the window's drag-and-drop listeners.
var dropGlue []js.Func

// glueInstallDrop makes the whole window a drop target for files: while
// files are dragged over it the page shows where to drop (the class
// "dropping" on <html>), and a drop reads them and calls done.
func glueInstallDrop(done func([]inFile, error)) {
	glueUninstallDrop()
	win := js.Global()
	root := document().Get("documentElement")
	hasFiles := func(e js.Value) bool {
		dt := e.Get("dataTransfer")
		if !dt.Truthy() {
			return false
		}
		types := dt.Get("types")
		for i := 0; i < types.Get("length").Int(); i++ {
			if types.Index(i).String() == "Files" {
				return true
			}
		}
		return false
	}
	add := func(event string, f func(e js.Value)) {
		fn := js.FuncOf(func(_ js.Value, args []js.Value) any { f(args[0]); return nil })
		win.Call("addEventListener", event, fn)
		dropGlue = append(dropGlue, fn)
	}
	add("dragover", func(e js.Value) {
		if !hasFiles(e) {
			return
		}
		e.Call("preventDefault")
		e.Get("dataTransfer").Set("dropEffect", "copy")
		root.Get("classList").Call("add", "dropping")
	})
	add("dragleave", func(e js.Value) {
		if !e.Get("relatedTarget").Truthy() {
			root.Get("classList").Call("remove", "dropping")
		}
	})
	add("drop", func(e js.Value) {
		root.Get("classList").Call("remove", "dropping")
		if !hasFiles(e) {
			return
		}
		e.Call("preventDefault")
		readFileList(e.Get("dataTransfer").Get("files"), done)
	})
}

func glueUninstallDrop() {
	win := js.Global()
	for i, fn := range dropGlue {
		win.Call("removeEventListener", []string{"dragover", "dragleave", "drop"}[i%3], fn)
		fn.Release()
	}
	dropGlue = nil
}

// glueSelectAll selects the text of the field with that id.
func glueSelectAll(id string) {
	if el := byID(id); !el.IsNull() {
		el.Call("select")
	}
}
