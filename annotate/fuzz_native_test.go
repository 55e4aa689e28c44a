package annotate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzDecode checks that Decode never panics, that it accepts only valid
// JSON, that every state it accepts encodes, and that encoding is then
// stable: encode(decode(encode(x))) == encode(x). Seeds: the files under
// testdata/fuzz/FuzzDecode (valid documents with emoji, flags, combining
// marks and claims, and broken ones), rewritten by TestFuzzDecodeSeeds with
// -update-native.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Reason == "" {
				t.Fatalf("error %v (%T) is not a *DecodeError with a reason", err, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Decode accepted invalid JSON %q", data)
		}
		enc, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode of a decoded state: %v", err)
		}
		s2, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(x))): %v\n%s", err, enc)
		}
		enc2, err := Encode(s2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable (%v):\n%s", err, firstDiff(enc, enc2))
		}
		compact, err := encodeCompact(s)
		if err != nil {
			t.Fatal(err)
		}
		s3, err := Decode(compact)
		if err != nil {
			t.Fatalf("compact encoding does not decode: %v", err)
		}
		if enc3, _ := Encode(s3); !bytes.Equal(enc, enc3) {
			t.Fatal("compact and indented encodings decode differently")
		}
	})
}

// fuzzDecodeSeeds are the seed inputs of FuzzDecode.
func fuzzDecodeSeeds(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	model := modelState(t)
	seeds["model"] = mustEncode(t, model)
	compact, err := encodeCompact(model)
	if err != nil {
		t.Fatal(err)
	}
	seeds["model-compact"] = compact
	seeds["no-annotations"] = mustEncode(t, NewState(modelDoc(t, modelText), DefaultSchema()))

	few := func(file string, labels []string, needles ...string) *State {
		raw, err := os.ReadFile(filepath.Join("testdata", "unicode", file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := FromText(raw, TextOptions{Source: file})
		if err != nil {
			t.Fatal(err)
		}
		s := NewState(d, DefaultSchema())
		for i, n := range needles {
			r := nativeFind(t, d, n)[0]
			a := Annotation{ID: nativeID(i), Label: labels[i], Start: r.Start, End: r.End, Created: nativeTime(i), Modified: nativeTime(i)}
			if labels[i] == "claim" {
				a.Claim = &Claim{Verdict: "mixed", Claimant: Claimant{SpanID: nativeID(0)}}
			}
			if _, err := s.Apply(Add(a)); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	seeds["emoji"] = mustEncode(t, few("emoji.txt", []string{"person", "place", "figure", "claim"},
		"The technologist 👩🏽‍💻", "🇺🇦", "👨‍👩‍👧‍👦", "The technologist 👩🏽‍💻 said “ok 👌” at 12:00."))
	seeds["nfd"] = mustEncode(t, few("nfd.txt", []string{"person", "place", "figure"}, "Zoë", "Orléans", "x̧̂́"))

	base := string(seeds["model"])
	for name, m := range map[string][2]string{
		"bad-end-in-flag":   {`"end": 14`, `"end": 13`},
		"bad-surrogate":     {`"note": ""`, `"note": "\ud800"`},
		"bad-duplicate-key": {`"note": "",`, `"note": "", "note": "",`},
		"bad-unknown-field": {`"note": "",`, `"note": "", "x": [1, {"y": null}],`},
		"bad-claim-type":    {`"checkWorthy": true`, `"checkWorthy": [true]`},
		"bad-utf16":         {`"utf16": [26, 29]`, `"utf16": [26, 28]`},
		"bad-sha256":        {`"sha256": "f`, `"sha256": "e`},
	} {
		seeds[name] = []byte(strings.Replace(base, m[0], m[1], 1))
	}
	seeds["bad-truncated"] = []byte(base[:len(base)/2])
	seeds["bad-empty"] = []byte{}
	return seeds
}

// TestFuzzDecodeSeeds keeps the committed seed corpus of FuzzDecode in step
// with the format (rewrite with -update-native).
func TestFuzzDecodeSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	for name, data := range fuzzDecodeSeeds(t) {
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(data)))
		path := filepath.Join(dir, name)
		if *updateNative {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or out of date (run go test -run TestFuzzDecodeSeeds -update-native): %v", path, err)
		}
		_, err = Decode(data)
		if strings.HasPrefix(name, "bad-") != (err != nil) {
			t.Errorf("seed %s: Decode error %v", name, err)
		}
	}
}
