//go:build !wasm

package main

// BenchmarkColdPhases breaks the cold first load down into phases, for the
// app and the bare go-app app of BenchmarkFactmark, served the same way:
//
//	go test -run '^$' -bench BenchmarkColdPhases -benchtime 1x ./app
//
// FACTMARK_COLD_N loads of each (default 5), alternating; the table gives
// the median of each phase (ms from the navigation start, or durations).
// Go-side phases appear when the app sets performance marks named
// "factmark:<phase>" (none by default: add them while profiling).
// FACTMARK_COLD_VERBOSE=1 prints every load (resources, marks, long
// tasks); FACTMARK_COLD_CPU=1 also records a V8 CPU profile of each load
// and summarizes it (time inside go.run and inside each resume, package
// inits; FACTMARK_COLD_FOCUS=fn1,fn2 lists what runs under those
// functions), which names Go functions when FACTMARK_COLD_WASM is an
// unstripped build of the app (GOOS=js GOARCH=wasm go build -tags
// factmark_ui -trimpath -o /tmp/x.wasm ./app) to serve instead of
// web/app.wasm.

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/profiler"
)

// coldProbe records when app.js starts the wasm, when the fetch answers,
// when the module is instantiated, when go.run starts and returns, the time
// spent in each later call into the wasm (go._resume), and the DOM states.
const coldProbe = `(() => {
	const T = {marks: {}, resumes: 0, resumeMs: 0, maxResume: 0, long: []};
	const mark = (k) => { if (!(k in T.marks)) T.marks[k] = performance.now(); };
	window.__cold = T;
	try {
		new PerformanceObserver((l) => { for (const e of l.getEntries()) T.long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({type: "longtask", buffered: true});
	} catch (e) {}
	const origIS = WebAssembly.instantiateStreaming;
	WebAssembly.instantiateStreaming = async function (src, imp) {
		mark("instStart");
		Promise.resolve(src).then(() => mark("respHeaders"));
		const r = await origIS.call(this, src, imp);
		mark("instEnd");
		return r;
	};
	let G;
	Object.defineProperty(globalThis, "Go", {configurable: true, get() { return G; }, set(v) {
		G = v;
		const run = v.prototype.run;
		v.prototype.run = function (inst) {
			mark("runStart");
			const res = inst.exports.resume;
			const go = this;
			const p = run.call(this, inst);
			mark("runSync");
			const r0 = go._resume;
			go._resume = function () {
				const t = performance.now();
				r0.call(go);
				const d = performance.now() - t;
				T.resumes++; T.resumeMs += d; if (d > T.maxResume) T.maxResume = d;
				if (!T.marks.ready) T.resumeBeforeReady = T.resumeMs, T.resumesBeforeReady = T.resumes;
			};
			return p;
		};
	}});
	const mo = new MutationObserver(() => {
		const b = document.body;
		if (b && !T.marks.bodyChild && Array.from(b.children).some((e) => e.id !== "app-wasm-loader" && e.tagName !== "SCRIPT" && e.tagName !== "NOSCRIPT")) mark("bodyChild");
		if (!document.getElementById("app-wasm-loader") && T.marks.runStart) mark("loaderGone");
		const st = document.documentElement.getAttribute("data-factmark");
		if (st) mark("attr:" + st);
		if (document.querySelector("#article [data-start]")) mark("blocks");
		if (document.documentElement.getAttribute("data-bare")) mark("attr:bare");
	});
	mo.observe(document, {subtree: true, childList: true, attributes: true});
})();`

// coldNoSW delays the service worker's registration until the page is ready.
type coldRun struct {
	Marks              map[string]float64
	Resumes            int
	ResumeMs           float64
	MaxResume          float64
	ResumeBeforeReady  float64
	ResumesBeforeReady int
	Long               [][2]float64
	Res                []struct {
		Name                                string
		Start, ReqStart, RespStart, RespEnd float64
		Transfer, Encoded, Decoded          float64
	}
	Nav struct {
		RespEnd, DCL, Load float64
	}
	Paint []struct {
		Name  string
		Start float64
	}
	Result *probeResult
}

func BenchmarkColdPhases(bm *testing.B) {
	ensureRoutes()
	var srv *appServer
	if w := os.Getenv("FACTMARK_COLD_WASM"); w != "" {
		dir := copyWebDir(bm)
		data, err := os.ReadFile(w)
		if err != nil {
			bm.Fatal(err)
		}
		for _, name := range []string{"app.wasm.br", "app.wasm.gz"} {
			os.Remove(filepath.Join(dir, name))
		}
		if err := os.WriteFile(filepath.Join(dir, "app.wasm"), data, 0o644); err != nil {
			bm.Fatal(err)
		}
		srv = startAppServer(bm, withWebDir(dir))
	} else {
		srv = startAppServer(bm)
	}
	bare := startAppServer(bm, withWebDir(bareWebDir(bm, testWebDir(bm))))
	n, _ := strconv.Atoi(os.Getenv("FACTMARK_COLD_N"))
	if n <= 0 {
		n = 5
	}
	cpu := os.Getenv("FACTMARK_COLD_CPU") != ""
	load := loadAverage()
	app, br := map[string][]float64{}, map[string][]float64{}
	var names []string
	add := func(m map[string][]float64, r coldRun) {
		for k, v := range coldPhases(r) {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
			m[k] = append(m[k], v)
		}
	}
	for range n {
		add(app, coldProfileRun(bm, srv.URL+"#cold", cpu))
		add(br, coldProfileRun(bm, bare.URL+"#bare", false))
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\n%-34s %8s %8s   (ms, medians of %d loads each)\n", "phase", "app", "bare", n)
	// The app's own marks go before the total, in the order they came.
	var own []string
	for _, k := range names {
		if strings.HasPrefix(k, "  to ") {
			own = append(own, k)
		}
	}
	slices.SortFunc(own, func(a, b string) int { return cmp.Compare(median(app["@"+a]), median(app["@"+b])) })
	order := append(append(slices.Clone(coldPhaseOrder[:len(coldPhaseOrder)-1]), own...), "painted (total)")
	for _, k := range order {
		cell := func(m map[string][]float64) string {
			if len(m[k]) == 0 {
				return ""
			}
			return fmt.Sprintf("%8.0f", median(m[k]))
		}
		if len(app[k])+len(br[k]) > 0 && !strings.HasPrefix(k, "@") {
			fmt.Fprintf(&out, "%-34s %8s %8s\n", k, cell(app), cell(br))
		}
	}
	fmt.Fprintf(&out, "cold load ratio (median app / median bare): %.2f\nload average at the start %s, at the end %s\n",
		median(app["painted (total)"])/median(br["painted (total)"]), load, loadAverage())
	fmt.Print(out.String())
}

// coldPhaseOrder is the order of the phase table.
var coldPhaseOrder = []string{
	"app.wasm requested", "app.wasm fetch answered", "app.wasm downloaded", "app.wasm instantiated",
	"go.run: start to first wait", "go.run start to ready", "in the wasm after go.run (resumes)",
	"ready to painted", "painted (total)",
}

// coldPhases turns a load's marks into phases.
func coldPhases(r coldRun) map[string]float64 {
	m := r.Marks
	p := map[string]float64{
		"app.wasm fetch answered":            m["respHeaders"],
		"app.wasm instantiated":              m["instEnd"],
		"go.run: start to first wait":        m["runSync"] - m["runStart"],
		"in the wasm after go.run (resumes)": r.ResumeBeforeReady,
		"painted (total)":                    r.Result.Paint,
	}
	for _, e := range r.Res {
		if e.Name == "/web/app.wasm" {
			p["app.wasm requested"], p["app.wasm downloaded"] = e.Start, e.RespEnd
		}
	}
	ready := m["attr:ready"]
	if ready == 0 {
		ready = m["attr:bare"]
	}
	p["go.run start to ready"] = ready - m["runStart"]
	p["ready to painted"] = r.Result.Paint - ready
	// Marks the app sets itself: factmark:<phase>, each from the previous one.
	type mk struct {
		name string
		t    float64
	}
	var own []mk
	for k, v := range m {
		if strings.HasPrefix(k, "factmark:") {
			own = append(own, mk{k, v})
		}
	}
	slices.SortFunc(own, func(a, b mk) int { return cmp.Compare(a.t, b.t) })
	prev := m["runStart"]
	for _, o := range own {
		p["  to "+o.name] = o.t - prev
		p["@  to "+o.name] = o.t // for the order of the table
		prev = o.t
	}
	return p
}

func coldProfileRun(t testing.TB, url string, cpu bool) coldRun {
	bt := newBenchTab(t)
	defer bt.Close()
	cdpCall(bt.testBrowser, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: coldProbe})
	if cpu {
		cdpCall(bt.testBrowser, profiler.Enable, cdp.Empty{})
		cdpCall(bt.testBrowser, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 250})
		cdpCall(bt.testBrowser, profiler.Start, cdp.Empty{})
	}
	bt.Navigate(url)
	bt.wait("cold load", 60*time.Second)
	var prof *profiler.Profile
	if cpu {
		prof = cdpCall(bt.testBrowser, profiler.Stop, cdp.Empty{}).Profile
	}
	r := evalJS[coldRun](bt.testBrowser, `(() => {
		const T = window.__cold;
		const res = performance.getEntriesByType("resource").map((e) => ({name: e.name.replace(location.origin, ""), start: e.startTime, reqStart: e.requestStart, respStart: e.responseStart, respEnd: e.responseEnd, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize}));
		const n = performance.getEntriesByType("navigation")[0];
		for (const m of performance.getEntriesByType("measure")) T.marks[m.name] = m.duration;
		for (const m of performance.getEntriesByType("mark")) { let k = m.name, i = 2; while (k in T.marks) k = m.name + "#" + i++; T.marks[k] = m.startTime; }
		return {marks: T.marks, resumes: T.resumes, resumeMs: T.resumeMs, maxResume: T.maxResume, resumeBeforeReady: T.resumeBeforeReady || 0, resumesBeforeReady: T.resumesBeforeReady || 0, long: T.long, res,
			nav: {respEnd: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd},
			paint: performance.getEntriesByType("paint").map((e) => ({name: e.name, start: e.startTime})),
			result: window.__bench.result};
	})()`)
	var b strings.Builder
	fmt.Fprintf(&b, "\n=== %s: painted at %.0f ms (dom %.0f)\n", url, r.Result.Paint, r.Result.Dom)
	fmt.Fprintf(&b, "nav respEnd %.0f dcl %.0f load %.0f\n", r.Nav.RespEnd, r.Nav.DCL, r.Nav.Load)
	for _, e := range r.Res {
		fmt.Fprintf(&b, "  res %-28s start %5.0f req %5.0f resp %5.0f end %5.0f  transfer %8.0f enc %8.0f dec %9.0f\n", e.Name, e.Start, e.ReqStart, e.RespStart, e.RespEnd, e.Transfer, e.Encoded, e.Decoded)
	}
	type kv struct {
		k string
		v float64
	}
	var ms []kv
	for k, v := range r.Marks {
		ms = append(ms, kv{k, v})
	}
	slices.SortFunc(ms, func(a, b kv) int { return cmp.Compare(a.v, b.v) })
	for _, m := range ms {
		fmt.Fprintf(&b, "  mark %-16s %6.1f\n", m.k, m.v)
	}
	for _, p := range r.Paint {
		fmt.Fprintf(&b, "  paint %-22s %6.1f\n", p.Name, p.Start)
	}
	fmt.Fprintf(&b, "  resumes %d (%.1f ms, max %.1f; before ready %d, %.1f ms)\n", r.Resumes, r.ResumeMs, r.MaxResume, r.ResumesBeforeReady, r.ResumeBeforeReady)
	fmt.Fprintf(&b, "  long tasks %v\n", r.Long)
	if prof != nil {
		b.WriteString(summarizeProfile(prof))
	}
	if os.Getenv("FACTMARK_COLD_VERBOSE") != "" {
		t.Log(b.String())
	}
	return r
}

// summarizeProfile lists the functions with the most inclusive and self time.
func summarizeProfile(p *profiler.Profile) string {
	parent := map[int64]int64{}
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	incl := map[string]float64{}
	inclRun := map[string]float64{}
	focus := map[string]map[string]float64{}
	inclResume := map[string]float64{}
	self := map[string]float64{}
	initOf := map[string]float64{}
	for i, s := range p.Samples {
		if i+1 >= len(p.TimeDeltas) {
			break
		}
		dt := float64(p.TimeDeltas[i+1]) / 1000
		seen := map[string]bool{}
		leaf := byID[s]
		self[fnName(leaf)] += dt
		var chain []string
		for id := s; ; {
			n := byID[id]
			name := fnName(n)
			chain = append(chain, name)
			if !seen[name] {
				seen[name] = true
				incl[name] += dt
			}
			pid, ok := parent[id]
			if !ok {
				break
			}
			id = pid
		}
		where := ""
		for _, c := range chain {
			if strings.HasPrefix(c, "v.run") {
				where = "run"
			}
			if strings.HasPrefix(c, "go._resume") {
				where = "resume"
			}
		}
		if where != "" {
			m := inclRun
			if where == "resume" {
				m = inclResume
			}
			seen := map[string]bool{}
			for _, c := range chain {
				if !seen[c] {
					seen[c] = true
					m[c] += dt
				}
			}
		}
		for _, f := range strings.Split(os.Getenv("FACTMARK_COLD_FOCUS"), ",") {
			if f == "" || !slices.Contains(chain, f) {
				continue
			}
			if focus[f] == nil {
				focus[f] = map[string]float64{}
			}
			seen := map[string]bool{}
			for _, c := range chain {
				if !seen[c] {
					seen[c] = true
					focus[f][c] += dt
				}
			}
		}
		// The function below runtime.doInit1 is a package's init.
		for j := len(chain) - 1; j > 0; j-- {
			if chain[j] == "runtime.doInit1" {
				initOf[chain[j-1]] += dt
				break
			}
		}
	}
	var b strings.Builder
	top := func(title string, m map[string]float64, k int) {
		type kv struct {
			k string
			v float64
		}
		var l []kv
		for n, v := range m {
			l = append(l, kv{n, v})
		}
		slices.SortFunc(l, func(a, b kv) int { return cmp.Compare(b.v, a.v) })
		fmt.Fprintf(&b, "  -- %s\n", title)
		for i, e := range l {
			if i >= k || e.v < 1 {
				break
			}
			fmt.Fprintf(&b, "    %7.1f ms  %s\n", e.v, e.k)
		}
	}
	top("inclusive", incl, 40)
	top("inclusive in run", inclRun, 60)
	top("inclusive in resume", inclResume, 60)
	top("self", self, 40)
	for f, m := range focus {
		top("under "+f, m, 50)
	}
	top("package inits", initOf, 30)
	return b.String()
}

func fnName(n *profiler.ProfileNode) string {
	f := n.CallFrame
	name := f.FunctionName
	if name == "" {
		name = "(anonymous)"
	}
	if f.URL != "" && !strings.HasPrefix(f.URL, "wasm") {
		name += " " + filepath.Base(f.URL) + ":" + strconv.FormatInt(f.LineNumber, 10)
	}
	return name
}
