//go:build !wasm

package main

import (
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Native twins of the browser glue in glue_wasm.go. The shell renders
// natively too (the server pre-renders the page), where there is no DOM to
// act on: these do nothing, and what needs a browser says so.

func glueInstall(*Shell)          {}
func glueUninstall()              {}
func glueFocusSpan(string, bool)  {}
func glueCollapseIntoSpan(string) {}
func glueCaretAt(domPoint)        {}
func glueClearSelection()         {}
func glueScrollTop()              {}
func glueDownload(string, string, []byte) error {
	return errors.New("downloads need a browser")
}

func glueNote(*session)                {}
func gluePlacePicker(float64, float64) {}
func glueFocusID(string)               {}

// glueAfterPaint does nothing natively, where there is no frame to wait
// for: glueDefers tells callers to do at once what they would defer.
func glueAfterPaint(func(sh *Shell, ctx app.Context)) {}

const glueDefers = false
