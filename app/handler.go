//go:build !wasm

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Colours the platform shows before the stylesheet loads: the splash screen
// (the paper colour of web/app.css) and the title bar of the installed app
// (the icon's ink).
const (
	themeColor      = "#1d3557"
	backgroundColor = "#fbfaf7"
)

// requiredWebFiles are the files of the web directory without which the app
// cannot start or cannot be installed. Each is listed in the handler, so the
// service worker fetches it: one missing file would make its whole install
// fail, silently, and the app would not work offline.
var requiredWebFiles = []string{
	"app.wasm",
	"app.css",
	"icon.svg",
	"icon-192.png",
	"icon-512.png",
	"icon-maskable-512.png",
}

// webFile is one file of the web directory, read into memory at start-up so
// that the bytes served are the bytes the version was computed from.
type webFile struct {
	name    string // slash-separated path inside the web directory, "schema/x.json"
	data    []byte
	sum     [sha256.Size]byte
	size    int64
	modTime time.Time
}

// webDir is a snapshot of the web directory.
type webDir struct {
	dir   string
	files map[string]*webFile // by name
	stamp string              // names, sizes and times: tells a change without reading the files
}

// maxWebFile bounds the size of one file of the web directory. The wasm is
// the largest by far (about 10 MB); anything near this limit is a mistake.
const maxWebFile = 256 << 20

// skipWebFile reports whether name is not part of the app: hidden files and
// the compressed copies of the wasm files (app.wasm, import.wasm) that the
// server itself caches there.
func skipWebFile(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, ".tmp") ||
		(strings.HasSuffix(name, ".wasm.br") || strings.HasSuffix(name, ".wasm.gz")) && isWasmFile(strings.TrimSuffix(strings.TrimSuffix(name, ".br"), ".gz"))
}

// isWasmFile reports whether the web file name is one of the app's wasm
// programs, which the server compresses once and caches beside them: a .wasm
// file at the top of the web directory.
func isWasmFile(name string) bool {
	return strings.HasSuffix(name, ".wasm") && !strings.Contains(name, "/")
}

// scanWebDir lists the files of dir with their sizes and modification times,
// without reading them. It follows no symbolic link out of dir.
func scanWebDir(dir string) (map[string]fs.FileInfo, string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", fmt.Errorf("open web directory: %w", err)
	}
	defer root.Close()
	infos := make(map[string]fs.FileInfo)
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || skipWebFile(name) {
			return nil
		}
		info, err := root.Stat(name) // follows a link, but only inside dir
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		infos[name] = info
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("read web directory %s: %w", dir, err)
	}
	names := make([]string, 0, len(infos))
	for name := range infos {
		names = append(names, name)
	}
	slices.Sort(names)
	var stamp strings.Builder
	for _, name := range names {
		fmt.Fprintf(&stamp, "%s %d %d\n", name, infos[name].Size(), infos[name].ModTime().UnixNano())
	}
	return infos, stamp.String(), nil
}

// readWebDir reads every file of dir into memory and checks that the files the
// app needs are there.
func readWebDir(dir string) (*webDir, error) {
	infos, stamp, err := scanWebDir(dir)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, name := range requiredWebFiles {
		if _, ok := infos[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		hint := ""
		if slices.Contains(missing, "app.wasm") {
			hint = ` (run "make build")`
		}
		return nil, fmt.Errorf("web directory %s lacks %s%s", dir, strings.Join(missing, ", "), hint)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open web directory: %w", err)
	}
	defer root.Close()
	w := &webDir{dir: dir, files: make(map[string]*webFile, len(infos)), stamp: stamp}
	for name, info := range infos {
		if info.Size() > maxWebFile {
			return nil, fmt.Errorf("web/%s: %d bytes is more than the limit of %d", name, info.Size(), maxWebFile)
		}
		data, err := root.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read web/%s: %w", name, err)
		}
		w.files[name] = &webFile{name: name, data: data, sum: sha256.Sum256(data), size: int64(len(data)), modTime: info.ModTime()}
	}
	if !bytes.HasPrefix(w.files["app.wasm"].data, []byte("\x00asm")) {
		return nil, fmt.Errorf("web/app.wasm is not a WebAssembly module (it does not start with \\0asm)")
	}
	return w, nil
}

// names returns the file names in order.
func (w *webDir) names() []string {
	names := make([]string, 0, len(w.files))
	for name := range w.files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// cacheableResources lists every file of the web directory by URL, so that the
// service worker caches what is there and nothing that is not. go-app adds
// "/", its own scripts, the manifest and /web/app.wasm itself.
func (w *webDir) cacheableResources() []string {
	var urls []string
	for _, name := range w.names() {
		if name == "app.wasm" {
			continue
		}
		urls = append(urls, "/web/"+name)
	}
	return urls
}

// goappResources are the files the go-app handler generates. The server
// renders each once per version and serves the result; together with the
// web directory they are everything the service worker caches.
var goappResources = []string{
	"/",
	"/app.css",
	"/app.js",
	"/app-worker.js",
	"/manifest.webmanifest",
	"/wasm_exec.js",
}

// newHandler returns the go-app handler for the files of w with the given
// version.
func newHandler(w *webDir, version string) *app.Handler {
	return &app.Handler{
		Name:        "Factmark",
		ShortName:   "Factmark",
		Title:       "Factmark — annotate news articles",
		Description: "Tag people, places, figures and disputed claims in news articles, offline, and export the spans with exact offsets.",
		Lang:        "en",
		Author:      "Factmark",
		Keywords:    []string{"annotation", "fact-checking", "NLP", "named entities", "claims"},

		BackgroundColor: backgroundColor,
		ThemeColor:      themeColor,
		LoadingLabel:    "Loading Factmark… {progress}%",
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			SVG:      "/web/icon.svg",
			Maskable: "/web/icon-maskable-512.png",
		},
		Styles: []string{"/web/app.css"},
		// The wasm is fetched by app.js, which runs only once the page is
		// parsed and its stylesheet loaded; the preload starts the download
		// with the page instead. It matches app.js's fetch (same URL, CORS
		// mode, same-origin credentials), so the wasm is downloaded once.
		RawHeaders:         []string{wasmPreload},
		CacheableResources: w.cacheableResources(),
		// The wasm is served compressed, so the Content-Length the browser
		// sees is not the number of bytes it counts while streaming.
		WasmContentLength: strconv.FormatInt(w.files["app.wasm"].size, 10),
		Version:           version,
	}
}

// wasmPreload is the page's hint to download app.wasm at once.
const wasmPreload = `<link rel="preload" href="/web/app.wasm" as="fetch" type="application/wasm" crossorigin="anonymous">`

// contentVersion computes the app's version from everything a client caches:
// every file of the web directory and what the handler generates from them
// (the page, the manifest, the scripts). Any change to a build gives a new
// version, which is what makes installed clients update; an unchanged build
// keeps its version across restarts.
func contentVersion(w *webDir) (string, error) {
	h := sha256.New()
	for _, name := range w.names() {
		f := w.files[name]
		fmt.Fprintf(h, "web/%s %x\n", name, f.sum)
	}
	probe := newHandler(w, "probe")
	for _, p := range goappResources {
		res, err := renderGoapp(probe, p)
		if err != nil {
			return "", err
		}
		body := res.body
		if p == "/" {
			body = canonicalHTML(body)
		}
		sum := sha256.Sum256(body)
		fmt.Fprintf(h, "%s %s %x\n", p, res.contentType, sum)
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

// htmlTag matches a start tag as go-app writes it: a name, then attributes
// with double-quoted, escaped values.
var htmlTag = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)+)\s*(/?)>`)

var htmlAttr = regexp.MustCompile(`[^\s"'>/=]+(?:="[^"]*")?`)

// canonicalHTML sorts the attributes of every start tag. go-app writes them
// in map order, which changes from one render to the next; the version must
// not.
func canonicalHTML(page []byte) []byte {
	return htmlTag.ReplaceAllFunc(page, func(tag []byte) []byte {
		m := htmlTag.FindSubmatch(tag)
		attrs := htmlAttr.FindAll(m[2], -1)
		slices.SortFunc(attrs, bytes.Compare)
		out := append([]byte{'<'}, m[1]...)
		for _, a := range attrs {
			out = append(append(out, ' '), a...)
		}
		return append(append(out, m[3]...), '>')
	})
}

// unresolvedOG matches the Open Graph URL and image go-app writes when the
// handler has no Domain: "https://", which is not a URL. The app is served
// from wherever it is installed, so it has no canonical domain to name.
var unresolvedOG = regexp.MustCompile(`\n?[ \t]*<meta (?:property="og:(?:url|image)" content="https://"|content="https://" property="og:(?:url|image)")>`)

// tidyPage removes what go-app writes into a page that is wrong for this
// app: the Open Graph URL and image without a domain.
func tidyPage(page []byte) []byte {
	return unresolvedOG.ReplaceAll(page, nil)
}

// rendered is a resource produced by the go-app handler.
type rendered struct {
	contentType string
	body        []byte
}

// renderGoapp asks h for path the way a browser would and returns the result,
// app.js patched (patchAppJS: the database opened early, the service worker
// registered late).
func renderGoapp(h http.Handler, p string) (rendered, error) {
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+p, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if p == "/" && rec.Code == http.StatusNotFound {
		return rendered{}, errNoRoutes
	}
	if rec.Code != http.StatusOK {
		return rendered{}, fmt.Errorf("render %s: go-app handler answered %d", p, rec.Code)
	}
	if rec.Body.Len() == 0 {
		return rendered{}, fmt.Errorf("render %s: go-app handler answered with nothing", p)
	}
	body := rec.Body.Bytes()
	if p == "/app.js" {
		var err error
		if body, err = patchAppJS(body); err != nil {
			return rendered{}, err
		}
	}
	return rendered{contentType: rec.Header().Get("Content-Type"), body: body}, nil
}

// errNoRoutes is returned when the app registered no page for "/".
var errNoRoutes = errors.New(`no page is routed at "/" (registerRoutes did not run)`)
