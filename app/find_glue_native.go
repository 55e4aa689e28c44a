//go:build !wasm

package main

// Native twins of find_glue_wasm.go: the server pre-renders the shell, where
// there is no DOM to act on.

func glueToolsInstall()             {}
func glueToolsNote(*session)        {}
func glueFocusFind()                {}
func glueSelectRange(_, _ domPoint) {}
func glueShowHit(int)               {}
func glueScrollNearest(string)      {}
func glueShowSug(int)               {}
