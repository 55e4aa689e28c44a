module factmark

go 1.26.0

// brotli: precompresses app.wasm for the server and the static build (issue 4).
// chromedp/cdproto: browser tests drive headless Chromium (test-only).
// go-cmp: test diffs. jsonschema/v6: validates exports against web/schema.
// x/net: html tokenizer for import. x/text: NFC and legacy encodings.
require (
	github.com/andybalholm/brotli v1.3.0
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/google/go-cmp v0.7.0
	github.com/maxence-charriere/go-app/v10 v10.1.11
	github.com/rivo/uniseg v0.4.7
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	golang.org/x/net v0.41.0
	golang.org/x/text v0.44.0
)

require (
	github.com/andybalholm/cascadia v1.3.3 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/go-shiori/dom v0.0.0-20230515143342-73569d674e1c // indirect
	github.com/gogs/chardet v0.0.0-20211120154057-b7413eaefb8f // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/itlightning/dateparse v0.2.1 // indirect
)

// Article import (annotate/import_html.go, annotate/import_markdown.go; issue 7).
// go-readability v2.1.3: the maintained fork of go-shiori/go-readability (a port
// of Readability.js 0.6) that extracts the article body of an HTML page; pinned
// because its extraction heuristics decide which text a document gets. It builds
// for js/wasm. goldmark v1.8.7: CommonMark parser whose AST we turn into blocks.
require (
	codeberg.org/readeck/go-readability/v2 v2.1.3
	github.com/yuin/goldmark v1.8.7
)
