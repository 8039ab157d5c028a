package pdf

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The samples appendix comes last and lists every sample with its
// population size, size, seed and members in draw order.
func TestSamplesAppendix(t *testing.T) {
	r := loadDemo(t)
	if len(r.Samples) == 0 {
		t.Fatal("the demo has no samples")
	}
	pdf := render(t, r, demoOptions)
	if titles := outlineTitles(t, pdf); !slices.Contains(titles, titleSamples) {
		t.Fatalf("no bookmark %q", titleSamples)
	}
	pages := strings.Split(pdftotext(t, pdf), "\f")
	start := pageIndex(pages, titleSamples, 2)
	if start < 0 || start <= pageIndex(pages, titleAppendix, 2) {
		t.Fatalf("the samples appendix is not after the appendix (page %d)", start)
	}
	body := strings.Join(strings.Fields(strings.Join(pages[start:], " ")), " ")
	at := 0
	for _, s := range r.Samples {
		head := regexp.QuoteMeta(s.Control+": "+s.Of()) + ` Population ` + strconv.Itoa(s.PopulationSize) +
			`; sample size ` + strconv.Itoa(s.Size) + ` \(`
		loc := regexp.MustCompile(head).FindStringIndex(body[at:])
		if loc == nil {
			t.Fatalf("no sample of %s (%s) after offset %d", s.Control, s.Of(), at)
		}
		at += loc[0]
		seed := strings.Index(body[at:], "Seed "+s.Seed)
		if seed < 0 {
			t.Fatalf("%s: seed %s not printed", s.Control, s.Seed)
		}
		prev := at + seed
		for _, m := range s.Members {
			i := strings.Index(body[prev:], m.ID)
			if i < 0 || !strings.Contains(body[prev+i:], m.Key[:16]) {
				t.Fatalf("%s: member %s (key %s) not printed in draw order", s.Control, m.ID, m.Key[:16])
			}
			prev += i
		}
		at = prev
	}
}
