//go:build wasm

package main

import (
	"fmt"
	"sync"
	"syscall/js"

	"factmark/annotate"
)

// The import worker: web/import-worker.js running web/import.wasm
// (app/importworker), started on the first import and kept for the next.
// app.wasm is built with the factmark_ui tag, which leaves annotate's
// importers (and go-readability, goldmark, x/net/html and the x/text
// encodings they need) out of it: every article file is imported there.

// importWorkerURL is the worker's script; web/import.wasm is the program it
// runs. Both are in web/, so the service worker caches them.
const importWorkerURL = "/web/import-worker.js"

var importer struct {
	sync.Mutex
	worker  js.Value // the Worker, or undefined before the first import
	onMsg   js.Func
	onError js.Func
	next    int
	waiting map[int]func(*annotate.Document, error)
}

// runImport posts the file to the worker; done is called when it answers.
func runImport(name string, data []byte, done func(*annotate.Document, error)) {
	importer.Lock()
	defer importer.Unlock()
	if importer.worker.IsUndefined() {
		if err := startImportWorker(); err != nil {
			go done(nil, fmt.Errorf("cannot import %s: %w", name, err))
			return
		}
	}
	importer.next++
	id := importer.next
	importer.waiting[id] = done
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	buf := u8.Get("buffer")
	importer.worker.Call("postMessage", map[string]any{"id": id, "name": name, "data": buf}, []any{buf})
}

// startImportWorker starts the worker; the importer's lock is held.
func startImportWorker() (err error) {
	defer func() {
		if r := recover(); r != nil { // new Worker throws when it cannot start
			err = fmt.Errorf("the import worker cannot start: %v", r)
		}
	}()
	w := js.Global().Get("Worker").New(importWorkerURL)
	importer.waiting = make(map[int]func(*annotate.Document, error))
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
// it, decoding the document off the JavaScript callback.
func importAnswered(m js.Value) {
	if f := m.Get("fatal"); f.Type() == js.TypeString {
		importWorkerFailed(f.String())
		return
	}
	importer.Lock()
	id := m.Get("id").Int()
	done, ok := importer.waiting[id]
	delete(importer.waiting, id)
	importer.Unlock()
	if !ok {
		return
	}
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

// importWorkerFailed fails every waiting import and drops the worker, so that
// the next import starts a new one.
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
	for _, done := range waiting {
		go done(nil, fmt.Errorf("%s", msg))
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
