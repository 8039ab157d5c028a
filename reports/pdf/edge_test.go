package pdf

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
)

// tiny builds a small, complete Results by hand: one framework with one
// group and two controls, one rule failing on every component, and the
// given organisation and component names.
func tiny(org string, names ...string) *audit.Results {
	const fw = "pci-dss@4.0.1"
	r := &audit.Results{
		SchemaVersion: audit.SchemaVersion,
		Tool:          audit.Tool{Name: "auditpack", Version: "test"},
		Project:       audit.Project{Organisation: org, System: "System of " + org, PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31", AsOf: "2026-11-15"},
		Inputs:        []audit.InputFile{{Role: "model", Name: "model.yaml", Format: "auditpack", SHA256: strings.Repeat("ab", 32), Size: 10}},
		Frameworks: []audit.FrameworkInfo{{ID: "pci-dss", Version: "4.0.1", Ref: fw, Title: "PCI DSS test catalog",
			Groups: []audit.Group{{ID: "1", Kind: "principal-requirement", Name: "Network security"}}}},
		Rules: []audit.RuleInfo{{ID: "rule-a", Title: "Stores are encrypted", Severity: "high", Remediation: "Encrypt the store.",
			Controls: []string{fw + ":1.1"}, Element: "datastore"}},
		Model: audit.ModelInfo{Title: "Model of " + org, Zones: []model.Zone{{ID: "z", Name: "Zone " + org}}},
	}
	ctl := audit.Control{Framework: fw, ID: "1.1", Ref: fw + ":1.1", Name: "Encrypt stores of " + org, Group: "1",
		Parents: []string{"1"}, Verdict: eval.NotSatisfied, Coverage: audit.CoveragePartial, Rules: []string{"rule-a"},
		Reason: "rule-a: " + names[0] + ": no encryption"}
	for i, n := range names {
		id := fmt.Sprintf("c%d", i)
		r.Model.Components = append(r.Model.Components, model.Component{ID: id, Name: n, Kind: model.KindDatastore, Zone: "z"})
		el := eval.ElementRef{ID: id, Kind: model.KindDatastore, Name: n}
		r.RuleResults = append(r.RuleResults, eval.Result{Rule: "rule-a", Element: el, Verdict: eval.NotSatisfied,
			Reasons: []eval.Reason{{Code: "missing", Message: "no mitigation providing encrypt-at-rest on " + n}}})
		ctl.Findings = append(ctl.Findings, audit.Finding{Rule: "rule-a", Element: el, Verdict: eval.NotSatisfied, Assessed: eval.NotSatisfied})
	}
	manual := audit.Control{Framework: fw, ID: "1.2", Ref: fw + ":1.2", Name: "Policies", Group: "1", Parents: []string{"1"},
		Verdict: eval.Manual, Coverage: audit.CoverageNone, Reason: "no automated rule covers this control"}
	r.Controls = []audit.Control{ctl, manual}
	for _, c := range r.Controls {
		r.Frameworks[0].Counts.Add(c.Verdict)
		r.Summary.Add(c.Verdict)
	}
	r.Frameworks[0].Controls = len(r.Controls)
	r.Model.Threats = []model.Threat{{ID: "T-1", Title: "Threat to " + names[0], Severity: "high", Status: model.ThreatOpen, Targets: []string{"c0"}}}
	return r
}

func TestScriptsRenderOrAreMarked(t *testing.T) {
	const (
		greek    = "Σύστημα πληρωμών Ωμέγα"
		cyrillic = "Платёжный шлюз Жёлтый"
		latin    = "Zürich Café Ångström façade Łódź Œuvre"
		cjk      = "支付网关"
	)
	r := tiny("Ελληνική Τράπεζα ΑΕ", greek, cyrillic, latin, cjk+" gateway")
	text := pdftotext(t, render(t, r, Options{}))
	for _, want := range []string{greek, cyrillic, latin, "Ελληνική Τράπεζα ΑΕ"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	if strings.ContainsAny(text, cjk) {
		t.Error("CJK characters were drawn with a font that has no glyphs for them")
	}
	if !strings.Contains(text, "[U+652F][U+4ED8][U+7F51][U+5173] gateway") {
		t.Error("CJK characters are not printed as marked substitutes")
	}
	if !regexp.MustCompile(`Substitution happened in this report for 4 distinct\s+characters: \[U\+4ED8\] \[U\+5173\] \[U\+652F\] \[U\+7F51\]`).MatchString(text) {
		t.Error("the appendix does not list the substituted characters")
	}
}

func TestHostileTextIsNeutralised(t *testing.T) {
	long := strings.Repeat("x", 100000) // one word: must be broken, in linear time
	r := tiny("Evil\x00\x07 Org\xff\xfe {nb} (paren \\ back",
		"RLO \u202egnp.exe", long, "card 💳 store", "tab\there\r\nnext")
	r.Exceptions = []audit.ExceptionInfo{{ID: "EX-1", Type: "risk-acceptance", Control: r.Controls[0].Ref, Status: "expired",
		ExpiresOn: "2026-01-01", Justification: strings.Repeat("word ", 20000)}}
	pdf := render(t, r, Options{PackageID: "pkg\u202e1"})
	if !bytes.Equal(pdf, render(t, r, Options{PackageID: "pkg\u202e1"})) {
		t.Error("hostile input made the output nondeterministic")
	}
	text := pdftotext(t, pdf)
	for _, want := range []string{"Evil[U+0000][U+0007] Org� {nb} (paren \\ back", "RLO [U+202E]gnp.exe", "card [U+1F4B3] store",
		"tab here next", "more lines; the full text is in results.json", "Package pkg[U+202E]1", "EXPIRED"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	if strings.ContainsRune(text, '\u202e') || strings.ContainsRune(text, 0) {
		t.Error("a control or bidi character reached the page")
	}
	checkInsidePage(t, pdf)
}

func TestLargeModelShowsTwentyElementsPerControl(t *testing.T) {
	names := make([]string, 2500)
	for i := range names {
		names[i] = fmt.Sprintf("Store %04d", i)
	}
	text := pdftotext(t, render(t, tiny("Big Co", names...), Options{}))
	if !strings.Contains(text, `2480 more elements (2480 not-satisfied) are not shown. The workbook sheet "Findings"`) {
		t.Error("the findings do not point to the workbook for the elements left out")
	}
	_, findings, _ := strings.Cut(text, "\n4 Findings\n")
	findings, _, _ = strings.Cut(findings, "5 Exceptions and compensating controls\n")
	if n := len(regexp.MustCompile(`not-satisfied\s+Store \d{4} \(c\d+\), datastore`).FindAllString(findings, -1)); n != maxElements {
		t.Errorf("the findings print %d elements of the control, want %d", n, maxElements)
	}
}

// checkInsidePage fails if any word is drawn outside the margins or over
// the footer, using the word boxes pdftotext reports.
func checkInsidePage(t *testing.T, pdf []byte) {
	t.Helper()
	bin := tool(t, "pdftotext")
	out, err := exec.Command(bin, "-bbox", writeTemp(t, "r.pdf", pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	const mm = 72 / 25.4
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	words := re.FindAllStringSubmatch(string(out), -1)
	if len(words) == 0 {
		t.Fatal("pdftotext -bbox found no words")
	}
	for _, w := range words {
		x0, _ := strconv.ParseFloat(w[1], 64)
		x1, _ := strconv.ParseFloat(w[3], 64)
		y1, _ := strconv.ParseFloat(w[4], 64)
		if x0 < marginX*mm-1 || x1 > (pageW-marginX)*mm+1 || y1 > (pageH-8)*mm {
			t.Errorf("word %q drawn outside the page area (x %.0f–%.0f, bottom %.0f pt)", w[5], x0, x1, y1)
		}
	}
}

func TestDemoStaysInsideThePage(t *testing.T) {
	checkInsidePage(t, render(t, loadDemo(t), demoOptions))
}

func TestControlsOfUndescribedFrameworksAreKept(t *testing.T) {
	r := tiny("Odd Co", "Store")
	r.Controls = append(r.Controls, audit.Control{Framework: "iso27001@2022", ID: "A.8.24", Ref: "iso27001@2022:A.8.24",
		Name: "Use of cryptography", Verdict: eval.NotSatisfied, Coverage: audit.CoveragePartial, Reason: "rule-x failed"})
	pdf := render(t, r, Options{})
	text := pdftotext(t, pdf)
	if !regexp.MustCompile(`A\.8\.24\s+Use of cryptography\s+not-satisfied\s+partial`).MatchString(text) {
		t.Error("a control whose framework the results do not describe was left out")
	}
	bin := tool(t, "qpdf")
	if out, err := exec.Command(bin, "--check", writeTemp(t, "odd.pdf", pdf)).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// An exception the framework only reports (a SOC 2 deviation) must not read
// as one that excepts the finding.
func TestReportedExceptionDoesNotReadAsApplied(t *testing.T) {
	r := tiny("Org", "Card store")
	f := &r.Controls[0].Findings[0]
	f.Deviation, f.Note = "EX-9", "deviation EX-9 reported, not excepted: SOC 2 reports deviations"
	r.Controls[0].Exceptions = []string{"EX-9"}
	r.Exceptions = []audit.ExceptionInfo{{ID: "EX-9", Type: "deviation", Control: r.Controls[0].Ref, Status: "active",
		ApprovedOn: "2026-01-01", ExpiresOn: "2026-12-31", Justification: "known gap", AppliedTo: []string{},
		ReportedOn: []string{"rule-a c0 for " + r.Controls[0].Ref},
		Effects:    []audit.ExceptionEffect{{Framework: "aicpa-tsc", Effect: "reported", Reason: "SOC 2 reports deviations"}}}}
	text := strings.Join(strings.Fields(pdftotext(t, render(t, r, Options{PackageID: "p"}))), " ")
	for _, want := range []string{"EX-9 is reported beside this finding and does not except it", "Reported on",
		"nothing (no finding was excepted by it)", "reported beside failing findings, which keep their verdict"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	if strings.Contains(text, "EX-9 applies") {
		t.Error("a reported exception is shown as applied")
	}
}
