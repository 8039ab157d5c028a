// Package eval applies mapping rules to an indexed threat model and an
// evidence index, giving one verdict per (rule, element) with its reasons:
// the mitigations found or missing, where they were looked for, and the
// evidence items (with hashes) that back or fail them.
//
// Evaluation is pure and deterministic: no I/O, no clock (the as-of date is
// an input), and results sorted by rule and element.
package eval

// Verdict is the outcome of a rule for one element, or of a control.
type Verdict string

// The six verdicts. They are never collapsed into pass/fail.
const (
	Satisfied     Verdict = "satisfied"
	NotSatisfied  Verdict = "not-satisfied"
	NeedsEvidence Verdict = "needs-evidence"
	Excepted      Verdict = "excepted"
	NotApplicable Verdict = "not-applicable"
	Manual        Verdict = "manual"
)

// Verdicts lists every verdict from worst to best, the roll-up order.
var Verdicts = []Verdict{NotSatisfied, NeedsEvidence, Excepted, Manual, Satisfied, NotApplicable}

// Rank orders verdicts for roll-up: higher is worse.
func Rank(v Verdict) int {
	for i, w := range Verdicts {
		if w == v {
			return len(Verdicts) - i
		}
	}
	return 0
}

// Worst returns the worse of two verdicts; the empty verdict loses to all.
func Worst(a, b Verdict) Verdict {
	if Rank(b) > Rank(a) {
		return b
	}
	return a
}

// Valid reports whether v is one of the six verdicts.
func Valid(v Verdict) bool { return Rank(v) > 0 }
