package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/exception"
)

// previousDemo is the demo as an earlier quarter could have seen it: its
// first not-satisfied control was satisfied, its expired exception was
// active, one evidence file had another hash and the tool was older.
func previousDemo(t *testing.T) (*audit.Results, string) {
	t.Helper()
	old := loadDemo(t)
	old.Project.AsOf = "2026-08-15"
	old.Tool.Version = "0.0.9"
	ref := ""
	for i := range old.Controls {
		if old.Controls[i].Verdict == eval.NotSatisfied {
			old.Controls[i].Verdict = eval.Satisfied
			ref = old.Controls[i].Ref
			break
		}
	}
	for i := range old.Exceptions {
		if old.Exceptions[i].Status == exception.Expired {
			old.Exceptions[i].Status = exception.Active
		}
	}
	old.Evidence.Items[0].Files[0].SHA256 = strings.Repeat("ab", 32)
	if ref == "" {
		t.Fatal("the demo has no not-satisfied control")
	}
	return old, ref
}

func changesOptions(c *diff.Changes) Options {
	o := demoOptions
	o.Changes, o.PreviousPackageID = c, "AP-PREVIOUS01"
	return o
}

func TestChangesChapter(t *testing.T) {
	old, ref := previousDemo(t)
	r := loadDemo(t)
	ch := diff.Compare(old, r)
	if ch.Summary.Regressions != 1 || ch.Summary.Exceptions != 1 || ch.Summary.Evidence != 1 || ch.Summary.Versions != 1 {
		t.Fatalf("the fixture does not make the changes the test expects: %+v", ch.Summary)
	}
	pdf := render(t, r, changesOptions(ch))
	if !slices.Contains(outlineTitles(t, pdf), titleChanges) {
		t.Errorf("no bookmark %q", titleChanges)
	}
	text := pdftotext(t, pdf)
	pages := strings.Split(text, "\f")
	chapter := pageIndex(pages, titleChanges, 2)
	if chapter < 0 || chapter <= pageIndex(pages, titleSummary, 2) || chapter >= pageIndex(pages, titleScope, 2) {
		t.Fatalf("the chapter is not between the executive summary and the scope (pages %d, %d, %d)",
			pageIndex(pages, titleSummary, 2), chapter, pageIndex(pages, titleScope, 2))
	}
	m := regexp.MustCompile(`1 regression since 2026-08-15 \(package AP-PREVIOUS01\), 0 improvements; see\s+"` +
		titleChanges + `", page (\d+)\.`).FindStringSubmatch(strings.Join(strings.Fields(text), " "))
	if m == nil {
		t.Fatal("the executive summary does not state the regressions since the previous package")
	}
	if m[1] != fmt.Sprint(chapter+1) {
		t.Errorf("the summary points to page %s, the chapter is on page %d", m[1], chapter+1)
	}
	body := strings.Join(pages[chapter:pageIndex(pages, titleScope, 2)], "\n")
	fw, id, _ := strings.Cut(ref, ":")
	fw, _, _ = strings.Cut(fw, "@")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Previous package\s+AP-PREVIOUS01`),
		regexp.MustCompile(`Previous as-of date\s+2026-08-15`),
		regexp.MustCompile(`Regressions \(1\)`),
		regexp.MustCompile(regexp.QuoteMeta(fw+" "+id) + `\s.*satisfied\s+not-satisfied`),
		regexp.MustCompile(`Improvements \(0\)\s+None\.`),
		regexp.MustCompile(`Scope \(0\)\s+None\.`),
		regexp.MustCompile(`hash-changed`),
		regexp.MustCompile(`expired\s+active\s+expired`),
		regexp.MustCompile(`tool\s+auditpack\s+0\.0\.9\s+` + regexp.QuoteMeta(r.Tool.Version)),
	} {
		if !want.MatchString(body) {
			t.Errorf("the chapter does not match %s:\n%s", want, body)
		}
	}
}

// pageIndex is the first page, from page from on, on which title starts a
// line; -1 when none does.
func pageIndex(pages []string, title string, from int) int {
	re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(title) + `\s*$`)
	for i := from; i < len(pages); i++ {
		if re.MatchString(pages[i]) {
			return i
		}
	}
	return -1
}

func TestNoChangesIsStated(t *testing.T) {
	r := loadDemo(t)
	text := pdftotext(t, render(t, r, changesOptions(diff.Compare(loadDemo(t), r))))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"0 regressions since 2026-11-15", "No changes: every control has the verdict it had"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	if strings.Contains(flat, "Regressions (") {
		t.Error("a report without changes lists change sections")
	}
}

func TestChangesAreDeterministicAndOptional(t *testing.T) {
	old, _ := previousDemo(t)
	r := loadDemo(t)
	a := render(t, r, changesOptions(diff.Compare(old, r)))
	b := render(t, loadDemo(t), changesOptions(diff.Compare(old, loadDemo(t))))
	if !bytes.Equal(a, b) {
		t.Fatal("two renders with the same changes differ")
	}
	without := render(t, r, demoOptions)
	if bytes.Equal(a, without) {
		t.Fatal("the changes do not reach the report")
	}
	o := demoOptions
	o.PreviousPackageID = "AP-PREVIOUS01" // meaningless without changes
	if !bytes.Equal(render(t, r, o), without) {
		t.Fatal("a previous package id without changes must not change the report")
	}
}

func TestChangesTextIsCleaned(t *testing.T) {
	r := loadDemo(t)
	ch := diff.Compare(loadDemo(t), r)
	ch.Versions = []diff.VersionChange{{Kind: "rule-set", ID: "rs\u202Eevil\x00", From: "1", To: "2"}}
	text := pdftotext(t, render(t, r, changesOptions(ch)))
	if !strings.Contains(text, "rs[U+202E]evil[U+0000]") {
		t.Error("control and bidirectional characters in the changes are not shown as substitutes")
	}
}
