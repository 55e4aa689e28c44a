//go:build wasm

package main

import "syscall/js"

// readSome reads the ids of every stored document and the records of ids
// (those that exist), in one transaction: opening a file needs to know what
// the library holds under the file's ids, not every record it holds.
func (p *idbPlatform) readSome(ids []string, done func(stored []string, docs map[string]string, err error)) {
	tx, err := p.transaction("readonly")
	if err != nil {
		done(nil, nil, err)
		return
	}
	store := tx.Call("objectStore", docsStore)
	var stored []string
	docs := map[string]string{}
	kreq := store.Call("getAllKeys")
	on(kreq, map[string]func(js.Value){
		"success": func(js.Value) {
			keys := kreq.Get("result")
			for i, n := 0, keys.Length(); i < n; i++ {
				stored = append(stored, recordString(keys.Index(i)))
			}
		},
		"error": func(js.Value) {},
	}, "success", "error")
	for _, id := range ids {
		id := id
		req := store.Call("get", id)
		on(req, map[string]func(js.Value){
			"success": func(js.Value) {
				if r := req.Get("result"); !r.IsUndefined() {
					docs[id] = recordString(r)
				}
			},
			"error": func(js.Value) {},
		}, "success", "error")
	}
	on(tx, map[string]func(js.Value){
		"complete": func(js.Value) { done(stored, docs, nil) },
		"abort":    func(js.Value) { done(nil, nil, domError("read", tx.Get("error"))) },
	}, "complete", "abort")
}
