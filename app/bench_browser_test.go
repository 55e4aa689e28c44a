//go:build !wasm

package main

// BenchmarkFactmark is `make bench`: one run that measures the core, the
// wasm, the cold start and documents of 100 KB and 1 MB with 0, 1,000 and
// 10,000 spans in headless Chromium, against a bare go-app app and a static
// HTML page with the same text and marks (the physical floor), prints a
// table and writes bench.json (FACTMARK_BENCH_JSON overrides the path).
//
// Documents are opened the way a user opens them (a .factmark.json picked in
// the Open control); edits are real key presses. Times are read in the page
// by a script installed with the DevTools protocol (outside the app): the
// start is the input event (key press, file chosen, navigation start), the
// end is the first frame painted after the DOM shows the result (a
// requestAnimationFrame callback, then a message posted from it, which runs
// after that frame's paint).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"factmark/annotate"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// benchProbe is installed in every page before its scripts run. It records
// the wasm memory, the time of the last input event, and waits for DOM
// conditions without polling.
const benchProbe = `(() => {
	const B = {mem: null, t0: null, result: null, cond: null};
	for (const name of ["instantiateStreaming", "instantiate"]) {
		const orig = WebAssembly[name];
		WebAssembly[name] = async function (...args) {
			const r = await orig.apply(this, args);
			const inst = r.instance || r;
			if (inst && inst.exports && inst.exports.mem && !B.mem) B.mem = inst.exports.mem;
			return r;
		};
	}
	const input = () => { if (B.cond && B.t0 === null) B.t0 = performance.now(); };
	addEventListener("keydown", input, true);
	addEventListener("change", input, true);
	addEventListener("click", input, true);
	const holds = () => B.cond.every((c) => {
		const all = document.querySelectorAll(c.sel);
		if (c.absent) return all.length === 0;
		if (all.length === 0) return false;
		return c.text === undefined || Array.from(all).some((e) => e.textContent.includes(c.text));
	});
	let mo = null;
	const done = () => {
		const t = performance.now();
		mo.disconnect();
		requestAnimationFrame(() => {
			const ch = new MessageChannel();
			ch.port1.onmessage = () => { B.result = {t0: B.t0 === null ? 0 : B.t0, dom: t, paint: performance.now()}; B.cond = null; };
			ch.port2.postMessage(0);
		});
	};
	const check = () => { if (B.cond && !B.result && holds()) done(); };
	// arm waits for every condition {sel, text?, absent?}; fromNav measures
	// from the navigation start instead of the next input event.
	B.arm = (cond, fromNav) => {
		B.result = null; B.cond = cond; B.t0 = fromNav ? 0 : null;
		mo = new MutationObserver(check);
		mo.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
		check();
	};
	B.memBytes = () => B.mem ? B.mem.buffer.byteLength : 0;
	window.__bench = B;
	if (location.hash === "#cold") B.arm([{sel: 'html[data-factmark="ready"] #article [data-start]'}], true);
	if (location.hash === "#bare") B.arm([{sel: 'html[data-bare="ready"] h1'}], true);
	if (location.hash === "#static") B.arm([{sel: "#end"}], true);
})();`

type benchCond struct {
	Sel    string `json:"sel"`
	Text   string `json:"text,omitempty"`
	Absent bool   `json:"absent,omitempty"`
}

type probeResult struct {
	T0, Dom, Paint float64
}

// benchTab is a browser tab with the probe installed.
type benchTab struct{ *testBrowser }

func newBenchTab(tb testing.TB) benchTab {
	b := newBrowser(tb)
	_, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: benchProbe})
	if err != nil {
		tb.Fatalf("install the bench probe: %v", err)
	}
	return benchTab{b}
}

// arm starts waiting for conds.
func (bt benchTab) arm(conds ...benchCond) {
	bt.t.Helper()
	data, _ := json.Marshal(conds)
	evalJS[bool](bt.testBrowser, "(window.__bench.arm("+string(data)+"), true)")
}

// wait waits up to limit for the armed conditions and returns the time from
// the input to the painted frame, in milliseconds.
func (bt benchTab) wait(what string, limit time.Duration) float64 {
	bt.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		r := evalJS[*probeResult](bt.testBrowser, `window.__bench && window.__bench.result`)
		if r != nil {
			return r.Paint - r.T0
		}
		if time.Now().After(deadline) {
			bt.Screenshot("bench-timeout")
			bt.t.Fatalf("bench: %s did not happen within %v", what, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// memory returns the page's JS heap in use plus the wasm linear memory,
// in bytes, after a garbage collection.
func (bt benchTab) memory() (heap, wasm float64) {
	bt.t.Helper()
	cdpCall(bt.testBrowser, heapprofiler.CollectGarbage, cdp.Empty{})
	u := cdpCall(bt.testBrowser, cdpruntime.GetHeapUsage, cdp.Empty{})
	return u.UsedSize, evalJS[float64](bt.testBrowser, `window.__bench.memBytes()`)
}

// ---------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------

type benchCore struct {
	Name        string  `json:"name"`
	NsPerOp     float64 `json:"ns_per_op"`
	BytesPerOp  float64 `json:"bytes_per_op"`
	AllocsPerOp float64 `json:"allocs_per_op"`
}

type benchSizes struct {
	Raw    int `json:"raw"`
	Gzip   int `json:"gzip"`
	Brotli int `json:"brotli"`
}

type benchLatency struct {
	MedianMs float64 `json:"median_ms"`
	WorstMs  float64 `json:"worst_ms"`
}

type benchDoc struct {
	Name     string        `json:"name"`
	Bytes    int           `json:"bytes"`
	Blocks   int           `json:"blocks"`
	Spans    int           `json:"spans"`
	OpenMs   float64       `json:"open_render_load_ms"` // open + render + load spans, from the file chosen
	SpansMs  float64       `json:"load_spans_ms"`       // OpenMs minus that of the same text without spans
	Add      benchLatency  `json:"add"`
	Relabel  benchLatency  `json:"relabel"`
	Remove   benchLatency  `json:"remove"`
	ExportMs float64       `json:"export_ms"`
	HeapMB   float64       `json:"js_heap_mb"`
	WasmMB   float64       `json:"wasm_memory_mb"`
	MemoryMB float64       `json:"memory_mb"`
	Floor    benchFloor    `json:"static_floor"`
	Ratio    benchFloorRat `json:"ratio_to_floor"`
	// Scrolled: the 1 MB document with 10,000 spans again, after scrolling
	// through all of it (every chunk rendered on the way, as when reading
	// it; those far from the view are released again).
	Scrolled   *benchScrolled `json:"after_scrolling_through,omitempty"`
	spanRanges []annotate.Range
	state      *annotate.State // what the file holds
}

// benchScrolled is a document's edit latencies and memory once the reader
// has scrolled through it.
type benchScrolled struct {
	LiveChunks int          `json:"live_chunks"`
	Chunks     int          `json:"chunks"`
	Add        benchLatency `json:"add"`
	Relabel    benchLatency `json:"relabel"`
	Remove     benchLatency `json:"remove"`
	MemoryMB   float64      `json:"memory_mb"`
}

// benchFloor is the static page with the same text and marks.
type benchFloor struct {
	LoadMs   float64      `json:"load_ms"`
	Add      benchLatency `json:"add"`
	Relabel  benchLatency `json:"relabel"`
	Remove   benchLatency `json:"remove"`
	MemoryMB float64      `json:"memory_mb"`
}

type benchFloorRat struct {
	Open, Add, Relabel, Remove, Memory float64
}

type benchReport struct {
	Machine   string      `json:"machine"`
	Load      [2]string   `json:"load_average_start_end"` // /proc/loadavg: other work on the machine skews every figure
	Date      string      `json:"date"`
	Core      []benchCore `json:"go_core"`
	AppWasm   benchSizes  `json:"app_wasm"`
	Import    benchSizes  `json:"import_wasm"`
	BareWasm  benchSizes  `json:"bare_goapp_wasm"`
	ColdMs    float64     `json:"cold_load_ms"`
	BareMs    float64     `json:"bare_cold_load_ms"`
	ColdRatio float64     `json:"cold_load_ratio"`
	ColdRuns  int         `json:"cold_load_runs"`
	Docs      []*benchDoc `json:"documents"`
}

func BenchmarkFactmark(bm *testing.B) {
	start := time.Now()
	web := testWebDir(bm)
	rep := &benchReport{Machine: machine(), Date: time.Now().UTC().Format(time.RFC3339)}
	rep.Load[0] = loadAverage()
	// FACTMARK_BENCH_ONLY=docs measures the documents alone (while working
	// on them); FACTMARK_BENCH_DOCS="1MB, 10000 spans" only that one.
	// FACTMARK_BENCH_ONLY=cold measures the wasm sizes and the cold loads
	// alone, five of each.
	only := os.Getenv("FACTMARK_BENCH_ONLY")
	if only != "docs" && only != "cold" {
		rep.Core = coreBenchmarks(bm)
	}
	rep.AppWasm = wasmSizes(bm, filepath.Join(web, "app.wasm"))
	rep.Import = wasmSizes(bm, filepath.Join(web, "import.wasm"))

	bareWeb := bareWebDir(bm, web)
	rep.BareWasm = wasmSizes(bm, filepath.Join(bareWeb, "app.wasm"))
	ensureRoutes()
	srv := startAppServer(bm)
	bare := startAppServer(bm, withWebDir(bareWeb))
	// Both wasm served as the browser gets them on a warm server: brotli
	// (the bare app's is compressed in the background at first).
	waitBrotli(bm, strings.TrimSuffix(srv.URL, "/")+"/web/app.wasm")
	waitBrotli(bm, strings.TrimSuffix(bare.URL, "/")+"/web/app.wasm")
	var cold, bareCold []float64
	rounds := 3
	if only == "cold" {
		rounds = 5
	}
	for i := range rounds {
		if only == "docs" && i > 0 {
			break
		}
		cold = append(cold, coldLoad(bm, srv.URL+"#cold"))
		bareCold = append(bareCold, coldLoad(bm, bare.URL+"#bare"))
	}
	rep.ColdMs, rep.BareMs, rep.ColdRuns = median(cold), median(bareCold), len(cold)
	rep.ColdRatio = rep.ColdMs / rep.BareMs

	dir := bm.TempDir()
	bt := newBenchTab(bm)
	floor := startStaticServer(bm)
	sizes := []struct {
		name  string
		bytes int
	}{{"100KB", 100_000}, {"1MB", 1_000_000}}
	if only == "cold" {
		sizes = nil
	}
	for _, size := range sizes {
		var base float64
		for _, n := range []int{0, 1000, 10000} {
			d := benchDocument(bm, dir, size.name, size.bytes, n)
			if f := os.Getenv("FACTMARK_BENCH_DOCS"); f != "" && !strings.Contains(f, d.Name) && n != 0 {
				continue
			}
			measureDoc(bm, bt, srv.URL, d, dir)
			if n == 0 {
				base = d.OpenMs
			}
			d.SpansMs = d.OpenMs - base
			measureFloor(bm, floor, d, dir)
			rep.Docs = append(rep.Docs, d)
		}
	}
	rep.Load[1] = loadAverage()
	printReport(rep)
	out := os.Getenv("FACTMARK_BENCH_JSON")
	if out == "" {
		out = filepath.Join("..", "bench.json")
	}
	data, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		bm.Fatal(err)
	}
	fmt.Printf("wrote %s in %v\n", out, time.Since(start).Round(time.Second))
}

// waitBrotli waits until url is served with brotli.
func waitBrotli(tb testing.TB, url string) {
	deadline := time.Now().Add(3 * time.Minute)
	for {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			tb.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "br, gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			tb.Fatalf("%s: %s", url, resp.Status)
		}
		if resp.Header.Get("Content-Encoding") == "br" {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s is still not served with brotli", url)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func machine() string {
	cpu := ""
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(data); m != nil {
			cpu = string(m[1])
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^MemTotal:\s*(\d+) kB`).FindSubmatch(data); m != nil {
			kb, _ := strconv.Atoi(string(m[1]))
			mem = fmt.Sprintf(", %.0f GB", float64(kb)/(1<<20))
		}
	}
	ver, _ := exec.Command(chromiumPath, "--version").Output()
	return fmt.Sprintf("%s, %d cores%s, %s, %s %s/%s", cpu, runtime.NumCPU(), mem, strings.TrimSpace(string(ver)), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// coreBenchmarks runs a representative set of annotate's benchmarks.
func coreBenchmarks(tb testing.TB) []benchCore {
	cmd := exec.Command("go", "test", "-run", "^$", "-benchmem", "-benchtime", "300ms", "-count", "1",
		"-bench", "^Benchmark(IndexBuild1MB|Convert|Snap|Words1MB|Apply|Overlapping|Encode10k|Decode10k|FromHTML|EncodeSave)$",
		"./annotate")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("go test -bench ./annotate: %v\n%s", err, out)
	}
	var rows []benchCore
	line := regexp.MustCompile(`(?m)^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:.*?\s([\d.]+) B/op\s+([\d.]+) allocs/op)?`)
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		ns, _ := strconv.ParseFloat(m[2], 64)
		bop, _ := strconv.ParseFloat(m[3], 64)
		aop, _ := strconv.ParseFloat(m[4], 64)
		rows = append(rows, benchCore{Name: m[1], NsPerOp: ns, BytesPerOp: bop, AllocsPerOp: aop})
	}
	return rows
}

// wasmSizes compresses a wasm as the server does (its cached copies when
// they match).
func wasmSizes(tb testing.TB, path string) benchSizes {
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	gz, ok := cachedCompressed(path+".gz", data, gunzipReader)
	if !ok {
		if gz, err = gzipBytes(data); err != nil {
			tb.Fatal(err)
		}
	}
	br, ok := cachedCompressed(path+".br", data, brotliReader)
	if !ok {
		job := brotliJobFor(filepath.Base(path), data, path+".br", func(string, ...any) {})
		<-job.done
		if job.err != nil {
			tb.Fatal(job.err)
		}
		br = job.body
	}
	return benchSizes{Raw: len(data), Gzip: len(gz), Brotli: len(br)}
}

// bareApp is the smallest go-app program: one component. It marks the page
// when it is mounted, as Factmark does.
const bareApp = `package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

type hello struct{ app.Compo }

func (h *hello) OnMount(ctx app.Context) {
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-bare", "ready")
}

func (h *hello) Render() app.UI { return app.H1().Text("Hello") }

func main() {
	app.Route("/", func() app.Composer { return &hello{} })
	app.RunWhenOnBrowser()
}
`

// bareWebDir is a copy of web with the bare go-app app as app.wasm, so that
// it is served exactly as Factmark is.
func bareWebDir(tb testing.TB, web string) string {
	src, err := os.MkdirTemp("..", "_benchbare")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(src)
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(bareApp), 0o644); err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	for _, name := range []string{"app.css", "icon.svg", "icon-192.png", "icon-512.png", "icon-maskable-512.png"} {
		data, err := os.ReadFile(filepath.Join(web, name))
		if err != nil {
			tb.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "app.wasm"), "./"+filepath.Base(src))
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build the bare go-app app: %v\n%s", err, out)
	}
	return dir
}

// coldLoad starts a fresh browser and measures from the navigation start to
// the first painted frame of the running app.
func coldLoad(tb testing.TB, url string) float64 {
	bt := newBenchTab(tb)
	defer bt.Close()
	bt.Navigate(url)
	return bt.wait("the cold load of "+url, 60*time.Second)
}

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

// benchDocument writes a .factmark.json of about size bytes of text: the
// seed article repeated, each copy under a "Part N" heading, with n spans on
// words spread evenly over the text, the first blocks left free for edits.
func benchDocument(tb testing.TB, dir, name string, size, n int) *benchDoc {
	seed, err := seedDocument()
	if err != nil {
		tb.Fatal(err)
	}
	ix := seed.Index()
	title := fmt.Sprintf("Bench %s with %d spans", name, n)
	blocks := []annotate.BlockText{{Kind: annotate.BlockTitle, Text: title}}
	total := 0
	for part := 1; total < size; part++ {
		blocks = append(blocks, annotate.BlockText{Kind: annotate.BlockHeading, Text: fmt.Sprintf("Part %d", part)})
		for _, b := range seed.Blocks {
			if b.Kind == annotate.BlockTitle {
				continue
			}
			t := ix.Slice(b.Range())
			blocks = append(blocks, annotate.BlockText{Kind: annotate.BlockParagraph, Text: t})
			total += len(t) + 1
		}
	}
	doc, err := annotate.FromBlocks(blocks, annotate.TextOptions{Title: title, Source: "bench"})
	if err != nil {
		tb.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	d := &benchDoc{Name: fmt.Sprintf("%s, %d spans", name, n), Bytes: len(doc.Text), Blocks: len(doc.Blocks), Spans: n}
	// Words with a letter, from the fourth block on.
	var words []annotate.Range
	free := doc.Blocks[min(3, len(doc.Blocks)-1)].End
	for _, w := range doc.Index().Words() {
		if w.Start >= free && strings.ContainsFunc(doc.Index().Slice(w), func(r rune) bool { return r >= 'A' && r <= 'z' }) {
			words = append(words, w)
		}
	}
	if n > len(words) {
		tb.Fatalf("%s has %d words, fewer than %d spans", name, len(words), n)
	}
	labels := []string{"person", "place", "figure"}
	at := time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)
	var edits []annotate.Edit
	for i := range n {
		w := words[i*len(words)/n]
		edits = append(edits, annotate.Add(annotate.Annotation{ID: fmt.Sprintf("a-bench-%05d", i), Label: labels[i%3],
			Start: w.Start, End: w.End, Created: at, Modified: at}))
	}
	if n > 0 {
		b := annotate.Batch(edits...)
		b.At = at
		if _, err := st.Apply(b); err != nil {
			tb.Fatal(err)
		}
	}
	data, err := annotate.Encode(st)
	if err != nil {
		tb.Fatal(err)
	}
	d.state = st
	file := filepath.Join(dir, fmt.Sprintf("bench-%s-%d.factmark.json", strings.ToLower(name), n))
	if err := os.WriteFile(file, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return d
}

func (d *benchDoc) file(dir string) string {
	name, spans, _ := strings.Cut(d.Name, ", ")
	return filepath.Join(dir, fmt.Sprintf("bench-%s-%s.factmark.json", strings.ToLower(name), strings.Fields(spans)[0]))
}

func (d *benchDoc) title() string {
	name, _, _ := strings.Cut(d.Name, ", ")
	return fmt.Sprintf("Bench %s with %d spans", name, d.Spans)
}

// editWord is the word the edits tag: the first word of the article's second
// paragraph ("A high-level delegation..." of the seed: "high").
const editBlock = `#article p.blk:nth-of-type(2)`

// measureDoc opens the document in a fresh page of the app and measures it.
func measureDoc(tb testing.TB, bt benchTab, url string, d *benchDoc, dir string) {
	bt.Navigate(url)
	bt.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	conds := []benchCond{{Sel: "#article h1", Text: d.title()}}
	if d.Spans > 0 {
		conds = append(conds, benchCond{Sel: "#article mark"})
	}
	bt.arm(conds...)
	bt.Do(chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{d.file(dir)}, chromedp.NodeReady))
	d.OpenMs = bt.wait("opening "+d.Name, 120*time.Second)
	heap, wasm := bt.memory()
	d.HeapMB, d.WasmMB = heap/1e6, wasm/1e6
	d.MemoryMB = d.HeapMB + d.WasmMB
	d.Add, d.Relabel, d.Remove = editLatencies(bt)
	d.ExportMs = exportTime(bt)
	if d.Bytes >= 1_000_000 && d.Spans >= 10000 {
		d.Scrolled = scrollThrough(bt)
	}
}

// scrollThrough scrolls from the top of the article to its end and back
// (steps shorter than the window the app renders around the view, so that
// every chunk is rendered on the way), then measures the edits again;
// LiveChunks is how many are rendered at the end.
func scrollThrough(bt benchTab) *benchScrolled {
	for i := 0; i < 5000; i++ {
		if evalJS[bool](bt.testBrowser, `(() => { const y = scrollY; scrollBy(0, 2500); return scrollY === y; })()`) {
			break
		}
		evalJS[bool](bt.testBrowser, `new Promise((ok) => requestAnimationFrame(() => setTimeout(() => ok(true), 10)))`)
	}
	evalJS[bool](bt.testBrowser, `(scrollTo(0, 0), true)`)
	sc := &benchScrolled{
		LiveChunks: evalJS[int](bt.testBrowser, `document.querySelectorAll('#article .chunk:not([data-lazy])').length`),
		Chunks:     evalJS[int](bt.testBrowser, `document.querySelectorAll('#article .chunk').length`),
	}
	sc.Add, sc.Relabel, sc.Remove = editLatencies(bt)
	heap, wasm := bt.memory()
	sc.MemoryMB = (heap + wasm) / 1e6
	return sc
}

// editLatencies tags a word (select it with the mouse, press 1), relabels it
// (2) and removes it (Delete), 20 times, each from the key press to the
// painted frame that shows it.
func editLatencies(bt benchTab) (add, relabel, remove benchLatency) {
	return editRounds(bt, 20, "")
}

// editRounds does n rounds of tag, relabel and remove on editBlock, each
// timed from the key press to the painted frame that shows it; what names
// the page in messages ("" for the app, "static " for the floor).
func editRounds(bt benchTab, n int, what string) (add, relabel, remove benchLatency) {
	var a, r, d []float64
	for range n {
		bt.DragText(editBlock, 2, 12)
		// The key is pressed once the drag's own update is painted (the
		// app's label picker), as a person presses it: pressed a few ms
		// after the mouse is released, it waited for that update too.
		if what == "" {
			bt.WaitVisible(".picker:not([hidden])")
		}
		evalJS[bool](bt.testBrowser, `new Promise((ok) => requestAnimationFrame(() => setTimeout(() => ok(true), 0)))`)
		bt.arm(benchCond{Sel: "#article mark.sel"})
		bt.Press("1")
		a = append(a, bt.wait("a "+what+"tag", 30*time.Second))
		bt.arm(benchCond{Sel: `#article mark.sel[data-label="place"]`})
		bt.Press("2")
		r = append(r, bt.wait("a "+what+"relabel", 30*time.Second))
		bt.arm(benchCond{Sel: "#article mark.sel", Absent: true})
		bt.Press(kb.Delete)
		d = append(d, bt.wait("a "+what+"removal", 30*time.Second))
	}
	return latency(a), latency(r), latency(d)
}

func latency(ms []float64) benchLatency {
	return benchLatency{MedianMs: median(ms), WorstMs: slices.Max(ms)}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// exportTime exports in the native format from the Export menu: from the
// click on the format to the download's status message.
func exportTime(bt benchTab) float64 {
	bt.Click("#export")
	bt.WaitVisible(`#export-menu button[data-codec="factmark"]`)
	bt.arm(benchCond{Sel: ".status-msg", Text: "Exported"})
	bt.Click(`#export-menu button[data-codec="factmark"]`)
	return bt.wait("an export", 60*time.Second)
}

// ---------------------------------------------------------------------------
// The static floor
// ---------------------------------------------------------------------------

// staticEdits does what the app's edits do, in the fewest DOM operations:
// 1 wraps the selection in a mark, 2 relabels it, Delete unwraps it.
const staticEdits = `<script>
addEventListener("keydown", (e) => {
	const sel = document.querySelector("mark.sel");
	if (e.key === "1") {
		const r = getSelection().getRangeAt(0);
		const m = document.createElement("mark");
		m.className = "m sel"; m.dataset.label = "person";
		r.surroundContents(m); getSelection().removeAllRanges();
	} else if (e.key === "2" && sel) {
		sel.dataset.label = "place";
	} else if (e.key === "Delete" && sel) {
		sel.replaceWith(...sel.childNodes);
	}
});
</script>`

type staticServer struct {
	URL   string
	pages map[string][]byte
}

func startStaticServer(tb testing.TB) *staticServer {
	s := &staticServer{pages: map[string][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := s.pages[r.URL.Path]
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".css") {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(data)
	}))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// staticPage renders the document and its spans as plain HTML with the
// app's stylesheet: blocks as h1/h2/p, spans as <mark>.
func staticPage(st *annotate.State) []byte {
	var b bytes.Buffer
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>floor</title><link rel="stylesheet" href="/web/app.css"></head><body><article id="article" class="doc">`)
	ix := st.Doc.Index()
	anns := st.Annotations()
	k := 0
	for _, blk := range st.Doc.Blocks {
		tag := map[annotate.BlockKind]string{annotate.BlockTitle: "h1", annotate.BlockHeading: "h2"}[blk.Kind]
		if tag == "" {
			tag = "p"
		}
		fmt.Fprintf(&b, `<%s class="blk" data-start="%d">`, tag, blk.Start)
		pos := blk.Start
		for k < len(anns) && anns[k].Start < blk.End {
			a := anns[k]
			k++
			if a.Start < pos {
				continue
			}
			b.WriteString(html.EscapeString(ix.Slice(annotate.Range{Start: pos, End: a.Start})))
			fmt.Fprintf(&b, `<mark class="m" data-label="%s">%s</mark>`, a.Label, html.EscapeString(ix.Slice(a.Range())))
			pos = a.End
		}
		b.WriteString(html.EscapeString(ix.Slice(annotate.Range{Start: pos, End: blk.End})))
		fmt.Fprintf(&b, "</%s>\n", tag)
	}
	b.WriteString(`</article><div id="end"></div>` + staticEdits + `</body></html>`)
	return b.Bytes()
}

// measureFloor loads the static page of d in a fresh tab and measures the
// same things.
func measureFloor(tb testing.TB, floor *staticServer, d *benchDoc, dir string) {
	data, err := os.ReadFile(d.file(dir))
	if err != nil {
		tb.Fatal(err)
	}
	st, err := annotate.Decode(data)
	if err != nil {
		tb.Fatal(err)
	}
	css, err := os.ReadFile(filepath.Join(testWebDir(tb), "app.css"))
	if err != nil {
		tb.Fatal(err)
	}
	p := "/" + strings.ReplaceAll(d.Name, " ", "")
	floor.pages[p] = staticPage(st)
	floor.pages["/web/app.css"] = css
	bt := newBenchTab(tb)
	defer bt.Close()
	bt.Navigate(floor.URL + p + "#static")
	d.Floor.LoadMs = bt.wait("the static page", 60*time.Second)
	heap, _ := bt.memory()
	d.Floor.MemoryMB = heap / 1e6
	d.Floor.Add, d.Floor.Relabel, d.Floor.Remove = editRounds(bt, 10, "static ")
	d.Ratio = benchFloorRat{
		Open:    d.OpenMs / d.Floor.LoadMs,
		Add:     d.Add.MedianMs / d.Floor.Add.MedianMs,
		Relabel: d.Relabel.MedianMs / d.Floor.Relabel.MedianMs,
		Remove:  d.Remove.MedianMs / d.Floor.Remove.MedianMs,
		Memory:  d.MemoryMB / d.Floor.MemoryMB,
	}
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

func printReport(r *benchReport) {
	w := os.Stdout
	fmt.Fprintf(w, "\nFactmark benchmarks — %s\n%s\nload average at the start %s, at the end %s\n\n", r.Date, r.Machine, r.Load[0], r.Load[1])
	fmt.Fprintln(w, "Go core (annotate, native)              ns/op        B/op   allocs/op")
	for _, c := range r.Core {
		fmt.Fprintf(w, "  %-34s %12.0f %11.0f %11.0f\n", c.Name, c.NsPerOp, c.BytesPerOp, c.AllocsPerOp)
	}
	mb := func(n int) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }
	fmt.Fprintf(w, "\nwasm                 raw        gzip     brotli\n")
	for _, s := range []struct {
		n string
		s benchSizes
	}{{"app.wasm", r.AppWasm}, {"import.wasm", r.Import}, {"bare go-app", r.BareWasm}} {
		fmt.Fprintf(w, "  %-12s %10s %10s %10s\n", s.n, mb(s.s.Raw), mb(s.s.Gzip), mb(s.s.Brotli))
	}
	fmt.Fprintf(w, "\ncold load to rendered and ready: app %.0f ms, bare go-app %.0f ms, ratio %.2f (median of %d)\n", r.ColdMs, r.BareMs, r.ColdRatio, r.ColdRuns)
	fmt.Fprintln(w, "\ndocument            open+render+spans  spans   add med/worst   relabel med/worst  remove med/worst   export   memory MB (heap+wasm)")
	for _, d := range r.Docs {
		fmt.Fprintf(w, "  %-18s %9.0f ms %8.0f ms %6.0f/%-6.0f ms %6.0f/%-6.0f ms %6.0f/%-6.0f ms %6.0f ms %6.0f (%.0f+%.0f)\n",
			d.Name, d.OpenMs, d.SpansMs, d.Add.MedianMs, d.Add.WorstMs, d.Relabel.MedianMs, d.Relabel.WorstMs,
			d.Remove.MedianMs, d.Remove.WorstMs, d.ExportMs, d.MemoryMB, d.HeapMB, d.WasmMB)
	}
	for _, d := range r.Docs {
		if sc := d.Scrolled; sc != nil {
			fmt.Fprintf(w, "  %s, after scrolling through it and back (%d of %d chunks rendered at the end): add %.0f/%.0f ms, relabel %.0f/%.0f ms, remove %.0f/%.0f ms, memory %.0f MB\n",
				d.Name, sc.LiveChunks, sc.Chunks, sc.Add.MedianMs, sc.Add.WorstMs, sc.Relabel.MedianMs, sc.Relabel.WorstMs,
				sc.Remove.MedianMs, sc.Remove.WorstMs, sc.MemoryMB)
		}
	}
	fmt.Fprintln(w, "\nstatic HTML floor   load          add med   relabel med   remove med   JS heap MB | app ÷ floor: open  add  relabel  remove  memory")
	for _, d := range r.Docs {
		fmt.Fprintf(w, "  %-18s %6.0f ms %9.1f ms %10.1f ms %10.1f ms %9.1f   | %17.1f %4.1f %8.1f %7.1f %7.1f\n",
			d.Name, d.Floor.LoadMs, d.Floor.Add.MedianMs, d.Floor.Relabel.MedianMs, d.Floor.Remove.MedianMs, d.Floor.MemoryMB,
			d.Ratio.Open, d.Ratio.Add, d.Ratio.Relabel, d.Ratio.Remove, d.Ratio.Memory)
	}
	fmt.Fprintln(w)
}
