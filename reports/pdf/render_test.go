package pdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
)

const goldenText = "testdata/golden/report.txt"

func TestRenderIsDeterministic(t *testing.T) {
	r := loadDemo(t)
	a := render(t, r, demoOptions)
	b := render(t, loadDemo(t), demoOptions)
	if !bytes.Equal(a, b) {
		t.Fatalf("two renders differ (%d and %d bytes)", len(a), len(b))
	}
	if !bytes.HasPrefix(a, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(a), []byte("%%EOF")) {
		t.Fatal("output is not a single-revision PDF")
	}
	if n := bytes.Count(a, []byte("%%EOF")); n != 1 {
		t.Fatalf("the report has %d revisions, want 1", n)
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261115000000)")) {
		t.Error("the creation date must be the as-of date")
	}
}

func TestRenderDoesNotModifyResults(t *testing.T) {
	r := loadDemo(t)
	before, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	render(t, r, demoOptions)
	after, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("Render changed the results")
	}
}

func TestRenderRefusesResultsWithoutAsOf(t *testing.T) {
	r := loadDemo(t)
	r.Project.AsOf = ""
	if err := Render(&bytes.Buffer{}, r, Options{}); err == nil || !strings.Contains(err.Error(), "as-of") {
		t.Fatalf("Render without an as-of date = %v, want an error naming it", err)
	}
	if err := Render(&bytes.Buffer{}, nil, Options{}); err == nil {
		t.Fatal("Render(nil) must fail")
	}
}

func TestTextHasEveryControlWithItsVerdict(t *testing.T) {
	r := loadDemo(t)
	text := pdftotext(t, render(t, r, demoOptions))
	for _, c := range r.Controls {
		// In the control results, a row starts with the id and carries the
		// verdict and the coverage flag on the same line; a satisfied or
		// manual verdict has its kind on the next line.
		pattern := `(?m)^\s*` + regexp.QuoteMeta(c.ID) + `\s+.*\s` + regexp.QuoteMeta(string(c.Verdict)) + `\s+` + regexp.QuoteMeta(c.Coverage) + `\b`
		kind := map[eval.Verdict]string{eval.Satisfied: "technical part", eval.Manual: view.ManualLabel(c.Manual)}[c.Verdict]
		if c.Verdict == eval.Satisfied && c.Coverage == audit.CoverageFull {
			kind = "in full"
		}
		if kind != "" {
			pattern += `.*\n.*\s` + regexp.QuoteMeta(kind) + `\b`
		}
		if !regexp.MustCompile(pattern).MatchString(text) {
			t.Errorf("no row for control %s (%s %s, %s coverage) in the extracted text", c.Ref, c.Verdict, kind, c.Coverage)
		}
	}
}

// TestSummaryCountsSatisfiedAndManualByPart reads the counts table of the
// executive summary back: one row per part in words, whose numbers are the
// framework counts and add up, and no count headed by a bare "satisfied".
func TestSummaryCountsSatisfiedAndManualByPart(t *testing.T) {
	r := loadDemo(t)
	pages := strings.Split(pdftotext(t, render(t, r, demoOptions)), "\f")
	var summary string
	for _, p := range pages {
		if strings.Contains(p, titleSummary) && !strings.Contains(p, titleContents) {
			summary += p
		}
	}
	if summary == "" {
		t.Fatal("no executive summary pages")
	}
	row := func(label string, n func(audit.Counts) int) *regexp.Regexp {
		nums := []string{regexp.QuoteMeta(label)}
		for _, f := range r.Frameworks {
			nums = append(nums, fmt.Sprint(n(f.Counts)))
		}
		return regexp.MustCompile(`(?m)^\s*` + strings.Join(append(nums, fmt.Sprint(n(r.Summary))), `\s+`) + `\s*$`)
	}
	for _, p := range view.Parts() {
		if !row(p.Label, p.Of).MatchString(summary) {
			t.Errorf("the summary table has no row %q with the counts %d of all frameworks", p.Label, p.Of(r.Summary))
		}
	}
	if !row("total", func(c audit.Counts) int { return c.Total }).MatchString(summary) {
		t.Errorf("the summary table has no total row")
	}
	for _, c := range append([]audit.Counts{r.Summary}, r.Frameworks[0].Counts, r.Frameworks[1].Counts) {
		if err := view.CheckCounts(c); err != nil {
			t.Errorf("the demo's counts: %v", err)
		}
	}
	for _, m := range regexp.MustCompile(`satisfied\s+\d`).FindAllStringIndex(summary, -1) {
		if before := summary[:m[0]]; !strings.HasSuffix(before, "technical part ") && !strings.HasSuffix(before, "not ") {
			t.Errorf("a bare satisfied count: %q", summary[max(m[0]-30, 0):m[1]])
		}
	}
	s := r.Summary
	para := fmt.Sprintf(`%d with the technical part satisfied and %d satisfied in full,.*%d manual \(%d with a scope to confirm, %d with no automated rule, %d left to auditor\s+judgement\)`,
		s.SatisfiedTechnical, s.SatisfiedFull, s.Manual, s.ManualConfirmScope, s.ManualNoRule, s.ManualJudgement)
	if !regexp.MustCompile(`(?s)` + para).MatchString(summary) {
		t.Errorf("the summary paragraph does not give the parts: want %s", para)
	}
	for _, want := range []string{"Excepted and manual controls are not satisfied", "technical part only",
		"No control is satisfied in full", "no longer applies", "DEMO SIGNATURE"} {
		if !strings.Contains(strings.Join(pages, "\f"), want) {
			t.Errorf("the report does not say %q", want)
		}
	}
}

func TestFullTextSaysHowManyAreSatisfiedInFull(t *testing.T) {
	for n, want := range map[int]string{0: "No control is satisfied in full", 1: "One control is satisfied in full", 7: "7 controls are satisfied in full"} {
		if got := fullText(audit.Counts{SatisfiedFull: n}); !strings.HasPrefix(got, want) {
			t.Errorf("fullText with %d in full = %q, want %q...", n, got, want)
		}
	}
}

func TestDemoSignatureIsMarkedOnEveryPage(t *testing.T) {
	r := loadDemo(t)
	pages := strings.Split(pdftotext(t, render(t, r, demoOptions)), "\f")
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(p, "DEMO SIGNATURE") {
			t.Errorf("page %d does not mark the demo signature", i+1)
		}
		if !strings.Contains(p, fmt.Sprintf("Page %d of %d", i+1, len(pages)-1)) {
			t.Errorf("page %d has no \"page N of M\" footer", i+1)
		}
	}

	plain := pdftotext(t, render(t, r, Options{PackageID: "p1"}))
	if strings.Contains(plain, "DEMO SIGNATURE") {
		t.Error("a report without the demo flag must not mention a demo signature")
	}
	if !regexp.MustCompile(`Signer\s+unsigned`).MatchString(plain) {
		t.Error("the cover must say unsigned when no signer is given")
	}
}

func TestTopGapsLinkToTheirFindings(t *testing.T) {
	r := loadDemo(t)
	pdf := render(t, r, demoOptions)
	if n := bytes.Count(pdf, []byte("/Subtype /Link")); n < 5*6 {
		t.Errorf("only %d link annotations; every top gap row links to its finding", n)
	}
	text := pdftotext(t, pdf)
	re := regexp.MustCompile(`pci-dss 1\.4\.4\s.*not-satisfied\s+critical\s.*p\. (\d+)`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatal("the top gaps do not list pci-dss 1.4.4 with its severity and page")
	}
	pages := strings.Split(text, "\f")
	var page int
	fmt.Sscan(m[1], &page)
	if page < 1 || page > len(pages) || !regexp.MustCompile(`pci-dss 1\.4\.4\s+CHD storage`).MatchString(pages[page-1]) {
		t.Errorf("the top gap points to page %d, which does not hold the finding", page)
	}
}

func TestQPDFCheck(t *testing.T) {
	bin := tool(t, "qpdf")
	in := writeTemp(t, "report.pdf", render(t, loadDemo(t), demoOptions))
	out, err := exec.Command(bin, "--check", in).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check:\n%s", out)
	}
}

// TestGoldenText compares the extracted text of the demo report with
// testdata/golden/report.txt. `go test ./reports/pdf -update` refreshes the
// demo results from `auditpack demo` and then the golden text.
func TestGoldenText(t *testing.T) {
	if *update {
	}
	got := pdftotext(t, render(t, loadDemo(t), demoOptions))
	if *update {
		if err := os.WriteFile(goldenText, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenText)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/pdf -update)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("report text differs from %s at line %d:\n got: %q\nwant: %q\n(run go test ./reports/pdf -update if the change is intended)",
					goldenText, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("report text has %d lines, %s has %d", len(gl), goldenText, len(wl))
	}
}

func BenchmarkRenderDemo(b *testing.B) {
	r := loadDemo(b)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, r, demoOptions); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
