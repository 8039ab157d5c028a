package xlsx

import (
	"fmt"
	"io"
	"strconv"

	"github.com/auditpack/auditpack/reports/view"
	"github.com/xuri/excelize/v2"
)

// CountRow is one row of the Summary sheet's counts table: a framework
// (or "All frameworks") and its numbers, in the columns' order: the parts
// of [view.Parts], the total, and coverage partial, full and none.
type CountRow struct {
	Label  string
	Values []int
}

// CountColumns names the numbers of a [CountRow], in order.
func CountColumns() []string {
	var out []string
	for _, p := range view.Parts() {
		out = append(out, p.Key)
	}
	return append(out, "total", "coverage-partial", "coverage-full", "coverage-none")
}

// SummaryCounts is the counts table the Summary sheet shows for v.
func SummaryCounts(v *view.View) []CountRow {
	row := func(label string, c view.Framework) CountRow {
		r := CountRow{Label: label}
		for _, p := range view.Parts() {
			r.Values = append(r.Values, p.Of(c.Counts))
		}
		r.Values = append(r.Values, c.Counts.Total, c.Coverage.Partial, c.Coverage.Full, c.Coverage.None)
		return r
	}
	var out []CountRow
	for _, fw := range v.Frameworks {
		out = append(out, row(clean(fw.Info.Ref), fw))
	}
	return append(out, row(allFrameworks, view.Framework{Counts: v.Summary, Coverage: v.Coverage}))
}

// allFrameworks labels the counts table's last row.
const allFrameworks = "All frameworks"

// ReadSummaryCounts reads back the counts table of a workbook's Summary
// sheet: the rows between the "Framework" header and the "All frameworks"
// row, each number as the cell holds it.
func ReadSummaryCounts(r io.Reader) ([]CountRow, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		return nil, fmt.Errorf("read sheet %s: %w", SheetSummary, err)
	}
	width := len(CountColumns())
	start := -1
	for i, row := range rows {
		if len(row) > 0 && row[0] == "Framework" {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("sheet %s has no counts table", SheetSummary)
	}
	var out []CountRow
	for i := start; i < len(rows); i++ {
		row := rows[i]
		if len(row) != width+1 {
			return nil, fmt.Errorf("sheet %s row %d: %d cells, want %d", SheetSummary, i+1, len(row), width+1)
		}
		cr := CountRow{Label: row[0]}
		for j, s := range row[1:] {
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("sheet %s row %d column %d: %q is not a count", SheetSummary, i+1, j+2, s)
			}
			cr.Values = append(cr.Values, n)
		}
		out = append(out, cr)
		if cr.Label == allFrameworks {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sheet %s: the counts table has no %q row", SheetSummary, allFrameworks)
}
