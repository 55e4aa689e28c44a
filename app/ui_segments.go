package main

import (
	"cmp"
	"slices"

	"factmark/annotate"
)

// segNode is one node of a block's rendering: a run of text (Ann == nil) or a
// mark fragment holding further nodes. Marks nest the way the annotations
// do; an annotation that partly overlaps another, or that crosses a block
// boundary, is split into several fragments.
type segNode struct {
	Ann   *annotate.Annotation
	Range annotate.Range // code points covered by this node
	Kids  []*segNode
	// First is true for the fragment where the annotation starts (the
	// one that takes keyboard focus).
	First bool
	// Depth is the number of marks around this one; Height the number of
	// nested mark levels inside it (0 when it holds only text).
	Depth, Height int
}

// outerFirst orders annotations so that one containing another comes first:
// start ascending, end descending, then label and id for determinism.
func outerFirst(a, b annotate.Annotation) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(b.End, a.End); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Label, b.Label); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// segments splits block (a code-point range) at the boundaries of the
// annotations overlapping it and nests the pieces into mark fragments.
func segments(block annotate.Range, anns []annotate.Annotation) []*segNode {
	var in []annotate.Annotation
	for _, a := range anns {
		if a.Start < block.End && a.End > block.Start && a.End > a.Start {
			in = append(in, a)
		}
	}
	if len(in) == 0 {
		if block.Len() <= 0 {
			return nil
		}
		return []*segNode{{Range: block}}
	}
	slices.SortFunc(in, outerFirst)

	cuts := []int{block.Start, block.End}
	for _, a := range in {
		cuts = append(cuts, max(a.Start, block.Start), min(a.End, block.End))
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)

	var roots []*segNode
	var stack []*segNode
	add := func(n *segNode) {
		if len(stack) == 0 {
			roots = append(roots, n)
		} else {
			top := stack[len(stack)-1]
			top.Kids = append(top.Kids, n)
		}
	}
	var cover []int
	for k := 0; k+1 < len(cuts); k++ {
		p, q := cuts[k], cuts[k+1]
		cover = cover[:0]
		for i := range in {
			if in[i].Start <= p && in[i].End >= q {
				cover = append(cover, i)
			}
		}
		keep := 0
		for keep < len(stack) && keep < len(cover) && stack[keep].Ann == &in[cover[keep]] {
			keep++
		}
		stack = stack[:keep]
		for _, i := range cover[keep:] {
			n := &segNode{Ann: &in[i], Range: annotate.Range{Start: p, End: p}, First: in[i].Start == p, Depth: len(stack)}
			add(n)
			stack = append(stack, n)
		}
		add(&segNode{Range: annotate.Range{Start: p, End: q}})
		for _, n := range stack {
			n.Range.End = q
		}
	}
	for _, n := range roots {
		measure(n)
	}
	return roots
}

// measure fills Height.
func measure(n *segNode) int {
	if n.Ann == nil {
		return -1
	}
	h := 0
	for _, k := range n.Kids {
		if m := measure(k); m+1 > h {
			h = m + 1
		}
	}
	n.Height = h
	return h
}
