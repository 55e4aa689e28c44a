//go:build js && wasm

// Command importworker is Factmark's import worker: the program of
// web/import.wasm, which web/import-worker.js runs in a Web Worker. It turns
// article files (plain text, Markdown, HTML, in any encoding
// annotate.ImportFile reads) into documents off the UI thread, and it does
// the jobs of package codecwork: exports in every format but Factmark's own
// (with their losses and zips), imports of annotation files and datasets, W3C
// annotations of the open document. The UI's app.wasm therefore links none
// of the HTML, Markdown and encoding packages, annotate's codecs or
// archive/zip (it is built with the factmark_ui tag, which leaves them out
// of annotate).
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
//
//	UI → worker: {id, job: string, parts: [ArrayBuffer]}
//	                                      a codecwork.Request (Pack)
//	worker → UI: {id, job: string, parts: [Uint8Array]}
//	                                      its codecwork.Response (Pack)
package main

import (
	"errors"
	"syscall/js"

	"factmark/annotate"
	"factmark/app/codecwork"
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
	if job := m.Get("job"); job.Type() == js.TypeString {
		receiveJob(id, job.String(), m.Get("parts"))
		return
	}
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

// receiveJob starts a job of codecwork.
func receiveJob(id js.Value, head string, ps js.Value) {
	var parts [][]byte
	if ps.Type() == js.TypeObject {
		for i, n := 0, ps.Length(); i < n; i++ {
			u8 := js.Global().Get("Uint8Array").New(ps.Index(i))
			p := make([]byte, u8.Length())
			js.CopyBytesToGo(p, u8)
			parts = append(parts, p)
		}
	}
	go func() {
		var r *codecwork.Response
		req, err := codecwork.UnpackRequest([]byte(head), parts)
		if err != nil {
			r = &codecwork.Response{Error: err.Error()}
		} else {
			r = codecwork.Run(req)
		}
		h, out, err := r.Pack()
		if err != nil {
			h, out, _ = (&codecwork.Response{Error: "the worker cannot send its answer: " + err.Error()}).Pack()
		}
		arr := js.Global().Get("Array").New(len(out))
		var transfer []any
		for i, p := range out {
			u8 := js.Global().Get("Uint8Array").New(len(p))
			js.CopyBytesToJS(u8, p)
			arr.SetIndex(i, u8)
			transfer = append(transfer, u8.Get("buffer"))
		}
		js.Global().Call("postMessage", map[string]any{"id": id, "job": string(h), "parts": arr}, transfer)
	}()
}
