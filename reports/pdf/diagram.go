package pdf

import (
	"github.com/go-pdf/fpdf"

	"github.com/auditpack/auditpack/reports/diagram"
)

// The scope diagram chapter. It has no number, like the changes chapter,
// so that the numbered chapters keep theirs.
const (
	titleDiagram = "Scope diagram"
	keyDiagram   = "diagram"
)

// Drawing bounds: a picture is drawn at most at its natural size, and on a
// page of its own rather than below other text when it would shrink under
// minScale of it.
const (
	natural  = ptToMM // millimetres per graphviz point
	minScale = 0.75
	legendH  = 4.2 // millimetres per legend line
)

// scopeDiagram is the chapter after the scope tables: the laid-out
// diagrams (see package diagram) and their legend.
func (d *doc) scopeDiagram() {
	d.chapterStart(keyDiagram, titleDiagram)
	d.paragraph("The picture shows the model as evaluated: trust zones as nested boxes (CDE zones in red), components inside them "+
		"and flows as arrows labelled with their id and data classes. Each component and flow is coloured by the worst verdict "+
		"of the rules that judge it; a dashed magenta frame and \"!\" mark an element a scope finding names; the derived scope "+
		"class (CDE, connected-to, security-impacting, third-party) is printed in the box. The same picture is "+
		diagram.SVGName+" in the package.", 8.5, black)
	d.pdf.Ln(2)
	for i, g := range d.diagrams {
		if len(d.diagrams) > 1 {
			if i > 0 {
				d.newPage()
			}
			d.heading(d.line(g.Title), 11)
		}
		for _, n := range g.Notes {
			d.paragraph(d.line(n), 8, grey)
		}
		d.drawDiagram(g)
	}
	d.diagramLegend()
	d.font("", 9)
}

// drawDiagram scales g to the width of the page and the height left, or to
// the next page's height when too little is left.
func (d *doc) drawDiagram(g *diagram.Diagram) {
	if len(g.Nodes) == 0 {
		return
	}
	p := d.pdf
	full := bottom - marginTop - 6
	// Upright, or turned a quarter left when that draws it larger: a
	// wide picture then runs up the page, read by turning it clockwise.
	upright := func(avail float64) float64 { return min(natural, contentW/g.W, avail/g.H) }
	turned := func(avail float64) float64 { return min(natural, avail/g.W, contentW/g.H) }
	fit, turn := upright, false
	if turned(full) > 1.15*upright(full) {
		fit, turn = turned, true
	}
	s := fit(bottom - p.GetY() - 4)
	if s < minScale*fit(full) {
		d.newPage()
		s = fit(full)
	}
	x0 := marginX + (contentW-g.W*s)/2
	y0 := p.GetY() + 2
	end := y0 + g.H*s + 4
	if turn {
		x0 = marginX + (contentW-g.H*s)/2
		y0 = p.GetY() + 2 + g.W*s
		end = y0 + 4
		p.TransformBegin()
		p.TransformRotate(90, x0, y0)
	}
	at := func(q diagram.Point) (float64, float64) { return x0 + q.X*s, y0 + q.Y*s }
	text := s / natural // font scale

	for _, z := range g.Zones {
		line, fill, width := diagram.ZoneLine, diagram.ZoneFill, 0.25
		if z.CDE {
			line, fill, width = diagram.CDELine, diagram.CDEFill, 0.55
		}
		d.fillColor(conv(fill))
		d.drawColor(conv(line))
		p.SetLineWidth(width)
		x, y := at(diagram.Point{X: z.X, Y: z.Y})
		p.Rect(x, y, z.W*s, z.H*s, "FD")
		label := d.line(z.Name + " [" + z.ID + "]")
		if z.CDE {
			label += " · CDE"
		}
		d.textAt(x+1.5, y+1, z.W*s-3, "B", 8*text, conv(line), label, "L")
	}
	for _, e := range g.Edges {
		line, _ := diagram.Colours(e.Verdict)
		d.drawColor(conv(line))
		d.fillColor(conv(line))
		p.SetLineWidth(0.35)
		if e.OutOfScope {
			p.SetDashPattern([]float64{1.2, 0.9}, 0)
		}
		p.MoveTo(at(e.Path[0]))
		for i := 1; i+2 < len(e.Path); i += 3 {
			ax, ay := at(e.Path[i])
			bx, by := at(e.Path[i+1])
			cx, cy := at(e.Path[i+2])
			p.CurveBezierCubicTo(ax, ay, bx, by, cx, cy)
		}
		p.DrawPath("D")
		p.SetDashPattern(nil, 0)
		if e.Head != nil {
			d.arrowHead(e.Path[len(e.Path)-1], *e.Head, at)
		}
		if e.Tail != nil {
			d.arrowHead(e.Path[0], *e.Tail, at)
		}
		lx, ly := at(e.Label)
		d.textLines(lx, ly, 6.5*text, e.Lines, conv(line), true)
	}
	for _, n := range g.Nodes {
		line, fill := diagram.Colours(n.Verdict)
		x, y := at(diagram.Point{X: n.X, Y: n.Y})
		w, h := n.W*s, n.H*s
		if n.Finding {
			d.drawColor(conv(diagram.FindingLine))
			p.SetLineWidth(0.35)
			p.SetDashPattern([]float64{0.7, 0.7}, 0)
			p.Rect(x-0.9, y-0.9, w+1.8, h+1.8, "D")
			p.SetDashPattern(nil, 0)
		}
		d.fillColor(conv(fill))
		d.drawColor(conv(line))
		p.SetLineWidth(0.4)
		if n.OutOfScope {
			p.SetDashPattern([]float64{1.2, 0.9}, 0)
		}
		// fpdf's RoundedRect leaves a graphics state saved (an unmatched
		// "q"), which would carry the picture's rotation into the footer,
		// so boxes are square; an external entity has a double border.
		p.Rect(x, y, w, h, "FD")
		if n.External {
			p.SetLineWidth(0.2)
			p.Rect(x+0.6, y+0.6, w-1.2, h-1.2, "D")
		}
		p.SetDashPattern(nil, 0)
		if n.Finding {
			d.textAt(x+w-3, y+0.3, 2.6, "B", 8*text, conv(diagram.FindingLine), "!", "R")
		}
		d.nodeText(x, y, w, h, text, n.Lines)
	}
	if turn {
		p.TransformEnd()
	}
	p.SetXY(marginX, end)
	d.textColor(black)
}

// nodeText prints a node's lines centred in its box, the name in bold,
// each shortened to the box's width.
func (d *doc) nodeText(x, y, w, h, scale float64, lines []string) {
	size := 7 * scale
	lh := size * ptToMM * 1.3
	top := y + (h-lh*float64(len(lines)))/2
	for i, l := range lines {
		style := ""
		if i == 0 {
			style = "B"
		}
		d.textAt(x+0.8, top+float64(i)*lh, w-1.6, style, size, conv(diagram.TextColour), d.line(l), "C")
	}
}

// textLines prints a flow's label centred on (cx, cy) on a white ground,
// so that it stays readable where it crosses a line.
func (d *doc) textLines(cx, cy, size float64, lines []string, c rgb, ground bool) {
	lh := size * ptToMM * 1.3
	top := cy - lh*float64(len(lines))/2
	for i, l := range lines {
		style := ""
		if i == 0 {
			style = "B"
		}
		t := d.line(l)
		d.font(style, size)
		w := d.width(t) + 1
		if ground {
			d.fillColor(rgb{255, 255, 255})
			d.pdf.Rect(cx-w/2, top+float64(i)*lh, w, lh, "F")
		}
		d.textAt(cx-w/2, top+float64(i)*lh, w, style, size, c, t, "C")
	}
}

// textAt prints cleaned text in a cell of width w at (x, y), shortened to
// fit.
func (d *doc) textAt(x, y, w float64, style string, size float64, c rgb, t, align string) {
	d.font(style, size)
	d.textColor(c)
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, size*ptToMM*1.3, d.fit(t, w), "", 0, align, false, 0, "")
}

func (d *doc) arrowHead(from, tip diagram.Point, at func(diagram.Point) (float64, float64)) {
	a, b, t := diagram.ArrowHead(from, tip)
	ax, ay := at(a)
	bx, by := at(b)
	tx, ty := at(t)
	d.pdf.Polygon([]fpdf.PointType{{X: tx, Y: ty}, {X: ax, Y: ay}, {X: bx, Y: by}}, "F")
}

// diagramLegend explains the colours and marks, two columns wide.
func (d *doc) diagramLegend() {
	entries := diagram.Legend()
	rows := (len(entries) + 1) / 2
	d.heading("Legend", 10)
	d.need(float64(rows)*legendH + 2)
	p := d.pdf
	y0 := p.GetY()
	colW := contentW / 2
	for i, e := range entries {
		x := marginX + float64(i/rows)*colW
		y := y0 + float64(i%rows)*legendH
		p.SetLineWidth(0.4)
		p.SetDashPattern(nil, 0)
		switch e.Mark {
		case diagram.MarkCDE:
			d.fillColor(conv(diagram.CDEFill))
			d.drawColor(conv(diagram.CDELine))
			p.SetLineWidth(0.55)
			p.Rect(x, y+0.6, 7, 3, "FD")
		case diagram.MarkFinding:
			d.drawColor(conv(diagram.FindingLine))
			p.SetDashPattern([]float64{0.7, 0.7}, 0)
			p.Rect(x, y+0.6, 7, 3, "D")
			p.SetDashPattern(nil, 0)
		case diagram.MarkOutOfScope:
			d.drawColor(grey)
			p.SetDashPattern([]float64{1.2, 0.9}, 0)
			p.Rect(x, y+0.6, 7, 3, "D")
			p.SetDashPattern(nil, 0)
		case diagram.MarkClass:
			d.textAt(x, y+0.3, 7, "B", 6.5, black, "CDE", "L")
		default:
			line, fill := diagram.Colours(e.Verdict)
			d.fillColor(conv(fill))
			d.drawColor(conv(line))
			p.Rect(x, y+0.6, 7, 3, "FD")
		}
		d.textAt(x+9, y, colW-11, "", 7.5, black, d.line(e.Text), "L")
	}
	p.SetXY(marginX, y0+float64(rows)*legendH+2)
	d.textColor(black)
}

func conv(c diagram.RGB) rgb { return rgb{int(c.R), int(c.G), int(c.B)} }
