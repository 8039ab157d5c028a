package audit

import (
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

func exceptionInfos(f *exception.File, ev *evidence.Index, asOf time.Time, rules []mappings.Rule) []ExceptionInfo {
	out := []ExceptionInfo{}
	if f == nil {
		return out
	}
	for _, e := range f.Exceptions {
		out = append(out, ExceptionInfo{
			ID: e.ID, Type: e.Type, Control: e.Control, Rule: e.Rule, Element: e.Element,
			Justification: e.Justification, Approver: e.Approver, ApprovedOn: e.ApprovedOn, ExpiresOn: e.ExpiresOn,
			Ticket: e.Ticket, Status: e.StatusAt(asOf), CompensatingEvidence: nonNil(e.CompensatingEvidence),
			EvidenceProblems: nonNil(compensatingProblems(e, ev)), AppliedTo: []string{},
			Worksheet: e.Worksheet, Customized: e.Customized, Effects: exceptionEffects(e, asOf, rules),
		})
	}
	slices.SortFunc(out, func(a, b ExceptionInfo) int { return cmpString(a.ID, b.ID) })
	return out
}

// exceptionEffects judges the exception in each framework whose controls it
// can reach in this run: its control's, or those of its rule's controls.
func exceptionEffects(e exception.Exception, asOf time.Time, rules []mappings.Rule) []ExceptionEffect {
	var fws []string
	if e.Control != "" {
		fws = append(fws, frameworkID(e.Control))
	}
	for _, r := range rules {
		if e.Control == "" && r.ID == e.Rule {
			for _, s := range r.Satisfies {
				fws = append(fws, frameworkID(s.Control))
			}
		}
	}
	slices.Sort(fws)
	var out []ExceptionEffect
	for _, fw := range slices.Compact(fws) {
		eff, why := e.Judge(fw, asOf)
		out = append(out, ExceptionEffect{Framework: fw, Effect: eff, Reason: why})
	}
	return out
}

// frameworkID is the framework id of a control ref: "pci-dss" of
// "pci-dss@4.0.1:3.5.1".
func frameworkID(ref string) string {
	id, _, _ := strings.Cut(ref, "@")
	return id
}

func evidenceInfo(ev *evidence.Index, results []eval.Result) EvidenceInfo {
	info := EvidenceInfo{Items: []EvidenceItem{}, Undeclared: []string{}, Problems: []evidence.Problem{}}
	if ev == nil {
		return info
	}
	info.Manifest = ev.Manifest.File
	used, superseded := map[string][]string{}, map[string][]string{}
	seen := map[[2]string]bool{} // a set, not a list scan: an item may back thousands of results
	for _, r := range results {
		if len(r.Evidence) == 0 {
			continue
		}
		// One key per result, shared by every item it used: the lists
		// below hold it once per item.
		key := r.Rule + " " + elementKey(r.Element)
		for _, u := range r.Evidence {
			if k := [2]string{u.Item, key}; !seen[k] {
				seen[k] = true
				used[u.Item] = append(used[u.Item], key)
			}
			if u.SupersededBy != "" {
				line := u.SupersededBy + " for " + key + " (" + u.Requirement + ")"
				if k := [2]string{u.Item, line}; !seen[k] {
					seen[k] = true
					superseded[u.Item] = append(superseded[u.Item], line)
				}
			}
		}
	}
	for _, st := range ev.Items {
		it := EvidenceItem{ID: st.Item.ID, Title: st.Item.Title, Kind: st.Item.Kind, Collector: st.Item.Collector,
			Owner: st.Item.Owner, CollectedAt: st.Item.CollectedAt, AgeDays: st.AgeDays, Files: st.Files,
			Supports: st.Item.Supports, Status: "ok", Problems: nonNil(st.Problems), UsedBy: nonNil(used[st.Item.ID]),
			Reads: fileReads(st.Reads), Facts: nonNil(st.Facts), Targets: nonNil(st.Targets),
			SupersededBy: nonNil(superseded[st.Item.ID])}
		if !st.Item.Expires().IsZero() {
			it.ExpiresOn = st.Item.Expires().Format(time.DateOnly)
		}
		if i := slices.IndexFunc(st.Problems, evidence.Problem.Disqualifies); i >= 0 {
			// A disagreement between read and stated facts is shown among
			// the problems but leaves the item counting.
			it.Status = string(st.Problems[i].Type)
		}
		slices.Sort(it.UsedBy)
		slices.Sort(it.SupersededBy)
		if !st.Dated.IsZero() {
			it.DatedOn = st.Dated.Format(time.DateOnly)
		}
		if st.Item.EffectiveFrom != "" || st.Item.EffectiveUntil != "" {
			it.Effective = &EffectivePeriod{From: st.Item.EffectiveFrom, Until: st.Item.EffectiveUntil}
		}
		info.Items = append(info.Items, it)
	}
	info.Undeclared = nonNil(ev.Undeclared)
	info.Problems = nonNil(ev.Problems)
	return info
}

// fileReads is reads as results.json holds them: a read's list of facts
// is [] rather than null when the file yielded none, so every read has one
// shape.
func fileReads(reads []evidence.FileRead) []evidence.FileRead {
	out := make([]evidence.FileRead, len(reads))
	for i, fr := range reads {
		out[i] = fr
		if fr.Read != nil && fr.Read.Facts == nil {
			r := *fr.Read
			r.Facts = []facts.Fact{}
			out[i].Read = &r
		}
	}
	return out
}

func modelInfo(x *model.Index) ModelInfo {
	m := x.Model
	mi := ModelInfo{Title: m.Title, Source: m.Source, Zones: nonNil(m.Zones), Components: nonNil(m.Components),
		DataAssets: nonNil(m.DataAssets), Threats: nonNil(m.Threats), Mitigations: nonNil(m.Mitigations), Flows: []FlowInfo{}}
	for _, f := range m.Flows {
		mi.Flows = append(mi.Flows, FlowInfo{Flow: f, Crossing: x.Crossing(f.ID), Classifications: nonNil(x.FlowClassifications(f.ID))})
	}
	return mi
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
