package main

// The library: every document stored in this browser (the docs store of
// autosave, store.go), listed with its title, length, counts per label,
// status and last edit. From it the user opens, renames, marks done and
// deletes documents (a delete can be undone from the notice), imports
// datasets and exports the whole corpus or a selection in any export format.
// Alt+PageDown and Alt+PageUp open the next and previous document in the
// library's order (the order documents were added) from anywhere.
//
// Everything here goes through the autosaver's storePlatform; the open
// document is switched only after its last changes are saved.

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"factmark/annotate"
	"factmark/app/codecwork"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// libraryUI is the state of the library view (a field of the Shell).
type libraryUI struct {
	open    bool
	loading bool
	rows    []docSummary
	// broken lists records that cannot be read, by id, with why.
	broken map[string]string
	// chosen are the documents selected for export.
	chosen map[string]bool
	// renaming is the id of the document whose title is being edited.
	renaming string
	// format is the export format's codec id.
	format string
	// notice is the last thing the library did; undo, when set, undoes it.
	// filter and show narrow the list: words of the title, and a status
	// ("" for all).
	filter, show string
	notice       string
	undo         func()
	undoSeq      int // the scope of the Undo button's handler
}

// errNoLibrary is why the library cannot be used.
func (sh *Shell) libraryStore() (*autosaver, error) {
	a := sh.s.saver
	switch {
	case a == nil || a.pf == nil && a.off == nil:
		return nil, errors.New("the library needs the browser's storage, which is not available here")
	case a.off != nil:
		return nil, fmt.Errorf("the library is not available: %v", a.off)
	case !a.canWrite():
		return nil, errReadOnly
	}
	return a, nil
}

// toggleLibrary shows or hides the library.
func (sh *Shell) toggleLibrary(ctx app.Context) {
	l := &sh.lib
	if l.open {
		sh.closeLibrary(ctx)
		return
	}
	l.open = true
	l.notice, l.undo = "", nil
	warmWorker() // its Import and Export run there
	sh.refreshLibrary(func() { ctx.Defer(func(app.Context) { glueFocusID("library-heading") }) })
}

// closeLibrary hides the library and gives the focus back to its button.
func (sh *Shell) closeLibrary(ctx app.Context) {
	sh.lib.open = false
	sh.lib.renaming = ""
	ctx.Defer(func(app.Context) { glueFocusID("library-button") })
}

// refreshLibrary reads the summaries of every stored document, then calls
// then (UI goroutine).
func (sh *Shell) refreshLibrary(then func()) {
	l := &sh.lib
	a, err := sh.libraryStore()
	if err != nil {
		l.rows, l.notice = nil, upperFirst(err.Error())+"."
		if then != nil {
			then()
		}
		return
	}
	l.loading = true
	a.pf.readAll(func(_ string, docs map[string]string, err error) {
		a.post(func() {
			l.loading = false
			if err != nil {
				l.notice = "Cannot read the library: " + err.Error()
			} else {
				l.rows, l.broken = summarizeAll(docs)
				l.rows = sh.withOpen(l.rows)
			}
			if then != nil {
				then()
			}
		})
	})
}

// summarizeAll reads the summaries of the records, in library order (the
// order they were added, then by id).
func summarizeAll(docs map[string]string) ([]docSummary, map[string]string) {
	var rows []docSummary
	broken := map[string]string{}
	for id, raw := range docs {
		s, err := decodeSummary(id, raw)
		if err != nil {
			broken[id] = err.Error()
			continue
		}
		rows = append(rows, s)
	}
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].Added.Equal(rows[j].Added) {
			return rows[i].Added.Before(rows[j].Added)
		}
		return rows[i].ID < rows[j].ID
	})
	return rows, broken
}

// withOpen puts the open document's live summary in the rows (its record
// may be a save behind, or not written yet).
func (sh *Shell) withOpen(rows []docSummary) []docSummary {
	a := sh.s.saver
	a.track()
	st := sh.s.state
	live := docSummary{ID: st.Doc.ID, Revision: st.Revision, docInfo: summarize(st, a.info)}
	for i, r := range rows {
		if r.ID == live.ID {
			live.Added = r.Added
			rows[i] = live
			return rows
		}
	}
	return append(rows, live)
}

// beforeSwitch saves the open document's last changes, then calls then on
// the UI goroutine. When they cannot be saved nothing is switched.
func (sh *Shell) beforeSwitch(then func()) {
	a := sh.s.saver
	if a == nil || a.pf == nil || a.off != nil {
		then()
		return
	}
	a.flushThen(func(err error) {
		if err != nil {
			sh.s.alert = upperFirst(fmt.Sprintf("cannot switch documents: the latest changes of “%s” are not saved (%v); export them or press Retry first", sh.s.doc().Title, errText(a.failed, err)))
			return
		}
		then()
	})
}

// afterSwitch resets the view for another document.
func (sh *Shell) afterSwitch() {
	sh.limits = nil
	sh.moreVer++
	if sh.mounted {
		sh.ctx.Defer(func(app.Context) { glueScrollTop() })
	}
}

// place stores imported documents in the library and, unless addOnly,
// opens the first. An imported article that is already in the library is
// opened (or left) as it is stored; an annotated document whose id is
// taken is added as a copy with a new id, so nothing stored is overwritten.
func (l *libraryUI) place(sh *Shell, ctx app.Context, what string, states []*annotate.State, article, addOnly bool) {
	s := sh.s
	a, err := sh.libraryStore()
	if err != nil {
		if addOnly || len(states) > 1 {
			s.alert = upperFirst(fmt.Sprintf("cannot add %s to the library: %v", what, err))
			if addOnly {
				return
			}
		}
		// No library: open the first document in memory, as before.
		s.load(states[0])
		s.message = openedMessage(what, states[0])
		sh.afterSwitch()
		return
	}
	ids := make([]string, len(states))
	for i, st := range states {
		ids[i] = st.Doc.ID
	}
	sh.beforeSwitch(func() {
		a.pf.readSome(ids, func(stored []string, records map[string]string, err error) {
			a.post(func() {
				if err != nil {
					s.alert = upperFirst(fmt.Sprintf("cannot open %s: cannot read the library: %v", what, err))
					return
				}
				// Every stored id, with the records of the files' ids.
				docs := make(map[string]string, len(stored))
				for _, id := range stored {
					docs[id] = records[id]
				}
				l.store(sh, a, what, states, docs, article, addOnly)
			})
		})
	})
}

func (l *libraryUI) store(sh *Shell, a *autosaver, what string, states []*annotate.State, docs map[string]string, article, addOnly bool) {
	s := sh.s
	now := a.now()
	put := map[string]string{}
	var fresh []*annotate.State // new to the library, in order
	var infos []docInfo
	var first *annotate.State
	var firstInfo docInfo
	existing := ""
	already, copies := 0, 0
	for _, st := range states {
		id := st.Doc.ID
		_, stored := docs[id]
		if _, taken := put[id]; taken || stored || id == s.doc().ID {
			if article || sameAsStored(s, docs, st) {
				already++
				if existing == "" {
					existing = id
				}
				continue
			}
			st.Doc.ID = id + "-" + annotate.NewID()[2:10]
			copies++
		}
		// Added a millisecond apart: the library keeps the file's order.
		added := now.Add(time.Duration(len(fresh)) * time.Millisecond)
		info := docInfo{Added: added, Edited: now}
		fresh = append(fresh, st)
		infos = append(infos, info)
		put[st.Doc.ID] = ""
		if first == nil && !addOnly {
			first, firstInfo = st, info
		}
	}
	var note []string
	if copies > 0 {
		note = append(note, fmt.Sprintf("%d already in the library with other annotations under the same id, added as copies so that nothing stored is replaced", copies))
	}
	if already > 0 && (first != nil || addOnly) {
		note = append(note, fmt.Sprintf("%d already in the library, left as stored", already))
	}
	extra := ""
	if len(note) > 0 {
		extra = " (" + strings.Join(note, "; ") + ")"
	}
	if first != nil && len(fresh) == 1 {
		// One new document to open: it is shown at once and stored by
		// the autosave that follows (encoding and writing a long
		// document takes longer than showing it).
		a.openUnsaved(first, firstInfo)
		s.alert = ""
		s.message = openedMessage(what, first)
		if extra != "" {
			s.message += " Stored" + extra + "."
		}
		sh.afterSwitch()
		if l.open {
			sh.refreshLibrary(nil)
		}
		return
	}
	for i, st := range fresh {
		info := summarize(st, infos[i])
		rec, err := encodeDocRecord(st, nil, nil, info, now)
		if err != nil {
			s.alert = upperFirst(fmt.Sprintf("cannot store %s: %v", st.Doc.Title, err))
			return
		}
		put[st.Doc.ID] = rec
		if st == first {
			firstInfo = info
		}
	}
	w := storeWrite{Put: put}
	if first != nil {
		meta, err := encodeMeta(first.Doc.ID, now, a.app)
		if err != nil {
			s.alert = upperFirst(err.Error())
			return
		}
		w.Meta = meta
	}
	done := func() {
		switch {
		case first != nil:
			a.adopt(savedDoc{State: first, Revision: first.Revision, SavedAt: now, Info: firstInfo})
			a.pf.announce(tabMessage{Type: "saved", From: a.tab, Doc: first.Doc.ID, Rev: first.Revision})
			s.alert = ""
			s.message = openedMessage(what, first)
			if len(put) > 1 {
				s.message += fmt.Sprintf(" Added %d documents to the library%s.", len(put), extra)
			} else if extra != "" {
				s.message += " Stored" + extra + "."
			}
			sh.afterSwitch()
		case addOnly:
			s.alert = ""
			s.message = fmt.Sprintf("Added %d documents from %s to the library%s. %s", len(put), what, extra, normalizationNotes(states))
			l.notice = s.message
		case existing != "":
			if existing == s.doc().ID {
				s.message = fmt.Sprintf("%s is the open document “%s”; it is already in the library.", what, s.doc().Title)
				return
			}
			sh.openStored(existing, fmt.Sprintf("%s is already in the library: opened it as stored.", what))
			return
		}
		if l.open {
			sh.refreshLibrary(nil)
		}
	}
	if len(put) == 0 && w.Meta == "" {
		done()
		return
	}
	a.pf.write(w, func(err error) {
		a.post(func() {
			if err != nil {
				s.alert = upperFirst(fmt.Sprintf("cannot store %s in the library: %v; the open document is unchanged", what, err))
				return
			}
			done()
		})
	})
}

// sameAsStored reports whether st is exactly what the library (or the open
// session) holds under its id: the same document and annotations. Opening
// an export of a stored document then opens the stored one instead of a
// copy.
func sameAsStored(s *session, docs map[string]string, st *annotate.State) bool {
	want, err := annotate.Encode(st)
	if err != nil {
		return false
	}
	var have *annotate.State
	if st.Doc.ID == s.doc().ID {
		have = s.state
	} else if raw, ok := docs[st.Doc.ID]; ok {
		d, err := decodeDoc(raw, st.Doc.ID)
		if err != nil {
			return false
		}
		have = d.State
	}
	if have == nil {
		return false
	}
	got, err := annotate.Encode(have)
	return err == nil && bytes.Equal(got, want)
}

// openStored opens the stored document id (after saving the open one) and
// says msg ("" for the usual message).
func (sh *Shell) openStored(id, msg string) {
	s := sh.s
	a, err := sh.libraryStore()
	if err != nil {
		s.alert = upperFirst(fmt.Sprintf("cannot open another document: %v", err))
		return
	}
	if id == s.doc().ID {
		s.message = fmt.Sprintf("“%s” is open.", s.doc().Title)
		return
	}
	sh.beforeSwitch(func() {
		a.pf.readDoc(id, func(raw string, err error) {
			a.post(func() {
				if err == nil && raw == "" {
					err = errors.New("it is no longer in the library")
				}
				var d savedDoc
				if err == nil {
					d, err = decodeDoc(raw, id)
				}
				var meta string
				if err == nil {
					meta, err = encodeMeta(id, a.now(), a.app)
				}
				if err != nil {
					s.alert = upperFirst(fmt.Sprintf("cannot open the stored document %q: %v; the open document is unchanged", id, err))
					return
				}
				a.pf.write(storeWrite{Meta: meta}, func(err error) {
					a.post(func() {
						if err != nil {
							s.alert = upperFirst(fmt.Sprintf("cannot open “%s”: %v", d.State.Doc.Title, err))
							return
						}
						a.adopt(d)
						a.pf.announce(tabMessage{Type: "saved", From: a.tab, Doc: id, Rev: d.Revision})
						s.alert = ""
						s.message = msg
						if msg == "" {
							n := d.State.Len()
							s.message = fmt.Sprintf("Opened “%s” from the library: %d annotations, %s.", d.State.Doc.Title, n, strings.ToLower(statusName(d.Info.Status)))
						}
						sh.afterSwitch()
						if sh.lib.open {
							sh.lib.rows = sh.withOpen(sh.lib.rows)
						}
					})
				})
			})
		})
	})
}

// stepDocument opens the next (delta 1) or previous (-1) document of the
// library.
func (sh *Shell) stepDocument(delta int) {
	s := sh.s
	if _, err := sh.libraryStore(); err != nil {
		s.alert = upperFirst(fmt.Sprintf("cannot go to another document: %v", err))
		return
	}
	sh.refreshLibrary(func() {
		rows := sh.lib.rows
		at := -1
		for i, r := range rows {
			if r.ID == s.doc().ID {
				at = i
			}
		}
		to := at + delta
		if to < 0 || to >= len(rows) {
			which := "last"
			if delta < 0 {
				which = "first"
			}
			s.message = fmt.Sprintf("“%s” is the %s document in the library (%s).", s.doc().Title, which, plural(len(rows), "document"))
			return
		}
		sh.openStored(rows[to].ID, "")
	})
}

// visible returns the rows the filter and the status shown let through.
func (l *libraryUI) visible() []docSummary {
	words := strings.Fields(strings.ToLower(l.filter))
	var out []docSummary
	for _, r := range l.rows {
		if l.show != "" && r.Status != l.show {
			continue
		}
		title := strings.ToLower(r.Title)
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(title, w)
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// rowOf returns the library row of id.
func (l *libraryUI) rowOf(id string) (docSummary, bool) {
	for _, r := range l.rows {
		if r.ID == id {
			return r, true
		}
	}
	return docSummary{}, false
}

// rewrite changes a stored document that is not open: f changes its state
// and summary; the record is written back.
func (sh *Shell) rewrite(id string, f func(d *savedDoc), done func(error)) {
	a, err := sh.libraryStore()
	if err != nil {
		done(err)
		return
	}
	a.pf.readDoc(id, func(raw string, err error) {
		a.post(func() {
			if err == nil && raw == "" {
				err = errors.New("it is no longer in the library")
			}
			var d savedDoc
			if err == nil {
				d, err = decodeDoc(raw, id)
			}
			if err != nil {
				done(err)
				return
			}
			f(&d)
			d.State.Revision = d.Revision
			rec, err := encodeDocRecord(d.State, d.Undo, d.Redo, d.Info, d.SavedAt)
			if err != nil {
				done(err)
				return
			}
			a.pf.write(storeWrite{Put: map[string]string{id: rec}}, func(err error) {
				a.post(func() { done(err) })
			})
		})
	})
}

// renameDocument gives document id the title name.
func (sh *Shell) renameDocument(id, name string) {
	s, l := sh.s, &sh.lib
	name = strings.Join(strings.Fields(name), " ")
	l.renaming = ""
	if name == "" {
		l.notice = "A title cannot be empty; the title was not changed."
		return
	}
	if rs := []rune(name); len(rs) > 200 {
		name = string(rs[:200])
	}
	old, _ := l.rowOf(id)
	if id == s.doc().ID {
		if err := s.saver.editable(); err != nil {
			l.notice = upperFirst(err.Error())
			return
		}
		s.state.Doc.Title = name
		s.saver.touchMeta()
		s.markAll()
		l.rows = sh.withOpen(l.rows)
		l.notice = fmt.Sprintf("Renamed “%s” to “%s”.", old.Title, name)
		s.message = l.notice
		return
	}
	sh.rewrite(id, func(d *savedDoc) {
		d.State.Doc.Title = name
		d.Info.Edited = s.saver.now()
	}, func(err error) {
		if err != nil {
			l.notice = upperFirst(fmt.Sprintf("cannot rename “%s”: %v", old.Title, err))
			return
		}
		l.notice = fmt.Sprintf("Renamed “%s” to “%s”.", old.Title, name)
		sh.refreshLibrary(nil)
	})
}

// setStatus sets the library status of document id.
func (sh *Shell) setStatus(id, status string) {
	s, l := sh.s, &sh.lib
	row, _ := l.rowOf(id)
	msg := fmt.Sprintf("“%s” is now %s.", row.Title, strings.ToLower(statusName(status)))
	if id == s.doc().ID {
		if err := s.saver.editable(); err != nil {
			l.notice = upperFirst(err.Error())
			return
		}
		s.saver.track()
		s.saver.info.Status = status
		s.saver.touchMeta()
		l.rows = sh.withOpen(l.rows)
		l.notice, s.message = msg, msg
		return
	}
	sh.rewrite(id, func(d *savedDoc) {
		d.Info.Status = status
		d.Info.Edited = s.saver.now()
	}, func(err error) {
		if err != nil {
			l.notice = upperFirst(fmt.Sprintf("cannot change the status of “%s”: %v", row.Title, err))
			return
		}
		l.notice = msg
		sh.refreshLibrary(nil)
	})
}

// deleteDocument deletes document id from the library; the notice offers
// to undo it. Deleting the open document opens the next one (or the
// previous, or the sample article when none is left).
func (sh *Shell) deleteDocument(id string) {
	s, l := sh.s, &sh.lib
	a, err := sh.libraryStore()
	if err != nil {
		l.notice = upperFirst(err.Error())
		return
	}
	row, _ := l.rowOf(id)
	fail := func(err error) {
		l.notice = upperFirst(fmt.Sprintf("cannot delete “%s”: %v", row.Title, err))
	}
	remove := func(raw string) {
		a.pf.write(storeWrite{Delete: []string{id}}, func(err error) {
			a.post(func() {
				if err != nil {
					fail(err)
					return
				}
				l.notice = fmt.Sprintf("Deleted “%s”.", row.Title)
				s.message = l.notice
				delete(l.chosen, id)
				l.undo = func() { sh.undoDelete(id, row.Title, raw) }
				l.undoSeq++
				sh.refreshLibrary(func() {
					if sh.mounted {
						sh.ctx.Defer(func(app.Context) { glueFocusID("library-undo") })
					}
				})
			})
		})
	}
	sh.beforeSwitch(func() {
		a.pf.readDoc(id, func(raw string, err error) {
			a.post(func() {
				if err != nil {
					fail(err)
					return
				}
				if raw == "" {
					// The open document before its first change, or a
					// record another tab deleted: nothing stored.
					l.notice = fmt.Sprintf("“%s” is not stored (it has no changes yet), so there is nothing to delete.", row.Title)
					sh.refreshLibrary(nil)
					return
				}
				if id != s.doc().ID {
					remove(raw)
					return
				}
				// The open document: open a neighbour first.
				next := ""
				for i, r := range l.rows {
					if r.ID == id {
						if i+1 < len(l.rows) {
							next = l.rows[i+1].ID
						} else if i > 0 {
							next = l.rows[i-1].ID
						}
					}
				}
				if next != "" {
					sh.openStored(next, "")
					// openStored saves the meta record before it switches;
					// delete once it has.
					sh.whenOpen(next, func() { remove(raw) })
					return
				}
				doc, err := seedDocument()
				if err != nil {
					fail(err)
					return
				}
				s.load(annotate.NewState(doc, annotate.DefaultSchema()))
				sh.afterSwitch()
				remove(raw)
			})
		})
	})
}

// whenOpen calls f once document id is the open one (polling the UI
// goroutine briefly; openStored reports its own failures).
func (sh *Shell) whenOpen(id string, f func()) {
	deadline := time.Now().Add(10 * time.Second)
	var check func()
	check = func() {
		if sh.s.doc().ID == id {
			f()
			return
		}
		if time.Now().After(deadline) {
			return
		}
		time.AfterFunc(20*time.Millisecond, func() { sh.s.saver.post(check) })
	}
	sh.s.saver.post(check)
}

// undoDelete puts a deleted document's record back as it was.
func (sh *Shell) undoDelete(id, title, raw string) {
	s, l := sh.s, &sh.lib
	a, err := sh.libraryStore()
	if err != nil {
		l.notice = upperFirst(err.Error())
		return
	}
	l.undo = nil
	a.pf.write(storeWrite{Put: map[string]string{id: raw}}, func(err error) {
		a.post(func() {
			if err != nil {
				l.notice = upperFirst(fmt.Sprintf("cannot restore “%s”: %v", title, err))
				return
			}
			l.notice = fmt.Sprintf("Restored “%s”.", title)
			s.message = l.notice
			if id == s.doc().ID {
				// The sample article replaced it and has the same id:
				// show the restored record.
				if d, err := decodeDoc(raw, id); err == nil {
					a.adopt(d)
					sh.afterSwitch()
				}
			}
			sh.refreshLibrary(nil)
		})
	})
}

// exportCorpus downloads the chosen documents (all when none is chosen) in
// the chosen format: the format's files, zipped when there are several.
func (sh *Shell) exportCorpus() {
	s, l := sh.s, &sh.lib
	a, err := sh.libraryStore()
	if err != nil {
		l.notice = upperFirst(err.Error())
		return
	}
	id := l.format
	if id == "" {
		id = "factmark"
	}
	c, ok := annotate.BuiltinCodec(id)
	if !ok || !c.Exports {
		l.notice = fmt.Sprintf("Cannot export: unknown format %q.", id)
		return
	}
	var ids []string
	for _, r := range l.visible() {
		if len(l.chosen) == 0 || l.chosen[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	l.notice = fmt.Sprintf("Exporting %d documents as %s…", len(ids), c.Name)
	a.flushThen(func(ferr error) {
		a.pf.readAll(func(_ string, docs map[string]string, err error) {
			a.post(func() {
				if err != nil {
					l.notice = upperFirst(fmt.Sprintf("cannot export: cannot read the library: %v", err))
					return
				}
				var states []*annotate.State
				for _, id := range ids {
					var st *annotate.State
					if id == s.doc().ID {
						st = s.state // the live one: saved or not
					} else {
						d, err := decodeDoc(docs[id], id)
						if err != nil {
							l.notice = upperFirst(fmt.Sprintf("cannot export: %v", err))
							return
						}
						st = d.State
					}
					states = append(states, st)
				}
				if c.ID == nativeCodecID {
					name, mime, data, err := nativeCorpusFile(states)
					sh.corpusExported(c, len(states), &codecwork.Response{Name: name, Mime: mime, Data: data}, err)
					return
				}
				req := &codecwork.Request{Op: codecwork.OpExport, Codec: c.ID, Many: true}
				for _, st := range states {
					data, err := annotate.Encode(st)
					if err != nil {
						l.notice = upperFirst(fmt.Sprintf("cannot export: %v", err))
						return
					}
					req.Docs = append(req.Docs, data)
				}
				n := len(states)
				codecJob(req, func(r *codecwork.Response) {
					a.post(func() { sh.corpusExported(c, n, r, nil) })
				})
			})
		})
	})
}

// corpusExported downloads a library export the worker (or, for Factmark's
// own format, exportCorpus) built, and says what it holds and lost.
func (sh *Shell) corpusExported(c annotate.CodecInfo, n int, r *codecwork.Response, err error) {
	s, l := sh.s, &sh.lib
	if err == nil && r.Error != "" {
		err = errors.New(r.Error)
	}
	if err == nil {
		err = glueDownload(r.Name, r.Mime, r.Data)
	}
	if err != nil {
		l.notice = upperFirst(fmt.Sprintf("cannot export: %v", err))
		return
	}
	l.notice = fmt.Sprintf("Exported %d documents as %s in %s (offsets: %s).", n, c.Name, r.Name, c.Offsets)
	if r.LossNote != "" {
		l.notice += " " + r.LossNote
	}
	s.message = l.notice
}

// libraryKeys: Escape cancels a rename or closes the library.
func (sh *Shell) libraryKeys(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Escape" {
		return
	}
	if sh.lib.renaming != "" {
		id := sh.lib.renaming
		sh.lib.renaming = ""
		ctx.Defer(func(app.Context) { glueFocusID("lib-rename-" + id) })
		return
	}
	sh.closeLibrary(ctx)
}

// renderLibrary draws the library dialog.
func (sh *Shell) renderLibrary() app.UI {
	l := &sh.lib
	if !l.open {
		return app.Div().Class("library-slot")
	}
	s := sh.s
	var formatOpts []app.UI
	for _, c := range exportCodecs() {
		formatOpts = append(formatOpts, app.Option().Value(c.ID).Selected(c.ID == l.format || l.format == "" && c.ID == "factmark").
			Text(c.Name))
	}
	chosen := 0
	for _, r := range l.rows {
		if l.chosen[r.ID] {
			chosen++
		}
	}
	shown := l.visible()
	exportText := fmt.Sprintf("Export all %d", len(shown))
	if chosen > 0 {
		exportText = fmt.Sprintf("Export %d selected", chosen)
	}
	var notice app.UI = app.P().Class("library-notice").ID("library-notice").Role("status").Text(l.notice)
	if l.undo != nil {
		undo := l.undo
		notice = app.P().Class("library-notice").ID("library-notice").Role("status").Body(
			app.Span().Text(l.notice+" "),
			app.Button().Type("button").Class("btn").ID("library-undo").Text("Undo").
				OnClick(func(ctx app.Context, e app.Event) { undo() }, app.EventScope(l.undoSeq)),
		)
	}
	var body []app.UI
	for _, r := range shown {
		body = append(body, sh.renderLibraryRow(r, r.ID == s.doc().ID))
	}
	// (go-app writes no value attribute for "", and an option without one
	// has its text as value.)
	showOpts := []app.UI{app.Option().Value("all").Selected(l.show == "").Text("All statuses")}
	for _, st := range []string{statusNew, statusProgress, statusDone} {
		showOpts = append(showOpts, app.Option().Value(st).Selected(l.show == st).Text(statusName(st)))
	}
	var broken []app.UI
	for id, why := range l.broken {
		broken = append(broken, app.Li().Textf("%s: %s", id, why))
	}
	return app.Div().Class("dialog-backdrop").Body(
		app.Div().Class("dialog library").ID("library").Role("dialog").Aria("modal", "true").
			Aria("labelledby", "library-heading").OnKeyDown(sh.libraryKeys).
			Body(
				app.Div().Class("library-head").Body(
					app.H2().ID("library-heading").TabIndex(-1).Text("Library ("+plural(len(l.rows), "document")+")"),
					app.Button().Type("button").Class("btn").ID("library-close").Text("Close").
						Title("Close the library (Escape)").
						OnClick(func(ctx app.Context, e app.Event) { sh.closeLibrary(ctx) }),
				),
				app.P().Class("dialog-note").Text("Every document you opened or imported, stored in this browser. Alt+PageDown and Alt+PageUp open the next and previous document from anywhere."),
				app.Div().Class("library-tools").Role("toolbar").Aria("label", "Library").Body(
					app.Input().Type("file").ID("lib-import").Class("file-input").Multiple(true).Accept(openAccept).
						OnChange(func(ctx app.Context, e app.Event) { sh.onOpenPicked("lib-import", true) }),
					app.Label().For("lib-import").Class("btn").
						Title("Add documents to the library: a dataset (.jsonl, a brat zip) or several files").
						Text("Import…"),
					app.Label().For("lib-format").Text("Format"),
					app.Select().ID("lib-format").Class("field").Body(formatOpts...).
						OnChange(func(ctx app.Context, e app.Event) { l.format = ctx.JSSrc().Get("value").String() }),
					app.Button().Type("button").Class("btn btn-primary").ID("library-export").Text(exportText).
						Title("Download the documents as a dataset in the chosen format").
						OnClick(func(ctx app.Context, e app.Event) { sh.exportCorpus() }),
				),
				app.Div().Class("library-tools").Role("search").Aria("label", "Filter the library").Body(
					app.Label().For("lib-filter").Text("Filter"),
					app.Input().Type("search").ID("lib-filter").Class("field").Value(l.filter).
						Placeholder("words of the title").AutoComplete(false).
						OnInput(func(ctx app.Context, e app.Event) { l.filter = ctx.JSSrc().Get("value").String() }),
					app.Select().ID("lib-show").Class("field").Aria("label", "Status shown").Body(showOpts...).
						OnChange(func(ctx app.Context, e app.Event) {
							if l.show = ctx.JSSrc().Get("value").String(); l.show == "all" {
								l.show = ""
							}
						}),
					app.If(len(shown) != len(l.rows), func() app.UI {
						return app.Span().Class("dialog-note").ID("lib-shown").Textf("%d of %d shown", len(shown), len(l.rows))
					}),
				),
				notice,
				app.If(l.loading, func() app.UI { return app.P().Class("dialog-note").Text("Reading the library…") }),
				// An ARIA table of divs: the same semantics as <table>, without
				// linking go-app's seven table element types into the wasm.
				app.Div().Class("library-table").Role("table").Aria("label", "Stored documents").Body(
					app.Div().Class("lib-head").Role("row").Body(
						app.Div().Role("columnheader").Body(app.Span().Class("sr-only").Text("Select")),
						app.Div().Role("columnheader").Text("Title"),
						app.Div().Role("columnheader").Text("Length"),
						app.Div().Role("columnheader").Text("Annotations"),
						app.Div().Role("columnheader").Text("Status"),
						app.Div().Role("columnheader").Text("Last edited"),
						app.Div().Role("columnheader").Body(app.Span().Class("sr-only").Text("Actions")),
					),
					app.Div().Role("rowgroup").Body(body...),
				),
				app.If(len(broken) > 0, func() app.UI {
					return app.Div().Class("library-broken").Body(
						app.P().Text("These stored records cannot be read and are left as they are:"),
						app.Ul().Body(broken...),
					)
				}),
			),
	)
}

// renderLibraryRow is one document of the library.
func (sh *Shell) renderLibraryRow(r docSummary, isOpen bool) app.UI {
	l := &sh.lib
	id := r.ID
	var counts []string
	total := 0
	for _, lab := range sh.s.schema().Labels {
		if n := r.Labels[lab.ID]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", lab.Name, n))
			total += n
		}
	}
	for lid, n := range r.Labels {
		if _, ok := sh.s.schema().Label(lid); !ok && n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", lid, n))
			total += n
		}
	}
	countText := "none"
	if len(counts) > 0 {
		countText = strings.Join(counts, " · ")
	}
	var title app.UI
	if l.renaming == id {
		title = app.Input().Type("text").ID("lib-rename").Class("field").Value(r.Title).
			Aria("label", "New title for "+r.Title).
			OnKeyDown(func(ctx app.Context, e app.Event) {
				if e.Get("key").String() == "Enter" {
					sh.renameDocument(id, ctx.JSSrc().Get("value").String())
					ctx.Defer(func(app.Context) { glueFocusID("lib-rename-" + id) })
				}
			}, app.EventScope(id))
	} else {
		open := app.Button().Type("button").Class("link lib-open").ID("lib-open-"+id).Text(r.Title).
			Title("Open this document").
			OnClick(func(ctx app.Context, e app.Event) {
				sh.closeLibrary(ctx)
				sh.openStored(id, "")
			}, app.EventScope(id))
		if isOpen {
			open = open.Aria("current", "true")
		}
		title = open
	}
	var statusOpts []app.UI
	for _, st := range []string{statusNew, statusProgress, statusDone} {
		statusOpts = append(statusOpts, app.Option().Value(st).Selected(st == r.Status).Text(statusName(st)))
	}
	doneBtn := app.Button().Type("button").Class("btn").ID("lib-done-"+id).Text("Mark done").
		OnClick(func(ctx app.Context, e app.Event) { sh.setStatus(id, statusDone) }, app.EventScope(id))
	if r.Status == statusDone {
		doneBtn = app.Button().Type("button").Class("btn").ID("lib-done-"+id).Text("Reopen").
			Title("Mark it in progress again").
			OnClick(func(ctx app.Context, e app.Event) { sh.setStatus(id, statusProgress) }, app.EventScope(id))
	}
	edited := ""
	if !r.Edited.IsZero() {
		edited = r.Edited.Local().Format("2 Jan 2006 15:04")
	}
	rowCls := "lib-row"
	if isOpen {
		rowCls += " lib-row-open"
	}
	return app.Div().Class(rowCls).Role("row").DataSet("id", id).Body(
		app.Div().Role("cell").Body(app.Input().Type("checkbox").ID("lib-pick-"+id).Checked(l.chosen[id]).
			Aria("label", "Select "+r.Title+" for export").
			OnChange(func(ctx app.Context, e app.Event) {
				if l.chosen == nil {
					l.chosen = map[string]bool{}
				}
				if ctx.JSSrc().Get("checked").Bool() {
					l.chosen[id] = true
				} else {
					delete(l.chosen, id)
				}
			}, app.EventScope(id))),
		app.Div().Role("cell").Class("lib-title").Body(title, app.If(isOpen, func() app.UI { return app.Span().Class("lib-badge").Text(" (open)") })),
		app.Div().Role("cell").Class("lib-length").Textf("%d characters", r.Length),
		app.Div().Role("cell").Class("lib-counts").Title(fmt.Sprintf("%d annotations", total)).Text(countText),
		app.Div().Role("cell").Body(app.Select().ID("lib-status-"+id).Class("field lib-status").Aria("label", "Status of "+r.Title).
			Body(statusOpts...).
			OnChange(func(ctx app.Context, e app.Event) { sh.setStatus(id, ctx.JSSrc().Get("value").String()) }, app.EventScope(id))),
		app.Div().Role("cell").Class("lib-edited").Text(edited),
		app.Div().Role("cell").Class("lib-actions").Body(
			app.Button().Type("button").Class("btn").ID("lib-rename-"+id).Text("Rename").
				Aria("label", "Rename "+r.Title).
				OnClick(func(ctx app.Context, e app.Event) {
					l.renaming = id
					ctx.Defer(func(app.Context) { glueFocusID("lib-rename"); glueSelectAll("lib-rename") })
				}, app.EventScope(id)),
			doneBtn,
			app.Button().Type("button").Class("btn btn-danger").ID("lib-delete-"+id).Text("Delete").
				Aria("label", "Delete "+r.Title).
				OnClick(func(ctx app.Context, e app.Event) { sh.deleteDocument(id) }, app.EventScope(id)),
		),
	)
}
