package schemadoc

import "testing"

// TestStrayBOM: one leading mark is the file's; any other before the first
// significant byte is refused, with its line.
func TestStrayBOM(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int // 0: accepted
	}{
		{"{}", 0},
		{"\xef\xbb\xbf{}", 0},
		{"\xef\xbb\xbf\xef\xbb\xbf{}", 1},
		{"  \xef\xbb\xbf{}", 1},
		{"\xef\xbb\xbf\n\n\xef\xbb\xbfa: 1", 3},
		{"a: \xef\xbb\xbf", 0},
		{"", 0},
	} {
		p := StrayBOM([]byte(c.doc))
		switch {
		case c.line == 0 && p != nil:
			t.Errorf("%q: refused: %v", c.doc, p.Message)
		case c.line != 0 && (p == nil || p.Line != c.line):
			t.Errorf("%q: %+v, want line %d", c.doc, p, c.line)
		}
	}
}
