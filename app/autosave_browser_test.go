//go:build !wasm

package main

// Browser tests of autosave (issue 4's Autosave section, issue 9's "Nothing
// lost"): the real app in headless Chromium, spans tagged with real mouse
// drags and key presses, the browser killed the hard way, storage made to
// fail through the DevTools protocol, two tabs on one profile.

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
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
// visible text text, and no save is planned or running (aria-busy): the
// state is the outcome of the last change. ("Not saved" stays up while the
// save of a later change waits for its turn, and that save may yet succeed.)
func (u *ui) waitSaveStatus(want, text string) {
	u.t.Helper()
	var state, got string
	var busy bool
	if !u.WaitFor("save status "+want, func() bool {
		state, got = u.saveStatus()
		busy = evalJS[bool](u.testBrowser, `(document.querySelector('#indicators .save-status') || {ariaBusy: ''}).ariaBusy === 'true'`)
		return state == want && got == text && !busy
	}) {
		u.t.Fatalf("the save status is %q (%q, busy %v), want %q (%q) with no save planned or running", state, got, busy, want, text)
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
	waitControlled(u.testBrowser)
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

// storedData is the app's IndexedDB database as a test reads it.
type storedData struct {
	Version int               `json:"version"`
	Meta    string            `json:"meta"`
	Docs    map[string]string `json:"docs"`
}

// readStoreJS reads the database without changing it.
const readStoreJS = `new Promise((res, rej) => {
	const r = indexedDB.open("factmark");
	r.onerror = () => rej(r.error);
	r.onsuccess = () => {
		const db = r.result;
		const out = {version: db.version, meta: "", docs: {}};
		if (!db.objectStoreNames.contains("meta")) { db.close(); res(JSON.stringify(out)); return; }
		const tx = db.transaction(["meta", "docs"]);
		tx.objectStore("meta").get("meta").onsuccess = (e) => { out.meta = e.target.result || ""; };
		const docs = tx.objectStore("docs");
		docs.getAllKeys().onsuccess = (e) => {
			const keys = e.target.result;
			// Document records are the UTF-8 bytes of their JSON (recordBytes).
			docs.getAll().onsuccess = (e2) => e2.target.result.forEach((v, i) => {
				out.docs[keys[i]] = v instanceof Uint8Array ? new TextDecoder().decode(v) : v;
			});
		};
		tx.oncomplete = () => { db.close(); res(JSON.stringify(out)); };
	};
})`

func readStore(b *testBrowser) storedData {
	b.t.Helper()
	var d storedData
	if err := json.Unmarshal([]byte(evalJS[string](b, readStoreJS)), &d); err != nil {
		b.t.Fatal(err)
	}
	return d
}

// writeStoreJS replaces the records (a fixture: what another version of
// Factmark would have written), in a page of the origin where the app does
// not run.
func writeStoreJS(d storedData) string {
	data, _ := json.Marshal(d)
	return `new Promise((res, rej) => {
	const d = ` + string(data) + `;
	const r = indexedDB.open("factmark");
	r.onerror = () => rej(r.error);
	r.onsuccess = () => {
		const db = r.result;
		const tx = db.transaction(["meta", "docs"], "readwrite");
		tx.objectStore("meta").put(d.meta, "meta");
		for (const [k, v] of Object.entries(d.docs)) tx.objectStore("docs").put(v, k);
		tx.oncomplete = () => { db.close(); res(true); };
		tx.onabort = () => rej(tx.error);
	};
})`
}

// bumpStoreVersionJS upgrades the database to IndexedDB version 2 with an
// object store this version does not know, as a newer Factmark might.
const bumpStoreVersionJS = `new Promise((res, rej) => {
	const r = indexedDB.open("factmark", 2);
	r.onerror = () => rej(r.error);
	r.onupgradeneeded = () => r.result.createObjectStore("future");
	r.onsuccess = () => { r.result.close(); res(true); };
})`

// newerRecord returns raw with a newer format version and a field this
// version does not know.
func newerRecord(t *testing.T, raw string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	m["v"] = storeVersion + 1
	m["layers"] = []string{"something a later version keeps"}
	out, _ := json.Marshal(m)
	return string(out)
}

// TestAutosaveRefusesNewerStore (issue 4): data written by a newer version
// of Factmark is refused with a message and never overwritten; the app
// still works in memory, exports, and can download the stored data as it
// is. Both ways a newer version can show: newer records, and a newer
// IndexedDB version.
func TestAutosaveRefusesNewerStore(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	u := openUIOn(t, srv, b)
	person, place := u.labelID("1"), u.labelID("2")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.waitSaved()

	// In a page of the origin where the wasm does not run, make the store
	// one that a newer version wrote.
	b.Navigate(srv.URL + "?wasm=false")
	d := readStore(b)
	if d.Meta == "" || len(d.Docs) != 1 {
		t.Fatalf("the app stored %+v", d)
	}
	for id, raw := range d.Docs {
		d.Docs[id] = newerRecord(t, raw)
	}
	d.Meta = newerRecord(t, d.Meta)
	evalJS[bool](b, writeStoreJS(d))

	u = openUIOn(t, srv, b)
	u.waitSaveStatus("off", "Not saving")
	note := u.waitNotice("written by a newer version of Factmark")
	for _, want := range []string{"left exactly as it is", "Reload to use the newer version", "Export"} {
		if !strings.Contains(note, want) {
			t.Errorf("the notice %q does not say %q", note, want)
		}
	}
	if n := len(u.spans()); n != 0 {
		t.Errorf("the page shows %d spans of data it refused", n)
	}
	// Work goes on in memory, is exported, and touches nothing stored.
	u.tag(u.at("Ternopil", 0), "2")
	u.Press("z", chromedp.ModifierCtrl)
	u.Press("y", chromedp.ModifierCtrl)
	u.waitSummary("in memory", place+":Ternopil")
	time.Sleep(3 * saveDelay)
	u.waitSaveStatus("off", "Not saving")
	if got := readStore(b); got.Meta != d.Meta || !maps.Equal(got.Docs, d.Docs) {
		t.Fatalf("the newer store was changed:\n%+v\nwas\n%+v", got, d)
	}
	_, data := u.export()
	if _, got := exported(t, data); !slices.Equal(got, []string{place + ":Ternopil"}) {
		t.Errorf("exported %q", got)
	}
	// The stored data can be downloaded as it is.
	u.clickNotice("#save-backup")
	var backup storeBackup
	if !u.WaitFor("the backup download", func() bool {
		raw, err := os.ReadFile(filepath.Join(u.dl, "factmark-saved-data.json"))
		return err == nil && json.Unmarshal(raw, &backup) == nil
	}) {
		t.Fatal("no factmark-saved-data.json was downloaded")
	}
	if backup.Meta != d.Meta || !maps.Equal(backup.Docs, d.Docs) || !strings.Contains(backup.Reason, "newer version") {
		t.Errorf("the backup holds %+v", backup)
	}

	// A newer IndexedDB version: opening fails with a VersionError, same
	// refusal, and the database stays as the newer version left it.
	b.Navigate(srv.URL + "?wasm=false")
	evalJS[bool](b, bumpStoreVersionJS)
	before := readStore(b)
	u = openUIOn(t, srv, b)
	u.waitSaveStatus("off", "Not saving")
	u.waitNotice("written by a newer version of Factmark")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.waitSummary("in memory", person+":Dan Driscoll")
	time.Sleep(3 * saveDelay)
	if after := readStore(b); after.Version != 2 || after.Meta != before.Meta || !maps.Equal(after.Docs, before.Docs) {
		t.Errorf("the newer database was changed: version %d", after.Version)
	}
}
