package main

import (
	"testing"
	"time"

	"factmark/annotate"
)

// FuzzStoreRecord reads arbitrary stored records back as autosave does on
// start: a damaged record is refused with an error, never a panic, and a
// record that is accepted restores a history whose undo and redo steps
// either apply or fail cleanly, all the way down both stacks.
func FuzzStoreRecord(f *testing.F) {
	doc, err := annotate.FromText([]byte("Kyiv 🇺🇦\nZelensky said aid rose 12%.\n"), annotate.TextOptions{})
	if err != nil {
		f.Fatal(err)
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	h := annotate.NewHistory(st)
	for _, e := range []annotate.Edit{
		annotate.Add(annotate.Annotation{ID: "a-1", Label: "place", Start: 0, End: 4}),
		annotate.Add(annotate.Annotation{ID: "a-2", Label: "figure", Start: 33, End: 36}),
		annotate.SetNote("a-1", "capital"),
	} {
		if err := h.Do(e); err != nil {
			f.Fatal(err)
		}
	}
	if _, err := h.Undo(); err != nil {
		f.Fatal(err)
	}
	undo, redo := h.Stacks()
	recs, err := encodeSave(st, undo, redo, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), "test")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(recs.Meta, recs.Doc)
	f.Add(`{"v":99,"open":"x"}`, `{"v":1,"id":"x","native":{}}`)
	f.Add(`{}`, `[`)
	f.Fuzz(func(t *testing.T, meta, rec string) {
		m, err := decodeMeta(meta)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		d, err := decodeDoc(rec, m.Open)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		h := annotate.NewHistory(d.State)
		h.Restore(d.Undo, d.Redo)
		for i := 0; i < 64 && h.CanUndo(); i++ {
			if ok, err := h.Undo(); !ok || err != nil {
				break
			}
		}
		for i := 0; i < 64 && h.CanRedo(); i++ {
			if ok, err := h.Redo(); !ok || err != nil {
				break
			}
		}
		if _, err := annotate.Encode(d.State); err != nil {
			t.Fatalf("a restored state does not encode: %v", err)
		}
	})
}
