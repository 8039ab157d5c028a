package oscal

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
)

// whole is the plain encoding of the document: everything at once, as
// Render wrote it before it encoded the large arrays apart.
func whole(t testing.TB, r *audit.Results) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Build(r)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRenderIsThePlainEncodingOfBuild(t *testing.T) {
	hostile := reporttest.Demo(t)
	hostile.Project.System = "<Payments & Co> \u2028 \"core\""
	hostile.RuleResults[0].Reasons = append(hostile.RuleResults[0].Reasons,
		eval.Reason{Code: "x<y>&z", Message: "line\nbreak \x00 \xff </script> \u2029"})
	hostile.Evidence.Items = nil // back-matter left out

	bare := reporttest.Demo(t)
	bare.RuleResults, bare.Controls, bare.Frameworks = nil, nil, nil
	bare.Model.Threats, bare.Model.Zones, bare.Model.Components, bare.Model.Flows = nil, nil, nil, nil

	for name, r := range map[string]*audit.Results{
		"demo":    reporttest.Demo(t),
		"hostile": hostile,
		"bare":    bare,
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, r); err != nil {
				t.Fatal(err)
			}
			got, want := buf.Bytes(), whole(t, r)
			if !bytes.Equal(got, want) {
				at := 0
				for at < min(len(got), len(want)) && got[at] == want[at] {
					at++
				}
				t.Fatalf("Render differs from the plain encoding at byte %d of %d (want %d):\n got …%s…\nwant …%s…",
					at, len(got), len(want), got[max(0, at-80):min(len(got), at+80)], want[max(0, at-80):min(len(want), at+80)])
			}
		})
	}
}
