package xlsx

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The Evidence requests sheet has one row per request of the results, in
// their order, with requests.csv's columns, prints its header on every
// page, and flags a request no owner is named for.
func TestRequestsSheet(t *testing.T) {
	r := loadDemo(t)
	if len(r.Requests) == 0 {
		t.Fatal("the demo results carry no requests")
	}
	f := open(t, render(t, r, testOptions))
	rows, err := f.GetRows(SheetRequests)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.Requests)+1 {
		t.Fatalf("%d rows for %d requests", len(rows), len(r.Requests))
	}
	unassigned := 0
	for i, q := range r.Requests {
		row := rows[i+1]
		if row[0] != q.ID || row[1] != q.Need || row[2] != q.Rule || row[12] != q.Due {
			t.Errorf("row %d = %q, want request %s", i+2, row[:3], q.ID)
		}
		cell := "K" + strconv.Itoa(i+2)
		owner, _ := f.GetCellValue(SheetRequests, cell)
		style, _ := f.GetCellStyle(SheetRequests, cell)
		plain, _ := f.GetCellStyle(SheetRequests, "L"+strconv.Itoa(i+2))
		if q.Owner == "" {
			unassigned++
			if owner != "(unassigned)" || style == plain {
				t.Errorf("%s: unassigned owner shown %q, style %d (plain %d): want it flagged", q.ID, owner, style, plain)
			}
		} else if owner != q.Owner {
			t.Errorf("%s: owner %q, want %q", q.ID, owner, q.Owner)
		}
	}
	if unassigned == 0 {
		t.Error("the demo has no unassigned request: the flag goes untested")
	}
	var titles bool
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == SheetRequests && strings.HasSuffix(dn.RefersTo, "!$1:$1") {
			titles = true
		}
	}
	if !titles {
		t.Error("the sheet does not repeat its header on printed pages")
	}
	if i := slices.Index(Sheets, SheetRequests); i < 0 || Sheets[i-1] != SheetEvidence {
		t.Errorf("sheets %q: want %q right after %q", Sheets, SheetRequests, SheetEvidence)
	}
}
