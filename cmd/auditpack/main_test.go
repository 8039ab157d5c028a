package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

func fixedNow() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }

// runCLI runs one command line and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLIHooked(t, nil, args...)
}

// runCLIHooked is runCLI with beforeCommit run just before the build moves
// its package into place.
func runCLIHooked(t *testing.T, beforeCommit func(), args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runHooked(context.Background(), append([]string{"auditpack"}, args...), &out, &errOut, fixedNow, testHooks(beforeCommit))
	return code, out.String(), errOut.String()
}

// testHooks are the hooks of every command line a test runs: the test
// facts format (testReadFacts) and beforeCommit, which may be nil.
func testHooks(beforeCommit func()) hooks {
	return hooks{beforeCommit: beforeCommit, readFacts: testReadFacts}
}

func TestDemoResultsAreCompleteValidAndDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, out := range []string{a, b} {
		if code, _, stderr := runCLI(t, "demo", "--out", out); code != 0 {
			t.Fatalf("demo exited %d: %s", code, stderr)
		}
	}
	ra, _ := os.ReadFile(filepath.Join(a, "results.json"))
	rb, _ := os.ReadFile(filepath.Join(b, "results.json"))
	if len(ra) == 0 || !bytes.Equal(ra, rb) {
		t.Fatal("two demo runs must give identical, non-empty results.json")
	}
	// The report and the workbook name the signer, and demo makes a new
	// throwaway key each run; builds with one key are compared in
	// TestRebuildGivesIdenticalUnsignedFiles.
	for _, name := range []string{"oscal/assessment-results.json", "scope-diagram.svg", "inputs/model/model.yaml"} {
		fa, errA := os.ReadFile(filepath.Join(a, name))
		fb, errB := os.ReadFile(filepath.Join(b, name))
		if errA != nil || errB != nil || len(fa) == 0 || !bytes.Equal(fa, fb) {
			t.Errorf("%s must be in the demo package and identical across runs (%v, %v)", name, errA, errB)
		}
	}
	for _, name := range []string{"report.pdf", "workbook.xlsx"} {
		if _, err := os.Stat(filepath.Join(a, name)); err != nil {
			t.Errorf("the demo package must carry %s: %v", name, err)
		}
	}

	schema := schemadoc.MustCompile("results.schema.json", resultsfile.Schema())
	v, _, err := schemadoc.Parse("results.json", ra)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Fatalf("results.json does not match its schema: %v", err)
	}

	var res audit.Results
	if err := unmarshalResults(ra, &res); err != nil {
		t.Fatal(err)
	}
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	verdicts := map[string]int{}
	for _, c := range res.Controls {
		seen[c.Ref] = true
		verdicts[string(c.Verdict)]++
		if c.Reason == "" {
			t.Errorf("%s has no reason", c.Ref)
		}
	}
	for _, name := range []string{"pci-dss", "aicpa-tsc"} {
		cat, err := reg.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range cat.Controls() {
			if !seen[cat.ControlRef(n.ID)] {
				t.Errorf("control %s is missing from the results", cat.ControlRef(n.ID))
			}
		}
	}
	if len(res.Controls) != 280+61 {
		t.Errorf("got %d controls, want 341", len(res.Controls))
	}
	for _, v := range []string{"satisfied", "not-satisfied", "needs-evidence", "excepted", "not-applicable", "manual"} {
		if verdicts[v] == 0 {
			t.Errorf("no control has verdict %s; the demo must show every verdict", v)
		}
	}
	for _, rr := range res.RuleResults {
		if len(rr.Reasons) == 0 {
			t.Errorf("rule result %s/%s has no reasons", rr.Rule, rr.Element.ID)
		}
	}
	expired := false
	for _, x := range res.Exceptions {
		expired = expired || x.Status == "expired"
	}
	if !expired {
		t.Error("the demo must show an expired exception")
	}
}

func TestDemoRefusesToOverwrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pkg")
	if code, _, _ := runCLI(t, "demo", "--out", out); code != 0 {
		t.Fatal("first run failed")
	}
	code, _, stderr := runCLI(t, "demo", "--out", out)
	if code != exitInput || !strings.Contains(stderr, "--force") {
		t.Fatalf("second run without --force: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "demo", "--out", out, "--force"); code != 0 {
		t.Fatal("--force must replace the output")
	}
}

func TestCheckFailOn(t *testing.T) {
	dir := writeProject(t, nil)
	cfg := filepath.Join(dir, "auditpack.yaml")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg)
	if code != exitFailing || !strings.Contains(stdout, "pci-dss@4.0.1:1.4.4") {
		t.Fatalf("check must fail on the demo's not-satisfied controls: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "bogus"); code != exitInput || !strings.Contains(stderr, "unknown verdict") {
		t.Fatalf("an unknown verdict is a usage error: exit %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "check", "-c", cfg, "--fail-on", "excepted"); code != exitFailing {
		t.Fatalf("an excepted control must fail --fail-on excepted: exit %d", code)
	}
	t.Setenv("AUDITPACK_AS_OF", "2026-06-01")
	code, stdout, _ = runCLI(t, "check", "-c", cfg, "--format", "json", "--fail-on", "manual")
	if code != exitFailing || !strings.Contains(stdout, `"as_of":"2026-06-01"`) {
		t.Fatalf("AUDITPACK_AS_OF must override the configuration: exit %d", code)
	}
}

func TestMalformedInputsExitTwoNamingFileAndPlace(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		mangle  func(string) string
		wantErr []string
	}{
		{"model", "model.yaml", func(s string) string {
			return strings.Replace(s, "kind: datastore, type: database, zone: cde", "kind: databse, type: database, zone: cde", 1)
		}, []string{"model.yaml:", "/components/8/kind"}},
		{"model reference", "model.yaml", func(s string) string {
			return strings.Replace(s, "target: tokenization-service", "target: tokenisation-service", 1)
		}, []string{"model.yaml:", "/flows/3", `"tokenisation-service"`}},
		{"manifest", "evidence/manifest.yaml", func(s string) string {
			return strings.Replace(s, `collected_at: "2026-10-20"`, `collected_at: "20 Oct 2026"`, 1)
		}, []string{"manifest.yaml:", "/items/0/collected_at"}},
		{"config", "auditpack.yaml", func(s string) string {
			return strings.Replace(s, "as_of: \"2026-11-15\"", "as_of: \"2026-11-15\"\nframeworkz: [pci]", 1)
		}, []string{"auditpack.yaml:", "frameworkz"}},
		{"exceptions", "exceptions.yaml", func(s string) string {
			return strings.Replace(s, `expires_on: "2027-03-31"`, `expires_on: "2026-01-31"`, 1)
		}, []string{"exceptions.yaml:", "/exceptions/0/expires_on", "not after its approval"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeProject(t, map[string]func(string) string{tt.file: tt.mangle})
			out := filepath.Join(dir, "out")
			code, _, stderr := runCLI(t, "build", "-c", filepath.Join(dir, "auditpack.yaml"), "--out", out)
			if code != exitInput {
				t.Fatalf("exit %d, want %d; stderr: %s", code, exitInput, stderr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("a failed build must leave no output directory")
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, ".auditpack-tmp-*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary directories left behind: %v", leftovers)
			}
		})
	}
}

func TestMalformedRuleFileExitsTwo(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.rules.yaml")
	os.WriteFile(bad, []byte("schema: auditpack/rules/v1\nruleset: {id: x, version: \"1\", title: x}\nrules:\n  - id: r\n    title: r\n    satisfies: [{control: \"pci-dss@4.0.1:4.2.1\", relationship: subset-of}]\n    applies_to: {element: dataflow, where: {field: encrpyted, op: eq, value: true}}\n    requires: {capability: encrypt-in-transit}\n"), 0o644)
	code, _, stderr := runCLI(t, "rules", "lint", bad)
	if code != exitInput || !strings.Contains(stderr, "bad.rules.yaml:7") || !strings.Contains(stderr, `unknown field "encrpyted"`) {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}

func TestEvidenceVerifyExitCodes(t *testing.T) {
	dir := writeProject(t, nil)
	ev := filepath.Join(dir, "evidence")
	if code, stdout, _ := runCLI(t, "evidence", "verify", "--as-of", "2026-11-15", ev); code != exitIntegrity || !strings.Contains(stdout, "undeclared-file") {
		t.Fatalf("the demo bundle has an undeclared file: exit %d\n%s", code, stdout)
	}
	os.RemoveAll(filepath.Join(ev, "inbox"))
	if code, stdout, _ := runCLI(t, "evidence", "verify", "--as-of", "2026-11-15", ev); code != exitOK {
		t.Fatalf("a clean bundle verifies: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "evidence", "verify", "--as-of", "2027-11-15", ev); code != exitOK {
		t.Fatalf("items without validity never go stale on their own: exit %d", code)
	}
}

func TestFrameworksListAndExplain(t *testing.T) {
	code, stdout, _ := runCLI(t, "frameworks", "list")
	if code != 0 || !strings.Contains(stdout, "pci-dss@4.0.1") || !strings.Contains(stdout, " 280 controls") || !strings.Contains(stdout, "  61 controls") {
		t.Fatalf("frameworks list: %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "explain", "--demo", "pci-dss@4.0.1:3.5.1")
	if code != 0 || !strings.Contains(stdout, "excepted by EX-2026-004") {
		t.Fatalf("explain: %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "nonsense"); code != exitInput {
		t.Fatalf("an unknown command exits %d, want %d", code, exitInput)
	}
}
