package pdf

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text from threat models, manifests and exceptions is hostile: it may hold
// invalid UTF-8, control and bidirectional-override characters, or scripts
// the embedded font cannot draw. Every string goes through [doc.line] or
// [doc.para] before it reaches fpdf, so nothing is interpreted and nothing is
// drawn as an empty box.

// substitute is how a character the report cannot draw is printed: a
// visible, searchable code point, listed again in the appendix.
func substitute(r rune) string { return fmt.Sprintf("[U+%04X]", r) }

// line cleans s for a single line of text: newlines and tabs become spaces
// and runs of spaces collapse.
func (d *doc) line(s string) string { return d.clean(s, false) }

// para cleans s but keeps its line breaks, for justifications and reasons
// written over several lines.
func (d *doc) para(s string) string { return d.clean(s, true) }

func (d *doc) clean(s string, keepBreaks bool) string {
	if d.glyphs.ascii && plainASCII(s) {
		return s // most text, and cleaning would change none of it
	}
	return d.cleanRunes(s, keepBreaks)
}

func (d *doc) cleanRunes(s string, keepBreaks bool) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch {
		case r == '\n' && keepBreaks:
			b.WriteRune('\n')
			space = false
			continue
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == ' ' || unicode.Is(unicode.Zs, r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		if d.drawable(r) {
			b.WriteRune(r)
			continue
		}
		d.subs[r] = true
		b.WriteString(substitute(r))
	}
	return strings.TrimRight(b.String(), " ")
}

// plainASCII reports whether s is printable ASCII with single spaces
// between words and none at either end.
func plainASCII(s string) bool {
	space := true // as if after a space, so a leading space fails
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if space {
				return false
			}
			space = true
		case c < '!' || c > '~':
			return false
		default:
			space = false
		}
	}
	return s == "" || !space
}

// drawable reports whether r is printed as itself: a visible character that
// both fonts have. Control and format characters (bidirectional overrides,
// zero-width joiners, the byte order mark) never are, because they would
// change or hide what the reader sees.
func (d *doc) drawable(r rune) bool {
	if r < 0x20 || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r) {
		return false
	}
	return d.glyphs.contains(r)
}

// substitutions returns the characters printed as substitutes, sorted.
func (d *doc) substitutions() []rune {
	out := make([]rune, 0, len(d.subs))
	for r := range d.subs {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// width is the width of already cleaned text in the current font.
func (d *doc) width(s string) float64 { return d.widthIn(d.style, d.size, s) }

// widthIn is the width of already cleaned text in style at size points.
func (d *doc) widthIn(style string, size float64, s string) float64 {
	return float64(d.units(styleIndex(style), s)) * d.unitSize(size) / 1000
}

// unitSize converts a font size to millimetres exactly as fpdf does, so
// that widths agree with fpdf's to the last bit.
func (d *doc) unitSize(size float64) float64 { return size / d.k }

// units is the width of s in 1/1000 em in style st (see styleIndex).
func (d *doc) units(st int, s string) int {
	n := 0
	for _, r := range s {
		n += d.m.runeUnits(st, r)
	}
	return n
}

// breakAfter are the characters after which a long identifier may be broken
// (paths, rule ids, hashes, URLs).
const breakAfter = "-_/.:,;=@+"

// wrap splits cleaned text into lines no wider than w in the current
// font; see wrapIn.
func (d *doc) wrap(s string, w float64) []string { return d.wrapIn(d.style, d.size, s, w) }

// wrapIn splits cleaned text into lines no wider than w in style at size
// points, keeping explicit line breaks. Words wider than a line are broken,
// preferably after one of breakAfter, so long ids and hashes never run off
// the page.
//
// Widths are summed in whole font units, so a line's width is the sum of
// its words' and spaces' widths, each counted once.
func (d *doc) wrapIn(style string, size float64, s string, w float64) []string {
	st, unit := styleIndex(style), d.unitSize(size)
	fits := func(units int) bool { return float64(units)*unit/1000 <= w }
	space := d.m.runeUnits(st, ' ')
	var out []string
	for len(s) > 0 || out == nil {
		p := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			p, s = s[:i], s[i+1:]
			if s == "" {
				// A trailing break ends with an empty line, as splitting
				// the text at its breaks would.
				out = d.wrapLine(out, st, unit, p, w, space, fits)
				out = append(out, "")
				break
			}
		} else {
			s = ""
		}
		out = d.wrapLine(out, st, unit, p, w, space, fits)
	}
	return out
}

// wrapLine appends the lines of one paragraph p (no line breaks) to out.
// The current line is kept as a slice of p while its words are separated by
// single spaces, so building it allocates nothing.
func (d *doc) wrapLine(out []string, st int, unit float64, p string, w float64, space int, fits func(int) bool) []string {
	cur, curUnits := "", 0
	curEnd := -1 // cur is p[curStart:curEnd] when curEnd >= 0
	curStart := 0
	for i := 0; i <= len(p); {
		j := strings.IndexByte(p[i:], ' ')
		if j < 0 {
			j = len(p)
		} else {
			j += i
		}
		word := p[i:j]
		ws := i
		i = j + 1
		if word == "" {
			continue
		}
		wordUnits := d.units(st, word)
		if cur == "" {
			if fits(wordUnits) {
				cur, curUnits, curStart, curEnd = word, wordUnits, ws, j
				continue
			}
		} else if fits(curUnits + space + wordUnits) {
			if curEnd >= 0 && ws == curEnd+1 {
				curEnd = j
				cur = p[curStart:curEnd]
			} else {
				cur += " " + word
				curEnd = -1
			}
			curUnits += space + wordUnits
			continue
		}
		if cur != "" {
			out = append(out, cur)
		}
		for {
			head, rest := d.splitWord(st, unit, word, w)
			if rest == "" {
				break
			}
			out = append(out, head)
			word = rest
			ws = j - len(rest)
		}
		cur, curStart, curEnd = word, ws, j
		curUnits = d.units(st, word)
	}
	return append(out, cur)
}

// splitWord returns the longest prefix of word that fits in w (at least one
// character), shortened to end after a break character when one falls in
// its second half, and the rest. It reads only as far as the prefix, so
// breaking a huge word is linear in its length. unit is the font size in
// millimetres.
func (d *doc) splitWord(st int, unit float64, word string, w float64) (string, string) {
	end, used := 0, 0.0
	lastCut := -1 // byte offset just after the last break character
	for i, r := range word {
		cw := float64(d.m.runeUnits(st, r)) * unit / 1000
		if used+cw > w && i > 0 {
			break
		}
		used += cw
		end = i + utf8.RuneLen(r)
		if strings.ContainsRune(breakAfter, r) {
			lastCut = end
		}
	}
	if end < len(word) && lastCut >= 0 && lastCut >= end/2 && lastCut < end {
		end = lastCut
	}
	return word[:end], word[end:]
}

// fit shortens cleaned text with an ellipsis so that it fits in w, for chart
// labels whose full text is printed elsewhere in the report.
func (d *doc) fit(s string, w float64) string {
	if d.width(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && d.width(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}

// shortHash prints the first 12 hex digits of a SHA-256, enough to find a
// file in SHA256SUMS; the full value is in results.json and the workbook.
func shortHash(h string) string {
	if h == "" {
		return "-"
	}
	if rs := []rune(h); len(rs) > 12 {
		return string(rs[:12]) + "…"
	}
	return h
}
