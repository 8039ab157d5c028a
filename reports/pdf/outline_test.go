package pdf

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/auditpack/auditpack/audit/eval"
)

// outlineTitles returns the titles of the PDF's outline items (bookmarks) in
// file order. fpdf writes them as plain objects, each with /Title and
// /Parent, so no PDF library is needed to read them back.
func outlineTitles(t *testing.T, pdf []byte) []string {
	t.Helper()
	objRE := regexp.MustCompile(`(?s)\n\d+ 0 obj\n(.*?)\nendobj`)
	var titles []string
	for _, m := range objRE.FindAllSubmatch(pdf, -1) {
		body := m[1]
		if !bytes.Contains(body, []byte("/Parent ")) {
			continue
		}
		i := bytes.Index(body, []byte("/Title ("))
		if i < 0 {
			continue
		}
		s, ok := pdfString(body[i+len("/Title "):])
		if !ok {
			t.Fatalf("malformed outline title in %q", body)
		}
		titles = append(titles, s)
	}
	return titles
}

// pdfString decodes the literal string at the start of b, "(...)", with its
// escapes and balanced parentheses, as text (UTF-16BE with a byte order
// mark, or PDFDocEncoding treated as Latin-1).
func pdfString(b []byte) (string, bool) {
	if len(b) == 0 || b[0] != '(' {
		return "", false
	}
	var out []byte
	depth := 0
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch c {
		case '\\':
			i++
			if i >= len(b) {
				return "", false
			}
			switch e := b[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			default:
				if e >= '0' && e <= '7' {
					v := 0
					for k := 0; k < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; k++ {
						v = v*8 + int(b[i]-'0')
						i++
					}
					i--
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			if depth == 0 {
				return decodeText(out), true
			}
			depth--
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return "", false
}

func decodeText(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		u := make([]uint16, 0, (len(b)-2)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func TestOutlineHasEveryChapterAndFramework(t *testing.T) {
	r := loadDemo(t)
	titles := outlineTitles(t, render(t, r, demoOptions))
	if len(titles) == 0 {
		t.Fatal("the report has no outline")
	}
	for _, c := range chapters {
		if !slices.Contains(titles, c) {
			t.Errorf("no bookmark for chapter %q; bookmarks: %q", c, titles)
		}
	}
	for _, f := range r.Frameworks {
		n := 0
		for _, s := range titles {
			if s == f.Title {
				n++
			}
		}
		if n != 3 {
			t.Errorf("framework %q has %d bookmarks, want 3 (control results, statement of applicability and findings)", f.Title, n)
		}
	}
	for _, want := range []string{"A.1 Inputs", "A.3 How to verify this package", "1 Install and Maintain Network Security Controls", "CC6 Logical and Physical Access Controls"} {
		if !slices.Contains(titles, want) {
			t.Errorf("no bookmark %q", want)
		}
	}
	n := 0
	for _, c := range r.Controls {
		if c.Verdict == eval.NotSatisfied || c.Verdict == eval.NeedsEvidence || c.Verdict == eval.Excepted {
			n++
			fw, _, _ := strings.Cut(c.Framework, "@")
			if want := fw + " " + c.ID + " " + string(c.Verdict); !slices.Contains(titles, want) {
				t.Errorf("no bookmark for the finding %q", want)
			}
		}
	}
	if n == 0 {
		t.Fatal("the demo has no findings to bookmark")
	}
}
