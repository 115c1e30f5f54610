package report

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // frames may be PNG (--frame-format png)
)

// Thumbnails is a block of image strips: one labelled row of small inline images each,
// e.g. a video's sampled frames.
type Thumbnails struct {
	Caption string
	Strips  []ThumbStrip
}

// ThumbStrip is one labelled row of images, each a data: URI (Thumbnail).
type ThumbStrip struct {
	Label  string
	Images []string
}

// thumbsView is Thumbnails ready to draw; the URIs are typed so that the template keeps
// them (they are made by Thumbnail, never taken from input).
type thumbsView struct {
	Caption string
	Strips  []stripView
}

type stripView struct {
	Label  string
	Images []template.URL
}

func (t *Thumbnails) view() blockView {
	v := &thumbsView{Caption: t.Caption}
	for _, s := range t.Strips {
		sv := stripView{Label: s.Label}
		for _, img := range s.Images {
			sv.Images = append(sv.Images, template.URL(img))
		}
		v.Strips = append(v.Strips, sv)
	}
	return blockView{Thumbs: v}
}

// Thumbnail decodes a JPEG or PNG image, scales it to width pixels (height in
// proportion, averaging the source pixels each target pixel covers) and returns it as a
// data:image/jpeg;base64 URI.
func Thumbnail(data []byte, width int) (string, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	b := src.Bounds()
	if b.Dx() == 0 || b.Dy() == 0 || width <= 0 {
		return "", image.ErrFormat
	}
	width = min(width, b.Dx())
	height := max(1, b.Dy()*width/b.Dx())
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		y0, y1 := b.Min.Y+y*b.Dy()/height, b.Min.Y+max((y+1)*b.Dy()/height, y*b.Dy()/height+1)
		for x := range width {
			x0, x1 := b.Min.X+x*b.Dx()/width, b.Min.X+max((x+1)*b.Dx()/width, x*b.Dx()/width+1)
			dst.Set(x, y, average(src, x0, y0, x1, y1))
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 70}); err != nil {
		return "", err
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(out.Bytes()), nil
}

// average is the mean colour of src over [x0,x1)×[y0,y1).
func average(src image.Image, x0, y0, x1, y1 int) color.RGBA {
	var r, g, bl, n uint64
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			cr, cg, cb, _ := src.At(x, y).RGBA()
			r, g, bl, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), n+1
		}
	}
	return color.RGBA{R: uint8(r / n >> 8), G: uint8(g / n >> 8), B: uint8(bl / n >> 8), A: 255}
}
