package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEscapedNonBMPCharactersRead: a character beyond U+FFFF escaped as a
// surrogate pair, as Python's json.dumps writes it, is one character.
func TestEscapedNonBMPCharactersRead(t *testing.T) {
	doc := `{"schema": "auditpack/model/v1", "title": "Caf\u00e9 \ud83d\ude00", "components": [{"id": "a", "name": "A \ud83d\ude00", "kind": "process"}]}`
	p := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "model", "validate", p)
	if code != 0 || !strings.Contains(stdout, "Café \U0001F600") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
