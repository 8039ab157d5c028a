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
func (d *doc) width(s string) float64 {
	_, size := d.pdf.GetFontSize()
	units := 0
	for _, r := range s {
		units += d.runeUnits(r)
	}
	return float64(units) * size / 1000
}

// runeUnits caches glyph widths (in 1/1000 em) per style, because wrapping
// measures every character many times.
func (d *doc) runeUnits(r rune) int {
	key := widthKey{d.style, r}
	if w, ok := d.widths[key]; ok {
		return w
	}
	w := d.pdf.GetStringSymbolWidth(string(r))
	d.widths[key] = w
	return w
}

type widthKey struct {
	style string
	r     rune
}

// breakAfter are the characters after which a long identifier may be broken
// (paths, rule ids, hashes, URLs).
const breakAfter = "-_/.:,;=@+"

// wrap splits cleaned text into lines no wider than w, keeping explicit
// line breaks. Words wider than a line are broken, preferably after one of
// breakAfter, so long ids and hashes never run off the page.
func (d *doc) wrap(s string, w float64) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		cur := ""
		for _, word := range strings.Split(p, " ") {
			if word == "" {
				continue
			}
			cand := word
			if cur != "" {
				cand = cur + " " + word
			}
			if d.width(cand) <= w {
				cur = cand
				continue
			}
			if cur != "" {
				out = append(out, cur)
			}
			for {
				head, rest := d.splitWord(word, w)
				if rest == "" {
					break
				}
				out = append(out, head)
				word = rest
			}
			cur = word
		}
		out = append(out, cur)
	}
	return out
}

// splitWord returns the longest prefix of word that fits in w (at least one
// character), shortened to end after a break character when one falls in
// its second half, and the rest. It reads only as far as the prefix, so
// breaking a huge word is linear in its length.
func (d *doc) splitWord(word string, w float64) (string, string) {
	_, size := d.pdf.GetFontSize()
	end, used := 0, 0.0
	var cuts []int // byte offsets just after a break character
	for i, r := range word {
		cw := float64(d.runeUnits(r)) * size / 1000
		if used+cw > w && i > 0 {
			break
		}
		used += cw
		end = i + utf8.RuneLen(r)
		if strings.ContainsRune(breakAfter, r) {
			cuts = append(cuts, end)
		}
	}
	if end < len(word) && len(cuts) > 0 && cuts[len(cuts)-1] >= end/2 && cuts[len(cuts)-1] < end {
		end = cuts[len(cuts)-1]
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
