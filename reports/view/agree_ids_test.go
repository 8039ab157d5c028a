package view_test

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/junit"
	"github.com/auditpack/auditpack/reports/markdown"
	"github.com/auditpack/auditpack/reports/sarif"
	"github.com/auditpack/auditpack/reports/view"
)

// TestRenderersAgreeOnExceptionsAndGaps checks that JUnit names as what
// excepts a control exactly the exceptions the view finds, that SARIF
// suppresses a result exactly where the view excepts it and with the same
// exceptions, and that Markdown's controls needing attention are JUnit's
// failures.
func TestRenderersAgreeOnExceptionsAndGaps(t *testing.T) {
	for name, r := range demos(t) {
		t.Run(name, func(t *testing.T) {
			v := view.Of(r)
			by := map[string][]string{} // control "framework id" → excepted by
			var gaps []string
			for i := range r.Controls {
				c := &r.Controls[i]
				if c.Verdict == eval.Excepted {
					by[c.Framework+" "+c.ID] = view.ExceptedBy(c)
				}
				if c.Verdict == eval.NotSatisfied || c.Verdict == eval.NeedsEvidence {
					gaps = append(gaps, c.Ref)
				}
			}
			if len(by) == 0 || len(gaps) == 0 {
				t.Fatal("the demo has no excepted or failing control: the test proves little")
			}

			var buf bytes.Buffer
			if err := junit.Render(&buf, r); err != nil {
				t.Fatal(err)
			}
			var js junit.Suites
			if err := xml.Unmarshal(buf.Bytes(), &js); err != nil {
				t.Fatal(err)
			}
			var failing []string
			for _, s := range js.Suites {
				for _, c := range s.Cases {
					id, _, _ := strings.Cut(c.Name, " ")
					if c.Failure != nil {
						failing = append(failing, c.Classname+":"+id)
					}
					if c.Skipped == nil || !strings.HasPrefix(c.Skipped.Message, "excepted by ") {
						continue
					}
					ids, _, _ := strings.Cut(strings.TrimPrefix(c.Skipped.Message, "excepted by "), ":")
					if want := by[c.Classname+" "+id]; strings.Join(want, ", ") != ids {
						t.Errorf("JUnit: %s %s excepted by %q, the view by %v", c.Classname, id, ids, want)
					}
				}
			}
			sameSet(t, "JUnit failures", failing, gaps)

			suppressed := 0
			for _, res := range sarif.Build(r).Runs[0].Results {
				rule, element := res.RuleID, res.Locations[0].LogicalLocations[0].FullyQualifiedName
				if element == "system" {
					element = ""
				}
				want := strings.Join(v.Exceptions().By(rule, element), ", ")
				got := ""
				if len(res.Suppressions) > 0 {
					got = res.Suppressions[0].Justification
					suppressed++
				}
				if got != want {
					t.Errorf("SARIF: %s on %q suppressed by %q, the view excepts it by %q", rule, element, got, want)
				}
			}
			if suppressed == 0 {
				t.Error("SARIF suppresses no result")
			}

			buf.Reset()
			if err := markdown.Render(&buf, r, markdown.Options{}); err != nil {
				t.Fatal(err)
			}
			var attention []string
			for _, l := range strings.Split(buf.String(), "\n") {
				cells := strings.Split(strings.Trim(l, "|"), "|")
				if len(cells) == 3 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
					attention = append(attention, strings.Fields(strings.Trim(strings.TrimSpace(cells[1]), "`"))[0])
				}
			}
			if !slices.Equal(slices.Sorted(slices.Values(attention)), slices.Sorted(slices.Values(gaps))) {
				t.Errorf("Markdown: controls needing attention %v, failing %v", attention, gaps)
			}
		})
	}
}
