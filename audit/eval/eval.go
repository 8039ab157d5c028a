package eval

import (
	"fmt"
	"github.com/auditpack/auditpack/audit/workers"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// Input is everything a rule evaluation looks at.
type Input struct {
	Model    *model.Index
	Rules    []mappings.Rule
	Evidence *evidence.Index // nil when no bundle was given
	AsOf     time.Time
	// PeriodStart and PeriodEnd bound the audit period, zero when none;
	// requirements spread over the period are checked against it.
	PeriodStart, PeriodEnd time.Time
	// Previous describes the previous results (build --previous), nil
	// without them.
	Previous *Previous
}

// ElementRef names an element in results. A system-level result has Kind
// "system" and an empty ID.
type ElementRef struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// Reason is one line of a verdict's justification. Code is stable and
// machine-readable; Message is for people.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ReasonConfirmScope is the code of a reason that asks an auditor to
// confirm a scope the model does not settle: nothing in scope, or a fact
// that decides scope left unknown.
const ReasonConfirmScope = "confirm-scope"

// Result is the verdict of one rule for one element.
type Result struct {
	Rule        string          `json:"rule"`
	Element     ElementRef      `json:"element"`
	Verdict     Verdict         `json:"verdict"`
	Reasons     []Reason        `json:"reasons"`
	Mitigations []MitigationUse `json:"mitigations,omitempty"`
	Evidence    []EvidenceUse   `json:"evidence,omitempty"`
	// Scope is why the element is in the rule's scope: the rule's
	// selector, and the element's derived PCI DSS scope with the data and
	// flows it rests on.
	Scope *ScopeInfo `json:"scope,omitempty"`
	// Placements say where each required capability had to sit and what
	// was found there.
	Placements []Placement `json:"placements,omitempty"`
}

// ScopeInfo explains why an element is in a rule's scope.
type ScopeInfo struct {
	Class   string   `json:"class,omitempty"`
	Why     []string `json:"why,omitempty"`
	Route   []string `json:"route,omitempty"` // from an untrusted network, when exposure decided it
	Unknown []string `json:"unknown,omitempty"`
}

type evaluator struct {
	in        Input
	x         *model.Index
	ev        *evidenceIndex
	threatsOn map[string][]*model.Threat // element id → open high/critical threats
}

// Evaluate applies every rule. Results are sorted by rule id, then element
// id; every rule yields at least one result.
func Evaluate(in Input) []Result {
	e := &evaluator{in: in, x: in.Model, ev: newEvidenceIndex(in.Evidence), threatsOn: indexThreats(in.Model)}
	rules := slices.Clone(in.Rules)
	slices.SortFunc(rules, func(a, b mappings.Rule) int { return strings.Compare(a.ID, b.ID) })
	// Rules are independent and read shared state only, so they run on
	// every core; each rule's results land in its own slot and are joined
	// in rule order, so the output does not depend on scheduling.
	if len(rules) == 0 {
		return nil
	}
	per := make([][]Result, len(rules))
	workers.Run(len(rules), func() func(int) {
		return func(i int) { per[i] = shareText(e.rule(&rules[i])) }
	})
	n := 0
	for _, rs := range per {
		n += len(rs)
	}
	out := make([]Result, 0, n)
	for _, rs := range per {
		out = append(out, rs...)
	}
	return out
}

// shareText makes the results of one rule share one copy of each message
// they repeat: the same reason, worded the same for each of thousands of
// elements, is otherwise built and kept once per result.
func shareText(rs []Result) []Result {
	seen := map[string]string{}
	share := func(s *string) {
		if v, ok := seen[*s]; ok {
			*s = v
		} else {
			seen[*s] = *s
		}
	}
	for i := range rs {
		for j := range rs[i].Reasons {
			share(&rs[i].Reasons[j].Message)
		}
		for j := range rs[i].Evidence {
			share(&rs[i].Evidence[j].Message)
		}
	}
	return rs
}

func (e *evaluator) rule(r *mappings.Rule) []Result {
	if r.EffectiveFrom != "" {
		if from, err := time.Parse(time.DateOnly, r.EffectiveFrom); err == nil && e.in.AsOf.Before(from) {
			return []Result{{Rule: r.ID, Element: e.ref(""), Verdict: NotApplicable,
				Reasons: []Reason{{"not-yet-effective", fmt.Sprintf("the requirement takes effect on %s, after the as-of date", r.EffectiveFrom)}}}}
		}
	}
	// Absence must be shown, not assumed: a fact the model leaves unstated
	// does not make the subject absent.
	if r.NotApplicableIf != nil && test3(*r.NotApplicableIf, stating(systemGetter(e.x)), nil, nil) == model.True {
		return []Result{{Rule: r.ID, Element: e.ref(""), Verdict: NotApplicable,
			Reasons: []Reason{{"subject-absent", "the model shows " + describe(*r.NotApplicableIf) +
				", so the requirement's subject is absent; an auditor confirms that the model is complete"}}}}
	}
	targets, unknown := e.targets(r)
	if len(targets) == 0 && len(unknown) == 0 {
		return []Result{e.noTargets(r)}
	}
	out := make([]Result, 0, len(targets)+len(unknown))
	for _, t := range mergeTargets(targets, unknown) {
		if t.unknown != nil {
			out = append(out, e.unconfirmed(r, t.id, t.unknown))
		} else {
			out = append(out, e.judge(r, t.id))
		}
	}
	return out
}

type target struct {
	id      string
	unknown []string // the unknown facts that leave it undecided, or nil
}

// mergeTargets joins decided and undecided targets in element id order.
func mergeTargets(in []string, unknown map[string][]string) []target {
	out := make([]target, 0, len(in)+len(unknown))
	for _, id := range in {
		out = append(out, target{id: id})
	}
	for id, u := range unknown {
		out = append(out, target{id: id, unknown: u})
	}
	slices.SortFunc(out, func(a, b target) int { return strings.Compare(a.id, b.id) })
	return out
}

// unconfirmed is the result for an element whose scope depends on facts
// the model leaves unknown: neither in nor out, until an auditor says.
func (e *evaluator) unconfirmed(r *mappings.Rule, id string, unknown []string) Result {
	res := Result{Rule: r.ID, Element: e.ref(id), Verdict: Manual, Scope: e.scopeInfo(r, id)}
	res.Scope.Unknown = unknown
	res.Reasons = []Reason{{ReasonConfirmScope, fmt.Sprintf("scope must be confirmed: %s unknown for %s %q",
		strings.Join(unknown, ", "), e.x.KindOf(id), e.x.NameOf(id))}}
	return res
}

// targets returns the in-scope element ids a rule applies to, sorted, and
// the elements whose scope turns on facts the model leaves unknown, with
// those facts. A system rule has one target, the empty id.
func (e *evaluator) targets(r *mappings.Rule) ([]string, map[string][]string) {
	kind := r.AppliesTo.Element
	if kind == mappings.ElementSystem {
		return []string{""}, nil
	}
	var ids []string
	m := e.x.Model
	switch kind {
	case model.KindDataflow:
		for _, f := range m.Flows {
			if !f.OutOfScope || e.x.ScopeOf(f.ID).Class != "" {
				ids = append(ids, f.ID)
			}
		}
	case model.KindZone:
		for _, z := range m.Zones {
			ids = append(ids, z.ID)
		}
	default:
		for _, c := range m.Components {
			// A declaration cannot take an element holding account data,
			// or joined to the CDE, out of a rule's sight.
			held := c.OutOfScope && (e.x.ScopeOf(c.ID).Class == "" || e.x.ScopeOf(c.ID).Class == model.ScopeThirdParty)
			if !held && (kind == mappings.ElementComponent || c.Kind == kind) {
				ids = append(ids, c.ID)
			}
		}
	}
	var out []string
	unknown := map[string][]string{}
	for _, id := range ids {
		if r.AppliesTo.Where == nil {
			out = append(out, id)
			continue
		}
		var u []string
		switch test3(*r.AppliesTo.Where, elementGetter(e.x, id), functions{e.x, id}.call, &u) {
		case model.True:
			out = append(out, id)
		case model.Unknown:
			slices.Sort(u)
			unknown[id] = slices.Compact(u)
		}
	}
	slices.Sort(out)
	return out, unknown
}

func (e *evaluator) ref(id string) ElementRef {
	if id == "" {
		return ElementRef{Kind: model.KindSystem, Name: e.x.Model.Title}
	}
	return ElementRef{ID: id, Kind: e.x.KindOf(id), Name: e.x.NameOf(id)}
}

func (e *evaluator) noTargets(r *mappings.Rule) Result {
	res := Result{Rule: r.ID, Element: e.ref("")}
	scope := fmt.Sprintf("no %s element of the model is in scope", r.AppliesTo.Element)
	switch r.IfNoTargets {
	case mappings.NoTargetsNotApplicable:
		res.Verdict = NotApplicable
		res.Reasons = []Reason{{"no-targets", scope + "; the rule's subject is absent from the model, which an auditor confirms"}}
	case mappings.NoTargetsNotSatisfied:
		res.Verdict = NotSatisfied
		res.Reasons = []Reason{{"no-targets", scope + ", which this rule treats as a modelling gap"}}
	default:
		att, bad := e.attestations(r, true)
		res.Evidence = append(att, bad...)
		if len(att) > 0 {
			res.Verdict = NotApplicable
			res.Reasons = []Reason{{"no-targets", scope + "; the scope is confirmed by attestation " + att[0].Item}}
			break
		}
		res.Verdict = Manual
		res.Reasons = append([]Reason{{ReasonConfirmScope, scope + "; an auditor must confirm that the scope is complete"}}, attestationReasons(bad)...)
	}
	return res
}

// judge evaluates one target: contradiction, capability, evidence, manual
// steps, in that order of severity.
func (e *evaluator) judge(r *mappings.Rule, id string) Result {
	res := Result{Rule: r.ID, Element: e.ref(id), Verdict: Satisfied, Scope: e.scopeInfo(r, id)}
	res.Reasons = append(res.Reasons, Reason{"in-scope", e.scopeReason(r, id)})
	if r.FailsIf != nil && test(*r.FailsIf, elementGetter(e.x, id), functions{e.x, id}.call) {
		res.Verdict = NotSatisfied
		res.Reasons = append(res.Reasons, Reason{"contradicted-by-model", "the model states " + describe(*r.FailsIf)})
	}
	if r.Expects != nil {
		var u []string
		switch test3(*r.Expects, stating(elementGetter(e.x, id)), functions{e.x, id}.call, &u) {
		case model.False:
			res.Verdict = NotSatisfied
			res.Reasons = append(res.Reasons, Reason{"contradicted-by-model", "the model does not show " + describe(*r.Expects) + e.stated(r.Expects, id)})
		case model.Unknown:
			slices.Sort(u)
			res.Verdict = Worst(res.Verdict, Manual)
			res.Reasons = append(res.Reasons, Reason{ReasonConfirmScope, fmt.Sprintf("must be confirmed: the model leaves %s unknown, which decides %s",
				strings.Join(slices.Compact(u), ", "), describe(*r.Expects))})
		default:
			res.Reasons = append(res.Reasons, Reason{"model-shows", "the model shows " + describe(*r.Expects)})
		}
	}
	o := e.require(r.Requires, id)
	res.Mitigations = o.used
	res.Placements = o.placements
	switch {
	case r.Requires.Empty():
	case !o.ok:
		res.Verdict = Worst(res.Verdict, NotSatisfied)
		res.Reasons = append(res.Reasons, o.reasons...)
	default:
		var names []string
		for _, u := range o.used {
			if u.Counted {
				names = append(names, fmt.Sprintf("%s (%s)", u.ID, u.Capability))
			}
		}
		res.Reasons = append(res.Reasons, Reason{"capability-present", "implemented by " + strings.Join(names, ", ")})
	}
	ev, verdict, reasons := e.evidence(r, id, o.used)
	res.Evidence = ev
	res.Reasons = append(res.Reasons, reasons...)
	res.Verdict = Worst(res.Verdict, verdict)
	e.threats(&res, id, o.used)
	if res.Verdict == Satisfied && len(r.ManualSteps) > 0 {
		att, bad := e.attestations(r, false)
		res.Evidence = append(append(res.Evidence, att...), bad...)
		if len(att) > 0 {
			res.Reasons = append(res.Reasons, Reason{"manual-steps-attested", "manual steps attested by " + att[0].Item})
		} else {
			res.Verdict = Manual
			for _, s := range r.ManualSteps {
				res.Reasons = append(res.Reasons, Reason{"manual-step-open", s})
			}
			res.Reasons = append(res.Reasons, attestationReasons(bad)...)
		}
	}
	return res
}

func (e *evaluator) scopeReason(r *mappings.Rule, id string) string {
	if id == "" {
		return "applies to the system as a whole"
	}
	msg := fmt.Sprintf("%s %q is in scope", e.x.KindOf(id), e.x.NameOf(id))
	if r.AppliesTo.Where != nil {
		msg += " because " + describe(*r.AppliesTo.Where)
	}
	if f := e.x.Flow(id); f != nil {
		if c := e.x.Crossing(id); c.Crosses() {
			msg += fmt.Sprintf("; it flows from %q to %q", e.x.NameOf(f.Source), e.x.NameOf(f.Target))
			if len(c.Left) > 0 {
				msg += ", leaving " + strings.Join(c.Left, ", ")
			}
			if len(c.Entered) > 0 {
				msg += ", entering " + strings.Join(c.Entered, ", ")
			}
		}
	}
	return msg
}

// describe renders a predicate compactly for reasons.
func describe(p mappings.Predicate) string {
	join := func(ps []mappings.Predicate, op string) string {
		parts := make([]string, len(ps))
		for i, c := range ps {
			parts[i] = describe(c)
		}
		return "(" + strings.Join(parts, " "+op+" ") + ")"
	}
	switch {
	case len(p.All) > 0:
		return join(p.All, "and")
	case len(p.Any) > 0:
		return join(p.Any, "or")
	case p.Not != nil:
		return "not " + describe(*p.Not)
	case p.Fn != "":
		keys := make([]string, 0, len(p.Args))
		for k := range p.Args {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s=%v", k, p.Args[k])
		}
		return p.Fn + "(" + strings.Join(parts, ", ") + ")"
	}
	if p.Op == "exists" {
		return p.Field + " is stated"
	}
	return fmt.Sprintf("%s %s %v", p.Field, p.Op, p.Value)
}
