package mappings_test

import (
	"os"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

const (
	bundlesDoc = "../docs/evidence-bundles.md"
	kindsBegin = "<!-- evidence kinds: begin -->"
	kindsEnd   = "<!-- evidence kinds: end -->"
)

// kindsTable renders the evidence-kind vocabulary as the table
// docs/evidence-bundles.md shows.
func kindsTable() string {
	var b strings.Builder
	b.WriteString("| kind | meaning | files read as | passes only when |\n|---|---|---|---|\n")
	for _, k := range mappings.EvidenceKinds() {
		meaning := k.Meaning
		switch {
		case k.SameAs != "":
			meaning = "same as `" + k.SameAs + "`, accepted wherever it is"
		case k.Generic:
			meaning += " (generic)"
		}
		var pass []string
		for _, p := range k.Pass {
			pass = append(pass, p.Says)
		}
		if k.FailedControls != "" {
			pass = append(pass, "`"+k.FailedControls+"` names none of the rule's controls")
		}
		if k.PassedControls != "" {
			pass = append(pass, "`"+k.PassedControls+"` names one of the rule's controls")
		}
		formats := "any"
		if !k.Generic {
			formats = "none (unrecognised files only)"
			if len(k.Formats) > 0 {
				formats = "`" + strings.Join(k.Formats, "`, `") + "`"
			}
		}
		if k.SameAs != "" {
			formats = "as `" + k.SameAs + "`"
		}
		b.WriteString("| `" + k.ID + "` | " + meaning + " | " + formats + " | " + strings.Join(pass, "; ") + " |\n")
	}
	return b.String()
}

// TestKindsDoc keeps the table of evidence kinds in
// docs/evidence-bundles.md in step with the vocabulary; -update rewrites
// it.
func TestKindsDoc(t *testing.T) {
	data, err := os.ReadFile(bundlesDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, kindsBegin), strings.Index(doc, kindsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %s … %s markers", bundlesDoc, kindsBegin, kindsEnd)
	}
	want := doc[:i+len(kindsBegin)] + "\n\n" + kindsTable() + "\n" + doc[j:]
	if *update {
		if err := os.WriteFile(bundlesDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if doc != want {
		t.Errorf("the table of evidence kinds in %s differs from the vocabulary; run go test ./mappings/ -run TestKindsDoc -update", bundlesDoc)
	}
}
