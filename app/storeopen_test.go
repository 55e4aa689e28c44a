//go:build !wasm

package main

import (
	"strings"
	"testing"
)

// TestStoreOpenMatchesTheApp: the page's early open of the database
// (storeopen.go) is the app's open (store_wasm.go's idbOpen): same
// database, version and object stores.
func TestStoreOpenMatchesTheApp(t *testing.T) {
	if idbVersion != 1 {
		t.Fatalf("idbVersion is %d: storeopen.go's upgrade creates the object stores of version 1 only; make it do what idbOpen's upgrade does", idbVersion)
	}
	for _, want := range []string{`indexedDB.open("factmark", 1)`, `createObjectStore("meta")`, `createObjectStore("docs")`, "e.oldVersion < 1"} {
		if !strings.Contains(storeOpenJS, want) {
			t.Errorf("storeOpenJS lacks %s:\n%s", want, storeOpenJS)
		}
	}
	ensureRoutes()
	res, err := renderGoapp(newHandler(&webDir{files: map[string]*webFile{"app.wasm": {}}}, "v"), "/app.js")
	if err != nil {
		t.Fatal(err)
	}
	if js := res.body; !strings.HasPrefix(string(js), storeOpenJS) {
		t.Errorf("app.js does not start with the database open:\n%s", js)
	}
}
