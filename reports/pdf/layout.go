package pdf

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/eval"
)

// rgb is a colour; the zero value means "none" where a colour is optional.
type rgb struct{ r, g, b int }

var (
	black    = rgb{0, 0, 0}
	grey     = rgb{110, 110, 110}
	navy     = rgb{20, 40, 80}
	paleGrey = rgb{242, 242, 242}
	red      = rgb{180, 0, 0}
	paleRed  = rgb{253, 228, 228}
	green    = rgb{0, 110, 40}
)

// verdictColors gives a verdict's text colour and its pale background. Each
// verdict has its own colour and is always printed with its name too, so
// the report stays readable in grey print and for colour-blind readers.
func verdictColors(v eval.Verdict) (fg, bg rgb) {
	switch v {
	case eval.NotSatisfied:
		return rgb{176, 0, 0}, rgb{252, 226, 226}
	case eval.NeedsEvidence:
		return rgb{170, 85, 0}, rgb{254, 238, 214}
	case eval.Excepted:
		return rgb{110, 40, 150}, rgb{238, 228, 248}
	case eval.Manual:
		return rgb{30, 80, 150}, rgb{224, 234, 248}
	case eval.Satisfied:
		return rgb{0, 110, 40}, rgb{222, 242, 226}
	case eval.NotApplicable:
		return rgb{90, 90, 90}, rgb{236, 236, 236}
	}
	return black, paleGrey
}

// ptToMM converts a font size in points to millimetres.
const ptToMM = 25.4 / 72

func lineHeight(size float64) float64 { return size * ptToMM * 1.35 }

func (d *doc) textColor(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fillColor(c rgb) { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *doc) drawColor(c rgb) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// heading prints a section title, starting a new page if the title and a
// few lines of what follows would not fit.
func (d *doc) heading(title string, size float64) {
	h := lineHeight(size)
	d.need(h + 1 + 4*lineHeight(9))
	d.pdf.Ln(1.5)
	d.font("B", size)
	d.textColor(navy)
	for _, l := range d.wrap(title, contentW-2) {
		d.need(h)
		d.pdf.SetX(marginX)
		d.pdf.CellFormat(contentW, h, l, "", 1, "L", false, 0, "")
	}
	d.textColor(black)
	d.font("", 9)
	d.pdf.Ln(0.5)
}

// paragraph prints cleaned text wrapped to the content width.
func (d *doc) paragraph(text string, size float64, c rgb) {
	d.paragraphAt(marginX, contentW, text, size, c)
}

func (d *doc) paragraphAt(x, w float64, text string, size float64, c rgb) {
	d.font("", size)
	d.textColor(c)
	h := lineHeight(size)
	for _, l := range d.wrap(text, w-2) {
		d.need(h)
		d.pdf.SetX(x)
		d.pdf.CellFormat(w, h, l, "", 1, "L", false, 0, "")
	}
	d.textColor(black)
	d.pdf.Ln(1)
}

// column is a table column: a title and a width in millimetres.
type column struct {
	title string
	w     float64
}

// cell is one table cell. text must already be cleaned.
type cell struct {
	text string
	fg   rgb
	bg   rgb
	bold bool
	link int // internal link id, 0 for none
}

// plain is a cell of cleaned text in the default style.
func plain(text string) cell { return cell{text: text} }

// verdictCell prints a verdict in its colours.
func (d *doc) verdictCell(v eval.Verdict) cell {
	fg, bg := verdictColors(v)
	return cell{text: d.line(string(v)), fg: fg, bg: bg, bold: true}
}

// maxCellLines caps a cell so that one hostile field cannot fill pages; the
// full text is in results.json and the workbook.
const maxCellLines = 40

// table draws rows that wrap their text, never split across pages, and
// repeat the header row after every page break.
type table struct {
	d      *doc
	cols   []column
	size   float64
	header bool
}

// newTable starts a table and draws its header row (if any column has a
// title).
func (d *doc) newTable(size float64, cols ...column) *table {
	t := &table{d: d, cols: cols, size: size}
	for _, c := range cols {
		t.header = t.header || c.title != ""
	}
	if t.header {
		d.need(2*lineHeight(size) + 2 + lineHeight(size) + 2)
		t.drawHeader()
		d.onBreak = t.drawHeader
	}
	return t
}

func (t *table) drawHeader() {
	cells := make([]cell, len(t.cols))
	for i, c := range t.cols {
		cells[i] = cell{text: c.title, fg: rgb{255, 255, 255}, bg: navy, bold: true}
	}
	t.draw(cells)
}

// row draws one row, first moving to a new page if it does not fit.
func (t *table) row(cells ...cell) {
	t.draw(cells)
}

// end finishes the table: later page breaks no longer repeat its header.
func (t *table) end() {
	t.d.onBreak = nil
	t.d.pdf.Ln(2)
}

func (t *table) draw(cells []cell) {
	d, p := t.d, t.d.pdf
	h := lineHeight(t.size)
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		if i >= len(cells) {
			break
		}
		d.font(style(cells[i].bold), t.size)
		ls := d.wrap(cells[i].text, c.w-2)
		if len(ls) > maxCellLines {
			ls = append(ls[:maxCellLines-1], fmt.Sprintf("… (%d more lines; the full text is in results.json)", len(ls)-maxCellLines+1))
		}
		lines[i] = ls
		n = max(n, len(ls))
	}
	rowH := float64(n)*h + 1.6
	if p.GetY()+rowH > bottom {
		d.newPage()
	}
	y := p.GetY()
	x := marginX
	for i, c := range t.cols {
		var cl cell
		if i < len(cells) {
			cl = cells[i]
		}
		if cl.bg != (rgb{}) {
			d.fillColor(cl.bg)
			p.Rect(x, y, c.w, rowH, "F")
		}
		d.font(style(cl.bold), t.size)
		d.textColor(cl.fg)
		for j, l := range lines[i] {
			p.SetXY(x, y+0.8+float64(j)*h)
			p.CellFormat(c.w, h, l, "", 0, "L", false, 0, "")
		}
		if cl.link != 0 {
			p.Link(x, y, c.w, rowH, cl.link)
		}
		x += c.w
	}
	d.drawColor(rgb{205, 205, 205})
	p.SetLineWidth(0.15)
	p.Line(marginX, y+rowH, x, y+rowH)
	d.textColor(black)
	d.font("", 9)
	p.SetXY(marginX, y+rowH)
}

func style(bold bool) string {
	if bold {
		return "B"
	}
	return ""
}

// keyValues prints label/value pairs as a two-column table without header.
func (d *doc) keyValues(labelW float64, pairs ...[2]string) {
	t := d.newTable(8.5, column{w: labelW}, column{w: contentW - labelW})
	for _, kv := range pairs {
		t.row(cell{text: kv[0], bold: true, fg: grey}, plain(kv[1]))
	}
	t.end()
}
