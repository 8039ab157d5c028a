package xlsx

import (
	"slices"
	"strings"
	"testing"
)

// rowOf returns the row of a sheet whose first cells are want.
func rowOf(t *testing.T, rows [][]string, want ...string) []string {
	t.Helper()
	for _, r := range rows {
		if len(r) >= len(want) && slices.Equal(r[:len(want)], want) {
			return r
		}
	}
	t.Fatalf("no row starting %q", want)
	return nil
}

func TestApplicabilitySheet(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	rows, err := f.GetRows(SheetApplicability)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.Controls)+1 {
		t.Errorf("%d rows, want one per control (%d) and the header", len(rows)-1, len(r.Controls))
	}
	col := func(title string) int {
		return slices.IndexFunc(applicabilityColumns, func(c column) bool { return c.title == title })
	}
	declared := rowOf(t, rows, "pci-dss@4.0.1", "1.3.3")
	if declared[col("Applicable")] != "no" || declared[col("Declared by")] != "R. Iyer, CISO" ||
		!strings.Contains(declared[col("Justification")], "No wireless network is connected to") ||
		declared[col("Verdict")] != "not-applicable" || declared[col("Declared at")] != "auditpack.yaml: at /overlay/applicability/0" {
		t.Errorf("declared control row = %q", declared)
	}
	judged := rowOf(t, rows, "pci-dss@4.0.1", "1.3.1")
	if judged[col("Applicable")] != "yes" || !strings.Contains(judged[col("Mitigations")], "M-NSC-CDE") ||
		!strings.Contains(judged[col("Justification")], "in scope") {
		t.Errorf("judged control row = %q", judged)
	}
}

func TestProceduresSheet(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	rows, err := f.GetRows(SheetProcedures)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.Rules)+1 {
		t.Errorf("%d rows, want one per rule (%d)", len(rows)-1, len(r.Rules))
	}
	row := rowOf(t, rows, "pci-1.3.1-inbound-cde-filtering")
	col := func(title string) int {
		return slices.IndexFunc(procedureColumns, func(c column) bool { return c.title == title })
	}
	if !strings.Contains(row[col("auditpack tested")], "traffic-filtering with params.default_deny is true at the zone boundaries it enters") ||
		!strings.Contains(row[col("The auditor must still")], "documented business reason") {
		t.Errorf("procedure row = %q", row)
	}
}
