package main

// Autosave: the saver that follows the session's revisions and writes the
// open document, its annotations and its undo history to the browser's
// storage (store.go for the records, store_wasm.go for IndexedDB).
//
// A change is saved saveDelay after the first unsaved change (later changes
// ride along), and at once when the page is hidden or closed. A failed save
// keeps the work in memory, says so, and is tried again with the next change.
//
// Tabs: one tab at a time writes (it holds the Web Lock writerLock). Another
// tab on the same profile follows: it is read-only, reloads from the store
// whenever the writer announces a save on the BroadcastChannel tabChannel,
// and says so, with an "Edit here" button that asks the writer to save and
// hand the lock over. When the writer tab closes (or crashes) the lock is
// free and the follower becomes the writer by itself. So no edit from either
// tab is lost: the follower cannot make one that would be overwritten.
//
// Everything here runs on the UI goroutine except flush, which the browser
// glue calls from its visibilitychange and pagehide listeners: the page may
// be gone before a dispatched function would run. WebAssembly is single
// threaded and Go switches goroutines only where one blocks, so the UI
// goroutine is never in the middle of a change when a listener runs.

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// saveDelay is how long after the first unsaved change a save starts.
// Changes made meanwhile are saved with it, so a burst of edits costs one
// write, and every edit is stored within about a third of a second.
const saveDelay = 300 * time.Millisecond

// updateCheckInterval is how often an open tab asks whether a new version
// of the app was published (also when it comes back online or into view).
const updateCheckInterval = 30 * time.Minute

// tabRole is this tab's part in writing the store.
type tabRole int

const (
	roleAlone     tabRole = iota // no other tab can be told apart (no Web Locks): this tab writes
	roleWriter                   // this tab holds the writer lock
	roleFollower                 // another tab writes; this one follows it, read-only
	roleReleasing                // handing the lock over: saving the last changes first
	roleAcquiring                // the lock was handed over: reading the store before editing
)

// tabMessage is what tabs tell each other on the BroadcastChannel.
type tabMessage struct {
	Type   string `json:"type"` // "saved", "handover" or "refused"
	From   string `json:"from"` // the sending tab
	To     string `json:"to,omitempty"`
	Doc    string `json:"doc,omitempty"`
	Rev    int    `json:"rev,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// storePlatform is the browser's side of autosave (store_wasm.go). Its
// callbacks may run on any goroutine; the saver hops to the UI goroutine.
type storePlatform interface {
	// save writes the records in one transaction, unless the stored meta
	// record is one this version must not overwrite (checkWritable).
	save(rec storeRecords, done func(error))
	// readOpen reads the meta record and the record of the document it
	// names ("" for a missing record).
	readOpen(done func(meta, doc string, err error))
	// readAll reads every record, for a backup and the library.
	readAll(done func(meta string, docs map[string]string, err error))
	// readSome reads the ids of every stored document and the records of
	// ids (those that exist).
	readSome(ids []string, done func(stored []string, docs map[string]string, err error))
	// readDoc reads the record of one document ("" when there is none).
	readDoc(id string, done func(raw string, err error))
	// write puts and deletes document records and puts the meta record in
	// one transaction, unless the stored meta record is one this version
	// must not overwrite (checkWritable).
	write(w storeWrite, done func(error))
	// announce tells the other tabs.
	announce(m tabMessage)
	// releaseLock gives the writer lock up and queues for it again.
	releaseLock()
}

// errReadOnly refuses an edit in a tab that follows another.
var errReadOnly = errors.New("this tab is read-only because Factmark is open for editing in another tab; press “Edit here” to edit in this tab instead")

// errNotSaved is given to flushThen's callback when changes cannot be saved.
var errNotSaved = errors.New("the latest changes are not saved")

// autosaver saves one session. Its zero value is not usable; a nil
// *autosaver does nothing (plain Go tests of the session).
type autosaver struct {
	s   *session
	pf  storePlatform // nil: no storage (natively, or none in this browser)
	tab string        // this tab's id, for messages
	app string        // the app's version, recorded with each save

	mu     sync.Mutex
	postFn func(func())
	queued []func()

	after func(time.Duration, func())
	now   func() time.Time
	delay time.Duration

	role tabRole
	// off is why nothing is written at all (the store was refused, or the
	// browser has no storage); failed is why the last save failed.
	off, failed error

	// What the store holds, as far as this tab knows.
	savedState *annotate.State
	savedRev   int
	savedAt    time.Time
	// latency is the time from the first change of the last save to its
	// completion.
	latency time.Duration

	// info is the library's summary of the open document (status, times),
	// for the document infoDoc at revision infoRev. metaVer counts changes
	// of the document's title and status, which are saved like edits;
	// savedMetaVer is the count the store holds.
	info                  docInfo
	infoDoc               string
	infoRev               int
	metaVer, savedMetaVer int

	scheduled  bool
	inflight   int
	dirtySince time.Time
	afterFlush []func(error)

	handoverAsked   bool
	handoverRefused string

	online      bool
	updateReady bool
	reloading   bool
}

// newAutosaver returns the saver of s writing through pf (nil: none).
func newAutosaver(s *session, pf storePlatform) *autosaver {
	now := time.Now()
	return &autosaver{
		s: s, pf: pf, tab: annotate.NewID()[2:], app: buildVersion(),
		after: saveAfter,
		now:   time.Now, delay: saveDelay, online: true,
		savedState: s.state, savedRev: s.state.Revision,
		info:    summarize(s.state, docInfo{Added: now, Edited: now}),
		infoDoc: s.state.Doc.ID, infoRev: s.state.Revision,
	}
}

// saveAfter calls f once d has passed: how a save is planned. The browser
// build also waits for a painted frame (save_timing_wasm.go).
var saveAfter = func(d time.Duration, f func()) { time.AfterFunc(d, f) }

// startStorage opens the browser's storage for a and restores what it holds
// into a's session. It blocks (briefly, bounded) so that the first render
// already shows the saved work. Natively there is no storage.
var startStorage = func(a *autosaver) {}

// restoreSaved gives the shell's session its saver and restores the saved
// work. The shell calls it from OnInit.
func (sh *Shell) restoreSaved() {
	if sh.s == nil || sh.s.saver != nil {
		return
	}
	a := newAutosaver(sh.s, nil)
	sh.s.saver = a
	startStorage(a)
}

// post runs f on the UI goroutine and re-renders; before the status
// component is mounted, f waits.
func (a *autosaver) post(f func()) {
	a.mu.Lock()
	p := a.postFn
	if p == nil {
		a.queued = append(a.queued, f)
	}
	a.mu.Unlock()
	if p != nil {
		p(f)
	}
}

// mount connects the saver to the UI goroutine through ctx (the status
// component's context: a dispatch there re-renders the shell too).
func (a *autosaver) mount(ctx app.Context) {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.postFn = func(f func()) { ctx.Dispatch(func(app.Context) { f() }) }
	queued := a.queued
	a.queued = nil
	a.mu.Unlock()
	for _, f := range queued {
		a.post(f)
	}
	if ctx.AppUpdateAvailable() {
		a.updateReady = true
	}
}

// canWrite reports whether this tab writes the store.
func (a *autosaver) canWrite() bool {
	if a.pf == nil || a.off != nil {
		return false
	}
	switch a.role {
	case roleAlone, roleWriter, roleReleasing:
		return true
	}
	return false
}

// dirty reports whether the session has changes the store does not hold.
func (a *autosaver) dirty() bool {
	return a.s.state != a.savedState || a.s.state.Revision != a.savedRev || a.metaVer != a.savedMetaVer
}

// track keeps the open document's library summary in step: a document
// seen for the first time is new, an edit makes it in progress and is its
// last edit.
func (a *autosaver) track() {
	now := a.now()
	if id := a.s.doc().ID; id != a.infoDoc {
		a.info = docInfo{Added: now, Edited: now, Status: statusNew}
		a.infoDoc, a.infoRev = id, a.s.state.Revision
	}
	if a.s.state.Revision != a.infoRev {
		a.infoRev = a.s.state.Revision
		a.info.Edited = now
		if a.info.Status == statusNew || a.info.Status == "" {
			a.info.Status = statusProgress
		}
	}
}

// touchMeta records a change of the open document's title or status, to be
// saved.
func (a *autosaver) touchMeta() {
	if a == nil {
		return
	}
	a.track()
	a.info.Edited = a.now()
	a.metaVer++
	a.changed()
}

// editable is the session's guard: it refuses edits in a tab that does not
// write. Storage that failed or is missing does not stop edits (the work is
// kept in memory and can be exported).
func (a *autosaver) editable() error {
	if a == nil {
		return nil
	}
	switch a.role {
	case roleFollower, roleReleasing, roleAcquiring:
		return errReadOnly
	}
	return nil
}

// changed is called by the session after every change: an edit, an undo, a
// redo, another document.
func (a *autosaver) changed() {
	if a == nil {
		return
	}
	a.track()
	if a.dirty() && a.dirtySince.IsZero() {
		a.dirtySince = a.now()
	}
	a.schedule()
}

// schedule plans a save saveDelay from now, unless one is planned or
// running (its completion plans the next).
func (a *autosaver) schedule() {
	if !a.canWrite() || a.scheduled || a.inflight > 0 || !a.dirty() {
		return
	}
	a.scheduled = true
	a.after(a.delay, func() {
		a.post(func() {
			a.scheduled = false
			if a.inflight == 0 {
				a.saveNow()
			}
		})
	})
}

// flush saves at once (the page is being hidden or closed). Called from the
// browser's event listeners, see the file comment.
func (a *autosaver) flush() {
	if a == nil || !a.dirty() {
		return
	}
	a.saveNow()
}

// saveNow starts a save of the session as it is. Saves run in the order
// they start (IndexedDB orders transactions on the same stores), so one may
// start while another runs.
func (a *autosaver) saveNow() {
	if !a.canWrite() || !a.dirty() {
		return
	}
	s := a.s
	st, rev := s.state, s.state.Revision
	undo, redo := s.history.Stacks()
	at := a.now()
	since := a.dirtySince
	if since.IsZero() {
		since = at
	}
	a.dirtySince = time.Time{}
	a.track()
	metaVer := a.metaVer
	rec, err := encodeSaveInfo(st, undo, redo, a.info, at, a.app)
	if err != nil {
		a.failed = err
		a.finishFlush(err)
		return
	}
	a.inflight++
	a.pf.save(rec, func(err error) {
		a.post(func() {
			if err == nil {
				a.savedMetaVer = metaVer
			}
			a.saved(st, rev, at, since, err)
		})
	})
}

// saved records the end of a save.
func (a *autosaver) saved(st *annotate.State, rev int, at, since time.Time, err error) {
	a.inflight--
	if err != nil {
		if a.dirtySince.IsZero() {
			a.dirtySince = since
		}
		a.failed = err
		if refusesStore(err) || storeErrorIs(err, storeClosed) {
			// Another version wrote the store, or the browser closed it:
			// never write again from this tab.
			a.off = err
		}
		a.finishFlush(err)
		return
	}
	a.failed = nil
	a.savedState, a.savedRev, a.savedAt = st, rev, at
	a.latency = a.now().Sub(since)
	if a.pf != nil {
		a.pf.announce(tabMessage{Type: "saved", From: a.tab, Doc: st.Doc.ID, Rev: rev})
	}
	if a.dirty() {
		if a.inflight == 0 {
			a.schedule()
		}
		return
	}
	if a.inflight == 0 {
		a.finishFlush(nil)
	}
}

// flushThen saves what is unsaved and then calls f on the UI goroutine with
// nil, or with the error when the changes could not be saved.
func (a *autosaver) flushThen(f func(error)) {
	if !a.dirty() && a.inflight == 0 {
		f(nil)
		return
	}
	if !a.canWrite() {
		f(errNotSaved)
		return
	}
	a.afterFlush = append(a.afterFlush, f)
	if a.inflight == 0 {
		a.saveNow()
	}
}

// finishFlush calls the flushThen callbacks.
func (a *autosaver) finishFlush(err error) {
	fs := a.afterFlush
	a.afterFlush = nil
	for _, f := range fs {
		f(err)
	}
}

// retry saves again after a failure (the Retry button).
func (a *autosaver) retry() {
	if a.inflight == 0 {
		a.saveNow()
	}
}

// onMessage handles a message from another tab (UI goroutine).
func (a *autosaver) onMessage(m tabMessage) {
	if m.From == a.tab || a.pf == nil {
		return
	}
	switch m.Type {
	case "saved":
		if a.role == roleFollower && a.off == nil {
			a.refresh(nil)
		}
	case "handover":
		if a.role != roleWriter {
			return
		}
		a.role = roleReleasing
		a.flushThen(func(err error) {
			if err != nil {
				a.role = roleWriter
				reason := "the other tab has changes it cannot save (" + errText(a.failed, err) + "); export them there first"
				a.pf.announce(tabMessage{Type: "refused", From: a.tab, To: m.From, Reason: reason})
				return
			}
			a.role = roleFollower
			a.handoverAsked = false
			a.pf.releaseLock()
		})
	case "refused":
		if m.To == a.tab {
			a.handoverAsked = false
			a.handoverRefused = m.Reason
		}
	}
}

func errText(errs ...error) string {
	for _, err := range errs {
		if err != nil {
			return err.Error()
		}
	}
	return ""
}

// refresh reads the store again and shows what it holds, then calls then
// (UI goroutine).
func (a *autosaver) refresh(then func()) {
	a.pf.readOpen(func(meta, doc string, err error) {
		a.post(func() {
			a.adoptRaw(meta, doc, err)
			if then != nil {
				then()
			}
		})
	})
}

// granted is called when this tab, having waited, gets the writer lock: it
// reads what the last writer saved and becomes the writer.
func (a *autosaver) granted() {
	if a.off != nil {
		a.role = roleWriter
		return
	}
	a.role = roleAcquiring
	a.refresh(func() {
		a.role = roleWriter
		a.handoverAsked = false
		a.handoverRefused = ""
		a.schedule()
	})
}

// requestHandover asks the writing tab to save and let this one write (the
// "Edit here" button).
func (a *autosaver) requestHandover() {
	if a.role != roleFollower || a.pf == nil {
		return
	}
	a.handoverAsked = true
	a.handoverRefused = ""
	a.pf.announce(tabMessage{Type: "handover", From: a.tab})
}

// adoptRaw shows the records read from the store (UI goroutine). A store
// this version must not touch turns saving off.
func (a *autosaver) adoptRaw(meta, doc string, err error) {
	if err != nil {
		if refusesStore(err) {
			a.off = err
		} else {
			a.failed = err
		}
		return
	}
	if meta == "" {
		return // nothing saved yet
	}
	m, err := decodeMeta(meta)
	if err != nil {
		a.off = err
		return
	}
	d, err := decodeDoc(doc, m.Open)
	if err != nil {
		a.off = err
		return
	}
	if d.State.Doc.ID == a.s.doc().ID && d.Revision == a.s.state.Revision && d.SavedAt.Equal(a.savedAt) {
		return // already shown
	}
	a.adopt(d)
}

// adopt makes d the session's state, its history included, as what the
// store holds.
func (a *autosaver) adopt(d savedDoc) {
	d.State.Revision = d.Revision
	a.savedState, a.savedRev, a.savedAt = d.State, d.Revision, d.SavedAt
	a.info, a.infoDoc, a.infoRev = d.Info, d.State.Doc.ID, d.Revision
	a.savedMetaVer = a.metaVer
	a.s.restoreSaved(d)
}

// openUnsaved makes st, a document new to the library, the session's
// state: unsaved, so that the next save stores it and names it the open
// document.
func (a *autosaver) openUnsaved(st *annotate.State, info docInfo) {
	a.info, a.infoDoc, a.infoRev = info, st.Doc.ID, st.Revision
	a.s.restoreSaved(savedDoc{State: st, Revision: st.Revision, Info: info})
	a.changed()
}

// restoreSaved replaces the session's state with a saved one and its
// history with the saved stacks.
func (s *session) restoreSaved(d savedDoc) {
	s.load(d.State)
	s.history.Restore(d.Undo, d.Redo)
	undo, redo := s.history.Stacks()
	s.undoIDs = make([][]string, len(undo))
	for i, e := range undo {
		s.undoIDs[i] = editIDs(e)
	}
	s.redoIDs = make([][]string, len(redo))
	for i, e := range redo {
		s.redoIDs[i] = editIDs(e)
	}
}

// setOnline records the browser's online state.
func (a *autosaver) setOnline(on bool) { a.online = on }

// reload saves what is unsaved and reloads the page into the new version
// (the update offer's button). With changes that cannot be saved it asks
// first.
func (a *autosaver) reload(ctx app.Context) {
	if a.reloading {
		return
	}
	a.reloading = true
	a.flushThen(func(err error) {
		if err != nil && !a.confirmLoss() {
			a.reloading = false
			return
		}
		ctx.Reload()
	})
}

// confirmLoss asks whether to go on although changes are not saved.
var confirmUnsaved = func(string) bool { return false }

func (a *autosaver) confirmLoss() bool {
	return confirmUnsaved("Your latest changes are not saved (" + errText(a.failed, errNotSaved) + "). Reload anyway and lose them? Cancel, then Export, to keep them.")
}

// backup downloads the stored records as they are (for a store this version
// refuses).
func (a *autosaver) backup() {
	if a.pf == nil {
		return
	}
	reason := errText(a.off)
	a.pf.readAll(func(meta string, docs map[string]string, err error) {
		a.post(func() {
			if err == nil {
				var data []byte
				data, err = encodeBackup(reason, meta, docs, a.now())
				if err == nil {
					err = glueDownload("factmark-saved-data.json", "application/json", data)
				}
			}
			if err != nil {
				a.s.alert = upperFirst(fmt.Sprintf("cannot download the saved data: %v", err))
				return
			}
			a.s.message = "Downloaded the saved data as factmark-saved-data.json."
		})
	})
}

// saveView is what the status shows; comparable, so go-app re-renders the
// status components only when it changes.
type saveView struct {
	Status    string // "none", "saved", "saving", "failed", "off", "readonly"
	Text      string // the status itself, e.g. "Saved"
	Title     string // more detail, as a tooltip
	LatencyMS int
	Busy      bool // a save is planned or running: the status is about to change

	Notice     string // a sentence under the header; "" for none
	NoticeKind string // "error" or "info"
	EditHere   bool   // offer "Edit here"
	Asked      bool   // "Edit here" was pressed, waiting
	Retry      bool   // offer "Retry"
	Backup     bool   // offer "Download the saved data"

	Online      bool
	UpdateReady bool
}

// view returns what the status components show (UI goroutine).
func (a *autosaver) view() saveView {
	if a == nil {
		return saveView{Status: "none", Online: true}
	}
	v := saveView{Online: a.online, UpdateReady: a.updateReady, LatencyMS: int(a.latency / time.Millisecond),
		Busy: a.scheduled || a.inflight > 0}
	keep := " Your work stays in this tab: use Export to keep a copy."
	switch {
	case a.pf == nil && a.off == nil:
		v.Status = "none"
	case a.off != nil:
		v.Status, v.Text, v.NoticeKind = "off", "Not saving", "error"
		v.Title = "Factmark is not saving: " + a.off.Error()
		switch {
		case refusesStore(a.off):
			v.Notice = "Factmark is not saving your work: " + a.off.Error() + ". The saved data is left exactly as it is."
			if storeErrorIs(a.off, storeNewer) {
				v.Notice += " Reload to use the newer version."
			}
			v.Notice += keep
			v.Backup = a.pf != nil
		case storeErrorIs(a.off, storeClosed):
			v.Notice = "Factmark stopped saving in this tab: " + a.off.Error() + ". Reload the tab to save again." + keep
		default:
			v.Notice = "Factmark cannot save in this browser: " + a.off.Error() + "." + keep
		}
	case a.role == roleFollower || a.role == roleAcquiring || a.role == roleReleasing && a.handoverAsked:
		v.Status, v.Text, v.NoticeKind = "readonly", "Read-only", "info"
		v.Title = "Another Factmark tab is editing; this tab shows what it saves."
		switch {
		case a.role == roleAcquiring:
			v.Notice = "Loading the latest saved work to edit it here…"
		case a.handoverAsked:
			v.Notice = "Asking the other Factmark tab to save and hand over…"
			v.Asked = true
		default:
			v.Notice = "This document is open for editing in another Factmark tab. This tab shows its changes as they are saved; to edit here instead, press Edit here."
			if a.handoverRefused != "" {
				v.Notice = "The other tab did not hand over: " + a.handoverRefused + "."
			}
			v.EditHere = true
		}
	case a.failed != nil && a.dirty():
		v.Status, v.Text, v.NoticeKind = "failed", "Not saved", "error"
		v.Title = "The last save failed: " + a.failed.Error()
		v.Notice = "Your latest changes are not saved: " + a.failed.Error() + "." + keep + " Factmark tries again with your next change."
		v.Retry = true
	case a.dirty() || a.inflight > 0:
		v.Status, v.Text = "saving", "Saving…"
		v.Title = "Saving your changes in this browser"
	default:
		v.Status, v.Text = "saved", "Saved"
		if a.savedAt.IsZero() {
			v.Title = "Nothing to save yet: your changes are saved in this browser as you make them."
		} else {
			v.Title = "Saved in this browser at " + a.savedAt.Local().Format("15:04:05")
			if a.latency > 0 {
				v.Title += fmt.Sprintf(" (%d ms after the change)", v.LatencyMS)
			}
		}
	}
	return v
}
