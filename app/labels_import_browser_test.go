//go:build !wasm

package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserOpenAddsLabels: a doccano file whose labels Factmark's schema
// lacks (ORG, EVENT) is refused with the labels named, and the problem list
// offers to add them; with the keyboard, the import then opens with the new
// labels in the panel and the spans at their places.
func TestBrowserOpenAddsLabels(t *testing.T) {
	u := openUI(t)
	text := "NATO 🛡 met in Brussels; the Ramstein summit followed."
	nato, summit := utf16Len(text[:strings.Index(text, "NATO")]), utf16Len(text[:strings.Index(text, "Ramstein summit")])
	line := fmt.Sprintf(`{"text": %q, "label": [[%d, %d, "ORG"], [%d, %d, "EVENT"], [%d, %d, "LOC"]]}`+"\n",
		text, nato, nato+4, summit, summit+len("Ramstein summit"), utf16Len(text[:strings.Index(text, "Brussels")]), utf16Len(text[:strings.Index(text, "Brussels")])+8)
	u.pick(writeTestFile(t, "orgs.doccano.jsonl", line))
	u.WaitVisible("#import-report")
	u.waitAlert("orgs.doccano.jsonl", "ORG")
	u.tabTo("Add the missing labels", `document.activeElement.id === 'import-add-labels'`)
	u.Press(kb.Enter)
	u.waitArticle("the Ramstein summit followed")
	got := u.summary()
	want := map[string]bool{"NATO": false, "Ramstein summit": false, "Brussels": false}
	for _, s := range got {
		for w := range want {
			if strings.HasSuffix(s, ":"+w) {
				want[w] = true
			}
		}
	}
	for w, ok := range want {
		if !ok {
			t.Errorf("%q is not tagged; the page shows %q", w, got)
		}
	}
	panel := evalJS[string](u.testBrowser, `document.querySelector('#panel').innerText`)
	for _, l := range []string{"ORG", "EVENT"} {
		if !strings.Contains(panel, l) {
			t.Errorf("the panel has no %s group: %.400q", l, panel)
		}
	}
}
