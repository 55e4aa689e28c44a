//go:build wasm

package main

import "syscall/js"

// storeOpening is where the page's early open of the database
// (storeopen.go) stands when the app gets to it.
type storeOpening struct {
	// done: the open is over; db or err is its result.
	done bool
	db   js.Value
	err  error
	// req is the request still pending (undefined when there is none: the
	// app opens the database itself); blocked, whether it was blocked.
	req     js.Value
	blocked bool
}

// takeStoreOpening takes the page's early open over, once.
func takeStoreOpening() storeOpening {
	none := storeOpening{req: js.Undefined(), db: js.Undefined()}
	o := js.Global().Get("factmarkStoreOpen")
	if o.Type() != js.TypeObject || o.Get("taken").Truthy() {
		return none
	}
	o.Set("taken", true)
	req := o.Get("req")
	switch o.Get("state").String() {
	case "success":
		db := req.Get("result")
		if o.Get("versionchange").Truthy() {
			return storeOpening{done: true, db: js.Undefined(), err: &storeError{Kind: storeClosed, Detail: "a newer version of Factmark opened the saved data in another tab"}}
		}
		db.Set("onversionchange", js.Null()) // the app sets its own
		return storeOpening{done: true, db: db}
	case "error":
		return storeOpening{done: true, db: js.Undefined(), err: domError("open", req.Get("error"))}
	case "pending":
		// The app's handlers replace the page's; nothing fires in between.
		return storeOpening{req: req, db: js.Undefined(), blocked: o.Get("blocked").Truthy()}
	}
	return none
}
