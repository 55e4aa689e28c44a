//go:build !wasm

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// command is a subcommand of the factmark program.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order the help shows them.
func commands() []command {
	return []command{
		{"serve", "serve the app on http://127.0.0.1:8000 (what make run does)", cmdServe},
		{"static", "write the app as static files for any static host (what make static does)", cmdStatic},
		{"convert", "convert annotations between formats", cmdConvert},
		{"validate", "check annotation files in any supported format", cmdValidate},
		{"stats", "count documents, spans, labels and verdicts", cmdStats},
		{"version", "print the version", cmdVersion},
	}
}

// runNative is the command line of the native build: it runs a subcommand
// and returns the exit status. Errors go to stderr.
func runNative(args []string) int {
	return runCLI(args, os.Stdout, os.Stderr)
}

func runCLI(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if c, ok := findCommand(rest[0]); ok {
				return c.run([]string{"-h"}, stdout, stderr)
			}
			fmt.Fprintf(stderr, "factmark help: unknown command %q\n", rest[0])
			return 2
		}
		usage(stdout)
		return 0
	case "-version", "--version":
		return cmdVersion(nil, stdout, stderr)
	}
	c, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "factmark: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	return c.run(rest, stdout, stderr)
}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Factmark annotates news articles in the browser: people, places, figures and
disputed claims, with exact offsets, offline. These commands run natively.

Usage:
  factmark <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "factmark help <command>" for the flags of a command.
`)
}

// newFlagSet returns a flag set whose usage describes the command.
func newFlagSet(name, synopsis, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("factmark "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: factmark %s %s\n\n%s\n\nFlags:\n", name, synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns the exit status to stop with, if any.
// -h prints the usage on stdout and stops with 0; a bad flag or a stray
// argument prints the error and the usage on stderr and stops with 2.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (int, bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return 0, true
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		fs.Usage()
		return 2, true
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return 2, true
	}
	return 0, false
}

// defaultWebDir is the web directory of a checkout: ./web when run from the
// repository root (as make does), else the one beside the binary's bin/.
func defaultWebDir() string {
	candidates := []string{"web"}
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		candidates = append(candidates, filepath.Join(dir, "..", "web"), filepath.Join(dir, "web"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(filepath.Join(c, "app.wasm")); err == nil {
			return filepath.Clean(c)
		}
	}
	return "web"
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "[-addr host:port] [-web dir]",
		"Serves the app: the page, its scripts and the WebAssembly, compressed, with security\n"+
			"headers. Stops gracefully on SIGINT or SIGTERM. When the web directory changes\n"+
			"(a new build), the new version is served and open tabs are offered the update.", stderr)
	addr := fs.String("addr", "127.0.0.1:8000", "address to listen on; keep it on 127.0.0.1 unless you mean to share the app")
	web := fs.String("web", defaultWebDir(), "directory of the static assets, app.wasm included")
	watch := fs.Duration("watch", time.Second, "how often to look for a new build in the web directory; 0 to never look")
	if code, stop := parseFlags(fs, args, stdout, stderr); stop {
		return code
	}
	logger := log.New(stderr, "factmark: ", log.LstdFlags)
	fail := func(err error) int {
		fmt.Fprintf(stderr, "factmark serve: %v\n", err)
		return 1
	}
	s, err := newServer(*web, logger.Printf)
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		s.site().close()
		return fail(err)
	}
	if !isLoopback(ln.Addr().String()) {
		logger.Printf("warning: listening on %s, which other machines may reach", ln.Addr())
	}
	logger.Printf("serving Factmark at %s (version %s, web directory %s)", serverURL(ln.Addr()), s.site().version, *web)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, ln, s, serveOptions{watch: *watch}); err != nil {
		return fail(err)
	}
	return 0
}

// serverURL is the URL to open for a listener's address.
func serverURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

func cmdStatic(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("static", "[-out dir] [-web dir]",
		"Writes the app as static files: the pages go-app generates, the WebAssembly and the\n"+
			"assets, each compressible file with .br and .gz beside it. Deploy the directory on\n"+
			"any static host; it replaces a previous build in the same directory.", stderr)
	out := fs.String("out", "dist", "directory to write")
	web := fs.String("web", defaultWebDir(), "directory of the static assets, app.wasm included")
	if code, stop := parseFlags(fs, args, stdout, stderr); stop {
		return code
	}
	logger := log.New(stderr, "factmark: ", log.LstdFlags)
	res, err := buildStatic(*web, *out, logger.Printf)
	if err != nil {
		fmt.Fprintf(stderr, "factmark static: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: %d files, version %s\n", *out, res.files, res.version)
	return 0
}

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "", "Prints the version of this build.", stderr)
	if code, stop := parseFlags(fs, args, stdout, stderr); stop {
		return code
	}
	fmt.Fprintf(stdout, "factmark %s\n", strings.TrimSpace(buildVersion()))
	return 0
}
