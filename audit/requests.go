package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// EvidenceRequest is one entry of the evidence-request list (the list of
// items to be provided by the client): evidence a result still needs,
// what it must show, for which requirement and elements, over which
// period, who is asked and by when.
//
// ID is derived from the rule, its evidence requirement, the need and the
// elements, so the same request keeps its id from one package to the
// next: a request of the previous package whose id is gone was answered.
type EvidenceRequest struct {
	ID   string `json:"id"`
	Need string `json:"need"`
	// Kinds are the evidence kinds that answer the request; Shows is what
	// the evidence must show.
	Kinds []string `json:"kinds"`
	Shows string   `json:"shows"`
	// Rule and Requirement are the rule and its evidence requirement that
	// ask; Controls are the framework controls the rule maps to.
	Rule        string            `json:"rule"`
	Requirement string            `json:"requirement,omitempty"`
	Controls    []string          `json:"controls"`
	Elements    []eval.ElementRef `json:"elements"`
	// PeriodFrom and PeriodTo bound the period the evidence must cover
	// (PeriodFrom is empty when any date up to PeriodTo serves).
	PeriodFrom string `json:"period_from,omitempty"`
	PeriodTo   string `json:"period_to"`
	// Owner is who is asked, and OwnerSource where that came from:
	// "evidence-item ID", "zone ID" or "evidence-kind KIND"; both are
	// empty when nothing names an owner.
	Owner       string `json:"owner,omitempty"`
	OwnerSource string `json:"owner_source,omitempty"`
	Due         string `json:"due"`
	// Items are the evidence items the request concerns (the stale scan
	// to be repeated, the item whose facts are only stated).
	Items []string `json:"items"`
	// Reason is the result's reason that asks, as the result states it.
	Reason string `json:"reason"`
}

// Needs: why evidence is requested.
const (
	NeedMissing     = "missing"      // no evidence of an accepted kind
	NeedRenew       = "renew"        // the evidence there is does not serve: too old, stale, damaged, silent on the facts
	NeedCoverage    = "coverage"     // the evidence does not cover an in-scope element's hosts
	NeedOccurrences = "occurrences"  // fewer occurrences over the period than the requirement asks
	NeedAfterChange = "after-change" // no test dated after a change that added scope
	NeedReadFacts   = "read-facts"   // facts stated in the manifest, not read from a file
	NeedEvidence    = "evidence"     // a result needs evidence for a reason none of the above names
)

// DefaultRequestDueDays is how many days after the as-of date a request
// is due when the inputs do not say.
const DefaultRequestDueDays = 14

// requestIn is what deriving requests reads.
type requestIn struct {
	results    []eval.Result
	rules      []mappings.Rule
	infos      []RuleInfo
	x          *model.Index
	items      []EvidenceItem
	zoneOwners map[string]string
	asOf       time.Time
	start, end time.Time
	dueDays    int
}

// evidenceRequests derives the evidence requests of a run from its rule
// results: every needs-evidence result, missing occurrence, uncovered
// host and fact stated, not read. They are sorted by rule, requirement,
// need and elements, and never nil.
func evidenceRequests(in requestIn) []EvidenceRequest {
	rules := map[string]*mappings.Rule{}
	for i := range in.rules {
		rules[in.rules[i].ID] = &in.rules[i]
	}
	controls := map[string][]string{}
	for _, ri := range in.infos {
		controls[ri.ID] = ri.Controls
	}
	b := &requestBuilder{in: in, at: map[string]int{}, out: []EvidenceRequest{}, items: map[string]*EvidenceItem{}}
	for i := range in.items {
		b.items[in.items[i].ID] = &in.items[i]
	}
	for i := range in.results {
		res := &in.results[i]
		rule := rules[res.Rule]
		if rule == nil {
			continue
		}
		before := len(b.out)
		b.result(res, rule, controls[rule.ID])
		if res.Verdict == eval.NeedsEvidence && len(b.out) == before {
			b.fallback(res, rule, controls[rule.ID])
		}
	}
	slices.SortFunc(b.out, compareRequests)
	return b.out
}

type requestBuilder struct {
	in    requestIn
	at    map[string]int // id → index in out
	out   []EvidenceRequest
	items map[string]*EvidenceItem
}

func (b *requestBuilder) result(res *eval.Result, rule *mappings.Rule, controls []string) {
	for _, rs := range res.Reasons {
		need := needOf(rs.Code, res.Element.Kind)
		if need == "" {
			continue
		}
		// A rule that takes only facts read from files, given an item that
		// states them, needs the file, not another item.
		if need == NeedRenew && rs.Code == "evidence-"+eval.FactsMissing && strings.Contains(rs.Message, "is stated, not read") {
			need = NeedReadFacts
		}
		req := requirementOf(rule, rs.Message)
		if req == nil || req.Optional {
			continue
		}
		if need == NeedCoverage {
			for _, el := range b.uncovered(rs.Message) {
				b.add(rule, req, need, controls, []eval.ElementRef{el}, nil, rs.Message)
			}
			continue
		}
		var items []string
		if need == NeedRenew || need == NeedReadFacts {
			items = b.itemsNamed(res, req.ID, rs.Message)
		}
		b.add(rule, req, need, controls, elementsOf(res.Element), items, rs.Message)
	}
	// A fact a counted item only states is asked for as read, once per
	// requirement: the file that shows it.
	stated := map[string][]string{}
	var order []string
	for _, u := range res.Evidence {
		if len(u.StatedOnly) == 0 || u.SupersededBy != "" || u.Status != eval.EvidenceOK {
			continue
		}
		if _, ok := stated[u.Requirement]; !ok {
			order = append(order, u.Requirement)
		}
		stated[u.Requirement] = append(stated[u.Requirement], fmt.Sprintf("%s (%s)", u.Item, strings.Join(u.StatedOnly, ", ")))
	}
	for _, id := range order {
		req := requirementByID(rule, id)
		if req == nil || req.Optional {
			continue
		}
		var items []string
		for _, u := range res.Evidence {
			if u.Requirement == id && len(u.StatedOnly) > 0 && u.SupersededBy == "" && u.Status == eval.EvidenceOK {
				items = append(items, u.Item)
			}
		}
		b.add(rule, req, NeedReadFacts, controls, elementsOf(res.Element), items,
			fmt.Sprintf("%s: stated in the evidence manifest, not read from a file: %s", id, strings.Join(stated[id], "; ")))
	}
}

// fallback asks for evidence for a needs-evidence result no reason above
// turned into a request, so that none is left out of the list.
func (b *requestBuilder) fallback(res *eval.Result, rule *mappings.Rule, controls []string) {
	var why []string
	for _, rs := range res.Reasons {
		if strings.HasPrefix(rs.Code, "evidence-") || strings.HasPrefix(rs.Code, "occurrences-") || strings.HasPrefix(rs.Code, "after-change-") {
			why = append(why, rs.Message)
		}
	}
	var req *mappings.EvidenceRequirement
	for i := range rule.Evidence {
		if !rule.Evidence[i].Optional {
			req = &rule.Evidence[i]
			break
		}
	}
	if req == nil {
		req = &mappings.EvidenceRequirement{}
	}
	b.add(rule, req, NeedEvidence, controls, elementsOf(res.Element), nil, strings.Join(why, "; "))
}

func (b *requestBuilder) add(rule *mappings.Rule, req *mappings.EvidenceRequirement, need string, controls []string, els []eval.ElementRef, items []string, reason string) {
	ids := make([]string, len(els))
	for i, e := range els {
		ids[i] = e.ID
	}
	id := requestID(rule.ID, req.ID, need, ids)
	if i, ok := b.at[id]; ok {
		r := &b.out[i]
		r.Items = mergeSorted(r.Items, items)
		if !strings.Contains(r.Reason, reason) {
			r.Reason += "; " + reason
		}
		return
	}
	from, to := b.period(req)
	r := EvidenceRequest{ID: id, Need: need, Kinds: nonNil(slices.Clone(req.Kinds)), Shows: shows(req, need),
		Rule: rule.ID, Requirement: req.ID, Controls: nonNil(slices.Clone(controls)), Elements: els,
		PeriodFrom: from, PeriodTo: to, Due: day(b.in.asOf.AddDate(0, 0, b.in.dueDays)),
		Items: mergeSorted(nil, items), Reason: reason}
	r.Owner, r.OwnerSource = b.owner(r)
	b.at[id] = len(b.out)
	b.out = append(b.out, r)
}

// requestID is "ER-" and the first 12 hex digits of the SHA-256 of the
// rule, requirement, need and element ids, each ended by a NUL byte.
func requestID(rule, req, need string, elements []string) string {
	h := sha256.New()
	for _, s := range append([]string{rule, req, need}, elements...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "ER-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// needOf is the need a reason code asks for, "" for none. An uncovered
// host is a need only where the rule judges the system as a whole: per
// element, an item left out for not covering the element shows as
// missing or stale evidence of its own.
func needOf(code, kind string) string {
	switch code {
	case "evidence-missing":
		return NeedMissing
	case "evidence-not-covering":
		if kind == model.KindSystem || kind == "" {
			return NeedCoverage
		}
		return ""
	case "occurrences-missing":
		return NeedOccurrences
	case "after-change-missing":
		return NeedAfterChange
	case "evidence-stated-not-read":
		return NeedReadFacts
	case "evidence-ok", "evidence-contradicts", "evidence-superseded", "evidence-wrong-kind", "evidence-coverage-unchecked":
		return ""
	}
	if strings.HasPrefix(code, "evidence-") {
		return NeedRenew
	}
	return ""
}

// requirementOf finds the evidence requirement a reason speaks of: every
// evidence reason names it first ("ID: ...", "ID asks for ...") or, for
// missing evidence, in parentheses.
func requirementOf(rule *mappings.Rule, msg string) *mappings.EvidenceRequirement {
	for i := range rule.Evidence {
		id := rule.Evidence[i].ID
		if strings.HasPrefix(msg, id+":") || strings.HasPrefix(msg, id+" ") || strings.Contains(msg, "("+id+")") {
			return &rule.Evidence[i]
		}
	}
	return nil
}

func requirementByID(rule *mappings.Rule, id string) *mappings.EvidenceRequirement {
	for i := range rule.Evidence {
		if rule.Evidence[i].ID == id {
			return &rule.Evidence[i]
		}
	}
	return nil
}

func elementsOf(e eval.ElementRef) []eval.ElementRef {
	if e.ID == "" {
		return []eval.ElementRef{}
	}
	return []eval.ElementRef{e}
}

// uncovered returns the in-scope components a not-covering reason names,
// as `KIND "NAME" (hosts)`, in model order.
func (b *requestBuilder) uncovered(msg string) []eval.ElementRef {
	var out []eval.ElementRef
	for _, c := range b.in.x.Model.Components {
		if strings.Contains(msg, fmt.Sprintf("%s %q (", c.Kind, c.Name)) {
			out = append(out, eval.ElementRef{ID: c.ID, Kind: c.Kind, Name: c.Name})
		}
	}
	return out
}

// itemsNamed returns the items of the requirement the result used that
// the reason names.
func (b *requestBuilder) itemsNamed(res *eval.Result, req, msg string) []string {
	var out []string
	for _, u := range res.Evidence {
		if u.Requirement == req && strings.Contains(msg, u.Item) {
			out = append(out, u.Item)
		}
	}
	return out
}

// period is the period evidence for req must cover, as dates: the
// occurrence window, the last max_age_days, or the audit period up to the
// as-of date.
func (b *requestBuilder) period(req *mappings.EvidenceRequirement) (from, to string) {
	end := b.in.asOf
	if !b.in.end.IsZero() && b.in.end.Before(end) {
		end = b.in.end
	}
	switch o := req.Occurrences; {
	case o != nil && o.SpreadOverPeriod && !b.in.start.IsZero():
		return day(b.in.start), day(end)
	case o != nil:
		within := o.WithinDays
		if within == 0 {
			within = o.Count * o.EveryDays
		}
		return day(b.in.asOf.AddDate(0, 0, -within)), day(b.in.asOf)
	case req.MaxAgeDays > 0:
		return day(b.in.asOf.AddDate(0, 0, -req.MaxAgeDays)), day(b.in.asOf)
	}
	return day(b.in.start), day(end)
}

// shows says what evidence answering a request must show.
func shows(req *mappings.EvidenceRequirement, need string) string {
	var parts []string
	if req.Description != "" {
		parts = append(parts, strings.TrimSuffix(req.Description, "."))
	}
	if len(req.Kinds) > 0 {
		parts = append(parts, "evidence of kind "+strings.Join(req.Kinds, " or "))
	}
	if len(req.Facts) > 0 {
		fs := make([]string, len(req.Facts))
		for i, p := range req.Facts {
			fs[i] = eval.Describe(p)
		}
		parts = append(parts, "showing "+strings.Join(fs, " and "))
	}
	if req.MaxAgeDays > 0 {
		parts = append(parts, fmt.Sprintf("at most %d days old", req.MaxAgeDays))
	}
	if o := req.Occurrences; o != nil {
		what := "items"
		if o.Passing {
			what = "passing items"
		}
		parts = append(parts, fmt.Sprintf("%d %s at most %d days apart", o.Count, what, o.EveryDays))
	}
	switch need {
	case NeedReadFacts:
		parts = append(parts, "as the tool's own output file, so that the facts are read, not stated")
	case NeedCoverage:
		parts = append(parts, "naming every host of the element among those it covered")
	case NeedAfterChange:
		parts = append(parts, "dated after the change that added scope")
	}
	if req.FactsSource == mappings.FactsRead && need != NeedReadFacts {
		parts = append(parts, "with the facts read from its files")
	}
	return strings.Join(parts, "; ")
}

// owner is who a request goes to: the owner of an item it concerns, else
// the overlay's owner of the zone its first element sits in (a flow's by
// its target, then its source), else the owner of an item of a kind it
// asks for.
func (b *requestBuilder) owner(r EvidenceRequest) (string, string) {
	for _, id := range r.Items {
		if it := b.items[id]; it != nil && it.Owner != "" {
			return it.Owner, "evidence-item " + id
		}
	}
	for _, e := range r.Elements {
		if o, z := b.zoneOwner(e.ID); o != "" {
			return o, "zone " + z
		}
	}
	for _, k := range r.Kinds {
		for i := range b.in.items {
			if it := &b.in.items[i]; it.Kind == k && it.Owner != "" {
				return it.Owner, "evidence-kind " + k
			}
		}
	}
	return "", ""
}

// zoneOwner is the owner of the innermost zone with one that holds the
// element, and that zone's id.
func (b *requestBuilder) zoneOwner(id string) (string, string) {
	x := b.in.x
	var comps []string
	if f := x.Flow(id); f != nil {
		comps = []string{f.Target, f.Source}
	} else {
		comps = []string{id}
	}
	for _, c := range comps {
		comp := x.Component(c)
		if comp == nil {
			continue
		}
		for _, z := range x.ZoneChain(comp.Zone) {
			if o := b.in.zoneOwners[z]; o != "" {
				return o, z
			}
		}
	}
	return "", ""
}

func mergeSorted(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return nonNil(slices.Compact(out))
}

func compareRequests(a, b EvidenceRequest) int {
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := strings.Compare(a.Requirement, b.Requirement); c != 0 {
		return c
	}
	if c := strings.Compare(a.Need, b.Need); c != 0 {
		return c
	}
	ea, eb := make([]string, len(a.Elements)), make([]string, len(b.Elements))
	for i, e := range a.Elements {
		ea[i] = e.ID
	}
	for i, e := range b.Elements {
		eb[i] = e.ID
	}
	if c := slices.Compare(ea, eb); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
