//go:build wasm

package main

// Browser glue of autosave: IndexedDB (open, upgrade, read, save in one
// transaction), the Web Lock that makes one tab the writer, the
// BroadcastChannel between tabs, and the page's lifecycle and network
// events. Records are strings made and read by store.go; this file only
// moves them and maps the browser's errors.

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"
	"time"
	"unsafe"
)

// storeStartTimeout bounds how long the start waits for the browser's
// storage before showing the app without the saved work (and without
// saving, so that nothing unread is overwritten).
const storeStartTimeout = 5 * time.Second

func init() {
	startStorage = startBrowserStorage
	confirmUnsaved = func(msg string) bool { return js.Global().Call("confirm", msg).Bool() }
}

// idbPlatform is the storePlatform of the browser.
type idbPlatform struct {
	a       *autosaver
	db      js.Value
	channel js.Value // BroadcastChannel, or undefined
	locks   js.Value // navigator.locks, or undefined
	// release resolves the promise that holds the writer lock; undefined
	// when this tab does not hold it.
	release js.Value
	noop    js.Func
}

// jsTry runs f and turns a JavaScript exception into an error.
func jsTry(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if je, ok := r.(js.Error); ok {
				err = je
				return
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}

// domError maps a DOMException (or a js.Error wrapping one) to a storeError.
func domError(op string, v js.Value) *storeError {
	if v.IsUndefined() || v.IsNull() {
		return domStorageError(op, "AbortError", "")
	}
	return domStorageError(op, v.Get("name").String(), v.Get("message").String())
}

func jsErr(op string, err error) *storeError {
	var je js.Error
	if errors.As(err, &je) {
		return domError(op, je.Value)
	}
	return &storeError{Kind: storeFailed, Detail: fmt.Sprintf("the browser's storage failed (%v)", err)}
}

// on sets target.on<event> handlers. When one of the terminal events fires,
// every handler set here is removed and released.
func on(target js.Value, handlers map[string]func(js.Value), terminal ...string) {
	var fns []js.Func
	names := make([]string, 0, len(handlers))
	done := false
	for name, h := range handlers {
		isTerminal := false
		for _, t := range terminal {
			if t == name {
				isTerminal = true
			}
		}
		fn := js.FuncOf(func(this js.Value, args []js.Value) any {
			if done {
				return nil
			}
			var ev js.Value
			if len(args) > 0 {
				ev = args[0]
			}
			if !isTerminal {
				h(ev)
				return nil
			}
			done = true
			for _, n := range names {
				target.Set("on"+n, js.Null())
			}
			h(ev)
			// A js.Func may be released while it runs; none of these is
			// called again.
			for _, f := range fns {
				f.Release()
			}
			return nil
		})
		fns = append(fns, fn)
		names = append(names, name)
		target.Set("on"+name, fn)
	}
}

// recordString returns a stored record as a string: "" when absent, the
// string itself, the UTF-8 of a Uint8Array (how document records are
// written, see recordBytes), or the JSON of anything else (what a newer
// version might store), which store.go then reads and refuses with its
// version.
func recordString(v js.Value) string {
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return ""
	case js.TypeString:
		return v.String()
	}
	if v.InstanceOf(js.Global().Get("Uint8Array")) {
		b := make([]byte, v.Length())
		js.CopyBytesToGo(b, v)
		return string(b)
	}
	var s string
	if err := jsTry(func() { s = js.Global().Get("JSON").Call("stringify", v).String() }); err != nil {
		return "{}"
	}
	return s
}

// idbOpen opens (creating or upgrading) the database, waiting at most
// storeStartTimeout. It must not run inside a JavaScript callback.
func idbOpen() (js.Value, error) {
	factory := js.Global().Get("indexedDB")
	if !factory.Truthy() {
		return js.Undefined(), &storeError{Kind: storeUnavailable, Detail: "this browser has no IndexedDB, where Factmark saves your work"}
	}
	// The page may have started the open already (storeopen.go).
	pre := takeStoreOpening()
	if pre.done {
		return pre.db, pre.err
	}
	req := pre.req
	if req.IsUndefined() {
		if err := jsTry(func() { req = factory.Call("open", storeDBName, idbVersion) }); err != nil {
			return js.Undefined(), jsErr("open", err)
		}
	}
	type result struct {
		db  js.Value
		err error
	}
	ch := make(chan result, 1)
	blocked := pre.blocked
	abandoned := false
	on(req, map[string]func(js.Value){
		"upgradeneeded": func(e js.Value) {
			db := req.Get("result")
			old := e.Get("oldVersion").Int()
			err := jsTry(func() {
				if old < 1 {
					db.Call("createObjectStore", metaStore)
					db.Call("createObjectStore", docsStore)
				}
			})
			if err != nil {
				req.Get("transaction").Call("abort")
			}
		},
		"blocked": func(js.Value) { blocked = true },
		"success": func(js.Value) {
			db := req.Get("result")
			if abandoned {
				db.Call("close")
				return
			}
			ch <- result{db: db}
		},
		"error": func(e js.Value) {
			e.Call("preventDefault")
			ch <- result{err: domError("open", req.Get("error"))}
		},
	}, "success", "error")
	select {
	case r := <-ch:
		return r.db, r.err
	case <-time.After(storeStartTimeout):
		abandoned = true
		if blocked {
			return js.Undefined(), &storeError{Kind: storeBlocked, Detail: "another Factmark tab keeps the saved data open with an older version; close the other Factmark tabs and reload this one"}
		}
		return js.Undefined(), &storeError{Kind: storeTimeout, Detail: fmt.Sprintf("the browser's storage did not answer within %v", storeStartTimeout)}
	}
}

// transaction starts a transaction on both object stores.
func (p *idbPlatform) transaction(mode string) (js.Value, error) {
	var tx js.Value
	err := jsTry(func() {
		if mode == "readwrite" {
			tx = p.db.Call("transaction", []any{metaStore, docsStore}, mode, map[string]any{"durability": "strict"})
		} else {
			tx = p.db.Call("transaction", []any{metaStore, docsStore}, mode)
		}
	})
	if err != nil {
		return js.Undefined(), jsErr("transaction", err)
	}
	return tx, nil
}

func (p *idbPlatform) readOpen(done func(meta, doc string, err error)) {
	tx, err := p.transaction("readonly")
	if err != nil {
		done("", "", err)
		return
	}
	var meta, doc string
	docs := tx.Call("objectStore", docsStore)
	req := tx.Call("objectStore", metaStore).Call("get", metaKey)
	on(req, map[string]func(js.Value){
		"success": func(js.Value) {
			meta = recordString(req.Get("result"))
			m, err := decodeMeta(meta)
			if err != nil || meta == "" {
				return // store.go says what is wrong with it
			}
			r2 := docs.Call("get", m.Open)
			on(r2, map[string]func(js.Value){
				"success": func(js.Value) { doc = recordString(r2.Get("result")) },
				"error":   func(js.Value) {},
			}, "success", "error")
		},
		"error": func(js.Value) {},
	}, "success", "error")
	on(tx, map[string]func(js.Value){
		"complete": func(js.Value) { done(meta, doc, nil) },
		"abort":    func(js.Value) { done("", "", domError("read", tx.Get("error"))) },
	}, "complete", "abort")
}

// readOpenSync is readOpen waiting for its result (at the start).
func (p *idbPlatform) readOpenSync() (meta, doc string, err error) {
	type result struct {
		meta, doc string
		err       error
	}
	ch := make(chan result, 1)
	p.readOpen(func(meta, doc string, err error) { ch <- result{meta, doc, err} })
	select {
	case r := <-ch:
		return r.meta, r.doc, r.err
	case <-time.After(storeStartTimeout):
		return "", "", &storeError{Kind: storeTimeout, Detail: fmt.Sprintf("reading the saved data took more than %v", storeStartTimeout)}
	}
}

func (p *idbPlatform) readAll(done func(meta string, docs map[string]string, err error)) {
	tx, err := p.transaction("readonly")
	if err != nil {
		done("", nil, err)
		return
	}
	var meta string
	docs := map[string]string{}
	mreq := tx.Call("objectStore", metaStore).Call("get", metaKey)
	on(mreq, map[string]func(js.Value){
		"success": func(js.Value) { meta = recordString(mreq.Get("result")) },
		"error":   func(js.Value) {},
	}, "success", "error")
	store := tx.Call("objectStore", docsStore)
	kreq := store.Call("getAllKeys")
	vreq := store.Call("getAll")
	var keys, vals js.Value
	on(kreq, map[string]func(js.Value){"success": func(js.Value) { keys = kreq.Get("result") }, "error": func(js.Value) {}}, "success", "error")
	on(vreq, map[string]func(js.Value){"success": func(js.Value) { vals = vreq.Get("result") }, "error": func(js.Value) {}}, "success", "error")
	on(tx, map[string]func(js.Value){
		"complete": func(js.Value) {
			if keys.Truthy() && vals.Truthy() {
				for i := 0; i < keys.Length() && i < vals.Length(); i++ {
					docs[recordString(keys.Index(i))] = recordString(vals.Index(i))
				}
			}
			done(meta, docs, nil)
		},
		"abort": func(js.Value) { done("", nil, domError("read", tx.Get("error"))) },
	}, "complete", "abort")
}

func (p *idbPlatform) readDoc(id string, done func(raw string, err error)) {
	tx, err := p.transaction("readonly")
	if err != nil {
		done("", err)
		return
	}
	var raw string
	req := tx.Call("objectStore", docsStore).Call("get", id)
	on(req, map[string]func(js.Value){
		"success": func(js.Value) { raw = recordString(req.Get("result")) },
		"error":   func(js.Value) {},
	}, "success", "error")
	on(tx, map[string]func(js.Value){
		"complete": func(js.Value) { done(raw, nil) },
		"abort":    func(js.Value) { done("", domError("read", tx.Get("error"))) },
	}, "complete", "abort")
}

func (p *idbPlatform) write(w storeWrite, done func(error)) {
	tx, err := p.transaction("readwrite")
	if err != nil {
		done(err)
		return
	}
	var refused error
	metas := tx.Call("objectStore", metaStore)
	docs := tx.Call("objectStore", docsStore)
	req := metas.Call("get", metaKey)
	on(req, map[string]func(js.Value){
		"success": func(js.Value) {
			// Still inside the transaction: check what is stored now, then
			// write, so that a newer version's data is never overwritten.
			if err := checkWritable(recordString(req.Get("result"))); err != nil {
				refused = err
				tx.Call("abort")
				return
			}
			if err := jsTry(func() {
				for _, id := range w.Delete {
					docs.Call("delete", id)
				}
				for id, rec := range w.Put {
					docs.Call("put", recordBytes(rec), id)
				}
				if w.Meta != "" {
					metas.Call("put", w.Meta, metaKey)
				}
			}); err != nil {
				refused = jsErr("save", err)
				jsTry(func() { tx.Call("abort") })
			}
		},
		"error": func(js.Value) {},
	}, "success", "error")
	on(tx, map[string]func(js.Value){
		"complete": func(js.Value) { done(nil) },
		"abort": func(js.Value) {
			if refused != nil {
				done(refused)
				return
			}
			done(domError("save", tx.Get("error")))
		},
	}, "complete", "abort")
}

// recordBytes is a document record as the Uint8Array of its UTF-8 bytes.
// A document record is the whole native encoding (megabytes on a long
// document): handing it over as bytes is a copy, where a JavaScript string
// would be decoded from UTF-8 on every save.
func recordBytes(rec string) js.Value {
	u := js.Global().Get("Uint8Array").New(len(rec))
	js.CopyBytesToJS(u, unsafe.Slice(unsafe.StringData(rec), len(rec)))
	return u
}

func (p *idbPlatform) save(rec storeRecords, done func(error)) {
	p.write(storeWrite{Put: map[string]string{rec.DocID: rec.Doc}, Meta: rec.Meta}, done)
}

func (p *idbPlatform) announce(m tabMessage) {
	if !p.channel.Truthy() {
		return
	}
	data, err := json.Marshal(m)
	if err != nil {
		return
	}
	jsTry(func() { p.channel.Call("postMessage", string(data)) })
}

// requestLock asks for the writer lock. With ifAvailable it answers at once
// (got false when another tab holds it); otherwise it waits until granted.
// got is called inside a JavaScript callback: it must not block.
func (p *idbPlatform) requestLock(ifAvailable bool, got func(bool)) {
	opts := map[string]any{"mode": "exclusive"}
	if ifAvailable {
		opts["ifAvailable"] = true
	}
	var cb js.Func
	cb = js.FuncOf(func(this js.Value, args []js.Value) any {
		defer cb.Release() // allowed while it runs; it is called once
		if len(args) == 0 || args[0].IsNull() {
			got(false)
			return nil
		}
		var resolve js.Value
		exec := js.FuncOf(func(this js.Value, a []js.Value) any { resolve = a[0]; return nil })
		promise := js.Global().Get("Promise").New(exec)
		exec.Release()
		p.release = resolve
		got(true)
		return promise
	})
	if err := jsTry(func() {
		p.locks.Call("request", writerLock, opts, cb).Call("catch", p.noop)
	}); err != nil {
		cb.Release()
		got(false)
	}
}

// waitLock queues for the writer lock; when it is granted this tab becomes
// the writer.
func (p *idbPlatform) waitLock() {
	p.requestLock(false, func(ok bool) {
		if ok {
			p.a.post(p.a.granted)
		}
	})
}

func (p *idbPlatform) releaseLock() {
	if p.release.Truthy() {
		p.release.Invoke()
	}
	p.release = js.Undefined()
	p.waitLock()
}

// listen adds a listener that lives as long as the page.
func listenPage(target js.Value, event string, f func(js.Value)) {
	target.Call("addEventListener", event, js.FuncOf(func(this js.Value, args []js.Value) any {
		var ev js.Value
		if len(args) > 0 {
			ev = args[0]
		}
		f(ev)
		return nil
	}))
}

// checkForUpdate asks the service worker registration to look for a new
// version of the app (go-app's goappTryUpdate without its unhandled
// rejection when offline). When one is installed, go-app calls OnAppUpdate.
func checkForUpdate(noop js.Func) {
	sw := js.Global().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	var then js.Func
	then = js.FuncOf(func(this js.Value, args []js.Value) any {
		defer then.Release()
		if len(args) > 0 && args[0].Truthy() {
			return args[0].Call("update")
		}
		return nil
	})
	jsTry(func() { sw.Call("getRegistration").Call("then", then).Call("catch", noop) })
}

// startBrowserStorage opens the store, decides whether this tab writes,
// restores the saved work into the session and installs the listeners. It
// runs in the shell's OnInit, before the first render, on the main
// goroutine (not in a callback), so it may wait.
func startBrowserStorage(a *autosaver) {
	p := &idbPlatform{a: a, channel: js.Undefined(), locks: js.Undefined(), release: js.Undefined()}
	p.noop = js.FuncOf(func(js.Value, []js.Value) any { return nil })
	nav := js.Global().Get("navigator")
	a.online = !nav.Get("onLine").Equal(js.ValueOf(false))
	p.installListeners()

	startupMark("storage")
	db, err := idbOpen()
	startupMark("storage-open")
	if err != nil {
		a.off = err
		return
	}
	p.db = db
	on(db, map[string]func(js.Value){
		"versionchange": func(js.Value) {
			db.Call("close")
			a.post(func() {
				a.off = &storeError{Kind: storeClosed, Detail: "a newer version of Factmark opened the saved data in another tab"}
			})
		},
		"close": func(js.Value) {
			a.post(func() {
				a.off = &storeError{Kind: storeClosed, Detail: "the browser closed the saved data (site data may have been cleared)"}
			})
		},
	}, "versionchange", "close")
	a.pf = p

	// Which tab writes.
	a.role = roleAlone
	if l := nav.Get("locks"); l.Truthy() {
		p.locks = l
		ch := make(chan bool, 1)
		p.requestLock(true, func(ok bool) { ch <- ok })
		select {
		case ok := <-ch:
			if ok {
				a.role = roleWriter
			} else {
				a.role = roleFollower
				p.waitLock()
			}
		case <-time.After(storeStartTimeout):
			// Locks that do not answer: write alone rather than never.
		}
	}
	if bc := js.Global().Get("BroadcastChannel"); bc.Truthy() {
		jsTry(func() { p.channel = bc.New(tabChannel) })
		if p.channel.Truthy() {
			p.channel.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
				var m tabMessage
				if len(args) == 0 || args[0].Get("data").Type() != js.TypeString ||
					json.Unmarshal([]byte(args[0].Get("data").String()), &m) != nil {
					return nil
				}
				a.post(func() { a.onMessage(m) })
				return nil
			}))
		}
	}

	// What was saved. Anything that cannot be read turns saving off: what
	// is not understood is never overwritten.
	meta, doc, err := p.readOpenSync()
	startupMark("storage-read")
	if err != nil {
		a.off = err
		return
	}
	if meta == "" {
		return
	}
	m, err := decodeMeta(meta)
	if err != nil {
		a.off = err
		return
	}
	d, err := decodeDoc(doc, m.Open)
	if err != nil {
		a.off = err
		return
	}
	a.adopt(d)
	a.s.message = restoredMessage(d)
}

// restoredMessage tells the user what was restored.
func restoredMessage(d savedDoc) string {
	n := d.State.Len()
	what := fmt.Sprintf("%d annotations", n)
	if n == 1 {
		what = "1 annotation"
	}
	title := d.State.Doc.Title
	if title == "" {
		title = d.State.Doc.ID
	}
	return fmt.Sprintf("Restored “%s” with %s, saved %s.", title, what, d.SavedAt.Local().Format("2 Jan 15:04:05"))
}

// installListeners saves when the page is hidden or closed, follows the
// network state and looks for updates.
func (p *idbPlatform) installListeners() {
	a := p.a
	doc := js.Global().Get("document")
	win := js.Global()
	listenPage(doc, "visibilitychange", func(js.Value) {
		if doc.Get("visibilityState").String() == "hidden" {
			a.flush()
			return
		}
		checkForUpdate(p.noop)
	})
	listenPage(win, "pagehide", func(js.Value) { a.flush() })
	listenPage(win, "online", func(js.Value) {
		a.post(func() { a.setOnline(true) })
		checkForUpdate(p.noop)
	})
	listenPage(win, "offline", func(js.Value) { a.post(func() { a.setOnline(false) }) })
	go func() {
		for range time.Tick(updateCheckInterval) {
			checkForUpdate(p.noop)
		}
	}()
}

var _ storePlatform = (*idbPlatform)(nil)
