package diff

import (
	"cmp"
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
)

// staleStatuses are the statuses of evidence that was good once and has
// aged out: by the bundle's own validity, by a rule's maximum age, or by
// falling outside the audit period.
var staleStatuses = []string{string(evidence.Stale), eval.TooOld, string(evidence.OutsidePeriod)}

// uses indexes, once per results, what the rules said of each evidence
// item: comparing thousands of items must not walk every rule result for
// each of them.
type uses struct {
	tooOld map[string]bool
	// message is the first rule's non-empty message per item and status.
	message map[[2]string]string
}

func usesOf(r *audit.Results) uses {
	x := uses{tooOld: map[string]bool{}, message: map[[2]string]string{}}
	for _, rr := range r.RuleResults {
		for _, u := range rr.Evidence {
			if u.Status == eval.TooOld {
				x.tooOld[u.Item] = true
			}
			k := [2]string{u.Item, u.Status}
			if _, ok := x.message[k]; !ok && u.Message != "" {
				x.message[k] = u.Message
			}
		}
	}
	return x
}

// freshness is an item's status as the rules saw it: the bundle's verdict
// on the item when it has a problem, else "too-old" when any rule found it
// older than it accepts, else "ok".
func (x uses) freshness(it audit.EvidenceItem) string {
	if it.Status != eval.EvidenceOK {
		return it.Status
	}
	if x.tooOld[it.ID] {
		return eval.TooOld
	}
	return eval.EvidenceOK
}

func evidenceChanges(old, new *audit.Results) []EvidenceChange {
	ou, nu := usesOf(old), usesOf(new)
	before := map[string]audit.EvidenceItem{}
	for _, it := range old.Evidence.Items {
		before[it.ID] = it
	}
	out := []EvidenceChange{}
	seen := map[string]bool{}
	for _, n := range new.Evidence.Items {
		seen[n.ID] = true
		o, ok := before[n.ID]
		if !ok {
			out = append(out, EvidenceChange{Item: n.ID, Title: n.Title, Change: EvidenceAdded, To: nu.freshness(n), UsedBy: nonNil(n.UsedBy)})
			continue
		}
		from, to := ou.freshness(o), nu.freshness(n)
		if from == eval.EvidenceOK && to != eval.EvidenceOK {
			ch := EvidenceChange{Item: n.ID, Title: n.Title, Change: EvidenceInvalid, From: from, To: to, UsedBy: nonNil(n.UsedBy)}
			if slices.Contains(staleStatuses, to) {
				ch.Change = EvidenceStale
			}
			ch.Message = nu.problemMessage(n, to)
			out = append(out, ch)
		}
		oldFiles := map[string]string{}
		for _, f := range o.Files {
			oldFiles[f.Path] = f.SHA256
		}
		for _, f := range n.Files {
			if sum, ok := oldFiles[f.Path]; ok && sum != f.SHA256 {
				out = append(out, EvidenceChange{Item: n.ID, Title: n.Title, Change: EvidenceHashChanged, File: f.Path,
					OldSHA256: sum, NewSHA256: f.SHA256, UsedBy: nonNil(n.UsedBy)})
			}
		}
	}
	for _, o := range old.Evidence.Items {
		if !seen[o.ID] {
			out = append(out, EvidenceChange{Item: o.ID, Title: o.Title, Change: EvidenceRemoved, From: ou.freshness(o), UsedBy: nonNil(o.UsedBy)})
		}
	}
	order := []string{EvidenceStale, EvidenceInvalid, EvidenceHashChanged, EvidenceAdded, EvidenceRemoved}
	slices.SortFunc(out, func(a, b EvidenceChange) int {
		return cmp.Or(cmp.Compare(a.Item, b.Item),
			cmp.Compare(slices.Index(order, a.Change), slices.Index(order, b.Change)),
			cmp.Compare(a.File, b.File))
	})
	return out
}

// problemMessage explains status for the item: the bundle's problem
// message, or the first rule's complaint that it is too old.
func (x uses) problemMessage(it audit.EvidenceItem, status string) string {
	for _, p := range it.Problems {
		if string(p.Type) == status {
			return p.Message
		}
	}
	return x.message[[2]string{it.ID, status}]
}

func exceptionChanges(old, new *audit.Results) []ExceptionChange {
	before := map[string]audit.ExceptionInfo{}
	for _, e := range old.Exceptions {
		before[e.ID] = e
	}
	out := []ExceptionChange{}
	seen := map[string]bool{}
	for _, n := range new.Exceptions {
		seen[n.ID] = true
		ch := ExceptionChange{ID: n.ID, Control: n.Control, Rule: n.Rule, Element: n.Element, ExpiresOn: n.ExpiresOn, To: n.Status}
		o, ok := before[n.ID]
		switch {
		case !ok:
			ch.Change = ExceptionAdded
		case o.Status == n.Status:
			continue
		case o.Status == exception.Active && n.Status == exception.Expired:
			ch.Change, ch.From = ExceptionExpired, o.Status
		default:
			ch.Change, ch.From = ExceptionStatus, o.Status
		}
		out = append(out, ch)
	}
	for _, o := range old.Exceptions {
		if !seen[o.ID] {
			out = append(out, ExceptionChange{ID: o.ID, Change: ExceptionRemoved, From: o.Status, Control: o.Control,
				Rule: o.Rule, Element: o.Element, ExpiresOn: o.ExpiresOn})
		}
	}
	slices.SortFunc(out, func(a, b ExceptionChange) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func versionChanges(old, new *audit.Results) []VersionChange {
	out := []VersionChange{}
	if old.Tool.Version != new.Tool.Version {
		out = append(out, VersionChange{Kind: KindTool, ID: cmp.Or(new.Tool.Name, old.Tool.Name), From: old.Tool.Version, To: new.Tool.Version})
	}
	rs := func(r *audit.Results) map[string]string {
		m := map[string]string{}
		for _, s := range r.RuleSets {
			m[s.ID] = s.Version
		}
		return m
	}
	fw := func(r *audit.Results) map[string]string {
		m := map[string]string{}
		for _, f := range r.Frameworks {
			m[f.ID] = f.Version
		}
		return m
	}
	out = append(out, versions(KindRuleSet, rs(old), rs(new))...)
	out = append(out, versions(KindFramework, fw(old), fw(new))...)
	return out
}

// versions compares id → version maps, sorted by id.
func versions(kind string, old, new map[string]string) []VersionChange {
	var ids []string
	for id := range old {
		ids = append(ids, id)
	}
	for id := range new {
		if _, ok := old[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []VersionChange
	for _, id := range ids {
		if old[id] != new[id] {
			out = append(out, VersionChange{Kind: kind, ID: id, From: old[id], To: new[id]})
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
