package annotate

import (
	"fmt"
	"strings"
	"time"
)

// EditOp names the kind of an Edit.
type EditOp string

// Edit operations.
const (
	OpAdd     EditOp = "add"     // add Annotation
	OpRemove  EditOp = "remove"  // remove annotation ID
	OpRelabel EditOp = "relabel" // give annotation ID the label Label
	OpResize  EditOp = "resize"  // move annotation ID to [Start, End)
	OpNote    EditOp = "note"    // set the note of annotation ID to Note ("" clears it)
	OpClaim   EditOp = "claim"   // set the claim record of annotation ID to Claim (nil clears it)
	OpBatch   EditOp = "batch"   // apply Edits in order, all or nothing
)

// Edit is one change to the annotations of a State, as a value: it is made
// by the constructors below, applied by State.Apply (the only way annotation
// state changes), inverted by Apply's result, and stored as JSON in the undo
// history. Only the fields its Op uses are set.
//
// At is when the edit was made. Apply sets the modification time of the
// annotations it changes to At (and the creation time of an added annotation
// that has none), so applying the same edit always gives the same state.
// When At is zero Apply uses the current time; History.Do fills At in before
// applying, so redo replays the original time. An edit inside a batch with a
// zero At takes the batch's.
type Edit struct {
	Op         EditOp      `json:"op"`
	Annotation *Annotation `json:"annotation,omitempty"` // add
	ID         string      `json:"id,omitempty"`         // remove, relabel, resize, note, claim
	Label      string      `json:"label,omitempty"`      // relabel
	Start      int         `json:"start,omitempty"`      // resize, code points
	End        int         `json:"end,omitempty"`        // resize, code points
	Note       string      `json:"note,omitempty"`       // note
	Claim      *Claim      `json:"claim,omitempty"`      // claim
	Edits      []Edit      `json:"edits,omitempty"`      // batch
	At         time.Time   `json:"at,omitzero"`
}

// Add returns an edit that adds a. Give it a fresh id (NewID). Zero Created
// and Modified times are filled in from the edit's time.
func Add(a Annotation) Edit {
	a = a.clone()
	return Edit{Op: OpAdd, Annotation: &a}
}

// Remove returns an edit that removes the annotation with id.
func Remove(id string) Edit { return Edit{Op: OpRemove, ID: id} }

// Relabel returns an edit that gives the annotation with id the label with id
// label.
func Relabel(id, label string) Edit { return Edit{Op: OpRelabel, ID: id, Label: label} }

// Resize returns an edit that moves the annotation with id to the code-point
// range r.
func Resize(id string, r Range) Edit { return Edit{Op: OpResize, ID: id, Start: r.Start, End: r.End} }

// SetNote returns an edit that sets the note of the annotation with id; ""
// removes it.
func SetNote(id, note string) Edit { return Edit{Op: OpNote, ID: id, Note: note} }

// SetClaim returns an edit that sets the claim record of the annotation with
// id (whose label must be of kind claim); nil removes it.
func SetClaim(id string, c *Claim) Edit { return Edit{Op: OpClaim, ID: id, Claim: c.Clone()} }

// Batch returns an edit that applies edits in order as one step: all of them
// or, when one fails, none. It is undone as one step too.
func Batch(edits ...Edit) Edit {
	return Edit{Op: OpBatch, Edits: append([]Edit(nil), edits...)}
}

// EditError reports an edit that State.Apply refused. The state is unchanged.
type EditError struct {
	Path   string // position inside batches, e.g. "edits[2].edits[0]"; "" at top level
	Op     EditOp // the refused edit's operation
	ID     string // the annotation concerned, "" when unknown
	Reason string // e.g. "range [5, 3) is reversed"
}

// Error reads, for example, `annotation "a-12": range [5, 3) is reversed`
// or, inside a batch, `edits[2]: annotation "a-12": does not exist`.
func (e *EditError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.ID != "" {
		fmt.Fprintf(&b, "annotation %q: ", e.ID)
	} else if e.Op != "" {
		fmt.Fprintf(&b, "%s: ", e.Op)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// ids appends the ids of the annotations e touches.
func (e Edit) ids(dst []string) []string {
	switch e.Op {
	case OpAdd:
		if e.Annotation != nil {
			dst = append(dst, e.Annotation.ID)
		}
	case OpBatch:
		for _, c := range e.Edits {
			dst = c.ids(dst)
		}
	default:
		dst = append(dst, e.ID)
	}
	return dst
}

// IDs returns the ids of the annotations e touches, in order, possibly with
// repeats (a batch may touch one annotation twice).
func (e Edit) IDs() []string { return e.ids(nil) }
