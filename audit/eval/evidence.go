package eval

import (
	"fmt"
	"slices"
	"strings"
	"time"

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
	// Facts are the item's facts the requirement reads, each with its
	// source (read from a file, or only stated in the manifest);
	// StatedOnly names those that were stated, not read.
	Facts      []evidence.ItemFact `json:"facts,omitempty"`
	StatedOnly []string            `json:"stated_only,omitempty"`
	// SupersededBy names the newer item that decided the requirement in
	// this one's place; Status stays what this item alone would show.
	SupersededBy string `json:"superseded_by,omitempty"`
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
	mits := countedOf(used)
	for _, req := range r.Evidence {
		cands, skipped, unchecked := e.candidates(r, req, id, caps, mits)
		for _, msg := range skipped {
			reasons = append(reasons, Reason{"evidence-not-covering", fmt.Sprintf("%s: %s", req.ID, msg)})
		}
		if len(unchecked) > 0 {
			reasons = append(reasons, Reason{"evidence-coverage-unchecked", fmt.Sprintf("%s: %s name the hosts they covered, but %s %q declares no hosts or resources in the overlay, so they cannot be shown to cover it; map its hosts in the overlay (components[].hosts or .resources)",
				req.ID, strings.Join(unchecked, ", "), e.x.KindOf(id), e.x.NameOf(id))})
		}
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
		first := len(uses)
		uses = slices.Grow(uses, len(cands))
		for _, st := range cands {
			uses = append(uses, e.passKind(r, req, st, id, e.judgeItem(req, st, id)))
		}
		best := decide(uses[first:], cands)
		sup := superseded(uses[first:], best)
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
		if id == "" {
			if missed := e.uncoveredInScope(okItems(uses[first:], cands)); len(missed) > 0 {
				if !req.Optional {
					verdict = Worst(verdict, NeedsEvidence)
				}
				reasons = append(reasons, Reason{"evidence-not-covering", fmt.Sprintf("%s: no counted evidence covers the in-scope %s",
					req.ID, strings.Join(missed, "; "))})
			}
		}
		if sup != "" {
			reasons = append(reasons, Reason{"evidence-superseded", fmt.Sprintf("%s: %s (collected %s) decides as the newest result; it supersedes %s",
				req.ID, best.Item, best.CollectedAt, sup)})
		}
		if held := unread(uses[first:], cands, best); held != "" {
			reasons = append(reasons, Reason{"evidence-stated-not-read", fmt.Sprintf("%s: %s is newer, but its facts are stated, not read from a file; a stated value never overturns the failure %s's file shows: rescan, or file the newer tool's output, so that its facts are read", req.ID, held, best.Item)})
		}
		if req.Occurrences != nil || req.AfterSignificantChange {
			v, why := e.periodic(r, req, id, cands)
			verdict, reasons = Worst(verdict, v), append(reasons, why...)
		}
	}
	return uses, verdict, reasons
}

// okItems returns the candidates whose use is valid evidence.
func okItems(uses []EvidenceUse, cands []*evidence.ItemStatus) []*evidence.ItemStatus {
	var out []*evidence.ItemStatus
	for i, u := range uses {
		if u.Status == EvidenceOK {
			out = append(out, cands[i])
		}
	}
	return out
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
// the rule itself, or (per rule) one of the rule's controls, each as
// [backs] reads a support entry. Wherever the rule judges an element (per
// element or per rule), an item whose files name what they covered is a
// candidate only if that includes every one of the element's hosts,
// whatever the manifest links it to; skipped says which items were left
// out so. unchecked lists the items left out because they name their
// targets while the element declares no hosts to compare them with.
func (e *evaluator) candidates(r *mappings.Rule, req mappings.EvidenceRequirement, id string, caps []string, mits counted) (out []*evidence.ItemStatus, skipped, unchecked []string) {
	if e.in.Evidence == nil {
		return nil, nil, nil
	}
	perElement := req.Per == mappings.PerElement && id != ""
	var lists [][]int
	ids := make([]string, 0, len(mits))
	for m := range mits {
		ids = append(ids, m)
	}
	slices.Sort(ids)
	for _, m := range ids {
		if mi := e.x.Mitigation(m); mi != nil {
			lists = append(lists, e.ev.ids(mi.Evidence))
		}
		lists = append(lists, e.ev.byMitigation[m])
	}
	if id != "" {
		lists = append(lists, e.ev.byElement[id])
	}
	lists = append(lists, e.ev.byRule[r.ID])
	if !perElement {
		for _, c := range r.Satisfies {
			lists = append(lists, e.ev.byControl[c.Control])
		}
		for _, c := range caps {
			lists = append(lists, e.ev.capOnly[c])
		}
	}
	for _, st := range e.ev.gather(lists...) {
		if !mappings.AcceptsKind(req.Kinds, st.Item.Kind) {
			continue
		}
		// Coverage is checked wherever the rule judges an element, per
		// rule as per element: an ASV scan of the marketing site is no
		// scan of the checkout host.
		cov, _, missed := e.covers(st, id)
		// Evidence linked to a mitigation, without naming an element,
		// speaks for each element the mitigation covers only when it
		// covers one, or when the item's files show they covered this
		// one: a scan of one endpoint filed against a TLS mitigation on
		// ten flows does not show the other nine.
		speaks := func(m string) bool {
			mi := e.x.Mitigation(m)
			return !perElement || cov == coverYes || (mi != nil && len(mi.Targets) == 1)
		}
		ok := false
		for _, m := range ids {
			if mi := e.x.Mitigation(m); mi != nil && slices.Contains(mi.Evidence, st.Item.ID) && speaks(m) {
				ok = true
			}
		}
		for _, s := range st.Item.Supports {
			ok = ok || backs(s, st.Item.Kind, r, id, perElement, caps, mits, speaks)
		}
		switch {
		case !ok:
		case cov == coverNo:
			skipped = append(skipped, e.notCovered(st, missed))
		case cov == coverUnmapped:
			unchecked = append(unchecked, st.Item.ID)
		default:
			out = append(out, st)
		}
	}
	return out, skipped, unchecked
}

func (e *evaluator) judgeItem(req mappings.EvidenceRequirement, st *evidence.ItemStatus, id string) EvidenceUse {
	u := EvidenceUse{Requirement: req.ID, Item: st.Item.ID, Title: st.Item.Title, Kind: st.Item.Kind,
		CollectedAt: st.Item.CollectedAt, AgeDays: st.AgeDays, Files: st.Files, Status: EvidenceOK}
	if p, bad := st.Disqualifying(); bad {
		u.Status, u.Message = string(p.Type), p.Message
		if p.File != "" {
			u.Message = p.File + ": " + p.Message
		}
		return u
	}
	if req.MaxAgeDays > 0 && st.AgeDays > req.MaxAgeDays {
		u.Status = TooOld
		u.Message = fmt.Sprintf("is %d days old; the rule accepts at most %d", st.AgeDays, req.MaxAgeDays)
		if !observedWithin(st, e.in.AsOf, req.MaxAgeDays) {
			return u
		}
	}
	fs := e.targetFacts(st, id)
	u.Facts, u.StatedOnly = factsUsed(req.Facts, fs)
	readOnly := req.FactsSource == mappings.FactsRead
	get := factGetter(fs, readOnly)
	var unstated *mappings.Predicate
	for i, f := range req.Facts {
		switch holds(f, get) {
		case model.False:
			u.Message = fmt.Sprintf("does not show %s (%s)", describe(f), factShown(fs, get, f))
			if u.Status == TooOld {
				u.Message += fmt.Sprintf("; observed on %s, its effective period does not make a failure older", producedTime(st).Format(time.DateOnly))
			}
			u.Status = FactsContradict
			return u
		case model.Unknown:
			if unstated == nil {
				unstated = &req.Facts[i]
			}
		}
	}
	if u.Status == TooOld {
		return u
	}
	if unstated != nil {
		u.Status = FactsMissing
		u.Message = fmt.Sprintf("does not state whether %s", describe(*unstated))
		if only := statedOnlyIn(*unstated, fs); readOnly && only != "" {
			u.Message = fmt.Sprintf("does not show whether %s: %s is stated, not read, and the rule takes only facts read from the evidence files", describe(*unstated), only)
		}
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
			if FormOf(s) != LinkRule || s.Rule != r.ID || s.Element != "" {
				continue
			}
			u := EvidenceUse{Requirement: "manual-attestation", Item: st.Item.ID, Title: st.Item.Title,
				Kind: st.Item.Kind, CollectedAt: st.Item.CollectedAt, AgeDays: st.AgeDays, Files: st.Files, Status: EvidenceOK}
			switch {
			case !st.Valid():
				p, _ := st.Disqualifying()
				u.Status, u.Message = string(p.Type), p.Message
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
