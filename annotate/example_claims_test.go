package annotate_test

import (
	"fmt"
	"strings"
	"time"

	"factmark/annotate"
)

// claimExample is a small annotated document: a person span and a claim
// span with a verdict, claimant, rationale and one evidence link.
func claimExample() *annotate.State {
	doc, err := annotate.FromText([]byte("Müller said 🇺🇦 aid rose 12% in 2024."), annotate.TextOptions{
		ID: "doc-example", Source: "https://news.example.org/aid"})
	if err != nil {
		panic(err)
	}
	s := annotate.NewState(doc, annotate.DefaultSchema())
	at := time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
	_, err = s.Apply(annotate.Batch(
		annotate.Add(annotate.Annotation{ID: "a-person", Label: "person", Start: 0, End: 6, Created: at, Modified: at}),
		annotate.Add(annotate.Annotation{ID: "a-claim", Label: "claim", Start: 15, End: 35, Created: at, Modified: at,
			Claim: &annotate.Claim{
				Verdict:   "mostly-false",
				Claimant:  annotate.Claimant{SpanID: "a-person"},
				Date:      "2025-11-18",
				Rationale: "Aid rose 9%, not 12%.",
				Evidence:  []annotate.Evidence{{URL: "https://stats.example.org/aid-2024", Stance: "refutes", Accessed: "2025-11-19"}},
			}}),
	))
	if err != nil {
		panic(err)
	}
	return s
}

func ExampleVerdicts() {
	for _, v := range annotate.Verdicts() {
		fmt.Printf("%-12s %-12s %-15s %-34s %d\n", v.ID, v.Name, v.FEVER, v.AVeriTeC, v.Rating)
	}
	// Output:
	// false        False        REFUTES         Refuted                            1
	// mostly-false Mostly false REFUTES         Refuted                            2
	// misleading   Misleading   REFUTES         Conflicting Evidence/Cherrypicking 2
	// mixed        Mixed        NOT ENOUGH INFO Conflicting Evidence/Cherrypicking 3
	// unproven     Unproven     NOT ENOUGH INFO Not Enough Evidence                3
	// mostly-true  Mostly true  SUPPORTS        Supported                          4
	// true         True         SUPPORTS        Supported                          5
}

func ExampleLookupVerdict() {
	v, ok := annotate.LookupVerdict("Mostly False")
	fmt.Println(v.ID, ok)
	// Output: mostly-false true
}

func ExampleCheckClaim() {
	c := &annotate.Claim{
		Verdict:  "false",
		Date:     "2025-11-19",
		Evidence: []annotate.Evidence{{URL: "https://example.org/report"}, {URL: "javascript:alert(1)"}},
	}
	fmt.Println(annotate.CheckClaim(c))
	for _, e := range annotate.ClaimProblems(&annotate.Claim{Verdict: "pants-on-fire", Date: "19/11/2025"}) {
		fmt.Println(e.Path)
	}
	// Output:
	// claim.evidence[1].url: scheme "javascript" is not allowed (http or https only)
	// claim.verdict
	// claim.date
}

func ExampleClaimTextWarning() {
	c := &annotate.Claim{Text: strings.Repeat("very ", 15) + "long restatement"}
	fmt.Println(annotate.ClaimTextWarning(c))
	// Output: claim.text: 91 characters, more than the 75 that ClaimReview readers show; shorten the restatement
}

func ExampleEncodeW3C() {
	s := claimExample()
	data, err := annotate.EncodeW3C(s)
	if err != nil {
		panic(err)
	}
	// Print the claim's target: its selectors count code points.
	i := strings.Index(string(data), `"selector"`)
	i = strings.Index(string(data[i+1:]), `"selector"`) + i + 1
	j := strings.Index(string(data[i:]), "]")
	fmt.Println(string(data[i : i+j+1]))
	// Output:
	// "selector": [
	//             {
	//               "type": "TextQuoteSelector",
	//               "exact": "aid rose 12% in 2024",
	//               "prefix": "Müller said 🇺🇦 ",
	//               "suffix": "."
	//             },
	//             {
	//               "type": "TextPositionSelector",
	//               "start": 15,
	//               "end": 35
	//             }
	//           ]
}

// ExampleImportW3C reads an annotation as Hypothesis writes it: positions in
// UTF-16 code units, which only the quote can reveal.
func ExampleImportW3C() {
	s := claimExample()
	hypothesis := `{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
	  "id": "https://hypothes.is/a/Xyz", "motivation": "commenting",
	  "body": [{"type": "TextualBody", "value": "Source?"}, {"type": "TextualBody", "purpose": "tagging", "value": "Figure"}],
	  "target": {"source": "https://news.example.org/aid", "selector": [
	    {"type": "TextPositionSelector", "start": 26, "end": 29},
	    {"type": "TextQuoteSelector", "exact": "12%", "prefix": "aid rose ", "suffix": " in"}]}}`
	res, err := annotate.ImportW3C(s, []byte(hypothesis), annotate.W3COptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Annotations[0]
	fmt.Println(a.ID, a.Label, a.Start, a.End, a.Note)
	fmt.Println(res.Notices[0].Reason)
	if _, err := s.Apply(res.Edit()); err != nil { // one undoable step
		fmt.Println(err)
	}
	fmt.Println(s.Len())
	// Output:
	// https://hypothes.is/a/Xyz figure 24 27 Source?
	// 1 annotations counted TextPositionSelector offsets in UTF-16 code units (as Hypothesis and Recogito do); converted to code points after checking their quotes: $ (https://hypothes.is/a/Xyz) [26, 29) -> [24, 27)
	// 3
}

func ExampleEncodeClaimReview() {
	s := claimExample()
	data, warnings, err := annotate.EncodeClaimReview(s, annotate.ClaimReviewOptions{
		Author: annotate.ReviewAuthor{Type: "Organization", Name: "Example Fact Check", URL: "https://factcheck.example.org"},
		Date:   "2025-11-20",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(warnings))
	fmt.Print(string(data[:strings.Index(string(data), `  "author": {
    "@type": "Organization"`)]))
	// Output:
	// 0
	// {
	//   "@context": "https://schema.org",
	//   "@type": "ClaimReview",
	//   "url": "https://news.example.org/aid#factmark-a-claim",
	//   "claimReviewed": "aid rose 12% in 2024",
	//   "reviewRating": {
	//     "@type": "Rating",
	//     "ratingValue": 2,
	//     "bestRating": 5,
	//     "worstRating": 1,
	//     "alternateName": "Mostly false"
	//   },
	//   "itemReviewed": {
	//     "@type": "Claim",
	//     "author": {
	//       "@type": "Person",
	//       "name": "Müller"
	//     },
	//     "datePublished": "2025-11-18",
	//     "appearance": {
	//       "@type": "CreativeWork",
	//       "url": "https://news.example.org/aid",
	//       "headline": "Müller said 🇺🇦 aid rose 12% in 2024."
	//     }
	//   },
}

func ExampleClaimRecords() {
	s := claimExample()
	recs, err := annotate.ClaimRecords(s)
	if err != nil {
		panic(err)
	}
	r := recs[0]
	fmt.Println(r.Claim)
	fmt.Println(r.Offsets.CodePoints, r.Offsets.UTF16)
	fmt.Println(r.Claimant.Name, r.Verdict.FEVER, r.Verdict.AVeriTeC)
	// Output:
	// aid rose 12% in 2024
	// [15, 35) [17, 37)
	// Müller REFUTES Refuted
}
