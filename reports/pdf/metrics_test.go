package pdf

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
)

// TestWidthsMatchFpdf checks the width tables against fpdf's own measure.
func TestWidthsMatchFpdf(t *testing.T) {
	g, err := glyphs()
	if err != nil {
		t.Fatal(err)
	}
	m, err := metrics()
	if err != nil {
		t.Fatal(err)
	}
	d := newDoc(tiny("Org", "store"), Options{}, time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC), g, m, layout{})
	texts := []string{"", "Acme Pay Ltd", "Σύστημα πληρωμών", "Zürich — “quotes” … • → ↔", "[U+4E2D]", "\uFFFD"}
	for _, style := range styles {
		for _, size := range []float64{7.5, 9, 16} {
			d.font(style, size)
			for _, s := range texts {
				if got, want := d.width(s), d.pdf.GetStringWidth(s); got != want {
					t.Errorf("width(%q) in %q %v = %v, fpdf says %v", s, style, size, got, want)
				}
			}
		}
	}
}

// TestPlainASCIIIsClean checks that the text clean passes through without
// looking at its runes is text that cleaning would leave as it is.
func TestPlainASCIIIsClean(t *testing.T) {
	g, err := glyphs()
	if err != nil {
		t.Fatal(err)
	}
	if !g.ascii {
		t.Fatal("the embedded fonts lack a printable ASCII character")
	}
	d := &doc{glyphs: g, subs: map[rune]bool{}}
	for _, s := range []string{"", "a", "Acme Pay Ltd", "rule-a: c-00001 (db): no encryption", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
		" lead", "trail ", "two  spaces", " ", "tab\there", "line\nbreak", "cr\rlf", "del\x7f", "nul\x00", "caf\u00e9", "\xff"} {
		for _, keep := range []bool{false, true} {
			if plainASCII(s) && d.cleanRunes(s, keep) != s {
				t.Errorf("plainASCII(%q), but cleaning gives %q", s, d.cleanRunes(s, keep))
			}
		}
		if want := !strings.ContainsAny(s, "\t\n\r\x7f\x00\u00e9\xff") && !strings.HasPrefix(s, " ") &&
			!strings.HasSuffix(s, " ") && !strings.Contains(s, "  "); plainASCII(s) != want {
			t.Errorf("plainASCII(%q) = %v", s, !want)
		}
	}
}

// TestDraftPassLaysOutAsAFullPass checks that a draft pass, which does not
// typeset table rows, learns the layout a full pass would.
func TestDraftPassLaysOutAsAFullPass(t *testing.T) {
	g, err := glyphs()
	if err != nil {
		t.Fatal(err)
	}
	m, err := metrics()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"Σύστημα πληρωμών", "中文 store", "a  b", strings.Repeat("long-name_", 30)}
	for i := range 300 {
		names = append(names, fmt.Sprintf("Store %03d", i))
	}
	for name, r := range map[string]*audit.Results{"demo": loadDemo(t), "tiny": tiny("Org \u202e", names...)} {
		asOf, err := time.Parse(time.DateOnly, r.Project.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		var prev layout
		for pass := range 2 {
			var got [2]layout
			for i, draft := range []bool{false, true} {
				d := newDoc(r, Options{PackageID: "p"}, asOf, g, m, prev)
				d.draft = draft
				if err := d.build(); err != nil {
					t.Fatal(err)
				}
				got[i] = d.layout()
			}
			if got[0].pages < 3 || !got[0].equal(got[1]) {
				t.Errorf("%s, pass %d: a draft pass lays out %d pages, a full one %d, or their anchors differ",
					name, pass, got[1].pages, got[0].pages)
			}
			prev = got[0]
		}
	}
}
