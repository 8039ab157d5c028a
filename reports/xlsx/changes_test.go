package xlsx

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/xuri/excelize/v2"
)

// handChanges has one change of every kind, and text a spreadsheet could
// mistake for a formula or a number.
func handChanges() *diff.Changes {
	return &diff.Changes{
		SchemaVersion: diff.SchemaVersion,
		Old:           diff.Side{AsOf: "2026-08-15"},
		New:           diff.Side{AsOf: "2026-11-15"},
		Summary:       diff.Summary{Regressions: 1, Improvements: 1, ControlsAdded: 1, Scope: 1, Evidence: 2, Exceptions: 1, Versions: 1},
		Controls: []diff.ControlChange{
			{Framework: "pci-dss@4.0.1", ID: "4.2.1", Ref: "pci-dss@4.0.1:4.2.1", Name: "Strong cryptography for PAN in transit",
				From: eval.Satisfied, To: eval.NotSatisfied, Direction: diff.Regression, Delta: 4, Reason: "=HYPERLINK(\"x\")",
				Findings: []diff.FindingChange{{Rule: "r1", Element: eval.ElementRef{ID: "f-checkout"}, From: eval.Satisfied, To: eval.NotSatisfied}}},
			{Framework: "pci-dss@4.0.1", ID: "1.2", Ref: "pci-dss@4.0.1:1.2", Name: "n", From: eval.NeedsEvidence, To: eval.Satisfied,
				Direction: diff.Improvement, Delta: -3, Reason: "ok"},
			{Framework: "pci-dss@4.0.1", ID: "12.1.1", Ref: "pci-dss@4.0.1:12.1.1", Name: "new", To: eval.Manual, Direction: diff.Added},
		},
		Scope: []diff.ScopeChange{{Element: eval.ElementRef{ID: "f-new", Kind: "dataflow", Name: "New flow"}, Change: diff.ScopeAdded,
			RulesAdded: []string{"r1", "r2"}, RulesRemoved: []string{}}},
		Evidence: []diff.EvidenceChange{
			{Item: "EV-TLS", Title: "TLS scan", Change: diff.EvidenceStale, From: "ok", To: "too-old", Message: "older than 90 days", UsedBy: []string{"r1 f-settle"}},
			{Item: "EV-CFG", Title: "Config", Change: diff.EvidenceHashChanged, File: "a.json", OldSHA256: "11", NewSHA256: "22", UsedBy: []string{}},
		},
		Exceptions: []diff.ExceptionChange{{ID: "EX-1", Change: diff.ExceptionExpired, From: "active", To: "expired",
			Control: "pci-dss@4.0.1:3.5.1", Element: "card-store", ExpiresOn: "2026-10-31"}},
		Versions: []diff.VersionChange{{Kind: diff.KindRuleSet, ID: "pci", From: "1.0", To: "1.10"}},
	}
}

func withChanges(c *diff.Changes) Options {
	o := testOptions
	o.Changes, o.PreviousPackageID = c, "AP-PREVIOUS01"
	return o
}

func TestChangesSheet(t *testing.T) {
	data := render(t, loadDemo(t), withChanges(handChanges()))
	f := open(t, data)
	want := slices.Insert(slices.Clone(Sheets), 1, SheetChanges)
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	rows, err := f.GetRows(SheetChanges)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows {
		got = append(got, strings.Join(row, " | "))
	}
	wantRows := []string{
		"Kind | Change | Subject | Name | Old | New | Detail",
		"regression | verdict | pci-dss@4.0.1:4.2.1 | Strong cryptography for PAN in transit | satisfied | not-satisfied | =HYPERLINK(\"x\")\nr1 on f-checkout: satisfied → not-satisfied",
		"improvement | verdict | pci-dss@4.0.1:1.2 | n | needs-evidence | satisfied | ok",
		"control | added | pci-dss@4.0.1:12.1.1 | new |  | manual",
		"scope | added | f-new | New flow, dataflow |  |  | brought into scope of r1, r2",
		"evidence | stale | EV-TLS | TLS scan | ok | too-old | older than 90 days\nused by r1 f-settle",
		"evidence | hash-changed | EV-CFG | Config | 11 | 22 | a.json: SHA-256 11 → 22",
		"exception | expired | EX-1 | control pci-dss@4.0.1:3.5.1; element card-store | active | expired | expires 2026-10-31",
		"version | changed | pci | rule-set | 1.0 | 1.10",
	}
	if !slices.Equal(got, wantRows) {
		t.Fatalf("Changes rows:\n got %q\nwant %q", got, wantRows)
	}

	if p, _ := f.GetPanes(SheetChanges); !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v, want the header frozen", p)
	}
	files := entries(t, data)
	if m := autoFilterRE.FindStringSubmatch(files[sheetPaths(t, files)[SheetChanges]]); m == nil || m[1] != fmt.Sprintf("$A$1:$G$%d", len(rows)) {
		t.Errorf("autofilter %v, want the whole table", m)
	}
	fills := map[eval.Verdict]string{}
	for _, p := range palette {
		fills[p.verdict] = p.fill
	}
	for cell, want := range map[string]string{"E2": fills[eval.Satisfied], "F2": fills[eval.NotSatisfied],
		"E3": fills[eval.NeedsEvidence], "F4": fills[eval.Manual], "A2": "FFC7CE", "B6": "FFC7CE", "B8": "FFC7CE"} {
		if got := cellFill(t, f, SheetChanges, cell); got != want {
			t.Errorf("Changes %s fill %q, want %q", cell, got, want)
		}
	}
	for _, cell := range []string{"C3", "E9", "F9", "G2", "E7"} {
		if typ, _ := f.GetCellType(SheetChanges, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("Changes %s is stored as %v, not as text", cell, typ)
		}
	}
	summary, _ := f.GetRows(SheetSummary)
	var text []string
	for _, row := range summary {
		text = append(text, strings.Join(row, " "))
	}
	for _, want := range []string{"Previous package AP-PREVIOUS01", "Previous as of 2026-08-15", noteChanges,
		"Changes 1 regression(s), 1 improvement(s), 1 control(s) added and 0 removed; 1 scope, 2 evidence, 1 exception and 1 version change(s)"} {
		if !slices.Contains(text, want) {
			t.Errorf("Summary does not say %q", want)
		}
	}
}

func TestChangesSheetIsDeterministicAndOptional(t *testing.T) {
	r := loadDemo(t)
	a, b := render(t, r, withChanges(handChanges())), render(t, r, withChanges(handChanges()))
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings with the same changes differ")
	}
	o := testOptions
	o.PreviousPackageID = "AP-PREVIOUS01"
	if !bytes.Equal(render(t, r, o), render(t, r, testOptions)) {
		t.Fatal("a previous package id without changes must not change the workbook")
	}
}

func TestNoChangesLeavesAnEmptyTable(t *testing.T) {
	r := loadDemo(t)
	c := diff.Compare(r, r)
	f := open(t, render(t, r, withChanges(c)))
	rows, _ := f.GetRows(SheetChanges)
	if len(rows) != 1 {
		t.Fatalf("Changes has %d rows for no change, want the header only", len(rows))
	}
	summary, _ := f.GetRows(SheetSummary)
	found := false
	for _, row := range summary {
		found = found || strings.Join(row, " ") == "Changes No changes: every control has the verdict it had, and the scope, evidence, exceptions and versions are the same"
	}
	if !found {
		t.Error("Summary does not state that nothing changed")
	}
}
