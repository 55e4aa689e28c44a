//go:build !wasm

package main

// Browser tests of the offline half of issue 4 that concern the user's
// work: annotations made online are there when the app starts offline from
// the service worker, new ones are saved and exported; the online/offline
// indicator; and a new version offered to an open tab, which reloads into
// it without losing an edit. (That the app shell itself starts offline is
// TestShellWorksOffline's.)

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// offlineConsole are the messages a page logs when the server is gone:
// go-app and the app ask the service worker to look for an update.
const offlineConsole = `(?i)failed to update a ServiceWorker|An unknown error occurred when fetching the script|ERR_CONNECTION_REFUSED`

// setOffline makes the browser report itself offline (navigator.onLine,
// the online and offline events) or online again.
func setOffline(b *testBrowser, offline bool) {
	b.t.Helper()
	cdpCall(b, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
	})
}

// netStatus returns the network indicator's text.
func (u *ui) netStatus() string {
	u.t.Helper()
	return evalJS[string](u.testBrowser, `(document.querySelector('#indicators .net-status') || {}).innerText || ""`)
}

func (u *ui) waitNet(want string) {
	u.t.Helper()
	var got string
	if !u.WaitFor("network status "+want, func() bool { got = u.netStatus(); return got == want }) {
		u.t.Fatalf("the network indicator says %q, want %q", got, want)
	}
}

// TestOfflineKeepsWork (issue 4): load once and annotate; with the server
// stopped a new tab starts from the service worker with the annotations,
// takes new ones, saves and exports them. The indicator follows the
// browser's network state. Logs cold and warm start times.
func TestOfflineKeepsWork(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	start := time.Now()
	u := openUIOn(t, srv, b)
	cold := time.Since(start)
	waitWorker(t, u)
	person, place, figure := u.labelID("1"), u.labelID("2"), u.labelID("3")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.tag(u.at("Ternopil", 0), "2")
	u.waitSaved()

	u.waitNet("Online")
	setOffline(b, true)
	u.waitNet("Offline")
	if title := evalJS[string](b, `document.querySelector('#indicators .net-status').title`); !strings.Contains(title, "keeps working and saving") {
		t.Errorf("the offline indicator explains %q", title)
	}
	setOffline(b, false)
	u.waitNet("Online")

	srv.Stop()
	b.AllowConsole(offlineConsole)
	// The user leaves the app in this tab and opens it in a new one.
	b.Navigate("about:blank")
	tab := b.NewTab()
	tab.AllowConsole(offlineConsole)
	start = time.Now()
	w := openUIOn(t, srv, tab)
	warm := time.Since(start)
	t.Logf("start until the app is ready: cold (network, fresh profile) %v, warm (offline, service worker) %v",
		cold.Round(time.Millisecond), warm.Round(time.Millisecond))
	w.waitSummary("offline, in a new tab", person+":Dan Driscoll", place+":Ternopil")
	w.waitSaveStatus("saved", "Saved")

	w.tag(w.at("$105 million", 0), "3")
	w.waitSaved()
	want := []string{person + ":Dan Driscoll", place + ":Ternopil", figure + ":$105 million"}
	_, data := w.export()
	_, got := exported(t, data)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported offline %q, want %q", got, want)
	}
	start = time.Now()
	w.Reload()
	w.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	t.Logf("warm reload (offline): %v", time.Since(start).Round(time.Millisecond))
	w.waitSummary("offline, after a reload", want...)
}

// TestUpdateOffered (issue 4): a new build while a tab is open: the tab
// offers the new version when it looks for one (here: when the browser comes
// back online), and its Reload button saves the edit just made and reloads
// into the new version.
func TestUpdateOffered(t *testing.T) {
	dir := copyWebDir(t)
	srv := startAppServer(t, withWebDir(dir), withWatch(100*time.Millisecond))
	b := newBrowser(t)
	u := openUIOn(t, srv, b)
	waitWorker(t, u)
	person, place := u.labelID("1"), u.labelID("2")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.waitSaved()
	if n := u.Count("#update-notice"); n != 0 {
		t.Fatal("an update is offered before there is one")
	}

	// A new build: its stylesheet sets a custom property the old one does
	// not have.
	old := srv.Srv.site().version
	css := filepath.Join(dir, "app.css")
	data, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, append(data, "\nhtml { --factmark-build: \"second\"; }\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if !u.WaitFor("the server to serve the new build", func() bool { return srv.Srv.site().version != old }) {
		t.Fatal("the server did not pick up the new build")
	}
	newVersion := srv.Srv.site().version

	setOffline(b, true)
	setOffline(b, false)
	u.WaitVisible("#update-notice")
	u.WaitText("#update-notice", "A new version of Factmark is ready.")
	if got := evalJS[string](b, `getComputedStyle(document.documentElement).getPropertyValue("--factmark-build")`); got != "" {
		t.Fatalf("the page runs the new build before reloading (%q)", got)
	}

	// An edit, and Reload before it is saved.
	u.tag(u.at("Ternopil", 0), "2")
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	loads := chromedp.Events(ctx, page.LoadEventFired)
	u.clickNotice("#update-reload")
	for _, err := range loads {
		if err != nil {
			t.Fatalf("Reload did not load the page again: %v", err)
		}
		break
	}
	u.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	if got := evalJS[string](b, `getComputedStyle(document.documentElement).getPropertyValue("--factmark-build")`); got != `"second"` {
		t.Fatalf("after Reload the page does not run the new build (--factmark-build %q)", got)
	}
	u.waitSummary("after the update", person+":Dan Driscoll", place+":Ternopil")
	if n := u.Count("#update-notice"); n != 0 {
		t.Error("the new version still offers an update")
	}
	// go-app's worker deletes the old cache when it activates, without
	// making the activation wait for it: the deletion may still be running.
	var got []string
	if !u.WaitFor("the old version's cache to be deleted", func() bool {
		got = evalJS[[]string](b, `caches.keys()`)
		return slices.Equal(got, []string{"app-" + newVersion})
	}) {
		t.Errorf("caches %q, want only the new version's", got)
	}
}
