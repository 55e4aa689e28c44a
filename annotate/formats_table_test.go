package annotate

import (
	"strings"
	"testing"
)

// TestBuiltinCodecsTable: the table of descriptions the browser's UI uses
// agrees with the registered codecs, in the same order.
func TestBuiltinCodecsTable(t *testing.T) {
	table := BuiltinCodecs()
	reg := Codecs()
	if len(table) != len(reg) {
		t.Fatalf("%d built-in descriptions, %d registered codecs", len(table), len(reg))
	}
	for i, c := range reg {
		got, want := table[i], c.Info()
		if got.ID != want.ID || got.Name != want.Name || strings.Join(got.Extensions, " ") != strings.Join(want.Extensions, " ") ||
			got.MediaType != want.MediaType || got.Unit != want.Unit || got.Offsets != want.Offsets ||
			got.Limits != want.Limits || got.PerDocument != want.PerDocument ||
			got.Imports != want.Imports || got.Exports != want.Exports {
			t.Errorf("description %d %+v, registered %+v", i, got, want)
		}
		if b, ok := BuiltinCodec(c.ID); !ok || b.ID != c.ID {
			t.Errorf("BuiltinCodec(%q) = %+v, %v", c.ID, b, ok)
		}
	}
	if _, ok := BuiltinCodec("nope"); ok {
		t.Error("BuiltinCodec found a codec that does not exist")
	}
}
