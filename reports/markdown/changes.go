package markdown

import (
	"bufio"
	"fmt"
	"github.com/auditpack/auditpack/reports/view"
	"io"
	"strings"

	"github.com/auditpack/auditpack/audit/diff"
)

// RenderChanges writes what changed between two results, for
// `auditpack diff --format markdown`: regressions first, then
// improvements, scope, evidence, exceptions and versions. maxRows caps
// each list; zero means DefaultMaxRows.
func RenderChanges(w io.Writer, c *diff.Changes, maxRows int) error {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## auditpack diff: %s — %s\n\n", esc(c.New.Organisation), esc(c.New.System))
	fmt.Fprintf(bw, "From %s (%s) to %s (%s).\n\n", esc(c.Old.AsOf), esc(c.Old.Model), esc(c.New.AsOf), esc(c.New.Model))
	s := c.Summary
	fmt.Fprintf(bw, "**%d regression(s)**, %d improvement(s), %d control(s) added, %d removed; %d scope, %d evidence, %d exception and %d version change(s).\n",
		s.Regressions, s.Improvements, s.ControlsAdded, s.ControlsRemoved, s.Scope, s.Evidence, s.Exceptions, s.Versions)
	if c.Empty() {
		fmt.Fprintln(bw, "\nNothing changed.")
		return bw.Flush()
	}
	for _, d := range []struct{ dir, title string }{
		{diff.Regression, "Regressions"}, {diff.Improvement, "Improvements"},
		{diff.Added, "Controls added"}, {diff.Removed, "Controls removed"},
	} {
		if n := count(c.Controls, d.dir); n > 0 {
			fmt.Fprintf(bw, "\n### %s (%d)\n\n", d.title, n)
			controlTable(bw, c.Controls, d.dir, maxRows)
		}
	}
	if len(c.Scope) > 0 {
		fmt.Fprintf(bw, "\n### Scope (%d)\n\n| element | change | rules brought into scope | rules taken out |\n|---|---|---|---|\n", len(c.Scope))
		for i, sc := range c.Scope {
			if i == maxRows {
				break
			}
			fmt.Fprintf(bw, "| %s %s (%s) | %s | %s | %s |\n", code(sc.Element.ID), esc(sc.Element.Name), esc(sc.Element.Kind),
				esc(sc.Change), codes(sc.RulesAdded), codes(sc.RulesRemoved))
		}
		more(bw, len(c.Scope), maxRows)
	}
	if len(c.Evidence) > 0 {
		fmt.Fprintf(bw, "\n### Evidence (%d)\n\n| item | change | detail |\n|---|---|---|\n", len(c.Evidence))
		for i, e := range c.Evidence {
			if i == maxRows {
				break
			}
			fmt.Fprintf(bw, "| %s %s | %s | %s |\n", code(e.Item), esc(e.Title), esc(e.Change), cell(evidenceDetail(e)))
		}
		more(bw, len(c.Evidence), maxRows)
	}
	if len(c.Exceptions) > 0 {
		fmt.Fprintf(bw, "\n### Exceptions (%d)\n\n| exception | change | covers | expires |\n|---|---|---|---|\n", len(c.Exceptions))
		for i, e := range c.Exceptions {
			if i == maxRows {
				break
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", code(e.ID), esc(transition(e.Change, e.From, e.To)),
				cell(strings.Join(nonEmpty(e.Control, e.Rule, e.Element), " ")), esc(e.ExpiresOn))
		}
		more(bw, len(c.Exceptions), maxRows)
	}
	if len(c.Versions) > 0 {
		fmt.Fprintf(bw, "\n### Versions (%d)\n\n| kind | id | from | to |\n|---|---|---|---|\n", len(c.Versions))
		for _, v := range c.Versions {
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", esc(v.Kind), code(v.ID), esc(dash(v.From)), esc(dash(v.To)))
		}
	}
	requestChanges(bw, c.Requests, maxRows)
	return bw.Flush()
}

func count(cs []diff.ControlChange, dir string) int {
	n := 0
	for _, c := range cs {
		if c.Direction == dir {
			n++
		}
	}
	return n
}

func evidenceDetail(e diff.EvidenceChange) string {
	lines := view.EvidenceChangeDetail(e, 0)
	if t := view.EvidenceTransition(e); t != "" {
		lines = append([]string{t}, lines...)
	}
	return dash(strings.Join(lines, "; "))
}

func transition(change, from, to string) string {
	if from == "" || to == "" {
		return change
	}
	return fmt.Sprintf("%s (%s → %s)", change, from, to)
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}

func codes(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = code(id)
	}
	return strings.Join(out, ", ")
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
