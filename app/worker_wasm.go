//go:build wasm

package main

import (
	"fmt"
	"sync"
	"syscall/js"

	"factmark/annotate"
	"factmark/app/codecwork"
)

// The import worker: web/import-worker.js running web/import.wasm
// (app/importworker), started on the first import or export that needs it
// (or earlier by warmWorker, when the user is about to) and kept for the
// next. app.wasm is built with the factmark_ui tag, which leaves annotate's
// article importers (and go-readability, goldmark, x/net/html and the x/text
// encodings they need) and its codecs (every interchange format, and
// archive/zip) out of it: every article file is imported there, and every
// export and import of annotations but Factmark's own export runs there.

// importWorkerURL is the worker's script; web/import.wasm is the program it
// runs. Both are in web/, so the service worker caches them.
const importWorkerURL = "/web/import-worker.js"

var importer struct {
	sync.Mutex
	worker  js.Value // the Worker, or undefined before the first import
	onMsg   js.Func
	onError js.Func
	next    int
	// waiting are the callers waiting for an answer, by message id: each
	// is called once, on the JavaScript callback, with the answer or with
	// the error that the worker failed.
	waiting map[int]func(m js.Value, err error)
}

// runImport posts the file to the worker; done is called when it answers.
func runImport(name string, data []byte, done func(*annotate.Document, error)) {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	buf := u8.Get("buffer")
	post(map[string]any{"name": name, "data": buf}, []any{buf}, func(m js.Value, err error) {
		if err != nil {
			go done(nil, err)
			return
		}
		articleAnswered(m, done)
	}, func(err error) {
		go done(nil, fmt.Errorf("cannot import %s: %w", name, err))
	})
}

// runCodec posts the job to the worker; done is called when it answers.
func runCodec(req *codecwork.Request, done func(*codecwork.Response)) {
	failed := func(err error) { go done(&codecwork.Response{Error: err.Error()}) }
	head, parts, err := req.Pack()
	if err != nil {
		failed(err)
		return
	}
	bufs := make([]any, len(parts))
	for i, p := range parts {
		u8 := js.Global().Get("Uint8Array").New(len(p))
		js.CopyBytesToJS(u8, p)
		bufs[i] = u8.Get("buffer")
	}
	post(map[string]any{"job": string(head), "parts": bufs}, bufs, func(m js.Value, err error) {
		if err != nil {
			failed(err)
			return
		}
		head := m.Get("job").String()
		ps := m.Get("parts")
		parts := make([][]byte, ps.Length())
		for i := range parts {
			u8 := ps.Index(i)
			parts[i] = make([]byte, u8.Length())
			js.CopyBytesToGo(parts[i], u8)
		}
		go func() {
			r, err := codecwork.UnpackResponse([]byte(head), parts)
			if err != nil {
				r = &codecwork.Response{Error: err.Error()}
			}
			done(r)
		}()
	}, func(err error) {
		failed(fmt.Errorf("cannot run the import worker: %w", err))
	})
}

// post sends msg (with an id added) to the worker, starting it if needed;
// answer gets its answer. startFailed is called when the worker cannot
// start.
func post(msg map[string]any, transfer []any, answer func(m js.Value, err error), startFailed func(error)) {
	importer.Lock()
	defer importer.Unlock()
	if importer.worker.IsUndefined() {
		if err := startImportWorker(); err != nil {
			startFailed(err)
			return
		}
	}
	importer.next++
	id := importer.next
	importer.waiting[id] = answer
	msg["id"] = id
	importer.worker.Call("postMessage", msg, transfer)
}

// warmWorker starts the worker if it is not running, so that the first
// import or export does not wait for its wasm to load, and gives it a
// warm-up job (codecwork.OpWarm), which runs while the user is still
// choosing and whose answer is not needed. A worker that cannot start is
// reported by the job that needs it.
func warmWorker() {
	importer.Lock()
	defer importer.Unlock()
	if !importer.worker.IsUndefined() || startImportWorker() != nil {
		return
	}
	if head, _, err := (&codecwork.Request{Op: codecwork.OpWarm}).Pack(); err == nil {
		importer.next++
		importer.waiting[importer.next] = func(js.Value, error) {}
		importer.worker.Call("postMessage", map[string]any{"id": importer.next, "job": string(head), "parts": []any{}})
	}
}

// warmIfStaysOpen starts the worker when the element with that id (the
// Export menu) is still shown a moment after it opened: the user is reading
// it and may well choose a format the worker builds. A menu closed at once
// (Factmark's own format chosen straight away) does not start it.
func warmIfStaysOpen(id string) {
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		if el := js.Global().Get("document").Call("getElementById", id); el.Truthy() && !el.Get("hidden").Bool() {
			warmWorker()
		}
		return nil
	})
	js.Global().Call("setTimeout", f, 200)
}

// warmOnDrag starts the worker when files are first dragged over the
// window: a drop is about to need it.
func warmOnDrag() {
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		warmWorker()
		f.Release()
		return nil
	})
	js.Global().Call("addEventListener", "dragenter", f, map[string]any{"once": true, "passive": true})
}

// startImportWorker starts the worker; the importer's lock is held.
func startImportWorker() (err error) {
	defer func() {
		if r := recover(); r != nil { // new Worker throws when it cannot start
			err = fmt.Errorf("the import worker cannot start: %v", r)
		}
	}()
	w := js.Global().Get("Worker").New(importWorkerURL)
	importer.waiting = make(map[int]func(js.Value, error))
	importer.onMsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		importAnswered(args[0].Get("data"))
		return nil
	})
	importer.onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the import worker failed"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
				msg += ": " + m.String()
			}
			args[0].Call("preventDefault")
		}
		importWorkerFailed(msg)
		return nil
	})
	w.Set("onmessage", importer.onMsg)
	w.Set("onerror", importer.onError)
	importer.worker = w
	return nil
}

// importAnswered hands one answer of the worker to the caller that waits for
// it.
func importAnswered(m js.Value) {
	if f := m.Get("fatal"); f.Type() == js.TypeString {
		importWorkerFailed(f.String())
		return
	}
	importer.Lock()
	id := m.Get("id").Int()
	answer, ok := importer.waiting[id]
	delete(importer.waiting, id)
	importer.Unlock()
	if ok {
		answer(m, nil)
	}
}

// articleAnswered reads the worker's answer to an article import, decoding
// the document off the JavaScript callback.
func articleAnswered(m js.Value, done func(*annotate.Document, error)) {
	if e := m.Get("error"); e.Type() == js.TypeString {
		err := &workerError{msg: e.String()}
		if r := m.Get("reason"); r.Type() == js.TypeString {
			err.cause = &annotate.ImportError{Offset: m.Get("offset").Int(), Reason: r.String()}
		}
		go done(nil, err)
		return
	}
	u8 := m.Get("data")
	data := make([]byte, u8.Length())
	js.CopyBytesToGo(data, u8)
	go func() {
		st, err := annotate.Decode(data)
		if err != nil {
			done(nil, fmt.Errorf("the import worker answered with a document that does not decode: %w", err))
			return
		}
		done(st.Doc, nil)
	}()
}

// importWorkerFailed fails every waiting job and drops the worker, so that
// the next job starts a new one.
func importWorkerFailed(msg string) {
	importer.Lock()
	waiting := importer.waiting
	importer.waiting = nil
	if !importer.worker.IsUndefined() {
		importer.worker.Call("terminate")
		importer.worker = js.Undefined()
		importer.onMsg.Release()
		importer.onError.Release()
	}
	importer.Unlock()
	for _, answer := range waiting {
		answer(js.Undefined(), fmt.Errorf("%s", msg))
	}
}

// workerError is an error of ImportFile as the worker reported it: the same
// message, wrapping the same *annotate.ImportError when there was one.
type workerError struct {
	msg   string
	cause *annotate.ImportError
}

func (e *workerError) Error() string { return e.msg }

func (e *workerError) Unwrap() error {
	if e.cause == nil {
		return nil
	}
	return e.cause
}
