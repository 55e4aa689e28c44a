package main

import (
	_ "embed"

	"factmark/annotate"
)

// seedArticle is the article a new user sees first: plain text, one block per
// line, imported with annotate.FromText like any .txt file a user opens.
//
//go:embed seed/article.txt
var seedArticle []byte

// seedSource is the Document.Source recorded for the seed article.
const seedSource = "seed/article.txt"

// seedDocument imports the embedded seed article.
func seedDocument() (*annotate.Document, error) {
	return annotate.FromText(seedArticle, annotate.TextOptions{Source: seedSource})
}
