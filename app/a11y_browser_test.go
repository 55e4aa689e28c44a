//go:build !wasm

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeSource returns axe-core's browser build from the repository's
// node_modules (package.json pins it; `make deps` runs npm ci). When it is
// missing, the test installs it the same way.
func axeSource(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(path); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("axe-core is not installed and npm ci failed (run make deps): %v\n%s", err, out)
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	return string(src)
}

// axeViolation is one rule axe-core reports as violated.
type axeViolation struct {
	ID, Impact, Help string
	Targets          []string
}

// runAxe runs axe-core in the page and returns its serious and critical
// violations.
func runAxe(u *ui, src string) []axeViolation {
	u.t.Helper()
	if !evalJS[bool](u.testBrowser, `typeof window.axe === 'object'`) {
		evalJS[bool](u.testBrowser, "(() => {"+src+"\n; return true; })()")
	}
	return evalJS[[]axeViolation](u.testBrowser, `axe.run(document, {resultTypes: ['violations']}).then((r) =>
		r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
			ID: v.id, Impact: v.impact, Help: v.help,
			Targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(0, 2).join(' ')),
		})))`)
}

func colorScheme(u *ui, scheme string) {
	cdpCall(u.testBrowser, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
}

// TestBrowserAxe runs axe-core on the annotated article in the states a user
// sees (spans nested and selected, the label picker open, the panel folded
// out on a phone), in light and dark: no serious or critical violation.
func TestBrowserAxe(t *testing.T) {
	src := axeSource(t)
	u := openUI(t)
	sentence := "Shmyhal also expressed gratitude for the U.S. approval of a $105 million support package for the PATRIOT air-defense system, a critical asset for Ukraine’s defense capabilities."
	r := u.at("Shmyhal also", 0)
	u.tag(annotate.Range{Start: r.Start, End: r.Start + 7}, "1")
	u.tag(u.at("$105 million", 0), "3")
	u.tag(u.at("PATRIOT", 0), "2")
	u.tag(u.at(sentence, 0), "4")
	u.tag(u.at("Kyiv", 0), "2")
	check := func(state string) {
		t.Helper()
		for _, v := range runAxe(u, src) {
			t.Errorf("%s: axe %s (%s): %s\n\t%s", state, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	}
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(u, scheme)
		check(scheme + ", a span selected")
		u.drag(u.at("Volodymyr Zelensky", 0))
		check(scheme + ", the label picker open")
		u.Press("\x1b") // Escape
	}
	u.Do(chromedp.EmulateViewport(390, 844))
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(u, scheme)
		check(scheme + ", phone width")
		u.Click(".panel-toggle")
		u.WaitVisible("#panel .item")
		check(scheme + ", phone width, panel open")
		u.Click(".panel-close")
		u.WaitGone(".panel-open")
	}
	// A broken file's alert.
	bad := filepath.Join(t.TempDir(), "bad.factmark.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	u.openFile(bad)
	u.WaitText(`[role="alert"]`, "bad.factmark.json")
	check(fmt.Sprintf("%s, an alert", "dark"))
}
