//go:build !wasm

package main

// W3C Web Annotations in the browser (issue 6's import): a file in the
// shape the W3C model documents and Hypothesis writes (no text of its own)
// opened on its own annotates the open document as one undoable step; a
// quote that its positions do not select is listed and nothing is added.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestBrowserOpenW3C(t *testing.T) {
	u := openUI(t)
	person, place := u.labelID("1"), u.labelID("2")
	kyiv, driscoll := u.at("Kyiv", 1), u.at("Dan Driscoll", 0)
	// An AnnotationPage written by hand: one annotation with both
	// selectors (tagging body "Place"), one with a quote only and a
	// Hypothesis-style comment (no purpose) and a tag.
	page := fmt.Sprintf(`{
  "@context": "http://www.w3.org/ns/anno.jsonld",
  "id": "https://example.org/page1",
  "type": "AnnotationPage",
  "items": [
    {
      "id": "https://example.org/anno/1",
      "type": "Annotation",
      "body": {"type": "TextualBody", "purpose": "tagging", "value": "Place"},
      "target": {"source": "https://example.org/article", "selector": [
        {"type": "TextQuoteSelector", "exact": "Kyiv", "prefix": "team arrived in ", "suffix": " on a fact"},
        {"type": "TextPositionSelector", "start": %d, "end": %d}
      ]}
    },
    {
      "id": "https://example.org/anno/2",
      "type": "Annotation",
      "motivation": "commenting",
      "body": [
        {"type": "TextualBody", "purpose": "tagging", "value": "person"},
        {"type": "TextualBody", "value": "Secretary of the Army since 2025"}
      ],
      "target": {"selector": {"type": "TextQuoteSelector", "exact": "Dan Driscoll", "prefix": "Army Secretary "}}
    }
  ]
}`, kyiv.Start, kyiv.End)
	u.pick(writeTestFile(t, "hypothesis-page.jsonld", page))
	u.waitSummary("the W3C annotations added", place+":Kyiv", person+":Dan Driscoll")
	u.waitStatus("Added 2 annotations")
	// Remarks (a quote found without positions) are listed; close them.
	if u.Count("#import-report") == 1 {
		u.Press(kb.Escape)
		u.WaitGone("#import-report")
	}
	// The spans are at their places: the second Kyiv, and the note came along.
	got := u.spans()
	for _, s := range got {
		if s.Label == place && s.ID != "" {
			start := evalJS[int](u.testBrowser, fmt.Sprintf(`(() => { const m = document.querySelector('#article mark[data-id=%s]'); return m ? +m.closest('[data-start]').dataset.start : -1 })()`, jsString(s.ID)))
			if b := u.blockOf(kyiv.Start, false); start != b.Start {
				t.Errorf("Kyiv is marked in the block at %d, want the block at %d", start, b.Start)
			}
		}
	}
	native := string(u.exportNative())
	if !strings.Contains(native, `"note": "Secretary of the Army since 2025"`) {
		t.Errorf("the comment did not become the note:\n%.2000s", native)
	}
	// One undo step takes the whole import out.
	u.Press("z", chromedp.ModifierCtrl)
	u.waitSummary("the import undone")

	// A quote that its positions do not select: listed, nothing added.
	bad := fmt.Sprintf(`[{"type": "Annotation", "body": {"purpose": "tagging", "value": "person"},
  "target": {"selector": [{"type": "TextQuoteSelector", "exact": "David Butler"}, {"type": "TextPositionSelector", "start": %d, "end": %d}]}}]`,
		driscoll.Start, driscoll.End)
	u.pick(writeTestFile(t, "shifted.w3c.jsonld", bad))
	u.WaitVisible("#import-report")
	u.waitAlert("shifted.w3c.jsonld")
	rep := evalJS[string](u.testBrowser, `document.querySelector('#import-report').innerText`)
	if !strings.Contains(rep, "David Butler") || !strings.Contains(rep, "Dan Driscoll") {
		t.Errorf("the problem list does not give the expected and found text: %q", rep)
	}
	u.Press(kb.Escape)
	u.WaitGone("#import-report")
	u.waitSummary("nothing added")
}
