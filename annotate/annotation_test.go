package annotate

import (
	"regexp"
	"testing"
)

func TestNewID(t *testing.T) {
	re := regexp.MustCompile(`^a-[0-9a-f]{16}$`)
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id := NewID()
		if !re.MatchString(id) {
			t.Fatalf("NewID() = %q, want a- and 16 hex digits", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		if r := checkID(id); r != "" {
			t.Fatalf("NewID() = %q is not a valid id: %s", id, r)
		}
		seen[id] = true
	}
}

func TestCheckID(t *testing.T) {
	for id, want := range map[string]string{
		"a-0123456789abcdef": "",
		"T12":                "",
		"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66": "",
		"https://example.com/anno/1":                    "",
		"":                                              "is empty",
		"a b":                                           `"a b" has a space, control or invisible character`,
		"a\u00a0b":                                      `"a\u00a0b" has a space, control or invisible character`,
		"a\tb":                                          `"a\tb" has a space, control or invisible character`,
		"a\xffb":                                        "is not valid utf-8",
	} {
		if got := checkID(id); got != want {
			t.Errorf("checkID(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestClaimCloneEqual(t *testing.T) {
	c := &Claim{Verdict: "false", Text: "t", Claimant: Claimant{SpanID: "a-1", Name: "n"}, Date: "2025-01-02",
		CheckWorthy: modelBool(true), Rationale: "r", Evidence: []Evidence{{URL: "https://x.example", Stance: "refutes"}}, ReviewURL: "https://r.example"}
	d := c.Clone()
	if !c.Equal(d) || !d.Equal(c) {
		t.Fatal("clone differs")
	}
	*d.CheckWorthy = false
	d.Evidence[0].URL = "https://y.example"
	if *c.CheckWorthy != true || c.Evidence[0].URL != "https://x.example" {
		t.Error("Clone shares memory")
	}
	if c.Equal(d) {
		t.Error("Equal ignores differences")
	}
	var nilClaim *Claim
	if nilClaim.Clone() != nil || !nilClaim.Equal(nil) || nilClaim.Equal(c) || c.Equal(nil) {
		t.Error("nil handling")
	}
	if !nilClaim.IsZero() || !(&Claim{}).IsZero() || c.IsZero() || (&Claim{Evidence: []Evidence{{}}}).IsZero() {
		t.Error("IsZero")
	}
	if (&Claim{CheckWorthy: modelBool(false)}).IsZero() {
		t.Error("IsZero ignores an answered check-worthiness")
	}
}

func TestAnnotationRange(t *testing.T) {
	a := Annotation{Start: 3, End: 9}
	if a.Range() != (Range{3, 9}) {
		t.Errorf("Range() = %v", a.Range())
	}
}
