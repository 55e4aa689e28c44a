//go:build !wasm

package main

// The browser harness: what every *_browser_test.go uses to drive the real app
// in Debian's headless Chromium through chromedp.
//
//	srv := startAppServer(t)           // the real server on 127.0.0.1, the built web/
//	b := newBrowser(t)                 // headless Chromium with a fresh profile
//	b.Navigate(srv.URL)
//	b.WaitVisible("article h1")
//	b.DragText("article p", 10, 25)    // select code points [10, 25) with the mouse
//	b.Press("1")                       // a real key press
//	b.Press("z", chromedp.ModifierCtrl)
//
// Rules the harness enforces: every console error, uncaught exception, failed
// load and Content-Security-Policy violation fails the test (allow one with
// b.AllowConsole); a failing test leaves a screenshot and the page's HTML
// under $FACTMARK_ARTIFACTS (default: $TMPDIR/factmark-browser-failures),
// named after the test. Helpers read the page (layout, text) but never change
// the app's state through JavaScript: input goes through real mouse and
// keyboard events.
//
// FACTMARK_CPU_THROTTLE=N runs every page N times slower than the machine
// would (Chromium's CPU throttling), to find tests that pass only when the
// page keeps up with them.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is Debian's Chromium; `make deps` installs it.
const chromiumPath = "/usr/bin/chromium"

// Timeouts of the harness. A whole browser test takes seconds; these only
// bound how long a broken one hangs.
const (
	browserStartTimeout = 30 * time.Second
	stepTimeout         = 20 * time.Second
)

// ---------------------------------------------------------------------------
// The web directory and its wasm
// ---------------------------------------------------------------------------

var (
	webOnce sync.Once
	webPath string
	webErr  error
)

// testWebDir returns the project's web directory with an up-to-date app.wasm.
// `make test` builds it first; when it is missing or older than any Go source
// of the app (go test ./app on its own, after an edit), the harness builds it
// the way the Makefile does, once per test binary.
func testWebDir(t testing.TB) string {
	t.Helper()
	webOnce.Do(func() { webPath, webErr = ensureWasm() })
	if webErr != nil {
		t.Fatalf("prepare web/app.wasm: %v", webErr)
	}
	return webPath
}

func ensureWasm() (string, error) {
	web, err := filepath.Abs(filepath.Join("..", "web"))
	if err != nil {
		return "", err
	}
	for _, b := range wasmBuilds {
		if err := ensureWasmFile(web, b.out, b.pkg, b.tags); err != nil {
			return "", err
		}
	}
	return web, nil
}

// ensureWasmFile builds web/out from the package pkg (relative to app/) with
// the build tags tags when it is missing or stale.
func ensureWasmFile(web, out, pkg, tags string) error {
	wasm := filepath.Join(web, out)
	stale, why, err := wasmStale(wasm)
	if err != nil {
		return err
	}
	if !stale {
		return nil
	}
	// A unique temporary name: another test binary may be building too.
	f, err := os.CreateTemp(web, "."+out+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	cmd := exec.Command("go", "build", "-tags="+tags, "-trimpath", "-ldflags=-s -w", "-o", tmp, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	output, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("web/%s is %s; building it failed: %v\n%s", out, why, err, output)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, wasm)
}

// wasmStale reports whether the wasm at path is missing or older than a
// source it is built from, and why.
func wasmStale(path string) (bool, string, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, "missing", nil
	}
	if err != nil {
		return false, "", err
	}
	built := info.ModTime()
	var newer string
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || newer != "" {
			return err
		}
		if d.IsDir() {
			switch filepath.Base(p) {
			case ".git", "web", "bin", "dist", "node_modules", "tools", ".cache":
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		source := (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) ||
			name == "go.mod" || name == "go.sum" || strings.Contains(filepath.ToSlash(p), "app/seed/")
		if !source {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.ModTime().After(built) {
			newer = p
		}
		return nil
	})
	if err != nil {
		return false, "", err
	}
	if newer != "" {
		return true, "older than " + newer, nil
	}
	return false, "", nil
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

var routesOnce sync.Once

// ensureRoutes registers the app's pages, as main does before serving; tests
// that load a site or render a page call it first.
func ensureRoutes() { routesOnce.Do(registerRoutes) }

// appServer is the real Factmark server (server.go) on a loopback port.
type appServer struct {
	URL  string // "http://127.0.0.1:PORT/"
	Addr string // "127.0.0.1:PORT"
	Srv  *server

	t      testing.TB
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan error
}

// serverOption configures startAppServer.
type serverOption func(*serverConfig)

type serverConfig struct {
	web   string
	addr  string
	watch time.Duration
}

// withWebDir serves dir instead of the project's web directory; copy it with
// copyWebDir to change a build under a running server.
func withWebDir(dir string) serverOption { return func(c *serverConfig) { c.web = dir } }

// withAddr listens on addr ("127.0.0.1:PORT"), to come back on the same origin.
func withAddr(addr string) serverOption { return func(c *serverConfig) { c.addr = addr } }

// withWatch makes the server look for a new build every interval, as
// `factmark serve` does every second.
func withWatch(interval time.Duration) serverOption {
	return func(c *serverConfig) { c.watch = interval }
}

var (
	sharedOnce   sync.Once
	sharedServer *server
	sharedErr    error
)

// startAppServer starts the server on 127.0.0.1 and stops it when the test
// ends. By default it serves the project's web directory; the server for it
// is loaded once per test binary (the wasm is large).
func startAppServer(t testing.TB, opts ...serverOption) *appServer {
	t.Helper()
	ensureRoutes()
	cfg := serverConfig{addr: "127.0.0.1:0"}
	for _, o := range opts {
		o(&cfg)
	}
	var s *server
	if cfg.web == "" {
		web := testWebDir(t)
		sharedOnce.Do(func() { sharedServer, sharedErr = newServer(web, testLogf(nil)) })
		if sharedErr != nil {
			t.Fatalf("load %s: %v", web, sharedErr)
		}
		s = sharedServer
	} else {
		var err error
		if s, err = newServer(cfg.web, testLogf(t)); err != nil {
			t.Fatalf("load %s: %v", cfg.web, err)
		}
	}
	as := &appServer{Srv: s, t: t}
	as.listen(cfg.addr, cfg.watch)
	t.Cleanup(as.Stop)
	return as
}

// testLogf logs through t while the test runs.
func testLogf(t testing.TB) func(string, ...any) {
	if t == nil {
		return func(string, ...any) {}
	}
	var mu sync.Mutex
	done := false
	t.Cleanup(func() { mu.Lock(); done = true; mu.Unlock() })
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf("server: "+format, args...)
		}
	}
}

func (as *appServer) listen(addr string, watch time.Duration) {
	as.t.Helper()
	var ln net.Listener
	var err error
	// The port of a server that just stopped can take a moment to free.
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		as.t.Fatalf("listen on %s: %v", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, as.Srv, serveOptions{watch: watch}) }()
	as.mu.Lock()
	as.Addr = ln.Addr().String()
	as.URL = "http://" + as.Addr + "/"
	as.cancel, as.done = cancel, done
	as.mu.Unlock()
}

// Stop shuts the server down (gracefully); the app is then offline. It is
// safe to call more than once.
func (as *appServer) Stop() {
	as.mu.Lock()
	cancel, done := as.cancel, as.done
	as.cancel, as.done = nil, nil
	as.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	if err := <-done; err != nil {
		as.t.Errorf("server: %v", err)
	}
}

// Restart serves again on the same address, so pages see the same origin
// (and the same service worker and storage).
func (as *appServer) Restart() {
	as.t.Helper()
	as.Stop()
	as.listen(as.Addr, 0)
}

// copyWebDir copies the project's web directory (its wasm included) into a
// temporary directory, for tests that change a build under a running server.
func copyWebDir(t testing.TB) string {
	t.Helper()
	src := testWebDir(t)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy web directory: %v", err)
	}
	return dst
}

// ---------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------

// testBrowser is one headless Chromium and a tab in it.
type testBrowser struct {
	t       testing.TB
	ctx     context.Context // the tab's chromedp context
	cancel  context.CancelFunc
	Profile string // the --user-data-dir

	root     *testBrowser // the browser's first tab, which owns the process
	mu       sync.Mutex
	messages []consoleEntry
	allowed  []*regexp.Regexp
	killed   bool
	closed   bool
}

type consoleEntry struct {
	kind string // "error", "exception", "warning", ...
	text string
	url  string
}

// browserOption configures newBrowser.
type browserOption func(*browserConfig)

type browserConfig struct {
	profile string
}

// withProfile starts Chromium on an existing profile directory, as a user
// who restarts the browser would; use it after Kill to test what survives a
// crash. The directory is not removed by the harness.
func withProfile(dir string) browserOption { return func(c *browserConfig) { c.profile = dir } }

// newBrowser starts headless Chromium with the project's flags and a fresh
// profile (or the one withProfile names), opens a tab, and closes it all
// when the test ends.
func newBrowser(t testing.TB, opts ...browserOption) *testBrowser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser tests need Chromium at %s (run make deps): %v", chromiumPath, err)
	}
	cfg := browserConfig{}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.profile == "" {
		cfg.profile = t.TempDir()
	}
	allocOpts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(cfg.profile),
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &testBrowser{t: t, ctx: ctx, Profile: cfg.profile}
	b.root = b
	b.cancel = func() { cancel(); allocCancel() }

	// The first Do starts the browser and binds it to ctx, which has no
	// deadline (see chromedp's docs); a timer guards the start instead.
	timer := time.AfterFunc(browserStartTimeout, b.cancel)
	err := chromedp.Do(ctx)
	stopped := timer.Stop()
	if err != nil || !stopped {
		b.cancel()
		t.Fatalf("start %s: %v (timeout %v)", chromiumPath, err, browserStartTimeout)
	}
	t.Cleanup(b.Close)
	b.setUpTab()
	t.Cleanup(b.afterTest)
	return b
}

// NewTab opens another tab in the same browser (same profile, same
// origin storage), with its own console watch.
func (b *testBrowser) NewTab() *testBrowser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.root.ctx)
	tab := &testBrowser{t: b.t, ctx: ctx, cancel: cancel, Profile: b.Profile, root: b.root}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		b.t.Fatalf("open tab: %v", err)
	}
	b.t.Cleanup(cancel)
	tab.setUpTab()
	b.t.Cleanup(tab.afterTest)
	return tab
}

// cspReporter turns every Content-Security-Policy violation into a console
// error, so the console watch sees it whatever the browser logs itself. It is
// installed by the DevTools protocol, outside the page's policy, and touches
// nothing of the app.
const cspReporter = `window.addEventListener("securitypolicyviolation", (e) => {
	console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
		" in " + e.sourceFile + ":" + e.lineNumber);
});`

func (b *testBrowser) setUpTab() {
	b.t.Helper()
	messages := chromedp.Console(b.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.record(m)
		}
	}()
	_, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspReporter})
	if err != nil {
		b.t.Fatalf("install the CSP reporter: %v", err)
	}
	// A desktop-sized viewport, the same on every machine.
	b.Do(chromedp.EmulateViewport(1280, 900))
	// FACTMARK_CPU_THROTTLE (see the package comment above).
	if v := os.Getenv("FACTMARK_CPU_THROTTLE"); v != "" {
		rate, err := strconv.ParseFloat(v, 64)
		if err != nil || rate < 1 {
			b.t.Fatalf("FACTMARK_CPU_THROTTLE=%q: want a slowdown factor of 1 or more", v)
		}
		cdpCall(b, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: rate})
	}
}

func (b *testBrowser) record(m chromedp.ConsoleMessage) {
	kind := string(m.Type)
	if m.IsException() {
		kind = "exception"
	}
	b.mu.Lock()
	b.messages = append(b.messages, consoleEntry{kind: kind, text: m.String(), url: m.URL})
	b.mu.Unlock()
}

// AllowConsole lets console errors matching pattern pass, for a test that
// provokes them on purpose (going offline, a bad import).
func (b *testBrowser) AllowConsole(pattern string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.allowed = append(b.allowed, regexp.MustCompile(pattern))
}

// ConsoleErrors returns the console errors, exceptions and CSP violations so
// far that no AllowConsole pattern matches.
func (b *testBrowser) ConsoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var errs []string
	for _, m := range b.messages {
		if m.kind != "error" && m.kind != "exception" && !strings.Contains(m.text, "Content Security Policy") {
			continue
		}
		allowed := false
		for _, re := range b.allowed {
			if re.MatchString(m.text) {
				allowed = true
				break
			}
		}
		if !allowed {
			errs = append(errs, fmt.Sprintf("%s: %s (%s)", m.kind, m.text, m.url))
		}
	}
	return errs
}

// ConsoleMessages returns every console message so far, as text.
func (b *testBrowser) ConsoleMessages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var all []string
	for _, m := range b.messages {
		all = append(all, m.kind+": "+m.text)
	}
	return all
}

// afterTest fails the test on console errors and keeps evidence of a failure.
func (b *testBrowser) afterTest() {
	// Let messages already on their way arrive.
	time.Sleep(50 * time.Millisecond)
	for _, e := range b.ConsoleErrors() {
		b.t.Errorf("browser console: %s", e)
	}
	if b.t.Failed() {
		b.saveArtifacts()
	}
}

// artifactsDir is where failing browser tests leave screenshots and pages.
func artifactsDir() string {
	if d := os.Getenv("FACTMARK_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "factmark-browser-failures")
}

// saveArtifacts writes a screenshot and the page's HTML, named after the test.
func (b *testBrowser) saveArtifacts() {
	b.mu.Lock()
	gone := b.root.killed || b.root.closed
	b.mu.Unlock()
	if gone {
		return
	}
	dir := artifactsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("keep artifacts: %v", err)
		return
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(b.t.Name(), "_") + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		p := filepath.Join(dir, name+".png")
		if os.WriteFile(p, shot, 0o644) == nil {
			b.t.Logf("screenshot of the failure: %s", p)
		}
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		p := filepath.Join(dir, name+".html")
		if os.WriteFile(p, []byte(html), 0o644) == nil {
			b.t.Logf("page at the failure: %s", p)
		}
	}
	b.t.Logf("console:\n  %s", strings.Join(b.ConsoleMessages(), "\n  "))
}

// CloseTab closes a tab NewTab opened; on the first tab it closes the
// browser.
func (b *testBrowser) CloseTab() {
	if b.root == b {
		b.Close()
		return
	}
	chromedp.Cancel(b.ctx)
	b.cancel()
}

// Close shuts the browser down cleanly (as a user quitting it would).
func (b *testBrowser) Close() {
	root := b.root
	root.mu.Lock()
	if root.closed || root.killed {
		root.mu.Unlock()
		return
	}
	root.closed = true
	root.mu.Unlock()
	done := make(chan struct{})
	go func() {
		chromedp.Cancel(root.ctx)
		root.cancel()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		root.t.Logf("browser did not close in 10s; killing it")
		root.Kill()
	}
	killProcessesUsing(root.Profile)
}

// Kill ends the browser the hard way, SIGKILL to it and every process of its
// profile, as a crash or a power cut would: nothing gets to flush or say
// goodbye. Start a browser withProfile(b.Profile) to see what survived.
func (b *testBrowser) Kill() {
	root := b.root
	root.mu.Lock()
	if root.killed {
		root.mu.Unlock()
		return
	}
	root.killed = true
	root.mu.Unlock()
	if c := chromedp.FromContext(root.ctx); c != nil && c.Browser != nil {
		if p := c.Browser.Process(); p != nil {
			p.Kill()
		}
	}
	killProcessesUsing(root.Profile)
	root.cancel()
}

// killProcessesUsing SIGKILLs the processes started with --user-data-dir=dir:
// Chromium's children (zygote, renderers, utilities) of a browser this test
// started; the directory is the test's own, so no other process has it.
func killProcessesUsing(dir string) {
	if dir == "" {
		return
	}
	want := "--user-data-dir=" + dir
	for pass, quiet := 0, 0; pass < 100 && quiet < 3; pass++ {
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return
		}
		n := 0
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
			if err != nil {
				continue
			}
			for _, arg := range strings.Split(string(cmdline), "\x00") {
				if arg == want {
					syscall.Kill(pid, syscall.SIGKILL)
					n++
					break
				}
			}
		}
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

// Do runs actions in the tab, each step bounded by stepTimeout; an error
// fails the test.
func (b *testBrowser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// run runs one action that returns a value; an error fails the test.
func run[T any](b *testBrowser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

// evalJS evaluates a read-only JavaScript expression in the page (await
// allowed) and decodes its value. Use it to read layout or state, never to
// change the app.
func evalJS[T any](b *testBrowser, expr string) T {
	b.t.Helper()
	return run(b, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Navigate loads url and waits for its load event.
func (b *testBrowser) Navigate(url string) {
	b.t.Helper()
	b.Do(chromedp.Navigate(url))
}

// Reload reloads the page.
func (b *testBrowser) Reload() {
	b.t.Helper()
	b.Do(chromedp.Reload())
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (b *testBrowser) WaitVisible(sel string) {
	b.t.Helper()
	b.Do(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitGone waits until no element matches the CSS selector.
func (b *testBrowser) WaitGone(sel string) {
	b.t.Helper()
	b.Do(chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// WaitText waits until the text of the first element matching sel contains
// want, and returns that text.
func (b *testBrowser) WaitText(sel, want string) string {
	b.t.Helper()
	var last string
	ok := b.WaitFor(fmt.Sprintf("text %q in %s", want, sel), func() bool {
		last = evalJS[string](b, fmt.Sprintf(`(document.querySelector(%s) || {}).textContent || ""`, jsString(sel)))
		return strings.Contains(last, want)
	})
	if !ok {
		b.t.Fatalf("%s never contained %q; it has %q", sel, want, last)
	}
	return last
}

// WaitFor polls cond every 50 ms until it holds or stepTimeout passes, and
// reports whether it held. (chromedp's Poll compiles its predicate with new
// Function, which the app's Content-Security-Policy rightly forbids.)
func (b *testBrowser) WaitFor(what string, cond func() bool) bool {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			b.t.Logf("timed out after %v waiting for %s", stepTimeout, what)
			return false
		}
		select {
		case <-b.ctx.Done():
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Texts returns the text of every element matching sel, in document order.
func (b *testBrowser) Texts(sel string) []string {
	b.t.Helper()
	return evalJS[[]string](b, fmt.Sprintf(`Array.from(document.querySelectorAll(%s), (e) => e.textContent)`, jsString(sel)))
}

// Count returns the number of elements matching sel.
func (b *testBrowser) Count(sel string) int {
	b.t.Helper()
	return evalJS[int](b, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)))
}

// Press presses and releases each key of keys (characters, or kb constants
// such as kb.ArrowRight, kb.Enter, kb.Escape) with the modifiers held.
func (b *testBrowser) Press(keys string, mods ...chromedp.Modifier) {
	b.t.Helper()
	b.Do(chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
}

// Click clicks the centre of the first element matching sel with the mouse.
func (b *testBrowser) Click(sel string) {
	b.t.Helper()
	b.Do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// textPoints is where DragText presses and releases the mouse.
type textPoints struct {
	Error  string  `json:"error"`
	X1, Y1 float64 // just inside the first character
	X2, Y2 float64 // just inside the last character
}

// textPointsJS finds, in the text of an element, the viewport coordinates of
// the start of the character at code point start and of the end of the
// character before code point end. It only reads layout.
const textPointsJS = `(sel, start, end) => {
	const root = document.querySelector(sel);
	if (!root) return {error: "no element matches " + sel};
	// The text node and UTF-16 offset of the character at code point cp.
	const locate = (cp) => {
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		let seen = 0;
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			let unit = 0;
			for (const ch of n.data) {
				if (seen === cp) return {node: n, offset: unit, length: ch.length};
				seen++;
				unit += ch.length;
			}
		}
		return null;
	};
	const rectOf = (cp) => {
		const at = locate(cp);
		if (!at) return null;
		const r = document.createRange();
		r.setStart(at.node, at.offset);
		r.setEnd(at.node, at.offset + at.length);
		const rects = Array.from(r.getClientRects()).filter((q) => q.width > 0 || q.height > 0);
		return rects.length ? rects[0] : r.getBoundingClientRect();
	};
	if (!(start < end)) return {error: "empty range [" + start + ", " + end + ")"};
	const a = rectOf(start), z = rectOf(end - 1);
	if (!a || !z) return {error: "range [" + start + ", " + end + ") is outside the text of " + sel};
	return {
		X1: a.left + Math.min(a.width / 4, 2), Y1: a.top + a.height / 2,
		X2: z.right - Math.min(z.width / 4, 2), Y2: z.top + z.height / 2,
	};
}`

// DragText selects the characters [start, end) of the text of the first
// element matching sel (offsets in code points of its textContent) by
// pressing the left mouse button on the first one, moving, and releasing on
// the last one, as a user would.
func (b *testBrowser) DragText(sel string, start, end int) {
	b.t.Helper()
	b.Do(chromedp.ScrollIntoView(chromedp.CSS(sel)))
	p := evalJS[textPoints](b, fmt.Sprintf("(%s)(%s, %d, %d)", textPointsJS, jsString(sel), start, end))
	if p.Error != "" {
		b.t.Fatalf("DragText: %s", p.Error)
	}
	b.DragXY(p.X1, p.Y1, p.X2, p.Y2)
}

// DragXY drags the mouse with the left button from one viewport point to
// another, in steps.
func (b *testBrowser) DragXY(x1, y1, x2, y2 float64) {
	b.t.Helper()
	left := func(p *input.DispatchMouseEventParams) {
		p.Button = input.MouseButtonLeft
		p.Buttons = 1
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.MouseEvent(chromedp.MouseMoved, x1, y1),
		chromedp.MouseEvent(chromedp.MousePressed, x1, y1, left, chromedp.ClickCount(1)),
	}
	const n = 8
	for i := 1; i <= n; i++ {
		f := float64(i) / n
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x1+(x2-x1)*f, y1+(y2-y1)*f, left))
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x2, y2, left, chromedp.ClickCount(1)))
	b.Do(steps...)
}

// SelectedText returns the page's current selection as text.
func (b *testBrowser) SelectedText() string {
	b.t.Helper()
	return evalJS[string](b, `String(window.getSelection())`)
}

// Screenshot saves a screenshot of the viewport to the artifacts directory
// and returns its path.
func (b *testBrowser) Screenshot(name string) string {
	b.t.Helper()
	shot := run(b, chromedp.CaptureScreenshot())
	if err := os.MkdirAll(artifactsDir(), 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(artifactsDir(), name+".png")
	if err := os.WriteFile(p, shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return p
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// cdpCall sends a raw DevTools protocol command to the tab.
func cdpCall[P, R any](b *testBrowser, cmd cdp.Command[P, R], params P) R {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	r, err := chromedp.Call(ctx, cmd, params)
	if err != nil {
		b.t.Fatalf("browser: %s: %v", cmd.Method, err)
	}
	return r
}

// ---------------------------------------------------------------------------
// The harness's own tests
// ---------------------------------------------------------------------------

// harnessText mixes a ZWJ emoji sequence, typographic quotes, a combining
// diaeresis (nai\u0308ve) and a precomposed é.
const harnessText = "Kyiv 👩\u200d👩\u200d👧 said “$105 million” — nai\u0308ve café"

// harnessPage is a page under the app's policy with an input log, for the
// harness's own tests. Its script is a file, as the policy requires.
var harnessPage = map[string]string{
	"/": `<!doctype html><html><head><meta charset="utf-8"><script defer src="/log.js"></script></head>
<body><p id="text">` + harnessText + `</p><ol id="log"></ol></body></html>`,
	"/log.js": `const log = (s) => { const li = document.createElement("li"); li.textContent = s; document.getElementById("log").append(li); };
document.addEventListener("keydown", (e) => log("keydown " + e.key + (e.ctrlKey ? " ctrl" : "") + (e.shiftKey ? " shift" : "") + (e.altKey ? " alt" : "")));
document.addEventListener("mouseup", () => log("selected " + String(window.getSelection())));`,
	"/bad": `<!doctype html><html><head><meta charset="utf-8"><script>document.title = "inline ran";</script></head>
<body><p style="color: red">inline style</p><script src="/throw.js"></script></body></html>`,
	"/throw.js": `console.error("an error the page logs"); throw new Error("an uncaught exception");`,
}

func startHarnessPage(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, ok := harnessPage[r.URL.Path]
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		if strings.HasSuffix(r.URL.Path, ".js") {
			w.Header().Set("Content-Type", "text/javascript")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		io.WriteString(w, body)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// TestHarnessCatchesConsoleErrors: the console watch sees what it must fail
// a test on (so the tests that rely on it can fail).
func TestHarnessCatchesConsoleErrors(t *testing.T) {
	base := startHarnessPage(t)
	b := newBrowser(t)
	b.Navigate(base + "/bad")
	wants := []string{"script-src", "style-src", "an error the page logs", "an uncaught exception"}
	var all string
	b.WaitFor("console errors", func() bool {
		all = strings.Join(b.ConsoleErrors(), "\n")
		for _, want := range wants {
			if !strings.Contains(all, want) {
				return false
			}
		}
		return true
	})
	for _, want := range wants {
		if !strings.Contains(all, want) {
			t.Errorf("console watch missed %q; it saw:\n%s", want, all)
		}
	}
	if title := evalJS[string](b, `document.title`); title == "inline ran" {
		t.Errorf("the policy let an inline script run")
	}
	b.AllowConsole(`.`) // seen; do not fail the test on them
}

// TestHarnessInput: DragText selects exactly the code points asked for, emoji
// and combining marks included, and Press sends real key events.
func TestHarnessInput(t *testing.T) {
	base := startHarnessPage(t)
	b := newBrowser(t)
	b.Navigate(base + "/")
	b.WaitVisible("#text")
	text := []rune(b.Texts("#text")[0])
	if string(text) != harnessText {
		t.Fatalf("page text %q", string(text))
	}
	for _, c := range []struct{ start, end int }{
		{0, 4},   // Kyiv
		{5, 10},  // the family emoji (five code points) alone
		{16, 30}, // “$105 million”
		{33, 39}, // naïve, with its combining mark
		{40, 44}, // café
		{0, len(text)},
	} {
		b.DragText("#text", c.start, c.end)
		want := string(text[c.start:c.end])
		if got := b.SelectedText(); got != want {
			t.Errorf("DragText(%d, %d) selected %q, want %q", c.start, c.end, got, want)
		}
	}
	b.Press("a")
	b.Press("z", chromedp.ModifierCtrl)
	b.Press(kb.ArrowRight, chromedp.ModifierShift, chromedp.ModifierAlt)
	b.WaitText("#log", "keydown ArrowRight shift alt")
	log := b.Texts("#log li")
	for _, want := range []string{"keydown a", "keydown z ctrl", "keydown ArrowRight shift alt"} {
		if !slices.Contains(log, want) {
			t.Errorf("key log %q lacks %q", log, want)
		}
	}
}
