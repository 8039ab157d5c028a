package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImporterWarningsAreCapped: an importer lists at most a hundred
// warnings of one kind and counts the rest, so that a model of a million
// skipped elements does not print a million lines.
func TestImporterWarningsAreCapped(t *testing.T) {
	var comps []string
	comps = append(comps, `{"id":"c1","name":"c1","type":"t","parent":{"trustZone":"z"}}`)
	for i := range 250 {
		comps = append(comps, fmt.Sprintf(`{"name":"x%d","type":"t","parent":{"trustZone":"z"}}`, i))
	}
	doc := `{"otmVersion":"0.2.0","project":{"name":"p","id":"p"},"trustZones":[{"id":"z","name":"z","risk":{"trustRating":1}}],"components":[` + strings.Join(comps, ",") + "]}"
	p := filepath.Join(t.TempDir(), "skipped.otm.json")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "model", "validate", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stderr, "component has no id; skipped"); n != 100 {
		t.Errorf("%d warnings of the kind listed, want 100", n)
	}
	if !strings.Contains(stderr, "at /components/101: and 150 more like this") {
		t.Errorf("no count of the rest in %.300q", stderr[max(0, len(stderr)-300):])
	}
}
