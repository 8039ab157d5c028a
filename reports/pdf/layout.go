package pdf

import (
	"strconv"
	"strings"

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

// textColor sets the text colour. Unlike the fill and draw colours, which
// fpdf writes on the page when set, the text colour is only recorded, so
// setting it again is skipped.
func (d *doc) textColor(c rgb) {
	if d.textSet && d.text == c {
		return
	}
	d.text, d.textSet = c, true
	d.pdf.SetTextColor(c.r, c.g, c.b)
}

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
	head bool // the first line of text is bold, the rest regular
	link int  // internal link id, 0 for none
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
// repeat the header row after every page break. The header is drawn with
// the first row, so a table never starts with a lonely header.
type table struct {
	d       *doc
	cols    []column
	size    float64
	header  bool
	started bool
	// keep buffers rows that must stay on one page when they fit on one.
	keep      [][]cell
	buffering bool
}

// newTable starts a table; a column with a title gives it a header row.
func (d *doc) newTable(size float64, cols ...column) *table {
	t := &table{d: d, cols: cols, size: size}
	for _, c := range cols {
		t.header = t.header || c.title != ""
	}
	return t
}

// keepTogether makes the rows until end stay on one page when they fit on
// one.
func (t *table) keepTogether() { t.buffering = true }

func (t *table) headerCells() []cell {
	cells := make([]cell, len(t.cols))
	for i, c := range t.cols {
		cells[i] = cell{text: c.title, fg: rgb{255, 255, 255}, bg: navy, bold: true}
	}
	return cells
}

func (t *table) drawHeader() {
	lines, h := t.measure(t.headerCells())
	t.drawRow(t.headerCells(), lines, h)
}

// row adds one row, first moving to a new page if it does not fit.
func (t *table) row(cells ...cell) {
	if t.buffering {
		t.keep = append(t.keep, cells)
		return
	}
	t.emit(cells)
}

// end finishes the table: later page breaks no longer repeat its header.
func (t *table) end() {
	if t.buffering {
		t.buffering = false
		total := 0.0
		for _, cells := range t.keep {
			_, h := t.measure(cells)
			total += h
		}
		if t.header && !t.started {
			_, h := t.measure(t.headerCells())
			total += h
		}
		if total <= bottom-marginTop {
			t.d.need(total)
		}
		for _, cells := range t.keep {
			t.emit(cells)
		}
		t.keep = nil
	}
	t.d.onBreak = nil
	t.d.pdf.Ln(2)
}

func (t *table) emit(cells []cell) {
	d := t.d
	lines, h := t.measure(cells)
	if t.header && !t.started {
		_, hh := t.measure(t.headerCells())
		d.need(hh + h)
		t.drawHeader()
		d.onBreak = t.drawHeader
	}
	t.started = true
	if d.pdf.GetY()+h > bottom {
		d.newPage()
	}
	t.drawRow(cells, lines, h)
}

// styledLine is one wrapped line of a cell.
type styledLine struct {
	text string
	bold bool
}

// measure wraps every cell and returns the lines and the row height.
//
// Measuring itself needs no font in fpdf (see widthIn), but each cell
// selects the font it is measured in, as the report always has, so that
// its pages stay byte for byte as they were; measuring ends in the body
// font.
func (t *table) measure(cells []cell) ([][]styledLine, float64) {
	d := t.d
	lines := make([][]styledLine, len(t.cols))
	n := 1
	for i, c := range t.cols {
		if i >= len(cells) {
			break
		}
		cl := cells[i]
		text, rest, split := cl.text, "", false
		if cl.head {
			text, rest, split = strings.Cut(cl.text, "\n")
		}
		first := style(cl.bold || cl.head)
		d.font(first, t.size)
		wrapped := d.wrapIn(first, t.size, text, c.w-2)
		ls := make([]styledLine, len(wrapped))
		for j, l := range wrapped {
			ls[j] = styledLine{l, cl.bold || cl.head}
		}
		if split {
			d.font(style(cl.bold), t.size)
			for _, l := range d.wrapIn(style(cl.bold), t.size, rest, c.w-2) {
				ls = append(ls, styledLine{l, cl.bold})
			}
		}
		if len(ls) > maxCellLines {
			d.font("", t.size)
			more := "… (" + strconv.Itoa(len(ls)-maxCellLines) + " more lines; the full text is in results.json)"
			note := d.wrapIn("", t.size, more, c.w-2)
			ls = ls[:maxCellLines]
			for _, l := range note {
				ls = append(ls, styledLine{text: l})
			}
		}
		lines[i] = ls
		n = max(n, len(ls))
	}
	d.font("", 9)
	return lines, float64(n)*lineHeight(t.size) + 1.6
}

func (t *table) drawRow(cells []cell, lines [][]styledLine, rowH float64) {
	d, p := t.d, t.d.pdf
	h := lineHeight(t.size)
	y := p.GetY()
	if d.draft {
		// Only where the row ends matters to the layout.
		d.font("", 9)
		p.SetXY(marginX, y+rowH)
		return
	}
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
		d.textColor(cl.fg)
		for j, l := range lines[i] {
			d.font(style(l.bold), t.size)
			p.SetXY(x, y+0.8+float64(j)*h)
			p.CellFormat(c.w, h, l.text, "", 0, "L", false, 0, "")
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
