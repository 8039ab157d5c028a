package eval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// EvidenceUse records an evidence item considered for a requirement, and
// what was wrong with it, if anything.
type EvidenceUse struct {
	Requirement string                `json:"requirement"`
	Item        string                `json:"item"`
	Title       string                `json:"title"`
	Kind        string                `json:"kind"`
	CollectedAt string                `json:"collected_at"`
	AgeDays     int                   `json:"age_days"`
	Files       []evidence.FileStatus `json:"files"`
	// Status is "ok", an evidence.ProblemType, "too-old" (older than the
	// rule's max_age_days), "facts-contradict" (it states facts that fail
	// the rule) or "facts-missing" (it does not state the facts at all).
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// Evidence statuses beyond the bundle's own problem types.
const (
	EvidenceOK      = "ok"
	TooOld          = "too-old"
	FactsContradict = "facts-contradict"
	FactsMissing    = "facts-missing"
)

// evidence checks each evidence requirement of r for target id, given the
// mitigations that were considered. It returns the items used, the worst
// verdict they imply and the reasons.
func (e *evaluator) evidence(r *mappings.Rule, id string, used []MitigationUse) ([]EvidenceUse, Verdict, []Reason) {
	var uses []EvidenceUse
	var reasons []Reason
	verdict := Satisfied
	caps := r.Requires.Capabilities()
	var mits []string
	for _, u := range used {
		if u.Counted {
			mits = append(mits, u.ID)
		}
	}
	for _, req := range r.Evidence {
		cands := e.candidates(r, req, id, caps, mits)
		if len(cands) == 0 {
			if !req.Optional {
				verdict = Worst(verdict, NeedsEvidence)
				reasons = append(reasons, Reason{"evidence-missing",
					fmt.Sprintf("no %s evidence (%s) for %s", strings.Join(req.Kinds, " or "), req.ID, e.scopeOf(req, id))})
				if why := e.refusedKinds(r, req, id, caps, mits); why != nil {
					reasons = append(reasons, *why)
				}
			}
			continue
		}
		var best, newest *EvidenceUse
		for _, st := range cands {
			u := passKind(r, st, e.judgeItem(req, st))
			uses = append(uses, u)
			if best == nil || statusRank(u.Status) < statusRank(best.Status) {
				b := u
				best = &b
			}
			// The newest item that is intact, fresh, in period and states
			// the facts the requirement reads speaks for the current
			// state; ties go to the worse outcome. An item silent about
			// those facts is not a result of this requirement.
			if statusRank(u.Status) <= 1 && (newest == nil || u.CollectedAt > newest.CollectedAt ||
				(u.CollectedAt == newest.CollectedAt && statusRank(u.Status) > statusRank(newest.Status))) {
				n := u
				newest = &n
			}
		}
		if newest != nil {
			// The newest usable item decides, either way: an older
			// passing item never outweighs a newer one that contradicts
			// the rule, and a newer passing one replaces an older failure.
			if newest.Item != best.Item && newest.Status != best.Status {
				reasons = append(reasons, Reason{"evidence-superseded", fmt.Sprintf("%s: %s (collected %s) is superseded by the newer %s (collected %s)",
					req.ID, best.Item, best.CollectedAt, newest.Item, newest.CollectedAt)})
			}
			best = newest
		}
		switch best.Status {
		case EvidenceOK:
			reasons = append(reasons, Reason{"evidence-ok", fmt.Sprintf("%s backed by %s (collected %s)", req.ID, best.Item, best.CollectedAt)})
		case FactsContradict:
			verdict = Worst(verdict, NotSatisfied)
			reasons = append(reasons, Reason{"evidence-contradicts", fmt.Sprintf("%s: evidence %s %s", req.ID, best.Item, best.Message)})
		default:
			if !req.Optional {
				verdict = Worst(verdict, NeedsEvidence)
			}
			reasons = append(reasons, Reason{"evidence-" + best.Status, fmt.Sprintf("%s: evidence %s %s", req.ID, best.Item, best.Message)})
		}
		if req.Occurrences != nil || req.AfterSignificantChange {
			v, why := e.periodic(r, req, id, cands)
			verdict, reasons = Worst(verdict, v), append(reasons, why...)
		}
	}
	return uses, verdict, reasons
}

// statusRank orders item outcomes from best to worst usable: a valid item
// wins, then one whose facts contradict (it is real evidence of a gap),
// then stale or damaged ones.
func statusRank(s string) int {
	switch s {
	case EvidenceOK:
		return 0
	case FactsContradict:
		return 1
	case TooOld, string(evidence.Stale), FactsMissing:
		return 2
	case string(evidence.OutsidePeriod), string(evidence.FutureDated):
		return 3
	}
	return 4
}

func (e *evaluator) scopeOf(req mappings.EvidenceRequirement, id string) string {
	if req.Per == mappings.PerElement && id != "" {
		return fmt.Sprintf("%s %q", e.x.KindOf(id), e.x.NameOf(id))
	}
	return "the rule"
}

// candidates returns the bundle items of an accepted kind that support this
// rule's target: through the mitigation found, the element and capability,
// the rule itself, or (per rule) one of the rule's controls.
func (e *evaluator) candidates(r *mappings.Rule, req mappings.EvidenceRequirement, id string, caps, mits []string) []*evidence.ItemStatus {
	if e.in.Evidence == nil {
		return nil
	}
	perElement := req.Per == mappings.PerElement && id != ""
	// Evidence linked to a mitigation, without naming an element, speaks
	// for each element the mitigation covers only when it covers one: a
	// scan of one endpoint filed against a TLS mitigation on ten flows
	// does not show the other nine.
	speaks := func(m string) bool {
		mi := e.x.Mitigation(m)
		return !perElement || (mi != nil && len(mi.Targets) == 1)
	}
	linked := map[string]bool{}
	var lists [][]int
	for _, m := range mits {
		if mi := e.x.Mitigation(m); mi != nil {
			for _, ev := range mi.Evidence {
				linked[ev] = linked[ev] || speaks(m)
			}
			lists = append(lists, e.ev.ids(mi.Evidence))
		}
		lists = append(lists, e.ev.byMitigation[m])
	}
	var controls []string
	for _, s := range r.Satisfies {
		controls = append(controls, s.Control)
	}
	if id != "" {
		lists = append(lists, e.ev.byElement[id])
	}
	lists = append(lists, e.ev.byRule[r.ID])
	if !perElement {
		for _, c := range controls {
			lists = append(lists, e.ev.byControl[c])
		}
		for _, c := range caps {
			lists = append(lists, e.ev.capOnly[c])
		}
	}
	var out []*evidence.ItemStatus
	for _, st := range e.ev.gather(lists...) {
		if !mappings.AcceptsKind(req.Kinds, st.Item.Kind) {
			continue
		}
		ok := linked[st.Item.ID]
		for _, s := range st.Item.Supports {
			switch {
			case s.Mitigation != "" && slices.Contains(mits, s.Mitigation):
				ok = ok || s.Element == id || (s.Element == "" && speaks(s.Mitigation))
			case s.Element != "" && s.Element == id && (s.Capability == "" || slices.Contains(caps, s.Capability)):
				ok = true
			case s.Rule == r.ID:
				// Evidence required per element must name the element: one
				// item filed against the rule does not back every element.
				ok = ok || (s.Element == "" && !perElement) || s.Element == id
			case !perElement && s.Control != "" && slices.Contains(controls, s.Control):
				ok = true
			case !perElement && s.Element == "" && s.Capability != "" && slices.Contains(caps, s.Capability) && s.Mitigation == "":
				ok = true
			}
		}
		if ok {
			out = append(out, st)
		}
	}
	return out
}

func (e *evaluator) judgeItem(req mappings.EvidenceRequirement, st *evidence.ItemStatus) EvidenceUse {
	u := EvidenceUse{Requirement: req.ID, Item: st.Item.ID, Title: st.Item.Title, Kind: st.Item.Kind,
		CollectedAt: st.Item.CollectedAt, AgeDays: st.AgeDays, Files: st.Files, Status: EvidenceOK}
	if len(st.Problems) > 0 {
		p := st.Problems[0]
		for _, q := range st.Problems {
			if q.Type == evidence.HashMismatch || q.Type == evidence.MissingFile {
				p = q
			}
		}
		u.Status, u.Message = string(p.Type), p.Message
		if p.File != "" {
			u.Message = p.File + ": " + p.Message
		}
		return u
	}
	if req.MaxAgeDays > 0 && st.AgeDays > req.MaxAgeDays {
		u.Status = TooOld
		u.Message = fmt.Sprintf("is %d days old; the rule accepts at most %d", st.AgeDays, req.MaxAgeDays)
		return u
	}
	get := mapGetter(st.Item.Facts)
	var unstated *mappings.Predicate
	for i, f := range req.Facts {
		switch holds(f, get) {
		case model.False:
			u.Status = FactsContradict
			u.Message = fmt.Sprintf("does not show %s (it states %v)", describe(f), factValue(get, f))
			return u
		case model.Unknown:
			if unstated == nil {
				unstated = &req.Facts[i]
			}
		}
	}
	if unstated != nil {
		u.Status = FactsMissing
		u.Message = fmt.Sprintf("does not state whether %s", describe(*unstated))
	}
	return u
}

// holds evaluates a fact predicate in three-valued logic: a comparison on a
// fact the item does not state is unknown rather than false, so that an
// item silent about a fact never counts as evidence against the rule.
func holds(p mappings.Predicate, get getter) model.Tri {
	switch {
	case len(p.All) > 0:
		out := model.True
		for _, c := range p.All {
			switch holds(c, get) {
			case model.False:
				return model.False
			case model.Unknown:
				out = model.Unknown
			}
		}
		return out
	case len(p.Any) > 0:
		out := model.False
		for _, c := range p.Any {
			switch holds(c, get) {
			case model.True:
				return model.True
			case model.Unknown:
				out = model.Unknown
			}
		}
		return out
	case p.Not != nil:
		switch holds(*p.Not, get) {
		case model.True:
			return model.False
		case model.False:
			return model.True
		}
		return model.Unknown
	}
	if p.Op != "exists" && !present(get(p.Field)) {
		return model.Unknown
	}
	return model.TriOf(compare(get(p.Field), p.Op, p.Value))
}

func factValue(get getter, p mappings.Predicate) any {
	if p.Field == "" {
		return "other facts"
	}
	if v := get(p.Field); v != nil {
		return fmt.Sprintf("%s = %v", p.Field, v)
	}
	return p.Field + " absent"
}

// MaxAttestationAgeDays is how old an attestation may be and still count:
// a person's word on a manual step or a scope is renewed at least yearly.
const MaxAttestationAgeDays = 365

// confirmsScope reports whether an attestation states that the auditor or
// owner confirmed the rule's scope, not only its manual steps.
func confirmsScope(facts map[string]any) bool {
	v := mapGetter(facts)("scope.confirmed")
	b, ok := v.(bool)
	return ok && b
}

// attestations returns the attestation items that support the rule as a
// whole, used to close manual steps and (with scope set, only those that
// state scope.confirmed: true) to confirm an empty scope. Items with
// problems, too old or not about the scope are returned too, with their
// status, so that a result can say why an attestation did not count.
func (e *evaluator) attestations(r *mappings.Rule, scope bool) (valid, invalid []EvidenceUse) {
	if e.in.Evidence == nil {
		return nil, nil
	}
	for _, st := range e.ev.gather(e.ev.attest[r.ID]) {
		for _, s := range st.Item.Supports {
			if s.Rule != r.ID || s.Element != "" {
				continue
			}
			u := EvidenceUse{Requirement: "manual-attestation", Item: st.Item.ID, Title: st.Item.Title,
				Kind: st.Item.Kind, CollectedAt: st.Item.CollectedAt, AgeDays: st.AgeDays, Files: st.Files, Status: EvidenceOK}
			switch {
			case !st.Valid():
				u.Status, u.Message = string(st.Problems[0].Type), st.Problems[0].Message
				invalid = append(invalid, u)
			case st.AgeDays > MaxAttestationAgeDays:
				u.Status = TooOld
				u.Message = fmt.Sprintf("is %d days old; an attestation counts for at most %d", st.AgeDays, MaxAttestationAgeDays)
				invalid = append(invalid, u)
			case scope && !confirmsScope(st.Item.Facts):
				u.Status = FactsMissing
				u.Message = "attests the rule's manual steps, not that its scope is empty: it needs the fact scope.confirmed: true"
				invalid = append(invalid, u)
			default:
				valid = append(valid, u)
			}
			break
		}
	}
	return valid, invalid
}

// attestationReasons explains attestations that did not count.
func attestationReasons(invalid []EvidenceUse) []Reason {
	var out []Reason
	for _, u := range invalid {
		out = append(out, Reason{"attestation-not-counted", fmt.Sprintf("attestation %s does not count: %s", u.Item, u.Message)})
	}
	return out
}
