//go:build !wasm

package main

import "errors"

// Native twins of open_wasm.go: the server pre-renders the page, where
// there are no files to read.

func glueReadFiles(_ string, done func([]inFile, error)) {
	done(nil, errors.New("reading files needs a browser"))
}
func glueValue(string) string               { return "" }
func glueInstallDrop(func([]inFile, error)) {}
func glueUninstallDrop()                    {}
func glueSelectAll(string)                  {}
