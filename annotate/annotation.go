package annotate

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// Evidence is one source a fact-checker cites for a claim.
type Evidence struct {
	URL      string `json:"url"`      // where the evidence is
	Quote    string `json:"quote"`    // the passage relied on
	Stance   string `json:"stance"`   // how it bears on the claim, e.g. supports, refutes, context
	Accessed string `json:"accessed"` // date the source was read, YYYY-MM-DD
}

// Claimant is who made a claim: a person span of the same document (SpanID)
// or a typed name.
type Claimant struct {
	SpanID string `json:"spanId"`
	Name   string `json:"name"`
}

// Claim is the fact-check record of a span whose label is of kind claim.
// Every field is optional.
type Claim struct {
	Verdict     string     `json:"verdict"`     // e.g. "false", "mostly true"
	Text        string     `json:"text"`        // the claim restated in a short sentence
	Claimant    Claimant   `json:"claimant"`    // who made it
	Date        string     `json:"date"`        // when it was made, YYYY-MM-DD
	CheckWorthy *bool      `json:"checkWorthy"` // nil when not assessed
	Rationale   string     `json:"rationale"`   // why the verdict
	Evidence    []Evidence `json:"evidence"`    // sources
	ReviewURL   string     `json:"reviewUrl"`   // the published fact-check, if any
}

// Clone returns a deep copy of c (nil for nil).
func (c *Claim) Clone() *Claim {
	if c == nil {
		return nil
	}
	d := *c
	if c.CheckWorthy != nil {
		v := *c.CheckWorthy
		d.CheckWorthy = &v
	}
	if c.Evidence != nil {
		d.Evidence = append([]Evidence(nil), c.Evidence...)
	}
	return &d
}

// IsZero reports whether c is nil or has no field set.
func (c *Claim) IsZero() bool {
	return c == nil || c.Verdict == "" && c.Text == "" && c.Claimant == (Claimant{}) && c.Date == "" &&
		c.CheckWorthy == nil && c.Rationale == "" && len(c.Evidence) == 0 && c.ReviewURL == ""
}

// Equal reports whether c and d hold the same record (nil equals nil only).
func (c *Claim) Equal(d *Claim) bool {
	if c == nil || d == nil {
		return c == d
	}
	if c.Verdict != d.Verdict || c.Text != d.Text || c.Claimant != d.Claimant || c.Date != d.Date ||
		c.Rationale != d.Rationale || c.ReviewURL != d.ReviewURL || len(c.Evidence) != len(d.Evidence) {
		return false
	}
	if (c.CheckWorthy == nil) != (d.CheckWorthy == nil) || c.CheckWorthy != nil && *c.CheckWorthy != *d.CheckWorthy {
		return false
	}
	for i := range c.Evidence {
		if c.Evidence[i] != d.Evidence[i] {
			return false
		}
	}
	return true
}

// check verifies that every string of the claim is valid UTF-8. It returns
// the path of the bad field relative to the claim ("evidence[1].url") and
// the reason.
func (c *Claim) check() (path, reason string) {
	fields := []struct{ path, s string }{
		{"verdict", c.Verdict}, {"text", c.Text}, {"claimant.spanId", c.Claimant.SpanID},
		{"claimant.name", c.Claimant.Name}, {"date", c.Date}, {"rationale", c.Rationale}, {"reviewUrl", c.ReviewURL},
	}
	for i, e := range c.Evidence {
		p := fmt.Sprintf("evidence[%d].", i)
		fields = append(fields, struct{ path, s string }{p + "url", e.URL}, struct{ path, s string }{p + "quote", e.Quote},
			struct{ path, s string }{p + "stance", e.Stance}, struct{ path, s string }{p + "accessed", e.Accessed})
	}
	for _, f := range fields {
		if !utf8.ValidString(f.s) {
			return f.path, "is not valid utf-8"
		}
	}
	return "", ""
}

// Annotation is one labelled span of a document's text.
type Annotation struct {
	ID       string    `json:"id"`              // stable random id (NewID); never reused
	Label    string    `json:"label"`           // a label id of the schema
	Start    int       `json:"start"`           // code points, inclusive
	End      int       `json:"end"`             // code points, exclusive
	Created  time.Time `json:"created"`         // UTC
	Modified time.Time `json:"modified"`        // UTC; the time of the last edit
	Note     string    `json:"note,omitempty"`  // free text
	Claim    *Claim    `json:"claim,omitempty"` // fact-check record; only for labels of kind claim
}

// Range returns the annotation's code-point range.
func (a Annotation) Range() Range { return Range{a.Start, a.End} }

// clone returns a copy of a that shares nothing mutable with it.
func (a Annotation) clone() Annotation {
	a.Claim = a.Claim.Clone()
	return a
}

// NewID returns a new random annotation id: "a-" and 16 lowercase hex digits
// (64 bits from crypto/rand).
func NewID() string {
	var b [8]byte
	rand.Read(b[:]) // never returns an error (crypto/rand, Go 1.24+)
	return "a-" + hex.EncodeToString(b[:])
}

// MaxIDLen is the longest annotation id accepted, in bytes.
const MaxIDLen = 128

// checkID reports why id cannot be an annotation id: it must be 1 to 128
// bytes of printable, non-space UTF-8 (ids from other tools, such as brat's
// "T12" or a W3C IRI, are fine).
func checkID(id string) string {
	switch {
	case id == "":
		return "is empty"
	case len(id) > MaxIDLen:
		return fmt.Sprintf("is longer than %d bytes", MaxIDLen)
	case !utf8.ValidString(id):
		return "is not valid utf-8"
	}
	for _, r := range id {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) || r == ' ' {
			return fmt.Sprintf("%q has a space, control or invisible character", id)
		}
	}
	return ""
}
