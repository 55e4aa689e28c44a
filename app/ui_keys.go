package main

import (
	"strings"

	"factmark/annotate"
)

// keyInput is a keydown event as the glue reads it.
type keyInput struct {
	Key, Code              string
	Ctrl, Meta, Shift, Alt bool
	// Editable is true when the event's target takes text (input,
	// textarea, select, contenteditable): then only the browser acts.
	Editable bool
	// InReader is true when the focus or the selection is in the article,
	// where arrows move the caret.
	InReader bool
}

// cmdKind is what a key does.
type cmdKind int

const (
	cmdNone   cmdKind = iota
	cmdTag            // apply Label (to the pending selection, else relabel the selected span)
	cmdRemove         // remove the selected span
	cmdEscape         // deselect, drop the selection
	cmdUndo
	cmdRedo
	cmdResize // move an edge (Edge -1 start, +1 end) of the selected span by a word
	cmdCaret  // move or extend the caret (Caret*)
	// ui_open.go and ui_library.go
	cmdLibrary // show or hide the library (Alt+L)
	cmdPaste   // the Paste text dialog (Alt+P)
	cmdNextDoc // open the next document of the library (Alt+PageDown)
	cmdPrevDoc // open the previous one (Alt+PageUp)
)

// command is a key's meaning.
type uiAction struct {
	Kind    cmdKind
	Label   string // label id for cmdTag
	Precise bool   // cmdTag with Alt: snap to graphemes only
	Edge    int    // cmdResize
	Grow    bool   // cmdResize
	// cmdCaret: Selection.modify arguments.
	Extend      bool   // extend the selection (Shift) instead of moving the caret
	Direction   string // "forward" or "backward"
	Granularity string // "character", "word", "line", "lineboundary"
}

// keyCommand maps a key to a command. spanSelected tells whether a span is
// selected (Shift+Alt+arrows then resize it instead of extending the text
// selection). Keys it returns cmdNone for are left to the browser.
//
// The keys: 1–4 (the schema's keys) tag; Alt+1–4 tag precisely; Delete and
// Backspace remove; Escape deselects; Ctrl/Cmd+Z undoes; Ctrl/Cmd+Shift+Z
// and Ctrl+Y redo; with a span selected Shift+Alt+Right grows its end by a
// word, Shift+Alt+Left shrinks its end, Shift+Alt+Up grows its start,
// Shift+Alt+Down shrinks its start (Ctrl+Shift+Alt+Left/Right do the same as
// Up/Down); in the article arrows, Home and End move the caret (Ctrl: by
// word) and extend the selection with Shift (Alt: precise); Alt+L shows the
// library, Alt+P pastes text, Alt+PageDown and Alt+PageUp open the next and
// previous document (openKey).
func keyCommand(in keyInput, schema annotate.Schema, spanSelected bool) uiAction {
	if in.Editable {
		return uiAction{}
	}
	mod := in.Ctrl || in.Meta
	key := in.Key
	if len(key) == 1 {
		key = strings.ToLower(key)
	}
	letter := strings.TrimPrefix(in.Code, "Key") // layout-independent
	switch {
	case mod && !in.Alt && (key == "z" || letter == "Z"):
		if in.Shift {
			return uiAction{Kind: cmdRedo}
		}
		return uiAction{Kind: cmdUndo}
	case in.Ctrl && !in.Alt && !in.Shift && (key == "y" || letter == "Y"):
		return uiAction{Kind: cmdRedo}
	case mod:
		if in.Alt && in.Shift && spanSelected {
			switch in.Key {
			case "ArrowLeft":
				return uiAction{Kind: cmdResize, Edge: -1, Grow: true}
			case "ArrowRight":
				return uiAction{Kind: cmdResize, Edge: -1, Grow: false}
			}
		}
		if in.Ctrl && !in.Alt && in.InReader {
			return caretCommand(in, "word")
		}
		return uiAction{}
	}
	if c := openKey(in, letter); c.Kind != cmdNone {
		return c
	}
	if d := digit(in); d != "" && !in.Shift {
		if l, ok := schema.ByKey(d); ok {
			return uiAction{Kind: cmdTag, Label: l.ID, Precise: in.Alt}
		}
		return uiAction{}
	}
	switch in.Key {
	case "Delete", "Backspace":
		// Sent even when the published snapshot says no span is selected:
		// a Delete right after tagging may arrive before the snapshot
		// catches up, and removing with nothing selected does nothing.
		if !in.Shift && !in.Alt {
			return uiAction{Kind: cmdRemove}
		}
		return uiAction{}
	case "Escape":
		return uiAction{Kind: cmdEscape}
	}
	if in.Alt && in.Shift && spanSelected {
		switch in.Key {
		case "ArrowRight":
			return uiAction{Kind: cmdResize, Edge: 1, Grow: true}
		case "ArrowLeft":
			return uiAction{Kind: cmdResize, Edge: 1, Grow: false}
		case "ArrowUp":
			return uiAction{Kind: cmdResize, Edge: -1, Grow: true}
		case "ArrowDown":
			return uiAction{Kind: cmdResize, Edge: -1, Grow: false}
		}
	}
	if in.InReader {
		return caretCommand(in, "character")
	}
	return uiAction{}
}

// caretCommand maps arrows, Home and End to a caret move.
func caretCommand(in keyInput, gran string) uiAction {
	c := uiAction{Kind: cmdCaret, Extend: in.Shift, Precise: in.Alt, Granularity: gran}
	switch in.Key {
	case "ArrowLeft":
		c.Direction = "backward"
	case "ArrowRight":
		c.Direction = "forward"
	case "ArrowUp":
		c.Direction, c.Granularity = "backward", "line"
	case "ArrowDown":
		c.Direction, c.Granularity = "forward", "line"
	case "Home":
		c.Direction, c.Granularity = "backward", "lineboundary"
	case "End":
		c.Direction, c.Granularity = "forward", "lineboundary"
	default:
		return uiAction{}
	}
	return c
}

// digit returns "1".."9" for a digit key (top row or keypad, whatever the
// layout makes of it), "" otherwise.
func digit(in keyInput) string {
	if len(in.Key) == 1 && in.Key[0] >= '1' && in.Key[0] <= '9' {
		return in.Key
	}
	for _, p := range []string{"Digit", "Numpad"} {
		if d, ok := strings.CutPrefix(in.Code, p); ok && len(d) == 1 && d[0] >= '1' && d[0] <= '9' {
			return d
		}
	}
	return ""
}
