package annotate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LabelKind says how a label is used: an entity names a short span (a
// person, a place, a figure), a claim marks a statement that can carry a
// fact-check record (Claim).
type LabelKind string

// Label kinds.
const (
	KindEntity LabelKind = "entity"
	KindClaim  LabelKind = "claim"
)

// Label is one tag a span can carry. Labels are data: a project can define
// its own in its Schema, and the native format stores them with the
// annotations.
type Label struct {
	ID        string    `json:"id"`        // stable identifier stored in annotations, e.g. "person"
	Name      string    `json:"name"`      // shown to people, e.g. "Person"
	Key       string    `json:"key"`       // keyboard shortcut: one character, or "" for none
	Color     string    `json:"color"`     // "#rrggbb" on a light background
	DarkColor string    `json:"darkColor"` // "#rrggbb" on a dark background
	Kind      LabelKind `json:"kind"`      // entity or claim
}

// Schema is the set of labels of a project, in display order.
type Schema struct {
	Labels []Label `json:"labels"`
}

// DefaultSchema returns Factmark's default labels: person (key 1), place (2),
// figure (3) and disputed claim (4).
//
// The colours derive from the Okabe–Ito palette (blue, bluish green, orange,
// vermillion/reddish purple), tuned so that every pair stays clearly apart
// (CIELAB ΔE of at least 25) for normal vision and under simulated protanopia,
// deuteranopia and tritanopia, and so that each has a contrast of at least
// 4.5:1 against the page: Color against the light page (#fbfaf7), DarkColor
// against the dark page (#17181b). TestDefaultSchemaColors checks both.
func DefaultSchema() Schema {
	return Schema{Labels: []Label{
		{ID: "person", Name: "Person", Key: "1", Color: "#0031c4", DarkColor: "#4977fe", Kind: KindEntity},
		{ID: "place", Name: "Place", Key: "2", Color: "#00836c", DarkColor: "#17e88f", Kind: KindEntity},
		{ID: "figure", Name: "Figure", Key: "3", Color: "#9e6800", DarkColor: "#f3c326", Kind: KindEntity},
		{ID: "claim", Name: "Disputed claim", Key: "4", Color: "#920024", DarkColor: "#dc4c9f", Kind: KindClaim},
	}}
}

// Label returns the label with the given id.
func (s Schema) Label(id string) (Label, bool) {
	for _, l := range s.Labels {
		if l.ID == id {
			return l, true
		}
	}
	return Label{}, false
}

// ByKey returns the label whose shortcut is key. The empty key matches no
// label.
func (s Schema) ByKey(key string) (Label, bool) {
	if key == "" {
		return Label{}, false
	}
	for _, l := range s.Labels {
		if l.Key == key {
			return l, true
		}
	}
	return Label{}, false
}

// Limits on label fields.
const (
	MaxLabelIDLen   = 64 // bytes
	MaxLabelNameLen = 64 // code points
)

// Check verifies the schema: at least one label; every id is 1 to 64 ASCII
// letters, digits, "-" or "_", starting with a letter, and unique; every name
// is non-empty printable text of at most 64 code points, unique ignoring case;
// every key is empty or a single printable, non-space character, unique;
// every colour is "#rrggbb"; every kind is entity or claim. The error is a
// *CheckError naming the field, e.g. "schema.labels[2].key".
func (s Schema) Check() error {
	bad := func(path, format string, args ...any) error {
		return &CheckError{Path: "schema." + path, Reason: fmt.Sprintf(format, args...)}
	}
	if len(s.Labels) == 0 {
		return bad("labels", "has no labels")
	}
	ids := map[string]int{}
	names := map[string]int{}
	keys := map[string]int{}
	for i, l := range s.Labels {
		p := fmt.Sprintf("labels[%d].", i)
		if err := checkLabelID(l.ID); err != nil {
			return bad(p+"id", "%v", err)
		}
		if j, ok := ids[l.ID]; ok {
			return bad(p+"id", "%q is already the id of labels[%d]", l.ID, j)
		}
		ids[l.ID] = i

		switch n := utf8.RuneCountInString(l.Name); {
		case strings.TrimSpace(l.Name) == "":
			return bad(p+"name", "is empty")
		case !utf8.ValidString(l.Name):
			return bad(p+"name", "is not valid utf-8")
		case n > MaxLabelNameLen:
			return bad(p+"name", "has %d characters, more than %d", n, MaxLabelNameLen)
		case strings.IndexFunc(l.Name, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0:
			return bad(p+"name", "%q has a control or invisible character", l.Name)
		}
		fold := strings.ToLower(l.Name)
		if j, ok := names[fold]; ok {
			return bad(p+"name", "%q is already the name of labels[%d]", l.Name, j)
		}
		names[fold] = i

		if l.Key != "" {
			r, size := utf8.DecodeRuneInString(l.Key)
			if size != len(l.Key) || r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
				return bad(p+"key", "%q is not a single printable character", l.Key)
			}
			if j, ok := keys[l.Key]; ok {
				return bad(p+"key", "%q is already the key of labels[%d]", l.Key, j)
			}
			keys[l.Key] = i
		}
		if !isHexColor(l.Color) {
			return bad(p+"color", "%q is not a colour of the form #rrggbb", l.Color)
		}
		if !isHexColor(l.DarkColor) {
			return bad(p+"darkColor", "%q is not a colour of the form #rrggbb", l.DarkColor)
		}
		switch l.Kind {
		case KindEntity, KindClaim:
		default:
			return bad(p+"kind", "unknown kind %q (want entity or claim)", string(l.Kind))
		}
	}
	return nil
}

// checkLabelID reports why id is not a valid label id.
func checkLabelID(id string) error {
	if id == "" {
		return fmt.Errorf("is empty")
	}
	if len(id) > MaxLabelIDLen {
		return fmt.Errorf("%q is longer than %d characters", id, MaxLabelIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if i == 0 && !letter {
			return fmt.Errorf("%q does not start with an ASCII letter", id)
		}
		if !letter && !('0' <= c && c <= '9') && c != '-' && c != '_' {
			return fmt.Errorf("%q may only have ASCII letters, digits, \"-\" and \"_\"", id)
		}
	}
	return nil
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for i := 1; i < 7; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
