package pdf

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// The chapter Evidence requests has a bookmark, lists every request of the
// results with its owner and due date, and says when none is asked.
func TestRequestsChapter(t *testing.T) {
	r := loadDemo(t)
	if len(r.Requests) == 0 {
		t.Fatal("the demo results carry no requests")
	}
	pdf := render(t, r, demoOptions)
	if !slices.Contains(outlineTitles(t, pdf), titleRequests) {
		t.Fatalf("no bookmark %q", titleRequests)
	}
	text := pdftotext(t, pdf)
	start := strings.Index(text, titleRequests+"\n")
	end := strings.Index(text, titleThreats+"\n")
	if start < 0 || end < start {
		t.Fatal("no chapter Evidence requests before Open threats")
	}
	chapter := strings.Join(strings.Fields(text[start:end]), " ")
	for _, q := range r.Requests {
		if !strings.Contains(chapter, q.ID) {
			t.Errorf("request %s is not in the chapter", q.ID)
		}
	}
	if !strings.Contains(chapter, "due 2026-11-29") || !strings.Contains(chapter, "(unassigned)") ||
		!strings.Contains(chapter, "due 14 days after the as-of date") {
		t.Error("the chapter does not give due dates, the unassigned requests and the rule for the due date")
	}
	none := *r
	none.Requests = []audit.EvidenceRequest{}
	if text := pdftotext(t, render(t, &none, demoOptions)); !strings.Contains(text, "No evidence is requested") {
		t.Error("a report without requests does not say so")
	}
}
