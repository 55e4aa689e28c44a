package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// The claims dataset: JSON Lines, one ClaimRecord per claim span, for
// fact-checking datasets (FEVER, AVeriTeC and the like).

// ClaimRecord is one line of the claims dataset.
type ClaimRecord struct {
	ID             string `json:"id"` // annotation id
	DocumentID     string `json:"documentId"`
	DocumentTitle  string `json:"documentTitle"`
	DocumentSource string `json:"documentSource,omitempty"`
	DocumentSHA256 string `json:"documentSha256"`
	Label          string `json:"label"`
	// Claim is the normalized claim text, else the quoted span.
	Claim    string       `json:"claim"`
	Quote    string       `json:"quote"` // the exact text of the span
	Context  ClaimContext `json:"context"`
	Offsets  ClaimOffsets `json:"offsets"`
	Claimant ClaimantInfo `json:"claimant"`
	// ClaimDate is when the claim was made, YYYY-MM-DD, or "".
	ClaimDate   string     `json:"claimDate"`
	Verdict     *Verdict   `json:"verdict"` // null when not set
	Rationale   string     `json:"rationale"`
	Evidence    []Evidence `json:"evidence"`
	CheckWorthy *bool      `json:"checkWorthy"` // null when not set
	ReviewURL   string     `json:"reviewUrl"`
	Note        string     `json:"note"`
}

// ClaimContext is the sentence around a claim (Index.SentenceAt of its
// start), in code points.
type ClaimContext struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// ClaimOffsets is the span's range in code points (canonical, Python str
// indices) and in UTF-16 code units (JavaScript string indices).
type ClaimOffsets struct {
	CodePoints Range `json:"codepoint"`
	UTF16      Range `json:"utf16"`
}

// ClaimantInfo is who made the claim: Name is the typed name, else the text
// of the claimant's person span; SpanID is that span's annotation id.
type ClaimantInfo struct {
	Name   string `json:"name"`
	SpanID string `json:"spanId"`
}

// ClaimRecords returns one record per annotation with a claim label, in
// annotation order (claims without details included, with empty fields).
func ClaimRecords(s *State) ([]ClaimRecord, error) {
	if s == nil || s.Doc == nil {
		return nil, fmt.Errorf("claims: no document to export")
	}
	d := s.Doc
	ix := d.Index()
	var out []ClaimRecord
	for _, a := range s.Annotations() {
		l, ok := s.Schema.Label(a.Label)
		if !ok {
			return nil, fmt.Errorf("claims: annotation %s has label %q, which the schema does not define", a.ID, a.Label)
		}
		if l.Kind != KindClaim {
			continue
		}
		r := a.Range()
		u, err := ix.ConvertRange(r, CodePoints, UTF16)
		if err != nil {
			return nil, fmt.Errorf("claims: annotation %s: %w", a.ID, err)
		}
		sent := ix.SentenceAt(r.Start)
		rec := ClaimRecord{
			ID: a.ID, DocumentID: d.ID, DocumentTitle: d.Title, DocumentSource: d.Source, DocumentSHA256: d.SHA256,
			Label:    a.Label,
			Quote:    ix.Slice(r),
			Context:  ClaimContext{Text: ix.Slice(sent), Start: sent.Start, End: sent.End},
			Offsets:  ClaimOffsets{CodePoints: r, UTF16: u},
			Evidence: []Evidence{},
			Note:     a.Note,
		}
		rec.Claim = rec.Quote
		if c := a.Claim; c != nil {
			if c.Text != "" {
				rec.Claim = c.Text
			}
			rec.Claimant = ClaimantInfo{Name: ClaimantName(s, c), SpanID: c.Claimant.SpanID}
			rec.ClaimDate = c.Date
			if v, ok := VerdictByID(c.Verdict); ok {
				rec.Verdict = &v
			} else if c.Verdict != "" {
				return nil, fmt.Errorf("claims: annotation %s: claim.verdict: unknown verdict %q", a.ID, c.Verdict)
			}
			rec.Rationale = c.Rationale
			rec.Evidence = append(rec.Evidence, c.Evidence...)
			rec.CheckWorthy = c.CheckWorthy
			rec.ReviewURL = c.ReviewURL
		}
		out = append(out, rec)
	}
	return out, nil
}

// WriteClaims writes the claims dataset of s to w: JSON Lines, one compact
// ClaimRecord per claim span. A document without claims writes nothing.
func WriteClaims(w io.Writer, s *State) error {
	recs, err := ClaimRecords(s)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for _, r := range recs {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			return err
		}
		if _, err := bw.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// EncodeClaims returns the claims dataset of s as JSON Lines (see
// WriteClaims).
func EncodeClaims(s *State) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteClaims(&buf, s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// claimsLosses says what the claims dataset leaves out of s.
func claimsLosses(s *State) []string {
	if s == nil || s.Doc == nil {
		return nil
	}
	claims, entities := 0, 0
	for _, a := range s.Annotations() {
		if l, ok := s.Schema.Label(a.Label); ok && l.Kind == KindClaim {
			claims++
		} else {
			entities++
		}
	}
	var out []string
	if claims == 0 {
		out = append(out, "there are no claim spans: the dataset is empty")
	}
	if entities > 0 {
		out = append(out, fmt.Sprintf("%s of entity labels left out (claimants are kept by name)", claimPlural(entities, "span")))
	}
	return out
}
