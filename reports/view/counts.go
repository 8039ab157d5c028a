// The parts below are the columns every summary of auditpack splits its
// verdict counts into, so the PDF, the workbook, the Markdown, JUnit and
// text outputs agree on their order and their words.
//
// A satisfied control is split into "technical part satisfied" and
// "satisfied in full", because a count headed "satisfied" reads as
// requirements met, and auditpack's rules check the technical part of a
// control only. A manual control is split by what the auditor has to do:
// confirm a scope, judge a control no automated rule covers, or judge what
// the rules leave open. The parts of a [audit.Counts] add up to its total.
// They only read counts; they never recompute a verdict.

package view

import (
	"fmt"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// Part is one column of a summary's counts: a verdict, or the share of the
// satisfied or manual controls that have one reason.
type Part struct {
	// Key is the part's name in results.json, for example
	// "satisfied-technical-part".
	Key string
	// Verdict is the verdict of the controls the part counts.
	Verdict eval.Verdict
	// Short is the column title of plain-text tables, at most 8 bytes.
	Short string
	// Label names the part in words.
	Label string
	// Of returns the part's count.
	Of func(audit.Counts) int
}

// Keys of the parts that split a verdict.
const (
	KeyManualConfirmScope = "manual-confirm-scope"
	KeyManualNoRule       = "manual-no-rule"
	KeyManualJudgement    = "manual-judgement"
	KeySatisfiedTechnical = "satisfied-technical-part"
	KeySatisfiedFull      = "satisfied-full"
)

// Parts returns the parts in roll-up order, worst verdict first; each
// control of a count is in exactly one of them.
func Parts() []Part {
	return []Part{
		{string(eval.NotSatisfied), eval.NotSatisfied, "not-sat", "not satisfied", func(c audit.Counts) int { return c.NotSatisfied }},
		{string(eval.NeedsEvidence), eval.NeedsEvidence, "needs-ev", "needs evidence", func(c audit.Counts) int { return c.NeedsEvidence }},
		{string(eval.Excepted), eval.Excepted, "excepted", "excepted", func(c audit.Counts) int { return c.Excepted }},
		{KeyManualConfirmScope, eval.Manual, "confirm", "manual: scope to confirm", func(c audit.Counts) int { return c.ManualConfirmScope }},
		{KeyManualNoRule, eval.Manual, "no-rule", "manual: no automated rule", func(c audit.Counts) int { return c.ManualNoRule }},
		{KeyManualJudgement, eval.Manual, "judge", "manual: auditor judgement", func(c audit.Counts) int { return c.ManualJudgement }},
		{KeySatisfiedTechnical, eval.Satisfied, "tech-sat", "technical part satisfied", func(c audit.Counts) int { return c.SatisfiedTechnical }},
		{KeySatisfiedFull, eval.Satisfied, "full-sat", "satisfied in full", func(c audit.Counts) int { return c.SatisfiedFull }},
		{string(eval.NotApplicable), eval.NotApplicable, "n/a", "not applicable", func(c audit.Counts) int { return c.NotApplicable }},
	}
}

// ManualLabel says in words why a control is manual, from its
// [audit.Control].Manual; it is "" for a control that is not manual.
func ManualLabel(kind string) string {
	switch kind {
	case audit.ManualConfirmScope:
		return "scope to confirm"
	case audit.ManualNoRule:
		return "no automated rule"
	case audit.ManualJudgement:
		return "auditor judgement"
	}
	return kind
}

// CheckCounts reports whether the parts of c add up: satisfied in full and
// technical part to the satisfied controls, the three manual parts to the
// manual ones, and every part to the total.
func CheckCounts(c audit.Counts) error {
	if n := c.SatisfiedFull + c.SatisfiedTechnical; n != c.Satisfied {
		return fmt.Errorf("satisfied in full (%d) and technical part satisfied (%d) add up to %d, not to the %d satisfied",
			c.SatisfiedFull, c.SatisfiedTechnical, n, c.Satisfied)
	}
	if n := c.ManualConfirmScope + c.ManualNoRule + c.ManualJudgement; n != c.Manual {
		return fmt.Errorf("the manual parts (%d scope to confirm, %d no automated rule, %d auditor judgement) add up to %d, not to the %d manual",
			c.ManualConfirmScope, c.ManualNoRule, c.ManualJudgement, n, c.Manual)
	}
	n := 0
	for _, p := range Parts() {
		n += p.Of(c)
	}
	if n != c.Total {
		return fmt.Errorf("the parts add up to %d, not to the total of %d", n, c.Total)
	}
	return nil
}
