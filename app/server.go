//go:build !wasm

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// contentSecurityPolicy allows what the app needs and nothing else: its own
// scripts and WebAssembly ('wasm-unsafe-eval' lets the page compile the
// wasm; it does not allow eval), its own stylesheets, images, fetches,
// manifest and service worker. go-app's page has no inline script or style,
// so neither is allowed. No plug-ins, no <base>, no form submission, and no
// page may frame the app.
const contentSecurityPolicy = "default-src 'none'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; " +
	"img-src 'self'; " +
	"font-src 'self'; " +
	"connect-src 'self'; " +
	"manifest-src 'self'; " +
	"worker-src 'self'; " +
	"base-uri 'none'; " +
	"form-action 'none'; " +
	"frame-ancestors 'none'"

// securityHeaders are set on every response.
var securityHeaders = map[string]string{
	"Content-Security-Policy":      contentSecurityPolicy,
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"X-Frame-Options":              "DENY",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

// Limits of the HTTP server. The app only ever GETs files, so requests are
// small; the write timeout leaves time for the wasm on a slow link.
const (
	maxHeaderBytes    = 16 << 10
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 5 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

// contentTypes fixes the types of what the app serves, rather than trusting
// the system's MIME database. Others fall back to mime.TypeByExtension.
var contentTypes = map[string]string{
	".wasm":        "application/wasm",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".html":        "text/html; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
}

func contentTypeOf(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether a content type gains from compression.
func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.HasPrefix(contentType, "image/svg") ||
		strings.HasPrefix(contentType, "application/wasm") || strings.HasPrefix(contentType, "application/json") ||
		strings.HasPrefix(contentType, "application/manifest+json") || strings.HasPrefix(contentType, "application/xml")
}

// variant is one representation of a resource: identity, brotli or gzip.
type variant struct {
	encoding string // "", "br" or "gzip"
	body     []byte
	etag     string
}

// resource is something the server answers from memory.
type resource struct {
	path        string
	contentType string
	identity    *variant
	gzip        *variant
	br          atomic.Pointer[variant] // set later when compressed in the background
}

func newResource(p, contentType string, body []byte) *resource {
	sum := sha256.Sum256(body)
	return &resource{
		path:        p,
		contentType: contentType,
		identity:    &variant{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`},
	}
}

func (r *resource) compressed(enc string, body []byte) *variant {
	suffix := map[string]string{"br": "-br", "gzip": "-gz"}[enc]
	return &variant{encoding: enc, body: body, etag: strings.TrimSuffix(r.identity.etag, `"`) + suffix + `"`}
}

// site is one version of the app: the web directory, the go-app handler made
// for it, and every resource the server answers from memory.
type site struct {
	web       *webDir
	version   string
	handler   *app.Handler
	resources map[string]*resource // by URL path
	cancel    context.CancelFunc   // stops waiting for the background brotli
}

// siteOptions control how loadSite prepares the compressed variants.
type siteOptions struct {
	// waitBrotli compresses the wasm with brotli before returning; otherwise
	// it is compressed in the background while gzip is served.
	waitBrotli bool
	logf       func(format string, args ...any)
}

// loadSite reads the web directory dir and prepares everything the server
// answers: the web files and what the go-app handler generates, each with its
// brotli and gzip variants. The compressed wasm is expensive (brotli at its
// best quality takes many seconds), so it is cached beside it as
// app.wasm.br and app.wasm.gz and reused while it matches.
func loadSite(dir string, opts siteOptions) (*site, error) {
	if opts.logf == nil {
		opts.logf = func(string, ...any) {}
	}
	w, err := readWebDir(dir)
	if err != nil {
		return nil, err
	}
	version, err := contentVersion(w)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &site{web: w, version: version, handler: newHandler(w, version), resources: make(map[string]*resource), cancel: cancel}
	for _, p := range goappResources {
		res, err := renderGoapp(s.handler, p)
		if err != nil {
			cancel()
			return nil, err
		}
		body, ct := res.body, contentTypeOf(p)
		if p == "/" {
			body, ct = tidyPage(body), "text/html; charset=utf-8"
		}
		r := newResource(p, ct, body)
		compressSmall(r)
		s.resources[p] = r
	}
	for _, name := range w.names() {
		f := w.files[name]
		r := newResource("/web/"+name, contentTypeOf(name), f.data)
		s.resources[r.path] = r
		if isWasmFile(name) {
			if err := s.compressWasm(ctx, name, r, opts); err != nil {
				cancel()
				return nil, err
			}
			continue
		}
		compressSmall(r)
	}
	// Files that crawlers and browsers ask for at the root, if the web
	// directory has them.
	for _, name := range []string{"robots.txt", "sitemap.xml", "favicon.ico"} {
		if r, ok := s.resources["/web/"+name]; ok {
			s.resources["/"+name] = r
		}
	}
	return s, nil
}

// close stops the site's wait for its brotli wasm (the compression itself
// finishes and is cached for the next start).
func (s *site) close() { s.cancel() }

// compressSmall adds the brotli and gzip variants of r when they are smaller.
func compressSmall(r *resource) {
	if !compressible(r.contentType) || len(r.identity.body) < 512 {
		return
	}
	if gz, err := gzipBytes(r.identity.body); err == nil && len(gz) < len(r.identity.body) {
		r.gzip = r.compressed("gzip", gz)
	}
	if br, err := brotliBytes(context.Background(), r.identity.body); err == nil && len(br) < len(r.identity.body) {
		r.br.Store(r.compressed("br", br))
	}
}

// compressWasm prepares the gzip and brotli variants of the wasm web/name
// (app.wasm, import.wasm), from the cache files name.gz and name.br when they
// decompress to exactly this wasm.
func (s *site) compressWasm(ctx context.Context, name string, r *resource, opts siteOptions) error {
	data := r.identity.body
	gzPath := filepath.Join(s.web.dir, filepath.FromSlash(name)+".gz")
	brPath := filepath.Join(s.web.dir, filepath.FromSlash(name)+".br")
	if gz, ok := cachedCompressed(gzPath, data, gunzipReader); ok {
		r.gzip = r.compressed("gzip", gz)
	} else {
		gz, err := gzipBytes(data)
		if err != nil {
			return fmt.Errorf("gzip web/%s: %w", name, err)
		}
		r.gzip = r.compressed("gzip", gz)
		if err := writeFileAtomic(gzPath, gz); err != nil {
			opts.logf("cannot cache the gzipped wasm (it is compressed again at each start): %v", err)
		}
	}
	if br, ok := cachedCompressed(brPath, data, brotliReader); ok {
		r.br.Store(r.compressed("br", br))
		return nil
	}
	job := brotliJobFor(name, data, brPath, opts.logf)
	if opts.waitBrotli {
		<-job.done
		if job.err != nil {
			return fmt.Errorf("brotli web/%s: %w", name, job.err)
		}
		r.br.Store(r.compressed("br", job.body))
		return nil
	}
	// Until it is done, gzip is served.
	go func() {
		select {
		case <-job.done:
			if job.err == nil {
				r.br.Store(r.compressed("br", job.body))
			}
		case <-ctx.Done():
		}
	}()
	return nil
}

// brotliJob is the brotli compression of one wasm, shared by everything in
// the process that needs it (a server and a static build, two servers of one
// build), so the many seconds it takes are spent once.
type brotliJob struct {
	done chan struct{}
	body []byte
	err  error
}

var (
	brotliMu   sync.Mutex
	brotliJobs = make(map[[sha256.Size]byte]*brotliJob)
)

// brotliJobFor returns the compression of data, starting it if no other is
// under way. When done, the result is written to cachePath; the job is
// forgotten only after that, so a later caller finds one or the other.
func brotliJobFor(name string, data []byte, cachePath string, logf func(string, ...any)) *brotliJob {
	sum := sha256.Sum256(data)
	brotliMu.Lock()
	defer brotliMu.Unlock()
	if job, ok := brotliJobs[sum]; ok {
		return job
	}
	job := &brotliJob{done: make(chan struct{})}
	brotliJobs[sum] = job
	go func() {
		start := time.Now()
		job.body, job.err = brotliBytes(context.Background(), data)
		if job.err != nil {
			logf("brotli web/%s: %v", name, job.err)
		} else {
			logf("brotli-compressed web/%s in %v: %d bytes from %d", name, time.Since(start).Round(time.Millisecond), len(job.body), len(data))
			if err := writeFileAtomic(cachePath, job.body); err != nil {
				logf("cannot cache the brotli wasm (it is compressed again at each start): %v", err)
			}
		}
		brotliMu.Lock()
		delete(brotliJobs, sum)
		brotliMu.Unlock()
		close(job.done)
	}()
	return job
}

func gunzipReader(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }
func brotliReader(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }

// cachedCompressed returns the contents of the cache file name when it
// decompresses to exactly want.
func cachedCompressed(name string, want []byte, decompress func(io.Reader) (io.Reader, error)) ([]byte, bool) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	zr, err := decompress(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(zr, int64(len(want))+1))
	if err != nil || n != int64(len(want)) {
		return nil, false
	}
	wantSum := sha256.Sum256(want)
	return data, bytes.Equal(h.Sum(nil), wantSum[:])
}

func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// brotliBytes compresses data with brotli at its best quality. It stops early
// when ctx is cancelled.
func brotliBytes(ctx context.Context, data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: brotli.BestCompression})
	const chunk = 1 << 20
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(chunk, len(data))
		if _, err := zw.Write(data[:n]); err != nil {
			return nil, err
		}
		data = data[n:]
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeFileAtomic writes data to name through a temporary file, so that a
// reader never sees half a file.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// server answers HTTP requests for the current site. When watching, it
// notices a new build in the web directory and switches to it, so open tabs
// are offered the update.
type server struct {
	dir   string
	opts  siteOptions
	cur   atomic.Pointer[site]
	logf  func(format string, args ...any)
	mu    sync.Mutex // serialises reloads
	stamp string     // of the loaded site
}

// newServer loads the web directory dir.
func newServer(dir string, logf func(format string, args ...any)) (*server, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	s := &server{dir: dir, logf: logf, opts: siteOptions{logf: logf}}
	st, err := loadSite(dir, s.opts)
	if err != nil {
		return nil, err
	}
	s.cur.Store(st)
	s.stamp = st.web.stamp
	return s, nil
}

// site returns the site being served.
func (s *server) site() *site { return s.cur.Load() }

// reload loads the web directory again if it changed since the last load. It
// reports whether a new site is served.
func (s *server) reload() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, stamp, err := scanWebDir(s.dir)
	if err != nil {
		return false, err
	}
	if stamp == s.stamp {
		return false, nil
	}
	st, err := loadSite(s.dir, s.opts)
	if err != nil {
		return false, err
	}
	old := s.cur.Swap(st)
	s.stamp = st.web.stamp
	if old.version != st.version {
		s.logf("web directory changed: serving version %s", st.version)
	}
	old.close()
	return true, nil
}

// watch reloads the web directory when it changes, until ctx is done. A
// change is picked up once the directory has been still for one interval, so
// a build that is still writing app.wasm is not served half-written.
func (s *server) watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var pending string
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, stamp, err := scanWebDir(s.dir)
		if err != nil {
			continue
		}
		s.mu.Lock()
		current := s.stamp
		s.mu.Unlock()
		if stamp == current {
			pending = ""
			continue
		}
		if stamp != pending {
			pending = stamp
			continue
		}
		pending = ""
		if _, err := s.reload(); err != nil {
			s.logf("web directory changed but cannot be served, still serving version %s: %v", s.site().version, err)
			// Do not retry until it changes again.
			s.mu.Lock()
			s.stamp = stamp
			s.mu.Unlock()
		}
	}
}

// goappPaths are paths the go-app handler would answer that this server does
// not serve: aliases of resources it already serves, and resources go-app
// would fetch over the network from the Host the client names.
var goappPaths = map[string]bool{
	"/goapp.js": true, "/manifest.json": true, "/app.wasm": true, "/goapp.wasm": true,
	"/robots.txt": true, "/sitemap.xml": true, "/ads.txt": true,
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range securityHeaders {
		h.Set(k, v)
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	default:
		h.Set("Allow", "GET, HEAD")
		httpError(w, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed: this server only serves files")
		return
	}
	// Nothing the app does sends a body; refuse one instead of reading it.
	if r.ContentLength != 0 || len(r.TransferEncoding) > 0 {
		h.Set("Connection", "close")
		httpError(w, http.StatusRequestEntityTooLarge, "request bodies are not accepted")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 0)

	st := s.site()
	p := r.URL.Path
	if res, ok := st.resources[p]; ok {
		serveResource(w, r, res)
		return
	}
	// Everything under /web/ is in resources; anything else there, a
	// directory included, does not exist. No listings.
	if p == "/web" || strings.HasPrefix(p, "/web/") || goappPaths[p] ||
		strings.HasPrefix(p, "/"+st.version+"/") || strings.Contains(p, "..") {
		httpError(w, http.StatusNotFound, "not found")
		return
	}
	// Other pages the app routes are rendered by go-app; it answers 404
	// for the rest.
	st.handler.ServeHTTP(w, r)
}

// serveResource answers r with the best variant of res the client accepts.
func serveResource(w http.ResponseWriter, r *http.Request, res *resource) {
	h := w.Header()
	v := res.identity
	br := res.br.Load()
	if br != nil || res.gzip != nil {
		h.Add("Vary", "Accept-Encoding")
		ae := r.Header.Get("Accept-Encoding")
		switch {
		case br != nil && acceptsEncoding(ae, "br"):
			v = br
		case res.gzip != nil && acceptsEncoding(ae, "gzip"):
			v = res.gzip
		}
	}
	if v.encoding != "" {
		h.Set("Content-Encoding", v.encoding)
	}
	h.Set("Content-Type", res.contentType)
	// Every response is revalidated, so a new build is seen at once; the
	// service worker is what makes the app work offline.
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", v.etag)
	if v.encoding != "" && r.Header.Get("Range") == "" {
		// ServeContent leaves the length out of encoded responses; the
		// loader's progress bar and HTTP/1.1 keep-alive want it.
		h.Set("Content-Length", strconv.Itoa(len(v.body)))
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(v.body))
}

// acceptsEncoding reports whether an Accept-Encoding header value accepts
// the content coding enc (RFC 9110, section 12.5.3): listed, or covered by
// "*", with a q-value above zero.
func acceptsEncoding(header, enc string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != enc && name != "*" {
			continue
		}
		q := 1.0
		for param := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if name == enc {
			return q > 0
		}
		star = q > 0
	}
	return star
}

func httpError(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Del("ETag")
	h.Del("Content-Encoding")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// newHTTPServer returns the HTTP server for h, with bounded request sizes and
// timeouts.
func newHTTPServer(h http.Handler, errorLog func(format string, args ...any)) *http.Server {
	srv := &http.Server{
		Handler:           h,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
	if errorLog != nil {
		srv.ErrorLog = newLogger(errorLog)
	}
	return srv
}

// serveOptions configure serve.
type serveOptions struct {
	watch time.Duration // how often to look for a new build; 0 does not look
}

// serve answers requests on ln until ctx is done, then shuts down gracefully:
// it stops accepting connections and waits for the requests in flight.
func serve(ctx context.Context, ln net.Listener, s *server, opts serveOptions) error {
	srv := newHTTPServer(s, s.logf)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if opts.watch > 0 {
		go s.watch(watchCtx, opts.watch)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.site().close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.logf("shutting down: finishing the requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	s.site().close()
	if err != nil {
		srv.Close()
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// newLogger returns a *log.Logger that writes each message through logf.
func newLogger(logf func(format string, args ...any)) *log.Logger {
	return log.New(logfWriter(logf), "", 0)
}

type logfWriter func(format string, args ...any)

func (f logfWriter) Write(p []byte) (int, error) {
	f("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// isLoopback reports whether addr (host:port) only accepts connections from
// this machine.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
