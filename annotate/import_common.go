package annotate

import "strings"

// This file holds what the article importers (import_*.go) share with the
// rest of the package. The importers themselves are left out of builds with
// the factmark_ui tag: the app's UI wasm does not link the HTML, Markdown and
// encoding packages they need (its import worker does).

// collapseSpace trims s and turns every run of whitespace into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// CollapseSpace trims s and turns every run of white space (zero-width
// spaces and joiners included) into one space: how Gazetteer spells a
// span's text as a name.
func CollapseSpace(s string) string { return collapseSpace(s) }
