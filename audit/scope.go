package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
)

// ScopeInfo is the PCI DSS scope derived from the model: every element in
// the cardholder data environment or joined to it, with the reasons, and
// the findings where the zone tags disagree with the data. Reports show the
// findings wherever they show counts, since a scope taken on trust is the
// first thing an assessor checks.
type ScopeInfo struct {
	Elements []ScopedElement      `json:"elements"`
	Findings []model.ScopeFinding `json:"findings"`
}

// ScopedElement is one element of the derived scope.
type ScopedElement struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	Name  string   `json:"name"`
	Class string   `json:"class"`
	Why   []string `json:"why"`
}

func scopeInfo(x *model.Index) ScopeInfo {
	si := ScopeInfo{Elements: []ScopedElement{}, Findings: nonNil(x.ScopeFindings())}
	add := func(id string) {
		if s := x.ScopeOf(id); s.Class != "" {
			si.Elements = append(si.Elements, ScopedElement{ID: id, Kind: x.KindOf(id), Name: x.NameOf(id), Class: s.Class, Why: s.Why})
		}
	}
	for _, c := range x.Model.Components {
		add(c.ID)
	}
	for _, f := range x.Model.Flows {
		add(f.ID)
	}
	return si
}

// scopeWarnings repeats the scope findings as warnings, so that every
// output that shows the run's warnings (text, Markdown, SARIF, JUnit, the
// report and the workbook) shows where the tags and the data disagree.
func scopeWarnings(x *model.Index) []Warning {
	var out []Warning
	for _, f := range x.ScopeFindings() {
		src := x.Model.Source.File
		if ref := refOf(x, f.Element); ref != "" {
			src = joinRef(src, ref)
		}
		out = append(out, Warning{Source: src, Message: "scope finding (" + f.Code + "): " + f.Message})
	}
	return out
}

// refOf returns where an element was read from, if known.
func refOf(x *model.Index, id string) string {
	if c := x.Component(id); c != nil {
		return c.Ref
	}
	if z := x.Zone(id); z != nil {
		return z.Ref
	}
	if f := x.Flow(id); f != nil {
		return f.Ref
	}
	return ""
}

// ThreatFinding is an open high or critical threat on an element some rule
// judged, with the rules and controls its mitigations serve: a threat
// still open is a reason to doubt the mitigations those controls rest on.
type ThreatFinding struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"severity"`
	Status      string   `json:"status"`
	Targets     []string `json:"targets"`
	Mitigations []string `json:"mitigations"`
	Rules       []string `json:"rules"`
	Controls    []string `json:"controls"`
}

// openThreats lists the open high and critical threats on judged elements;
// the rules are those whose results on the threat's targets considered one
// of its mitigations, or, when it has none, every rule judging a target.
func openThreats(x *model.Index, results []eval.Result, rules map[string][]string) []ThreatFinding {
	out := []ThreatFinding{}
	byElement := map[string][]int{} // element id → positions in results
	for i, r := range results {
		if r.Element.ID != "" {
			byElement[r.Element.ID] = append(byElement[r.Element.ID], i)
		}
	}
	for i := range x.Model.Threats {
		t := &x.Model.Threats[i]
		if !eval.OpenSevere(t) {
			continue
		}
		linked := eval.LinkedMitigations(x, t)
		tf := ThreatFinding{ID: t.ID, Title: t.Title, Severity: strings.ToLower(t.Severity), Status: t.Status,
			Targets: nonNil(t.Targets), Mitigations: nonNil(linked), Rules: []string{}, Controls: []string{}}
		judged := false
		var positions []int
		for _, target := range t.Targets {
			positions = append(positions, byElement[target]...)
		}
		slices.Sort(positions)
		positions = slices.Compact(positions)
		for _, p := range positions {
			r := results[p]
			if r.Verdict == eval.NotApplicable || unconfirmed(r) {
				continue
			}
			judged = true
			uses := len(linked) == 0
			for _, u := range r.Mitigations {
				uses = uses || slices.Contains(linked, u.ID)
			}
			if uses && !slices.Contains(tf.Rules, r.Rule) {
				tf.Rules = append(tf.Rules, r.Rule)
				tf.Controls = append(tf.Controls, rules[r.Rule]...)
			}
		}
		if !judged {
			continue
		}
		slices.Sort(tf.Rules)
		slices.Sort(tf.Controls)
		tf.Controls = slices.Compact(tf.Controls)
		out = append(out, tf)
	}
	return out
}

// unconfirmed reports whether a result only asks an auditor to confirm
// the element's scope: the rule has not judged it yet.
func unconfirmed(r eval.Result) bool {
	return r.Verdict == eval.Manual && len(r.Reasons) > 0 && r.Reasons[0].Code == eval.ReasonConfirmScope
}

// threatWarnings names threats whose status contradicts a mitigation's: a
// threat open or in progress whose mitigation claims to be implemented.
func threatWarnings(x *model.Index) []Warning {
	var out []Warning
	for i := range x.Model.Threats {
		t := &x.Model.Threats[i]
		if t.Status != model.ThreatOpen && t.Status != model.ThreatInProgress {
			continue
		}
		for _, id := range eval.LinkedMitigations(x, t) {
			if mi := x.Mitigation(id); mi != nil && mi.Implemented() {
				out = append(out, Warning{Source: joinRef(x.Model.Source.File, t.Ref),
					Message: fmt.Sprintf("threat %s is %s while its mitigation %s is %s: one of the two statuses is wrong", t.ID, t.Status, mi.ID, mi.Status)})
			}
		}
	}
	return out
}
