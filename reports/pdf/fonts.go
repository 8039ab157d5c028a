package pdf

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// The report's fonts are embedded so that it looks the same everywhere and
// never reads a system font; see fonts/SOURCES.md for their origin and
// fonts/LICENSE for their licence.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// fontFamily is the family name registered with fpdf. Family names are
// case-insensitive and fpdf names the fonts in the file in lower case
// anyway; a name already in lower case spares SetFont, which runs for
// every line of text, from copying it.
const fontFamily = "dejavu"

// glyphSet holds the characters that both embedded fonts can draw. fpdf maps
// characters through the Basic Multilingual Plane only, so nothing above
// U+FFFF is in the set.
type glyphSet struct {
	has []bool // indexed by rune, len 0x10000
	// ascii is whether every printable ASCII character is in the set.
	ascii bool
}

func (g *glyphSet) contains(r rune) bool {
	return r >= 0 && int(r) < len(g.has) && g.has[r]
}

// glyphs parses the embedded fonts once.
var glyphs = sync.OnceValues(func() (*glyphSet, error) {
	reg, err := cmapBMP(fontRegular)
	if err != nil {
		return nil, fmt.Errorf("DejaVuSans.ttf: %w", err)
	}
	bold, err := cmapBMP(fontBold)
	if err != nil {
		return nil, fmt.Errorf("DejaVuSans-Bold.ttf: %w", err)
	}
	g := &glyphSet{has: make([]bool, 0x10000)}
	for i := range g.has {
		g.has[i] = reg[i] && bold[i]
	}
	g.ascii = !slices.Contains(g.has['!':'~'+1], false)
	return g, nil
})

var errNoCmap = errors.New("no Unicode BMP cmap subtable (format 4)")

// cmapBMP returns, for every BMP code point, whether the TrueType font maps
// it to a real glyph (not .notdef). It reads the format 4 subtable of the
// Windows Unicode BMP (3,1) or Unicode (0,x) encoding, the one fpdf itself
// uses for subsetting, so "has a glyph" means the same thing here as there.
func cmapBMP(ttf []byte) ([]bool, error) {
	be := binary.BigEndian
	if len(ttf) < 12 {
		return nil, errors.New("font file too short")
	}
	numTables := int(be.Uint16(ttf[4:]))
	cmap := -1
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errors.New("truncated table directory")
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap = int(be.Uint32(ttf[rec+8:]))
		}
	}
	if cmap < 0 || cmap+4 > len(ttf) {
		return nil, errors.New("no cmap table")
	}
	n := int(be.Uint16(ttf[cmap+2:]))
	sub := -1
	for i := range n {
		rec := cmap + 4 + 8*i
		if rec+8 > len(ttf) {
			return nil, errors.New("truncated cmap directory")
		}
		platform, encoding := be.Uint16(ttf[rec:]), be.Uint16(ttf[rec+2:])
		off := cmap + int(be.Uint32(ttf[rec+4:]))
		if off+2 > len(ttf) || be.Uint16(ttf[off:]) != 4 {
			continue
		}
		if (platform == 3 && encoding == 1) || (platform == 0 && sub < 0) {
			sub = off
		}
	}
	if sub < 0 {
		return nil, errNoCmap
	}
	return parseFormat4(ttf, sub)
}

func parseFormat4(ttf []byte, at int) ([]bool, error) {
	be := binary.BigEndian
	if at+14 > len(ttf) {
		return nil, errNoCmap
	}
	segs := int(be.Uint16(ttf[at+6:])) / 2
	ends := at + 14
	starts := ends + 2*segs + 2
	deltas := starts + 2*segs
	ranges := deltas + 2*segs
	if ranges+2*segs > len(ttf) {
		return nil, errors.New("truncated cmap format 4 subtable")
	}
	has := make([]bool, 0x10000)
	for s := range segs {
		end := int(be.Uint16(ttf[ends+2*s:]))
		start := int(be.Uint16(ttf[starts+2*s:]))
		delta := int(be.Uint16(ttf[deltas+2*s:]))
		roAt := ranges + 2*s
		ro := int(be.Uint16(ttf[roAt:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			gid := 0
			if ro == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				p := roAt + ro + 2*(c-start)
				if p+2 > len(ttf) {
					return nil, errors.New("cmap glyph index out of range")
				}
				if g := int(be.Uint16(ttf[p:])); g != 0 {
					gid = (g + delta) & 0xFFFF
				}
			}
			has[c] = gid != 0
		}
	}
	return has, nil
}
