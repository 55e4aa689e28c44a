package annotate_test

import (
	"errors"
	"fmt"

	"factmark/annotate"
)

// The span "12%" in every unit: Go bytes, JavaScript UTF-16 units, Python
// code points and user-perceived characters (grapheme clusters).
func ExampleNewIndex() {
	ix := annotate.NewIndex("Müller said 🇺🇦 aid rose 12%.")
	span := annotate.Range{Start: 24, End: 27} // code points
	for _, u := range annotate.Units {
		r, err := ix.ConvertRange(span, annotate.CodePoints, u)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-9s %v\n", u, r)
	}
	fmt.Printf("%q\n", ix.Slice(span))
	// Output:
	// codepoint [24, 27)
	// byte      [31, 34)
	// utf16     [26, 29)
	// grapheme  [23, 26)
	// "12%"
}

// Positions that fall inside a code point or a grapheme cluster are
// reported, never rounded.
func ExampleIndex_Convert() {
	ix := annotate.NewIndex("Müller said 🇺🇦 aid rose 12%.")
	g, err := ix.Convert(31, annotate.Bytes, annotate.Graphemes)
	fmt.Println(g, err)
	_, err = ix.Convert(13, annotate.UTF16, annotate.CodePoints)
	fmt.Println(err)
	_, err = ix.Convert(13, annotate.CodePoints, annotate.Graphemes)
	var oe *annotate.OffsetError
	fmt.Println(err, errors.As(err, &oe))
	fmt.Println(ix.IsGraphemeBoundary(13), ix.GraphemeFloor(13), ix.GraphemeCeil(13))
	// Output:
	// 23 <nil>
	// utf16 offset 13 is inside a code point (surrogate pair)
	// codepoint offset 13 is inside a grapheme cluster [12, 14) true
	// false 12 14
}

func ExampleFromText() {
	raw := []byte("\ufeffTable of Contents\r\nKyiv Talks Resume\r\nThe delegation arrived on Monday.\r\nWhat Comes Next\r\nMu\u0308ller said so.")
	doc, err := annotate.FromText(raw, annotate.TextOptions{Source: "talks.txt"})
	if err != nil {
		panic(err)
	}
	fmt.Println(doc.Title)
	fmt.Println(doc.Normalization)
	for _, b := range doc.Blocks {
		fmt.Printf("%-9s %q\n", b.Kind, doc.Index().Slice(b.Range()))
	}
	fmt.Printf("%+v\n", doc.Lengths)
	fmt.Println(doc.Check())

	_, err = annotate.FromText([]byte("ok\n\xff"), annotate.TextOptions{})
	fmt.Println(err)
	// Output:
	// Kyiv Talks Resume
	// [strip-bom crlf-to-lf nfc]
	// title     "Kyiv Talks Resume"
	// paragraph "The delegation arrived on Monday."
	// heading   "What Comes Next"
	// paragraph "Müller said so."
	// {Bytes:102 UTF16:101 CodePoints:101 Graphemes:101}
	// <nil>
	// invalid utf-8 at byte 3
}

func ExampleIndex_Snap() {
	ix := annotate.NewIndex("Peskov cited the “spirit of Anchorage” and said “Kyiv,” not Moscow, will gain $105 million. Talks with the U.S. ended")
	show := func(start, end int, kind annotate.LabelKind, precise bool) {
		r, err := ix.Snap(annotate.Range{Start: start, End: end}, kind, precise)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%q -> %q\n", ix.Slice(annotate.Range{Start: start, End: end}), ix.Slice(r))
	}
	show(17, 38, annotate.KindEntity, false)   // quotes go
	show(48, 55, annotate.KindEntity, false)   // “Kyiv,” -> Kyiv
	show(49, 51, annotate.KindEntity, false)   // a partial word widens
	show(78, 89, annotate.KindEntity, false)   // inner symbols stay
	show(107, 110, annotate.KindEntity, false) // an abbreviation keeps its full stop
	show(68, 90, annotate.KindClaim, false)    // a claim gets its closing full stop
	show(49, 51, annotate.KindEntity, true)    // precise: grapheme clusters only
	show(55, 56, annotate.KindEntity, false)
	// Output:
	// "“spirit of Anchorage”" -> "spirit of Anchorage"
	// "“Kyiv,”" -> "Kyiv"
	// "Ky" -> "Kyiv"
	// "$105 millio" -> "$105 million"
	// "U.S" -> "U.S."
	// "will gain $105 million" -> "will gain $105 million."
	// "Ky" -> "Ky"
	// selection [55, 56) is only whitespace
}

func ExampleIndex_StepWord() {
	ix := annotate.NewIndex("Kyiv, supported by the U.S., continues.")
	r := annotate.Range{Start: 6, End: 15} // "supported"
	r = ix.StepWord(r, +1, true)
	fmt.Printf("%q\n", ix.Slice(r))
	r = ix.StepWord(r, -1, true)
	fmt.Printf("%q\n", ix.Slice(r))
	r = ix.StepWord(r, -1, false)
	fmt.Printf("%q\n", ix.Slice(r))
	// Output:
	// "supported by"
	// ", supported by"
	// "supported by"
}

func ExampleIndex_Words() {
	ix := annotate.NewIndex("Russia’s 28-point plan: $105 million for the U.S.")
	for _, w := range ix.Words() {
		fmt.Printf("%q ", ix.Slice(w))
	}
	fmt.Println()
	// Output:
	// "Russia’s" "28" "-" "point" "plan" ":" "$" "105" "million" "for" "the" "U.S" "."
}

func ExampleIndex_Sentences() {
	ix := annotate.NewIndex("The U.S. Army confirmed it. Gen. Chris Donahue went too!\nNext heading")
	for _, s := range ix.Sentences() {
		fmt.Printf("%q\n", ix.Slice(s))
	}
	fmt.Printf("%q\n", ix.Slice(ix.SentenceAt(40)))
	// Output:
	// "The U.S. Army confirmed it."
	// "Gen. Chris Donahue went too!"
	// "Next heading"
	// "Gen. Chris Donahue went too!"
}
