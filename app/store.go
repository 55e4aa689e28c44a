package main

// The stored record format of autosave: what Factmark keeps in the browser's
// IndexedDB, how a record is read back (migrated from an older version of the
// format, or refused when it comes from a newer one or is damaged), and how
// the browser's storage errors read to a user. Plain Go: the IndexedDB glue
// (store_wasm.go) only moves the strings made and read here.
//
// The database "factmark" has two object stores, both keyed by string and
// holding one JSON string per record:
//
//	meta  "meta"     {"v":2,"open":"doc-1a2b…","savedAt":"…","app":"…"}
//	docs  <doc id>   {"v":2,"id":"doc-1a2b…","revision":12,"savedAt":"…",
//	                  "undo":[edits…],"redo":[edits…],
//	                  "title":"…","length":5120,"labels":{"person":3},
//	                  "status":"progress","added":"…","edited":"…",
//	                  "native":{factmark/v1…}}
//
// The docs store is the library: every document the user opened or imported
// keeps its record until the user deletes it. The fields between "redo" and
// "native" (version 2) are the library's summary of the document, so that the
// library lists a corpus without decoding every document: they are written
// before "native" and read by decodeSummary, which stops where "native"
// starts. Version 1 records lack them; the migration computes them.
//
// "native" is the document with its annotations exactly as annotate.Encode
// writes them (what Export downloads), so a record can always be rescued as
// an export. "undo" and "redo" are the history's stacks (annotate.Edit
// values), so undo and redo still work after a reload. Every record carries
// the format version "v" it was written in; a save writes the document and
// the meta record in one transaction, so the two never disagree.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"factmark/annotate"
)

// Names and versions of the stored data.
const (
	// storeDBName is the IndexedDB database.
	storeDBName = "factmark"
	// idbVersion is the IndexedDB version: it changes only when object
	// stores are added or removed. A database with a higher version was
	// made by a newer Factmark, and opening it fails with a VersionError.
	idbVersion = 1
	// storeVersion is the version of the record format ("v"). A record of
	// an older version is migrated when read (storeMigrations); one of a
	// newer version is refused and never overwritten.
	storeVersion = 2

	metaStore = "meta" // object store of the one meta record
	docsStore = "docs" // object store of the documents, by id
	metaKey   = "meta" // key of the meta record

	// writerLock is the Web Lock held by the one tab that writes the store.
	writerLock = "factmark-writer"
	// tabChannel is the BroadcastChannel on which tabs tell each other
	// about saves and hand the writer lock over.
	tabChannel = "factmark"
)

// storeMeta is the meta record: which document is open.
type storeMeta struct {
	V       int       `json:"v"`
	Open    string    `json:"open"`          // id of the open document
	SavedAt time.Time `json:"savedAt"`       // time of the last save
	App     string    `json:"app,omitempty"` // version of the app that saved, for support
}

// storedDoc is the record of one document.
type storedDoc struct {
	V        int             `json:"v"`
	ID       string          `json:"id"`
	Revision int             `json:"revision"` // State.Revision when saved
	SavedAt  time.Time       `json:"savedAt"`
	Undo     []annotate.Edit `json:"undo"`
	Redo     []annotate.Edit `json:"redo"`
	docInfo
	Native json.RawMessage `json:"native"` // annotate.Encode output
}

// Library statuses of a document: new until its first edit, then in
// progress; done (and any other) when the user says so.
const (
	statusNew      = "new"
	statusProgress = "progress"
	statusDone     = "done"
)

// statusName is a status as the library shows it.
func statusName(s string) string {
	switch s {
	case statusNew:
		return "New"
	case statusProgress:
		return "In progress"
	case statusDone:
		return "Done"
	}
	return s
}

// docInfo is the library's summary of a stored document (record format 2).
type docInfo struct {
	Title  string         `json:"title"`
	Length int            `json:"length"` // code points
	Labels map[string]int `json:"labels"` // annotations per label id
	Status string         `json:"status"` // statusNew, statusProgress or statusDone
	Added  time.Time      `json:"added"`  // when it entered the library
	Edited time.Time      `json:"edited"` // last change of its annotations, title or status
	// Names are the distinct texts tagged with each entity label, so that
	// suggestions in another document can propose them (the corpus
	// gazetteer) without decoding every document. Records written before
	// it have none.
	Names map[string][]string `json:"names,omitempty"`
}

// Bounds of docInfo.Names: names per label and code points per name.
const (
	maxSummaryNames   = 2000
	maxSummaryNameLen = 80
)

// summaryNames collects the distinct names tagged with each entity label
// of st, in document order, as annotate.Gazetteer spells them (runs of
// white space as one space). It runs on every save: a span whose text was
// seen already under its label costs a map probe and nothing else.
func summaryNames(st *annotate.State) map[string][]string {
	var out map[string][]string
	ix := st.Doc.Index()
	// The texts seen, by label: string keys take the runtime's fast string
	// map (a struct of two strings was hashed field by field, slowly in
	// wasm: most of this function's time with 10,000 spans).
	seenRaw := map[string]map[string]bool{}
	seen := map[string]map[string]bool{}
	for a := range st.All() {
		if len(out[a.Label]) >= maxSummaryNames {
			continue
		}
		raw := ix.Slice(a.Range())
		sr := seenRaw[a.Label]
		if sr == nil {
			if l, ok := st.Schema.Label(a.Label); !ok || l.Kind != annotate.KindEntity {
				seenRaw[a.Label] = map[string]bool{} // not an entity label: nothing to list
				continue
			}
			sr = map[string]bool{}
			seenRaw[a.Label] = sr
			seen[a.Label] = map[string]bool{}
		}
		if sr[raw] {
			continue
		}
		sr[raw] = true
		sn := seen[a.Label]
		if sn == nil {
			continue
		}
		n := annotate.CollapseSpace(raw)
		if n == "" || utf8.RuneCountInString(n) > maxSummaryNameLen || sn[n] {
			continue
		}
		sn[n] = true
		if out == nil {
			out = map[string][]string{}
		}
		out[a.Label] = append(out[a.Label], n)
	}
	return out
}

// summarize fills the fields of info that follow from st.
func summarize(st *annotate.State, info docInfo) docInfo {
	info.Title = st.Doc.Title
	info.Length = st.Doc.Lengths.CodePoints
	info.Labels = st.LabelCounts()
	info.Names = summaryNames(st)
	switch info.Status {
	case statusNew, statusProgress, statusDone:
	default:
		info.Status = statusNew
		if st.Len() > 0 {
			info.Status = statusProgress
		}
	}
	return info
}

// docSummary is one row of the library: a stored document's id and summary,
// read without decoding its text and annotations.
type docSummary struct {
	ID       string
	Revision int
	SavedAt  time.Time
	docInfo
}

// savedDoc is a document read back from the store.
type savedDoc struct {
	State      *annotate.State
	Undo, Redo []annotate.Edit
	Revision   int
	SavedAt    time.Time
	Info       docInfo // the library's summary
}

// storeRecords are the encoded records of one save.
type storeRecords struct {
	Meta  string
	DocID string
	Doc   string
}

// encodeSave makes the records that save st with its history's stacks as
// the open document, at time at.
func encodeSave(st *annotate.State, undo, redo []annotate.Edit, at time.Time, app string) (storeRecords, error) {
	return encodeSaveInfo(st, undo, redo, docInfo{Added: at, Edited: at}, at, app)
}

// encodeSaveInfo is encodeSave with the library's summary fields: info's
// status and times; its title, length and counts are taken from st.
func encodeSaveInfo(st *annotate.State, undo, redo []annotate.Edit, info docInfo, at time.Time, app string) (storeRecords, error) {
	doc, err := encodeDocRecord(st, undo, redo, info, at)
	if err != nil {
		return storeRecords{}, err
	}
	meta, err := encodeMeta(st.Doc.ID, at, app)
	if err != nil {
		return storeRecords{}, err
	}
	return storeRecords{Meta: meta, DocID: st.Doc.ID, Doc: doc}, nil
}

// encodeMeta makes the meta record naming the open document.
func encodeMeta(open string, at time.Time, app string) (string, error) {
	meta, err := json.Marshal(storeMeta{V: storeVersion, Open: open, SavedAt: at.UTC().Truncate(time.Millisecond), App: app})
	if err != nil {
		return "", fmt.Errorf("cannot encode the document for saving: %w", err)
	}
	return string(meta), nil
}

// encodeDocRecord makes the record of one document.
func encodeDocRecord(st *annotate.State, undo, redo []annotate.Edit, info docInfo, at time.Time) (string, error) {
	at = at.UTC().Truncate(time.Millisecond)
	info = summarize(st, info)
	if info.Added.IsZero() {
		info.Added = at
	}
	if info.Edited.IsZero() {
		info.Edited = at
	}
	info.Added = info.Added.UTC().Truncate(time.Millisecond)
	info.Edited = info.Edited.UTC().Truncate(time.Millisecond)
	if undo == nil {
		undo = []annotate.Edit{}
	}
	if redo == nil {
		redo = []annotate.Edit{}
	}
	// The native encoding goes in as it is, written in place after the
	// other members: json.Marshal would validate and compact it again, and
	// a copy costs megabytes on a long document.
	head, err := json.Marshal(storedDoc{
		V: storeVersion, ID: st.Doc.ID, Revision: st.Revision, SavedAt: at,
		Undo: undo, Redo: redo, docInfo: info, Native: json.RawMessage("null"),
	})
	if err != nil {
		return "", fmt.Errorf("cannot encode the document for saving: %w", err)
	}
	const tail = `"native":null}`
	if !strings.HasSuffix(string(head), tail) {
		return "", fmt.Errorf("cannot encode the document for saving: unexpected record layout")
	}
	doc := append([]byte(nil), head[:len(head)-len("null}")]...)
	doc, err = annotate.AppendEncode(doc, st)
	if err != nil {
		return "", fmt.Errorf("cannot encode the document for saving: %w", err)
	}
	doc = append(bytes.TrimRight(doc, "\n"), '}')
	// doc is not touched again: the string shares its bytes rather than
	// copying megabytes on every save.
	return unsafe.String(unsafe.SliceData(doc), len(doc)), nil
}

// decodeSummary reads the library's summary of a document record without
// decoding its document: the fields before "native". A record of an older
// format is migrated (which decodes it whole).
func decodeSummary(id, raw string) (docSummary, error) {
	var head struct {
		V int `json:"v"`
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return docSummary{}, damaged("doc", "the record of document %q is not a JSON object", id)
	}
	var rec storedDoc
	fields := map[string]any{
		"v": &head.V, "id": &rec.ID, "revision": &rec.Revision, "savedAt": &rec.SavedAt,
		"title": &rec.Title, "length": &rec.Length, "labels": &rec.Labels, "status": &rec.Status,
		"added": &rec.Added, "edited": &rec.Edited, "names": &rec.Names,
	}
	complete := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return docSummary{}, damaged("doc", "document %q: %v", id, err)
		}
		key, _ := t.(string)
		if key == "native" {
			complete = true
			break
		}
		dst, ok := fields[key]
		if !ok {
			dst = new(json.RawMessage)
		}
		if err := dec.Decode(dst); err != nil {
			return docSummary{}, damaged("doc", "document %q: %s: %v", id, key, err)
		}
	}
	if head.V != storeVersion || !complete {
		// Another format version, or fields in an unexpected order: the
		// whole record, migrated.
		data, err := upgradeRecord("doc", raw, storeVersion, storeMigrations)
		if err != nil {
			return docSummary{}, err
		}
		rec = storedDoc{}
		if err := json.Unmarshal(data, &rec); err != nil {
			return docSummary{}, damaged("doc", "document %q: %v", id, err)
		}
	}
	if rec.ID != id {
		return docSummary{}, damaged("doc", "the record of document %q says it is %q", id, rec.ID)
	}
	return docSummary{ID: rec.ID, Revision: rec.Revision, SavedAt: rec.SavedAt, docInfo: rec.docInfo}, nil
}

// storeWrite is a change of the library: records to put (by document id),
// documents to delete, and the meta record when it changes ("": it does not).
type storeWrite struct {
	Put    map[string]string
	Delete []string
	Meta   string
}

// storeMigration upgrades one record, decoded as a JSON object, from
// version v to v+1 in place. kind is "meta" or "doc".
type storeMigration func(kind string, rec map[string]json.RawMessage) error

// storeMigrations holds the upgrade from each older version of the record
// format, by the version it upgrades from. Version 1 is the first, so there
// is none yet; when the format changes, bump storeVersion and add the step
// from the old version here (store_test.go shows how a step is run).
var storeMigrations = map[int]storeMigration{
	1: migrateLibrary,
}

// migrateLibrary upgrades a record from format 1 to 2: document records get
// the library's summary (title, length, counts per label from the document
// itself; status new or in progress by whether it has annotations; added and
// edited at the time it was saved). Meta records do not change.
func migrateLibrary(kind string, rec map[string]json.RawMessage) error {
	if kind != "doc" {
		return nil
	}
	native, ok := rec["native"]
	if !ok {
		return errors.New("it has no annotations record (\"native\")")
	}
	st, err := annotate.Decode(native)
	if err != nil {
		return err
	}
	var at time.Time
	if raw, ok := rec["savedAt"]; ok {
		if err := json.Unmarshal(raw, &at); err != nil {
			return fmt.Errorf("savedAt: %v", err)
		}
	}
	info := summarize(st, docInfo{Added: at, Edited: at})
	for k, v := range map[string]any{
		"title": info.Title, "length": info.Length, "labels": info.Labels,
		"status": info.Status, "added": info.Added, "edited": info.Edited,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		rec[k] = b
	}
	return nil
}

// upgradeRecord reads raw as a record of kind "meta" or "doc", checks its
// version and migrates it to version to with steps. It returns the record
// as JSON of version to.
func upgradeRecord(kind, raw string, to int, steps map[int]storeMigration) ([]byte, error) {
	var rec map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &rec); err != nil {
		return nil, damaged(kind, "it is not a JSON object: %v", err)
	}
	vRaw, ok := rec["v"]
	if !ok {
		return nil, damaged(kind, "it has no format version (\"v\")")
	}
	var v int
	if err := json.Unmarshal(vRaw, &v); err != nil || v < 1 {
		return nil, damaged(kind, "its format version %s is not a positive whole number", vRaw)
	}
	if v > to {
		return nil, &storeError{Kind: storeNewer, Detail: fmt.Sprintf(
			"the saved data was written by a newer version of Factmark (record format %d; this version reads up to %d)", v, to)}
	}
	for ; v < to; v++ {
		step, ok := steps[v]
		if !ok {
			return nil, damaged(kind, "there is no way to upgrade record format %d to %d", v, v+1)
		}
		if err := step(kind, rec); err != nil {
			return nil, damaged(kind, "upgrading it from record format %d failed: %v", v, err)
		}
		rec["v"] = json.RawMessage(fmt.Sprint(v + 1))
	}
	out, err := json.Marshal(rec)
	if err != nil {
		return nil, damaged(kind, "%v", err)
	}
	return out, nil
}

// decodeMeta reads the meta record ("" when there is none: a new store).
func decodeMeta(raw string) (storeMeta, error) {
	return decodeMetaWith(raw, storeVersion, storeMigrations)
}

func decodeMetaWith(raw string, to int, steps map[int]storeMigration) (storeMeta, error) {
	if raw == "" {
		return storeMeta{}, nil
	}
	data, err := upgradeRecord("meta", raw, to, steps)
	if err != nil {
		return storeMeta{}, err
	}
	var m storeMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return storeMeta{}, damaged("meta", "%v", err)
	}
	if m.Open == "" {
		return storeMeta{}, damaged("meta", "it names no open document")
	}
	if len(m.Open) > 256 {
		return storeMeta{}, damaged("meta", "the open document's id is %d bytes long", len(m.Open))
	}
	return m, nil
}

// decodeDoc reads the record of the document with id want.
func decodeDoc(raw, want string) (savedDoc, error) {
	return decodeDocWith(raw, want, storeVersion, storeMigrations)
}

func decodeDocWith(raw, want string, to int, steps map[int]storeMigration) (savedDoc, error) {
	if raw == "" {
		return savedDoc{}, damaged("doc", "the open document %q is missing", want)
	}
	data, err := upgradeRecord("doc", raw, to, steps)
	if err != nil {
		return savedDoc{}, err
	}
	var d storedDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return savedDoc{}, damaged("doc", "%v", err)
	}
	if d.ID != want {
		return savedDoc{}, damaged("doc", "the record of document %q says it is %q", want, d.ID)
	}
	if len(d.Native) == 0 {
		return savedDoc{}, damaged("doc", "document %q has no annotations record (\"native\")", want)
	}
	st, err := annotate.Decode(d.Native)
	if err != nil {
		return savedDoc{}, damaged("doc", "document %q: %v", want, err)
	}
	if st.Doc.ID != d.ID {
		return savedDoc{}, damaged("doc", "the record of document %q holds document %q", d.ID, st.Doc.ID)
	}
	if d.Revision < 0 {
		return savedDoc{}, damaged("doc", "document %q has revision %d", d.ID, d.Revision)
	}
	if err := checkStack(d.Undo, "undo"); err != nil {
		return savedDoc{}, damaged("doc", "document %q: %v", d.ID, err)
	}
	if err := checkStack(d.Redo, "redo"); err != nil {
		return savedDoc{}, damaged("doc", "document %q: %v", d.ID, err)
	}
	return savedDoc{State: st, Undo: d.Undo, Redo: d.Redo, Revision: d.Revision, SavedAt: d.SavedAt, Info: summarize(st, d.docInfo)}, nil
}

// maxStoredEdits bounds the undo and redo stacks read back (the history
// keeps annotate.DefaultHistoryLimit).
const maxStoredEdits = 100000

// checkStack checks that a stored stack is made of edits: each has a known
// operation. Whether an edit fits the state is checked when it is applied
// (an undo that does not fit fails and changes nothing).
func checkStack(edits []annotate.Edit, name string) error {
	if len(edits) > maxStoredEdits {
		return fmt.Errorf("%s: %d edits is more than %d", name, len(edits), maxStoredEdits)
	}
	var walk func(e annotate.Edit, path string, depth int) error
	walk = func(e annotate.Edit, path string, depth int) error {
		if depth > 32 {
			return fmt.Errorf("%s: batches nested too deep", path)
		}
		switch e.Op {
		case annotate.OpAdd:
			if e.Annotation == nil {
				return fmt.Errorf("%s: an add without an annotation", path)
			}
		case annotate.OpRemove, annotate.OpRelabel, annotate.OpResize, annotate.OpNote, annotate.OpClaim:
			if e.ID == "" {
				return fmt.Errorf("%s: a %s without an annotation id", path, e.Op)
			}
		case annotate.OpBatch:
			for i, c := range e.Edits {
				if err := walk(c, fmt.Sprintf("%s.edits[%d]", path, i), depth+1); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: unknown edit operation %q", path, e.Op)
		}
		return nil
	}
	for i, e := range edits {
		if err := walk(e, fmt.Sprintf("%s[%d]", name, i), 0); err != nil {
			return err
		}
	}
	return nil
}

// checkWritable is called inside a save's transaction with the meta record
// as stored at that moment ("" for none): a save goes ahead only if it
// would not overwrite data from a newer version of Factmark or data this
// version cannot read.
func checkWritable(storedMeta string) error {
	_, err := decodeMeta(storedMeta)
	return err
}

// storeErrorKind classifies what went wrong with the browser's storage.
type storeErrorKind string

const (
	storeNewer       storeErrorKind = "newer"       // written by a newer Factmark
	storeDamaged     storeErrorKind = "damaged"     // cannot be read
	storeQuota       storeErrorKind = "quota"       // QuotaExceededError
	storeDenied      storeErrorKind = "denied"      // private mode, blocked by settings
	storeBlocked     storeErrorKind = "blocked"     // an older tab keeps the database open
	storeUnavailable storeErrorKind = "unavailable" // no IndexedDB at all
	storeTimeout     storeErrorKind = "timeout"     // the browser did not answer
	storeClosed      storeErrorKind = "closed"      // the connection was closed (a newer version, the browser)
	storeFailed      storeErrorKind = "failed"      // anything else
)

// storeError is an error of the stored data or of the browser's storage,
// worded for the user.
type storeError struct {
	Kind   storeErrorKind
	Detail string
}

func (e *storeError) Error() string { return e.Detail }

func damaged(kind, format string, args ...any) *storeError {
	what := "the saved data"
	switch kind {
	case "meta":
		what = "the saved data's index record"
	case "doc":
		what = "the saved document"
	}
	return &storeError{Kind: storeDamaged, Detail: what + " is damaged: " + fmt.Sprintf(format, args...)}
}

// storeErrorIs reports whether err is a storeError of kind k.
func storeErrorIs(err error, k storeErrorKind) bool {
	var se *storeError
	return errors.As(err, &se) && se.Kind == k
}

// refusesStore reports whether err means the stored data must not be
// touched: it is newer than this version or damaged.
func refusesStore(err error) bool {
	return storeErrorIs(err, storeNewer) || storeErrorIs(err, storeDamaged)
}

// domStorageError turns a DOMException from IndexedDB (its name and
// message) into a storeError that says what happened in words a user
// understands. op is what was being done ("open", "read", "save").
func domStorageError(op, name, message string) *storeError {
	// The browser's own words go last, in brackets, for support.
	detail := func(s string) string {
		if m := strings.TrimSuffix(strings.TrimSpace(message), "."); m != "" {
			return s + " [" + name + ": " + m + "]"
		}
		return s + " [" + name + "]"
	}
	switch name {
	case "QuotaExceededError":
		return &storeError{Kind: storeQuota, Detail: detail("the browser's storage for this site is full (quota exceeded)")}
	case "VersionError":
		return &storeError{Kind: storeNewer, Detail: detail("the saved data was written by a newer version of Factmark")}
	case "SecurityError", "NotAllowedError":
		return &storeError{Kind: storeDenied, Detail: detail("the browser does not allow this site to store data (site data may be blocked in its settings)")}
	case "InvalidStateError":
		if op == "open" {
			return &storeError{Kind: storeDenied, Detail: detail("the browser does not allow storage here (a private window, or site data blocked in its settings)")}
		}
		return &storeError{Kind: storeClosed, Detail: detail("the connection to the browser's storage was closed")}
	case "UnknownError":
		return &storeError{Kind: storeFailed, Detail: detail("the browser's storage failed; the disk may be full or the browser profile damaged")}
	case "AbortError":
		return &storeError{Kind: storeFailed, Detail: detail("the browser interrupted the " + op)}
	case "DataError", "DataCloneError", "ConstraintError", "ReadOnlyError", "TransactionInactiveError", "NotFoundError":
		return &storeError{Kind: storeFailed, Detail: detail("the " + op + " failed inside Factmark; please report this")}
	}
	if name == "" {
		name = "Error"
	}
	return &storeError{Kind: storeFailed, Detail: detail("the browser's storage failed")}
}

// storeBackup is what "Download the saved data" writes when the store is
// refused: the records exactly as they are stored, so nothing is lost even
// when this version cannot read them.
type storeBackup struct {
	Format  string            `json:"format"` // "factmark-store-backup"
	Reason  string            `json:"reason"` // why the store was refused
	Taken   time.Time         `json:"taken"`
	Meta    string            `json:"meta"`
	Docs    map[string]string `json:"docs"`
	Version int               `json:"readerVersion"` // storeVersion of the app that took it
}

// encodeBackup returns the backup file of raw records.
func encodeBackup(reason, meta string, docs map[string]string, at time.Time) ([]byte, error) {
	if docs == nil {
		docs = map[string]string{}
	}
	data, err := json.MarshalIndent(storeBackup{
		Format: "factmark-store-backup", Reason: reason, Taken: at.UTC().Truncate(time.Second),
		Meta: meta, Docs: docs, Version: storeVersion,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
