package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"factmark/annotate"

	"github.com/google/go-cmp/cmp"
)

// editedSession is the seed with a few edits through the session (tag,
// relabel, tag, undo), so that both stacks are not empty.
func editedSession(t *testing.T) *session {
	t.Helper()
	s := seedSession(t)
	person, place, figure := labelID(t, s, "1"), labelID(t, s, "2"), labelID(t, s, "3")
	for _, c := range []struct{ text, label string }{{"Dan Driscoll", person}, {"Ternopil", place}, {"$105 million", figure}} {
		s.setPending(find(t, s, c.text, 0), false, 0, 0)
		if err := s.tag(c.label, false); err != nil {
			t.Fatal(err)
		}
	}
	s.setPending(find(t, s, "Ternopil", 0), false, 0, 0)
	s.selectSpan("")
	if err := s.relabel(person); err != nil {
		t.Fatal(err)
	}
	if _, err := s.undo(); err != nil {
		t.Fatal(err)
	}
	return s
}

func encodeState(t *testing.T, st *annotate.State) string {
	t.Helper()
	data, err := annotate.Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestStoreRoundTrip: what a save writes reads back as the same document,
// annotations, revision and history, and the restored session undoes and
// redoes exactly as the original would.
func TestStoreRoundTrip(t *testing.T) {
	s := editedSession(t)
	undo, redo := s.history.Stacks()
	if len(undo) == 0 || len(redo) == 0 {
		t.Fatalf("the test session should have both stacks: undo %d, redo %d", len(undo), len(redo))
	}
	at := time.Date(2025, 11, 25, 21, 30, 0, 123456789, time.UTC)
	rec, err := encodeSave(s.state, undo, redo, at, "test")
	if err != nil {
		t.Fatal(err)
	}
	if rec.DocID != s.doc().ID {
		t.Errorf("record id %q, want %q", rec.DocID, s.doc().ID)
	}
	m, err := decodeMeta(rec.Meta)
	if err != nil {
		t.Fatal(err)
	}
	if m.V != storeVersion || m.Open != s.doc().ID || !m.SavedAt.Equal(at.Truncate(time.Millisecond)) || m.App != "test" {
		t.Errorf("meta %+v", m)
	}
	d, err := decodeDoc(rec.Doc, m.Open)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := encodeState(t, d.State), encodeState(t, s.state); got != want {
		t.Errorf("the stored document differs from the session's")
	}
	if d.Revision != s.state.Revision {
		t.Errorf("revision %d, want %d", d.Revision, s.state.Revision)
	}
	gotUndo, _ := json.Marshal(d.Undo)
	wantUndo, _ := json.Marshal(undo)
	gotRedo, _ := json.Marshal(d.Redo)
	wantRedo, _ := json.Marshal(redo)
	if string(gotUndo) != string(wantUndo) || string(gotRedo) != string(wantRedo) {
		t.Errorf("stacks differ:\nundo %s\nwant %s\nredo %s\nwant %s", gotUndo, wantUndo, gotRedo, wantRedo)
	}

	// Restore into a fresh session and replay the same steps on both.
	r := seedSession(t)
	a := newAutosaver(r, nil)
	r.saver = a
	a.adopt(d)
	if r.state.Revision != s.state.Revision {
		t.Errorf("restored revision %d, want %d", r.state.Revision, s.state.Revision)
	}
	if len(r.undoIDs) != len(undo) || len(r.redoIDs) != len(redo) {
		t.Errorf("restored id stacks %d/%d, want %d/%d", len(r.undoIDs), len(r.redoIDs), len(undo), len(redo))
	}
	if a.dirty() {
		t.Error("a restored session counts as unsaved")
	}
	steps := []func(*session) (bool, error){(*session).redo, (*session).undo, (*session).undo, (*session).undo, (*session).redo}
	for i, step := range steps {
		ok1, err1 := step(s)
		ok2, err2 := step(r)
		if ok1 != ok2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("step %d: original (%v, %v), restored (%v, %v)", i, ok1, err1, ok2, err2)
		}
		if encodeState(t, s.state) != encodeState(t, r.state) {
			t.Fatalf("step %d: the restored session went another way", i)
		}
	}
}

// TestStoreRefusesNewer: records written by a newer version are refused,
// whole and with a message, and checkWritable stops a save over them.
func TestStoreRefusesNewer(t *testing.T) {
	s := editedSession(t)
	rec, err := encodeSave(s.state, nil, nil, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	newer := func(raw string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		m["v"] = storeVersion + 1
		m["somethingNew"] = []int{1, 2}
		out, _ := json.Marshal(m)
		return string(out)
	}
	_, err = decodeMeta(newer(rec.Meta))
	if !storeErrorIs(err, storeNewer) || !refusesStore(err) {
		t.Fatalf("newer meta: %v, want a storeNewer error", err)
	}
	want := fmt.Sprintf("the saved data was written by a newer version of Factmark (record format %d; this version reads up to %d)", storeVersion+1, storeVersion)
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if _, err := decodeDoc(newer(rec.Doc), rec.DocID); !storeErrorIs(err, storeNewer) {
		t.Errorf("newer doc: %v, want a storeNewer error", err)
	}
	if err := checkWritable(newer(rec.Meta)); !storeErrorIs(err, storeNewer) {
		t.Errorf("checkWritable over a newer meta record: %v, want it refused", err)
	}
	if err := checkWritable("{broken"); !storeErrorIs(err, storeDamaged) {
		t.Errorf("checkWritable over a damaged meta record: %v, want it refused", err)
	}
	for _, ok := range []string{"", rec.Meta} {
		if err := checkWritable(ok); err != nil {
			t.Errorf("checkWritable(%.40q): %v", ok, err)
		}
	}
	// An IndexedDB database of a higher version fails to open with a
	// VersionError: the same refusal.
	if err := domStorageError("open", "VersionError", "The requested version (1) is less than the existing version (2)."); err.Kind != storeNewer || !strings.Contains(err.Error(), "newer version of Factmark") {
		t.Errorf("VersionError: %v (%s)", err, err.Kind)
	}
}

// TestStoreDamaged: each kind of damage is refused with a message naming
// it, never taken as an empty store.
func TestStoreDamaged(t *testing.T) {
	s := editedSession(t)
	rec, err := encodeSave(s.state, nil, nil, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	id := rec.DocID
	edit := func(raw string, f func(m map[string]json.RawMessage)) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, _ := json.Marshal(m)
		return string(out)
	}
	native := string(needOK(annotate.Encode(s.state)))
	badHash := strings.Replace(native, s.doc().SHA256, strings.Repeat("0", 64), 1)
	metas := []struct{ name, raw, want string }{
		{"not json", `{"v":1,`, "index record is damaged: it is not a JSON object"},
		{"an array", `[1]`, "index record is damaged: it is not a JSON object"},
		{"no version", `{"open":"x"}`, `has no format version ("v")`},
		{"version zero", `{"v":0,"open":"x"}`, "format version 0 is not a positive whole number"},
		{"version text", `{"v":"1","open":"x"}`, `format version "1" is not a positive whole number`},
		{"no open document", `{"v":1,"savedAt":"2025-11-25T21:30:00Z"}`, "it names no open document"},
		{"wrong type", `{"v":1,"open":7}`, "index record is damaged"},
	}
	for _, c := range metas {
		_, err := decodeMeta(c.raw)
		if !storeErrorIs(err, storeDamaged) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("meta %s: %v, want a damaged error saying %q", c.name, err, c.want)
		}
	}
	docs := []struct{ name, raw, want string }{
		{"missing", "", "the open document " + fmt.Sprintf("%q", id) + " is missing"},
		{"not json", rec.Doc[:len(rec.Doc)/2], "the saved document is damaged: it is not a JSON object"},
		{"another id", edit(rec.Doc, func(m map[string]json.RawMessage) { m["id"] = json.RawMessage(`"doc-other"`) }), "says it is \"doc-other\""},
		{"no native", edit(rec.Doc, func(m map[string]json.RawMessage) { delete(m, "native") }), "has no annotations record"},
		{"hash", edit(rec.Doc, func(m map[string]json.RawMessage) { m["native"] = json.RawMessage(badHash) }), "sha256"},
		{"negative revision", edit(rec.Doc, func(m map[string]json.RawMessage) { m["revision"] = json.RawMessage(`-1`) }), "has revision -1"},
		{"unknown edit", edit(rec.Doc, func(m map[string]json.RawMessage) { m["undo"] = json.RawMessage(`[{"op":"explode"}]`) }), `undo[0]: unknown edit operation "explode"`},
		{"add without annotation", edit(rec.Doc, func(m map[string]json.RawMessage) {
			m["redo"] = json.RawMessage(`[{"op":"batch","edits":[{"op":"add"}]}]`)
		}), "redo[0].edits[0]: an add without an annotation"},
		{"remove without id", edit(rec.Doc, func(m map[string]json.RawMessage) { m["undo"] = json.RawMessage(`[{"op":"remove"}]`) }), "undo[0]: a remove without an annotation id"},
	}
	for _, c := range docs {
		_, err := decodeDoc(c.raw, id)
		if !storeErrorIs(err, storeDamaged) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("doc %s: %v, want a damaged error saying %q", c.name, err, c.want)
		}
	}
	// The native record inside is checked by annotate.Decode: a document
	// whose record holds another document is refused.
	other := needOK(annotate.FromText([]byte("Another\nText here.\n"), annotate.TextOptions{}))
	otherRec := needOK(encodeSave(annotate.NewState(other, annotate.DefaultSchema()), nil, nil, time.Now(), ""))
	swapped := edit(rec.Doc, func(m map[string]json.RawMessage) {
		var o map[string]json.RawMessage
		json.Unmarshal([]byte(otherRec.Doc), &o)
		m["native"] = o["native"]
	})
	if _, err := decodeDoc(swapped, id); !storeErrorIs(err, storeDamaged) || !strings.Contains(err.Error(), "holds document") {
		t.Errorf("swapped native record: %v", err)
	}
}

// TestStoreMigration: a record of an older format version is upgraded step
// by step when read; a missing or failing step refuses the record.
func TestStoreMigration(t *testing.T) {
	// Pretend the current format is 3, version 1 called the open document
	// "current", and version 2 kept the save time in Unix milliseconds.
	steps := map[int]storeMigration{
		1: func(kind string, rec map[string]json.RawMessage) error {
			if kind == "meta" {
				rec["open"] = rec["current"]
				delete(rec, "current")
			}
			return nil
		},
		2: func(kind string, rec map[string]json.RawMessage) error {
			var ms int64
			if err := json.Unmarshal(rec["savedAtMs"], &ms); err != nil {
				return fmt.Errorf("savedAtMs: %v", err)
			}
			t, _ := json.Marshal(time.UnixMilli(ms).UTC())
			rec["savedAt"] = t
			delete(rec, "savedAtMs")
			return nil
		},
	}
	m, err := decodeMetaWith(`{"v":1,"current":"doc-abc","savedAtMs":1764106200000}`, 3, steps)
	if err != nil {
		t.Fatal(err)
	}
	if m.V != 3 || m.Open != "doc-abc" || !m.SavedAt.Equal(time.UnixMilli(1764106200000)) {
		t.Errorf("migrated meta %+v", m)
	}
	// Version 2 records skip the first step.
	if m, err := decodeMetaWith(`{"v":2,"open":"doc-abc","savedAtMs":1764106200000}`, 3, steps); err != nil || m.Open != "doc-abc" {
		t.Errorf("from version 2: %+v, %v", m, err)
	}
	// A step that fails, and a version with no step, refuse the record.
	if _, err := decodeMetaWith(`{"v":2,"open":"doc-abc","savedAtMs":"soon"}`, 3, steps); !storeErrorIs(err, storeDamaged) || !strings.Contains(err.Error(), "upgrading it from record format 2 failed: savedAtMs") {
		t.Errorf("failing step: %v", err)
	}
	if _, err := decodeMetaWith(`{"v":1,"current":"doc-abc","savedAtMs":1}`, 4, steps); !storeErrorIs(err, storeDamaged) || !strings.Contains(err.Error(), "no way to upgrade record format 3 to 4") {
		t.Errorf("missing step: %v", err)
	}
	// The real table upgrades every version before the current one.
	for v := 1; v < storeVersion; v++ {
		if storeMigrations[v] == nil {
			t.Errorf("storeMigrations has no step from version %d to %d", v, v+1)
		}
	}
}

// TestStorageErrorMessages: the browser's storage errors read as what
// happened, with the browser's own name for it.
func TestStorageErrorMessages(t *testing.T) {
	for _, c := range []struct {
		op, name, msg string
		kind          storeErrorKind
		want          string
	}{
		{"save", "QuotaExceededError", "The quota has been exceeded.", storeQuota, "the browser's storage for this site is full (quota exceeded) [QuotaExceededError: The quota has been exceeded]"},
		{"open", "InvalidStateError", "", storeDenied, "the browser does not allow storage here (a private window, or site data blocked in its settings) [InvalidStateError]"},
		{"save", "InvalidStateError", "The database connection is closing.", storeClosed, "the connection to the browser's storage was closed"},
		{"open", "SecurityError", "access denied", storeDenied, "does not allow this site to store data"},
		{"save", "UnknownError", "Internal error.", storeFailed, "the disk may be full or the browser profile damaged"},
		{"save", "AbortError", "", storeFailed, "the browser interrupted the save"},
		{"save", "DataCloneError", "x", storeFailed, "the save failed inside Factmark"},
		{"read", "WeirdError", "odd", storeFailed, "the browser's storage failed [WeirdError: odd]"},
	} {
		err := domStorageError(c.op, c.name, c.msg)
		if err.Kind != c.kind || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %s %q, want %s containing %q", c.op, c.name, err.Kind, err, c.kind, c.want)
		}
	}
}

// fakeStore is a storePlatform in memory whose saves complete when the test
// says so.
type fakeStore struct {
	meta      string
	docs      map[string]string
	pending   []func(error)
	saves     []storeRecords
	announced []tabMessage
	released  int
	failWith  error // the next saves fail with it
}

func (f *fakeStore) save(rec storeRecords, done func(error)) {
	f.saves = append(f.saves, rec)
	f.pending = append(f.pending, func(err error) {
		if err == nil && f.failWith != nil {
			err = f.failWith
		}
		if err == nil {
			if err = checkWritable(f.meta); err == nil {
				f.meta = rec.Meta
				f.docs[rec.DocID] = rec.Doc
			}
		}
		done(err)
	})
}

// complete finishes the oldest pending save.
func (f *fakeStore) complete(t *testing.T) {
	t.Helper()
	if len(f.pending) == 0 {
		t.Fatal("no save is pending")
	}
	done := f.pending[0]
	f.pending = f.pending[1:]
	done(nil)
}

func (f *fakeStore) readOpen(done func(meta, doc string, err error)) {
	m, err := decodeMeta(f.meta)
	if err != nil || f.meta == "" {
		done(f.meta, "", nil)
		return
	}
	done(f.meta, f.docs[m.Open], nil)
}

func (f *fakeStore) readAll(done func(string, map[string]string, error)) { done(f.meta, f.docs, nil) }
func (f *fakeStore) readDoc(id string, done func(string, error))         { done(f.docs[id], nil) }
func (f *fakeStore) readSome(ids []string, done func([]string, map[string]string, error)) {
	var stored []string
	for id := range f.docs {
		stored = append(stored, id)
	}
	docs := map[string]string{}
	for _, id := range ids {
		if rec, ok := f.docs[id]; ok {
			docs[id] = rec
		}
	}
	done(stored, docs, nil)
}
func (f *fakeStore) write(w storeWrite, done func(error)) {
	if err := checkWritable(f.meta); err != nil {
		done(err)
		return
	}
	for _, id := range w.Delete {
		delete(f.docs, id)
	}
	for id, rec := range w.Put {
		f.docs[id] = rec
	}
	if w.Meta != "" {
		f.meta = w.Meta
	}
	done(nil)
}
func (f *fakeStore) announce(m tabMessage) { f.announced = append(f.announced, m) }
func (f *fakeStore) releaseLock()          { f.released++ }

// saverRig is a session with an autosaver on a fakeStore, a manual clock
// and manual timers; posted functions run at once.
type saverRig struct {
	s      *session
	a      *autosaver
	f      *fakeStore
	clock  time.Time
	timers []func()
}

func newSaverRig(t *testing.T) *saverRig {
	t.Helper()
	r := &saverRig{s: seedSession(t), f: &fakeStore{docs: map[string]string{}}, clock: time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)}
	r.a = newAutosaver(r.s, r.f)
	r.s.saver = r.a
	r.a.role = roleWriter
	r.a.postFn = func(f func()) { f() }
	r.a.now = func() time.Time { return r.clock }
	r.a.after = func(d time.Duration, f func()) {
		if d != saveDelay {
			t.Errorf("a save is planned %v after the change, want %v", d, saveDelay)
		}
		r.timers = append(r.timers, f)
	}
	return r
}

// fire runs the planned timers.
func (r *saverRig) fire() {
	ts := r.timers
	r.timers = nil
	for _, f := range ts {
		f()
	}
}

func (r *saverRig) tag(t *testing.T, text, key string) {
	t.Helper()
	r.s.setPending(find(t, r.s, text, 0), false, 0, 0)
	if err := r.s.tag(labelID(t, r.s, key), false); err != nil {
		t.Fatal(err)
	}
}

// TestAutosaverSaves: an edit plans one save saveDelay later; edits made
// meanwhile ride along; the status goes saving → saved; other tabs are told.
func TestAutosaverSaves(t *testing.T) {
	r := newSaverRig(t)
	if v := r.a.view(); v.Status != "saved" || !strings.Contains(v.Title, "Nothing to save yet") {
		t.Errorf("fresh: %+v", v)
	}
	r.tag(t, "Dan Driscoll", "1")
	r.tag(t, "Ternopil", "2")
	if len(r.timers) != 1 || len(r.f.saves) != 0 {
		t.Fatalf("after two edits: %d timers, %d saves; want one planned save", len(r.timers), len(r.f.saves))
	}
	if v := r.a.view(); v.Status != "saving" || v.Text != "Saving…" {
		t.Errorf("unsaved: %+v", v)
	}
	r.clock = r.clock.Add(saveDelay)
	r.fire()
	if len(r.f.saves) != 1 {
		t.Fatalf("%d saves, want 1", len(r.f.saves))
	}
	r.tag(t, "$105 million", "3") // while the save runs: waits for it
	if len(r.timers) != 0 {
		t.Errorf("a second save was planned while one runs")
	}
	r.clock = r.clock.Add(40 * time.Millisecond)
	r.f.complete(t)
	if len(r.timers) != 1 {
		t.Fatalf("the change made during the save was not planned after it")
	}
	r.fire()
	r.f.complete(t)
	v := r.a.view()
	if v.Status != "saved" || v.Text != "Saved" || !strings.Contains(v.Title, "Saved in this browser at") {
		t.Errorf("after the saves: %+v", v)
	}
	d, err := decodeDoc(r.f.docs[r.s.doc().ID], r.s.doc().ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State.Len() != 3 || d.Revision != r.s.state.Revision || len(d.Undo) != 3 {
		t.Errorf("stored %d annotations at revision %d with %d undo steps", d.State.Len(), d.Revision, len(d.Undo))
	}
	if n := len(r.f.announced); n != 2 || r.f.announced[1].Type != "saved" || r.f.announced[1].Rev != r.s.state.Revision {
		t.Errorf("announced %+v", r.f.announced)
	}
	// Undo is a change like any other.
	r.s.undo()
	if r.a.view().Status != "saving" || len(r.timers) != 1 {
		t.Error("undo did not plan a save")
	}
	// Flush (page hidden) saves at once.
	r.a.flush()
	if len(r.f.saves) != 3 {
		t.Errorf("flush did not save at once")
	}
}

// TestAutosaverFailure: a failed save keeps the work, says why, and is
// retried with the next change; a store that turns out to be newer stops
// saving for good.
func TestAutosaverFailure(t *testing.T) {
	r := newSaverRig(t)
	r.f.failWith = domStorageError("save", "QuotaExceededError", "")
	r.tag(t, "Dan Driscoll", "1")
	r.fire()
	r.f.complete(t)
	v := r.a.view()
	if v.Status != "failed" || v.Text != "Not saved" || !v.Retry || v.NoticeKind != "error" ||
		!strings.Contains(v.Notice, "quota exceeded") || !strings.Contains(v.Notice, "Export") {
		t.Errorf("after a failed save: %+v", v)
	}
	if r.s.state.Len() != 1 {
		t.Fatal("the work was dropped")
	}
	if err := r.s.saver.editable(); err != nil {
		t.Errorf("a failing store stops edits: %v", err)
	}
	r.tag(t, "Ternopil", "2")
	if len(r.timers) != 1 {
		t.Fatal("the next change did not plan a retry")
	}
	r.f.failWith = nil
	r.fire()
	r.f.complete(t)
	if v := r.a.view(); v.Status != "saved" || v.Notice != "" {
		t.Errorf("after a successful retry: %+v", v)
	}

	// Another version writes the store meanwhile: refused, never again.
	var m map[string]any
	json.Unmarshal([]byte(r.f.meta), &m)
	m["v"] = storeVersion + 1
	newer, _ := json.Marshal(m)
	r.f.meta = string(newer)
	r.tag(t, "Moscow", "2")
	r.fire()
	r.f.complete(t)
	v = r.a.view()
	if v.Status != "off" || !strings.Contains(v.Notice, "newer version of Factmark") || !strings.Contains(v.Notice, "left exactly as it is") || !v.Backup {
		t.Errorf("over a newer store: %+v", v)
	}
	if r.f.meta != string(newer) {
		t.Error("the newer store was overwritten")
	}
	saves := len(r.f.saves)
	r.tag(t, "Kyiv", "2")
	r.fire()
	r.a.flush()
	if len(r.f.saves) != saves {
		t.Error("a saver that is off saved again")
	}
	if r.s.state.Len() != 4 {
		t.Errorf("edits stopped with saving off: %d annotations", r.s.state.Len())
	}
}

// TestAutosaverTabs: a follower refuses edits and follows the writer's
// saves; a writer asked to hand over saves first and then releases the
// lock, or refuses when it cannot save.
func TestAutosaverTabs(t *testing.T) {
	w := newSaverRig(t)
	f := newSaverRig(t)
	f.f = w.f // the same store
	f.a.pf = w.f
	f.a.role = roleFollower

	if err := f.s.saver.editable(); !errors.Is(err, errReadOnly) {
		t.Errorf("follower editable: %v", err)
	}
	f.s.setPending(find(t, f.s, "Ternopil", 0), false, 0, 0)
	if err := f.s.tag(labelID(t, f.s, "2"), false); !errors.Is(err, errReadOnly) || f.s.state.Len() != 0 {
		t.Errorf("a follower tagged: %v, %d annotations", err, f.s.state.Len())
	}
	if v := f.a.view(); v.Status != "readonly" || !v.EditHere || !strings.Contains(v.Notice, "another Factmark tab") {
		t.Errorf("follower view: %+v", v)
	}

	w.tag(t, "Dan Driscoll", "1")
	w.fire()
	w.f.complete(t)
	f.a.onMessage(w.f.announced[len(w.f.announced)-1])
	if f.s.state.Len() != 1 || encodeState(t, f.s.state) != encodeState(t, w.s.state) {
		t.Fatal("the follower did not follow the writer's save")
	}

	// Handover with an unsaved change: saved first, then released.
	w.tag(t, "Ternopil", "2")
	f.a.requestHandover()
	if v := f.a.view(); !v.Asked {
		t.Errorf("after Edit here: %+v", v)
	}
	ask := w.f.announced[len(w.f.announced)-1]
	if ask.Type != "handover" || ask.From != f.a.tab {
		t.Fatalf("announced %+v", ask)
	}
	w.a.onMessage(ask)
	if err := w.s.saver.editable(); err == nil {
		t.Error("the writer takes edits while handing over")
	}
	if w.f.released != 0 {
		t.Fatal("released before the unsaved change was saved")
	}
	w.f.complete(t)
	if w.f.released != 1 || w.a.role != roleFollower {
		t.Fatalf("after the save: released %d, role %v", w.f.released, w.a.role)
	}
	f.a.granted()
	if f.a.role != roleWriter || f.s.state.Len() != 2 {
		t.Fatalf("the new writer: role %v, %d annotations", f.a.role, f.s.state.Len())
	}
	if undo, _ := f.s.history.Stacks(); len(undo) != 2 {
		t.Errorf("the history did not come along: %d undo steps", len(undo))
	}

	// A writer that cannot save refuses to hand over, and says why.
	f.f.failWith = domStorageError("save", "QuotaExceededError", "")
	f.tag(t, "Moscow", "2")
	f.fire()
	f.f.complete(t)
	w.a.requestHandover()
	f.a.onMessage(w.f.announced[len(w.f.announced)-1])
	f.f.complete(t)
	refused := f.f.announced[len(f.f.announced)-1]
	if refused.Type != "refused" || refused.To != w.a.tab || f.a.role != roleWriter {
		t.Fatalf("announced %+v, role %v", refused, f.a.role)
	}
	w.a.onMessage(refused)
	if v := w.a.view(); !strings.Contains(v.Notice, "did not hand over") || !strings.Contains(v.Notice, "quota exceeded") {
		t.Errorf("refused handover: %+v", v)
	}
}

// TestStoreBackup: the backup holds the records exactly as stored, damaged
// ones included.
func TestStoreBackup(t *testing.T) {
	data, err := encodeBackup("the saved data is damaged", `{"v":9`, map[string]string{"doc-1": "\x00odd"}, time.Date(2025, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var b storeBackup
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if b.Format != "factmark-store-backup" || b.Meta != `{"v":9` || b.Docs["doc-1"] != "\x00odd" || b.Version != storeVersion {
		t.Errorf("backup %+v", b)
	}
	if !slices.Contains([]string{"the saved data is damaged"}, b.Reason) {
		t.Errorf("reason %q", b.Reason)
	}
}

// BenchmarkEncodeSave measures what a save costs the UI goroutine on a long
// document: a 1 MB article with 500 annotations and their undo history.
func BenchmarkEncodeSave(b *testing.B) {
	var text strings.Builder
	for text.Len() < 1<<20 {
		text.WriteString("The delegation met officials in Kyiv on Tuesday, said Colonel David Butler, adding that 26 people died.\n")
	}
	doc, err := annotate.FromText([]byte(text.String()), annotate.TextOptions{})
	if err != nil {
		b.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	h := annotate.NewHistory(st)
	for i := range 500 {
		s := i * 2000
		if err := h.Do(annotate.Add(annotate.Annotation{ID: annotate.NewID(), Label: "person", Start: s + 4, End: s + 13})); err != nil {
			b.Fatal(err)
		}
	}
	undo, redo := h.Stacks()
	at := time.Now()
	b.ResetTimer()
	for b.Loop() {
		rec, err := encodeSave(st, undo, redo, at, "bench")
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(rec.Doc)))
	}
}

// needOK returns v and panics (failing the test) on err.
func needOK[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSummaryNames: the library's names per entity label are annotate's
// gazetteer without repeats, in document order, capped in length; claims
// have none.
func TestSummaryNames(t *testing.T) {
	doc, err := annotate.FromText([]byte("Ana  Silva met Ana Silva in Porto.\nAna\u200bSilva said 12 things were true. "+strings.Repeat("x", 90)), annotate.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	at := func(s string, n int) annotate.Range {
		cp := 0
		for i := 0; i <= n; i++ {
			idx := strings.Index(doc.Text[cp:], s)
			if idx < 0 {
				t.Fatalf("%q not found", s)
			}
			if i < n {
				cp += idx + len(s)
				continue
			}
			b := cp + idx
			start := utf8.RuneCountInString(doc.Text[:b])
			return annotate.Range{Start: start, End: start + utf8.RuneCountInString(s)}
		}
		return annotate.Range{}
	}
	add := func(id, label string, r annotate.Range) annotate.Edit {
		return annotate.Add(annotate.Annotation{ID: id, Label: label, Start: r.Start, End: r.End})
	}
	long := at(strings.Repeat("x", 90), 0)
	if _, err := st.Apply(annotate.Batch(
		add("a-1", "person", at("Ana  Silva", 0)),
		add("a-2", "person", at("Ana Silva", 0)),
		add("a-3", "person", at("Ana\u200bSilva", 0)),
		add("a-4", "place", at("Porto", 0)),
		add("a-5", "figure", at("12", 0)),
		add("a-6", "claim", at("Ana\u200bSilva said 12 things were true.", 0)),
		add("a-7", "person", long),
	)); err != nil {
		t.Fatal(err)
	}
	got := summaryNames(st)
	want := map[string][]string{"person": {"Ana Silva"}, "place": {"Porto"}, "figure": {"12"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summaryNames (-want +got):\n%s", diff)
	}
	// The same as annotate.Gazetteer without repeats and long names.
	for label, names := range annotate.Gazetteer(st) {
		var distinct []string
		for _, n := range names {
			if !slices.Contains(distinct, n) && utf8.RuneCountInString(n) <= maxSummaryNameLen {
				distinct = append(distinct, n)
			}
		}
		if l, _ := st.Schema.Label(label); l.Kind != annotate.KindEntity {
			distinct = nil
		}
		if !slices.Equal(distinct, got[label]) {
			t.Errorf("label %s: gazetteer gives %q, summaryNames %q", label, distinct, got[label])
		}
	}
}
