package xlsx

import "github.com/auditpack/auditpack/reports/view"

// requestColumns are the columns of the Evidence requests sheet:
// view.RequestHeader, then two the auditor fills in as evidence arrives.
var requestColumns = []column{
	{view.RequestHeader[0], 17, plain},   // Request
	{view.RequestHeader[1], 12, plain},   // Need
	{view.RequestHeader[2], 30, wrapped}, // Rule
	{view.RequestHeader[3], 22, wrapped}, // Requirement
	{view.RequestHeader[4], 22, wrapped}, // Controls
	{view.RequestHeader[5], 26, wrapped}, // Elements
	{view.RequestHeader[6], 22, wrapped}, // Evidence kinds
	{view.RequestHeader[7], 56, wrapped}, // Must show
	{view.RequestHeader[8], 11, plain},   // Period from
	{view.RequestHeader[9], 11, plain},   // Period to
	{view.RequestHeader[10], 22, wrapped},
	{view.RequestHeader[11], 24, wrapped},
	{view.RequestHeader[12], 11, plain}, // Due
	{view.RequestHeader[13], 24, wrapped},
	{view.RequestHeader[14], 56, wrapped}, // Why
	{"Received on", 12, auditor},
	{"Auditor comment", 30, auditor},
}

// requests writes one row per evidence request, as requests.csv lists
// them; a request no owner is named for is flagged.
func (wb *workbook) requests() error {
	t, err := newTable(wb.f, wb.st, SheetRequests, 1, requestColumns)
	if err != nil {
		return err
	}
	for i := range wb.r.Requests {
		r := &wb.r.Requests[i]
		row := view.RequestRow(r)
		values := make([]any, len(row))
		for j, c := range row {
			values[j] = c
		}
		if r.Owner == "" {
			values[10] = styled{row[10], wb.st.flag}
		}
		if err := t.add(values...); err != nil {
			return err
		}
	}
	return t.close()
}
