package audit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

type roller struct {
	res   *Results
	rules []mappings.Rule
	exc   *exception.File
	ev    *evidence.Index
	asOf  time.Time
	ix    *rollIndex
	// declared holds the overlay's declarations of not applicable, by
	// control ref.
	declared map[string]*Declaration
}

// rollIndex holds what each control looks up, computed once: scanning every
// rule result and every evidence item per control made the roll-up grow with
// controls times results.
type rollIndex struct {
	results    map[string][]int     // rule id → positions in RuleResults, in order
	first      map[[2]string]int    // (rule, element id) → first position
	rules      map[string][]ruleRef // control ref → rules satisfying it, in rule order
	evidence   map[string][]string  // control ref → items naming it, in bundle order
	exceptions map[string][]int     // control ref or "rule "+id → positions in exc.Exceptions
	excPos     map[string]int       // exception id → position in res.Exceptions
	applied    map[[2]string]bool   // (exception id, key) already in AppliedTo
}

type ruleRef struct {
	id           string
	full         bool
	relationship string
}

func (ro *roller) index() *rollIndex {
	if ro.ix != nil {
		return ro.ix
	}
	ix := &rollIndex{results: map[string][]int{}, first: map[[2]string]int{}, rules: map[string][]ruleRef{},
		evidence: map[string][]string{}, exceptions: map[string][]int{}, excPos: map[string]int{}, applied: map[[2]string]bool{}}
	for i, r := range ro.res.RuleResults {
		ix.results[r.Rule] = append(ix.results[r.Rule], i)
		if k := [2]string{r.Rule, r.Element.ID}; !hasKey(ix.first, k) {
			ix.first[k] = i
		}
	}
	for _, r := range ro.rules {
		for _, s := range r.Satisfies {
			ix.rules[s.Control] = append(ix.rules[s.Control], ruleRef{r.ID, s.Full(), s.Relationship})
		}
	}
	if ro.ev != nil {
		for _, st := range ro.ev.Items {
			var named []string
			for _, s := range st.Item.Supports {
				if s.Control != "" && !slices.Contains(named, s.Control) {
					named = append(named, s.Control)
					ix.evidence[s.Control] = append(ix.evidence[s.Control], st.Item.ID)
				}
			}
		}
	}
	if ro.exc != nil {
		for i, e := range ro.exc.Exceptions {
			switch {
			case e.Control != "":
				ix.exceptions[e.Control] = append(ix.exceptions[e.Control], i)
			case e.Rule != "":
				ix.exceptions["rule "+e.Rule] = append(ix.exceptions["rule "+e.Rule], i)
			}
		}
	}
	for i, x := range ro.res.Exceptions {
		if _, dup := ix.excPos[x.ID]; !dup {
			ix.excPos[x.ID] = i
		}
		for _, k := range x.AppliedTo {
			ix.applied[[2]string{x.ID, k}] = true
		}
	}
	ro.ix = ix
	return ix
}

func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}

// framework rolls every control of c up and appends them to the results.
func (ro *roller) framework(c *frameworks.Catalog) FrameworkInfo {
	fi := FrameworkInfo{ID: c.ID, Version: c.Version, Ref: c.Ref(), Baseline: c.BaselineID, Title: c.Title,
		Publisher: c.Publisher, ContentPolicy: c.ContentPolicy, LicenseNotice: c.LicenseNotice}
	// Groups are the non-assessable nodes that hold controls: withdrawn
	// controls and, in a baseline, controls outside it are not groups.
	holds := map[string]bool{}
	for _, n := range c.Controls() {
		for _, a := range c.Ancestors(n.ID) {
			holds[a.ID] = true
		}
	}
	for _, n := range c.Nodes {
		if !n.Assessable && holds[n.ID] {
			fi.Groups = append(fi.Groups, Group{ID: n.ID, Kind: n.Kind, Parent: n.Parent, Name: n.Name()})
		}
	}
	for _, n := range c.Controls() {
		ctl := ro.applicable(ro.control(c, n))
		fi.Counts.AddControl(ctl)
		ro.res.Summary.AddControl(ctl)
		ro.res.Controls = append(ro.res.Controls, ctl)
	}
	fi.Controls = fi.Counts.Total
	return fi
}

func (ro *roller) control(c *frameworks.Catalog, n frameworks.Node) Control {
	ref := c.ControlRef(n.ID)
	ctl := Control{Framework: c.Ref(), ID: n.ID, Ref: ref, Name: n.Name(), Parents: []string{},
		Rules: []string{}, Findings: []Finding{}, Evidence: []string{}, Exceptions: []string{}}
	for _, a := range c.Ancestors(n.ID) {
		ctl.Parents = append(ctl.Parents, a.ID)
	}
	ctl.Group = groupOf(c, n)
	ix := ro.index()
	fullRule := map[string]bool{}
	rel := map[string]string{}
	for _, r := range ix.rules[ref] {
		ctl.Rules = append(ctl.Rules, r.id)
		fullRule[r.id] = fullRule[r.id] || r.full
		rel[r.id] = r.relationship
	}
	ctl.Evidence = append(ctl.Evidence, ix.evidence[ref]...)
	if len(ctl.Rules) == 0 {
		ctl.Verdict, ctl.Coverage, ctl.Manual = eval.Manual, CoverageNone, ManualNoRule
		ctl.Reason = "no automated rule covers this control: an auditor must judge it"
		if len(ctl.Evidence) > 0 {
			ctl.Reason += "; evidence naming it: " + strings.Join(ctl.Evidence, ", ")
		}
		return ctl
	}
	ctl.Coverage = CoveragePartial
	var positions []int
	for _, id := range slices.Compact(slices.Clone(ctl.Rules)) {
		positions = append(positions, ix.results[id]...)
	}
	slices.Sort(positions) // the order of RuleResults, as a full scan would give
	for _, i := range positions {
		res := &ro.res.RuleResults[i]
		f := Finding{Rule: res.Rule, Element: res.Element, Verdict: res.Verdict, Assessed: res.Verdict, Relationship: rel[res.Rule]}
		supportOnly(&f)
		ro.except(&f, ref, &ctl)
		ctl.Verdict = eval.Worst(ctl.Verdict, f.Verdict)
		ctl.Findings = append(ctl.Findings, f)
		// A rule that claims the whole control gives full coverage only
		// where it judged something and found it satisfied; one that
		// judged nothing has claimed nothing.
		if fullRule[f.Rule] && f.Verdict == eval.Satisfied {
			ctl.Coverage = CoverageFull
		}
	}
	if ctl.Verdict == eval.Manual {
		ctl.Manual = ro.manualKind(ctl)
	}
	ctl.Reason = ro.reason(ctl)
	return ctl
}

// confirms reports whether a finding's rule result asks for a scope to be
// confirmed.
func (ro *roller) confirms(f Finding) bool {
	i, ok := ro.index().first[[2]string{f.Rule, f.Element.ID}]
	if !ok {
		return false
	}
	for _, r := range ro.res.RuleResults[i].Reasons {
		if r.Code == eval.ReasonConfirmScope {
			return true
		}
	}
	return false
}

// manualKind says why a control with rules is manual: a scope only an
// auditor can confirm, when a deciding finding asks for it, else judgement.
func (ro *roller) manualKind(ctl Control) string {
	for _, f := range ctl.Findings {
		if f.Verdict == eval.Manual && ro.confirms(f) {
			return ManualConfirmScope
		}
	}
	return ManualJudgement
}

// supportOnly keeps a rule that only intersects a control from deciding it
// in the control's favour: what it checks overlaps the requirement without
// being part of it, so its satisfied (or not-applicable) result supports the
// control but leaves the verdict to an auditor. Its failures still count:
// they are gaps in what the requirement touches.
func supportOnly(f *Finding) {
	if f.Relationship != RelationshipIntersects || (f.Assessed != eval.Satisfied && f.Assessed != eval.NotApplicable) {
		return
	}
	f.Verdict = eval.Manual
	f.Note = fmt.Sprintf("rule %s only intersects this requirement: its %s result supports the control but cannot decide it", f.Rule, f.Assessed)
}

// RelationshipIntersects is the mapping relationship of a rule that
// overlaps a control without being part of it.
const RelationshipIntersects = "intersects-with"

// except applies the first active exception covering a failing finding
// that the control's framework lets hide it (see [exception.PolicyFor]).
// Expired or pending exceptions, ones the framework refuses or that lack
// what it requires (a PCI DSS worksheet validated in the last year), and
// ones whose compensating evidence is missing or invalid, leave the verdict
// as assessed and say why. One the framework only reports (a SOC 2
// deviation) is named in the finding's Deviation, never its Exception.
func (ro *roller) except(f *Finding, control string, ctl *Control) {
	if ro.exc == nil {
		return
	}
	if f.Assessed == eval.Satisfied {
		ro.contradictingException(f, control, ctl)
		return
	}
	if f.Assessed != eval.NotSatisfied && f.Assessed != eval.NeedsEvidence {
		return
	}
	key := f.Rule + " " + elementKey(f.Element) + " for " + control
	for _, e := range ro.covering(f, control) {
		ctl.name(e.ID)
		switch st := e.StatusAt(ro.asOf); st {
		case exception.Expired:
			f.Note = fmt.Sprintf("exception %s expired on %s and no longer applies", e.ID, e.ExpiresOn)
			continue
		case exception.Pending:
			f.Note = fmt.Sprintf("exception %s is approved only from %s", e.ID, e.ApprovedOn)
			continue
		}
		switch eff, why := e.Judge(control, ro.asOf); eff {
		case exception.Refuses:
			f.Note = fmt.Sprintf("exception %s does not apply: %s", e.ID, why)
			continue
		case exception.Shows:
			f.Deviation = e.ID
			f.Note = fmt.Sprintf("%s %s reported, not excepted: %s", strings.ReplaceAll(e.Type, "-", " "), e.ID, why)
			ro.record(e.ID, "reported "+key, func(x *ExceptionInfo) { x.ReportedOn = append(x.ReportedOn, key) })
			continue
		}
		if probs := compensatingProblems(e, ro.ev); len(probs) > 0 {
			f.Note = fmt.Sprintf("exception %s does not apply: %s", e.ID, strings.Join(probs, "; "))
			continue
		}
		f.Verdict, f.Exception, f.Note = eval.Excepted, e.ID, ""
		ro.record(e.ID, key, func(x *ExceptionInfo) { x.AppliedTo = append(x.AppliedTo, key) })
		return
	}
}

// contradictingException handles an active exception on a finding the
// rules found satisfied: the entity itself records that the requirement is
// not met as the rule checks it (a SOC 2 deviation, a PCI DSS compensating
// control standing in for the original), so the satisfied result is not
// taken at its word. It is shown beside the finding, which an auditor must
// judge.
func (ro *roller) contradictingException(f *Finding, control string, ctl *Control) {
	key := f.Rule + " " + elementKey(f.Element) + " for " + control
	for _, e := range ro.covering(f, control) {
		if e.StatusAt(ro.asOf) != exception.Active {
			continue
		}
		ctl.name(e.ID)
		f.Deviation, f.Verdict = e.ID, eval.Manual
		f.Note = fmt.Sprintf("%s %s records that this is not met, though the rule finds it satisfied: an auditor must judge which is true",
			strings.ReplaceAll(e.Type, "-", " "), e.ID)
		ro.record(e.ID, "reported "+key, func(x *ExceptionInfo) { x.ReportedOn = append(x.ReportedOn, key) })
		return
	}
}

// covering returns the exceptions about a finding's control, rule and
// element, in file order.
func (ro *roller) covering(f *Finding, control string) []exception.Exception {
	ix := ro.index()
	cands := append(slices.Clone(ix.exceptions[control]), ix.exceptions["rule "+f.Rule]...)
	slices.Sort(cands) // file order, as a full scan would give
	var out []exception.Exception
	for _, i := range cands {
		e := ro.exc.Exceptions[i]
		if e.Covers(control, f.Rule, f.Element.ID) {
			out = append(out, e)
		}
	}
	return out
}

// name lists an exception on the control once.
func (ctl *Control) name(id string) {
	if !slices.Contains(ctl.Exceptions, id) {
		ctl.Exceptions = append(ctl.Exceptions, id)
	}
}

// record adds a finding to an exception's info once per key.
func (ro *roller) record(id, key string, add func(*ExceptionInfo)) {
	ix := ro.index()
	if i, ok := ix.excPos[id]; ok {
		if k := [2]string{id, key}; !ix.applied[k] {
			ix.applied[k] = true
			add(&ro.res.Exceptions[i])
		}
	}
}

func elementKey(e eval.ElementRef) string {
	if e.ID == "" {
		return "(system)"
	}
	return e.ID
}

// MaxCompensatingEvidenceAgeDays is how old an item of compensating
// evidence may be and still count: a compensating control is shown to
// operate at least yearly, so an older record says nothing of it now.
const MaxCompensatingEvidenceAgeDays = 365

// speaksFor reports whether an evidence item can show a compensating
// control on the exception's element: an item every support of which names
// some other element is evidence about that element, not this one.
func speaksFor(e exception.Exception, it evidence.Item) bool {
	if e.Element == "" || len(it.Supports) == 0 {
		return true
	}
	for _, s := range it.Supports {
		if s.Exception == e.ID || s.Element == "" || s.Element == e.Element {
			return true
		}
	}
	return false
}

func compensatingProblems(e exception.Exception, ev *evidence.Index) []string {
	var out []string
	for _, id := range e.CompensatingEvidence {
		if ev == nil {
			out = append(out, fmt.Sprintf("compensating evidence %s: no evidence bundle was given", id))
			continue
		}
		st, ok := ev.Item(id)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("compensating evidence %s is not in the bundle", id))
		case !st.Valid():
			p, _ := st.Disqualifying()
			out = append(out, fmt.Sprintf("compensating evidence %s: %s", id, p.Message))
		case st.AgeDays > MaxCompensatingEvidenceAgeDays:
			out = append(out, fmt.Sprintf("compensating evidence %s is %d days old; it counts for at most %d", id, st.AgeDays, MaxCompensatingEvidenceAgeDays))
		case !speaksFor(e, st.Item):
			out = append(out, fmt.Sprintf("compensating evidence %s is filed for another element, not %s", id, e.Element))
		}
	}
	return out
}

// reason is the one-line summary of a control: the first finding that
// decided its verdict.
func (ro *roller) reason(ctl Control) string {
	n := 0
	var first *Finding
	for i := range ctl.Findings {
		if ctl.Findings[i].Verdict == ctl.Verdict {
			n++
			// A control manual for a scope to confirm quotes a finding
			// that asks for it, so the reason matches the kind.
			if first == nil || (ctl.Manual == ManualConfirmScope && !ro.confirms(*first) && ro.confirms(ctl.Findings[i])) {
				first = &ctl.Findings[i]
			}
		}
	}
	if first == nil {
		return ""
	}
	msg := ""
	if i, ok := ro.index().first[[2]string{first.Rule, first.Element.ID}]; ok {
		msg = KeyReason(ro.res.RuleResults[i])
	}
	who := first.Element.Name
	if who == "" {
		who = "system"
	}
	s := fmt.Sprintf("%s: %s", first.Rule, who)
	if first.Exception != "" {
		s += " excepted by " + first.Exception
	} else if msg != "" {
		s += ": " + msg
	}
	if first.Note != "" {
		s += " (" + first.Note + ")"
	}
	if n > 1 {
		s += fmt.Sprintf(" (+%d more)", n-1)
	}
	return s
}

// KeyReason picks the reason that explains a rule result's verdict. It is
// exported so that every report quotes the same reason a control's summary
// does, rather than each choosing its own.
func KeyReason(rr eval.Result) string {
	skip := map[string]bool{"in-scope": true, "capability-present": true, "evidence-ok": true, "model-shows": true, "manual-steps-attested": true,
		"occurrences-ok": true, "after-change-ok": true, "after-change-none": true, "after-change-unchecked": true}
	for _, r := range rr.Reasons {
		if !skip[r.Code] {
			return r.Message
		}
	}
	if len(rr.Reasons) > 0 {
		return rr.Reasons[len(rr.Reasons)-1].Message
	}
	return ""
}

// groupOf returns the grouping node used for charts and report sections:
// the principal requirement (PCI DSS, appendices A1 to A3 included) or the
// category (SOC 2) of a control, else its root.
func groupOf(c *frameworks.Catalog, n frameworks.Node) string {
	anc := c.Ancestors(n.ID)
	for _, a := range anc {
		if a.Kind == "principal-requirement" || a.Kind == "category" {
			return a.ID
		}
	}
	if len(anc) > 0 {
		return anc[0].ID
	}
	return ""
}
