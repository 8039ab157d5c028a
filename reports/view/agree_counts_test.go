package view_test

import (
	"bytes"
	"encoding/xml"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/junit"
	"github.com/auditpack/auditpack/reports/markdown"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/auditpack/auditpack/reports/xlsx"
	"github.com/xuri/excelize/v2"
)

// counts is what an output says of each framework: the parts of its
// counts in the order of [view.Parts], then the total; or, for coverage,
// partial, full and none.
type counts map[string][]int

func countsOf(v *view.View) (parts, coverage counts) {
	parts, coverage = counts{}, counts{}
	for _, f := range v.Frameworks {
		for _, p := range view.Parts() {
			parts[f.Info.Ref] = append(parts[f.Info.Ref], p.Of(f.Counts))
		}
		parts[f.Info.Ref] = append(parts[f.Info.Ref], f.Counts.Total)
		c := f.Coverage
		coverage[f.Info.Ref] = []int{c.Partial, c.Full, c.None}
	}
	return parts, coverage
}

func sameCounts(t *testing.T, what string, got, want counts) {
	t.Helper()
	for _, ref := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(got[ref], want[ref]) {
			t.Errorf("%s, %s: %v, the view counts %v", what, ref, got[ref], want[ref])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: counts for %v, the view for %v", what, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
}

func ints(t *testing.T, cells []string) []int {
	t.Helper()
	var out []int
	for _, c := range cells {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil {
			t.Fatalf("count %q in %q is no number", c, cells)
		}
		out = append(out, n)
	}
	return out
}

// TestRenderersAgreeOnCounts renders each demo through the workbook,
// JUnit, Markdown and OSCAL and reads back the counts each prints per
// framework (every part of the verdicts, with the partial-coverage and
// scope-to-confirm counts) and the coverage: they must be the view's.
// The PDF's are checked in TestPDFAgrees, the text summary's in
// cmd/auditpack.
func TestRenderersAgreeOnCounts(t *testing.T) {
	for name, r := range demos(t) {
		t.Run(name, func(t *testing.T) {
			v := view.Of(r)
			parts, coverage := countsOf(v)
			n := len(view.Parts())

			// Workbook: the Summary sheet's counts table.
			var buf bytes.Buffer
			if err := xlsx.Render(&buf, r, xlsx.Options{PackageID: "p"}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows(xlsx.SheetSummary)
			if err != nil {
				t.Fatal(err)
			}
			xp, xc := counts{}, counts{}
			at := slices.IndexFunc(rows, func(row []string) bool { return len(row) > 0 && row[0] == "Framework" })
			if at < 0 {
				t.Fatal("workbook: no counts table on the Summary sheet")
			}
			for _, row := range rows[at+1:] {
				if len(row) < n+5 || row[0] == "All frameworks" {
					break
				}
				xp[row[0]], xc[row[0]] = ints(t, row[1:n+2]), ints(t, row[n+2:n+5])
			}
			sameCounts(t, "workbook counts", xp, parts)
			sameCounts(t, "workbook coverage", xc, coverage)

			// JUnit: a property per part, and one case per control.
			buf.Reset()
			if err := junit.Render(&buf, r); err != nil {
				t.Fatal(err)
			}
			var js junit.Suites
			if err := xml.Unmarshal(buf.Bytes(), &js); err != nil {
				t.Fatal(err)
			}
			jp := counts{}
			for _, s := range js.Suites {
				props := map[string]string{}
				for _, p := range s.Properties {
					props[p.Name] = p.Value
				}
				var cells []string
				for _, p := range view.Parts() {
					cells = append(cells, props["controls_"+strings.ReplaceAll(p.Key, "-", "_")])
				}
				jp[s.Name] = append(ints(t, cells), s.Tests)
			}
			sameCounts(t, "JUnit counts", jp, parts)

			// Markdown: the summary table.
			buf.Reset()
			if err := markdown.Render(&buf, r, markdown.Options{}); err != nil {
				t.Fatal(err)
			}
			mp := counts{}
			for _, l := range strings.Split(buf.String(), "\n") {
				cells := strings.Split(strings.Trim(l, "|"), "|")
				if len(cells) != n+2 || !strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
					continue
				}
				ref := strings.Fields(strings.Trim(strings.TrimSpace(cells[0]), "`"))[0]
				mp[ref] = ints(t, cells[1:])
			}
			sameCounts(t, "Markdown counts", mp, parts)

			// OSCAL: one finding per control with its verdict and coverage.
			fw := map[string]string{}
			for _, c := range r.Controls {
				fw[c.Ref] = c.Framework
			}
			verdicts, oc := map[string]*audit.Counts{}, counts{}
			for _, res := range oscal.Build(r).AssessmentResults.Results {
				for _, fd := range res.Findings {
					var ref, cov, verdict string
					for _, p := range fd.Props {
						switch p.Name {
						case "control":
							ref = p.Value
						case "coverage":
							cov = p.Value
						}
					}
					for _, p := range fd.Target.Props {
						if p.Name == "verdict" {
							verdict = p.Value
						}
					}
					ref = fw[ref]
					if verdicts[ref] == nil {
						verdicts[ref], oc[ref] = &audit.Counts{}, []int{0, 0, 0}
					}
					verdicts[ref].Add(eval.Verdict(verdict))
					oc[ref][slices.Index([]string{audit.CoveragePartial, audit.CoverageFull, audit.CoverageNone}, cov)]++
				}
			}
			for _, f := range v.Frameworks {
				got := verdicts[f.Info.Ref]
				if got == nil {
					t.Errorf("OSCAL: no finding for %s", f.Info.Ref)
					continue
				}
				for _, vd := range eval.Verdicts {
					if got.Of(vd) != f.Counts.Of(vd) {
						t.Errorf("OSCAL, %s: %d %s, the view counts %d", f.Info.Ref, got.Of(vd), vd, f.Counts.Of(vd))
					}
				}
			}
			sameCounts(t, "OSCAL coverage", oc, coverage)
		})
	}
}
