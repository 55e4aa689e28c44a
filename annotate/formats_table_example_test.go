package annotate_test

import (
	"fmt"

	"factmark/annotate"
)

// The descriptions of the built-in codecs, as a menu shows them; they are
// there also in a program built with the factmark_ui tag, which links none
// of the codecs.
func ExampleBuiltinCodecs() {
	for _, c := range annotate.BuiltinCodecs() {
		if c.Imports {
			fmt.Printf("%-11s %-9s %s\n", c.ID, c.Unit, c.Extensions[0])
		}
	}
	doccano, _ := annotate.BuiltinCodec("doccano")
	fmt.Println(doccano.Name, "counts in", doccano.Offsets)
	// Output:
	// factmark    codepoint .json
	// w3c         codepoint .w3c.jsonld
	// labelstudio codepoint .labelstudio.json
	// doccano     utf16     .doccano.jsonl
	// spacy       codepoint .spacy.jsonl
	// brat        codepoint .ann
	// doccano (JSONL) counts in UTF-16 code units (JavaScript string indices)
}
