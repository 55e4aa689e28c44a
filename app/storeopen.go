//go:build !wasm

package main

import (
	"fmt"
	"strconv"
)

// The saved work lives in IndexedDB, and the app reads it before it shows
// anything (the restored document, not the sample, is what appears). Opening
// the database takes 50-150 ms on a cold start (longer in a fresh profile,
// where the browser creates it), all of it spent waiting after the wasm has
// started. storeOpenJS, put at the top of app.js by the server, starts that
// open with the page instead, while app.wasm downloads and compiles; the
// app takes the request over when it gets there (store_open_wasm.go). It is
// the same open the app makes: same database, version and upgrade (the
// object stores of store.go), so whichever of the two runs it, the result is
// the same.
//
// window.factmarkStoreOpen is {req, state, blocked, versionchange}: state is
// "pending" until the request's success or error, "failed" if it could not
// be made (the app then opens the database itself). Until the app takes the
// connection, a versionchange (a newer Factmark in another tab) closes it
// and is recorded.
var storeOpenJS = fmt.Sprintf(`// -----------------------------------------------------------------------------
// Factmark: open the saved work's database while app.wasm loads (app/storeopen.go).
// -----------------------------------------------------------------------------
var factmarkStoreOpen = (function () {
  const o = { state: "failed", blocked: false, versionchange: false };
  try {
    const req = indexedDB.open(%[1]s, %[2]d);
    o.req = req;
    o.state = "pending";
    req.onupgradeneeded = (e) => {
      try {
        if (e.oldVersion < 1) {
          req.result.createObjectStore(%[3]s);
          req.result.createObjectStore(%[4]s);
        }
      } catch (err) {
        req.transaction.abort();
      }
    };
    req.onblocked = () => {
      o.blocked = true;
    };
    req.onsuccess = () => {
      o.state = "success";
      req.result.onversionchange = () => {
        o.versionchange = true;
        req.result.close();
      };
    };
    req.onerror = (e) => {
      e.preventDefault();
      o.state = "error";
    };
  } catch (err) {
    o.state = "failed";
  }
  return o;
})();

`, strconv.Quote(storeDBName), idbVersion, strconv.Quote(metaStore), strconv.Quote(docsStore))
