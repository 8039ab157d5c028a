package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The evidence bundle is checked while the model loads, but errors keep the
// order of the steps: with a bad model and a bad bundle, the model's error
// is the one reported.
func TestModelErrorComesBeforeEvidenceError(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "auditpack.yaml")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("auditpack.yaml", "schema: auditpack/config/v1\norganisation: o\nsystem: s\nmodel: model.json\nevidence: evidence\n")
	write("model.json", "{\"schema\": \"auditpack/model/v1\",\n\"title\": }")
	if err := os.Mkdir(filepath.Join(dir, "evidence"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("evidence/manifest.json", "{not a manifest")
	code, _, stderr := runCLI(t, "check", "--config", cfg, "--as-of", "2026-11-15")
	if code != exitInput || !strings.Contains(stderr, "model.json:2:") || strings.Contains(stderr, "manifest") {
		t.Fatalf("exit %d, want %d naming the model only:\n%s", code, exitInput, stderr)
	}
	// With the model fixed, the bundle's error is reported.
	write("model.json", `{"schema": "auditpack/model/v1", "title": "t"}`)
	code, _, stderr = runCLI(t, "check", "--config", cfg, "--as-of", "2026-11-15")
	if code != exitInput || !strings.Contains(stderr, "manifest") {
		t.Fatalf("exit %d, want %d naming the manifest:\n%s", code, exitInput, stderr)
	}
}
