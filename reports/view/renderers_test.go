package view_test

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/junit"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/sarif"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/auditpack/auditpack/reports/xlsx"
	"github.com/xuri/excelize/v2"
)

// ids of the results themselves: what every output must name.
type ids struct {
	controls, excepted, exceptions, evidence, threats []string
}

func want(r *audit.Results) ids {
	var w ids
	for _, c := range r.Controls {
		w.controls = append(w.controls, c.Framework+":"+c.ID)
		if c.Verdict == eval.Excepted {
			w.excepted = append(w.excepted, c.Framework+":"+c.ID)
		}
	}
	for _, x := range r.Exceptions {
		w.exceptions = append(w.exceptions, x.ID)
	}
	for _, it := range r.Evidence.Items {
		w.evidence = append(w.evidence, it.ID)
	}
	w.threats = threatIDs(view.ThreatsInScope(r))
	return w
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(slices.Compact(g), slices.Compact(w)) {
		t.Errorf("%s: %v, want %v", what, g, w)
	}
}

// TestRenderersAgree renders each demo (see demos) through the workbook,
// JUnit, OSCAL and SARIF, and checks that they name the same controls,
// excepted controls, exceptions, evidence items and open threats in scope.
// The counts are compared in TestRenderersAgreeOnCounts, the PDF in
// TestPDFAgrees.
func TestRenderersAgree(t *testing.T) {
	for name, r := range demos(t) {
		t.Run(name, func(t *testing.T) {
			w := want(r)

			// Workbook.
			var buf bytes.Buffer
			if err := xlsx.Render(&buf, r, xlsx.Options{PackageID: "p"}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			col := func(sheet string, i int) (out []string) {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range rows[1:] {
					// Rows below a table and the workbook's row for
					// evidence cited but never declared are no items.
					if len(row) > i && row[i] != "" && row[i] != "(undeclared)" {
						out = append(out, row[i])
					}
				}
				return out
			}
			var xc, xe []string
			rows, _ := f.GetRows(xlsx.SheetControls)
			for _, row := range rows[1:] {
				xc = append(xc, row[0]+":"+row[1])
				if row[4] == string(eval.Excepted) {
					xe = append(xe, row[0]+":"+row[1])
				}
			}
			sameSet(t, "workbook controls", xc, w.controls)
			sameSet(t, "workbook excepted", xe, w.excepted)
			sameSet(t, "workbook exceptions", col(xlsx.SheetExceptions, 0), w.exceptions)
			sameSet(t, "workbook evidence", col(xlsx.SheetEvidence, 0), w.evidence)
			for _, id := range w.threats {
				if !slices.Contains(col(xlsx.SheetThreats, 0), id) {
					t.Errorf("workbook Threats sheet lacks open threat %s", id)
				}
			}

			// JUnit: one case per control, excepted ones skipped.
			buf.Reset()
			if err := junit.Render(&buf, r); err != nil {
				t.Fatal(err)
			}
			var js junit.Suites
			if err := xml.Unmarshal(buf.Bytes(), &js); err != nil {
				t.Fatal(err)
			}
			var jc, je []string
			for _, s := range js.Suites {
				for _, c := range s.Cases {
					id, _, _ := strings.Cut(c.Name, " ")
					jc = append(jc, c.Classname+":"+id)
					if c.Skipped != nil && strings.HasPrefix(c.Skipped.Message, "excepted by ") {
						je = append(je, c.Classname+":"+id)
					}
				}
			}
			sameSet(t, "JUnit controls", jc, w.controls)
			sameSet(t, "JUnit excepted", je, w.excepted)

			// OSCAL: one finding per control, one risk per threat in scope.
			var oc, oe, ot []string
			for _, res := range oscal.Build(r).AssessmentResults.Results {
				held := map[string]bool{}
				for _, rk := range res.Risks {
					held[rk.UUID] = true
				}
				for _, fd := range res.Findings {
					for _, rr := range fd.RelatedRisks {
						if !held[rr.RiskUUID] {
							t.Errorf("OSCAL finding %s names risk %s the document does not hold", fd.Props[0].Value, rr.RiskUUID)
						}
					}
				}
				for _, fd := range res.Findings {
					for _, p := range fd.Props {
						if p.Name == "control" {
							oc = append(oc, p.Value)
						}
					}
					for _, p := range fd.Target.Props {
						if p.Name == "verdict" && p.Value == string(eval.Excepted) {
							oe = append(oe, fd.Props[0].Value)
						}
					}
				}
				for _, rk := range res.Risks {
					for _, id := range rk.ThreatIDs {
						ot = append(ot, strings.TrimPrefix(id.ID, "urn:auditpack:threat:"))
					}
				}
			}
			var refs, exRefs []string
			for _, c := range r.Controls {
				refs = append(refs, c.Ref)
				if c.Verdict == eval.Excepted {
					exRefs = append(exRefs, c.Ref)
				}
			}
			sameSet(t, "OSCAL controls", oc, refs)
			sameSet(t, "OSCAL excepted", oe, exRefs)
			sameSet(t, "OSCAL risks", ot, w.threats)

			// SARIF: a suppressed result exactly where the view excepts it.
			for _, res := range sarif.Build(r).Runs[0].Results {
				if res.Properties["verdict"] == string(eval.Excepted) && len(res.Suppressions) == 0 {
					t.Errorf("SARIF result %s excepted without a suppression", res.RuleID)
				}
			}

		})
	}
}
