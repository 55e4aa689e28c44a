package annotate

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Verdict is one entry of the fixed verdict vocabulary of fact-check claims,
// with its mapping to the labels of the FEVER and AVeriTeC datasets and to
// the 1–5 rating scale of schema.org ClaimReview (1 worst, 5 best).
type Verdict struct {
	ID       string `json:"id"`       // stored in Claim.Verdict, e.g. "mostly-false"
	Name     string `json:"name"`     // display name, e.g. "Mostly false"; ClaimReview's alternateName
	FEVER    string `json:"fever"`    // SUPPORTS, REFUTES or NOT ENOUGH INFO
	AVeriTeC string `json:"averitec"` // Supported, Refuted, Not Enough Evidence or Conflicting Evidence/Cherrypicking
	Rating   int    `json:"rating"`   // ClaimReview ratingValue, 1 (false) to 5 (true)
}

// FEVER labels.
const (
	FEVERSupports      = "SUPPORTS"
	FEVERRefutes       = "REFUTES"
	FEVERNotEnoughInfo = "NOT ENOUGH INFO"
)

// AVeriTeC labels.
const (
	AVeriTeCSupported           = "Supported"
	AVeriTeCRefuted             = "Refuted"
	AVeriTeCNotEnoughEvidence   = "Not Enough Evidence"
	AVeriTeCConflictingEvidence = "Conflicting Evidence/Cherrypicking"
)

// Rating scale of the ClaimReview export (reviewRating.worstRating and
// bestRating).
const (
	WorstRating = 1
	BestRating  = 5
)

// verdicts is the vocabulary, from worst to best. Mappings that lose
// information, and why they are as they are:
//   - misleading (true in a literal sense, false in what it implies) refutes
//     the claim as made for FEVER, and is cherry-picking for AVeriTeC;
//   - mixed (parts true, parts false) is neither supported nor refuted as a
//     whole for FEVER, and is conflicting evidence for AVeriTeC;
//   - unproven rates 3 (the middle of the scale): it is not a judgement of
//     truth either way.
var verdicts = []Verdict{
	{"false", "False", FEVERRefutes, AVeriTeCRefuted, 1},
	{"mostly-false", "Mostly false", FEVERRefutes, AVeriTeCRefuted, 2},
	{"misleading", "Misleading", FEVERRefutes, AVeriTeCConflictingEvidence, 2},
	{"mixed", "Mixed", FEVERNotEnoughInfo, AVeriTeCConflictingEvidence, 3},
	{"unproven", "Unproven", FEVERNotEnoughInfo, AVeriTeCNotEnoughEvidence, 3},
	{"mostly-true", "Mostly true", FEVERSupports, AVeriTeCSupported, 4},
	{"true", "True", FEVERSupports, AVeriTeCSupported, 5},
}

// Verdicts returns the verdict vocabulary in display order, from false to
// true. The slice is a copy.
func Verdicts() []Verdict { return append([]Verdict(nil), verdicts...) }

// VerdictByID returns the verdict whose ID is id (as stored in
// Claim.Verdict).
func VerdictByID(id string) (Verdict, bool) {
	for _, v := range verdicts {
		if v.ID == id {
			return v, true
		}
	}
	return Verdict{}, false
}

// LookupVerdict finds a verdict by ID or display name, ignoring case,
// surrounding space, and the difference between "-", "_" and " " ("Mostly
// false", "mostly_false" and "MOSTLY-FALSE" all find mostly-false). It is
// meant for input from people and other tools; stored claims use IDs.
func LookupVerdict(s string) (Verdict, bool) {
	k := claimVocabKey(s)
	for _, v := range verdicts {
		if claimVocabKey(v.ID) == k || claimVocabKey(v.Name) == k {
			return v, true
		}
	}
	return Verdict{}, false
}

// Stance is one entry of the vocabulary saying how an evidence item relates
// to the claim.
type Stance struct {
	ID   string `json:"id"`   // stored in Evidence.Stance
	Name string `json:"name"` // display name
}

// Stance IDs.
const (
	StanceSupports = "supports" // the evidence supports the claim
	StanceRefutes  = "refutes"  // the evidence refutes the claim
	StanceContext  = "context"  // the evidence gives context, neither supporting nor refuting
)

var stances = []Stance{
	{StanceSupports, "Supports"},
	{StanceRefutes, "Refutes"},
	{StanceContext, "Context"},
}

// Stances returns the stance vocabulary in display order. The slice is a
// copy.
func Stances() []Stance { return append([]Stance(nil), stances...) }

// StanceByID returns the stance whose ID is id.
func StanceByID(id string) (Stance, bool) {
	for _, s := range stances {
		if s.ID == id {
			return s, true
		}
	}
	return Stance{}, false
}

// LookupStance finds a stance by ID or display name, ignoring case and
// surrounding space.
func LookupStance(s string) (Stance, bool) {
	k := claimVocabKey(s)
	for _, st := range stances {
		if claimVocabKey(st.ID) == k || claimVocabKey(st.Name) == k {
			return st, true
		}
	}
	return Stance{}, false
}

func claimVocabKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("-", " ", "_", " ").Replace(s)
}

// MaxClaimTextLen is the length, in user-perceived characters (grapheme
// clusters), past which ClaimTextWarning warns about a normalized claim text:
// ClaimReview consumers show claimReviewed in a short line and ask for fewer
// than 75 characters.
const MaxClaimTextLen = 75

// ClaimTextWarning returns a warning when the normalized claim text is
// longer than MaxClaimTextLen characters, or "" when it is not (or c is nil).
// Long text is allowed: this is advice, not an error.
func ClaimTextWarning(c *Claim) string {
	if c == nil {
		return ""
	}
	return claimTextWarning("claim.text", c.Text)
}

func claimTextWarning(path, text string) string {
	n := uniseg.GraphemeClusterCount(text)
	if n <= MaxClaimTextLen {
		return ""
	}
	return fmt.Sprintf("%s: %d characters, more than the %d that ClaimReview readers show; shorten the restatement", path, n, MaxClaimTextLen)
}

// CheckClaim validates a claim record and returns the first problem as a
// *CheckError, or nil. A nil claim is valid (the annotation has no claim
// details). Empty fields are allowed: a claim is filled in over time. When
// set:
//   - Verdict is the ID of a verdict of Verdicts();
//   - Date and every Evidence[i].Accessed are calendar dates written
//     YYYY-MM-DD (ISO 8601);
//   - every Evidence[i].URL and ReviewURL are absolute http or https URLs
//     with a host (javascript:, data:, file: and the like are rejected); an
//     evidence item must have its URL;
//   - every Evidence[i].Stance is the ID of a stance of Stances();
//   - text fields are valid UTF-8 without control characters (line breaks
//     and tabs are allowed in Rationale and evidence quotes);
//   - Claimant.SpanID, when set, is a valid annotation id (whether that
//     annotation exists and is a person is for the state to check).
//
// Errors are lowercase and name the field: `claim.evidence[1].url: scheme
// "javascript" is not allowed (http or https only)`.
func CheckClaim(c *Claim) error {
	if errs := ClaimProblems(c); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// ClaimProblems returns every problem CheckClaim would report, in field
// order, so that a form can mark all bad fields at once.
func ClaimProblems(c *Claim) []*CheckError {
	if c == nil {
		return nil
	}
	var errs []*CheckError
	add := func(path, format string, args ...any) {
		errs = append(errs, &CheckError{Path: path, Reason: fmt.Sprintf(format, args...)})
	}
	if c.Verdict != "" {
		if _, ok := VerdictByID(c.Verdict); !ok {
			hint := ""
			if v, ok := LookupVerdict(c.Verdict); ok {
				hint = fmt.Sprintf(" (did you mean %q?)", v.ID)
			}
			add("claim.verdict", "unknown verdict %q%s; want one of %s", c.Verdict, hint, verdictIDList())
		}
	}
	if r := claimTextProblem(c.Text, false); r != "" {
		add("claim.text", "%s", r)
	}
	if r := claimTextProblem(c.Claimant.Name, false); r != "" {
		add("claim.claimant.name", "%s", r)
	}
	if c.Claimant.SpanID != "" {
		if r := checkID(c.Claimant.SpanID); r != "" {
			add("claim.claimant.spanId", "is not an annotation id: %s", r)
		}
	}
	if r := claimDateProblem(c.Date); r != "" {
		add("claim.date", "%s", r)
	}
	if r := claimTextProblem(c.Rationale, true); r != "" {
		add("claim.rationale", "%s", r)
	}
	for i, e := range c.Evidence {
		p := fmt.Sprintf("claim.evidence[%d]", i)
		if e.URL == "" {
			add(p+".url", "missing: an evidence item needs the http or https URL of its source")
		} else if r := claimURLProblem(e.URL); r != "" {
			add(p+".url", "%s", r)
		}
		if r := claimTextProblem(e.Quote, true); r != "" {
			add(p+".quote", "%s", r)
		}
		if e.Stance != "" {
			if _, ok := StanceByID(e.Stance); !ok {
				add(p+".stance", "unknown stance %q; want one of supports, refutes, context", e.Stance)
			}
		}
		if r := claimDateProblem(e.Accessed); r != "" {
			add(p+".accessed", "%s", r)
		}
	}
	if c.ReviewURL != "" {
		if r := claimURLProblem(c.ReviewURL); r != "" {
			add("claim.reviewUrl", "%s", r)
		}
	}
	return errs
}

func verdictIDList() string {
	ids := make([]string, len(verdicts))
	for i, v := range verdicts {
		ids[i] = v.ID
	}
	return strings.Join(ids, ", ")
}

// textProblem rejects invalid UTF-8 and control characters; multiline allows
// line feeds and tabs.
func claimTextProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "not valid utf-8"
	}
	for i, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return fmt.Sprintf("control character %U at byte %d is not allowed", r, i)
		}
	}
	return ""
}

// dateProblem checks an optional ISO 8601 calendar date, YYYY-MM-DD.
func claimDateProblem(s string) string {
	if s == "" {
		return ""
	}
	if _, err := ParseClaimDate(s); err != nil {
		return err.Error()
	}
	return ""
}

// ParseClaimDate parses a date as stored in claims: ISO 8601 YYYY-MM-DD, a
// real calendar day. The result is midnight UTC.
func ParseClaimDate(s string) (time.Time, error) {
	bad := fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, bad
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return time.Time{}, bad
		}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a calendar date", s)
	}
	return t, nil
}

// CheckURL reports whether s is an absolute http or https URL with a host, the
// only kind of link Factmark stores in claims (an evidence URL or review URL
// is rendered as a link, so javascript: and data: must never get in). The
// error reads, e.g., `scheme "javascript" is not allowed (http or https only)`.
func CheckURL(s string) error {
	if r := claimURLProblem(s); r != "" {
		return fmt.Errorf("%s", r)
	}
	return nil
}

func claimURLProblem(s string) string {
	for i, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Sprintf("%q contains a space or control character at byte %d", s, i)
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.IndexByte(s, ':'); i > 0 {
			if sch := strings.ToLower(s[:i]); sch != "http" && sch != "https" && claimValidScheme(sch) {
				return fmt.Sprintf("scheme %q is not allowed (http or https only)", sch)
			}
		}
		return fmt.Sprintf("%q is not a valid URL", s)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "":
		return fmt.Sprintf("%q is not an absolute URL (want http:// or https://)", s)
	case scheme != "http" && scheme != "https":
		return fmt.Sprintf("scheme %q is not allowed (http or https only)", scheme)
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return fmt.Sprintf("%q has no host", s)
	case u.User != nil:
		return fmt.Sprintf("%q carries a user name or password; leave them out", s)
	}
	return ""
}

func claimValidScheme(s string) bool {
	for i, r := range s {
		if !('a' <= r && r <= 'z' || i > 0 && ('0' <= r && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}
