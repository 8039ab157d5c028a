package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceUnreadableFileDateNamesThePlace: a file whose own time lies
// beyond any date cannot be read, which disqualifies its item as
// facts-unreadable (exit 3); the message names the file and where in it
// the time stands, and evidence init says there why it proposes no kind
// or date from the file.
func TestEvidenceUnreadableFileDateNamesThePlace(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tls.json"), []byte(farFutureScan), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "evidence", "init", dir); code != exitOK {
		t.Fatalf("evidence init: exit %d\n%s", code, stderr)
	}
	path := filepath.Join(dir, "manifest.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "not readable as the evidence format it looks like: testssl-json-pretty (at /startTime)") {
		t.Errorf("the skeleton does not say why the file's date was not proposed:\n%s", data)
	}
	text := strings.ReplaceAll(string(data), "supports: []", `supports: [{control: "pci-dss@4.0.1:4.2.1"}]`)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "evidence", "verify", "--as-of", "2099-01-01", dir)
	if code != exitIntegrity {
		t.Fatalf("exit %d, want %d:\n%s%s", code, exitIntegrity, stdout, stderr)
	}
	if !strings.Contains(stdout, "facts-unreadable EV-001 tls.json: cannot read its facts: testssl-json-pretty (at /startTime)") {
		t.Errorf("the problem does not name the item, the file and the place:\n%s", stdout)
	}
}
