package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
)

// Every needs-evidence result of the demo is asked for by a request that
// `auditpack requests` prints, from the package directory and its zip
// alike, and the package's requests.csv lists the same requests.
func TestRequestsListsEveryNeedsEvidenceResult(t *testing.T) {
	pkg := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runCLI(t, "demo", "--out", pkg, "--zip", "-q"); code != exitOK {
		t.Fatalf("demo exited %d: %s", code, stderr)
	}
	res, err := readResults(pkg)
	if err != nil {
		t.Fatal(err)
	}
	code, text, stderr := runCLI(t, "requests", pkg)
	if code != exitOK {
		t.Fatalf("requests exited %d: %s", code, stderr)
	}
	blocks := strings.Split(text, "\n\n")[1:]
	n := 0
	for _, r := range res.RuleResults {
		if r.Verdict != eval.NeedsEvidence {
			continue
		}
		n++
		found := false
		for _, b := range blocks {
			if strings.Contains(b, "  "+r.Rule+" ") && (r.Element.ID == "" || strings.Contains(b, "elements: ") &&
				strings.Contains(b, r.Element.ID)) {
				found = true
			}
		}
		if !found {
			t.Errorf("needs-evidence %s on %q has no request in:\n%s", r.Rule, r.Element.ID, text)
		}
	}
	if n == 0 || len(blocks) != len(res.Requests) {
		t.Fatalf("%d needs-evidence results, %d blocks for %d requests", n, len(blocks), len(res.Requests))
	}
	for _, r := range res.Requests {
		if !strings.Contains(text, r.ID+"  "+r.Need) || r.Due != "2026-11-29" {
			t.Errorf("request %s (%s, due %s) not printed or not due 14 days after the as-of date", r.ID, r.Need, r.Due)
		}
	}
	if code, zipped, _ := runCLI(t, "requests", pkg+".zip"); code != exitOK || zipped != text {
		t.Errorf("the zip's requests (exit %d) differ from the directory's", code)
	}
	// requests.csv: in the manifest and SHA256SUMS, one row per request.
	data, err := os.ReadFile(filepath.Join(pkg, "requests.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(rows) != len(res.Requests)+1 || rows[1][0] != res.Requests[0].ID {
		t.Fatalf("requests.csv: %d rows, %v", len(rows), err)
	}
	sum := sha256.Sum256(data)
	sums, _ := os.ReadFile(filepath.Join(pkg, "SHA256SUMS"))
	manifest, _ := os.ReadFile(filepath.Join(pkg, "manifest.json"))
	if !strings.Contains(string(sums), hex.EncodeToString(sum[:])+"  requests.csv\n") || !strings.Contains(string(manifest), `"requests.csv"`) {
		t.Error("requests.csv is not listed in SHA256SUMS and manifest.json with its hash")
	}
	if code, csvOut, _ := runCLI(t, "requests", "--format", "csv", pkg); code != exitOK || csvOut != strings.ReplaceAll(string(data), "\r\n", "\n") {
		t.Error("requests --format csv differs from the package's requests.csv")
	}
	if code, _, _ := runCLI(t, "requests", "--format", "yaml", pkg); code != exitInput {
		t.Errorf("an unknown format exited %d, want %d", code, exitInput)
	}
}

// Results written before requests existed are refused by requests, and
// diff says nothing of requests it cannot compare.
func TestRequestsOfOldResults(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "results", "demo-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "results.json")
	mustWrite(t, old, data, 0o644)
	if code, _, stderr := runCLI(t, "requests", old); code != exitInput || !strings.Contains(stderr, "no evidence requests") {
		t.Errorf("requests of v1 results: exit %d: %s", code, stderr)
	}
	code, stdout, _ := runCLI(t, "diff", old, filepath.Join("..", "..", "testdata", "results", "demo.json"))
	if code != exitOK || strings.Contains(stdout, "evidence requests") {
		t.Errorf("diff from v1 results: exit %d, says %q", code, stdout)
	}
}

// A bundle that adds the partner bank's responsibility matrix answers the
// request for it: diff names it answered and the other requests still
// open.
func TestDiffReportsAnsweredRequests(t *testing.T) {
	matrix := "Partner bank responsibility matrix: every applicable requirement is assigned.\n"
	sum := sha256.Sum256([]byte(matrix))
	added := writeProject(t, map[string]func(string) string{
		"evidence/manifest.yaml": func(s string) string {
			return strings.Replace(s, "  - id: EV-BANK-AGREEMENT\n", `  - id: EV-BANK-MATRIX
    title: Partner bank responsibility matrix
    kind: responsibility-matrix
    owner: Vendor management
    collected_at: "2026-10-01"
    facts: {"tpsp.unassigned_requirements": 0}
    files: [{path: docs/partner-bank-matrix.txt, sha256: `+hex.EncodeToString(sum[:])+`}]
    supports:
      - {"element": "partner-bank"}
  - id: EV-BANK-AGREEMENT
`, 1)
		},
	})
	mustWrite(t, filepath.Join(added, "evidence", "docs", "partner-bank-matrix.txt"), []byte(matrix), 0o644)
	k := writeTestKeys(t, t.TempDir(), nil)
	dir := t.TempDir()
	before, after := filepath.Join(dir, "before"), filepath.Join(dir, "after")
	buildExample(t, writeProject(t, nil), k, before, "-q")
	buildExample(t, added, k, after, "-q")
	old, err := readResults(before)
	if err != nil {
		t.Fatal(err)
	}
	var want *audit.EvidenceRequest
	for i, r := range old.Requests {
		if r.Rule == "pci-12.8.5-tpsp-responsibilities" {
			want = &old.Requests[i]
		}
	}
	if want == nil {
		t.Fatal("the example asks for no responsibility matrix")
	}
	code, stdout, stderr := runCLI(t, "diff", "--format", "json", before, after)
	if code != exitOK {
		t.Fatalf("diff exited %d: %s", code, stderr)
	}
	var ch diff.Changes
	if err := json.Unmarshal([]byte(stdout), &ch); err != nil {
		t.Fatal(err)
	}
	rc := ch.Requests
	// The matrix states its one fact rather than a file showing it: that
	// is the one new request, for its file.
	if rc == nil || len(rc.Answered) != 1 || rc.Answered[0].ID != want.ID || len(rc.StillOpen) != len(old.Requests)-1 ||
		len(rc.New) != 1 || rc.New[0].Need != audit.NeedReadFacts || strings.Join(rc.New[0].Items, ",") != "EV-BANK-MATRIX" {
		t.Fatalf("request changes: %+v; want %s answered, %d still open, one new for EV-BANK-MATRIX's file", rc, want.ID, len(old.Requests)-1)
	}
	_, text, _ := runCLI(t, "diff", before, after)
	if !strings.Contains(text, "evidence requests: 1 answered, "+strconv.Itoa(len(old.Requests)-1)+" still open, 1 new") ||
		!strings.Contains(text, "answered   "+want.ID) || !strings.Contains(text, "still-open ") {
		t.Errorf("diff text does not report the answered request %s:\n%s", want.ID, text)
	}
}
