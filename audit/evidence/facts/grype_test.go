package facts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const grypeDir = evidenceDir + "/grype-json"

// TestGrypeRealFiles checks facts read from real Grype files against
// values read off each file by hand; each case names the trap it guards.
func TestGrypeRealFiles(t *testing.T) {
	cases := []struct {
		file, trap, target string
		aliases            []string
		want               map[string]any
	}{
		{
			file: "grype__keycloak-test.json", target: "docker.io/keycloak/keycloak:21.0.2@sha256:347a0d748d05a050dc64b92de2246d2240db6eb38afbc17c3c08d0acb0db1b50",
			trap: "six matches of one CVE on six packages: six findings, one id; a -04:00 timestamp in UTC",
			aliases: []string{"keycloak/keycloak@sha256:347a0d748d05a050dc64b92de2246d2240db6eb38afbc17c3c08d0acb0db1b50",
				"sha256:8cf8fd2be2ded92962d52adff75ad06a4c30f69c66facbdf223364c6c9e33b8c",
				"sha256:d1630d3eb8285a978301bcefc5b223e564ae300750af2fc9ea3f413c5376a47e"},
			want: merged(scanCounts(6, 0, 0, 0, 6), map[string]any{
				"scan.tool": "grype 0.66.0", "scan.date": "2023-09-01T12:13:42Z", "scan.complete": true,
				"scan.vulnerability_ids": []string{"CVE-2020-12413"},
			}),
		},
		{
			file: "grype__chainguard-ruby-test.json", target: "cgr.dev/chainguard/ruby:latest-3.0",
			trap: "a GHSA match and its related CVE are both kept",
			want: merged(scanCounts(3, 0, 3, 0, 0), map[string]any{
				"scan.tool":              "grype 0.61.1",
				"scan.vulnerability_ids": []string{"CVE-2023-28755", "GHSA-hv5j-3h9f-99c2"},
			}),
		},
		{
			file: "grype__ghsa-test.json", target: "anchore/test_images@sha256:10008791acbc5866de04108746a02a0c4029ce3a4400a9b3dad45d7f2245f9da",
			trap: "matches filtered upstream: the file says two, and two is what is read",
			want: merged(scanCounts(2, 0, 0, 2, 0), map[string]any{
				"scan.vulnerability_ids": []string{"CVE-2014-3577", "GHSA-cfh5-3ghh-wfjx"},
			}),
		},
		{
			file: "heimdall2__amazon.json", target: "cloudwatch_to_s3:latest",
			trap: "three Unknown severities are open but in no severity; ALAS ids are dropped, their related CVEs kept",
			want: merged(scanCounts(16, 0, 6, 6, 1), map[string]any{
				"scan.tool": "grype 0.79.3", "scan.date": "2024-08-29T17:47:41Z",
			}),
		},
		{
			file: "heimdall2__anchore_grype.json", target: "golang:1.12-alpine",
			trap: "89 matches: 13 critical, 44 high, 28 medium, 2 low, 2 unknown",
			want: scanCounts(89, 13, 44, 28, 2),
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Log(c.trap)
			r := readSample(t, filepath.Join(grypeDir, c.file))
			if r.Format != "grype-json" {
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
	t.Run("amazon ids", func(t *testing.T) {
		r := readSample(t, filepath.Join(grypeDir, "heimdall2__amazon.json"))
		f, _ := r.Fact("scan.vulnerability_ids")
		ids := f.Value.([]string)
		for _, id := range ids {
			if strings.HasPrefix(id, "ALAS") {
				t.Errorf("%s kept: not a CVE or GHSA id", id)
			}
		}
		if !strings.Contains(strings.Join(ids, " "), "CVE-2024-6345") {
			t.Errorf("ids %v lack CVE-2024-6345, related to ALAS-2024-2607", ids)
		}
	})
}

func TestGrypeGolden(t *testing.T) {
	for _, p := range samplesOf(t, "grype-json") {
		t.Run(filepath.Base(p), func(t *testing.T) {
			compareReadGolden(t, p, readSample(t, p))
		})
	}
}

func TestGrypeEdgeCases(t *testing.T) {
	edge := func(n string) string { return filepath.Join(grypeDir, "edge", n) }
	t.Run("empty scan of a directory", func(t *testing.T) {
		r, err := parseEdge(t, "grype-json", edge("empty.json"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, merged(scanCounts(0, 0, 0, 0, 0), map[string]any{
			"scan.targets": []string{"/src/app"}, "scan.vulnerability_ids": []string{},
			"scan.date": "2025-01-15T09:00:00Z", "scan.tool": "grype 0.86.1"}))
	})
	t.Run("ignoredMatches are not open; Negligible and Unknown count in all only", func(t *testing.T) {
		r, err := parseEdge(t, "grype-json", edge("ignored.json"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, merged(scanCounts(3, 0, 1, 0, 0), map[string]any{
			"scan.vulnerability_ids": []string{"CVE-2024-1000", "CVE-2024-1001", "CVE-2024-1002", "GHSA-2222-3333-4444"},
		}))
	})
	t.Run("no vulnerability database: no matches, and the scan is not complete", func(t *testing.T) {
		r, err := parseEdge(t, "grype-json", edge("db-error.json"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, merged(scanCounts(0, 0, 0, 0, 0), map[string]any{
			"scan.complete": false,
			"scan.errors":   []string{"vulnerability database not valid", "vulnerability database: database does not exist"},
		}))
	})
	for _, c := range []struct{ file, at, msg string }{
		{"truncated.json", "/matches/2", "ends inside the document"},
		{"wrong-type.json", "/matches/0", "vulnerability.severity is number, want string"},
		{"no-matches.json", "/matches", "no matches list"},
	} {
		t.Run(c.file, func(t *testing.T) {
			_, err := parseEdge(t, "grype-json", edge(c.file))
			fe := asFactsError(t, err, "grype-json")
			if fe.At != c.at || !strings.Contains(fe.Error(), c.msg) {
				t.Errorf("error %q at %q, want %q at %q", fe, fe.At, c.msg, c.at)
			}
		})
	}
}

func TestGrypeTruncatedAnywhere(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(grypeDir, "grype__chainguard-ruby-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimSpace(data)
	for n := 1; n < len(data); n += 211 {
		_, err := Parse("grype-json", bytes.NewReader(data[:n]))
		if err == nil {
			t.Fatalf("cut at %d: read, want an error", n)
		}
		asFactsError(t, err, "grype-json")
	}
}

func TestGrypeDetection(t *testing.T) {
	for _, p := range samplesOf(t, "grype-json") {
		if got := Detect(headOf(t, p)); got != "grype-json" {
			t.Errorf("%s detected as %q", p, got)
		}
		// A file whose matches fill the head is still recognised.
		data, _ := os.ReadFile(p)
		if len(data) > 8<<10 && !detectGrype(data[:8<<10]) {
			t.Errorf("%s: its first 8 KiB are not recognised", p)
		}
	}
	for _, p := range otherFormatSamples(t, "grype-json") {
		if detectGrype(headOf(t, p)) {
			t.Errorf("%s, not Grype output, is detected as Grype", p)
		}
	}
	for _, s := range []string{`{"matches": []}`, `{"matches": [{"file": "a", "line": 1}]}`, `[{"matches": []}]`} {
		if detectGrype([]byte(s)) {
			t.Errorf("%s detected as Grype", s)
		}
	}
}

func FuzzParseGrype(f *testing.F) {
	seedFuzz(f, grypeDir)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("grype-json", bytes.NewReader(data))
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
