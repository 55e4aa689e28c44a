package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedIconsAreCurrent fails when web/ holds icons that this
// generator would not draw today: after changing a shape, run
// `go run ./tools/mkicons -out web` and commit the result.
func TestCommittedIconsAreCurrent(t *testing.T) {
	want, err := files()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join("..", "..", "web", name))
		if err != nil {
			t.Fatalf("read committed icon: %v", err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("web/%s differs from the generator's output: run go run ./tools/mkicons -out web", name)
		}
	}
}

// TestIconSizes checks the sizes the web app manifest announces.
func TestIconSizes(t *testing.T) {
	icons, err := files()
	if err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"icon-192.png": 192, "icon-512.png": 512, "icon-maskable-512.png": 512} {
		img, err := png.Decode(bytes.NewReader(icons[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("%s is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), size, size)
		}
	}
	// A maskable icon is opaque to its edges; the plain one has rounded,
	// transparent corners.
	for name, opaque := range map[string]bool{"icon-maskable-512.png": true, "icon-512.png": false} {
		img, _ := png.Decode(bytes.NewReader(icons[name]))
		if _, _, _, a := img.At(0, 0).RGBA(); (a == 0xffff) != opaque {
			t.Errorf("%s: corner alpha %#x, want opaque=%v", name, a, opaque)
		}
	}
}
