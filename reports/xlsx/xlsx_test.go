package xlsx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/xuri/excelize/v2"
)

const goldenDump = "testdata/golden/workbook.txt"

func TestSheetsInOrder(t *testing.T) {
	f := open(t, render(t, loadDemo(t), testOptions))
	if got := f.GetSheetList(); !slices.Equal(got, Sheets) {
		t.Fatalf("sheets = %q, want %q", got, Sheets)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want Summary", i)
	}
}

func TestHeaderRows(t *testing.T) {
	f := open(t, render(t, loadDemo(t), testOptions))
	want := map[string][]column{
		SheetControls: controlColumns, SheetFindings: findingColumns, SheetEvidence: evidenceColumns, SheetRequests: requestColumns,
		SheetExceptions: exceptionColumns, SheetSamples: sampleColumns, SheetThreats: threatColumns, SheetMitigation: mitigationColumns,
		SheetComponents: componentColumns, SheetFlows: flowColumns, SheetZones: zoneColumns, SheetInputs: inputColumns,
		SheetApplicability: applicabilityColumns, SheetProcedures: procedureColumns,
	}
	for _, sheet := range tableSheets() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, c := range want[sheet] {
			titles = append(titles, c.title)
		}
		if len(rows) == 0 || !slices.Equal(rows[0], titles) {
			t.Errorf("%s header = %q, want %q", sheet, rows[0], titles)
		}
	}
	rows, _ := f.GetRows(SheetControls)
	for _, title := range []string{"Auditor conclusion", "Auditor comment", "Sample reference"} {
		if !slices.Contains(rows[0], title) {
			t.Errorf("Controls has no %q column", title)
		}
	}
}

func TestOneRowPerControl(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	rows, err := f.GetRows(SheetControls)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows)-1, len(r.Controls); got != want {
		t.Fatalf("Controls has %d rows, want one per control: %d", got, want)
	}
	for i, c := range r.Controls {
		row := rows[i+1]
		if row[0] != c.Framework || row[1] != c.ID || row[4] != string(c.Verdict) || row[5] != c.Coverage {
			t.Errorf("row %d = %q, want %s %s %s %s", i+2, row[:6], c.Framework, c.ID, c.Verdict, c.Coverage)
		}
	}
}

func TestFindingsRowPerRuleElementAndControl(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	rows, _ := f.GetRows(SheetFindings)
	var want []string
	for _, c := range r.Controls {
		for _, fd := range c.Findings {
			want = append(want, strings.Join([]string{c.ID, fd.Rule, elementID(fd.Element), string(fd.Verdict), string(fd.Assessed)}, " "))
		}
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, strings.Join([]string{row[1], row[2], row[3], row[6], row[7]}, " "))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("findings rows differ from the results:\n got %q\nwant %q", got, want)
	}
}

func TestFrozenHeaders(t *testing.T) {
	f := open(t, render(t, loadDemo(t), testOptions))
	for _, sheet := range tableSheets() {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s panes = %+v, want the header row frozen", sheet, p)
		}
	}
}

var autoFilterRE = regexp.MustCompile(`<autoFilter ref="([^"]+)"`)

func TestAutoFilterOnEveryTable(t *testing.T) {
	data := render(t, loadDemo(t), testOptions)
	f, files := open(t, data), entries(t, data)
	paths := sheetPaths(t, files)
	for _, sheet := range tableSheets() {
		rows, _ := f.GetRows(sheet)
		last, _ := excelize.ColumnNumberToName(len(rows[0]))
		want := fmt.Sprintf("$A$1:$%s$%d", last, len(rows))
		m := autoFilterRE.FindStringSubmatch(files[paths[sheet]])
		if m == nil || m[1] != want {
			t.Errorf("%s autofilter = %v, want %s", sheet, m, want)
		}
	}
}

func TestConclusionValidation(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	dvs, err := f.GetDataValidations(SheetControls)
	if err != nil {
		t.Fatal(err)
	}
	col, _ := excelize.ColumnNumberToName(conclusionColumn)
	want := fmt.Sprintf("%s2:%s%d", col, col, len(r.Controls)+1)
	if len(dvs) != 1 || dvs[0].Type != "list" || dvs[0].Sqref != want {
		t.Fatalf("validations = %+v, want one list over %s", dvs, want)
	}
	if got := dvs[0].Formula1; got != `"`+strings.Join(Conclusions, ",")+`"` {
		t.Errorf("list = %s, want the fixed conclusions", got)
	}
	rows, _ := f.GetRows(SheetControls)
	if rows[0][conclusionColumn-1] != "Auditor conclusion" {
		t.Errorf("validated column is %q", rows[0][conclusionColumn-1])
	}
	for _, sheet := range Sheets[2:] {
		if dvs, _ := f.GetDataValidations(sheet); len(dvs) > 0 {
			t.Errorf("%s has data validations: %+v", sheet, dvs)
		}
	}
}

func TestDeterministic(t *testing.T) {
	r := loadDemo(t)
	a, b := render(t, r, testOptions), render(t, r, testOptions)
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same results differ")
	}
	if c := render(t, r, Options{PackageID: "other"}); bytes.Equal(a, c) {
		t.Fatal("options do not reach the workbook")
	}
}

func TestDoesNotModifyResults(t *testing.T) {
	r := loadDemo(t)
	before, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	render(t, r, testOptions)
	after, _ := json.Marshal(r)
	if !bytes.Equal(before, after) {
		t.Fatal("Render changed the results")
	}
}

func TestDocumentProperties(t *testing.T) {
	f := open(t, render(t, loadDemo(t), testOptions))
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if p.Creator != "auditpack" || p.LastModifiedBy != "auditpack" || p.Created != "2026-11-15T00:00:00Z" ||
		p.Modified != p.Created || p.Identifier != testOptions.PackageID {
		t.Errorf("doc props = %+v", p)
	}
}

func TestVerdictColours(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	fills := map[string]string{}
	for _, p := range palette {
		fills[string(p.verdict)] = p.fill
	}
	seen := map[string]bool{}
	for i, c := range r.Controls {
		cell, _ := excelize.CoordinatesToCellName(5, i+2)
		got := cellFill(t, f, SheetControls, cell)
		if got != fills[string(c.Verdict)] {
			t.Errorf("Controls %s (%s) fill %s, want %s", cell, c.Verdict, got, fills[string(c.Verdict)])
		}
		seen[string(c.Verdict)] = true
	}
	for _, v := range eval.Verdicts {
		if !seen[string(v)] {
			t.Errorf("the demo has no %s control; the test no longer covers every verdict", v)
		}
	}
	// The legend on Summary uses the same fills.
	rows, _ := f.GetRows(SheetSummary)
	for i, row := range rows {
		if len(row) > 0 && fills[row[0]] != "" {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if got := cellFill(t, f, SheetSummary, cell); got != fills[row[0]] {
				t.Errorf("legend %s fill %s, want %s", row[0], got, fills[row[0]])
			}
		}
	}
}

func cellFill(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(s.Fill.Color[0])
	if len(c) == 8 {
		c = c[2:] // ARGB
	}
	return c
}

func TestPartialCoverageStated(t *testing.T) {
	f := open(t, render(t, loadDemo(t), testOptions))
	rows, _ := f.GetRows(SheetSummary)
	var text []string
	for _, row := range rows {
		text = append(text, strings.Join(row, " "))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"Partial coverage", notePartial, noteDemo, "acme-pay-2026-11-15", "2026-11-15"} {
		if !strings.Contains(all, want) {
			t.Errorf("Summary does not say %q", want)
		}
	}
}

// TestGolden compares a text dump of every sheet with the golden file.
func TestGolden(t *testing.T) {
	if *update {
	}
	got := dump(t, open(t, render(t, loadDemo(t), testOptions)))
	if *update {
		if err := os.WriteFile(goldenDump, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenDump)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/xlsx -update)", err)
	}
	if got != string(want) {
		t.Errorf("workbook differs from %s; inspect with -update and git diff", goldenDump)
	}
}

// dump writes every sheet's cells as text, with the panes, filter and
// validations, so that a change in the workbook shows as a readable diff.
func dump(t *testing.T, f *excelize.File) string {
	var b strings.Builder
	esc := strings.NewReplacer("\\", `\\`, "\n", `\n`, "|", `\|`)
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sheet)
		if p, _ := f.GetPanes(sheet); p.Freeze {
			fmt.Fprintf(&b, "frozen at %s\n", p.TopLeftCell)
		}
		dvs, _ := f.GetDataValidations(sheet)
		for _, dv := range dvs {
			fmt.Fprintf(&b, "validation %s %s %s\n", dv.Sqref, dv.Type, dv.Formula1)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cells := make([]string, len(row))
			for j, c := range row {
				cells[j] = esc.Replace(c)
			}
			fmt.Fprintf(&b, "%d: %s\n", i+1, strings.Join(cells, " | "))
		}
	}
	return b.String()
}

func TestWrappedRowsGrow(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width float64
		want  int
	}{
		{"short", 20, 1},
		{"one\ntwo\nthree", 20, 3},
		{strings.Repeat("word ", 20), 10, 10},
		{strings.Repeat("x", 45), 10, 5},
		{"日本語日本語日本語", 10, 2},
	} {
		if got := wrappedLines(tc.text, tc.width); got != tc.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", tc.text, tc.width, got, tc.want)
		}
	}
	r := &audit.Results{Project: audit.Project{AsOf: "2026-01-31"}}
	r.Controls = []audit.Control{{ID: "1", Verdict: eval.Manual}, {ID: "2", Verdict: eval.Manual, Reason: strings.Repeat("long reason ", 40)}}
	f := open(t, render(t, r, Options{}))
	if h, _ := f.GetRowHeight(SheetControls, 2); h != 15 {
		t.Errorf("a one-line row is %v points high", h)
	}
	if h, _ := f.GetRowHeight(SheetControls, 3); h < 4*lineHeight {
		t.Errorf("a row of long wrapped text is only %v points high", h)
	}
}

// TestSummaryCountsSplitSatisfiedAndManual reads the counts table of the
// Summary sheet back: satisfied and manual appear only as their parts,
// whose numbers are the framework counts and add up to the total.
func TestSummaryCountsSplitSatisfiedAndManual(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	h := slices.IndexFunc(rows, func(row []string) bool { return len(row) > 0 && row[0] == "Framework" })
	if h < 0 || h+len(r.Frameworks)+1 >= len(rows) {
		t.Fatal("no counts table on the Summary sheet")
	}
	parts := view.Parts()
	want := []string{"Framework"}
	for _, p := range parts {
		want = append(want, p.Label)
	}
	if got := rows[h]; len(got) < len(want)+1 || !slices.Equal(got[:len(want)], want) || got[len(want)] != "Total" {
		t.Fatalf("counts header = %q, want %q then Total", got, want)
	}
	for _, title := range rows[h] {
		if title == string(eval.Satisfied) || title == string(eval.Manual) {
			t.Errorf("the counts table still has a bare %q column", title)
		}
	}
	check := func(row []string, label string, c audit.Counts) {
		t.Helper()
		if len(row) < len(want)+1 || row[0] != label {
			t.Fatalf("counts row %q, want %s", row, label)
		}
		for i, p := range parts {
			if row[i+1] != strconv.Itoa(p.Of(c)) {
				t.Errorf("%s %s = %s, want %d", label, p.Label, row[i+1], p.Of(c))
			}
		}
		if row[len(want)] != strconv.Itoa(c.Total) {
			t.Errorf("%s total = %s, want %d", label, row[len(want)], c.Total)
		}
		if err := view.CheckCounts(c); err != nil {
			t.Errorf("%s: %v", label, err)
		}
	}
	for i, fw := range r.Frameworks {
		check(rows[h+1+i], fw.Ref, fw.Counts)
	}
	check(rows[h+1+len(r.Frameworks)], "All frameworks", r.Summary)
	if note := rows[h+2+len(r.Frameworks)]; len(note) == 0 || note[0] != noteParts {
		t.Errorf("the counts table is not followed by the note on its parts but by %q", note)
	}
}

// TestControlsShowCoverageAndWhyManual checks each Controls row against
// its control: the coverage, and for a manual control why it is manual.
func TestControlsShowCoverageAndWhyManual(t *testing.T) {
	r := loadDemo(t)
	f := open(t, render(t, r, testOptions))
	rows, _ := f.GetRows(SheetControls)
	cov := slices.Index(rows[0], "Coverage")
	why := slices.Index(rows[0], "Why manual")
	if cov < 0 || why < 0 {
		t.Fatalf("Controls header %q has no Coverage or Why manual column", rows[0])
	}
	kinds := map[string]int{}
	for i, c := range r.Controls {
		row := append(rows[i+1], make([]string, len(controlColumns))...)
		want := ""
		if c.Verdict == eval.Manual {
			want = view.ManualLabel(c.Manual)
			kinds[c.Manual]++
		}
		if row[cov] != c.Coverage || row[why] != want {
			t.Errorf("%s (%s): coverage %q, why manual %q; want %q, %q", c.Ref, c.Verdict, row[cov], row[why], c.Coverage, want)
		}
	}
	for _, k := range []string{audit.ManualNoRule, audit.ManualConfirmScope, audit.ManualJudgement} {
		if kinds[k] == 0 {
			t.Errorf("the demo has no %s manual control; the test no longer covers it", k)
		}
	}
}
