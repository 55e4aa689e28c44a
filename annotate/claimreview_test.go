package annotate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// checkClaimReviewStructure checks one ClaimReview, read as plain JSON,
// against schema.org's definition and the fields its main consumer requires
// (claimReviewed, reviewRating.alternateName, url) or recommends.
func checkClaimReviewStructure(t *testing.T, r map[string]any) {
	t.Helper()
	str := func(v any) string { s, _ := v.(string); return s }
	obj := func(v any) map[string]any { o, _ := v.(map[string]any); return o }
	isDate := func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil }
	if r["@context"] != "https://schema.org" || r["@type"] != "ClaimReview" {
		t.Errorf("@context %v @type %v", r["@context"], r["@type"])
	}
	if str(r["claimReviewed"]) == "" {
		t.Error("claimReviewed is missing or empty")
	}
	u, err := url.Parse(str(r["url"]))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Errorf("url %v is not an http(s) URL", r["url"])
	}
	rating := obj(r["reviewRating"])
	if rating["@type"] != "Rating" || str(rating["alternateName"]) == "" {
		t.Errorf("reviewRating %v: want a Rating with alternateName", rating)
	}
	v, _ := rating["ratingValue"].(float64)
	best, _ := rating["bestRating"].(float64)
	worst, _ := rating["worstRating"].(float64)
	if best != 5 || worst != 1 || v < worst || v > best || v != float64(int(v)) {
		t.Errorf("reviewRating value %v on [%v, %v], want an integer on [1, 5]", rating["ratingValue"], worst, best)
	}
	item := obj(r["itemReviewed"])
	if item["@type"] != "Claim" || obj(item["appearance"])["@type"] != "CreativeWork" {
		t.Errorf("itemReviewed %v: want a Claim with a CreativeWork appearance", item)
	}
	if a := obj(item["author"]); a != nil && (a["@type"] != "Person" || str(a["name"]) == "") {
		t.Errorf("itemReviewed.author %v", a)
	}
	if d, ok := item["datePublished"]; ok && !isDate(str(d)) {
		t.Errorf("itemReviewed.datePublished %v", d)
	}
	if a := obj(r["author"]); (a["@type"] != "Organization" && a["@type"] != "Person") || str(a["name"]) == "" {
		t.Errorf("author %v", a)
	}
	if !isDate(str(r["datePublished"])) {
		t.Errorf("datePublished %v", r["datePublished"])
	}
}

func decodeReviews(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var list []map[string]any
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var one map[string]any
		if err := json.Unmarshal(data, &one); err != nil {
			t.Fatal(err)
		}
		return []map[string]any{one}
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	return list
}

func TestClaimReviewExport(t *testing.T) {
	s := seedClaimState(t, seedSource)
	data, warnings, err := EncodeClaimReview(s, ClaimReviewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("[")) || !bytes.HasSuffix(data, []byte("]\n")) {
		t.Errorf("two reviews are not a JSON array:\n%s", data)
	}
	reviews := decodeReviews(t, data)
	if len(reviews) != 2 {
		t.Fatalf("%d reviews, want 2 (the claims with a verdict)", len(reviews))
	}
	for _, r := range reviews {
		checkClaimReviewStructure(t, r)
	}
	if want := []string{
		"a-000000000000000a: claimReviewed: 76 characters, more than the 75 that ClaimReview readers show; shorten the restatement",
		"1 of 3 claims have no verdict and were left out",
	}; !cmp.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	var claimID, trueID string
	for _, a := range s.Annotations() {
		if a.Claim != nil && a.Claim.Verdict == "false" {
			claimID = a.ID
		}
		if a.Claim != nil && a.Claim.Verdict == "true" {
			trueID = a.ID
		}
	}
	full, _ := s.Annotation(claimID)
	want := fmt.Sprintf(`{
  "@context": "https://schema.org",
  "@type": "ClaimReview",
  "url": "https://factcheck.example.org/2025/kyiv-visit",
  "claimReviewed": "No U.S. military delegation this senior has visited Kyiv since January 2017.",
  "reviewRating": {
    "@type": "Rating",
    "ratingValue": 1,
    "bestRating": 5,
    "worstRating": 1,
    "alternateName": "False"
  },
  "itemReviewed": {
    "@type": "Claim",
    "author": {
      "@type": "Person",
      "name": "David Butler"
    },
    "datePublished": "2025-11-19",
    "appearance": {
      "@type": "CreativeWork",
      "url": "https://news.example.com/2025/11/us-delegation-kyiv",
      "headline": "Top U.S. Military Delegation Visits Kyiv to Explore Pathways for Ending the Ukraine Conflict"
    }
  },
  "author": {
    "@type": "Organization",
    "name": "Factmark user"
  },
  "datePublished": "2025-11-20",
  "reviewBody": "Defense Secretary Lloyd Austin visited Kyiv in April 2022 and November 2023.",
  "citation": [
    {
      "@type": "CreativeWork",
      "url": "https://www.defense.gov/News/News-Stories/Article/Article/3009394/",
      "text": "Austin, Blinken visit Kyiv",
      "factmark:stance": "refutes",
      "factmark:accessed": "2025-11-20"
    },
    {
      "@type": "CreativeWork",
      "url": "https://en.wikipedia.org/wiki/Daniel_P._Driscoll",
      "factmark:stance": "context"
    }
  ],
  "identifier": "%s",
  "factmark:span": {
    "start": %d,
    "end": %d,
    "unit": "codepoint",
    "exact": %q
  }
}`, claimID, full.Start, full.End, seedClaim)
	byID := map[string]map[string]any{}
	for _, r := range reviews {
		byID[r["identifier"].(string)] = r
	}
	if reviews[0]["identifier"] != trueID {
		t.Errorf("reviews are not in annotation (text) order")
	}
	got, _ := json.MarshalIndent(byID[claimID], "", "  ")
	var wantNorm any
	if err := json.Unmarshal([]byte(want), &wantNorm); err != nil {
		t.Fatal(err)
	}
	wantBytes, _ := json.MarshalIndent(wantNorm, "", "  ")
	if diff := cmp.Diff(string(wantBytes), string(got)); diff != "" {
		t.Errorf("first review (-want +got):\n%s", diff)
	}
	// The order of the keys in the file is as written above.
	if !strings.Contains(string(data), `"@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": `) {
		t.Errorf("key order: %s", data[:200])
	}
	// The other: no normalized text (the quote is reviewed), no review URL
	// (the document source with a fragment), a typed claimant.
	second := byID[trueID]
	if second["url"] != seedSource+"#factmark-"+trueID || second["claimReviewed"] != "Russia’s full-scale invasion of Ukraine began in early 2022" {
		t.Errorf("second review url %v claimReviewed %v", second["url"], second["claimReviewed"])
	}
	if r := second["reviewRating"].(map[string]any); r["ratingValue"] != 5.0 || r["alternateName"] != "True" {
		t.Errorf("second rating %v", r)
	}
	if a := second["itemReviewed"].(map[string]any)["author"].(map[string]any); a["name"] != "BBC" {
		t.Errorf("second claimant %v", a)
	}
}

func TestClaimReviewSingleAndOptions(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	r := spanOf(t, d, "aid rose 12% in Kyiv.", 0)
	long := strings.Repeat("A claim restated at far too great a length. ", 3)
	if _, err := s.Apply(Add(Annotation{ID: "a-1", Label: "claim", Start: r.Start, End: r.End, Created: testTime, Modified: testTime,
		Claim: &Claim{Verdict: "misleading", Text: long}})); err != nil {
		t.Fatal(err)
	}
	opts := ClaimReviewOptions{Author: ReviewAuthor{Type: "Person", Name: "Olena K.", URL: "https://olena.example.org"}, Date: "2025-12-01"}
	data, warnings, err := EncodeClaimReview(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("{")) {
		t.Fatalf("one review is not a single object:\n%s", data)
	}
	rev := decodeReviews(t, data)[0]
	checkClaimReviewStructure(t, rev)
	if a := rev["author"].(map[string]any); a["@type"] != "Person" || a["name"] != "Olena K." || a["url"] != "https://olena.example.org" {
		t.Errorf("author %v", a)
	}
	if rev["datePublished"] != "2025-12-01" {
		t.Errorf("datePublished %v", rev["datePublished"])
	}
	if r := rev["reviewRating"].(map[string]any); r["alternateName"] != "Misleading" || r["ratingValue"] != 2.0 {
		t.Errorf("rating %v", r)
	}
	if _, ok := rev["itemReviewed"].(map[string]any)["author"]; ok {
		t.Error("itemReviewed.author written without a claimant")
	}
	if want := []string{"a-1: claimReviewed: 132 characters, more than the 75 that ClaimReview readers show; shorten the restatement"}; !cmp.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}

	// A document without a web source: the url cannot be public.
	d2, err := FromText([]byte(d.Text), TextOptions{Source: "notes.txt"})
	if err != nil {
		t.Fatal(err)
	}
	s2 := NewState(d2, DefaultSchema())
	if _, err := s2.Apply(Add(Annotation{ID: "a-1", Label: "claim", Start: r.Start, End: r.End, Claim: &Claim{Verdict: "unproven"}})); err != nil {
		t.Fatal(err)
	}
	data, warnings, err = EncodeClaimReview(s2, ClaimReviewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantURL := "urn:factmark:" + d2.ID + ":" + d2.SHA256 + "#factmark-a-1"
	if rev := decodeReviews(t, data)[0]; rev["url"] != wantURL {
		t.Errorf("url %v, want %v", rev["url"], wantURL)
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "a-1: url: "+wantURL+" is not a public http(s) URL") {
		t.Errorf("warnings %q", warnings)
	}
	// With a review URL it is public again, but the appearance has no url.
	if _, err := s2.Apply(SetClaim("a-1", &Claim{Verdict: "unproven", ReviewURL: "https://example.org/r/1"})); err != nil {
		t.Fatal(err)
	}
	_, warnings, err = EncodeClaimReview(s2, ClaimReviewOptions{})
	if err != nil || len(warnings) != 1 || !strings.HasPrefix(warnings[0], "a-1: itemReviewed.appearance: the document has no http(s) source") {
		t.Errorf("warnings %q, %v", warnings, err)
	}
}

func TestClaimReviewErrors(t *testing.T) {
	d := emojiDoc(t)
	s := NewState(d, DefaultSchema())
	if _, _, err := EncodeClaimReview(s, ClaimReviewOptions{}); err == nil || err.Error() != "claimreview: the document has no claim spans to review" {
		t.Errorf("no claims: %v", err)
	}
	r := spanOf(t, d, "aid rose 12%", 0)
	if _, err := s.Apply(Add(Annotation{ID: "a-1", Label: "claim", Start: r.Start, End: r.End, Claim: &Claim{Text: "x"}})); err != nil {
		t.Fatal(err)
	}
	if _, _, err := EncodeClaimReview(s, ClaimReviewOptions{}); err == nil || err.Error() != "claimreview: none of the 1 claims has a verdict yet (set one in the claim panel)" {
		t.Errorf("no verdicts: %v", err)
	}
	if _, err := s.Apply(SetClaim("a-1", &Claim{Verdict: "true"})); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts ClaimReviewOptions
		want string
	}{
		{ClaimReviewOptions{Author: ReviewAuthor{Type: "Robot", Name: "x"}}, `claimreview: author type "Robot": want Organization or Person`},
		{ClaimReviewOptions{Author: ReviewAuthor{Name: "x", URL: "javascript:alert(1)"}}, `claimreview: author url: scheme "javascript" is not allowed (http or https only)`},
		{ClaimReviewOptions{Date: "01/12/2025"}, `claimreview: date: "01/12/2025" is not a date written YYYY-MM-DD`},
	} {
		if _, _, err := EncodeClaimReview(s, tc.opts); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %s", tc.opts, err, tc.want)
		}
	}
	if _, _, err := EncodeClaimReview(nil, ClaimReviewOptions{}); err == nil {
		t.Error("nil state: no error")
	}
}

func TestClaimantName(t *testing.T) {
	s := seedClaimState(t, seedSource)
	if got := ClaimantName(s, &Claim{Claimant: Claimant{SpanID: "a-0000000000000002"}}); got != "Dan Driscoll" {
		t.Errorf("from span: %q", got)
	}
	if got := ClaimantName(s, &Claim{Claimant: Claimant{SpanID: "a-0000000000000002", Name: "Secretary Driscoll"}}); got != "Secretary Driscoll" {
		t.Errorf("typed name wins: %q", got)
	}
	if got := ClaimantName(s, &Claim{Claimant: Claimant{SpanID: "a-gone"}}); got != "" {
		t.Errorf("missing span: %q", got)
	}
	if got := ClaimantName(s, nil); got != "" {
		t.Errorf("nil: %q", got)
	}
}
