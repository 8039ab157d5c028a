package oscal

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
)

// TestResourceNamesTheFormatRead holds the back-matter resource of an
// evidence file auditpack read to naming the format it was read as, and the
// document to staying valid OSCAL.
func TestResourceNamesTheFormatRead(t *testing.T) {
	out := render(t, reporttest.WithReadFacts(reporttest.Demo(t)))
	if err := reporttest.Validate(reporttest.Schema(t, schemaPath), out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"name": "evidence-format",`) || !strings.Contains(string(out), `"value": "testssl-json-pretty"`) {
		t.Error("no evidence-format prop on the read file's resource")
	}
}
