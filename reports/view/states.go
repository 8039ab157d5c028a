package view

import (
	"cmp"
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
)

// EvidenceOK is the status of an evidence item with no problem; every
// other status is one an output flags.
const EvidenceOK = "ok"

// VerdictKind says in words what kind of satisfied or manual verdict a
// control has ("technical part", "in full", or why it is manual), "" for
// any other verdict: every output that prints "satisfied" says beside it
// how much is satisfied, so that it never reads as the requirement met.
func VerdictKind(c *audit.Control) string {
	switch c.Verdict {
	case eval.Satisfied:
		if c.Coverage == audit.CoverageFull {
			return "in full"
		}
		return "technical part"
	case eval.Manual:
		return ManualLabel(c.Manual)
	}
	return ""
}

// ExceptedBy returns the exceptions that made a control's findings
// excepted, sorted, each once. A control also names exceptions that no
// longer apply (an expired one, or a type its framework refuses); an
// output saying what excepts a control must name only these.
func ExceptedBy(c *audit.Control) []string {
	var out []string
	for _, f := range c.Findings {
		if f.Verdict == eval.Excepted && f.Exception != "" {
			out = append(out, f.Exception)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func severe(in []*model.Threat) []*model.Threat {
	var out []*model.Threat
	for _, t := range in {
		if eval.OpenSevere(t) {
			out = append(out, t)
		}
	}
	return out
}

// exceptionStates counts exceptions by status; sorting the statuses keeps
// the output independent of the order exceptions were given in.
func exceptionStates(list []audit.ExceptionInfo) []StateCount {
	var out []StateCount
	for _, x := range list {
		i := slices.IndexFunc(out, func(s StateCount) bool { return s.Status == x.Status })
		if i < 0 {
			i = len(out)
			out = append(out, StateCount{Status: x.Status})
		}
		out[i].N++
	}
	slices.SortFunc(out, func(a, b StateCount) int { return cmp.Compare(a.Status, b.Status) })
	return out
}
