//go:build wasm

package main

import (
	"syscall/js"
	"time"
)

// In the browser a planned save waits, after its delay, for the next
// painted frame: a save encodes the whole document (tens of milliseconds on
// a long one), and run between an update of the page and its paint it
// would hold that paint back (the first frame of a document just opened,
// or an edit made right after the delay ran out). A hidden tab paints
// nothing, so after 100 ms the save runs anyway.
func init() {
	saveAfter = func(d time.Duration, f func()) {
		time.AfterFunc(d, func() { afterNextPaint(f) })
	}
}

// afterNextPaint calls f (on a new goroutine) after the next painted frame
// or after 100 ms, whichever comes first.
func afterNextPaint(f func()) {
	done := make(chan struct{}, 2)
	var raf, tick, late js.Func
	tick = js.FuncOf(func(js.Value, []js.Value) any { tick.Release(); done <- struct{}{}; return nil })
	raf = js.FuncOf(func(js.Value, []js.Value) any {
		raf.Release()
		js.Global().Call("setTimeout", tick, 0)
		return nil
	})
	late = js.FuncOf(func(js.Value, []js.Value) any { late.Release(); done <- struct{}{}; return nil })
	js.Global().Call("requestAnimationFrame", raf)
	js.Global().Call("setTimeout", late, 100)
	go func() {
		<-done
		f()
	}()
}
