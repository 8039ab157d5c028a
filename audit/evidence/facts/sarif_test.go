package facts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const sarifDir = corpusDir + "/sarif"

// Each real file, with values checked by hand against it and the trap
// each one sets. None gives a security-severity: severities come from
// levels, the result's own or its rule's default.
func TestSARIFRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		want map[string]any
	}{
		// Checkov: every result level error, so every one is high.
		{"sast-tool-testing__checkov.sarif", map[string]any{
			"scan.tool":          "checkov 2.0.418",
			"scan.findings_open": 20, "scan.high_open": 20, "scan.medium_open": 0,
			"scan.failed_checks":    []string{"CKV_AWS_118", "CKV_AWS_129", "CKV_AWS_157", "CKV_AWS_16", "CKV_AWS_161", "CKV_AWS_17"},
			"scan.failed_resources": []string{"aws/aws_db_instance.tf"},
			// Relative paths name no repository: no target, no invented one.
			"scan.targets": nil,
			// No invocations: whether the run completed is not stated.
			"scan.complete": nil,
		}},
		{"aws-trading-poc__results_sarif.sarif", map[string]any{
			"scan.tool": "Checkov 3.2.485", "scan.findings_open": 135, "scan.high_open": 135,
		}},
		{"collabinfra__checkov.sarif", map[string]any{
			"scan.tool": "Checkov 2.3.240", "scan.findings_open": 547, "scan.high_open": 547,
		}},
		// Semgrep snapshot. Traps: results come before tool, so the rules'
		// error level is known only at the end; semanticVersion is the
		// harness's "placeholder", not a version.
		{"semgrep__sarif_output_with_source.sarif", map[string]any{
			"scan.tool":          "Semgrep OSS",
			"scan.findings_open": 2, "scan.high_open": 2,
			"scan.failed_checks": []string{"rules.eqeq-is-bad", "rules.javascript-basic-eqeq-bad"},
			"scan.complete":      true, "scan.errors": []string{},
		}},
		{"semgrep__sarif_output_with_dataflow_traces.sarif", map[string]any{
			"scan.findings_open": 1, "scan.medium_open": 1,
			"scan.failed_resources": []string{"targets/taint/taint.py"},
		}},
		{"defectdojo__semgrepowasp-benchmark-sample.sarif", map[string]any{
			"scan.tool": "semgrep 0.17.0", "scan.findings_open": 1768, "scan.medium_open": 1768,
		}},
		// CodeQL: results carry no level; each rule's default decides
		// (57 note, 11 error, 4 warning).
		{"defectdojo__codeQL-output.sarif", map[string]any{
			"scan.tool":          "CodeQL 2.5.4",
			"scan.findings_open": 72, "scan.high_open": 11, "scan.medium_open": 4, "scan.low_open": 57,
		}},
		{"ghsecreport__java-detailed.sarif", map[string]any{
			"scan.findings_open": 15, "scan.high_open": 15,
			"scan.failed_checks": []string{"java/concatenated-sql-query", "java/insecure-cookie", "java/sql-injection",
				"java/unsafe-deserialization", "java/xxe"},
		}},
		{"ghsecreport__javascript-builtin.sarif", map[string]any{
			"scan.findings_open": 10, "scan.medium_open": 10,
		}},
		// Two runs of two tools: both named, results of both counted.
		{"codeql-action__valid-sarif.sarif", map[string]any{
			"scan.tool":          "LGTM.com 1.24.0-SNAPSHOT, CodeQL command-line toolchain 2.0.0",
			"scan.findings_open": 3, "scan.low_open": 3,
			"scan.failed_resources": []string{"main.js", "src/promiseUtils.js"},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(sarifDir, tc.file)
			r := parseFile(t, "sarif", path)
			checkTypes(t, r)
			for name, want := range tc.want {
				if got := factValue(r, name); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", name, got, want)
				}
			}
			checkGolden(t, path, r)
		})
	}
}

// A hand-made file with every way a result is not open, scores on rules
// and results, an extension's rule, and a run whose results come first.
func TestSARIFOpenSuppressedAndScored(t *testing.T) {
	r := parseFile(t, "sarif", filepath.Join(sarifDir, "edge", "severity.sarif"))
	checkTypes(t, r)
	want := map[string]any{
		"scan.tool": "ExampleScanner 1.4.2",
		"scan.date": "2025-03-01T09:05:00Z",
		// Open: no suppression, underReview, rejected, baseline
		// unchanged, the extension's result, the scored-zero one; not:
		// accepted, suppressed without status, baseline absent, pass,
		// notApplicable, review, informational.
		"scan.findings_open": 8,
		// 10.0 on the rule; 9.1 on the result beats the rule's 2.5.
		"scan.critical_open": 2,
		// 8.8 on the rule three times, and level error without a score.
		"scan.high_open":   4,
		"scan.medium_open": 1,
		"scan.low_open":    0,
		"scan.failed_checks": []string{"CVE-2024-3094", "lib/advisory", "py/debug", "py/sql-injection",
			"py/weak-hash", "py/zero"},
		// src/db.py and src/app.py are named by artifact index only.
		"scan.failed_resources":  []string{"Dockerfile", "src/app.py", "src/db.py"},
		"scan.vulnerability_ids": []string{"CVE-2024-3094", "GHSA-jfh8-c2jp-5v3q"},
		"scan.errors":            []string{"run 0: could not parse src/broken.py"},
		"scan.complete":          false,
		"scan.targets":           []string{"https://github.com/example/shop.git"},
	}
	for name, w := range want {
		if got := factValue(r, name); !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", name, got, w)
		}
	}
	if len(r.Covered) != 1 || !reflect.DeepEqual(r.Covered[0].Aliases, []string{"github.com/example/shop"}) {
		t.Errorf("covered = %+v", r.Covered)
	}
	byID := map[string]Check{}
	for _, c := range r.Checks {
		byID[c.ID] = c
	}
	if c := byID["py/debug"]; c.Failed != 1 || c.Passed != 1 || c.At != "/runs/0/tool/driver/rules/3" {
		t.Errorf("py/debug = %+v", c)
	}
	if c := byID["py/sql-injection"]; c.Failed != 3 {
		t.Errorf("py/sql-injection = %+v, want 3 open", c)
	}
	if c := byID["lib/advisory"]; c.At != "/runs/0/tool/extensions/0/rules/0" {
		t.Errorf("lib/advisory = %+v", c)
	}
}

func TestSARIFEmptyAndHaltedScans(t *testing.T) {
	r := parseFile(t, "sarif", filepath.Join(sarifDir, "edge", "empty.sarif"))
	checkTypes(t, r)
	if factValue(r, "scan.findings_open") != 0 || factValue(r, "scan.complete") != nil {
		t.Errorf("empty: facts = %+v", r.Facts)
	}
	// A run without a results array did not analyse anything: that is
	// no clean result.
	r = parseFile(t, "sarif", filepath.Join(sarifDir, "edge", "no-results.sarif"))
	checkTypes(t, r)
	if factValue(r, "scan.complete") != false || !reflect.DeepEqual(factValue(r, "scan.errors"), []string{
		"run 0: no results array: the tool did not run its analysis",
		"run 0: the tool reports that its execution did not succeed"}) {
		t.Errorf("halted: facts = %+v", r.Facts)
	}
}

// Broken files give an *Error naming the place and the offset.
func TestSARIFBrokenFiles(t *testing.T) {
	for _, tc := range []struct{ file, at, msg string }{
		{"truncated.sarif", "/runs/0/results/0", "unexpected EOF"},
		{"version.sarif", "/version", `SARIF version "2.0.0"`},
		{"rule-number.sarif", "/runs/0/results/0/ruleId", `"ruleId" is a JSON number, want a string`},
		{"results-object.sarif", "/runs/0/results", "results is an object, want an array"},
		{"bad-time.sarif", "/runs/0/invocations/0/endTimeUtc", "not an RFC 3339 time"},
		{"no-runs.sarif", "/runs", "no runs"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(sarifDir, "edge", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("sarif", bytes.NewReader(data))
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *facts.Error", err)
			}
			if fe.Format != "sarif" || fe.At != tc.at || !strings.Contains(fe.Error(), tc.msg) {
				t.Errorf("err = %q (at %q), want at %q and %q", fe, fe.At, tc.at, tc.msg)
			}
			if fe.Offset <= 0 || fe.Offset > int64(len(data)) {
				t.Errorf("offset = %d, want within the file's %d bytes", fe.Offset, len(data))
			}
		})
	}
}

// No file of another format in the corpus is taken for SARIF, and every
// SARIF file is.
func TestSARIFDetectsOnlyItsOwn(t *testing.T) {
	checkDetectsOnlyItsOwn(t, "sarif", "sarif")
}

func FuzzParseSARIF(f *testing.F) {
	seedFuzzFrom(f, sarifDir)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "sarif", data)
	})
}

// A byte order mark does not stop a file detection accepted.
func TestSARIFWithByteOrderMark(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sarifDir, "edge", "empty.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	data = append([]byte("\xef\xbb\xbf"), data...)
	if got := Detect(data); got != "sarif" {
		t.Fatalf("detected as %q", got)
	}
	if _, err := Parse("sarif", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
}
