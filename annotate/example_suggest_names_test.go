package annotate_test

import (
	"fmt"

	"factmark/annotate"
)

// Suggestions computed one window of blocks at a time find a name after a
// title in one block and on its own in another when the document's
// TitledNames are passed along.
func ExampleTitledNames() {
	doc, err := annotate.FromText([]byte("Talks\n\nPresident Kovalenko arrived on Monday.\n\nThe talks went on.\n\nKovalenko left on Friday.\n"), annotate.TextOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	st := annotate.NewState(doc, annotate.DefaultSchema())
	last := doc.Blocks[len(doc.Blocks)-1]
	show := func(opts annotate.SuggestOptions) {
		for _, x := range annotate.Suggest(st, opts) {
			fmt.Printf("  %s %q (%s)\n", x.Label, doc.Index().Slice(x.Range), x.Rule)
		}
	}
	names := annotate.TitledNames(st, annotate.SuggestOptions{})
	fmt.Println("titled names:", names)
	fmt.Println("last block alone:")
	show(annotate.SuggestOptions{Within: last.Range()})
	fmt.Println("last block with the document's titled names:")
	show(annotate.SuggestOptions{Within: last.Range(), Names: names})
	// Output:
	// titled names: [Kovalenko]
	// last block alone:
	// last block with the document's titled names:
	//   person "Kovalenko" (gazetteer)
}

func ExampleCollapseSpace() {
	fmt.Printf("%q\n", annotate.CollapseSpace("  Volodymyr\n\tZelensky\u200b "))
	// Output:
	// "Volodymyr Zelensky"
}
