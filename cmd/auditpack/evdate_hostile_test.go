package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// farFutureScan is a testssl.sh pretty file whose startTime (epoch
// seconds) lies in year 3170843: no date of the vocabulary, nor the
// manifest's collected_at, can hold it.
const farFutureScan = `{"Invocation":"testssl.sh -oJ x","startTime":"99999999999999","scanTime":"5","scanResult":[` +
	`{"targetHost":"pay.example","ip":"pay.example/10.0.0.5","port":"443","protocols":[{"id":"TLS1_2","severity":"OK","finding":"offered"}]}]}`

// collectedAtForm is the manifest schema's pattern for collected_at.
var collectedAtForm = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?$`)

// TestEvidenceInitFarFutureScanDate: evidence init copies a read scan.date
// into collected_at. For a file whose time is beyond year 9999 it writes
// "3171089-…", which the manifest schema then refuses, so the skeleton
// init wrote does not load. It must propose a collected_at the schema
// takes (the modification date, as for a file that gives no date), or
// refuse the file naming it and the place.
func TestEvidenceInitFarFutureScanDate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tls.json"), []byte(farFutureScan), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "evidence", "init", dir)
	if code == exitInput {
		if !strings.Contains(stderr, "tls.json") || !strings.Contains(stderr, "startTime") {
			t.Errorf("refused, but the message names neither the file nor the place:\n%s", stderr)
		}
		return
	}
	if code != exitOK {
		t.Fatalf("evidence init: exit %d\n%s", code, stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`collected_at: "([^"]*)"`).FindStringSubmatch(string(manifest))
	if m == nil {
		t.Fatalf("no collected_at proposed:\n%s", manifest)
	}
	if !collectedAtForm.MatchString(m[1]) {
		t.Errorf("evidence init proposed collected_at %q, which the manifest schema refuses", m[1])
	}
}

// TestEvidenceVerifyUnreadableFileDate: a file whose own time cannot be a
// date (year 3170843) is checked against nothing: evidence verify says
// "ok", with no date-disagree, though the file contradicts collected_at.
// A read scan.date that is not a date must be a problem of the item (or
// the file refused), never silently passed over.
func TestEvidenceVerifyUnreadableFileDate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tls.json"), []byte(farFutureScan), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "evidence", "init", dir); code != exitOK {
		t.Skipf("evidence init refused the file (exit %d): %s", code, stderr)
	}
	path := filepath.Join(dir, "manifest.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`collected_at: "[^"]*"`).ReplaceAllString(string(data), `collected_at: "2026-11-01"`)
	text = strings.ReplaceAll(text, "supports: []", `supports: [{control: "pci-dss@4.0.1:4.2.1"}]`)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "evidence", "verify", "--as-of", "2026-12-01", dir)
	if code == exitInternal {
		t.Fatalf("exit 4:\n%s%s", stdout, stderr)
	}
	if regexp.MustCompile(`(?m)^EV-001 +tls-scan +ok `).MatchString(stdout) {
		t.Errorf("a file dated in year 3170843 passes as ok, with collected_at 2026-11-01 and no problem:\n%s", stdout)
	}
}
