package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestThreagileValuesOfTheWrongKindExitTwo checks that a Threagile model
// whose title is a list, or whose rating is outside Threagile's values, is
// refused with exit 2, the file and the line, without quoting the value;
// they were read with exit 0, the title as missing and the rating as text.
func TestThreagileValuesOfTheWrongKindExitTwo(t *testing.T) {
	for name, line := range map[string]string{
		"model-threagile-title-list.yaml":          "line 2: title",
		"model-threagile-bad-confidentiality.yaml": "line 7: data_assets \"Card data\": confidentiality",
		"model-threagile-bad-availability.yaml":    "line 7: technical_assets \"App\": availability",
		"model-threagile-author-mapping.yaml":      "line 4: name",
	} {
		file := filepath.Join("..", "..", "testdata", "hostile", name)
		code, stdout, stderr := runCLI(t, "model", "validate", file)
		if code != exitInput || !strings.Contains(stderr, file+": "+line) {
			t.Errorf("%s: exit %d, want %d with %q:\n%s", name, code, exitInput, line, stderr)
		}
		if strings.Contains(stdout+stderr, "SECRET") {
			t.Errorf("%s: the value is quoted:\n%s%s", name, stdout, stderr)
		}
	}
}
