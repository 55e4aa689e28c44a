//go:build !wasm

package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
)

// The seed article's structure, written down here rather than computed with
// annotate, so the test checks the import instead of repeating it: line 1 is
// a table-of-contents artefact, line 2 the headline, four short lines are
// subheadings and every other line is a paragraph.
const seedHeadline = "Top U.S. Military Delegation Visits Kyiv to Explore Pathways for Ending the Ukraine Conflict"

var seedSubheadings = []string{
	"Details of the U.S. Military Delegation and Their Mission",
	"Focus of Discussions: Military Situation and Ceasefire Prospects",
	"Challenges to Peace: Territorial Integrity and Preconditions",
	"Leadership Changes and U.S. Policy Outlook",
}

// seedParagraphs returns the paragraphs of app/seed/article.txt, in order.
func seedParagraphs(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("seed", "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for l := range strings.SplitSeq(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 || lines[0] != "Table of Contents" || lines[1] != seedHeadline {
		t.Fatalf("seed/article.txt changed: update seedHeadline and seedSubheadings (first lines %q)", lines[:min(2, len(lines))])
	}
	var paras []string
	for _, l := range lines[2:] {
		if !slices.Contains(seedSubheadings, l) {
			paras = append(paras, l)
		}
	}
	if len(paras) != len(lines)-2-len(seedSubheadings) {
		t.Fatalf("seed/article.txt changed: not every subheading in seedSubheadings is a line of it")
	}
	return paras
}

// waitAppStarted waits until the wasm runs: go-app removes its loader then.
// (The page is pre-rendered on the server, so the article shows before.)
func waitAppStarted(b *testBrowser) {
	b.t.Helper()
	b.WaitGone("#app-wasm-loader")
	b.WaitVisible("article h1")
}

// shownTexts returns the text of the elements matching sel that a reader
// sees: rendered and larger than a pixel, so screen-reader-only hints do not
// count.
func shownTexts(b *testBrowser, sel string) []string {
	b.t.Helper()
	return evalJS[[]string](b, `Array.from(document.querySelectorAll(`+jsString(sel)+`)).filter((e) => {
		const r = e.getBoundingClientRect();
		return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== "hidden";
	}).map((e) => e.textContent)`)
}

// checkSeedArticle checks that the page shows the seed article: its headline
// as the one h1, the four subheadings as h2 and every paragraph as a p, in
// order.
func checkSeedArticle(t *testing.T, b *testBrowser) {
	t.Helper()
	if got := shownTexts(b, "article h1"); len(got) != 1 || strings.TrimSpace(got[0]) != seedHeadline {
		t.Errorf("article h1 = %q, want [%q]", got, seedHeadline)
	}
	if got := trimAll(shownTexts(b, "article h2")); !slices.Equal(got, seedSubheadings) {
		t.Errorf("article h2 = %q, want %q", got, seedSubheadings)
	}
	want := seedParagraphs(t)
	got := trimAll(shownTexts(b, "article p"))
	if !slices.Equal(got, want) {
		t.Errorf("article has %d paragraphs, want %d", len(got), len(want))
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("paragraph %d:\n got %q\nwant %q", i, g, w)
			}
		}
	}
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// TestShellShowsSeedArticle: a new user opens the app and reads the seed
// article, headline, subheadings and paragraphs.
func TestShellShowsSeedArticle(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	start := time.Now()
	b.Navigate(srv.URL)
	waitAppStarted(b)
	t.Logf("cold load (fresh profile, no service worker) until the wasm runs: %v", time.Since(start).Round(time.Millisecond))
	checkSeedArticle(t, b)
}

// expectedCache lists what the service worker must cache for s: go-app's
// page, scripts and manifest (not the worker itself), and every file of the
// web directory.
func expectedCache(s *site) []string {
	var want []string
	for _, p := range goappResources {
		if p != "/app-worker.js" {
			want = append(want, p)
		}
	}
	for _, name := range s.web.names() {
		want = append(want, "/web/"+name)
	}
	slices.Sort(want)
	return want
}

// cachedPaths returns the paths the service worker's cache for version holds.
func cachedPaths(b *testBrowser, version string) []string {
	b.t.Helper()
	return evalJS[[]string](b, `(async () => {
		const name = "app-" + `+jsString(version)+`;
		if (!(await caches.has(name))) return [];
		const keys = await (await caches.open(name)).keys();
		return keys.map((r) => new URL(r.url).pathname).sort();
	})()`)
}

// waitControlled waits until the service worker controls the page, so that
// what follows (a stopped server, a new tab) is served from its cache.
func waitControlled(b *testBrowser) {
	b.WaitFor("the service worker to control the page", func() bool {
		return evalJS[bool](b, `navigator.serviceWorker.controller !== null`)
	})
}

// waitCached waits until the service worker has cached everything.
func waitCached(t *testing.T, b *testBrowser, s *site) {
	t.Helper()
	want := expectedCache(s)
	var got []string
	ok := b.WaitFor("the service worker's cache", func() bool {
		got = cachedPaths(b, s.version)
		return slices.Equal(got, want)
	})
	if !ok {
		var missing []string
		for _, w := range want {
			if !slices.Contains(got, w) {
				missing = append(missing, w)
			}
		}
		t.Fatalf("service worker cache app-%s holds %q; missing %q", s.version, got, missing)
	}
}

// TestShellLoadsCleanly: loading the app logs no error, no exception and no
// Content-Security-Policy violation, and registers the service worker.
func TestShellLoadsCleanly(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	b.Navigate(srv.URL)
	waitAppStarted(b)
	waitCached(t, b, srv.Srv.site())
	scope := evalJS[string](b, `navigator.serviceWorker.ready.then((r) => r.scope)`)
	if scope != srv.URL {
		t.Errorf("service worker scope %q, want %q", scope, srv.URL)
	}
	// Chromium parses the manifest without complaint and finds the app
	// installable (manifest, icons, service worker).
	m := cdpCall(b, page.GetAppManifest, page.GetAppManifestParams{})
	for _, e := range m.Errors {
		t.Errorf("manifest %s: %s (line %d)", m.URL, e.Message, e.Line)
	}
	var installErrs []string
	b.WaitFor("the app to be installable", func() bool {
		installErrs = nil
		for _, e := range cdpCall(b, page.GetInstallabilityErrors, cdp.Empty{}).InstallabilityErrors {
			installErrs = append(installErrs, e.ErrorID)
		}
		return len(installErrs) == 0
	})
	if len(installErrs) > 0 {
		t.Errorf("Chromium finds the app not installable: %q", installErrs)
	}
	// Let late messages (the worker's activation, deferred fetches) arrive.
	time.Sleep(300 * time.Millisecond)
	if errs := b.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors on load:\n%s", strings.Join(errs, "\n"))
	}
	// The page really runs under the policy the server sends.
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("Content-Security-Policy = %q", got)
	}
}

// TestShellWorksOffline: once loaded, the service worker has cached every
// resource, and with the server gone the app still starts, on reload and in
// a new tab.
func TestShellWorksOffline(t *testing.T) {
	srv := startAppServer(t)
	b := newBrowser(t)
	b.Navigate(srv.URL)
	waitAppStarted(b)
	waitCached(t, b, srv.Srv.site())
	waitControlled(b)

	srv.Stop()
	if c, err := net.DialTimeout("tcp", srv.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("the server still answers after Stop")
	}
	// go-app asks the service worker to look for an update on start; offline,
	// that fetch fails and the browser says so.
	b.AllowConsole(`(?i)failed to update a ServiceWorker|An unknown error occurred when fetching the script|ERR_CONNECTION_REFUSED`)

	start := time.Now()
	b.Reload()
	waitAppStarted(b)
	t.Logf("warm load (offline, from the service worker) until the wasm runs: %v", time.Since(start).Round(time.Millisecond))
	checkSeedArticle(t, b)

	tab := b.NewTab()
	tab.AllowConsole(`(?i)failed to update a ServiceWorker|An unknown error occurred when fetching the script|ERR_CONNECTION_REFUSED`)
	tab.Navigate(srv.URL)
	waitAppStarted(tab)
	checkSeedArticle(t, tab)
}

// TestStaticBuildInBrowser: `factmark static` output served by a plain file
// server runs the app, under the policy its pages carry, and works offline.
func TestStaticBuildInBrowser(t *testing.T) {
	ensureRoutes()
	web := testWebDir(t)
	dist := filepath.Join(t.TempDir(), "dist")
	if _, err := buildStatic(web, dist, t.Logf); err != nil {
		t.Fatal(err)
	}
	fsrv := startFileServer(t, dist)
	b := newBrowser(t)
	b.Navigate(fsrv.URL)
	waitAppStarted(b)
	checkSeedArticle(t, b)
	waitControlled(b)
	version := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(dist, staticMarker)))))
	want := expectedCache(&site{web: must(readWebDir(web))})
	var got []string
	if !b.WaitFor("the service worker's cache", func() bool {
		got = cachedPaths(b, version)
		return slices.Equal(got, want)
	}) {
		t.Fatalf("cache holds %q, want %q", got, want)
	}
	fsrv.Close()
	b.AllowConsole(`(?i)failed to update a ServiceWorker|An unknown error occurred when fetching the script|ERR_CONNECTION_REFUSED`)
	b.Reload()
	waitAppStarted(b)
	checkSeedArticle(t, b)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// profileProcesses counts the processes running on a Chromium profile.
func profileProcesses(dir string) int {
	n := 0
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && slices.Contains(strings.Split(string(cmdline), "\x00"), "--user-data-dir="+dir) {
			n++
		}
	}
	return n
}

// TestShellSurvivesBrowserKill: the browser is killed (no clean shutdown)
// after the app was installed by its service worker; started again on the
// same profile with the server gone, the app starts from its cache.
func TestShellSurvivesBrowserKill(t *testing.T) {
	srv := startAppServer(t)
	profile := t.TempDir()
	b := newBrowser(t, withProfile(profile))
	b.Navigate(srv.URL)
	waitAppStarted(b)
	waitCached(t, b, srv.Srv.site())

	b.Kill()
	if n := profileProcesses(profile); n != 0 {
		t.Fatalf("%d Chromium processes still run on the profile after Kill", n)
	}
	srv.Stop()

	b2 := newBrowser(t, withProfile(profile))
	b2.AllowConsole(`(?i)failed to update a ServiceWorker|An unknown error occurred when fetching the script|ERR_CONNECTION_REFUSED`)
	b2.Navigate(srv.URL)
	waitAppStarted(b2)
	checkSeedArticle(t, b2)
}

// BenchmarkShellColdLoad measures a first visit: a fresh profile, nothing
// cached, from navigation to the wasm app running (browser start excluded).
func BenchmarkShellColdLoad(bm *testing.B) {
	srv := startAppServer(bm)
	for bm.Loop() {
		bm.StopTimer()
		b := newBrowser(bm)
		bm.StartTimer()
		b.Navigate(srv.URL)
		waitAppStarted(b)
		bm.StopTimer()
		b.Close()
		bm.StartTimer()
	}
}

// BenchmarkShellWarmLoad measures a later visit: the service worker serves
// everything from its cache.
func BenchmarkShellWarmLoad(bm *testing.B) {
	srv := startAppServer(bm)
	b := newBrowser(bm)
	b.Navigate(srv.URL)
	waitAppStarted(b)
	waitControlled(b)
	for bm.Loop() {
		b.Navigate(srv.URL)
		waitAppStarted(b)
	}
}

// TestShellUpdatesToNewBuild: a new build lands in the web directory of a
// running server; the open tab's service worker installs it (new version,
// new cache, the old one dropped) and a reload runs the new build.
func TestShellUpdatesToNewBuild(t *testing.T) {
	web := copyWebDir(t)
	srv := startAppServer(t, withWebDir(web), withWatch(50*time.Millisecond))
	b := newBrowser(t)
	b.Navigate(srv.URL)
	waitAppStarted(b)
	old := srv.Srv.site()
	waitCached(t, b, old)

	const marker = "/* build 2 */\n"
	css := filepath.Join(web, "app.css")
	if err := os.WriteFile(css, append(must(os.ReadFile(css)), marker...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the server to serve the new build", func() bool { return srv.Srv.site().version != old.version })
	cur := srv.Srv.site()

	// The browser looks for a new worker on navigations and when asked; the
	// app asks now and then. Ask now.
	evalJS[bool](b, `navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true)`)
	waitCached(t, b, cur)
	b.WaitFor("the old cache to go", func() bool {
		return !evalJS[bool](b, `caches.has("app-" + `+jsString(old.version)+`)`)
	})

	b.Reload()
	waitAppStarted(b)
	if v := evalJS[string](b, `goappEnv.GOAPP_VERSION`); v != cur.version {
		t.Errorf("after reload the page runs version %s, want %s", v, cur.version)
	}
	if got := evalJS[string](b, `fetch("/web/app.css").then((r) => r.text())`); !strings.HasSuffix(got, marker) {
		t.Errorf("after reload app.css is the old build's")
	}
	checkSeedArticle(t, b)
}
