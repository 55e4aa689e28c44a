// Command mkicons draws Factmark's application icons: web/icon.svg and the PNG
// renderings web/icon-192.png, web/icon-512.png and web/icon-maskable-512.png.
//
// The icons are made in the project, from the shapes below, so that the app
// never fetches an icon from elsewhere. The motif is a page of text with one
// span marked, which is what Factmark does. Run it from the repository root
// after changing a shape or a colour, and commit its output:
//
//	go run ./tools/mkicons -out web
//
// The output is deterministic: the same shapes give the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// The design is drawn on a 512×512 canvas.
const canvas = 512

// Colours of the icon: the app's theme colour (ink), the paper colour of the
// text lines and the marker colour of the tagged span.
var (
	ink    = color.NRGBA{0x1d, 0x35, 0x57, 0xff}
	paper  = color.NRGBA{0xf1, 0xf4, 0xf8, 0xff}
	marker = color.NRGBA{0xff, 0xc8, 0x3d, 0xff}
)

// shape is a rounded rectangle in canvas units; every part of the icon is one.
type shape struct {
	x0, y0, x1, y1, r float64
	fill              color.NRGBA
}

// foreground returns the marks drawn on the background: three lines of text,
// the middle one starting with a span marked in the marker colour.
func foreground() []shape {
	return []shape{
		{104, 128, 408, 176, 24, paper},  // first line of text
		{104, 232, 300, 280, 24, marker}, // the marked span
		{324, 232, 408, 280, 24, paper},  // rest of the second line
		{104, 336, 340, 384, 24, paper},  // third line
	}
}

// design returns the shapes of an icon. A maskable icon fills the whole square
// and keeps its marks inside the central safe zone (a circle of 40% of the
// size), so the platform can crop it to any shape; the plain icon is a
// rounded square.
func design(maskable bool) []shape {
	if !maskable {
		return append([]shape{{0, 0, canvas, canvas, 96, ink}}, foreground()...)
	}
	const scale = 0.78 // keeps every mark within the safe zone
	shapes := []shape{{0, 0, canvas, canvas, 0, ink}}
	c := canvas / 2.0
	for _, s := range foreground() {
		shapes = append(shapes, shape{
			x0: c + (s.x0-c)*scale, y0: c + (s.y0-c)*scale,
			x1: c + (s.x1-c)*scale, y1: c + (s.y1-c)*scale,
			r: s.r * scale, fill: s.fill,
		})
	}
	return shapes
}

// inside reports whether the point (x, y) lies in the rounded rectangle s.
func (s shape) inside(x, y float64) bool {
	if x < s.x0 || x > s.x1 || y < s.y0 || y > s.y1 {
		return false
	}
	r := math.Min(s.r, math.Min(s.x1-s.x0, s.y1-s.y0)/2)
	cx := math.Max(s.x0+r, math.Min(x, s.x1-r))
	cy := math.Max(s.y0+r, math.Min(y, s.y1-r))
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

// render rasterises shapes at size×size pixels with 8×8 supersampling. The
// colours are blended in straight alpha, which is exact here because every
// shape is opaque.
func render(shapes []shape, size int) *image.NRGBA {
	const ss = 8
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	unit := float64(canvas) / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) * unit
					y := (float64(py) + (float64(sy)+0.5)/ss) * unit
					var c color.NRGBA
					for _, s := range shapes {
						if s.inside(x, y) {
							c = s.fill
						}
					}
					if c.A != 0 {
						r += float64(c.R)
						g += float64(c.G)
						b += float64(c.B)
						a++
					}
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)), G: uint8(math.Round(g / a)), B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a * 255 / (ss * ss))),
			})
		}
	}
	return img
}

// svg writes the plain icon as SVG.
func svg(shapes []shape) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n", canvas, canvas, canvas, canvas)
	b.WriteString("<title>Factmark</title>\n")
	for _, s := range shapes {
		fmt.Fprintf(&b, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" rx=\"%g\" fill=\"#%02x%02x%02x\"/>\n",
			s.x0, s.y0, s.x1-s.x0, s.y1-s.y0, s.r, s.fill.R, s.fill.G, s.fill.B)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// files returns every icon file by name.
func files() (map[string][]byte, error) {
	out := map[string][]byte{"icon.svg": svg(design(false))}
	for _, f := range []struct {
		name     string
		size     int
		maskable bool
	}{
		{"icon-192.png", 192, false},
		{"icon-512.png", 512, false},
		{"icon-maskable-512.png", 512, true},
	} {
		var b bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&b, render(design(f.maskable), f.size)); err != nil {
			return nil, fmt.Errorf("encode %s: %w", f.name, err)
		}
		out[f.name] = b.Bytes()
	}
	return out, nil
}

func main() {
	out := flag.String("out", "web", "directory to write the icons to")
	flag.Parse()
	icons, err := files()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkicons:", err)
		os.Exit(1)
	}
	for name, data := range icons {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mkicons:", err)
			os.Exit(1)
		}
	}
}
