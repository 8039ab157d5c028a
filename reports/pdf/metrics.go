package pdf

import (
	"sync"

	"github.com/go-pdf/fpdf"
)

// Text is measured many times per table row (to wrap it, then to draw it,
// once per layout pass), so the layout keeps its own copy of the embedded
// fonts' glyph widths rather than asking fpdf rune by rune. The copy is
// read through fpdf's public measuring API only, once per process, so it
// does not depend on how fpdf stores fonts or writes pages.

// styles are the font styles the report uses, in the order of the tables
// below.
var styles = [...]string{"", "B"}

func styleIndex(style string) int {
	if style == "B" {
		return 1
	}
	return 0
}

// fontMetrics is the glyph widths of the embedded fonts, read once from a
// scratch document: they are the same in every document that registers the
// same font files.
type fontMetrics struct {
	// units are glyph widths in 1/1000 em per style, indexed by rune, as
	// fpdf's GetStringSymbolWidth counts them. Every rune fpdf can map is in
	// the Basic Multilingual Plane.
	units [len(styles)][]int32
	// beyond is what fpdf counts for a rune above the BMP.
	beyond [len(styles)]int
}

// runeUnits is the width of r in 1/1000 em in style s (see styleIndex).
func (m *fontMetrics) runeUnits(s int, r rune) int {
	if r >= 0 && int(r) < len(m.units[s]) {
		return int(m.units[s][r])
	}
	return m.beyond[s]
}

var metrics = sync.OnceValues(func() (*fontMetrics, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	p.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	m := &fontMetrics{}
	for i, s := range styles {
		p.SetFont(fontFamily, s, 10)
		units := make([]int32, 0x10000)
		for r := range units {
			units[r] = int32(p.GetStringSymbolWidth(string(rune(r))))
		}
		m.units[i] = units
		m.beyond[i] = p.GetStringSymbolWidth(string(rune(0x10001)))
	}
	if err := p.Error(); err != nil {
		return nil, err
	}
	return m, nil
})
