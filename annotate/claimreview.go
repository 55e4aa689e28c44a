package annotate

import (
	"fmt"
	"strings"
	"time"
)

// schema.org ClaimReview export (https://schema.org/ClaimReview), the
// JSON-LD that search engines and fact-check aggregators read.

// ReviewAuthor is the person or organisation that publishes the reviews: the
// ClaimReview's author.
type ReviewAuthor struct {
	Type string // "Organization" or "Person"
	Name string
	URL  string // optional http(s) URL of the organisation or person
}

// DefaultReviewAuthor is the author written when ClaimReviewOptions.Author
// has no name. Set your own organisation before publishing.
var DefaultReviewAuthor = ReviewAuthor{Type: "Organization", Name: "Factmark user"}

// ClaimReviewOptions are the settings of EncodeClaimReview.
type ClaimReviewOptions struct {
	Author ReviewAuthor // zero: DefaultReviewAuthor
	// Date is the review's datePublished, YYYY-MM-DD. Empty: the day (UTC)
	// each claim annotation was last modified.
	Date string
}

type claimReview struct {
	Context       string           `json:"@context"`
	Type          string           `json:"@type"`
	URL           string           `json:"url"`
	ClaimReviewed string           `json:"claimReviewed"`
	ReviewRating  rating           `json:"reviewRating"`
	ItemReviewed  reviewedClaim    `json:"itemReviewed"`
	Author        schemaAgent      `json:"author"`
	DatePublished string           `json:"datePublished,omitempty"`
	ReviewBody    string           `json:"reviewBody,omitempty"`
	Citation      []schemaWork     `json:"citation,omitempty"`
	Identifier    string           `json:"identifier"`
	Span          *schemaTextQuote `json:"factmark:span,omitempty"`
}

type rating struct {
	Type          string `json:"@type"`
	RatingValue   int    `json:"ratingValue"`
	BestRating    int    `json:"bestRating"`
	WorstRating   int    `json:"worstRating"`
	AlternateName string `json:"alternateName"`
}

type reviewedClaim struct {
	Type          string       `json:"@type"`
	Author        *schemaAgent `json:"author,omitempty"`
	DatePublished string       `json:"datePublished,omitempty"`
	Appearance    schemaWork   `json:"appearance"`
}

type schemaAgent struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type schemaWork struct {
	Type     string `json:"@type"`
	URL      string `json:"url,omitempty"`
	Headline string `json:"headline,omitempty"`
	Text     string `json:"text,omitempty"`
	Stance   string `json:"factmark:stance,omitempty"`
	Accessed string `json:"factmark:accessed,omitempty"`
}

type schemaTextQuote struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Unit  Unit   `json:"unit"`
	Exact string `json:"exact"`
}

// ClaimReviewURL returns the url of the ClaimReview of claim annotation a:
// its ReviewURL when set, else the document's source with the fragment
// "#factmark-<annotation id>". The second result is false when that is not
// a public http(s) URL (the document has no web source).
func ClaimReviewURL(d *Document, a Annotation) (string, bool) {
	if a.Claim != nil && a.Claim.ReviewURL != "" {
		return a.Claim.ReviewURL, claimIsWebURL(a.Claim.ReviewURL)
	}
	base := DocumentIRI(d)
	if i := strings.IndexByte(base, '#'); i >= 0 {
		base = base[:i]
	}
	return base + "#factmark-" + a.ID, claimIsWebURL(d.Source)
}

// ClaimantName returns the claimant's name of claim c: the typed name, else
// the text of the claimant's person span in s, else "".
func ClaimantName(s *State, c *Claim) string {
	if c == nil {
		return ""
	}
	if c.Claimant.Name != "" {
		return c.Claimant.Name
	}
	if c.Claimant.SpanID != "" && s != nil && s.Doc != nil {
		if a, ok := s.Annotation(c.Claimant.SpanID); ok {
			return s.Doc.Index().Slice(a.Range())
		}
	}
	return ""
}

// EncodeClaimReview exports one schema.org ClaimReview per claim annotation
// that has a verdict, in annotation order: a JSON array, or a single object
// when there is exactly one (indented, ending in a newline).
//
// Each review has "@context": "https://schema.org", "@type": "ClaimReview",
// url (ClaimReviewURL), claimReviewed (the normalized claim text, else the
// quoted span), reviewRating (Rating with ratingValue 1–5 from the verdict,
// bestRating 5, worstRating 1, alternateName the verdict's display name),
// itemReviewed (a Claim with author — the claimant as a Person — its
// datePublished, and its appearance: the document as a CreativeWork with its
// URL and headline), author (opts.Author), datePublished, reviewBody (the
// rationale), citation (the evidence items as CreativeWorks with url, quoted
// text and, as factmark: extensions, stance and date accessed), identifier
// (the annotation id) and "factmark:span" (the span's code-point range and
// exact text).
//
// Warnings (not errors) name the annotation and field: claimReviewed longer
// than MaxClaimTextLen characters, and a url or appearance that is not a
// public http(s) URL because the document has no web source and the claim no
// review URL. It is an error when no claim has a verdict, or when the options
// are invalid.
func EncodeClaimReview(s *State, opts ClaimReviewOptions) (data []byte, warnings []string, err error) {
	if s == nil || s.Doc == nil {
		return nil, nil, fmt.Errorf("claimreview: no document to export")
	}
	author, err := opts.author()
	if err != nil {
		return nil, nil, err
	}
	rs, err := claimReviewsOf(s, author, opts.Date)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case rs.claims == 0:
		return nil, nil, fmt.Errorf("claimreview: the document has no claim spans to review")
	case len(rs.reviews) == 0:
		return nil, nil, fmt.Errorf("claimreview: none of the %d claims has a verdict yet (set one in the claim panel)", rs.claims)
	}
	data, err = claimReviewJSON(rs.reviews)
	return data, rs.warnings, err
}

// claimReviewJSON writes reviews as a JSON array, or one object when there
// is exactly one.
func claimReviewJSON(reviews []claimReview) ([]byte, error) {
	var v any = reviews
	if len(reviews) == 1 {
		v = reviews[0]
	}
	return claimJSONIndent(v)
}

// author validates the options and returns the author to write.
func (opts ClaimReviewOptions) author() (ReviewAuthor, error) {
	author := opts.Author
	if strings.TrimSpace(author.Name) == "" {
		author = DefaultReviewAuthor
	}
	switch author.Type {
	case "":
		author.Type = "Organization"
	case "Organization", "Person":
	default:
		return author, fmt.Errorf("claimreview: author type %q: want Organization or Person", author.Type)
	}
	if author.URL != "" {
		if r := claimURLProblem(author.URL); r != "" {
			return author, fmt.Errorf("claimreview: author url: %s", r)
		}
	}
	if opts.Date != "" {
		if r := claimDateProblem(opts.Date); r != "" {
			return author, fmt.Errorf("claimreview: date: %s", r)
		}
	}
	return author, nil
}

// claimReviews is what one document gives a ClaimReview export.
type claimReviews struct {
	reviews   []claimReview
	warnings  []string
	claims    int // claim spans
	noVerdict int // claim spans without a verdict (left out)
	entities  int // spans of entity labels (left out)
	notes     int // notes on claims with a verdict (left out)
}

// claimReviewsOf builds the reviews of the claims of s that have a verdict.
func claimReviewsOf(s *State, author ReviewAuthor, date string) (*claimReviews, error) {
	d := s.Doc
	ix := d.Index()
	rs := &claimReviews{}
	for _, a := range s.Annotations() {
		if l, ok := s.Schema.Label(a.Label); !ok || l.Kind != KindClaim {
			rs.entities++
			continue
		}
		rs.claims++
		c := a.Claim
		if c == nil || c.Verdict == "" {
			rs.noVerdict++
			continue
		}
		v, ok := VerdictByID(c.Verdict)
		if !ok {
			return nil, fmt.Errorf("claimreview: annotation %s: claim.verdict: unknown verdict %q", a.ID, c.Verdict)
		}
		if a.Note != "" {
			rs.notes++
		}
		quote := ix.Slice(a.Range())
		reviewed := c.Text
		if reviewed == "" {
			reviewed = quote
		}
		if w := claimTextWarning("claimReviewed", reviewed); w != "" {
			rs.warnings = append(rs.warnings, a.ID+": "+w)
		}
		u, public := ClaimReviewURL(d, a)
		if !public {
			rs.warnings = append(rs.warnings, fmt.Sprintf("%s: url: %s is not a public http(s) URL (the document has no web source and the claim no review URL); set the claim's review URL before publishing", a.ID, u))
		}
		published := date
		if published == "" {
			t := a.Modified
			if t.IsZero() {
				t = a.Created
			}
			if !t.IsZero() {
				published = t.UTC().Format(time.DateOnly)
			}
		}
		r := claimReview{
			Context:       "https://schema.org",
			Type:          "ClaimReview",
			URL:           u,
			ClaimReviewed: reviewed,
			ReviewRating: rating{Type: "Rating", RatingValue: v.Rating, BestRating: BestRating,
				WorstRating: WorstRating, AlternateName: v.Name},
			ItemReviewed: reviewedClaim{Type: "Claim", DatePublished: c.Date,
				Appearance: schemaWork{Type: "CreativeWork", Headline: d.Title}},
			Author:        schemaAgent{Type: author.Type, Name: author.Name, URL: author.URL},
			DatePublished: published,
			ReviewBody:    c.Rationale,
			Identifier:    a.ID,
			Span:          &schemaTextQuote{Start: a.Start, End: a.End, Unit: CodePoints, Exact: quote},
		}
		if claimIsWebURL(d.Source) {
			r.ItemReviewed.Appearance.URL = d.Source
		} else if public {
			rs.warnings = append(rs.warnings, fmt.Sprintf("%s: itemReviewed.appearance: the document has no http(s) source, so the claim's appearance has no url", a.ID))
		}
		if name := ClaimantName(s, c); name != "" {
			r.ItemReviewed.Author = &schemaAgent{Type: "Person", Name: name}
		}
		for _, e := range c.Evidence {
			r.Citation = append(r.Citation, schemaWork{Type: "CreativeWork", URL: e.URL, Text: e.Quote, Stance: e.Stance, Accessed: e.Accessed})
		}
		rs.reviews = append(rs.reviews, r)
	}
	if rs.noVerdict > 0 && len(rs.reviews) > 0 {
		rs.warnings = append(rs.warnings, fmt.Sprintf("%d of %d claims have no verdict and were left out", rs.noVerdict, rs.claims))
	}
	return rs, nil
}

// claimReviewEncoder collects the reviews of every document into one file.
// The review author is DefaultReviewAuthor.
type claimReviewEncoder struct {
	sink    FileSink
	name    string
	reviews []claimReview
	claims  int
	closed  bool
}

func (e *claimReviewEncoder) Encode(s *State) error {
	if e.closed {
		return fmt.Errorf("encode after close")
	}
	if s == nil || s.Doc == nil {
		return fmt.Errorf("claimreview: no document to export")
	}
	author, err := ClaimReviewOptions{}.author()
	if err != nil {
		return err
	}
	rs, err := claimReviewsOf(s, author, "")
	if err != nil {
		return err
	}
	e.reviews = append(e.reviews, rs.reviews...)
	e.claims += rs.claims
	return nil
}

func (e *claimReviewEncoder) Close() error {
	if e.closed {
		return nil
	}
	e.closed = true
	switch {
	case e.claims == 0:
		return fmt.Errorf("claimreview: there are no claim spans to review")
	case len(e.reviews) == 0:
		return fmt.Errorf("claimreview: none of the %d claims has a verdict yet (set one in the claim panel)", e.claims)
	}
	data, err := claimReviewJSON(e.reviews)
	if err != nil {
		return err
	}
	w, err := e.sink.Create(e.name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// claimReviewLosses says what a ClaimReview export of s leaves out or should
// be fixed before publishing.
func claimReviewLosses(s *State) []string {
	if s == nil || s.Doc == nil {
		return nil
	}
	author, _ := ClaimReviewOptions{}.author()
	rs, err := claimReviewsOf(s, author, "")
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	if rs.claims == 0 {
		out = append(out, "there are no claim spans: nothing to review")
	} else if len(rs.reviews) == 0 {
		out = append(out, fmt.Sprintf("none of the %d claims has a verdict: nothing to review", rs.claims))
	}
	out = append(out, rs.warnings...)
	if rs.entities > 0 {
		out = append(out, fmt.Sprintf("%s of entity labels left out (a reviewed claim names its claimant)", claimPlural(rs.entities, "span")))
	}
	if rs.notes > 0 {
		out = append(out, fmt.Sprintf("%s on reviewed claims left out", claimPlural(rs.notes, "note")))
	}
	return out
}

func claimPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
