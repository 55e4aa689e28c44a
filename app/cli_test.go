//go:build !wasm

package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCLIUsageAndErrors(t *testing.T) {
	ensureRoutes()
	web := fakeWebDir(t, 4096)
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	for _, c := range []struct {
		args       []string
		code       int
		stdout     string // substring expected on stdout ("" for none)
		stderr     string // substring expected on stderr ("" for none)
		quietError bool   // stderr must be empty
	}{
		{args: nil, code: 2, stderr: "Usage:\n  factmark <command>"},
		{args: []string{"help"}, code: 0, stdout: "serve", quietError: true},
		{args: []string{"-h"}, code: 0, stdout: "static", quietError: true},
		{args: []string{"--help"}, code: 0, stdout: "Commands:", quietError: true},
		{args: []string{"help", "serve"}, code: 0, stdout: "-addr", quietError: true},
		{args: []string{"help"}, code: 0, stdout: "convert", quietError: true},
		{args: []string{"help", "convert"}, code: 0, stdout: "Usage: factmark convert", quietError: true},
		{args: []string{"help", "validate"}, code: 0, stdout: "Usage: factmark validate", quietError: true},
		{args: []string{"help", "stats"}, code: 0, stdout: "Usage: factmark stats", quietError: true},
		{args: []string{"help", "nope"}, code: 2, stderr: `unknown command "nope"`},
		{args: []string{"nope"}, code: 2, stderr: `factmark: unknown command "nope"`},
		{args: []string{"serve", "-h"}, code: 0, stdout: "Usage: factmark serve", quietError: true},
		{args: []string{"serve", "--help"}, code: 0, stdout: "-web", quietError: true},
		{args: []string{"serve", "-bogus"}, code: 2, stderr: "flag provided but not defined: -bogus"},
		{args: []string{"serve", "extra"}, code: 2, stderr: `unexpected argument "extra"`},
		{args: []string{"serve", "-watch", "soon"}, code: 2, stderr: "invalid value"},
		{args: []string{"serve", "-web", filepath.Join(web, "missing")}, code: 1, stderr: "factmark serve: "},
		{args: []string{"serve", "-web", web, "-addr", busy.Addr().String()}, code: 1, stderr: "address already in use"},
		{args: []string{"static", "-h"}, code: 0, stdout: "-out", quietError: true},
		{args: []string{"static", "-web", web, "-out", foreign}, code: 1, stderr: "not a previous static build"},
		{args: []string{"version"}, code: 0, stdout: "factmark ", quietError: true},
		{args: []string{"--version"}, code: 0, stdout: "factmark ", quietError: true},
		{args: []string{"version", "x"}, code: 2, stderr: `unexpected argument "x"`},
	} {
		var stdout, stderr bytes.Buffer
		code := runCLI(c.args, &stdout, &stderr)
		name := strings.Join(append([]string{"factmark"}, c.args...), " ")
		if code != c.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", name, code, c.code, stderr.String())
		}
		if c.stdout != "" && !strings.Contains(stdout.String(), c.stdout) {
			t.Errorf("%s: stdout %q lacks %q", name, stdout.String(), c.stdout)
		}
		if c.stderr != "" && !strings.Contains(stderr.String(), c.stderr) {
			t.Errorf("%s: stderr %q lacks %q", name, stderr.String(), c.stderr)
		}
		if c.quietError && stderr.Len() > 0 {
			t.Errorf("%s: unexpected stderr %q", name, stderr.String())
		}
		if c.code != 0 && stdout.Len() > 0 {
			t.Errorf("%s: failed but wrote to stdout %q", name, stdout.String())
		}
	}
	if data, _ := os.ReadFile(filepath.Join(foreign, "notes.txt")); string(data) != "mine" {
		t.Errorf("factmark static touched a foreign directory")
	}
}

func TestStaticCommand(t *testing.T) {
	ensureRoutes()
	web := fakeWebDir(t, 4096)
	out := filepath.Join(t.TempDir(), "dist")
	var stdout, stderr bytes.Buffer
	if code := runCLI([]string{"static", "-web", web, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !regexp.MustCompile(`^wrote .*dist: \d+ files, version [0-9a-f]{20}\n$`).MatchString(stdout.String()) {
		t.Errorf("stdout %q", stdout.String())
	}
	for _, name := range []string{"index.html", "app.js", "app-worker.js", "manifest.webmanifest", "web/app.wasm", "web/app.wasm.br", "web/app.wasm.gz"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("static build lacks %s", name)
		}
	}
}

// cliHelperEnv makes the test binary run the command line instead of tests
// (see TestCLIHelperProcess).
const cliHelperEnv = "FACTMARK_CLI_HELPER"

// TestCLIHelperProcess is not a test: started by TestServeCommandSignals as a
// separate process (the test binary itself), it runs factmark with the
// arguments after "--" and exits with its status, as the real binary does.
func TestCLIHelperProcess(t *testing.T) {
	if os.Getenv(cliHelperEnv) != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	registerRoutes()
	os.Exit(runNative(args))
}

// TestServeCommandSignals: factmark serve logs its URL, serves, and on SIGTERM
// or SIGINT shuts down gracefully and exits 0.
func TestServeCommandSignals(t *testing.T) {
	web := fakeWebDir(t, 4096)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCLIHelperProcess$", "--", "serve", "-addr", "127.0.0.1:0", "-web", web)
		cmd.Env = append(os.Environ(), cliHelperEnv+"=1")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var url string
		var log []string
		timeout := time.After(20 * time.Second)
		for url == "" {
			select {
			case l, ok := <-lines:
				if !ok {
					cmd.Wait()
					t.Fatalf("factmark serve exited before serving:\n%s", strings.Join(log, "\n"))
				}
				if !strings.Contains(l, "brotli-compressed") { // may come first, for a tiny wasm
					log = append(log, l)
				}
				if m := regexp.MustCompile(`serving Factmark at (http://127\.0\.0\.1:\d+/) \(version [0-9a-f]+`).FindStringSubmatch(l); m != nil {
					url = m[1]
				}
			case <-timeout:
				cmd.Process.Kill()
				t.Fatalf("no start line in 20s:\n%s", strings.Join(log, "\n"))
			}
		}
		if len(log) != 1 {
			t.Errorf("start logged %d lines, want one: %q", len(log), log)
		}
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<article")) || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: %d, CSP %q", url, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}

		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			for l := range lines {
				log = append(log, l)
			}
			done <- cmd.Wait()
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("after %v: %v\n%s", sig, err, strings.Join(log, "\n"))
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("still running 20s after %v", sig)
		}
		if !strings.Contains(strings.Join(log, "\n"), "shutting down") {
			t.Errorf("no shutdown logged after %v:\n%s", sig, strings.Join(log, "\n"))
		}
		if _, err := http.Get(url); err == nil {
			t.Errorf("still answering after %v", sig)
		}
	}
}
