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

// waitWorker waits until the service worker controls the page and has
// cached the app, so that a storage quota set afterwards only hits autosave.
func waitWorker(t *testing.T, u *ui) {
	t.Helper()
	waitCached(t, u.testBrowser, u.srv.Srv.site())
	u.WaitFor("the service worker to control the page", func() bool {
		return evalJS[bool](u.testBrowser, `navigator.serviceWorker.controller !== null`)
	})
}

// setQuota overrides the storage quota of the app's origin (nil: back to
// the default).
func setQuota(u *ui, bytes *float64) {
	u.t.Helper()
	origin := strings.TrimSuffix(u.srv.URL, "/")
	cdpCall(u.testBrowser, storage.OverrideQuotaForOrigin, storage.OverrideQuotaForOriginParams{Origin: origin, QuotaSize: bytes})
}

// clickNotice clicks a button of the notices under the header, scrolled to
// the top of the page where they are.
func (u *ui) clickNotice(sel string) {
	u.t.Helper()
	evalJS[bool](u.testBrowser, `(window.scrollTo(0, 0), true)`)
	u.Click(sel)
}

// TestAutosaveQuotaExceeded (issue 4, issue 9): with the storage quota
// full, the app says that the changes are not saved and why, keeps every
// edit in memory, exports them, and saves them all once there is room.
//
// Chromium checks an IndexedDB write against the quota it knew when the
// site's storage was first used in the session (and again after a write
// fails), so the quota is lowered before the app starts: the user comes
// back to a browser whose storage has filled up meanwhile.
func TestAutosaveQuotaExceeded(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	u := openUIOn(t, srv, b)
	waitWorker(t, u)
	person, place, figure := u.labelID("1"), u.labelID("2"), u.labelID("3")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.waitSaved()
	b.Close()

	// The service worker's cache alone (the wasm) is megabytes: with a
	// quota of one kilobyte no write fits.
	b2 := newBrowser(t, withProfile(b.Profile))
	u = &ui{testBrowser: b2, t: t, srv: srv, doc: u.doc, dl: u.dl}
	tiny := 1024.0
	setQuota(u, &tiny)
	u = openUIOn(t, srv, b2)
	u.waitSummary("restored", person+":Dan Driscoll")
	u.waitSaveStatus("saved", "Saved")
	u.tag(u.at("Ternopil", 0), "2")
	u.waitSaveStatus("failed", "Not saved")
	note := u.waitNotice("quota exceeded")
	for _, want := range []string{"not saved", "Export"} {
		if !strings.Contains(note, want) {
			t.Errorf("the notice %q does not say %q", note, want)
		}
	}
	if role := evalJS[string](b2, `document.querySelector('#save-notice').getAttribute('role')`); role != "alert" {
		t.Errorf("the storage failure notice has role %q, want alert", role)
	}
	// Work goes on in memory: tag, undo, redo.
	u.tag(u.at("$105 million", 0), "3")
	u.Press("z", chromedp.ModifierCtrl)
	u.waitCount(2)
	u.Press("y", chromedp.ModifierCtrl)
	want := []string{person + ":Dan Driscoll", place + ":Ternopil", figure + ":$105 million"}
	u.waitSummary("in memory", want...)
	u.waitSaveStatus("failed", "Not saved")

	// Export still works and has everything.
	_, data := u.export()
	_, got := exported(t, data)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported %q, want %q", got, want)
	}

	// Room again: Retry saves it all, and a reload shows it.
	setQuota(u, nil)
	u.clickNotice("#save-retry")
	u.waitSaved()
	if n := u.Count("#save-notice"); n != 0 {
		t.Errorf("the failure notice is still shown after a successful save: %q", u.notice())
	}
	u.Reload()
	u.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	u.waitSummary("after the reload", want...)
}

// TestAutosaveTwoTabs (issue 9): two tabs on the same document lose no edit.
// The first tab writes; the second follows it read-only, says so, refuses
// edits, and shows the first tab's saves as they happen. "Edit here" hands
// the writing over, unsaved changes of the first tab included; when the
// writing tab closes, the other takes over by itself.
func TestAutosaveTwoTabs(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	a := openUIOn(t, srv, b)
	person, place, figure := a.labelID("1"), a.labelID("2"), a.labelID("3")
	a.tag(a.at("Dan Driscoll", 0), "1")
	a.waitSaved()

	tab := b.NewTab()
	bt := openUIOn(t, srv, tab)
	bt.waitSaveStatus("readonly", "Read-only")
	bt.waitNotice("open for editing in another Factmark tab")
	bt.waitSummary("the second tab shows the first one's work", person+":Dan Driscoll")

	// An edit in the read-only tab is refused, with the reason, and
	// changes nothing.
	bt.drag(bt.at("Ternopil", 0))
	bt.Press("2")
	bt.WaitText(".alert[role=alert]", "read-only")
	bt.Press("z", chromedp.ModifierCtrl)
	bt.waitSummary("nothing changed in the read-only tab", person+":Dan Driscoll")

	// The first tab's edits appear in the second once saved.
	a.tag(a.at("Ternopil", 0), "2")
	bt.waitSummary("the second tab follows", person+":Dan Driscoll", place+":Ternopil")

	// An edit the first tab has not saved yet, then "Edit here" at once:
	// the first tab saves it before handing over.
	a.tag(a.at("Moscow", 0), "2")
	bt.clickNotice("#edit-here")
	bt.waitSaveStatus("saved", "Saved")
	want := []string{person + ":Dan Driscoll", place + ":Ternopil", place + ":Moscow"}
	bt.waitSummary("handed over with the unsaved edit", want...)
	a.waitSaveStatus("readonly", "Read-only")
	if n := bt.Count("#save-notice"); n != 0 {
		t.Errorf("the tab that now edits still shows a notice: %q", bt.notice())
	}

	// Now the second tab edits and the first follows; the history came
	// along: undo in the second tab undoes the first tab's last edit.
	bt.tag(bt.at("$105 million", 0), "3")
	want = append(want, figure+":$105 million")
	a.waitSummary("the first tab follows", want...)
	bt.Press("z", chromedp.ModifierCtrl)
	bt.Press("z", chromedp.ModifierCtrl)
	a.waitSummary("two undos followed", person+":Dan Driscoll", place+":Ternopil")
	bt.Press("y", chromedp.ModifierCtrl)
	bt.Press("y", chromedp.ModifierCtrl)
	a.waitSummary("two redos followed", want...)
	bt.waitSaved()

	// The writing tab closes: the first becomes the writer by itself.
	tab.CloseTab()
	a.waitSaveStatus("saved", "Saved")
	a.tag(a.at("Kyiv", 0), "2")
	want = append(want, place+":Kyiv")
	a.waitSaved()
	a.Reload()
	a.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	a.waitSummary("everything from both tabs", want...)
}

var _ = fmt.Sprint
