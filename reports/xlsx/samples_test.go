package xlsx

import (
	"strconv"
	"testing"
)

// The Samples sheet has one row per member of each sample, in draw order,
// and its header repeats on every printed page like the other tables'.
func TestSamplesSheet(t *testing.T) {
	r := loadDemo(t)
	if len(r.Samples) == 0 {
		t.Fatal("the demo has no samples")
	}
	f := open(t, render(t, r, testOptions))
	rows, err := f.GetRows(SheetSamples)
	if err != nil {
		t.Fatal(err)
	}
	row := 1
	for _, s := range r.Samples {
		for i, m := range s.Members {
			if row >= len(rows) {
				t.Fatalf("Samples ends at row %d", row+1)
			}
			got := rows[row]
			if got[0] != s.Control || got[2] != strconv.Itoa(s.PopulationSize) || got[5] != strconv.Itoa(s.Size) ||
				got[6] != s.Seed || got[7] != strconv.Itoa(i+1) || got[8] != m.ID || got[12] != m.Key {
				t.Errorf("row %d = %q; want %s member %d %s of %d", row+1, got, s.Control, i+1, m.ID, s.Size)
			}
			row++
		}
	}
	if row != len(rows) {
		t.Errorf("Samples has %d rows, want %d", len(rows), row)
	}
	titles := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == SheetSamples && d.RefersTo == "'Samples'!$1:$1" {
			titles = true
		}
	}
	if !titles {
		t.Error("Samples has no print titles")
	}
}
