package main

import (
	"strings"

	"factmark/annotate"
)

// Label colours reach the page as a stylesheet of one class per label
// (.lab-<id> sets --c and --cd), installed by the glue as a constructed
// stylesheet: the Content-Security-Policy forbids style attributes, and the
// schema, with its colours, comes with the document.

// labelClass is the CSS class of a label.
func labelClass(id string) string {
	var b strings.Builder
	b.WriteString("lab-")
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// isHexColor reports whether c is a CSS hex colour: "#" and 3, 4, 6 or 8
// hexadecimal digits, nothing else. (A hand-written check: a package-level
// regexp was compiled at every start of the app, before its first paint.)
func isHexColor(c string) bool {
	if len(c) < 1 || c[0] != '#' {
		return false
	}
	switch len(c) - 1 {
	case 3, 4, 6, 8:
	default:
		return false
	}
	for i := 1; i < len(c); i++ {
		switch b := c[i]; {
		case b >= '0' && b <= '9', b >= 'a' && b <= 'f', b >= 'A' && b <= 'F':
		default:
			return false
		}
	}
	return true
}

// safeColor returns c when it is a hex colour, else fallback: a schema read
// from a file must not be able to inject CSS.
func safeColor(c, fallback string) string {
	if isHexColor(c) {
		return c
	}
	return fallback
}

// labelCSS is the stylesheet of the schema's label colours.
func labelCSS(schema annotate.Schema) string {
	var b strings.Builder
	for _, l := range schema.Labels {
		light := safeColor(l.Color, "#767676")
		dark := safeColor(l.DarkColor, light)
		b.WriteString("." + labelClass(l.ID) + "{--c:" + light + ";--cd:" + dark + "}\n")
	}
	return b.String()
}
