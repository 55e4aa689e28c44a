//go:build !wasm

package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// uncoveredJS reports whether the centre of the first element matching sel
// is in the view and shows that element (nothing else is drawn over it).
const uncoveredJS = `((sel) => {
	const el = document.querySelector(sel);
	if (!el) return false;
	const r = el.getBoundingClientRect();
	const x = r.left + r.width / 2, y = r.top + r.height / 2;
	if (y < 0 || y > innerHeight || x < 0 || x > innerWidth) return false;
	const at = document.elementFromPoint(x, y);
	return !!at && (at === el || el.contains(at));
})`

// TestBrowserPhoneLayout: on a phone-sized screen the top bar wraps onto
// several lines and the span details are a sheet at the bottom. The find
// bar sticks below the whole top bar (not under it) while the article
// scrolls to later hits, the details sheet leaves the status line and its
// messages in view, and the library lists documents as cards that fit the
// screen's width.
func TestBrowserPhoneLayout(t *testing.T) {
	u := openUI(t)
	u.Do(chromedp.EmulateViewport(390, 844))
	uncovered := func(what, sel string) {
		t.Helper()
		if !u.WaitFor(what+" to be in view and uncovered", func() bool { return evalJS[bool](u.testBrowser, uncoveredJS+"("+jsString(sel)+")") }) {
			u.Screenshot(t.Name())
			t.Errorf("%s (%s) is out of view or covered", what, sel)
		}
	}
	if h := evalJS[float64](u.testBrowser, `document.querySelector('.topbar').getBoundingClientRect().height`); h < 80 {
		t.Fatalf("the top bar is %.0f px high at phone width: the test expects it to wrap", h)
	}

	u.Click("#find-open")
	u.Do(chromedp.SendKeys(".find-input", "Russia", chromedp.NodeVisible))
	// Every hit, down the article and back up: each is shown clear of the
	// bars, and the find field stays in view.
	for i, key := range []string{kb.Enter, kb.Enter, kb.Enter, kb.Enter, kb.Enter, kb.Enter, kb.Enter, kb.Enter, "back", "back", "back", "back", "back", "back"} {
		if key == "back" {
			u.Press(kb.Enter, chromedp.ModifierShift)
		} else {
			u.Press(key)
		}
		n := i + 2
		if i >= 8 {
			n = 9 - (i - 7)
		}
		u.WaitText(".find-count", fmt.Sprintf("%d of", n))
		uncovered(fmt.Sprintf("hit %d", n), "#article .find-cur")
		uncovered("the find field", ".find-input")
	}
	if y := evalJS[float64](u.testBrowser, `scrollY`); y < 200 {
		t.Fatalf("the hits did not scroll the article (scrollY %.0f)", y)
	}
	u.Press(kb.Escape)
	// The find bar takes room in the article's flow: drag only once it is gone.
	u.WaitGone(".findbar:not([hidden])")

	u.tag(u.at("Kyiv", 0), "2")
	u.WaitVisible(".details")
	u.WaitText(".status-msg", "“Kyiv”")
	uncovered("the status message", ".status-msg")
	uncovered("the note field", ".details textarea")
	if gap := evalJS[float64](u.testBrowser, `document.querySelector('.status').getBoundingClientRect().top - document.querySelector('.details').getBoundingClientRect().bottom`); gap < -0.5 {
		t.Errorf("the details sheet overlaps the status line by %.1f px", -gap)
	}

	u.Press(kb.Escape)
	u.Click("#export")
	u.WaitVisible(`#export-menu [data-codec="factmark"]`)
	if r := evalJS[[]float64](u.testBrowser, `(() => { const r = document.querySelector('#export-menu').getBoundingClientRect(); return [r.left, r.right, innerWidth]; })()`); r[0] < 0 || r[1] > r[2] {
		t.Errorf("the Export menu spans %.0f to %.0f of a %.0f px wide screen", r[0], r[1], r[2])
	}
	uncovered("the first export format", `#export-menu [data-codec="factmark"]`)
	u.Press(kb.Escape)
	u.WaitGone(`#export-menu [data-codec="factmark"]`)
	u.Press("l", chromedp.ModifierAlt)
	u.WaitText("#library-heading", "Library (1 document)")
	type fit struct{ Overflow, TitleWidth, DeleteRight, Width float64 }
	f := evalJS[fit](u.testBrowser, `(() => {
		const d = document.querySelector('#library'), t = document.querySelector('#library .lib-open');
		const del = document.querySelector('#library [id^="lib-delete-"]');
		return {Overflow: d.scrollWidth - d.clientWidth, TitleWidth: t.getBoundingClientRect().width,
			DeleteRight: del.getBoundingClientRect().right, Width: innerWidth};
	})()`)
	if f.Overflow > 0.5 || f.DeleteRight > f.Width {
		t.Errorf("the library overflows the phone's width: %+v", f)
	}
	if f.TitleWidth < f.Width/2 {
		t.Errorf("the document's title is squeezed into %.0f px of %.0f", f.TitleWidth, f.Width)
	}
	uncovered("the library's Delete button", `#library [id^="lib-delete-"]`)
}
