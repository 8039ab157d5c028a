package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

// TestTextSummaryAgreesWithTheView prints the text summary of the
// committed demo results and checks each framework's row against the view
// those results build: reports/view's TestRenderersAgree holds every other
// output of the same results to the same view, so the text summary agrees
// with all of them.
func TestTextSummaryAgreesWithTheView(t *testing.T) {
	r := reporttest.Demo(t)
	var out bytes.Buffer
	printSummary(&out, r)
	v := view.Of(r)
	rows := map[string][]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) == len(view.Parts())+2 {
			rows[f[0]] = f[1:]
		}
	}
	if len(v.Frameworks) == 0 {
		t.Fatal("the demo has no framework")
	}
	for _, f := range v.Frameworks {
		row, ok := rows[f.Info.Ref]
		if !ok {
			t.Fatalf("no row for %s in\n%s", f.Info.Ref, out.String())
		}
		want := []int{}
		for _, p := range view.Parts() {
			want = append(want, p.Of(f.Counts))
		}
		want = append(want, f.Counts.Total)
		for i, w := range want {
			if row[i] != strconv.Itoa(w) {
				t.Errorf("%s column %d: %s, the view counts %d", f.Info.Ref, i+1, row[i], w)
			}
		}
	}
}
