// Package markdown renders [audit.Results] and [diff.Changes] as GitHub
// flavoured Markdown short enough for a pull-request comment: a verdict
// table per framework, the controls that need attention (capped, with a
// count of the rest), the regressions since a previous result, and the
// run's warnings.
//
// It renders only what the results say; it never recomputes a verdict and
// never changes its input. Every piece of text from the inputs is escaped,
// so a hostile control name or reason cannot inject links, HTML or table
// cells into the comment.
package markdown

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
)

// DefaultMaxRows caps each list; GitHub refuses comments over 65,536
// characters, and a reviewer reads the first rows only anyway.
const DefaultMaxRows = 25

// Options tune a check report.
type Options struct {
	// Attention lists the verdicts shown as controls needing attention, in
	// addition to not-satisfied and needs-evidence (for example the
	// verdicts of --fail-on).
	Attention []eval.Verdict
	// MaxRows caps each list; zero means DefaultMaxRows.
	MaxRows int
	// Changes, when set, adds the regressions since a previous result.
	Changes *diff.Changes
}

// Render writes the check report of r.
func Render(w io.Writer, r *audit.Results, o Options) error {
	bw := bufio.NewWriter(w)
	max := o.MaxRows
	if max <= 0 {
		max = DefaultMaxRows
	}
	fmt.Fprintf(bw, "## auditpack: %s — %s\n\n", esc(r.Project.Organisation), esc(r.Project.System))
	fmt.Fprintf(bw, "As of %s", esc(r.Project.AsOf))
	if r.Project.PeriodStart != "" {
		fmt.Fprintf(bw, ", audit period %s to %s", esc(r.Project.PeriodStart), esc(r.Project.PeriodEnd))
	}
	fmt.Fprintf(bw, ". Model: %s (%s).\n\n", esc(r.Model.Title), esc(r.Model.Source.Format))
	summaryTable(bw, r)

	attention := append([]eval.Verdict{eval.NotSatisfied, eval.NeedsEvidence}, o.Attention...)
	var rows []audit.Control
	for _, c := range r.Controls {
		if slices.Contains(attention, c.Verdict) {
			rows = append(rows, c)
		}
	}
	slices.SortStableFunc(rows, func(a, b audit.Control) int { return eval.Rank(b.Verdict) - eval.Rank(a.Verdict) })
	fmt.Fprintf(bw, "\n### Controls needing attention (%d)\n\n", len(rows))
	if len(rows) == 0 {
		fmt.Fprintln(bw, "None.")
	} else {
		fmt.Fprintln(bw, "| verdict | control | reason |")
		fmt.Fprintln(bw, "|---|---|---|")
		for i, c := range rows {
			if i == max {
				break
			}
			fmt.Fprintf(bw, "| %s | %s %s | %s |\n", badge(c.Verdict), code(c.Ref), esc(c.Name), cell(c.Reason))
		}
		more(bw, len(rows), max)
	}
	if o.Changes != nil {
		regressions(bw, o.Changes, max)
	}
	warnings(bw, r.Warnings, max)
	fmt.Fprintln(bw, "\n<sub>Automated rules check the technical part of controls only (partial coverage); excepted and manual controls are never counted as satisfied.</sub>")
	return bw.Flush()
}

// warnings lists the run's warnings, each with the file and place it names;
// a run without warnings gets no section.
func warnings(w io.Writer, ws []audit.Warning, max int) {
	if len(ws) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### Warnings (%d)\n\n", len(ws))
	for i, x := range ws {
		if i == max {
			break
		}
		fmt.Fprintf(w, "- %s: %s\n", code(x.Source), cell(x.Message))
	}
	more(w, len(ws), max)
}

// summaryLegend explains the split columns of the summary table.
const summaryLegend = "Satisfied controls are split into *technical part satisfied* (the rules check only the technical part; " +
	"an auditor judges the rest) and *satisfied in full*; manual ones by what the auditor must do."

// summaryTable writes the counts of each framework, satisfied and manual
// split into their parts, so no column reads as requirements met.
func summaryTable(w io.Writer, r *audit.Results) {
	parts := view.Parts()
	fmt.Fprint(w, "| framework |")
	for _, p := range parts {
		fmt.Fprintf(w, " %s |", p.Label)
	}
	fmt.Fprintln(w, " total |")
	fmt.Fprintln(w, "|---|"+strings.Repeat("---:|", len(parts)+1))
	for _, f := range view.Of(r).Frameworks {
		fmt.Fprintf(w, "| %s %s |", code(f.Info.Ref), esc(f.Info.Title))
		for _, p := range parts {
			fmt.Fprintf(w, " %d |", p.Of(f.Counts))
		}
		fmt.Fprintf(w, " %d |\n", f.Counts.Total)
	}
	fmt.Fprintf(w, "\n%s\n", summaryLegend)
}

// regressions writes the controls that got worse since the previous
// result, with one line on the other kinds of change.
func regressions(w io.Writer, c *diff.Changes, max int) {
	fmt.Fprintf(w, "\n### Regressions since %s (%d)\n\n", esc(c.Old.AsOf), c.Summary.Regressions)
	if c.Summary.Regressions == 0 {
		fmt.Fprintln(w, "None.")
	} else {
		controlTable(w, c.Controls, diff.Regression, max)
	}
	fmt.Fprintf(w, "\nAlso changed: %d improved, %d scope, %d evidence, %d exception, %d version change(s).\n",
		c.Summary.Improvements, c.Summary.Scope, c.Summary.Evidence, c.Summary.Exceptions, c.Summary.Versions)
}

func controlTable(w io.Writer, changes []diff.ControlChange, direction string, max int) {
	fmt.Fprintln(w, "| control | from | to | why |")
	fmt.Fprintln(w, "|---|---|---|---|")
	n := 0
	for _, cc := range changes {
		if cc.Direction != direction {
			continue
		}
		if n < max {
			fmt.Fprintf(w, "| %s %s | %s | %s | %s |\n", code(cc.Ref), esc(cc.Name), verdictOr(cc.From), verdictOr(cc.To), cell(cc.Reason))
		}
		n++
	}
	more(w, n, max)
}

func more(w io.Writer, n, max int) {
	if n > max {
		fmt.Fprintf(w, "\n…and %d more.\n", n-max)
	}
}

func verdictOr(v eval.Verdict) string {
	if v == "" {
		return "—"
	}
	return badge(v)
}

// badge renders a verdict with a symbol, so the table reads at a glance
// without relying on colour.
func badge(v eval.Verdict) string {
	sym := map[eval.Verdict]string{eval.NotSatisfied: "❌", eval.NeedsEvidence: "⚠️", eval.Excepted: "🟨",
		eval.Manual: "📝", eval.Satisfied: "✅", eval.NotApplicable: "➖"}[v]
	return strings.TrimSpace(sym + " " + esc(string(v)))
}
