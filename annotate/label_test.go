package annotate

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestDefaultSchema(t *testing.T) {
	s := DefaultSchema()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, name, key string
		kind          LabelKind
	}{
		{"person", "Person", "1", KindEntity},
		{"place", "Place", "2", KindEntity},
		{"figure", "Figure", "3", KindEntity},
		{"claim", "Disputed claim", "4", KindClaim},
	}
	if len(s.Labels) != len(want) {
		t.Fatalf("%d labels, want %d", len(s.Labels), len(want))
	}
	for i, w := range want {
		l := s.Labels[i]
		if l.ID != w.id || l.Name != w.name || l.Key != w.key || l.Kind != w.kind {
			t.Errorf("labels[%d] = %+v, want %+v", i, l, w)
		}
		if got, ok := s.Label(w.id); !ok || got != l {
			t.Errorf("Label(%q) = %+v, %v", w.id, got, ok)
		}
		if got, ok := s.ByKey(w.key); !ok || got != l {
			t.Errorf("ByKey(%q) = %+v, %v", w.key, got, ok)
		}
	}
	for _, k := range []string{"", "5", "a"} {
		if l, ok := s.ByKey(k); ok {
			t.Errorf("ByKey(%q) = %+v", k, l)
		}
	}
	if _, ok := s.Label("Person"); ok {
		t.Error(`Label("Person") matched: ids are case-sensitive`)
	}
	// Callers get their own copy.
	s.Labels[0].Name = "changed"
	if DefaultSchema().Labels[0].Name != "Person" {
		t.Error("DefaultSchema shares its slice")
	}
}

// Colour science for TestDefaultSchemaColors: sRGB to linear light, WCAG
// contrast, CIELAB (D65) and the colour-vision-deficiency simulation matrices
// of Machado, Oliveira and Fernandes (2009) at full severity.

func srgbLinear(hex string) [3]float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		x := float64(v) / 255
		if x <= 0.04045 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return c
}

func relLuminance(c [3]float64) float64 { return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2] }

func wcagContrast(a, b string) float64 {
	la, lb := relLuminance(srgbLinear(a)), relLuminance(srgbLinear(b))
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

var cvdMatrices = map[string][3][3]float64{
	"normal":       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
}

func simulateLab(hex string, m [3][3]float64) [3]float64 {
	c := srgbLinear(hex)
	var s [3]float64
	for i := range s {
		s[i] = math.Min(1, math.Max(0, m[i][0]*c[0]+m[i][1]*c[1]+m[i][2]*c[2]))
	}
	x := (0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]) / 0.95047
	y := 0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2]
	z := (0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// TestDefaultSchemaColors checks that the default label colours stay apart
// for people with the common colour-vision deficiencies and are legible on
// the app's light and dark backgrounds (web/app.css: --paper and --raise).
func TestDefaultSchemaColors(t *testing.T) {
	labels := DefaultSchema().Labels
	for _, mode := range []struct {
		name        string
		color       func(Label) string
		page, raise string
	}{
		{"light", func(l Label) string { return l.Color }, "#fbfaf7", "#ffffff"},
		{"dark", func(l Label) string { return l.DarkColor }, "#17181b", "#24262b"},
	} {
		for _, l := range labels {
			c := mode.color(l)
			if r := wcagContrast(c, mode.page); r < 4.5 {
				t.Errorf("%s %s %s: contrast %.2f against the page %s, want at least 4.5", mode.name, l.ID, c, r, mode.page)
			}
			if r := wcagContrast(c, mode.raise); r < 3 {
				t.Errorf("%s %s %s: contrast %.2f against panels %s, want at least 3", mode.name, l.ID, c, r, mode.raise)
			}
		}
		for vision, m := range cvdMatrices {
			for i := range labels {
				for j := i + 1; j < len(labels); j++ {
					a, b := simulateLab(mode.color(labels[i]), m), simulateLab(mode.color(labels[j]), m)
					d := math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
					if d < 25 {
						t.Errorf("%s, %s: %s and %s are only ΔE %.1f apart, want at least 25", mode.name, vision, labels[i].ID, labels[j].ID, d)
					}
				}
			}
		}
	}
}

func TestSchemaCheck(t *testing.T) {
	mod := func(f func(*Schema)) Schema {
		s := DefaultSchema()
		f(&s)
		return s
	}
	for _, tc := range []struct {
		name string
		s    Schema
		want string
	}{
		{"empty", Schema{}, "schema.labels: has no labels"},
		{"empty id", mod(func(s *Schema) { s.Labels[1].ID = "" }), "schema.labels[1].id: is empty"},
		{"id digit first", mod(func(s *Schema) { s.Labels[1].ID = "1place" }), `schema.labels[1].id: "1place" does not start with an ASCII letter`},
		{"id space", mod(func(s *Schema) { s.Labels[1].ID = "a place" }), `schema.labels[1].id: "a place" may only have ASCII letters, digits, "-" and "_"`},
		{"id long", mod(func(s *Schema) { s.Labels[1].ID = strings.Repeat("p", 65) }), `schema.labels[1].id: "` + strings.Repeat("p", 65) + `" is longer than 64 characters`},
		{"id taken", mod(func(s *Schema) { s.Labels[2].ID = "person" }), `schema.labels[2].id: "person" is already the id of labels[0]`},
		{"name empty", mod(func(s *Schema) { s.Labels[0].Name = " " }), "schema.labels[0].name: is empty"},
		{"name control", mod(func(s *Schema) { s.Labels[0].Name = "Per\u200bson" }), `schema.labels[0].name: "Per\u200bson" has a control or invisible character`},
		{"name long", mod(func(s *Schema) { s.Labels[0].Name = strings.Repeat("é", 65) }), "schema.labels[0].name: has 65 characters, more than 64"},
		{"name taken", mod(func(s *Schema) { s.Labels[1].Name = "PERSON" }), `schema.labels[1].name: "PERSON" is already the name of labels[0]`},
		{"key two", mod(func(s *Schema) { s.Labels[0].Key = "12" }), `schema.labels[0].key: "12" is not a single printable character`},
		{"key space", mod(func(s *Schema) { s.Labels[0].Key = " " }), `schema.labels[0].key: " " is not a single printable character`},
		{"key taken", mod(func(s *Schema) { s.Labels[3].Key = "1" }), `schema.labels[3].key: "1" is already the key of labels[0]`},
		{"colour", mod(func(s *Schema) { s.Labels[0].Color = "blue" }), `schema.labels[0].color: "blue" is not a colour of the form #rrggbb`},
		{"dark colour", mod(func(s *Schema) { s.Labels[0].DarkColor = "#12345g" }), `schema.labels[0].darkColor: "#12345g" is not a colour of the form #rrggbb`},
		{"kind", mod(func(s *Schema) { s.Labels[0].Kind = "relation" }), `schema.labels[0].kind: unknown kind "relation" (want entity or claim)`},
		{"fine: no keys, astral key", mod(func(s *Schema) { s.Labels[0].Key = ""; s.Labels[1].Key = ""; s.Labels[2].Key = "𝔸" }), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Check()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *CheckError", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("got  %s\nwant %s", err, tc.want)
			}
		})
	}
}
