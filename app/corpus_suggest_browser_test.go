//go:build !wasm

package main

import (
	"slices"
	"testing"

	"github.com/chromedp/cdproto/input"
)

// TestBrowserSuggestionsFromCorpus: names tagged in one document of the
// library are suggested in another (issue 7's gazetteer "of names already
// tagged in the corpus"): tag a person and a place in the seed, paste a new
// article that mentions them without any title, press S.
func TestBrowserSuggestionsFromCorpus(t *testing.T) {
	u := openUI(t)
	person, place := u.labelID("1"), u.labelID("2")
	u.tag(u.at("Dan Driscoll", 0), "1")
	u.tag(u.at("Ternopil", 0), "2")
	u.waitSummary("tagged", person+":Dan Driscoll", place+":Ternopil")
	u.waitSaved()

	u.Click("#paste-button")
	u.WaitVisible("#paste-text")
	u.Click("#paste-text")
	cdpCall(u.testBrowser, input.InsertText, input.InsertTextParams{Text: "Briefing notes\n\nDan Driscoll flew to Ternopil on Tuesday.\n\nLater Dan Driscoll spoke to reporters.\n"})
	u.Click("#paste-open")
	u.waitArticle("Dan Driscoll flew to Ternopil")
	u.waitSummary("the new document has no spans")

	u.Click("#suggest-toggle")
	want := []string{person + ":Dan Driscoll", person + ":Dan Driscoll", place + ":Ternopil"}
	var got []string
	if !u.WaitFor("suggestions from the corpus", func() bool {
		got = shownSummary(u.suggestionsShown())
		return slices.Equal(got, want)
	}) {
		t.Fatalf("the page suggests %q, want %q (names tagged in the other document)", got, want)
	}
}
