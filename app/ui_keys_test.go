package main

import (
	"testing"

	"factmark/annotate"
)

func TestKeyCommand(t *testing.T) {
	schema := annotate.DefaultSchema()
	person, _ := schema.ByKey("1")
	claim, _ := schema.ByKey("4")
	tests := []struct {
		name string
		in   keyInput
		span bool
		want uiAction
	}{
		{"1 tags", keyInput{Key: "1", Code: "Digit1"}, false, uiAction{Kind: cmdTag, Label: person.ID}},
		{"4 on the keypad", keyInput{Key: "4", Code: "Numpad4"}, false, uiAction{Kind: cmdTag, Label: claim.ID}},
		{"Alt+1 is precise", keyInput{Key: "¡", Code: "Digit1", Alt: true}, false, uiAction{Kind: cmdTag, Label: person.ID, Precise: true}},
		{"AZERTY 1", keyInput{Key: "&", Code: "Digit1"}, false, uiAction{Kind: cmdTag, Label: person.ID}},
		{"9 has no label", keyInput{Key: "9", Code: "Digit9"}, false, uiAction{}},
		{"typing in a field", keyInput{Key: "1", Code: "Digit1", Editable: true}, false, uiAction{}},
		{"Delete with a span", keyInput{Key: "Delete"}, true, uiAction{Kind: cmdRemove}},
		{"Backspace with a span", keyInput{Key: "Backspace"}, true, uiAction{Kind: cmdRemove}},
		{"Delete without a span (the UI goroutine decides)", keyInput{Key: "Delete"}, false, uiAction{Kind: cmdRemove}},
		{"Shift+Delete", keyInput{Key: "Delete", Shift: true}, true, uiAction{}},
		{"Escape", keyInput{Key: "Escape"}, false, uiAction{Kind: cmdEscape}},
		{"Ctrl+Z", keyInput{Key: "z", Code: "KeyZ", Ctrl: true}, false, uiAction{Kind: cmdUndo}},
		{"Cmd+Z", keyInput{Key: "z", Code: "KeyZ", Meta: true}, false, uiAction{Kind: cmdUndo}},
		{"Ctrl+Shift+Z", keyInput{Key: "Z", Code: "KeyZ", Ctrl: true, Shift: true}, false, uiAction{Kind: cmdRedo}},
		{"Cmd+Shift+Z", keyInput{Key: "z", Code: "KeyZ", Meta: true, Shift: true}, false, uiAction{Kind: cmdRedo}},
		{"Ctrl+Y", keyInput{Key: "y", Code: "KeyY", Ctrl: true}, false, uiAction{Kind: cmdRedo}},
		{"Ctrl+Z on another layout", keyInput{Key: "я", Code: "KeyZ", Ctrl: true}, false, uiAction{Kind: cmdUndo}},
		{"Ctrl+1 is the browser's", keyInput{Key: "1", Code: "Digit1", Ctrl: true}, false, uiAction{}},
		{"Shift+Alt+Right grows the end", keyInput{Key: "ArrowRight", Shift: true, Alt: true}, true, uiAction{Kind: cmdResize, Edge: 1, Grow: true}},
		{"Shift+Alt+Left shrinks the end", keyInput{Key: "ArrowLeft", Shift: true, Alt: true}, true, uiAction{Kind: cmdResize, Edge: 1}},
		{"Shift+Alt+Up grows the start", keyInput{Key: "ArrowUp", Shift: true, Alt: true}, true, uiAction{Kind: cmdResize, Edge: -1, Grow: true}},
		{"Shift+Alt+Down shrinks the start", keyInput{Key: "ArrowDown", Shift: true, Alt: true}, true, uiAction{Kind: cmdResize, Edge: -1}},
		{"Ctrl+Shift+Alt+Left grows the start", keyInput{Key: "ArrowLeft", Ctrl: true, Shift: true, Alt: true}, true, uiAction{Kind: cmdResize, Edge: -1, Grow: true}},
		{"Shift+Right extends in the article", keyInput{Key: "ArrowRight", Shift: true, InReader: true}, false,
			uiAction{Kind: cmdCaret, Extend: true, Direction: "forward", Granularity: "character"}},
		{"Shift+Alt+Right without a span extends precisely", keyInput{Key: "ArrowRight", Shift: true, Alt: true, InReader: true}, false,
			uiAction{Kind: cmdCaret, Extend: true, Precise: true, Direction: "forward", Granularity: "character"}},
		{"Ctrl+Shift+Left extends by word", keyInput{Key: "ArrowLeft", Ctrl: true, Shift: true, InReader: true}, false,
			uiAction{Kind: cmdCaret, Extend: true, Direction: "backward", Granularity: "word"}},
		{"Down moves by line", keyInput{Key: "ArrowDown", InReader: true}, false,
			uiAction{Kind: cmdCaret, Direction: "forward", Granularity: "line"}},
		{"arrows outside the article scroll", keyInput{Key: "ArrowDown"}, false, uiAction{}},
		{"Tab is the browser's", keyInput{Key: "Tab"}, true, uiAction{}},
		{"Enter is the browser's", keyInput{Key: "Enter"}, true, uiAction{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keyCommand(tt.in, schema, tt.span); got != tt.want {
				t.Errorf("keyCommand(%+v, span=%v) = %+v, want %+v", tt.in, tt.span, got, tt.want)
			}
		})
	}
}
