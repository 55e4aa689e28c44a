//go:build wasm

package main

import (
	"fmt"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// maxOpenBytes bounds the files the Open control reads.
const maxOpenBytes = 64 << 20

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

// glueReadFile reads the file chosen in the file input and calls done with
// its name and bytes (not on the UI goroutine). The input is then cleared so
// that choosing the same file again is a change.
func glueReadFile(_ app.Value, done func(name string, data []byte, err error)) {
	input := byID("open-file")
	if input.IsNull() {
		done("", nil, fmt.Errorf("the open control is missing"))
		return
	}
	files := input.Get("files")
	if files.IsNull() || files.Get("length").Int() == 0 {
		return
	}
	f := files.Index(0)
	name := f.Get("name").String()
	if size := f.Get("size").Int(); size > maxOpenBytes {
		input.Set("value", "")
		done(name, nil, fmt.Errorf("cannot open %s: it is %d MB, more than the %d MB limit", name, size>>20, maxOpenBytes>>20))
		return
	}
	var ok, fail js.Func
	release := func() { ok.Release(); fail.Release() }
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any {
		u8 := js.Global().Get("Uint8Array").New(args[0])
		data := make([]byte, u8.Get("length").Int())
		js.CopyBytesToGo(data, u8)
		input.Set("value", "")
		release()
		done(name, data, nil)
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "unknown error"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		input.Set("value", "")
		release()
		done(name, nil, fmt.Errorf("cannot read %s: %s", name, msg))
		return nil
	})
	f.Call("arrayBuffer").Call("then", ok, fail)
}
