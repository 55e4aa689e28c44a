//go:build !wasm

package main

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPanelManySpans: with 1,000 spans the panel lists the first
// panelStep of each label in text order with the label's full count, "Show
// more" lists the next ones, and the counts and lists follow an edit (the
// panel catches up a frame after the article: syncPanel).
func TestBrowserPanelManySpans(t *testing.T) {
	u := openUI(t)
	dir := t.TempDir()
	d := benchDocument(t, dir, "30KB", 30_000, 1000)
	st := d.state
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{d.file(dir)}, chromedp.NodeReady))
	u.WaitText("#article h1", d.title())

	counts := map[string]int{}
	var persons []string
	for a := range st.All() {
		counts[a.Label]++
		if a.Label == "person" {
			persons = append(persons, a.ID)
		}
	}
	items := func(label string) []string {
		return evalJS[[]string](u.testBrowser, `Array.from(document.querySelectorAll('#panel .group.`+labelClass(label)+` .item'), (e) => e.dataset.id)`)
	}
	waitCount := func(label string, want int) {
		t.Helper()
		ok := u.WaitFor(fmt.Sprintf("the %s count to be %d", label, want), func() bool {
			return evalJS[string](u.testBrowser, `(document.querySelector('#panel .group.`+labelClass(label)+` .group-count') || {}).textContent || ""`) == strconv.Itoa(want)
		})
		if !ok {
			t.Fatalf("the panel's %s count is not %d", label, want)
		}
	}
	for _, label := range []string{"person", "place", "figure"} {
		waitCount(label, counts[label])
		if got := len(items(label)); got != panelStep {
			t.Errorf("%s: %d items listed, want %d", label, got, panelStep)
		}
	}
	if got := items("person"); fmt.Sprint(got) != fmt.Sprint(persons[:panelStep]) {
		t.Errorf("person items are not the first %d in text order", panelStep)
	}

	// Show more: the next ones, up to the count.
	more := `#panel .group.` + labelClass("person") + ` .more`
	u.WaitText(more, fmt.Sprintf("Show %d more of %d", panelStep, counts["person"]))
	u.Click(more)
	if !u.WaitFor("200 person items", func() bool { return len(items("person")) == 2*panelStep }) {
		t.Fatalf("after Show more %d person items, want %d", len(items("person")), 2*panelStep)
	}
	if got := items("person"); fmt.Sprint(got) != fmt.Sprint(persons[:2*panelStep]) {
		t.Errorf("after Show more the person items are not the first %d in text order", 2*panelStep)
	}

	// An edit: relabel the first person span as a place with the keyboard.
	u.Click(`#panel .item[data-id="` + persons[0] + `"]`)
	u.WaitVisible(`#article mark.sel[data-id="` + persons[0] + `"]`)
	u.Press("2")
	u.WaitVisible(`#article mark.sel[data-id="` + persons[0] + `"][data-label="place"]`)
	// The selected span's badge names its label.
	if got := evalJS[string](u.testBrowser, `getComputedStyle(document.querySelector('#article mark.sel'), '::after').content`); got != `"Place"` {
		t.Errorf("the selected span's badge says %s, want \"Place\"", got)
	}
	waitCount("person", counts["person"]-1)
	waitCount("place", counts["place"]+1)
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := items("person")
		if len(got) > 0 && got[0] == persons[1] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the person list still starts with %v after the relabel", got[:1])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := evalJS[string](u.testBrowser, `(document.querySelector('#panel .item[aria-current="true"]') || {}).dataset.id || ""`); got != persons[0] {
		t.Errorf("the current item is %q, want the relabelled span %q", got, persons[0])
	}
}
