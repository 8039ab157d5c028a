package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/go-pdf/fpdf"
)

// Text is measured many times per table row (to wrap it, then to draw it,
// once per layout pass), so the layout keeps its own copy of the embedded
// fonts' glyph widths rather than asking fpdf rune by rune, and writes the
// font operator itself when fpdf would only repeat it.

// styles are the font styles the report uses, in the order of the tables
// below.
var styles = [...]string{"", "B"}

func styleIndex(style string) int {
	if style == "B" {
		return 1
	}
	return 0
}

// fontMetrics is what one fpdf document knows about the embedded fonts,
// read once from a scratch document: it is the same in every document that
// registers the same font files under the same family name.
type fontMetrics struct {
	// units are glyph widths in 1/1000 em per style, indexed by rune, as
	// fpdf's GetStringSymbolWidth counts them. Every rune fpdf can map is in
	// the Basic Multilingual Plane.
	units [len(styles)][]int32
	// beyond is what fpdf counts for a rune above the BMP.
	beyond [len(styles)]int
	// ids are fpdf's names of the fonts in content streams ("/F<id>").
	ids [len(styles)]string
}

// runeUnits is the width of r in 1/1000 em in style s (see styleIndex).
func (m *fontMetrics) runeUnits(s int, r rune) int {
	if r >= 0 && int(r) < len(m.units[s]) {
		return int(m.units[s][r])
	}
	return m.beyond[s]
}

// selectOp is the content stream operator fpdf's SetFont writes on a page.
func (m *fontMetrics) selectOp(style string, size float64) string {
	return "BT /F" + m.ids[styleIndex(style)] + " " + strconv.FormatFloat(size, 'f', 2, 64) + " Tf ET"
}

var metrics = sync.OnceValues(func() (*fontMetrics, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(false)
	p.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	p.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	p.AddPage()
	m := &fontMetrics{}
	const probeSize = 10
	for i, s := range styles {
		p.SetFont(fontFamily, s, probeSize)
		units := make([]int32, 0x10000)
		for r := range units {
			units[r] = int32(p.GetStringSymbolWidth(string(rune(r))))
		}
		m.units[i] = units
		m.beyond[i] = p.GetStringSymbolWidth(string(rune(0x10001)))
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, err
	}
	// The page holds one operator per SetFont above, in style order.
	rest := out.Bytes()
	for i := range styles {
		const op = "BT /F"
		at := bytes.Index(rest, []byte(op))
		if at < 0 {
			return nil, errors.New("font operator not found")
		}
		rest = rest[at+len(op):]
		end := bytes.IndexByte(rest, ' ')
		if end <= 0 {
			return nil, errors.New("font operator not understood")
		}
		m.ids[i] = string(rest[:end])
		want := m.selectOp(styles[i], probeSize)
		if !bytes.HasPrefix(rest, []byte(want[len(op):])) {
			return nil, fmt.Errorf("font operator %q not as expected", rest[:end])
		}
	}
	return m, nil
})
