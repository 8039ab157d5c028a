package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPaddedValueFloodRefused: white space and comments buy a document no
// values. These two once passed the density rule and cost 23 seconds and
// 2 GB (JSON) and 6 to 10 seconds and 510 MB (YAML) before being refused;
// they are now refused by the scan, before anything is built (the timing
// is BenchmarkPaddedRefusal in frameworks/schemadoc).
func TestPaddedValueFloodRefused(t *testing.T) {
	dir := t.TempDir()
	var j, y strings.Builder
	j.WriteString(`{"schema":"auditpack/model/v1","zones":[0`)
	for range 1_990_000 {
		j.WriteString(",0    ")
	}
	j.WriteString("]}\n")
	y.WriteString("zones: [0")
	for range 490_000 {
		y.WriteString(",0 #padding\n")
	}
	y.WriteString("]\n")
	for name, doc := range map[string]string{"padded.json": j.String(), "padded.yaml": y.String()} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runCLI(t, "model", "validate", p)
		if code != exitInput || !strings.Contains(stderr, name+":") || !strings.Contains(stderr, ": the document holds more than") || !strings.Contains(stderr, "meaningful bytes") {
			t.Errorf("%s: exit %d, stderr %.300q; want %d and a refusal by the density rule", name, code, stderr, exitInput)
		}
		if stdout != "" {
			t.Errorf("%s: stdout %q", name, stdout)
		}
	}
}
