//go:build !wasm

package main

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

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

// TestBrowserOpenEncodings: a doccano file saved as UTF-16 (as Windows tools
// do) opens with its spans in place and a remark that it was converted; the
// same file in Latin-1 is refused with the byte where it stops being UTF-8,
// and the open document stays as it was.
func TestBrowserOpenEncodings(t *testing.T) {
	u := openUI(t)
	text := "Café talks 🇺🇦 resumed in Lviv."
	at := utf16Len(text[:strings.Index(text, "Lviv")])
	line := fmt.Sprintf(`{"text": %q, "label": [[%d, %d, "LOC"]]}`+"\n", text, at, at+4)
	u.pick(writeTestFile(t, "windows.jsonl", string(utf16LEWithBOM(line))))
	u.waitArticle("resumed in Lviv")
	u.waitSummary("the UTF-16 file's span", u.labelID("2")+":Lviv")
	if u.Count("#import-report") == 1 {
		rep := evalJS[string](u.testBrowser, `document.querySelector('#import-report').innerText`)
		if !strings.Contains(rep, "UTF-16") {
			t.Errorf("the remarks do not say the file was converted: %q", rep)
		}
		u.Press(kb.Escape)
		u.WaitGone("#import-report")
	} else {
		t.Errorf("no remark says the UTF-16 file was converted")
	}
	before := u.articleText()
	latin := strings.Replace(line, "Café", "Caf\xe9", 1)
	u.pick(writeTestFile(t, "latin.jsonl", latin))
	u.waitAlert("latin.jsonl", "not UTF-8", "byte 13")
	if got := u.articleText(); got != before {
		t.Errorf("the refused file changed the article")
	}
	u.waitSummary("the span is still there", u.labelID("2")+":Lviv")
}

func utf16LEWithBOM(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
