package printable

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"payment service":              "payment service",
		"x\r  satisfied\x1b[K":         `x\r  satisfied\x1b[K`,
		"a\nb\tc":                      `a\nb\tc`,
		"evil\u202etxt.exe":            `evil\u202etxt.exe`,
		"\u2066iso\u2069 \u200b\ufeff": `\u2066iso\u2069 \u200b\ufeff`,
		"line\u2028sep":                `line\u2028sep`,
		"c1 \u0085 \u009b":             `c1 \u0085 \u009b`,
		"bad \xff \x9b byte":           `bad \xff \x9b byte`,
		"del \x7f nul \x00":            `del \x7f nul \x00`,
		`C:\Users\zoë — ünïcode ✓ 支付`:  `C:\Users\zoë — ünïcode ✓ 支付`,
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Text("a\nb\tc\rd"); got != "a\nb\tc\\rd" {
		t.Errorf("Text kept or escaped the wrong characters: %q", got)
	}
}

// TestWriterSplitsCharacters: a character split between writes is printed
// whole, and one never completed is escaped.
func TestWriterSplitsCharacters(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	in := []byte("zoë \u202e end\x1b\n")
	for i := range in {
		w.Write(in[i : i+1])
	}
	w.Write([]byte{0xe2, 0x80})
	w.Flush()
	if got, want := buf.String(), "zoë \\u202e end\\x1b\n\\xe2\\x80"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzString(f *testing.F) {
	f.Add("x\r  satisfied \x1b[K \u202e \xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{String(s), Text(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q: output %q is not UTF-8", s, out)
			}
			for _, r := range out {
				if unsafe(r) && r != '\n' && r != '\t' {
					t.Fatalf("%q: output %q keeps %U", s, out, r)
				}
			}
		}
		if strings.ContainsAny(String(s), "\n\t") {
			t.Fatalf("String(%q) keeps a line feed or tab", s)
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		for i := 0; i < len(s); i += 3 {
			w.Write([]byte(s[i:min(i+3, len(s))]))
		}
		w.Flush()
		if buf.String() != Text(s) {
			t.Fatalf("%q: writer gave %q, Text %q", s, buf.String(), Text(s))
		}
	})
}
