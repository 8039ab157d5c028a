package view_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/auditpack/auditpack/reports/xlsx"
	"github.com/xuri/excelize/v2"
)

// scopeIDs returns the ids of the components and of the flows in scope.
func scopeIDs(s view.Scope) (components, flows []string) {
	for _, c := range s.Components {
		components = append(components, c.ID)
	}
	for _, f := range s.Flows {
		flows = append(flows, f.ID)
	}
	return components, flows
}

// TestWorkbookScopeIsTheViews checks that the workbook marks "in scope"
// exactly the components and flows the view (and so the report's scope
// tables) holds in scope.
func TestWorkbookScopeIsTheViews(t *testing.T) {
	for name, r := range demos(t) {
		t.Run(name, func(t *testing.T) {
			wantC, wantF := scopeIDs(view.Of(r).Scope)
			var buf bytes.Buffer
			if err := xlsx.Render(&buf, r, xlsx.Options{PackageID: "p"}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			inScope := func(sheet string) []string {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				col := slices.Index(rows[0], "In scope")
				if col < 0 {
					t.Fatalf("%s: no column \"In scope\" in %q", sheet, rows[0])
				}
				var out []string
				for _, row := range rows[1:] {
					if len(row) > col && row[col] == "yes" {
						out = append(out, row[0])
					}
				}
				return out
			}
			sameSet(t, "workbook components in scope", inScope(xlsx.SheetComponents), wantC)
			sameSet(t, "workbook flows in scope", inScope(xlsx.SheetFlows), wantF)
		})
	}
}

// TestScopeSplitsTheModel checks that the view's scope holds every
// component and flow on exactly one side, the demo's out-of-scope
// component on the outside, and words a flow's crossings.
func TestScopeSplitsTheModel(t *testing.T) {
	d := demos(t)
	r := d["out-of-scope"]
	s := view.Of(r).Scope
	if len(s.Components)+len(s.ComponentsOut) != len(r.Model.Components) || len(s.Flows)+len(s.FlowsOut) != len(r.Model.Flows) {
		t.Fatalf("scope %d+%d components, %d+%d flows; the model has %d and %d",
			len(s.Components), len(s.ComponentsOut), len(s.Flows), len(s.FlowsOut), len(r.Model.Components), len(r.Model.Flows))
	}
	if len(s.ComponentsOut) == 0 || !s.ComponentsOut[len(s.ComponentsOut)-1].OutOfScope {
		t.Errorf("the out-of-scope demo's component is not out of scope: %v", s.ComponentsOut)
	}
	if got := view.Crossings(model.Crossing{Left: []string{"a", "b"}, Lines: []string{"l"}}); !slices.Equal(got, []string{"leaves a, b", "crosses l"}) {
		t.Errorf("crossings %q", got)
	}
	if len(view.Crossings(model.Crossing{})) != 0 {
		t.Error("a flow inside its zone crosses something")
	}
}
