//go:build js && wasm

// Command importworker is Factmark's import worker: the program of
// web/import.wasm, which web/import-worker.js runs in a Web Worker. It turns
// article files (plain text, Markdown, HTML, in any encoding
// annotate.ImportFile reads) into documents off the UI thread, so that the
// UI's app.wasm does not link the HTML, Markdown and encoding packages
// (it is built with the factmark_ui tag, which leaves them out of annotate).
//
// It is a small main package of its own rather than the app package built
// with a tag: the app package is go-app and the whole UI, which the worker
// does not need; this one links annotate and syscall/js only.
//
// Protocol (structured clone messages):
//
//	UI → worker: {id: number, name: string, data: ArrayBuffer}
//	worker → UI: {id, data: Uint8Array}  the document, as a Factmark native
//	                                      file (annotate.Encode) with no annotations
//	             {id, error: string, offset?: number, reason?: string}
//	                                      offset and reason when the error wraps
//	                                      an *annotate.ImportError
//	             {fatal: string}          the worker cannot run (sent by the script)
package main

import (
	"errors"
	"syscall/js"

	"factmark/annotate"
)

func main() {
	self := js.Global()
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			receive(args[0].Get("data"))
		}
		return nil
	})
	// Messages that arrived while the wasm was loading wait in the queue the
	// script keeps.
	queue := self.Get("factmarkQueue")
	self.Set("onmessage", handler)
	if queue.Type() == js.TypeObject {
		for i, n := 0, queue.Length(); i < n; i++ {
			receive(queue.Index(i))
		}
		queue.Set("length", 0)
	}
	select {}
}

// receive starts the import of one message.
func receive(m js.Value) {
	id := m.Get("id")
	name := m.Get("name").String()
	buf := m.Get("data")
	if buf.Type() != js.TypeObject {
		reply(id, nil, errors.New("the import worker received no file data"))
		return
	}
	u8 := js.Global().Get("Uint8Array").New(buf)
	data := make([]byte, u8.Length())
	js.CopyBytesToGo(data, u8)
	go func() {
		out, err := importToNative(name, data)
		reply(id, out, err)
	}()
}

// importToNative imports the file and encodes the document in the native
// format, the form in which the UI's wasm can read it.
func importToNative(name string, data []byte) ([]byte, error) {
	doc, err := annotate.ImportFile(name, data)
	if err != nil {
		return nil, err
	}
	return annotate.Encode(annotate.NewState(doc, annotate.DefaultSchema()))
}

// reply posts the result of one import to the UI.
func reply(id js.Value, out []byte, err error) {
	msg := map[string]any{"id": id}
	var transfer []any
	if err != nil {
		msg["error"] = err.Error()
		var ie *annotate.ImportError
		if errors.As(err, &ie) {
			msg["offset"] = ie.Offset
			msg["reason"] = ie.Reason
		}
	} else {
		u8 := js.Global().Get("Uint8Array").New(len(out))
		js.CopyBytesToJS(u8, out)
		msg["data"] = u8
		transfer = append(transfer, u8.Get("buffer"))
	}
	js.Global().Call("postMessage", msg, transfer)
}
