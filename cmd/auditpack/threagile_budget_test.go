package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestThreagileIncludesShareOneBudget: a Threagile model and its includes
// share one value budget, so that splitting a flood across includes (each
// within the limit of one file) buys nothing.
func TestThreagileIncludesShareOneBudget(t *testing.T) {
	dir := t.TempDir()
	main := "threagile_version: 1.0.0\ntitle: t\nincludes:\n"
	flood := strings.Repeat(`"aaaa",`, 120_000)
	for i := range 5 {
		name := fmt.Sprintf("inc%d.yaml", i)
		main += "  - " + name + "\n"
		doc := fmt.Sprintf("abuse_cases:\n  x%d: [%s]\n", i, strings.TrimSuffix(flood, ","))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "main.yaml")
	if err := os.WriteFile(p, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "model", "validate", p)
	want := "inc4.yaml: line 2: the document holds more than"
	if code != exitInput || !strings.Contains(stderr, want) || !strings.Contains(stderr, "share one budget of 500000 values") {
		t.Fatalf("exit %d, stderr %.400q; want %d and %q", code, stderr, exitInput, want)
	}
	if stdout != "" {
		t.Errorf("stdout %q", stdout)
	}
}
