//go:build !wasm

package main

// Browser test of the library (issue 7's "A local corpus"): two documents
// opened from files, renamed, marked done, deleted and restored with Undo,
// next and previous with Alt+PageDown/PageUp, the corpus exported as a
// dataset and a dataset imported, with the keyboard; and all of it still
// there after a reload.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// libRow is a row of the library as shown.
type libRow struct {
	ID, Title, Counts, Status, Edited string
	Open                              bool
}

func (u *ui) libraryRows() []libRow {
	u.t.Helper()
	return evalJS[[]libRow](u.testBrowser, `Array.from(document.querySelectorAll('#library .lib-row'), (tr) => ({
		ID: tr.dataset.id,
		Title: (tr.querySelector('.lib-open') || tr.querySelector('#lib-rename') || {}).textContent || "",
		Counts: tr.querySelector('.lib-counts').textContent,
		Status: tr.querySelector('.lib-status').value,
		Edited: tr.querySelector('.lib-edited').textContent,
		Open: tr.classList.contains('lib-row-open')}))`)
}

// waitRows waits until the library shows rows for which ok holds.
func (u *ui) waitRows(what string, ok func([]libRow) bool) []libRow {
	u.t.Helper()
	var got []libRow
	if !u.WaitFor(what, func() bool { got = u.libraryRows(); return ok(got) }) {
		u.t.Fatalf("%s: the library shows %+v (notice %q)", what, got, evalJS[string](u.testBrowser, `(document.querySelector('#library-notice') || {}).textContent || ""`))
	}
	return got
}

func rowByID(rows []libRow, id string) libRow {
	for _, r := range rows {
		if r.ID == id {
			return r
		}
	}
	return libRow{}
}

// focusIs is a JavaScript condition: the focus is on the element with id.
func focusIs(id string) string {
	return fmt.Sprintf(`document.activeElement && document.activeElement.id === %s`, jsString(id))
}

// waitDownloadNamed waits for a new file called name in the download
// directory and returns its bytes.
func (u *ui) waitDownloadNamed(name string) []byte {
	u.t.Helper()
	p := filepath.Join(u.dl, name)
	var data []byte
	if !u.WaitFor("the download of "+name, func() bool {
		d, err := os.ReadFile(p)
		if err != nil || len(d) == 0 {
			return false
		}
		if _, err := os.Stat(p + ".crdownload"); err == nil {
			return false
		}
		data = d
		return true
	}) {
		u.t.Fatalf("%s was not downloaded", name)
	}
	os.Remove(p)
	return data
}

func TestLibrary(t *testing.T) {
	u := openUI(t)
	place := u.labelID("2")
	alphaText := "Alpha report\n\nThe mayor of Lviv opened a bridge over the river.\n"
	bravoText := "Bravo report\n\nFerries to Izmail resumed on Sunday.\n"
	alphaDoc, err := annotate.FromText([]byte(alphaText), annotate.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bravoDoc, _ := annotate.FromText([]byte(bravoText), annotate.TextOptions{})
	alpha, bravo := alphaDoc.ID, bravoDoc.ID

	u.pick(writeTestFile(t, "alpha.txt", alphaText))
	u.waitArticle("The mayor of Lviv")
	u.doc = alphaDoc
	u.tag(u.at("Lviv", 0), "2")
	u.waitSaved()
	u.pick(writeTestFile(t, "bravo.txt", bravoText))
	u.waitArticle("Ferries to Izmail")
	u.waitStatus("Opened bravo.txt")

	// The library, from the keyboard.
	u.Press("l", chromedp.ModifierAlt)
	u.WaitVisible("#library")
	rows := u.waitRows("two documents", func(rs []libRow) bool { return len(rs) == 2 })
	if rows[0].ID != alpha || rows[1].ID != bravo {
		t.Fatalf("the library lists %+v, want alpha then bravo", rows)
	}
	if r := rows[0]; r.Title != "Alpha report" || r.Counts != "Place 1" || r.Status != statusProgress || r.Edited == "" || r.Open {
		t.Errorf("alpha: %+v", r)
	}
	if r := rows[1]; r.Title != "Bravo report" || r.Counts != "none" || r.Status != statusNew || !r.Open {
		t.Errorf("bravo: %+v", r)
	}
	// Serious or critical accessibility problems of the library, by axe-core.
	for _, v := range runAxe(u, axeSource(t)) {
		t.Errorf("the library: axe %s (%s): %s\n\t%s", v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
	}

	// Rename bravo: Tab to Rename, Enter, type, Enter.
	u.tabTo("Rename bravo", focusIs("lib-rename-"+bravo))
	u.Press(kb.Enter)
	if !u.WaitFor("the title field", func() bool { return evalJS[bool](u.testBrowser, focusIs("lib-rename")) }) {
		t.Fatal("Rename did not focus the title field")
	}
	u.typeText("Bravo, renamed")
	u.Press(kb.Enter)
	u.waitRows("the new title", func(rs []libRow) bool { return rowByID(rs, bravo).Title == "Bravo, renamed" })

	// Mark alpha done.
	u.tabTo("Mark done", focusIs("lib-done-"+alpha))
	u.Press(kb.Enter)
	u.waitRows("alpha done", func(rs []libRow) bool { return rowByID(rs, alpha).Status == statusDone })

	// Delete alpha, then Undo from the notice.
	u.tabTo("Delete alpha", focusIs("lib-delete-"+alpha))
	u.Press(kb.Enter)
	u.waitRows("alpha deleted", func(rs []libRow) bool { return len(rs) == 1 && rs[0].ID == bravo })
	u.WaitText("#library-notice", "Deleted “Alpha report”.")
	if !u.WaitFor("the focus on Undo", func() bool { return evalJS[bool](u.testBrowser, focusIs("library-undo")) }) {
		u.tabTo("Undo", focusIs("library-undo"))
	}
	u.Press(kb.Enter)
	rows = u.waitRows("alpha restored", func(rs []libRow) bool { return len(rs) == 2 })
	if r := rowByID(rows, alpha); r.Status != statusDone || r.Counts != "Place 1" || r.Title != "Alpha report" {
		t.Errorf("alpha came back as %+v", r)
	}
	u.Press(kb.Escape)
	u.WaitGone("#library")

	// Previous and next document.
	u.Press(kb.PageUp, chromedp.ModifierAlt)
	u.waitArticle("The mayor of Lviv")
	u.waitSummary("alpha's annotations", place+":Lviv")
	u.Press(kb.PageUp, chromedp.ModifierAlt)
	u.waitStatus("is the first document in the library")
	u.Press(kb.PageDown, chromedp.ModifierAlt)
	u.waitArticle("Ferries to Izmail")
	u.waitSummary("bravo has none")

	// Export the corpus as a Factmark dataset, keyboard only.
	u.Press("l", chromedp.ModifierAlt)
	u.WaitVisible("#library")
	u.waitRows("two documents", func(rs []libRow) bool { return len(rs) == 2 })
	u.tabTo("Export", focusIs("library-export"))
	u.Press(kb.Enter)
	data := u.waitDownloadNamed("factmark-corpus.jsonl")
	r := annotate.NewDatasetReader(bytes.NewReader(data))
	var got []string
	for {
		st, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the exported dataset: %v", err)
		}
		_, spans := exportedSpans(t, st)
		got = append(got, st.Doc.Title+"="+strings.Join(spans, ","))
	}
	if want := []string{"Alpha report=" + place + ":Lviv", "Bravo, renamed="}; !slices.Equal(got, want) {
		t.Errorf("the corpus export holds %q, want %q", got, want)
	}

	// A selection in doccano's format, keyboard only: Space checks alpha,
	// "d" picks doccano in the format list.
	u.tabTo("alpha's check box", focusIs("lib-pick-"+alpha))
	u.Press(" ")
	u.WaitText("#library-export", "Export 1 selected")
	u.Press(kb.Tab, chromedp.ModifierShift) // back through the rows and tools
	u.tabTo("the format list", focusIs("lib-format"))
	u.Press("d")
	if !u.WaitFor("doccano chosen", func() bool {
		return evalJS[string](u.testBrowser, `document.querySelector('#lib-format').value`) == "doccano"
	}) {
		t.Fatal("typing d in the format list did not choose doccano")
	}
	u.tabTo("Export", focusIs("library-export"))
	u.Press(kb.Enter)
	data = u.waitDownloadNamed("factmark-corpus.doccano.jsonl")
	if !strings.Contains(string(data), "The mayor of Lviv") || strings.Contains(string(data), "Izmail") {
		t.Errorf("the doccano export of the selection is %s", data)
	}

	// Delete the open document: the next one opens; Undo brings it back.
	u.tabTo("Delete bravo", focusIs("lib-delete-"+bravo))
	u.Press(kb.Enter)
	u.waitRows("bravo deleted", func(rs []libRow) bool { return len(rs) == 1 && rs[0].ID == alpha && rs[0].Open })
	u.waitArticle("The mayor of Lviv")
	if !u.WaitFor("the focus on Undo", func() bool { return evalJS[bool](u.testBrowser, focusIs("library-undo")) }) {
		u.tabTo("Undo", focusIs("library-undo"))
	}
	u.Press(kb.Enter)
	u.waitRows("bravo restored", func(rs []libRow) bool {
		return len(rs) == 2 && rowByID(rs, bravo).Title == "Bravo, renamed" && rowByID(rs, alpha).Open
	})

	// The filter: words of the title, and a status.
	u.tabTo("the filter", focusIs("lib-filter"))
	u.typeText("brav")
	u.waitRows("filtered by title", func(rs []libRow) bool { return len(rs) == 1 && rs[0].ID == bravo })
	u.WaitText("#lib-shown", "1 of 2 shown")
	u.Press("a", chromedp.ModifierCtrl)
	u.Press(kb.Delete)
	u.waitRows("the filter cleared", func(rs []libRow) bool { return len(rs) == 2 })
	u.Press(kb.Tab)
	u.Press("d") // the status list: Done
	u.waitRows("done only", func(rs []libRow) bool { return len(rs) == 1 && rs[0].ID == alpha })
	for i := 0; i < 3; i++ { // up to All statuses
		u.Press(kb.ArrowUp)
	}
	u.waitRows("all statuses", func(rs []libRow) bool { return len(rs) == 2 })

	// Import a dataset: several documents at once, each stored.
	var ds bytes.Buffer
	w := annotate.NewDatasetWriter(&ds)
	for _, text := range []string{"Charlie memo\n\nGrain left Reni at dawn.\n", "Delta memo\n\nPower returned to Sumy.\n"} {
		d, _ := annotate.FromText([]byte(text), annotate.TextOptions{})
		if err := w.Write(annotate.NewState(d, annotate.DefaultSchema())); err != nil {
			t.Fatal(err)
		}
	}
	u.Do(chromedp.SetUploadFiles(chromedp.CSS("#lib-import"), []string{writeTestFile(t, "more.jsonl", ds.String())}, chromedp.NodeReady))
	rows = u.waitRows("four documents", func(rs []libRow) bool { return len(rs) == 4 })
	if rows[2].Title != "Charlie memo" || rows[3].Title != "Delta memo" || rows[2].Status != statusNew {
		t.Errorf("the imported dataset is listed as %+v", rows[2:])
	}
	if !strings.Contains(u.articleText(), "The mayor of Lviv") {
		t.Error("importing a dataset into the library changed the open document")
	}

	// Everything is still there after a reload.
	u.Reload()
	u.WaitVisible(`html[data-factmark="ready"] #article [data-start]`)
	u.waitArticle("The mayor of Lviv")
	u.Press("l", chromedp.ModifierAlt)
	u.WaitVisible("#library")
	rows = u.waitRows("after a reload", func(rs []libRow) bool { return len(rs) == 4 })
	if a, b := rowByID(rows, alpha), rowByID(rows, bravo); a.Status != statusDone || b.Title != "Bravo, renamed" || !a.Open || b.Open {
		t.Errorf("after a reload: %+v", rows)
	}
}

// exportedSpans lists st's annotations as "label:text".
func exportedSpans(t *testing.T, st *annotate.State) (*annotate.State, []string) {
	t.Helper()
	data, err := annotate.Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	return exported(t, data)
}
