package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmbedEvidenceFileNamedByTwoItems: two items may name one file (a
// scan that serves two requirements); --embed-evidence copies it into the
// package once, where it used to fail on the second copy with "file
// exists", and the package verifies.
func TestEmbedEvidenceFileNamedByTwoItems(t *testing.T) {
	const shared = `  - id: EV-TLS-EDGE-AGAIN
    title: The same TLS scan, filed a second time
    kind: tls-scan
    collected_at: "2026-10-20"
    files: [{path: scans/tls-api.acmepay.example.json, sha256: 3a542f3b123105cd14657b6d15275849742b5410aca1386fe835e15c5e82cf29}]
    supports:
      - {"element": "f-app-pay", "capability": "encrypt-in-transit"}
`
	project := writeProject(t, map[string]func(string) string{
		"evidence/manifest.yaml": func(s string) string {
			return strings.Replace(s, "items:\n", "items:\n"+shared, 1)
		},
	})
	k := writeTestKeys(t, t.TempDir(), nil)
	out := filepath.Join(t.TempDir(), "pkg")
	buildExample(t, project, k, out, "--embed-evidence")
	if _, err := os.Stat(filepath.Join(out, "evidence", "scans", "tls-api.acmepay.example.json")); err != nil {
		t.Fatalf("the shared file is not in the package: %v", err)
	}
	if code, stdout, stderr := runCLI(t, "verify", "--ca", k.caPEM, out); code != exitOK {
		t.Fatalf("verify: exit %d\n%s%s", code, stdout, stderr)
	}
}
