package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvidenceFactsRefusals(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(plain, []byte("the firewall was reviewed on 2026-10-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	object := filepath.Join(dir, "other.json")
	if err := os.WriteFile(object, []byte(`{"hello": "world"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	mkfifo(t, fifo)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"plain text", []string{"evidence", "facts", plain}, []string{plain + ": no known evidence format recognised (formats: ", "nmap"}},
		{"other JSON, flag after", []string{"evidence", "facts", object, "--format", "json"}, []string{object + ": no known evidence format recognised"}},
		{"directory", []string{"evidence", "facts", dir}, []string{dir, "is a directory"}},
		{"device", []string{"evidence", "facts", "/dev/zero"}, []string{"/dev/zero", "is a device"}},
		{"FIFO", []string{"evidence", "facts", fifo}, []string{fifo, "named pipe"}},
		{"missing", []string{"evidence", "facts", filepath.Join(dir, "nope.json")}, []string{"nope.json: no such file"}},
		{"no file", []string{"evidence", "facts"}, []string{"evidence facts takes one argument"}},
		{"two files", []string{"evidence", "facts", plain, object}, []string{"unexpected"}},
		{"unknown output format", []string{"evidence", "facts", plain, "--format", "yaml"}, []string{`unknown format "yaml" (valid: text, json)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitInput || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}
