package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
)

var update = flag.Bool("update", false, "refresh the committed demo results (testdata/results/demo.json) and the golden Q3 → Q4 changes (testdata/diff/golden)")

// TestCheckFormatsKeepFailOn runs check in every format on the Q4 project,
// which has failing controls: each format writes its document and the
// exit code follows --fail-on alone.
func TestCheckFormatsKeepFailOn(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "diff", "q4", "auditpack.yaml")
	parse := map[string]func([]byte) error{
		"text":     func(b []byte) error { return expect(b, "failing controls:") },
		"json":     func(b []byte) error { var v any; return json.Unmarshal(b, &v) },
		"sarif":    func(b []byte) error { return expect(b, `"version": "2.1.0"`) },
		"junit":    func(b []byte) error { var v struct{}; return xml.Unmarshal(b, &v) },
		"markdown": func(b []byte) error { return expect(b, "### Controls needing attention") },
		"oscal":    func(b []byte) error { return expect(b, `"oscal-version": "1.1.3"`) },
	}
	for _, format := range checkFormats {
		t.Run(format, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", format)
			if code != exitFailing || !strings.Contains(stderr, "have a verdict in --fail-on") {
				t.Errorf("default --fail-on: exit %d (%s), want %d", code, stderr, exitFailing)
			}
			if err := parse[format]([]byte(stdout)); err != nil {
				t.Errorf("output: %v\n%.400s", err, stdout)
			}
			if code, _, stderr := runCLI(t, "check", "-c", cfg, "--format", format, "--fail-on", "manual"); code != exitFailing {
				t.Errorf("--fail-on manual: exit %d (%s)", code, stderr)
			}
			if code, _, stderr := runCLI(t, "check", "-c", cfg, "--format", format, "--fail-on", "none"); code != exitOK {
				t.Errorf("no --fail-on verdicts: exit %d (%s)", code, stderr)
			}
		})
	}
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--format", "yaml"); code != exitInput || !strings.Contains(stderr, "valid: text, json, sarif, junit, markdown, oscal") {
		t.Errorf("unknown format: exit %d, %s", code, stderr)
	}
}

func expect(b []byte, s string) error {
	if !bytes.Contains(b, []byte(s)) {
		return &usageError{"missing " + s}
	}
	return nil
}

// TestMarkdownShowsRegressionsSincePrevious feeds Q3's results as the
// previous run of Q4.
func TestMarkdownShowsRegressionsSincePrevious(t *testing.T) {
	q3 := quarterResults(t, "q3")
	cfg := filepath.Join("..", "..", "testdata", "diff", "q4", "auditpack.yaml")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "markdown", "--previous", q3)
	if code != exitFailing {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "### Regressions since 2026-09-30 (3)") || !strings.Contains(stdout, "` pci-dss@4.0.1:4.2.1 `") {
		t.Errorf("no regressions section:\n%s", stdout)
	}
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--format", "json", "--previous", q3); code != exitInput {
		t.Errorf("--previous with json: exit %d (%s), want %d", code, stderr, exitInput)
	}
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--format", "markdown", "--previous", filepath.Join(q3, "nope")); code != exitInput || !strings.Contains(stderr, "nope") {
		t.Errorf("bad --previous: exit %d (%s), want %d", code, stderr, exitInput)
	}
}

// TestCommittedDemoResultsAreCurrent keeps the renderers' fixture honest:
// it must equal what the demo writes today.
func TestCommittedDemoResultsAreCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runCLI(t, "demo", "--out", out); code != exitOK {
		t.Fatalf("demo exited %d: %s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := reporttest.Path(reporttest.DemoResults)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date (run go test ./cmd/auditpack -run CommittedDemo -update)", reporttest.DemoResults)
	}
}
