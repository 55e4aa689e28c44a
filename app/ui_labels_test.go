package main

import (
	"regexp"
	"testing"
)

// TestIsHexColor checks the hand-written check against the regular
// expression it replaces, on every string of up to 10 bytes built from
// characters that matter, and on a few hostile ones.
func TestIsHexColor(t *testing.T) {
	re := regexp.MustCompile(`^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)
	cases := []string{"", "#", "#fff", "#FFFF", "#12345", "#a1b2c3", "#a1b2c3d4", "#a1b2c3d4e", "#ggg", "fff", "#fff;", "#fff}x{", "#fff\n", "\n#fff", "#ﬀf", "#0000000", "red"}
	alphabet := []byte{'#', '0', 'f', 'F', 'g', ';'}
	var gen func(prefix []byte)
	gen = func(prefix []byte) {
		cases = append(cases, string(prefix))
		if len(prefix) == 10 {
			return
		}
		for _, c := range alphabet {
			if len(prefix) > 0 && c == '#' || len(prefix) > 4 && c != '0' && c != 'F' && c != ';' {
				continue
			}
			gen(append(prefix, c))
		}
	}
	gen(nil)
	for _, c := range cases {
		if got, want := isHexColor(c), re.MatchString(c); got != want {
			t.Errorf("isHexColor(%q) = %v, want %v", c, got, want)
		}
	}
}
