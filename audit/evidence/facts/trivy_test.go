package facts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const trivyDir = evidenceDir + "/trivy-json"

// scanCounts is the open findings in all and by severity.
func scanCounts(all, critical, high, medium, low int) map[string]any {
	return map[string]any{"scan.findings_open": all, "scan.critical_open": critical,
		"scan.high_open": high, "scan.medium_open": medium, "scan.low_open": low}
}

func merged(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// TestTrivyRealFiles checks facts read from real Trivy files against
// values read off each file by hand; each case names the trap it guards.
func TestTrivyRealFiles(t *testing.T) {
	cases := []struct {
		file, trap, target string
		aliases            []string
		want               map[string]any
	}{
		{
			file: "trivy__alpine-39.json.golden", target: "testdata/fixtures/images/alpine-39.tar.gz",
			trap:    "one CVE on two packages counts twice but is one id; the harness's version \"dev\" is what the file says",
			aliases: []string{"ghcr.io/aquasecurity/trivy-test-images:alpine-39", "sha256:055936d3920576da37aa9bc460d70c5f212028bda1c08c0879aedf03d7a66ea1"},
			want: merged(scanCounts(6, 2, 0, 4, 0), map[string]any{
				"scan.tool": "trivy dev", "scan.date": "2021-08-25T12:20:30Z",
				"scan.vulnerability_ids": []string{"CVE-2019-14697", "CVE-2019-1549", "CVE-2019-1551"},
				"scan.failed_checks":     []string{},
			}),
		},
		{
			file: "trivy__spring4shell-jre11.json.golden", target: "testdata/fixtures/images/spring4shell-jre11.tar.gz",
			trap: "an os-pkgs result with its empty vulnerability list omitted, and a custom result, add nothing",
			want: merged(scanCounts(1, 1, 0, 0, 0), map[string]any{
				"scan.vulnerability_ids": []string{"CVE-2022-22965"},
				"scan.failed_resources":  []string{"Java"},
			}),
		},
		{
			file: "trivy__npm-with-suppressed.json.golden", target: "package-lock.json",
			trap: "the VEX-suppressed CVE-2017-16137 (ExperimentalModifiedFindings) is not open; no Trivy version; a +06:00 time in UTC",
			want: merged(scanCounts(1, 0, 1, 0, 0), map[string]any{
				"scan.tool": "trivy", "scan.date": "2024-09-09T07:21:09Z",
				"scan.vulnerability_ids": []string{"CVE-2017-20165"},
			}),
		},
		{
			file: "trivy__dockerfile.json.golden", target: "testdata/fixtures/repo/dockerfile",
			trap: "a misconfiguration scan: one FAIL counts by its severity, the 26 successes do not",
			want: merged(scanCounts(1, 0, 1, 0, 0), map[string]any{
				"scan.failed_checks":     []string{"DS-0002"},
				"scan.failed_resources":  []string{"Dockerfile"},
				"scan.vulnerability_ids": []string{},
			}),
		},
		{
			file: "scb__juice-shop-v12.10.2.json", target: "bkimminich/juice-shop:v12.10.2",
			trap:    "182 vulnerabilities (28 critical, 100 high, 48 medium, 6 low) and 3 secrets (2 high, 1 medium) are all open",
			aliases: []string{"bkimminich/juice-shop@sha256:33238f8c6291415c499265629b1b82ef791f5a33dff09f25c07264204a26f89b", "sha256:be30ca1df4be08840f6ca53885a1d371d35f54eae326161a2a40aa3c535fe703"},
			want: merged(scanCounts(185, 28, 102, 49, 6), map[string]any{
				"scan.date": "2024-10-28T15:33:51Z",
			}),
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Log(c.trap)
			r := readSample(t, filepath.Join(trivyDir, c.file))
			if r.Format != "trivy-json" {
				t.Errorf("format %q", r.Format)
			}
			wantFacts(t, r, merged(c.want, map[string]any{"scan.targets": []string{c.target}}))
			if len(r.Covered) != 1 || r.Covered[0].Name != c.target {
				t.Fatalf("covered %v, want %s", r.Covered, c.target)
			}
			if c.aliases != nil && !sameValue(r.Covered[0].Aliases, c.aliases) {
				t.Errorf("aliases %v, want %v", r.Covered[0].Aliases, c.aliases)
			}
			for name, v := range c.want {
				if d, _ := Lookup(name); d.Combine == FileOnly {
					continue
				}
				if f, ok := targetFact(r, c.target, name); !ok || !sameValue(f.Value, v) {
					t.Errorf("%s of %s = %#v, want %#v", name, c.target, f.Value, v)
				}
			}
		})
	}
	t.Run("juice-shop ids", func(t *testing.T) {
		r := readSample(t, filepath.Join(trivyDir, "scb__juice-shop-v12.10.2.json"))
		f, _ := r.Fact("scan.vulnerability_ids")
		ids := f.Value.([]string)
		// 11 distinct ids in the alpine result and 103 in Node.js, none
		// shared; three of them are NSWG advisories, neither CVE nor GHSA
		if len(ids) != 111 || ids[0] != "CVE-2015-9235" || slices.Contains(ids, "NSWG-ECO-17") {
			t.Errorf("%d ids, first %q", len(ids), ids[0])
		}
	})
}

func TestTrivyGolden(t *testing.T) {
	for _, p := range samplesOf(t, "trivy-json") {
		t.Run(filepath.Base(p), func(t *testing.T) {
			compareReadGolden(t, p, readSample(t, p))
		})
	}
}

func TestTrivyEdgeCases(t *testing.T) {
	edge := func(n string) string { return filepath.Join(trivyDir, "edge", n) }
	t.Run("empty scan: no Results at all, every count zero", func(t *testing.T) {
		r, err := parseEdge(t, "trivy-json", edge("empty.json"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, merged(scanCounts(0, 0, 0, 0, 0), map[string]any{
			"scan.vulnerability_ids": []string{}, "scan.date": "2025-01-15T09:00:00Z",
			"scan.targets": []string{"registry.example/app:1.0"}}))
	})
	t.Run("statuses: not_affected, PASS and EXCEPTION are not open; UNKNOWN counts in all only; licences do not count", func(t *testing.T) {
		r, err := parseEdge(t, "trivy-json", edge("statuses.json"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, merged(scanCounts(5, 2, 1, 0, 1), map[string]any{
			"scan.tool":              "trivy 0.58.1",
			"scan.vulnerability_ids": []string{"CVE-2024-0001", "GHSA-xvch-5gv4-984h"},
			"scan.failed_checks":     []string{"AVD-AWS-0086"},
			"scan.failed_resources":  []string{"config/secrets.env", "main.tf", "package-lock.json"},
		}))
		// Every check Trivy reported is listed with its outcome; an
		// EXCEPTION is neither a failure nor a pass.
		want := []Check{
			{ID: "AVD-AWS-0086", Failed: 1, At: "/Results/3/Misconfigurations/0"},
			{ID: "AVD-AWS-0087", Passed: 1, At: "/Results/3/Misconfigurations/1"},
			{ID: "AVD-AWS-0088", At: "/Results/3/Misconfigurations/2"},
		}
		if !reflect.DeepEqual(r.Checks, want) {
			t.Errorf("checks %+v, want %+v", r.Checks, want)
		}
	})
	for _, c := range []struct{ file, at, msg string }{
		{"truncated.json", "/Results/2/ExperimentalModifiedFindings", "ends inside the document"},
		{"wrong-type.json", "/Results/0/Vulnerabilities/0", "Severity is number, want string"},
		{"old-schema.json", "/SchemaVersion", "schema version 1 is not 2"},
	} {
		t.Run(c.file, func(t *testing.T) {
			_, err := parseEdge(t, "trivy-json", edge(c.file))
			fe := asFactsError(t, err, "trivy-json")
			if fe.At != c.at || !strings.Contains(fe.Error(), c.msg) {
				t.Errorf("error %q at %q, want %q at %q", fe, fe.At, c.msg, c.at)
			}
		})
	}
}

func TestTrivyTruncatedAnywhere(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(trivyDir, "trivy__npm-with-suppressed.json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimSpace(data)
	for n := 1; n < len(data); n += 97 {
		_, err := Parse("trivy-json", bytes.NewReader(data[:n]))
		if err == nil {
			t.Fatalf("cut at %d: read, want an error", n)
		}
		asFactsError(t, err, "trivy-json")
	}
	if _, err := Parse("trivy-json", bytes.NewReader(append(data, []byte(`{}`)...))); err == nil {
		t.Error("data after the document: read, want an error")
	}
}

func TestTrivyDetection(t *testing.T) {
	for _, p := range samplesOf(t, "trivy-json") {
		if got := Detect(headOf(t, p)); got != "trivy-json" {
			t.Errorf("%s detected as %q", p, got)
		}
	}
	for _, p := range otherFormatSamples(t, "trivy-json") {
		if detectTrivy(headOf(t, p)) {
			t.Errorf("%s, not Trivy output, is detected as Trivy", p)
		}
	}
}

func FuzzParseTrivy(f *testing.F) {
	seedFuzz(f, trivyDir)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("trivy-json", bytes.NewReader(data))
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *facts.Error", err, err)
			}
			return
		}
		requireVocabularyTypes(t, r)
	})
}

// seedFuzz seeds a fuzz target with every file of a format's corpus and
// its edge cases (the large ones are kept out: fuzzing mutates small
// inputs best).
func seedFuzz(f *testing.F, dir string) {
	var paths []string
	for _, pattern := range []string{"*.json*", "*.xml", "edge/*"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		paths = append(paths, m...)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".facts.golden") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 100<<10 {
			continue
		}
		f.Add(data)
	}
}
