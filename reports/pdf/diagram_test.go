package pdf

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestScopeDiagramChapter checks the chapter is bookmarked right after the
// scope tables, listed in the contents, and names the demo's components.
func TestScopeDiagramChapter(t *testing.T) {
	r := loadDemo(t)
	out := render(t, r, demoOptions)
	titles := outlineTitles(t, out)
	i := slices.Index(titles, titleDiagram)
	if i < 1 || titles[i-1] != titleScope {
		t.Fatalf("bookmark %q at %d, want it right after %q; bookmarks: %q", titleDiagram, i, titleScope, titles)
	}
	pages := strings.Split(pdftotext(t, out), "\f")
	start := pageIndex(pages, titleDiagram, 2)
	if start < 0 || !strings.Contains(pages[1], titleDiagram) {
		t.Fatalf("chapter %q not found, or not in the contents", titleDiagram)
	}
	// The picture may be turned a quarter: pdftotext then prints its words
	// one per line or reversed, so only whole ids set in one run are looked
	// for, across the chapter's pages.
	body := strings.Join(pages[start:pageIndex(pages, titleControls, start)], "\n")
	for _, id := range []string{"payment-service", "card-vault", "api-gateway"} {
		if !strings.Contains(body, id) {
			t.Errorf("the scope diagram does not name %s", id)
		}
	}
	if !strings.Contains(body, "Legend") {
		t.Error("the scope diagram has no legend")
	}
}

// TestScopeDiagramDeterministic renders the report twice and compares.
func TestScopeDiagramDeterministic(t *testing.T) {
	r := loadDemo(t)
	if a, b := render(t, r, demoOptions), render(t, r, demoOptions); !bytes.Equal(a, b) {
		t.Fatal("two renders of the same results differ")
	}
}
