package annotate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"factmark/annotate"
)

// modelExampleState returns a state on a short text with no annotations.
func modelExampleState() *annotate.State {
	doc, err := annotate.FromText([]byte("Müller said 🇺🇦 aid rose 12%."), annotate.TextOptions{ID: "doc-example", Title: "Example"})
	if err != nil {
		log.Fatal(err)
	}
	return annotate.NewState(doc, annotate.DefaultSchema())
}

var modelExampleTime = time.Date(2025, 11, 25, 9, 30, 0, 0, time.UTC)

func ExampleDefaultSchema() {
	for _, l := range annotate.DefaultSchema().Labels {
		fmt.Printf("%s %-14s %-6s %s %s\n", l.Key, l.Name, l.Kind, l.Color, l.DarkColor)
	}
	// Output:
	// 1 Person         entity #0031c4 #4977fe
	// 2 Place          entity #00836c #17e88f
	// 3 Figure         entity #9e6800 #f3c326
	// 4 Disputed claim claim  #920024 #dc4c9f
}

func ExampleSchema_ByKey() {
	s := annotate.DefaultSchema()
	l, ok := s.ByKey("4")
	fmt.Println(l.ID, l.Kind, ok)
	_, ok = s.ByKey("9")
	fmt.Println(ok)
	// Output:
	// claim claim true
	// false
}

func ExampleState_Apply() {
	s := modelExampleState()
	add := annotate.Add(annotate.Annotation{ID: "a-1", Label: "figure", Start: 24, End: 27})
	add.At = modelExampleTime
	undo, err := s.Apply(add)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := s.Annotation("a-1")
	fmt.Printf("%q %s revision %d, created %s\n", s.Doc.Index().Slice(a.Range()), a.Label, s.Revision, a.Created.Format(time.RFC3339))
	fmt.Println("inverse:", undo.Op, undo.ID)

	// Edits are validated: a span must not split the flag at [12, 14).
	_, err = s.Apply(annotate.Add(annotate.Annotation{ID: "a-2", Label: "place", Start: 12, End: 13}))
	fmt.Println(err)
	// Nor may the same range carry the same label twice.
	_, err = s.Apply(annotate.Add(annotate.Annotation{ID: "a-3", Label: "figure", Start: 24, End: 27}))
	fmt.Println(err)

	// Applying the inverse undoes the edit; that is an edit too.
	if _, err := s.Apply(undo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Len(), "annotations, revision", s.Revision)
	// Output:
	// "12%" figure revision 1, created 2025-11-25T09:30:00Z
	// inverse: remove a-1
	// annotation "a-2": end 13 is inside a grapheme cluster [12, 14)
	// annotation "a-3": has the same range [24, 27) and label "figure" as annotation "a-1"
	// 0 annotations, revision 2
}

func ExampleBatch() {
	s := modelExampleState()
	s.Apply(annotate.Add(annotate.Annotation{ID: "a-1", Label: "person", Start: 0, End: 6}))
	// A batch applies entirely or not at all: its last edit fails, so the
	// relabel before it does not happen either.
	_, err := s.Apply(annotate.Batch(
		annotate.Relabel("a-1", "place"),
		annotate.Resize("a-1", annotate.Range{Start: 0, End: 99}),
	))
	fmt.Println(err)
	a, _ := s.Annotation("a-1")
	fmt.Println(a.Label, a.Range(), s.Revision)
	// Output:
	// edits[1]: annotation "a-1": range [0, 99) ends after the text's 28 code points
	// person [0, 6) 1
}

func ExampleState_Overlapping() {
	s := modelExampleState()
	for _, a := range []annotate.Annotation{
		{ID: "a-1", Label: "claim", Start: 0, End: 28},
		{ID: "a-2", Label: "person", Start: 0, End: 6},
		{ID: "a-3", Label: "place", Start: 12, End: 14},
		{ID: "a-4", Label: "figure", Start: 24, End: 27},
	} {
		if _, err := s.Apply(annotate.Add(a)); err != nil {
			log.Fatal(err)
		}
	}
	// Nested and overlapping spans, outer ones first.
	for _, a := range s.Overlapping(annotate.Range{Start: 10, End: 25}) {
		fmt.Println(a.ID, a.Label, a.Range())
	}
	// Output:
	// a-1 claim [0, 28)
	// a-3 place [12, 14)
	// a-4 figure [24, 27)
}

func ExampleHistory() {
	s := modelExampleState()
	h := annotate.NewHistory(s)
	h.Now = func() time.Time { return modelExampleTime } // stamps edits without a time
	h.Do(annotate.Add(annotate.Annotation{ID: "a-1", Label: "person", Start: 0, End: 6}))
	h.Do(annotate.Relabel("a-1", "place"))
	show := func(what string) {
		a, ok := s.Annotation("a-1")
		fmt.Printf("%-8s label %-6q exists %-5v undo %-5v redo %v\n", what, a.Label, ok, h.CanUndo(), h.CanRedo())
	}
	show("done")
	h.Undo()
	show("undo")
	h.Undo()
	show("undo")
	h.Redo()
	show("redo")
	// A new edit clears what could be redone.
	h.Do(annotate.SetNote("a-1", "Bavarian MP"))
	show("new edit")

	// The stacks are edits, ready to be saved (as JSON) and restored.
	undo, redo := h.Stacks()
	fmt.Println(len(undo), len(redo))
	// Output:
	// done     label "place" exists true  undo true  redo false
	// undo     label "person" exists true  undo true  redo true
	// undo     label ""     exists false undo false redo true
	// redo     label "person" exists true  undo true  redo true
	// new edit label "person" exists true  undo true  redo false
	// 2 0
}

func ExampleEncode() {
	s := modelExampleState()
	add := annotate.Add(annotate.Annotation{ID: "a-1", Label: "figure", Start: 24, End: 27})
	add.At = modelExampleTime
	s.Apply(add)
	data, err := annotate.Encode(s)
	if err != nil {
		log.Fatal(err)
	}
	// Print the annotation: its range in code points and in the other units.
	out := string(data)
	fmt.Print(out[strings.Index(out, `  "annotations"`):])
	// Output:
	//   "annotations": [
	//     {
	//       "id": "a-1",
	//       "label": "figure",
	//       "start": 24,
	//       "end": 27,
	//       "offsets": {"byte": [31, 34], "utf16": [26, 29], "grapheme": [23, 26]},
	//       "quote": "12%",
	//       "prefix": "Müller said 🇺🇦 aid rose ",
	//       "suffix": ".",
	//       "note": "",
	//       "created": "2025-11-25T09:30:00.000Z",
	//       "modified": "2025-11-25T09:30:00.000Z"
	//     }
	//   ]
	// }
}

func ExampleDecode() {
	s := modelExampleState()
	s.Apply(annotate.Add(annotate.Annotation{ID: "a-1", Label: "place", Start: 12, End: 14}))
	data, _ := annotate.Encode(s)

	back, err := annotate.Decode(data)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := back.Annotation("a-1")
	fmt.Println(back.Doc.Title, a.Label, back.Doc.Index().Slice(a.Range()))

	// A file whose range splits the flag is refused, with line and path.
	broken := bytes.Replace(data, []byte(`"end": 14`), []byte(`"end": 13`), 1)
	_, err = annotate.Decode(broken)
	fmt.Println(err)
	var de *annotate.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Path)
	}
	// Output:
	// Example place 🇺🇦
	// line 28: annotations[0].end: 13 is inside a grapheme cluster [12, 14)
	// annotations[0].end
}

func ExampleDatasetReader() {
	var buf bytes.Buffer
	w := annotate.NewDatasetWriter(&buf)
	for _, text := range []string{"First document.", "Second document, 二番目."} {
		doc, _ := annotate.FromText([]byte(text), annotate.TextOptions{})
		w.Write(annotate.NewState(doc, annotate.DefaultSchema()))
	}
	fmt.Println(strings.Count(buf.String(), "\n"), "lines")

	r := annotate.NewDatasetReader(&buf)
	for {
		s, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Doc.Title, s.Doc.Lengths.CodePoints)
	}
	// Output:
	// 2 lines
	// First document. 15
	// Second document, 二番目. 21
}

func ExampleState_All() {
	s := modelExampleState()
	s.Apply(annotate.Batch(
		annotate.Add(annotate.Annotation{ID: "a-1", Label: "figure", Start: 24, End: 27}),
		annotate.Add(annotate.Annotation{ID: "a-2", Label: "person", Start: 0, End: 6}),
	))
	// Counting per label without copying the annotations into a slice.
	count := map[string]int{}
	for a := range s.All() {
		count[a.Label]++
		fmt.Println(a.ID, a.Start, a.End)
	}
	fmt.Println(count["person"], count["figure"])
	// Output:
	// a-2 0 6
	// a-1 24 27
	// 1 1
}

func ExampleState_LabelCounts() {
	s := modelExampleState()
	s.Apply(annotate.Batch(
		annotate.Add(annotate.Annotation{ID: "a-1", Label: "figure", Start: 24, End: 27}),
		annotate.Add(annotate.Annotation{ID: "a-2", Label: "person", Start: 0, End: 6}),
		annotate.Add(annotate.Annotation{ID: "a-3", Label: "person", Start: 7, End: 15}),
	))
	counts := s.LabelCounts()
	fmt.Println(counts["person"], counts["figure"], counts["place"], len(counts))
	fmt.Println(s.CountLabel("person"))
	// Output:
	// 2 1 0 2
	// 2
}

func ExampleAppendEncode() {
	s := modelExampleState()
	// Wrap the encoding in a record of one's own without copying it.
	rec := []byte(`{"saved": "today", "native": `)
	rec, err := annotate.AppendEncode(rec, s)
	if err != nil {
		log.Fatal(err)
	}
	rec = append(bytes.TrimRight(rec, "\n"), '}')
	var v struct {
		Saved  string
		Native struct{ Format, Unit string }
	}
	if err := json.Unmarshal(rec, &v); err != nil {
		log.Fatal(err)
	}
	alone, _ := annotate.Encode(s)
	fmt.Println(v.Saved, v.Native.Format, v.Native.Unit, bytes.Contains(rec, bytes.TrimRight(alone, "\n")))
	// Output:
	// today factmark/v1 codepoint true
}
