//go:build !wasm

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// staticMarker is written into every static build. Only a directory that has
// it is replaced by the next build, so a mistyped -out never deletes anything
// else.
const staticMarker = ".factmark-static"

// metaCSP is the policy a static build carries in its pages, for hosts that
// cannot set headers. frame-ancestors has no effect in a <meta> element (and
// browsers complain about it), so it is left to _headers.
var metaCSP = strings.TrimSuffix(contentSecurityPolicy, "; frame-ancestors 'none'")

// staticResult describes a static build.
type staticResult struct {
	version string
	files   int // files written, compressed copies included
}

// buildStatic writes the app for webDir as static files into out: go-app's
// GenerateStaticWebsite output, the web directory, a .br and a .gz beside
// every compressible file, and a _headers file with the security headers
// for hosts that read one (Netlify, Cloudflare Pages). The pages carry the
// Content-Security-Policy in a <meta> element for hosts that do not. The
// build is written next to out and moved into place, so out is never left
// half-written.
func buildStatic(webDir, out string, logf func(format string, args ...any)) (staticResult, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return staticResult{}, err
	}
	absWeb, err := filepath.Abs(webDir)
	if err != nil {
		return staticResult{}, err
	}
	if within(absWeb, absOut) || within(absOut, absWeb) {
		return staticResult{}, fmt.Errorf("output directory %s overlaps the web directory %s", out, webDir)
	}
	if err := checkReplaceable(absOut); err != nil {
		return staticResult{}, err
	}

	st, err := loadSite(webDir, siteOptions{waitBrotli: true, logf: logf})
	if err != nil {
		return staticResult{}, err
	}
	defer st.close()

	parent := filepath.Dir(absOut)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return staticResult{}, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(absOut)+"-*.tmp")
	if err != nil {
		return staticResult{}, err
	}
	defer os.RemoveAll(tmp) // after a successful rename there is nothing left to remove
	if err := os.Chmod(tmp, 0o755); err != nil {
		return staticResult{}, err
	}

	if err := app.GenerateStaticWebsite(tmp, st.handler); err != nil {
		return staticResult{}, fmt.Errorf("generate pages: %w", err)
	}
	if err := addMetaCSP(tmp); err != nil {
		return staticResult{}, err
	}
	// app.js as the server serves it (its service worker deferred).
	if err := os.WriteFile(filepath.Join(tmp, "app.js"), st.resources["/app.js"].identity.body, 0o644); err != nil {
		return staticResult{}, err
	}
	for _, name := range st.web.names() {
		dst := filepath.Join(tmp, "web", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return staticResult{}, err
		}
		if err := os.WriteFile(dst, st.web.files[name].data, 0o644); err != nil {
			return staticResult{}, err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "_headers"), []byte(netlifyHeaders()), 0o644); err != nil {
		return staticResult{}, err
	}
	if err := os.WriteFile(filepath.Join(tmp, staticMarker), []byte(st.version+"\n"), 0o644); err != nil {
		return staticResult{}, err
	}
	if err := precompressTree(tmp, st); err != nil {
		return staticResult{}, err
	}
	n := 0
	if err := filepath.WalkDir(tmp, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	}); err != nil {
		return staticResult{}, err
	}

	// Move the new build into place.
	if _, err := os.Stat(absOut); err == nil {
		old := tmp + ".old"
		if err := os.Rename(absOut, old); err != nil {
			return staticResult{}, err
		}
		if err := os.Rename(tmp, absOut); err != nil {
			os.Rename(old, absOut)
			return staticResult{}, err
		}
		if err := os.RemoveAll(old); err != nil {
			logf("cannot remove the previous build at %s: %v", old, err)
		}
	} else if err := os.Rename(tmp, absOut); err != nil {
		return staticResult{}, err
	}
	return staticResult{version: st.version, files: n}, nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkReplaceable refuses an output directory that exists, is not empty and
// is not a previous static build.
func checkReplaceable(out string) error {
	info, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, staticMarker)); err != nil {
		return fmt.Errorf("output directory %s is not empty and is not a previous static build (it has no %s); remove it or choose another -out", out, staticMarker)
	}
	return nil
}

// addMetaCSP puts the Content-Security-Policy in a <meta> element right after
// the charset of every page go-app generated, before any script or style,
// and tidies the page as the server does.
func addMetaCSP(dir string) error {
	const charset = `<meta charset="UTF-8">`
	meta := `<meta http-equiv="Content-Security-Policy" content="` + metaCSP + `">`
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		page, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		i := bytes.Index(page, []byte(charset))
		if i < 0 {
			return fmt.Errorf("page %s has no %s to put the Content-Security-Policy after", p, charset)
		}
		i += len(charset)
		page = tidyPage(slices.Concat(page[:i], []byte(meta), page[i:]))
		return os.WriteFile(p, page, 0o644)
	})
}

// precompressTree writes name.br and name.gz beside every compressible file
// of dir that they make smaller, reusing what the site already compressed
// (the wasm above all).
func precompressTree(dir string, st *site) error {
	known := make(map[[sha256.Size]byte]*resource)
	for _, r := range st.resources {
		known[sha256.Sum256(r.identity.body)] = r
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible(contentTypeOf(p)) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(data) < 512 {
			return nil
		}
		var gz, br []byte
		if r, ok := known[sha256.Sum256(data)]; ok {
			if r.gzip != nil {
				gz = r.gzip.body
			}
			if v := r.br.Load(); v != nil {
				br = v.body
			}
		}
		if gz == nil {
			if gz, err = gzipBytes(data); err != nil {
				return err
			}
		}
		if br == nil {
			if br, err = brotliBytes(context.Background(), data); err != nil {
				return err
			}
		}
		for ext, body := range map[string][]byte{".gz": gz, ".br": br} {
			if len(body) >= len(data) {
				continue
			}
			if err := os.WriteFile(p+ext, body, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
}

// netlifyHeaders returns a _headers file (the format of Netlify and
// Cloudflare Pages) that sets the server's security and cache headers.
func netlifyHeaders() string {
	var b strings.Builder
	b.WriteString("# Headers for static hosts that read this file (Netlify, Cloudflare Pages).\n/*\n")
	keys := make([]string, 0, len(securityHeaders))
	for k := range securityHeaders {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s: %s\n", k, securityHeaders[k])
	}
	b.WriteString("  Cache-Control: no-cache\n/web/app.wasm\n  Content-Type: application/wasm\n")
	return b.String()
}
