//go:build !wasm

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"
)

// hasElement reports whether page has an element tag with (at least) the
// attributes attrs.
func hasElement(page, tag string, attrs map[string]string) bool {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != tag {
				continue
			}
			n := 0
			for _, a := range tok.Attr {
				if v, ok := attrs[a.Key]; ok && v == a.Val {
					n++
				}
			}
			if n == len(attrs) {
				return true
			}
		}
	}
}

// fakeWasm is a stand-in for app.wasm: the magic number and n bytes of
// something that compresses.
func fakeWasm(n int) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, "func%d(x int) int { return x * %d }\n", i, i%97)
	}
	return b[:n]
}

// fakeWebDir writes a web directory with the real icons, a small stylesheet,
// a schema and a stand-in wasm of wasmSize bytes.
func fakeWebDir(t testing.TB, wasmSize int) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"app.wasm":                       fakeWasm(wasmSize),
		"app.css":                        []byte(strings.Repeat("article p { line-height: 1.5; }\n", 40)),
		"schema/factmark-v1.schema.json": []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}` + "\n"),
	}
	for _, icon := range []string{"icon.svg", "icon-192.png", "icon-512.png", "icon-maskable-512.png"} {
		data, err := os.ReadFile(filepath.Join("..", "web", icon))
		if err != nil {
			t.Fatal(err)
		}
		files[icon] = data
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// seedCompressedCache writes the compressed copies of dir's wasm the server
// caches, compressed fast, so a test with a large wasm need not wait for
// brotli's best quality.
func seedCompressedCache(t testing.TB, dir string) {
	t.Helper()
	wasm, err := os.ReadFile(filepath.Join(dir, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var gz, br bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zw.Write(wasm)
	zw.Close()
	bw := brotli.NewWriterLevel(&br, brotli.BestSpeed)
	bw.Write(wasm)
	bw.Close()
	os.WriteFile(filepath.Join(dir, "app.wasm.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "app.wasm.br"), br.Bytes(), 0o644)
}

// loadTestServer loads dir with brotli done before it returns.
func loadTestServer(t testing.TB, dir string) *server {
	t.Helper()
	ensureRoutes()
	s := &server{dir: dir, logf: t.Logf, opts: siteOptions{waitBrotli: true, logf: t.Logf}}
	st, err := loadSite(dir, s.opts)
	if err != nil {
		t.Fatal(err)
	}
	s.cur.Store(st)
	s.stamp = st.web.stamp
	t.Cleanup(func() { s.site().close() })
	return s
}

// get asks h for path with the given request headers.
func get(h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://127.0.0.1:8000"+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := loadTestServer(t, fakeWebDir(t, 4096))
	for _, c := range []struct{ method, path string }{
		{"GET", "/"}, {"HEAD", "/"}, {"GET", "/app.js"}, {"GET", "/app-worker.js"}, {"GET", "/manifest.webmanifest"},
		{"GET", "/web/app.wasm"}, {"GET", "/web/icon.svg"}, {"GET", "/web/"}, {"GET", "/nothing-here"},
		{"POST", "/"}, {"DELETE", "/web/app.css"},
	} {
		rec := get(s, c.method, c.path, nil)
		for k, v := range securityHeaders {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s %s (%d): %s = %q, want %q", c.method, c.path, rec.Code, k, got, v)
			}
		}
	}
	csp := securityHeaders["Content-Security-Policy"]
	for _, want := range []string{"'wasm-unsafe-eval'", "frame-ancestors 'none'", "default-src 'none'", "object-src", "base-uri 'none'"} {
		if want == "object-src" {
			// default-src 'none' covers plug-ins; no directive may widen it.
			if strings.Contains(csp, "object-src") {
				t.Errorf("policy sets object-src: %s", csp)
			}
			continue
		}
		if !strings.Contains(csp, want) {
			t.Errorf("policy lacks %s: %s", want, csp)
		}
	}
	for _, broad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:", "http:", "https:"} {
		if slices.Contains(strings.Fields(strings.ReplaceAll(csp, ";", " ")), broad) {
			t.Errorf("policy allows %s: %s", broad, csp)
		}
	}
}

func TestWasmEncodings(t *testing.T) {
	dir := fakeWebDir(t, 200_000)
	s := loadTestServer(t, dir)
	want, _ := os.ReadFile(filepath.Join(dir, "app.wasm"))
	for _, c := range []struct{ accept, encoding string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0.5, gzip;q=1", "br"}, // both acceptable: the smaller wins
		{"*", "br"},
		{"*;q=0, gzip", "gzip"},
		{"BR", "br"},
		{"gzip;q=0", ""},
		{"deflate", ""},
	} {
		rec := get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": c.accept})
		h := rec.Header()
		if rec.Code != 200 {
			t.Fatalf("Accept-Encoding %q: status %d", c.accept, rec.Code)
		}
		if got := h.Get("Content-Encoding"); got != c.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.encoding)
		}
		if got := h.Get("Content-Type"); got != "application/wasm" {
			t.Errorf("Content-Type %q", got)
		}
		if got := h.Values("Vary"); !slices.Contains(got, "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, got)
		}
		if got := h.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("Cache-Control %q", got)
		}
		if got, wantLen := h.Get("Content-Length"), fmt.Sprint(rec.Body.Len()); got != wantLen {
			t.Errorf("Accept-Encoding %q: Content-Length %q, body %s bytes", c.accept, got, wantLen)
		}
		body := decode(t, c.encoding, rec.Body.Bytes())
		if !bytes.Equal(body, want) {
			t.Errorf("Accept-Encoding %q: body does not decode to app.wasm", c.accept)
		}
		etag := h.Get("ETag")
		if etag == "" {
			t.Fatalf("no ETag")
		}
		again := get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": c.accept, "If-None-Match": etag})
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Errorf("Accept-Encoding %q, If-None-Match %s: status %d, %d bytes", c.accept, etag, again.Code, again.Body.Len())
		}
	}
	// The three representations have three validators.
	tags := map[string]bool{}
	for _, ae := range []string{"", "gzip", "br"} {
		tags[get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": ae}).Header().Get("ETag")] = true
	}
	if len(tags) != 3 {
		t.Errorf("ETags of identity, gzip and br are not distinct: %v", tags)
	}
}

func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return out
}

func TestAcceptsEncoding(t *testing.T) {
	for _, c := range []struct {
		header, enc string
		want        bool
	}{
		{"", "br", false},
		{"br", "br", true},
		{"gzip, br", "br", true},
		{" gzip ; q=0.8 , br ; q=0.1", "gzip", true},
		{"br;q=0", "br", false},
		{"br;q=0.000", "br", false},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"*, gzip;q=0", "gzip", false},
		{"gzip;q=0, *", "gzip", false},
		{"x-gzip", "gzip", false},
		{"brotli", "br", false},
		{"br;level=5", "br", true},
	} {
		if got := acceptsEncoding(c.header, c.enc); got != c.want {
			t.Errorf("acceptsEncoding(%q, %q) = %v, want %v", c.header, c.enc, got, c.want)
		}
	}
}

func TestContentTypesAndCaching(t *testing.T) {
	s := loadTestServer(t, fakeWebDir(t, 4096))
	for path, want := range map[string]string{
		"/":                                   "text/html; charset=utf-8",
		"/app.js":                             "text/javascript; charset=utf-8",
		"/app-worker.js":                      "text/javascript; charset=utf-8",
		"/wasm_exec.js":                       "text/javascript; charset=utf-8",
		"/app.css":                            "text/css; charset=utf-8",
		"/manifest.webmanifest":               "application/manifest+json",
		"/web/app.css":                        "text/css; charset=utf-8",
		"/web/app.wasm":                       "application/wasm",
		"/web/icon.svg":                       "image/svg+xml",
		"/web/icon-192.png":                   "image/png",
		"/web/schema/factmark-v1.schema.json": "application/json",
	} {
		rec := get(s, "GET", path, map[string]string{"Accept-Encoding": "br, gzip"})
		if rec.Code != 200 {
			t.Errorf("GET %s: %d", path, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", path, got, want)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (revalidate, so a new build is seen)", path, got)
		}
		if rec.Header().Get("ETag") == "" {
			t.Errorf("GET %s: no ETag", path)
		}
	}
	// The wasm_exec.js go-app serves must be the toolchain's, like ours.
	ours, _ := os.ReadFile(filepath.Join("..", "wasm_exec.js"))
	if got := get(s, "GET", "/wasm_exec.js", nil).Body.Bytes(); !bytes.Equal(got, ours) {
		t.Errorf("/wasm_exec.js differs from the project's wasm_exec.js (go-app v10.1.11 and Go disagree)")
	}
}

func TestNotFoundAndNoListings(t *testing.T) {
	s := loadTestServer(t, fakeWebDir(t, 4096))
	for _, p := range []string{
		"/web", "/web/", "/web/schema", "/web/schema/", "/web/../go.mod", "/web/%2e%2e/go.mod",
		"/web/missing.png", "/web/app.wasm.br", "/web/app.wasm.gz", "/app.wasm", "/goapp.wasm", "/goapp.js",
		"/manifest.json", "/robots.txt", "/sitemap.xml", "/ads.txt", "/nothing", "/" + s.site().version + "/web/app.css",
		"/../etc/passwd",
	} {
		rec := get(s, "GET", p, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "<a href") || strings.Contains(rec.Body.String(), "icon.svg") {
			t.Errorf("GET %s lists a directory: %q", p, rec.Body.String())
		}
	}
}

func TestMethodsBodiesAndHeaderLimits(t *testing.T) {
	s := loadTestServer(t, fakeWebDir(t, 4096))
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		rec := get(s, m, "/", nil)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: %d, Allow %q", m, rec.Code, rec.Header().Get("Allow"))
		}
	}
	if rec := get(s, "HEAD", "/web/app.wasm", nil); rec.Code != 200 || rec.Body.Len() != 0 && rec.Body.Len() != 4096 {
		t.Errorf("HEAD: %d", rec.Code)
	}

	// Over a real connection: a body on a GET, and oversized headers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, s, serveOptions{}) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String()

	req, _ := http.NewRequest("GET", url+"/", strings.NewReader(strings.Repeat("x", 10<<20)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("GET with a 10 MB body: %d, want 413", resp.StatusCode)
	}

	req, _ = http.NewRequest("GET", url+"/", nil)
	req.Header.Set("X-Big", strings.Repeat("x", 2*maxHeaderBytes))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("GET with 32 KB of headers: %d, want 431", resp.StatusCode)
	}

	srv := newHTTPServer(s, nil)
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes != maxHeaderBytes {
		t.Errorf("server limits not set: %+v", srv)
	}
}

// TestGracefulShutdown: a download in flight when shutdown starts completes;
// new connections are refused at once; serve returns without error.
func TestGracefulShutdown(t *testing.T) {
	const size = 48 << 20 // larger than the socket buffers, so it is still in flight
	dir := fakeWebDir(t, size)
	seedCompressedCache(t, dir)
	s := loadTestServer(t, dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, s, serveOptions{}) }()

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /web/app.wasm HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 1<<20)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}

	cancel() // as SIGTERM does
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 5s after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("serve returned (%v) with a download in flight", err)
	default:
	}
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("the download in flight broke off: %v", err)
	}
	if got := len(first) + len(rest); got != size {
		t.Fatalf("downloaded %d bytes, want %d", got, size)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(shutdownTimeout + time.Second):
		t.Fatal("serve did not return after the last request")
	}
}

// TestVersionFollowsContent: the version is the same for the same build and
// changes with any file of it.
func TestVersionFollowsContent(t *testing.T) {
	ensureRoutes()
	dir := fakeWebDir(t, 4096)
	load := func() string {
		w, err := readWebDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		v, err := contentVersion(w)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v1 := load()
	if v2 := load(); v2 != v1 {
		t.Fatalf("same build, versions %s and %s", v1, v2)
	}
	seen := map[string]string{v1: "original"}
	for _, name := range []string{"app.wasm", "app.css", "icon.svg", "schema/factmark-v1.schema.json"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		data, _ := os.ReadFile(p)
		if err := os.WriteFile(p, append(data, ' '), 0o644); err != nil {
			t.Fatal(err)
		}
		v := load()
		if prev, ok := seen[v]; ok {
			t.Errorf("changing %s kept the version of %s: %s", name, prev, v)
		}
		seen[v] = name
	}
	// A new file is a new build too.
	if err := os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := seen[load()]; ok {
		t.Errorf("adding a file kept the version")
	}
}

// TestCacheableResourcesFromWebDir: the service worker's list is exactly the
// web directory's files.
func TestCacheableResourcesFromWebDir(t *testing.T) {
	dir := fakeWebDir(t, 4096)
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "app.wasm.br"), []byte("x"), 0o644)
	s := loadTestServer(t, dir)
	h := s.site().handler
	want := []string{
		"/web/app.css", "/web/icon-192.png", "/web/icon-512.png", "/web/icon-maskable-512.png",
		"/web/icon.svg", "/web/schema/factmark-v1.schema.json",
	}
	if !slices.Equal(h.CacheableResources, want) {
		t.Errorf("CacheableResources = %q, want %q", h.CacheableResources, want)
	}
	worker := get(s, "GET", "/app-worker.js", nil).Body.String()
	for _, p := range append(want, "/web/app.wasm", "/", "/app.js", "/wasm_exec.js", "/manifest.webmanifest", "/app.css") {
		if !strings.Contains(worker, `"`+p+`"`) {
			t.Errorf("app-worker.js does not cache %s", p)
		}
	}
	if strings.Contains(worker, "https://") || strings.Contains(worker, "http://") {
		t.Errorf("app-worker.js caches a remote resource")
	}
	if !strings.Contains(worker, s.site().version) {
		t.Errorf("app-worker.js lacks the version %s", s.site().version)
	}
	// Every listed resource is served.
	for _, p := range want {
		if rec := get(s, "GET", p, nil); rec.Code != 200 {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
}

func TestMissingFilesAreReported(t *testing.T) {
	ensureRoutes()
	for _, name := range requiredWebFiles {
		dir := fakeWebDir(t, 4096)
		os.Remove(filepath.Join(dir, name))
		_, err := loadSite(dir, siteOptions{waitBrotli: true})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("without %s: error %v", name, err)
		}
	}
	dir := fakeWebDir(t, 4096)
	os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("<html>not wasm</html>"), 0o644)
	if _, err := loadSite(dir, siteOptions{waitBrotli: true}); err == nil || !strings.Contains(err.Error(), "not a WebAssembly module") {
		t.Errorf("with an HTML app.wasm: error %v", err)
	}
	if _, err := loadSite(filepath.Join(dir, "nope"), siteOptions{}); err == nil {
		t.Errorf("a missing web directory loaded")
	}
}

// TestManifestAndIcons: the manifest describes an installable app whose
// icons are local and the sizes it says.
func TestManifestAndIcons(t *testing.T) {
	s := loadTestServer(t, fakeWebDir(t, 4096))
	var m struct {
		Name, ShortName, Description, Display, StartURL, Scope, ThemeColor, BackgroundColor string
		Icons                                                                               []struct{ Src, Type, Sizes, Purpose string }
	}
	body := get(s, "GET", "/manifest.webmanifest", nil).Body.Bytes()
	dec := map[string]any{}
	if err := json.Unmarshal(body, &dec); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	remap, _ := json.Marshal(map[string]any{
		"Name": dec["name"], "ShortName": dec["short_name"], "Description": dec["description"], "Display": dec["display"],
		"StartURL": dec["start_url"], "Scope": dec["scope"], "ThemeColor": dec["theme_color"], "BackgroundColor": dec["background_color"],
		"Icons": dec["icons"],
	})
	if err := json.Unmarshal(remap, &m); err != nil {
		t.Fatal(err)
	}
	if m.Name != "Factmark" || m.ShortName == "" || m.Description == "" || m.Display != "standalone" ||
		m.StartURL != "/" || m.Scope != "/" || m.ThemeColor != themeColor || m.BackgroundColor != backgroundColor {
		t.Errorf("manifest: %s", body)
	}
	sizes := map[string]int{}
	maskable := false
	for _, icon := range m.Icons {
		if !strings.HasPrefix(icon.Src, "/web/") {
			t.Errorf("icon %s is not local", icon.Src)
			continue
		}
		rec := get(s, "GET", icon.Src, nil)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != icon.Type {
			t.Errorf("icon %s: %d %s, manifest says %s", icon.Src, rec.Code, rec.Header().Get("Content-Type"), icon.Type)
			continue
		}
		if icon.Type != "image/png" {
			continue
		}
		img, err := png.Decode(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Errorf("icon %s: %v", icon.Src, err)
			continue
		}
		if got := fmt.Sprintf("%dx%d", img.Bounds().Dx(), img.Bounds().Dy()); got != icon.Sizes {
			t.Errorf("icon %s is %s, manifest says %s", icon.Src, got, icon.Sizes)
		}
		sizes[icon.Sizes]++
		maskable = maskable || strings.Contains(icon.Purpose, "maskable")
	}
	if sizes["192x192"] == 0 || sizes["512x512"] == 0 || !maskable {
		t.Errorf("manifest icons: want a 192, a 512 and a maskable PNG: %+v", m.Icons)
	}
	rec := get(s, "GET", "/", nil)
	page := rec.Body.String()
	// go-app writes attributes in map order, so elements are compared by
	// their attributes, not as strings.
	for _, want := range []struct {
		tag   string
		attrs map[string]string
	}{
		{"link", map[string]string{"rel": "manifest", "href": "/manifest.webmanifest"}},
		{"link", map[string]string{"rel": "icon", "href": "/web/icon.svg"}},
		{"link", map[string]string{"rel": "stylesheet", "href": "/web/app.css"}},
		{"html", map[string]string{"lang": "en"}},
	} {
		if !hasElement(page, want.tag, want.attrs) {
			t.Errorf("page (status %d, %d bytes) lacks <%s %v>", rec.Code, len(page), want.tag, want.attrs)
		}
	}
	if strings.Contains(page, `"https://"`) {
		t.Errorf("page has an Open Graph URL without a domain")
	}
	if strings.Contains(page, "raw.githubusercontent.com") {
		t.Errorf("page refers to go-app's remote icon")
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "style=") {
		t.Errorf("page has an inline script or style, which the policy forbids")
	}
}

// TestCompressedWasmCache: the compressed wasm is cached beside it and
// reused only while it matches the wasm.
func TestCompressedWasmCache(t *testing.T) {
	dir := fakeWebDir(t, 300_000)
	loadTestServer(t, dir)
	br, err := os.ReadFile(filepath.Join(dir, "app.wasm.br"))
	if err != nil {
		t.Fatalf("no brotli cache: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "app.wasm.gz")); err != nil {
		t.Fatalf("no gzip cache: %v", err)
	}
	// A cache that matches is served as it is.
	s := loadTestServer(t, dir)
	if got := get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br"}).Body.Bytes(); !bytes.Equal(got, br) {
		t.Errorf("the brotli cache was not reused")
	}
	// A cache of another build is not.
	wasm := fakeWasm(300_001)
	os.WriteFile(filepath.Join(dir, "app.wasm"), wasm, 0o644)
	s = loadTestServer(t, dir)
	got := get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br"}).Body.Bytes()
	if !bytes.Equal(decode(t, "br", got), wasm) {
		t.Errorf("a stale brotli cache was served")
	}
	// A damaged cache is not.
	os.WriteFile(filepath.Join(dir, "app.wasm.gz"), []byte("garbage"), 0o644)
	s = loadTestServer(t, dir)
	got = get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "gzip"}).Body.Bytes()
	if !bytes.Equal(decode(t, "gzip", got), wasm) {
		t.Errorf("a damaged gzip cache was served")
	}
}

// TestBrotliInBackground: without a cache, the server starts at once and
// serves gzip until brotli is ready.
func TestBrotliInBackground(t *testing.T) {
	ensureRoutes()
	dir := fakeWebDir(t, 1_000_000)
	st, err := loadSite(dir, siteOptions{logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	s := &server{dir: dir, logf: t.Logf}
	s.cur.Store(st)
	enc := get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br, gzip"}).Header().Get("Content-Encoding")
	if enc != "gzip" && enc != "br" {
		t.Fatalf("Content-Encoding %q before brotli is ready", enc)
	}
	deadline := time.Now().Add(time.Minute)
	for st.resources["/web/app.wasm"].br.Load() == nil {
		if time.Now().After(deadline) {
			t.Fatal("brotli never finished")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if enc := get(s, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br, gzip"}).Header().Get("Content-Encoding"); enc != "br" {
		t.Errorf("Content-Encoding %q once brotli is ready", enc)
	}
}

// TestWatchServesNewBuild: a new build in the web directory is served
// without a restart, with a new version; a broken one is not.
func TestWatchServesNewBuild(t *testing.T) {
	dir := fakeWebDir(t, 4096)
	s := loadTestServer(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.watch(ctx, 20*time.Millisecond)
	v1 := s.site().version

	os.WriteFile(filepath.Join(dir, "app.css"), []byte("body { color: black; }\n"), 0o644)
	waitUntil(t, "the new build", func() bool { return s.site().version != v1 })
	if got := get(s, "GET", "/web/app.css", nil).Body.String(); got != "body { color: black; }\n" {
		t.Errorf("app.css after the change: %q", got)
	}
	if worker := get(s, "GET", "/app-worker.js", nil).Body.String(); !strings.Contains(worker, s.site().version) {
		t.Errorf("app-worker.js does not carry the new version")
	}

	v2 := s.site().version
	os.Remove(filepath.Join(dir, "icon.svg"))
	time.Sleep(200 * time.Millisecond)
	if s.site().version != v2 {
		t.Errorf("a build without icon.svg was served")
	}
	if rec := get(s, "GET", "/web/icon.svg", nil); rec.Code != 200 {
		t.Errorf("the last good build is no longer served: %d", rec.Code)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8000": true, "localhost:8000": true, "[::1]:8000": true, "127.0.0.2:1": true,
		"0.0.0.0:8000": false, ":8000": false, "192.168.1.2:80": false, "[::]:80": false, "nonsense": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

// fileServer is a plain static file server, as any static host is.
type fileServer struct {
	URL string
	srv *httptest.Server
}

func (f *fileServer) Close() { f.srv.Close() }

// startFileServer serves dir with http.FileServer on 127.0.0.1.
func startFileServer(t testing.TB, dir string) *fileServer {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir))) // binds 127.0.0.1
	t.Cleanup(srv.Close)
	return &fileServer{URL: srv.URL + "/", srv: srv}
}

// TestStaticBuild: the static build holds every page and file, precompressed,
// and a plain file server serves them.
func TestStaticBuild(t *testing.T) {
	ensureRoutes()
	web := fakeWebDir(t, 100_000)
	out := filepath.Join(t.TempDir(), "dist")
	res, err := buildStatic(web, out, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	fs := startFileServer(t, out)
	for _, p := range []string{
		"/", "/index.html", "/app.js", "/app-worker.js", "/wasm_exec.js", "/app.css", "/manifest.webmanifest",
		"/web/app.wasm", "/web/app.css", "/web/icon.svg", "/web/icon-192.png", "/web/icon-512.png",
		"/web/icon-maskable-512.png", "/web/schema/factmark-v1.schema.json",
	} {
		resp, err := http.Get(strings.TrimSuffix(fs.URL, "/") + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s from the static build: %d, %d bytes", p, resp.StatusCode, len(body))
		}
		if p == "/web/app.wasm" && resp.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("a plain file server serves app.wasm as %q", resp.Header.Get("Content-Type"))
		}
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !bytes.Contains(index, []byte(`<meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="`+metaCSP+`">`)) {
		t.Errorf("index.html does not carry the policy first thing:\n%.600s", index)
	}
	if strings.Contains(metaCSP, "frame-ancestors") {
		t.Errorf("the meta policy has frame-ancestors, which browsers ignore there and complain about")
	}
	if bytes.Contains(index, []byte(`"https://"`)) {
		t.Errorf("index.html has an Open Graph URL without a domain")
	}
	if !bytes.Contains(index, []byte("<h1")) {
		t.Errorf("index.html is not pre-rendered")
	}
	worker, _ := os.ReadFile(filepath.Join(out, "app-worker.js"))
	if !bytes.Contains(worker, []byte(res.version)) {
		t.Errorf("app-worker.js lacks the version %s", res.version)
	}
	// Precompressed copies beside the files, decoding to them.
	for _, name := range []string{"web/app.wasm", "index.html", "app.js", "wasm_exec.js", "web/app.css"} {
		data, _ := os.ReadFile(filepath.Join(out, name))
		for enc, ext := range map[string]string{"br": ".br", "gzip": ".gz"} {
			z, err := os.ReadFile(filepath.Join(out, name+ext))
			if err != nil {
				t.Errorf("no %s%s: %v", name, ext, err)
				continue
			}
			if !bytes.Equal(decode(t, enc, z), data) {
				t.Errorf("%s%s does not decode to %s", name, ext, name)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "web", "icon-192.png.gz")); err == nil {
		t.Errorf("a PNG was gzipped")
	}
	headers, _ := os.ReadFile(filepath.Join(out, "_headers"))
	if !bytes.Contains(headers, []byte("frame-ancestors 'none'")) || !bytes.Contains(headers, []byte("application/wasm")) {
		t.Errorf("_headers: %s", headers)
	}

	// Building again replaces the build, leaving nothing stale.
	os.WriteFile(filepath.Join(out, "stale.txt"), []byte("old"), 0o644)
	if _, err := buildStatic(web, out, t.Logf); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "stale.txt")); err == nil {
		t.Errorf("a file of the previous build survived")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary directories left beside the build: %v", entries)
	}

	// It never replaces a directory that is not a build of its own.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "precious.txt"), []byte("keep me"), 0o644)
	if _, err := buildStatic(web, other, t.Logf); err == nil || !strings.Contains(err.Error(), "not a previous static build") {
		t.Errorf("building into a foreign directory: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(other, "precious.txt")); string(data) != "keep me" {
		t.Errorf("a foreign directory was touched")
	}
	if _, err := buildStatic(web, filepath.Join(web, "dist"), t.Logf); err == nil {
		t.Errorf("building into the web directory was allowed")
	}
}
