package xlsx

import (
	"strings"
	"testing"
)

// wrappedLinesBySplitting is how wrappedLines counted before it walked the
// text itself: split into lines, then into words with strings.Fields.
func wrappedLinesBySplitting(text string, width float64) int {
	per := max(int(width*1.1)-1, 1)
	n := 0
	for _, line := range strings.Split(text, "\n") {
		lines, col := 1, 0
		for _, word := range strings.Fields(line) {
			w := 0
			for _, r := range word {
				w += runeWidth(r)
			}
			switch {
			case col == 0:
				col = w
			case col+1+w <= per:
				col += 1 + w
			default:
				lines++
				col = w
			}
			for col > per {
				lines++
				col -= per
			}
		}
		n += lines
	}
	return n
}

func TestWrappedLinesCountsAsSplitting(t *testing.T) {
	texts := []string{"", " ", "\n", "a\n", "\na", "short", "one\ntwo\nthree", strings.Repeat("word ", 20),
		strings.Repeat("x", 45), "日本語日本語日本語", "  lead and trail  ", "tabs\tand\vform\ffeeds\rhere",
		"no\u00a0break\u3000ideographic\u0085next\u2028line\u2003em", "invalid \xff\xfe bytes\xc3", "wide 中文 mixed 字 text",
		strings.Repeat("a b ", 50) + strings.Repeat("z", 90) + "\n\n" + strings.Repeat("日本 ", 30)}
	for _, text := range texts {
		for _, width := range []float64{0, 1, 3, 8, 10, 14, 30, 64} {
			if got, want := wrappedLines(text, width), wrappedLinesBySplitting(text, width); got != want {
				t.Errorf("wrappedLines(%q, %v) = %d, splitting counts %d", text, width, got, want)
			}
		}
	}
}

func TestCleanPassesSafeASCII(t *testing.T) {
	for _, s := range []string{"", "plain text", "=1+1", "tab\tand\nnewline", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./"} {
		if !safeASCII(s) || clean(s) != s {
			t.Errorf("clean(%q) = %q", s, clean(s))
		}
	}
	for _, s := range []string{"cr\r\nlf", "del\x7f", "nul\x00", "caf\u00e9", "\xff"} {
		if safeASCII(s) {
			t.Errorf("safeASCII(%q)", s)
		}
	}
}
