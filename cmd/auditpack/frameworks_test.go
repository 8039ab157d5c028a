package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

func TestFrameworksListShowsEveryCatalog(t *testing.T) {
	code, stdout, stderr := runCLI(t, "frameworks", "list")
	if code != 0 {
		t.Fatalf("frameworks list exited %d: %s", code, stderr)
	}
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(reg.Catalogs()); n != 6 {
		t.Errorf("%d built-in catalogs, want 6", n)
	}
	for _, c := range reg.Catalogs() {
		line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(c.Ref()) + `\s+(\d+) controls`).FindStringSubmatch(stdout)
		if line == nil || line[1] != fmt.Sprint(len(c.Controls())) {
			t.Errorf("frameworks list does not show %s with %d controls:\n%s", c.Ref(), len(c.Controls()), stdout)
		}
		for _, b := range c.Baselines {
			sel, _ := c.Baseline(b.ID)
			want := fmt.Sprintf("%-26s %4d controls", "#"+b.ID, len(sel.Controls()))
			if !strings.Contains(stdout, want) {
				t.Errorf("frameworks list does not show baseline %q:\n%s", want, stdout)
			}
		}
	}
}

// demoResults runs the demo for the given frameworks and returns its results.
func demoResults(t *testing.T, names ...string) audit.Results {
	t.Helper()
	out := filepath.Join(t.TempDir(), "pkg")
	args := []string{"demo", "--out", out}
	for _, n := range names {
		args = append(args, "--framework", n)
	}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("demo %v exited %d: %s", names, code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := schemadoc.Parse("results.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := schemadoc.MustCompile("results.schema.json", resultsfile.Schema()).Validate(v); err != nil {
		t.Fatalf("results.json does not match its schema: %v", err)
	}
	var res audit.Results
	if err := unmarshalResults(data, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// The demo's configuration names PCI DSS and SOC 2; --framework replaces them, and the
// results then hold exactly the chosen catalog's controls, each judged or left manual.
func TestDemoForEachFramework(t *testing.T) {
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pci-dss", "soc2", "iso27001", "nist-800-53", "nist-800-53-moderate", "nist-800-53-low", "csf", "hipaa"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cat, err := reg.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			res := demoResults(t, name)
			if len(res.Frameworks) != 1 || res.Frameworks[0].Ref != cat.Ref() || res.Frameworks[0].Baseline != cat.BaselineID {
				t.Fatalf("frameworks in results: %+v", res.Frameworks)
			}
			want := cat.Controls()
			if len(res.Controls) != len(want) || res.Frameworks[0].Controls != len(want) {
				t.Fatalf("results.json has %d controls, want exactly the %d of %s", len(res.Controls), len(want), cat.Selector())
			}
			for i, c := range res.Controls {
				if c.Ref != cat.ControlRef(want[i].ID) {
					t.Fatalf("control %d is %s, want %s", i, c.Ref, cat.ControlRef(want[i].ID))
				}
			}
			judged := 0
			for _, c := range res.Controls {
				if len(c.Rules) > 0 {
					judged++
				}
			}
			if judged < 10 {
				t.Errorf("only %d controls of %s have an automated rule", judged, cat.Selector())
			}
			for _, w := range res.Warnings {
				if strings.Contains(w.Message, "supports rule") {
					t.Errorf("evidence for another framework's rule is not a dangling reference: %s: %s", w.Source, w.Message)
				}
			}
			for _, r := range res.RuleResults {
				if !slices.ContainsFunc(res.Rules, func(ri audit.RuleInfo) bool { return ri.ID == r.Rule }) {
					t.Errorf("rule result for %s, which is not a selected rule", r.Rule)
				}
			}
		})
	}
}

// A mitigation's evidence counts for every framework whose rules need its capability:
// the edge and CDE firewall export backs PCI DSS, SOC 2, ISO 27001, SP 800-53 and CSF.
func TestDemoEvidenceServesEveryFramework(t *testing.T) {
	res := demoResults(t, "pci-dss", "soc2", "iso27001", "nist-800-53", "csf", "hipaa")
	if len(res.Controls) != 280+61+93+1011+106+65 {
		t.Errorf("got %d controls for the six frameworks", len(res.Controls))
	}
	byItem := map[string]map[string]bool{}
	for _, r := range res.RuleResults {
		for _, e := range r.Evidence {
			if e.Status != "ok" {
				continue
			}
			if byItem[e.Item] == nil {
				byItem[e.Item] = map[string]bool{}
			}
			byItem[e.Item][strings.SplitN(r.Rule, "-", 2)[0]] = true
		}
	}
	for _, item := range []string{"EV-NSC-RULESET", "EV-TLS-EDGE", "EV-IDP-MFA", "EV-LOGGING-CONFIG", "EV-INTERNAL-SCAN-2026-Q4"} {
		for _, fw := range []string{"pci", "soc2", "iso", "nist", "csf"} {
			if !byItem[item][fw] {
				t.Errorf("evidence %s backs no %s rule (backs: %v)", item, fw, byItem[item])
			}
		}
	}
	// The payment platform holds no ePHI: every HIPAA rule asks an auditor to
	// confirm that scope instead of passing.
	for _, r := range res.RuleResults {
		if strings.HasPrefix(r.Rule, "hipaa-") && (r.Verdict != "manual" || r.Element.ID != "") {
			t.Errorf("%s: %s for %q; without ePHI the scope must be confirmed", r.Rule, r.Verdict, r.Element.ID)
		}
	}
}
