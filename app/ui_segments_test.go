package main

import (
	"fmt"
	"strings"
	"testing"

	"factmark/annotate"
)

// dump renders segment nodes as a bracketed string: [label text ...].
func dump(nodes []*segNode, text []rune) string {
	var b strings.Builder
	var walk func(n *segNode)
	walk = func(n *segNode) {
		if n.Ann == nil {
			b.WriteString(string(text[n.Range.Start:n.Range.End]))
			return
		}
		fmt.Fprintf(&b, "[%s:", n.Ann.Label)
		for _, k := range n.Kids {
			walk(k)
		}
		b.WriteString("]")
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

func ann(id, label string, start, end int) annotate.Annotation {
	return annotate.Annotation{ID: id, Label: label, Start: start, End: end}
}

func TestSegments(t *testing.T) {
	//                 0         1         2         3         4
	//                 0123456789012345678901234567890123456789012345
	text := []rune("Dan Driscoll said 26 people died in Ternopil.")
	block := annotate.Range{Start: 0, End: len(text)}
	tests := []struct {
		name string
		anns []annotate.Annotation
		want string
	}{
		{"none", nil, string(text)},
		{"one", []annotate.Annotation{ann("a", "person", 0, 12)}, "[person:Dan Driscoll] said 26 people died in Ternopil."},
		{"claim around a person and a figure", []annotate.Annotation{
			ann("f", "figure", 18, 20), ann("c", "claim", 0, 45), ann("p", "person", 0, 12),
		}, "[claim:[person:Dan Driscoll] said [figure:26] people died in Ternopil.]"},
		{"partial overlap splits the later span", []annotate.Annotation{
			ann("a", "place", 4, 20), ann("b", "figure", 13, 27),
		}, "Dan [place:Driscoll [figure:said 26]][figure: people] died in Ternopil."},
		{"same range, two labels", []annotate.Annotation{
			ann("a", "place", 36, 44), ann("b", "person", 36, 44),
		}, "Dan Driscoll said 26 people died in [person:[place:Ternopil]]."},
		{"outside the block is ignored", []annotate.Annotation{ann("a", "place", 50, 60)}, string(text)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dump(segments(block, tt.anns), text)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSegmentsFragments(t *testing.T) {
	// A claim from 5 to 30 crossing a block [0, 12) and a block [13, 40).
	c := ann("c", "claim", 5, 30)
	p := ann("p", "person", 14, 18)
	first := segments(annotate.Range{Start: 0, End: 12}, []annotate.Annotation{c, p})
	second := segments(annotate.Range{Start: 13, End: 40}, []annotate.Annotation{c, p})
	if len(first) != 2 || first[1].Ann == nil || !first[1].First || first[1].Range != (annotate.Range{Start: 5, End: 12}) {
		t.Fatalf("first block: want text then the claim's first fragment [5, 12), got %+v", first)
	}
	if len(second) != 2 || second[0].Ann == nil || second[0].First || second[0].Range != (annotate.Range{Start: 13, End: 30}) {
		t.Fatalf("second block: want the claim's second fragment [13, 30) then text, got %+v", second)
	}
	claim := second[0]
	if claim.Height != 1 || len(claim.Kids) != 3 || claim.Kids[1].Ann == nil || claim.Kids[1].Ann.ID != "p" || !claim.Kids[1].First || claim.Kids[1].Depth != 1 {
		t.Errorf("the person should be nested in the claim's fragment at depth 1: %+v", claim.Kids)
	}
}

// TestSegmentsCover checks on many overlapping spans that the text pieces
// tile the block in order and every mark covers exactly its pieces.
func TestSegmentsCover(t *testing.T) {
	block := annotate.Range{Start: 10, End: 90}
	var anns []annotate.Annotation
	for i := 0; i < 40; i++ {
		s := (i * 37) % 100
		e := s + 1 + (i*13)%25
		anns = append(anns, ann(fmt.Sprintf("a%02d", i), []string{"person", "place", "figure", "claim"}[i%4], s, e))
	}
	nodes := segments(block, anns)
	pos := block.Start
	var walk func(n *segNode, outer annotate.Range)
	walk = func(n *segNode, outer annotate.Range) {
		if !outer.Contains(n.Range) {
			t.Errorf("node %v escapes its parent %v", n.Range, outer)
		}
		if n.Ann == nil {
			if n.Range.Start != pos {
				t.Fatalf("text piece starts at %d, want %d", n.Range.Start, pos)
			}
			pos = n.Range.End
			return
		}
		if !n.Ann.Range().Contains(n.Range) {
			t.Errorf("fragment %v outside its annotation %v", n.Range, n.Ann.Range())
		}
		for _, k := range n.Kids {
			walk(k, n.Range)
		}
	}
	for _, n := range nodes {
		walk(n, block)
	}
	if pos != block.End {
		t.Errorf("pieces end at %d, want %d", pos, block.End)
	}
}
