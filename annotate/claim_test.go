package annotate

import (
	"strings"
	"testing"
)

func TestVerdictVocabulary(t *testing.T) {
	want := []Verdict{
		{"false", "False", "REFUTES", "Refuted", 1},
		{"mostly-false", "Mostly false", "REFUTES", "Refuted", 2},
		{"misleading", "Misleading", "REFUTES", "Conflicting Evidence/Cherrypicking", 2},
		{"mixed", "Mixed", "NOT ENOUGH INFO", "Conflicting Evidence/Cherrypicking", 3},
		{"unproven", "Unproven", "NOT ENOUGH INFO", "Not Enough Evidence", 3},
		{"mostly-true", "Mostly true", "SUPPORTS", "Supported", 4},
		{"true", "True", "SUPPORTS", "Supported", 5},
	}
	got := Verdicts()
	if len(got) != len(want) {
		t.Fatalf("Verdicts() has %d entries, want %d", len(got), len(want))
	}
	fever := map[string]bool{FEVERSupports: true, FEVERRefutes: true, FEVERNotEnoughInfo: true}
	averitec := map[string]bool{AVeriTeCSupported: true, AVeriTeCRefuted: true, AVeriTeCNotEnoughEvidence: true, AVeriTeCConflictingEvidence: true}
	for i, v := range got {
		if v != want[i] {
			t.Errorf("Verdicts()[%d] = %+v, want %+v", i, v, want[i])
		}
		if !fever[v.FEVER] || !averitec[v.AVeriTeC] || v.Rating < WorstRating || v.Rating > BestRating {
			t.Errorf("%s: mapping outside the vocabularies: %+v", v.ID, v)
		}
		if i > 0 && v.Rating < got[i-1].Rating {
			t.Errorf("%s: rating %d is below the previous verdict's %d (the list runs from false to true)", v.ID, v.Rating, got[i-1].Rating)
		}
		if b, ok := VerdictByID(v.ID); !ok || b != v {
			t.Errorf("VerdictByID(%q) = %+v, %v", v.ID, b, ok)
		}
	}
	got[0].Name = "changed"
	if Verdicts()[0].Name != "False" {
		t.Error("Verdicts returns the package's own slice")
	}
	if _, ok := VerdictByID("False"); ok {
		t.Error("VerdictByID matches a display name; stored claims use ids")
	}
}

func TestLookupVerdictAndStance(t *testing.T) {
	for in, want := range map[string]string{
		"false": "false", "False": "false", " MOSTLY FALSE ": "mostly-false", "mostly_true": "mostly-true",
		"Mostly-True": "mostly-true", "misleading": "misleading", "Unproven": "unproven",
	} {
		if v, ok := LookupVerdict(in); !ok || v.ID != want {
			t.Errorf("LookupVerdict(%q) = %q, %v; want %q", in, v.ID, ok, want)
		}
	}
	for _, in := range []string{"", "fals", "pants on fire", "REFUTES"} {
		if v, ok := LookupVerdict(in); ok {
			t.Errorf("LookupVerdict(%q) = %q, want no match", in, v.ID)
		}
	}
	if got := Stances(); len(got) != 3 || got[0].ID != "supports" || got[1].ID != "refutes" || got[2].ID != "context" {
		t.Errorf("Stances() = %+v", got)
	}
	if s, ok := LookupStance(" Refutes"); !ok || s.ID != StanceRefutes {
		t.Errorf("LookupStance(Refutes) = %+v, %v", s, ok)
	}
	if _, ok := StanceByID("Supports"); ok {
		t.Error("StanceByID matches a display name")
	}
}

func fullClaim() *Claim {
	yes := true
	return &Claim{
		Verdict:     "false",
		Text:        "U.S. military officials last visited Kyiv at this level in 2017.",
		Claimant:    Claimant{Name: "Colonel David Butler"},
		Date:        "2025-11-19",
		CheckWorthy: &yes,
		Rationale:   "Senior officials visited in 2023 and 2024.",
		Evidence: []Evidence{
			{URL: "https://www.defense.gov/News/Releases/", Quote: "Secretary visits Kyiv", Stance: "refutes", Accessed: "2025-11-20"},
			{URL: "http://example.org/context", Stance: "context"},
		},
		ReviewURL: "https://factcheck.example.org/reviews/kyiv-visit",
	}
}

func TestCheckClaim(t *testing.T) {
	if err := CheckClaim(nil); err != nil {
		t.Errorf("CheckClaim(nil) = %v", err)
	}
	if err := CheckClaim(&Claim{}); err != nil {
		t.Errorf("empty claim: %v", err)
	}
	if err := CheckClaim(fullClaim()); err != nil {
		t.Errorf("full claim: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(c *Claim)
		want string
	}{
		{"unknown verdict", func(c *Claim) { c.Verdict = "pants-on-fire" }, `claim.verdict: unknown verdict "pants-on-fire"; want one of false, mostly-false, misleading, mixed, unproven, mostly-true, true`},
		{"display name as verdict", func(c *Claim) { c.Verdict = "Mostly false" }, `claim.verdict: unknown verdict "Mostly false" (did you mean "mostly-false"?)`},
		{"javascript url", func(c *Claim) { c.Evidence[1].URL = "javascript:alert(1)" }, `claim.evidence[1].url: scheme "javascript" is not allowed (http or https only)`},
		{"javascript url upper case", func(c *Claim) { c.Evidence[0].URL = "JavaScript:alert(1)" }, `claim.evidence[0].url: scheme "javascript" is not allowed (http or https only)`},
		{"data url", func(c *Claim) { c.Evidence[0].URL = "data:text/html,<script>alert(1)</script>" }, `claim.evidence[0].url: scheme "data" is not allowed (http or https only)`},
		{"file url", func(c *Claim) { c.Evidence[0].URL = "file:///etc/passwd" }, `claim.evidence[0].url: scheme "file" is not allowed (http or https only)`},
		{"relative url", func(c *Claim) { c.Evidence[0].URL = "/news/1" }, `claim.evidence[0].url: "/news/1" is not an absolute URL (want http:// or https://)`},
		{"no host", func(c *Claim) { c.Evidence[0].URL = "https:///path" }, `claim.evidence[0].url: "https:///path" has no host`},
		{"opaque http", func(c *Claim) { c.Evidence[0].URL = "http:example.org" }, `claim.evidence[0].url: "http:example.org" has no host`},
		{"space in url", func(c *Claim) { c.Evidence[0].URL = "https://exa mple.org" }, `claim.evidence[0].url: "https://exa mple.org" contains a space or control character at byte 11`},
		{"credentials", func(c *Claim) { c.Evidence[0].URL = "https://user:pw@example.org/" }, `carries a user name or password`},
		{"missing url", func(c *Claim) { c.Evidence[1].URL = "" }, `claim.evidence[1].url: missing: an evidence item needs the http or https URL of its source`},
		{"unknown stance", func(c *Claim) { c.Evidence[0].Stance = "neutral" }, `claim.evidence[0].stance: unknown stance "neutral"; want one of supports, refutes, context`},
		{"bad accessed", func(c *Claim) { c.Evidence[0].Accessed = "20/11/2025" }, `claim.evidence[0].accessed: "20/11/2025" is not a date written YYYY-MM-DD`},
		{"bad date format", func(c *Claim) { c.Date = "2025-1-9" }, `claim.date: "2025-1-9" is not a date written YYYY-MM-DD`},
		{"date with time", func(c *Claim) { c.Date = "2025-11-19T10:00:00Z" }, `claim.date: "2025-11-19T10:00:00Z" is not a date written YYYY-MM-DD`},
		{"impossible date", func(c *Claim) { c.Date = "2025-02-30" }, `claim.date: "2025-02-30" is not a calendar date`},
		{"review url", func(c *Claim) { c.ReviewURL = "ftp://example.org/x" }, `claim.reviewUrl: scheme "ftp" is not allowed (http or https only)`},
		{"control character", func(c *Claim) { c.Text = "bell\a" }, `claim.text: control character U+0007 at byte 4 is not allowed`},
		{"newline in name", func(c *Claim) { c.Claimant.Name = "a\nb" }, `claim.claimant.name: control character U+000A at byte 1 is not allowed`},
		{"invalid utf-8", func(c *Claim) { c.Rationale = "\xff" }, `claim.rationale: not valid utf-8`},
		{"bad span id", func(c *Claim) { c.Claimant.SpanID = "a b" }, `claim.claimant.spanId: is not an annotation id: "a b" has a space, control or invisible character`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fullClaim()
			tc.edit(c)
			err := CheckClaim(c)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
			if ce, ok := err.(*CheckError); !ok || !strings.HasPrefix(ce.Path, "claim.") {
				t.Errorf("error is %T (%v), want a *CheckError with a claim.… path", err, err)
			}
			if msg := err.Error(); msg[:1] != strings.ToLower(msg[:1]) {
				t.Errorf("error %q does not start in lower case", msg)
			}
		})
	}
	// Multiline text is allowed where it is free text.
	c := fullClaim()
	c.Rationale = "first\n\tsecond"
	c.Evidence[0].Quote = "line one\nline two"
	if err := CheckClaim(c); err != nil {
		t.Errorf("multiline rationale and quote: %v", err)
	}
}

func TestClaimProblemsListsEveryField(t *testing.T) {
	c := fullClaim()
	c.Verdict = "nope"
	c.Date = "yesterday"
	c.Evidence[0].URL = "javascript:void(0)"
	c.Evidence[1].Stance = "maybe"
	var paths []string
	for _, e := range ClaimProblems(c) {
		paths = append(paths, e.Path)
	}
	want := "claim.verdict claim.date claim.evidence[0].url claim.evidence[1].stance"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("ClaimProblems paths = %s, want %s", got, want)
	}
}

func TestCheckURL(t *testing.T) {
	for _, ok := range []string{"http://a.example", "https://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG", "https://[::1]:8080/x", "https://例え.jp/パス"} {
		if err := CheckURL(ok); err != nil {
			t.Errorf("CheckURL(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "javascript:alert(1)", " https://example.org", "https://", "mailto:a@example.org", "//example.org/x", "example.org", "vbscript:x", "https://exa\x00mple.org"} {
		if err := CheckURL(bad); err == nil {
			t.Errorf("CheckURL(%q) = nil, want an error", bad)
		}
	}
}

func TestClaimTextWarning(t *testing.T) {
	if w := ClaimTextWarning(nil); w != "" {
		t.Errorf("nil claim: %q", w)
	}
	exact := strings.Repeat("a", MaxClaimTextLen)
	if w := ClaimTextWarning(&Claim{Text: exact}); w != "" {
		t.Errorf("75 characters: %q", w)
	}
	// 75 flags are 150 code points but 75 characters.
	flags := strings.Repeat("🇺🇦", MaxClaimTextLen)
	if w := ClaimTextWarning(&Claim{Text: flags}); w != "" {
		t.Errorf("75 flags: %q", w)
	}
	w := ClaimTextWarning(&Claim{Text: exact + "é"})
	if want := "claim.text: 76 characters, more than the 75 that ClaimReview readers show; shorten the restatement"; w != want {
		t.Errorf("76 characters: %q, want %q", w, want)
	}
}
