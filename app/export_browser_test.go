//go:build !wasm

package main

// Browser tests of the Export menu (issues 5 and 6): every export codec of the
// annotate registry, reached with the keyboard only; what each download
// holds; the loss warning and its Cancel.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"factmark/annotate"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// downloads lists the files in the download directory.
func (u *ui) downloads() []string {
	files, _ := filepath.Glob(filepath.Join(u.dl, "*"))
	return files
}

// waitNewDownload waits for a finished download that is not in before and
// returns its name and bytes (and removes it, so the next export of the same
// name is seen).
func (u *ui) waitNewDownload(before []string) (string, []byte) {
	u.t.Helper()
	var name string
	var size int64 = -1
	var data []byte
	ok := u.WaitFor("a download", func() bool {
		for _, f := range u.downloads() {
			if slices.Contains(before, f) || strings.HasSuffix(f, ".crdownload") {
				continue
			}
			fi, err := os.Stat(f)
			if err != nil {
				return false
			}
			// Finished: the same size twice in a row.
			if f == name && fi.Size() == size {
				data, err = os.ReadFile(f)
				return err == nil
			}
			name, size = f, fi.Size()
			return false
		}
		return false
	})
	if !ok {
		u.t.Fatalf("nothing was downloaded (status: %q)", u.Texts(".status-msg"))
	}
	os.Remove(name)
	return filepath.Base(name), data
}

// checkExportFile checks that a downloaded file parses as what its name
// says, and returns its entries (the zip's, or the file itself).
func checkExportFile(t *testing.T, name string, data []byte) map[string][]byte {
	t.Helper()
	files := map[string][]byte{name: data}
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s is not a zip: %v", name, err)
		}
		files = map[string][]byte{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s: %s: %v", name, f.Name, err)
			}
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			files[f.Name] = b.Bytes()
		}
		if len(files) < 2 {
			t.Errorf("%s holds %d files", name, len(files))
		}
	}
	for n, d := range files {
		switch ext := filepath.Ext(n); ext {
		case ".json", ".jsonld":
			if !json.Valid(d) {
				t.Errorf("%s: %s is not JSON", name, n)
			}
		case ".jsonl":
			lines := strings.Split(strings.TrimRight(string(d), "\n"), "\n")
			for i, l := range lines {
				if !json.Valid([]byte(l)) {
					t.Errorf("%s: %s line %d is not JSON: %.80q", name, n, i+1, l)
					break
				}
			}
		case ".conll":
			if !strings.HasPrefix(string(d), "-DOCSTART-") {
				t.Errorf("%s does not start with -DOCSTART-", n)
			}
			for i, l := range strings.Split(string(d), "\n") {
				if l != "" && len(strings.Fields(l)) < 2 {
					t.Errorf("%s line %d %q is not \"token TAG\"", n, i+1, l)
					break
				}
			}
		case ".xml":
			if !strings.Contains(string(d), "<View>") {
				t.Errorf("%s: %s is not a Label Studio config", name, n)
			}
		case ".txt", ".ann", ".conf":
		default:
			t.Errorf("%s: unexpected file %s", name, n)
		}
	}
	return files
}

// TestBrowserExportMenuKeyboard annotates the seed (nested persons, a claim
// with a verdict, a note), then exports every format of the registry from
// the Export menu with the keyboard only: each download parses, and the
// menu and the status name its offset unit. A lossy export warns first,
// naming what is lost; Cancel downloads nothing.
func TestBrowserExportMenuKeyboard(t *testing.T) {
	u := openUI(t)
	// Nested persons (CoNLL can keep one), a claim around them with a
	// verdict, and a note (doccano cannot carry it).
	outer := u.tag(u.at("Army Secretary Dan Driscoll", 0), "1")
	inner := u.tag(u.at("Dan Driscoll", 0), "1")
	u.tag(u.at("The team, led by U.S. Army Secretary Dan Driscoll, is scheduled to meet with Ukrainian President Volodymyr Zelensky upon his return from Turkey.", 0), "4")
	u.Press(kb.Enter)     // to the claim's details: the verdict
	u.Press(kb.ArrowDown) // False
	u.waitValue("claim-verdict", "false")
	u.Press(kb.ArrowDown) // Mostly false
	u.waitValue("claim-verdict", "mostly-false")
	verdict := "mostly-false"
	u.Press(kb.Escape) // back to the claim
	u.waitSelected("the claim", func(s span) bool { return s.Label == u.labelID("4") })
	// The note, on the outer person.
	u.Click(fmt.Sprintf(`#panel .item[data-id="%s"]`, outer.ID))
	u.waitSelected("the outer person", func(s span) bool { return s.ID == outer.ID })
	u.typeInto("span-note", "rank and name")
	u.WaitText(".status-msg", "Saved the note")
	// Another span's details show its own (empty) note, not the last one.
	u.Click(fmt.Sprintf(`#panel .item[data-id="%s"]`, inner.ID))
	u.waitSelected("the inner person", func(s span) bool { return s.ID == inner.ID })
	u.waitValue("span-note", "")
	// Its note goes to it, not to the span whose note the field showed
	// before (the field is the same element).
	u.typeInto("span-note", "surname")
	u.WaitText(".status-msg", "Saved the note of “Dan Driscoll”")
	u.Press(kb.Escape)

	codecs := exportCodecs()
	ids := make([]string, len(codecs))
	for i, c := range codecs {
		ids[i] = c.ID
	}
	for _, want := range []string{"factmark", "w3c", "claimreview", "claims", "spacy", "doccano", "labelstudio", "brat", "conll", "hf", "checkworthy"} {
		if !slices.Contains(ids, want) {
			t.Errorf("the registry has no %s export (%q)", want, ids)
		}
	}
	// The open menu lists each with its unit (a closed menu has no items).
	if n := u.Count(`#export-menu [role="menuitem"]`); n != 0 {
		t.Errorf("the closed menu has %d items", n)
	}
	u.Click("#export")
	u.WaitVisible(`#export-menu [role="menuitem"]`)
	items := u.Texts(`#export-menu [role="menuitem"]`)
	u.Press(kb.Escape)
	u.WaitGone(`#export-menu [role="menuitem"]`)
	if len(items) != len(codecs) {
		t.Fatalf("the menu has %d items, the registry %d exports", len(items), len(codecs))
	}
	for i, c := range codecs {
		if !strings.Contains(items[i], c.Name) || !strings.Contains(items[i], unitOf(c)) {
			t.Errorf("menu item %d %q does not name %s and its unit %q", i, items[i], c.Name, unitOf(c))
		}
	}

	// The open menu and the loss warning pass axe-core.
	axe := axeSource(t)
	checkAxe := func(state string) {
		t.Helper()
		for _, v := range runAxe(u, axe) {
			t.Errorf("%s: axe %s (%s): %s\n\t%s", state, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	}

	// To the Export button with Tab.
	for i := 0; i < 80 && !evalJS[bool](u.testBrowser, `document.activeElement.id === 'export'`); i++ {
		u.Press(kb.Tab)
	}
	if !evalJS[bool](u.testBrowser, `document.activeElement.id === 'export'`) {
		t.Fatal("Tab never reached Export")
	}
	// open opens the menu with the keyboard and moves to item i.
	open := func(i int) {
		t.Helper()
		if !u.WaitFor("the focus back on Export", func() bool {
			return evalJS[bool](u.testBrowser, `document.activeElement.id === 'export'`)
		}) {
			t.Fatal("the focus did not come back to Export")
		}
		u.Press(kb.Enter)
		u.WaitVisible("#export-menu")
		if got := evalJS[string](u.testBrowser, `document.getElementById('export').getAttribute('aria-expanded')`); got != "true" {
			t.Errorf("the open menu's button says aria-expanded=%q", got)
		}
		for k := 0; k < i; k++ {
			u.Press(kb.ArrowDown)
		}
		if !u.WaitFor("item "+codecs[i].ID, func() bool {
			return evalJS[string](u.testBrowser, `document.activeElement.dataset.codec || ''`) == codecs[i].ID
		}) {
			t.Fatalf("the arrows did not reach %s", codecs[i].ID)
		}
	}

	// Escape closes the menu and gives the focus back to its button.
	open(1)
	u.Press(kb.Escape)
	u.WaitFor("the menu to close", func() bool {
		return evalJS[bool](u.testBrowser, `document.getElementById('export-menu').hidden && document.getElementById('export').getAttribute('aria-expanded') === 'false'`)
	})
	if u.Count("#export-menu:not([hidden])") != 0 {
		t.Fatal("Escape did not close the Export menu")
	}

	// Cancel on a lossy export downloads nothing: doccano loses the note.
	doccano := slices.Index(ids, "doccano")
	before := u.downloads()
	open(doccano)
	checkAxe("the Export menu open")
	u.Press(kb.Enter)
	warning := u.WaitText("#export-warning", "2 notes")
	checkAxe("the loss warning")
	if !strings.Contains(evalJS[string](u.testBrowser, `document.activeElement.id`), "export-cancel") {
		t.Errorf("the warning does not start on Cancel")
	}
	u.Press(kb.Enter) // Cancel
	u.WaitGone("#export-warning")
	u.WaitText(".status-msg", "nothing was downloaded")
	if !strings.Contains(warning, "Export as doccano") {
		t.Errorf("the warning %q does not name the format", warning)
	}

	for i, c := range codecs {
		open(i)
		u.Press(kb.Enter)
		// A warning (named losses, focus on Cancel) or a download.
		var warned bool
		u.WaitFor("the download or the warning", func() bool {
			warned = u.Count("#export-warning") > 0
			return warned || len(u.downloads()) > len(before)
		})
		if warned {
			text := u.Texts("#export-warning")[0]
			switch c.ID {
			case "conll", "hf":
				if !strings.Contains(text, "overlaps a Person already tagged") {
					t.Errorf("%s: the warning does not name the nested person: %q", c.ID, text)
				}
			case "doccano":
				if !strings.Contains(text, "2 notes") {
					t.Errorf("%s: the warning does not name the note: %q", c.ID, text)
				}
			case "factmark":
				t.Errorf("the native export warned: %q", text)
			}
			u.Press(kb.Tab, chromedp.ModifierShift) // Cancel → Export anyway
			if got := evalJS[string](u.testBrowser, `document.activeElement.id`); got != "export-anyway" {
				t.Fatalf("%s: Shift+Tab from Cancel reached %q", c.ID, got)
			}
			u.Press(kb.Enter)
		} else if slices.Contains([]string{"conll", "doccano", "spacy"}, c.ID) {
			t.Errorf("%s exported without a loss warning", c.ID)
		}
		name, data := u.waitNewDownload(before)
		files := checkExportFile(t, name, data)
		status := u.WaitText(".status-msg", "Exported "+name)
		if !strings.Contains(status, "offsets: "+unitOf(c)) {
			t.Errorf("%s: the status %q does not name the unit %q", c.ID, status, unitOf(c))
		}
		switch c.ID {
		case "factmark":
			st, _ := exported(t, data)
			if st.Len() != 3 {
				t.Errorf("native export has %d annotations, want 3", st.Len())
			}
			for id, want := range map[string]string{outer.ID: "rank and name", inner.ID: "surname"} {
				if a, _ := st.Annotation(id); a.Note != want {
					t.Errorf("span %s has the note %q, want %q", id, a.Note, want)
				}
			}
		case "brat", "labelstudio", "hf":
			if !strings.HasSuffix(name, ".zip") {
				t.Errorf("%s downloaded %s, want a zip of its files", c.ID, name)
			}
		case "claims":
			var rec annotate.ClaimRecord
			if err := json.Unmarshal(bytes.TrimSpace(files[name]), &rec); err != nil {
				t.Errorf("claims record: %v", err)
			} else if rec.Verdict == nil || rec.Verdict.ID != verdict {
				t.Errorf("claims record verdict %+v, want %s", rec.Verdict, verdict)
			}
		}
		before = u.downloads()
	}
}

// TestExportFileEveryCodec: the Export menu's download for each codec of the
// registry, in plain Go: one file named with the codec's extension, or a zip
// of the codec's files (brat's .txt, .ann and configuration, Label Studio's
// tasks and labeling config, Hugging Face's records and labels.json).
func TestExportFileEveryCodec(t *testing.T) {
	doc, err := seedDocument()
	if err != nil {
		t.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	at := func(sub string) annotate.Range {
		i := strings.Index(doc.Text, sub)
		if i < 0 {
			t.Fatalf("%q is not in the seed", sub)
		}
		start := len([]rune(doc.Text[:i]))
		return annotate.Range{Start: start, End: start + len([]rune(sub))}
	}
	add := func(label string, r annotate.Range, note string, c *annotate.Claim) {
		a := annotate.Annotation{ID: annotate.NewID(), Label: label, Start: r.Start, End: r.End, Note: note, Claim: c}
		if _, err := st.Apply(annotate.Add(a)); err != nil {
			t.Fatal(err)
		}
	}
	add("person", at("David Butler"), "spokesperson", nil)
	add("claim", at("This visit marks the highest-level engagement"), "", &annotate.Claim{Verdict: "false", Rationale: "see the record",
		Evidence: []annotate.Evidence{{URL: "https://example.org/record", Stance: annotate.StanceRefutes}}})
	for _, c := range exportCodecs() {
		name, mime, data, err := exportFile(st, c)
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		if mime == "" || len(data) == 0 {
			t.Errorf("%s: %s has media type %q and %d bytes", c.ID, name, mime, len(data))
		}
		if !strings.HasPrefix(name, slug(doc.Title)) && !strings.HasSuffix(name, ".zip") {
			t.Errorf("%s: file name %q does not start with the document's", c.ID, name)
		}
		files := checkExportFile(t, name, data)
		if strings.HasSuffix(name, ".zip") {
			if mime != "application/zip" || !strings.HasSuffix(name, "."+c.ID+".zip") {
				t.Errorf("%s: zip %s (%s)", c.ID, name, mime)
			}
			continue
		}
		ok := false
		for _, ext := range c.Extensions {
			ok = ok || strings.HasSuffix(name, ext)
		}
		if !ok || len(files) != 1 {
			t.Errorf("%s: downloaded %s, not one file with an extension of %q", c.ID, name, c.Extensions)
		}
	}
	if _, _, _, err := exportFile(annotate.NewState(doc, annotate.DefaultSchema()), mustCodec(t, "claimreview")); err == nil {
		t.Errorf("a ClaimReview export of a document without claims gave no error")
	}
}

func mustCodec(t *testing.T, id string) annotate.CodecInfo {
	t.Helper()
	c, ok := annotate.LookupCodec(id)
	if !ok {
		t.Fatalf("no codec %s", id)
	}
	return c.Info()
}
