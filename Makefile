# Factmark. `make run` builds and serves the app on http://127.0.0.1:8000;
# `make test` runs every test (native, wasm under node, browser under chromium).

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
ADDR      ?= 127.0.0.1:8000
SOURCES   := $(shell find app annotate -name '*.go' -not -name '*_test.go') go.mod go.sum $(wildcard app/seed/*)
WEB       := $(shell find web -type f -not -name '*.wasm' -not -name '*.wasm.*')

.PHONY: all build run test test-native test-wasm test-browser deps bench fuzz static clean vet

all: build

build: web/app.wasm web/import.wasm bin/factmark

# The UI's wasm is built with the factmark_ui tag, which leaves annotate's
# article importers (HTML, Markdown, encodings) and its codecs (every
# interchange format but Factmark's own export, and archive/zip) out of it;
# they run in the import worker, web/import.wasm (app/importworker,
# app/codecwork, web/import-worker.js).
web/app.wasm: $(SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -tags factmark_ui -trimpath -ldflags='-s -w' -o web/app.wasm ./app

web/import.wasm: $(SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/import.wasm ./app/importworker

bin/factmark: $(SOURCES) web/app.wasm web/import.wasm $(WEB)
	$(GO) build -trimpath -o bin/factmark ./app

run: build
	./bin/factmark serve -addr $(ADDR)

# deps installs what the tests need on a fresh Debian machine that has only Go:
# chromium for the browser tests, node for the wasm tests and the UTF-16
# checks, python3 for the code-point checks.
deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-noto-color-emoji"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error

vet:
	@out=$$(gofmt -l app annotate); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet -tags factmark_ui ./app

test: deps build vet test-native test-wasm

test-native:
	$(GO) test -count=1 -timeout 15m ./...

test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec=$(WASM_EXEC) ./annotate/...

# bench measures everything of issue 8 in one run (a few minutes): the core's
# Go benchmarks, the wasm sizes, cold start against a bare go-app app, and
# documents of 100 KB and 1 MB with 0, 1,000 and 10,000 spans in headless
# Chromium against a static HTML floor. It prints a table and writes
# bench.json (FACTMARK_BENCH_JSON=path to put it elsewhere).
bench: build
	$(GO) test -count=1 -run '^$$' -bench '^BenchmarkFactmark$$' -benchtime 1x -timeout 30m ./app

fuzz:
	@for p in ./annotate ./app; do \
		for f in $$($(GO) test -list '^Fuzz' $$p | grep '^Fuzz'); do \
			echo "== $$p $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
		done; \
	done

static: build
	./bin/factmark static -out dist

clean:
	rm -rf bin dist web/app.wasm web/app.wasm.br web/app.wasm.gz web/import.wasm web/import.wasm.br web/import.wasm.gz
