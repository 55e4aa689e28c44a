//go:build !factmark_ui

// The UI's wasm (factmark_ui) has no codecs: importGroup runs them at once.

package main

// Plain Go tests of opening files (ui_open.go) and of the library's store
// records (store.go, record format 2).

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"factmark/annotate"
)

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// cpLen is the length of s in code points.
func cpLen(s string) int { return len([]rune(s)) }

// TestStoreMigratesLibrary: a record of format 1 (no library summary) reads
// back with its summary computed from the document; format 2 records give
// their summary without decoding the document, and the same summary when
// their fields come in another order.
func TestStoreMigratesLibrary(t *testing.T) {
	s := editedSession(t)
	at := time.Date(2025, 11, 25, 21, 30, 0, 0, time.UTC)
	rec, err := encodeSaveInfo(s.state, nil, nil, docInfo{Status: statusDone, Added: at.Add(-time.Hour), Edited: at}, at, "test")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := decodeSummary(rec.DocID, rec.Doc)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, a := range s.state.Annotations() {
		counts[a.Label]++
	}
	if sum.Title != s.doc().Title || sum.Length != s.doc().Lengths.CodePoints || sum.Status != statusDone ||
		!sum.Added.Equal(at.Add(-time.Hour)) || !sum.Edited.Equal(at) || fmt.Sprint(sum.Labels) != fmt.Sprint(counts) {
		t.Errorf("summary %+v, labels want %v", sum, counts)
	}

	// The same record with "native" first (as json.Marshal of a map writes
	// it): read whole.
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(rec.Doc), &m); err != nil {
		t.Fatal(err)
	}
	sorted, _ := json.Marshal(m)
	if !strings.HasPrefix(string(sorted), `{"added"`) {
		t.Fatalf("unexpected order: %.40s", sorted)
	}
	if again, err := decodeSummary(rec.DocID, string(sorted)); err != nil || fmt.Sprint(again) != fmt.Sprint(sum) {
		t.Errorf("reordered record: %+v, %v", again, err)
	}

	// Format 1: no summary fields.
	for _, k := range []string{"title", "length", "labels", "status", "added", "edited"} {
		delete(m, k)
	}
	m["v"] = json.RawMessage("1")
	v1, _ := json.Marshal(m)
	d, err := decodeDoc(string(v1), rec.DocID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Info.Status != statusProgress || d.Info.Title != s.doc().Title || !d.Info.Added.Equal(at) || d.Info.Labels[labelID(t, s, "1")] != counts[labelID(t, s, "1")] {
		t.Errorf("migrated info %+v", d.Info)
	}
	old, err := decodeSummary(rec.DocID, string(v1))
	if err != nil || old.Status != statusProgress || old.Length != sum.Length {
		t.Errorf("summary of a format 1 record: %+v, %v", old, err)
	}
	// A damaged record is refused with where.
	if _, err := decodeSummary("doc-x", `{"v":2,"id":"doc-x","title":7,"native":{}}`); err == nil || !strings.Contains(err.Error(), "title") {
		t.Errorf("damaged summary: %v", err)
	}
	if _, err := decodeSummary("doc-y", rec.Doc); err == nil || !strings.Contains(err.Error(), "doc-y") {
		t.Errorf("a record under another id: %v", err)
	}
}

// TestAutosaverLibraryInfo: a new document is new; its first edit makes it
// in progress and is its last edit; a status set by the user is saved like
// an edit.
func TestAutosaverLibraryInfo(t *testing.T) {
	r := newSaverRig(t)
	start := r.clock
	r.tag(t, "Dan Driscoll", "1")
	r.clock = r.clock.Add(saveDelay)
	r.fire()
	r.f.complete(t)
	id := r.s.doc().ID
	sum, err := decodeSummary(id, r.f.docs[id])
	if err != nil {
		t.Fatal(err)
	}
	if sum.Status != statusProgress || !sum.Edited.Equal(start) || sum.Labels[labelID(t, r.s, "1")] != 1 {
		t.Errorf("after an edit: %+v", sum)
	}
	r.clock = r.clock.Add(time.Minute)
	r.a.info.Status = statusDone
	r.a.touchMeta()
	if !r.a.dirty() || len(r.timers) != 1 {
		t.Fatal("a status change did not plan a save")
	}
	r.fire()
	r.f.complete(t)
	sum, _ = decodeSummary(id, r.f.docs[id])
	if sum.Status != statusDone || !sum.Edited.Equal(r.clock) || r.a.dirty() {
		t.Errorf("after marking done: %+v (dirty %v)", sum, r.a.dirty())
	}
}

// TestOpenKeys: Alt+L, Alt+P, Alt+PageDown and Alt+PageUp, not with other
// modifiers and not in a text field.
func TestOpenKeys(t *testing.T) {
	schema := annotate.DefaultSchema()
	for _, c := range []struct {
		in   keyInput
		want cmdKind
	}{
		{keyInput{Key: "l", Code: "KeyL", Alt: true}, cmdLibrary},
		{keyInput{Key: "¬", Code: "KeyL", Alt: true}, cmdLibrary},
		{keyInput{Key: "p", Code: "KeyP", Alt: true}, cmdPaste},
		{keyInput{Key: "PageDown", Code: "PageDown", Alt: true}, cmdNextDoc},
		{keyInput{Key: "PageUp", Code: "PageUp", Alt: true}, cmdPrevDoc},
		{keyInput{Key: "PageUp", Code: "PageUp"}, cmdNone},
		{keyInput{Key: "l", Code: "KeyL", Alt: true, Ctrl: true}, cmdNone},
		{keyInput{Key: "L", Code: "KeyL", Alt: true, Shift: true}, cmdNone},
		{keyInput{Key: "l", Code: "KeyL", Alt: true, Editable: true}, cmdNone},
		{keyInput{Key: "l", Code: "KeyL"}, cmdNone},
	} {
		if got := keyCommand(c.in, schema, false).Kind; got != c.want {
			t.Errorf("%+v: %v, want %v", c.in, got, c.want)
		}
	}
}

// TestImportGroup: what each kind of file becomes, here (the browser's
// importArticle is tested by the browser tests).
func TestImportGroup(t *testing.T) {
	text := "Flag 🇺🇦: Olena Zelenska visited Kharkiv."
	i := strings.Index(text, "Kharkiv")
	u16 := utf16Len(text[:i])
	cp := cpLen(text[:i])

	// doccano, UTF-16 offsets.
	line := fmt.Sprintf(`{"text": %q, "label": [[%d, %d, "LOC"]]}`, text, u16, u16+7)
	r := importGroup([]inFile{{Name: "a.jsonl", Data: []byte(line + "\n")}})
	if r.err != nil || len(r.states) != 1 || r.states[0].Len() != 1 {
		t.Fatalf("doccano: %+v", r)
	}
	if a := r.states[0].Annotations()[0]; a.Start != cp || a.End != cp+7 || a.Label != "place" {
		t.Errorf("doccano span %+v, want [%d, %d) place", a, cp, cp+7)
	}

	// brat: the .ann with its .txt, in either order.
	ann := fmt.Sprintf("T1\tLocation %d %d\tKharkiv\n", cp, cp+7)
	for _, g := range [][]inFile{
		{{Name: "x.txt", Data: []byte(text)}, {Name: "x.ann", Data: []byte(ann)}},
		{{Name: "x.ann", Data: []byte(ann)}, {Name: "x.txt", Data: []byte(text)}},
	} {
		r := importGroup(g)
		if r.err != nil || len(r.states) != 1 || r.states[0].Len() != 1 {
			t.Errorf("brat %s first: %+v", g[0].Name, r)
		}
	}

	// A span whose quote does not match: refused, leniently importable.
	bad := fmt.Sprintf(`[{"data": {"text": %q}, "annotations": [{"result": [
		{"from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 1, "end": 8, "text": "Kharkiv", "labels": ["Place"]}}]}]}]`, text)
	r = importGroup([]inFile{{Name: "ls.json", Data: []byte(bad)}})
	if r.err == nil || len(r.problems) == 0 || r.problems[0].Expected != "Kharkiv" || r.lenient == nil {
		t.Fatalf("a shifted Label Studio span: %+v", r)
	}
	if lr := r.lenient(); lr.err != nil || len(lr.states) != 1 || lr.states[0].Len() != 0 {
		t.Errorf("lenient: %+v", lr)
	}

	// Label Studio offsets written as JavaScript string indices: refused,
	// and readable as UTF-16.
	j := strings.Index(text, "Olena")
	js := fmt.Sprintf(`[{"data": {"text": %q}, "annotations": [{"result": [
		{"from_name": "label", "to_name": "text", "type": "labels", "value": {"start": %d, "end": %d, "text": "Olena Zelenska", "labels": ["Person"]}}]}]}]`, text, utf16Len(text[:j]), utf16Len(text[:j])+14)
	r = importGroup([]inFile{{Name: "js.json", Data: []byte(js)}})
	if r.err == nil || r.alt == nil || r.altUnit != annotate.UTF16 {
		t.Fatalf("UTF-16 offsets in Label Studio: %+v", r)
	}
	if ar := r.alt(); ar.err != nil || len(ar.states) != 1 || ar.states[0].Annotations()[0].Start != cpLen(text[:j]) || !strings.Contains(ar.what, "UTF-16") {
		t.Errorf("read as UTF-16: %+v", ar)
	}

	// A truncated file: refused with where, and no lenient offer.
	r = importGroup([]inFile{{Name: "cut.json", Data: []byte("{\n\"format\": \"factmark/v1\", \"document\": {")}})
	if r.err == nil || !strings.Contains(r.err.Error(), "cut.json") || r.lenient != nil {
		t.Errorf("truncated: %+v", r)
	}

	// Articles: UTF-8 text here, the rest through importArticle.
	for _, c := range []struct {
		name, data string
		importer   bool
	}{
		{"a.txt", "Plain text.\n", false},
		{"a.txt", "Caf\xe9 au lait\n", true},
		{"a.md", "# Title\n", true},
		{"a.html", "<p>x</p>", true},
		{"notes", "Just words.\n", false},
	} {
		f := inFile{Name: c.name, Data: []byte(c.data)}
		if _, ok := articleFile([]inFile{f}); !ok {
			t.Errorf("%s is not an article", c.name)
			continue
		}
		if got := needsImporter(f); got != c.importer {
			t.Errorf("%s %q: needsImporter %v", c.name, c.data, got)
		}
	}
	if _, ok := articleFile([]inFile{{Name: "d.jsonl", Data: []byte("{}")}}); ok {
		t.Error("a .jsonl is taken for an article")
	}
	if err := checkOpenSize("big.html", annotate.MaxImportSize+1); err == nil || !strings.Contains(err.Error(), "big.html") {
		t.Errorf("size limit of articles: %v", err)
	}
	if err := checkOpenSize("big.jsonl", maxAnnotationBytes+1); err == nil || !strings.Contains(err.Error(), "big.jsonl") {
		t.Errorf("size limit of annotation files: %v", err)
	}
	if err := checkOpenSize("ok.jsonl", annotate.MaxImportSize+1); err != nil {
		t.Errorf("a dataset over the article limit: %v", err)
	}
}
