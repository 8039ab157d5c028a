package main

import (
	"archive/zip"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/diff"
)

// quarterResults evaluates testdata/diff/<quarter> with check and stores
// the results as a package directory would hold them.
func quarterResults(t *testing.T, quarter string) string {
	t.Helper()
	cfg := filepath.Join("..", "..", "testdata", "diff", quarter, "auditpack.yaml")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json", "--fail-on", "none")
	if code != exitOK {
		t.Fatalf("check %s exited %d: %s", quarter, code, stderr)
	}
	dir := filepath.Join(t.TempDir(), quarter)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestQuarterlyDiff is the acceptance test of diff: between Q3 and Q4 the
// checkout flow lost its encryption, the settlement TLS scan aged past the
// rule's 90 days and the exception for the card store expired. The diff
// must report exactly those, and the control regressions they cause.
func TestQuarterlyDiff(t *testing.T) {
	q3, q4 := quarterResults(t, "q3"), quarterResults(t, "q4")
	code, stdout, stderr := runCLI(t, "diff", "--format", "json", q3, q4)
	if code != exitOK {
		t.Fatalf("diff exited %d without --fail-on-regression: %s", code, stderr)
	}
	var ch diff.Changes
	if err := json.Unmarshal([]byte(stdout), &ch); err != nil {
		t.Fatal(err)
	}
	type finding struct{ Rule, Element, From, To string }
	type control struct {
		Ref, From, To, Direction string
		Findings                 []finding
	}
	var controls []control
	for _, c := range ch.Controls {
		cc := control{c.Ref, string(c.From), string(c.To), c.Direction, nil}
		for _, f := range c.Findings {
			cc.Findings = append(cc.Findings, finding{f.Rule, f.Element.ID, string(f.From), string(f.To)})
		}
		controls = append(controls, cc)
	}
	wantControls := []control{
		{"pci-dss@4.0.1:4.2.1", "satisfied", "not-satisfied", diff.Regression, []finding{
			{"pci-4.2.1-pan-open-networks", "f-checkout", "satisfied", "not-satisfied"}, // the flow lost its encryption
			{"pci-4.2.1-pan-open-networks", "f-settle", "satisfied", "needs-evidence"},  // its scan is too old
		}},
		{"pci-dss@4.0.1:1.2.6", "manual", "not-satisfied", diff.Regression, []finding{
			{"pci-1.2.6-insecure-protocols", "f-checkout", "", "not-satisfied"}, // plain HTTP brings it into scope
			{"pci-1.2.6-insecure-protocols", "", "manual", ""},                  // the empty scope to confirm is gone
		}},
		{"pci-dss@4.0.1:3.5.1", "excepted", "not-satisfied", diff.Regression, []finding{
			{"pci-3.5.1-pan-unreadable-at-rest", "card-store", "excepted", "not-satisfied"}, // the exception expired
		}},
	}
	if !reflect.DeepEqual(controls, wantControls) {
		t.Errorf("controls:\n got %+v\nwant %+v", controls, wantControls)
	}
	if len(ch.Evidence) != 1 {
		t.Fatalf("evidence changes: %+v", ch.Evidence)
	}
	if e := ch.Evidence[0]; e.Item != "EV-TLS-BANK" || e.Change != diff.EvidenceStale || e.From != "ok" || e.To != "too-old" {
		t.Errorf("evidence change: %+v", e)
	}
	if len(ch.Exceptions) != 1 {
		t.Fatalf("exception changes: %+v", ch.Exceptions)
	}
	if x := ch.Exceptions[0]; x.ID != "EX-2026-007" || x.Change != diff.ExceptionExpired || x.From != "active" || x.To != "expired" {
		t.Errorf("exception change: %+v", x)
	}
	// Plain HTTP brings the checkout flow into the scope of the insecure
	// protocol rule; nothing else enters or leaves scope.
	if len(ch.Scope) != 1 || ch.Scope[0].Element.ID != "f-checkout" || !reflect.DeepEqual(ch.Scope[0].RulesAdded, []string{"pci-1.2.6-insecure-protocols"}) || len(ch.Versions) != 0 {
		t.Errorf("scope %+v, versions %+v", ch.Scope, ch.Versions)
	}
	wantSummary := diff.Summary{Regressions: 3, Scope: 1, Evidence: 1, Exceptions: 1}
	if ch.Summary != wantSummary {
		t.Errorf("summary %+v, want %+v", ch.Summary, wantSummary)
	}
	if ch.Old.AsOf != "2026-09-30" || ch.New.AsOf != "2026-12-15" || ch.SchemaVersion != diff.SchemaVersion {
		t.Errorf("sides %+v → %+v, schema %s", ch.Old, ch.New, ch.SchemaVersion)
	}

	code, _, stderr = runCLI(t, "diff", "--fail-on-regression", q3, q4)
	if code != exitFailing || !strings.Contains(stderr, "3 control(s) regressed") {
		t.Errorf("--fail-on-regression exited %d (%s), want %d", code, stderr, exitFailing)
	}
	code, _, stderr = runCLI(t, "diff", "--fail-on-regression", q4, q3)
	if code != exitOK {
		t.Errorf("Q4 to Q3 only improves, yet --fail-on-regression exited %d: %s", code, stderr)
	}
	for _, format := range []string{"text", "markdown"} {
		code, stdout, _ := runCLI(t, "diff", "--format", format, q3, q4)
		if code != exitOK || !strings.Contains(stdout, "EV-TLS-BANK") || !strings.Contains(stdout, "EX-2026-007") || !strings.Contains(stdout, "pci-dss@4.0.1:4.2.1") {
			t.Errorf("%s: exit %d, output:\n%s", format, code, stdout)
		}
	}
}

// TestDiffReadsEveryPackageForm compares a directory, a zip and a bare
// results.json, which must all give the same changes.
func TestDiffReadsEveryPackageForm(t *testing.T) {
	q3, q4 := quarterResults(t, "q3"), quarterResults(t, "q4")
	data, _ := os.ReadFile(filepath.Join(q3, "results.json"))
	zipped := zipOfResults(t, map[string]string{"results.json": string(data), "manifest.json": "{}"})
	_, want, _ := runCLI(t, "diff", "--format", "json", q3, q4)
	for _, old := range []string{zipped, filepath.Join(q3, "results.json")} {
		code, got, stderr := runCLI(t, "diff", "--format", "json", old, q4)
		if code != exitOK || got != want {
			t.Errorf("diff from %s: exit %d (%s), output differs: %v", old, code, stderr, got != want)
		}
	}
}

func zipOfResults(t *testing.T, files map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "package.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}
