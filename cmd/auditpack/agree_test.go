package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/markdown"
	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

// TestTextSummaryAgreesWithTheView prints the text summary of the
// committed demo results and checks each framework's row against the view
// those results build and against the Markdown check report's table:
// reports/view's agreement tests hold every other output of the same
// results to the same view, so the text summary agrees with all of them.
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
	// The Markdown check report is the other text output: its table must
	// hold the same numbers, column for column.
	var md bytes.Buffer
	if err := markdown.Render(&md, r, markdown.Options{}); err != nil {
		t.Fatal(err)
	}
	mdRows := map[string][]string{}
	for _, l := range strings.Split(md.String(), "\n") {
		cells := strings.Split(strings.Trim(l, "|"), "|")
		if len(cells) == len(view.Parts())+2 && strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			mdRows[strings.Fields(strings.Trim(cells[0], "`"))[0]] = cells[1:]
		}
	}
	for _, f := range v.Frameworks {
		if got, want := strings.Join(mdRows[f.Info.Ref], " "), strings.Join(rows[f.Info.Ref], " "); got != want {
			t.Errorf("%s: Markdown counts %q, text summary %q", f.Info.Ref, got, want)
		}
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
