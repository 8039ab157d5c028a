package diagram

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit"
)

// SVG geometry, in points.
const (
	svgMargin  = 16.0
	svgTitle   = 22.0 // height of a diagram's title line
	svgNote    = 12.0 // height of a note line
	svgLegendH = 13.0 // height of a legend line
	svgFont    = "DejaVu Sans, Verdana, Arial, sans-serif"
)

// SVGName is the file the diagrams are written to in a package.
const SVGName = "scope-diagram.svg"

// RenderSVG lays out the scope of r and writes it as SVG (see [WriteSVG]).
func RenderSVG(w io.Writer, r *audit.Results) error {
	ds, err := Of(r)
	if err != nil {
		return fmt.Errorf("render scope diagram: %w", err)
	}
	return WriteSVG(w, Title(r), ds)
}

// Title names the scope the diagrams show.
func Title(r *audit.Results) string {
	return "Scope of " + r.Project.Organisation + ", " + r.Project.System + " as of " + r.Project.AsOf
}

// WriteSVG writes the diagrams as one SVG document, one under the other,
// with the legend at the foot. Every element carries its model id in a
// data-id attribute and a title a viewer shows on hover. The output
// depends on nothing but ds: numbers are printed to two decimals.
func WriteSVG(w io.Writer, title string, ds []*Diagram) error {
	bw := bufio.NewWriter(w)
	s := &svg{w: bw}
	width := 480.0
	height := svgMargin + svgTitle
	for _, d := range ds {
		width = max(width, d.W+2*svgMargin)
		height += svgTitle + float64(len(d.Notes))*svgNote + d.H + svgMargin
	}
	legend := Legend()
	height += svgTitle + float64(len(legend))*svgLegendH + svgMargin
	s.printf(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s">`+"\n",
		f2(width), f2(height), f2(width), f2(height), svgFont)
	s.printf(`<title>%s</title>`+"\n", esc(title))
	s.printf(`<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`+"\n", f2(width), f2(height))
	y := svgMargin
	s.text(svgMargin, y+14, 14, "bold", TextColour, title)
	y += svgTitle
	for _, d := range ds {
		s.text(svgMargin, y+14, 12, "bold", TextColour, d.Title)
		y += svgTitle
		for _, n := range d.Notes {
			s.text(svgMargin, y+9, 8.5, "normal", MutedText, n)
			y += svgNote
		}
		s.printf(`<g class="diagram" data-kind="%s" transform="translate(%s,%s)">`+"\n", esc(d.Kind), f2(svgMargin), f2(y))
		s.diagram(d)
		s.printf("</g>\n")
		y += d.H + svgMargin
	}
	s.text(svgMargin, y+14, 12, "bold", TextColour, "Legend")
	y += svgTitle
	for _, e := range legend {
		s.legendEntry(svgMargin, y, e)
		y += svgLegendH
	}
	s.printf("</svg>\n")
	if s.err != nil {
		return s.err
	}
	return bw.Flush()
}

type svg struct {
	w   *bufio.Writer
	err error
}

func (s *svg) printf(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format, args...)
	}
}

func (s *svg) diagram(d *Diagram) {
	for _, z := range d.Zones {
		line, fill, width := ZoneLine, ZoneFill, 0.8
		if z.CDE {
			line, fill, width = CDELine, CDEFill, 1.6
		}
		s.printf(`<g class="zone" data-id="%s"><title>zone %s</title>`, esc(z.ID), esc(z.Name+" ("+z.ID+")"))
		s.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" stroke="%s" stroke-width="%s"/>`,
			f2(z.X), f2(z.Y), f2(z.W), f2(z.H), hex(fill), hex(line), f2(width))
		label := z.Name + " [" + z.ID + "]"
		if z.CDE {
			label += " · CDE"
		}
		s.text(z.X+5, z.Y+11, zoneFont, "bold", line, label)
		s.printf("</g>\n")
	}
	for _, e := range d.Edges {
		line, _ := Colours(e.Verdict)
		s.printf(`<g class="flow" data-id="%s"><title>%s</title>`, esc(e.ID), esc(e.Title))
		var p strings.Builder
		fmt.Fprintf(&p, "M%s,%s", f2(e.Path[0].X), f2(e.Path[0].Y))
		for i := 1; i+2 < len(e.Path); i += 3 {
			fmt.Fprintf(&p, " C%s,%s %s,%s %s,%s", f2(e.Path[i].X), f2(e.Path[i].Y), f2(e.Path[i+1].X), f2(e.Path[i+1].Y),
				f2(e.Path[i+2].X), f2(e.Path[i+2].Y))
		}
		dash := ""
		if e.OutOfScope {
			dash = ` stroke-dasharray="4,3"`
		}
		s.printf(`<path d="%s" fill="none" stroke="%s" stroke-width="1.2"%s/>`, p.String(), hex(line), dash)
		if e.Head != nil {
			s.arrow(e.Path[len(e.Path)-1], *e.Head, line)
		}
		if e.Tail != nil {
			s.arrow(e.Path[0], *e.Tail, line)
		}
		s.lines(e.Label.X, e.Label.Y, labelFont, e.Lines, line, true)
		s.printf("</g>\n")
	}
	for _, n := range d.Nodes {
		line, fill := Colours(n.Verdict)
		s.printf(`<g class="component" data-id="%s"><title>%s</title>`, esc(n.ID), esc(n.Title))
		dash := ""
		if n.OutOfScope {
			dash = ` stroke-dasharray="4,3"`
		}
		rx := "2"
		if n.External {
			rx = "9"
		}
		s.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s" stroke="%s" stroke-width="1.4"%s/>`,
			f2(n.X), f2(n.Y), f2(n.W), f2(n.H), rx, hex(fill), hex(line), dash)
		if n.Finding {
			s.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="none" stroke="%s" stroke-width="1.2" stroke-dasharray="2,2"/>`,
				f2(n.X-2.5), f2(n.Y-2.5), f2(n.W+5), f2(n.H+5), hex(FindingLine))
			s.text(n.X+n.W-3, n.Y+8, 8, "bold", FindingLine, "!")
		}
		s.lines(n.X+n.W/2, n.Y+n.H/2, nodeFont, n.Lines, TextColour, false)
		s.printf("</g>\n")
	}
}

// lines writes text lines centred on (cx, cy), the first in bold for a
// node.
func (s *svg) lines(cx, cy, size float64, lines []string, c RGB, label bool) {
	lh := size * lineGap
	y := cy - lh*float64(len(lines))/2 + size*0.95
	for i, l := range lines {
		weight := "normal"
		if i == 0 {
			weight = "bold"
		}
		halo := ""
		if label {
			halo = ` stroke="#ffffff" stroke-width="2.2" paint-order="stroke"`
		}
		s.printf(`<text x="%s" y="%s" font-size="%s" font-weight="%s" text-anchor="middle" fill="%s"%s>%s</text>`,
			f2(cx), f2(y), f2(size), weight, hex(c), halo, esc(l))
		y += lh
	}
}

func (s *svg) text(x, y, size float64, weight string, c RGB, t string) {
	s.printf(`<text x="%s" y="%s" font-size="%s" font-weight="%s" fill="%s">%s</text>`+"\n", f2(x), f2(y), f2(size), weight, hex(c), esc(t))
}

// arrow draws an arrowhead from the end of a path to its tip.
func (s *svg) arrow(from, tip Point, c RGB) {
	a, b, t := ArrowHead(from, tip)
	s.printf(`<path d="M%s,%s L%s,%s L%s,%s z" fill="%s"/>`, f2(t.X), f2(t.Y), f2(a.X), f2(a.Y), f2(b.X), f2(b.Y), hex(c))
}

// ArrowHead returns the two back corners and the tip of an arrowhead
// pointing from from to tip.
func ArrowHead(from, tip Point) (a, b, t Point) {
	dx, dy := tip.X-from.X, tip.Y-from.Y
	// Perpendicular half-width of the head: a third of its length.
	px, py := -dy/3, dx/3
	return Point{from.X + px, from.Y + py}, Point{from.X - px, from.Y - py}, tip
}

func (s *svg) legendEntry(x, y float64, e LegendEntry) {
	switch e.Mark {
	case MarkCDE:
		s.printf(`<rect x="%s" y="%s" width="18" height="9" fill="%s" stroke="%s" stroke-width="1.6"/>`, f2(x), f2(y), hex(CDEFill), hex(CDELine))
	case MarkFinding:
		s.printf(`<rect x="%s" y="%s" width="18" height="9" fill="none" stroke="%s" stroke-dasharray="2,2"/>`, f2(x), f2(y), hex(FindingLine))
	case MarkOutOfScope:
		s.printf(`<rect x="%s" y="%s" width="18" height="9" fill="#ffffff" stroke="#555555" stroke-dasharray="4,3"/>`, f2(x), f2(y))
	case MarkClass:
		s.printf(`<text x="%s" y="%s" font-size="7" fill="%s">CDE</text>`, f2(x), f2(y+8), hex(TextColour))
	default:
		line, fill := Colours(e.Verdict)
		s.printf(`<rect x="%s" y="%s" width="18" height="9" fill="%s" stroke="%s" stroke-width="1.4"/>`, f2(x), f2(y), hex(fill), hex(line))
	}
	s.text(x+26, y+8, 8.5, "normal", TextColour, e.Text)
}

func f2(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func hex(c RGB) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// esc escapes text for XML character data and attribute values, dropping
// characters XML 1.0 cannot hold.
func esc(s string) string {
	var b strings.Builder
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF && (r < 0xD800 || r > 0xDFFF) {
			return r
		}
		return -1
	}, s)
	xml.EscapeText(&b, []byte(clean))
	return b.String()
}
