package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

// Inputs is everything a run needs, already read and parsed by the caller.
type Inputs struct {
	Tool         Tool
	Organisation string
	System       string
	PeriodStart  time.Time // zero: no audit period
	PeriodEnd    time.Time
	AsOf         time.Time
	PreparedBy   *SignOff // nil: not stated
	ReviewedBy   *SignOff

	Model      *model.Model
	Overlay    *overlay.Overlay
	RuleSets   []*mappings.RuleSet
	Catalogs   []*frameworks.Catalog // the selected frameworks
	Evidence   *evidence.Index       // nil: no bundle
	Exceptions *exception.File       // nil: none
	Files      []InputFile

	// Previous is the previous results (build --previous), nil for none:
	// requirements for a test after a significant change compare with it.
	Previous *Results
	// PreviousTrust says whether Previous came from a verified package
	// signed by this package's signer. The zero value is unverified: such
	// results may show a change but not establish that nothing changed.
	PreviousTrust PreviousTrust

	// RequestDueDays is how many days after AsOf an evidence request is
	// due; 0 means DefaultRequestDueDays.
	RequestDueDays int

	// OverlayFile names the file the overlay was read from (the project
	// configuration), so that problems in it name their place.
	OverlayFile string
}

// InputError is a problem with the inputs as a whole (a reference that does
// not resolve, say), as opposed to a run that could not be computed.
type InputError struct {
	Source  string
	Message string
}

func (e *InputError) Error() string { return e.Source + ": " + e.Message }

// Run evaluates the inputs. It is deterministic: the same inputs give equal
// results, whatever the map orders or the machine.
func Run(in Inputs) (*Results, error) {
	vwarns, err := checkVocabulary(in)
	if err != nil {
		return nil, err
	}
	m, owarns, err := overlay.Apply(in.Model, in.Overlay)
	if err != nil {
		return nil, &InputError{Source: "overlay", Message: err.Error()}
	}
	x, err := model.New(m)
	if err != nil {
		return nil, &InputError{Source: in.Model.Source.File + " (with the overlay applied)", Message: err.Error()}
	}
	refs := map[string]*frameworks.Catalog{}
	for _, c := range in.Catalogs {
		refs[c.Ref()] = c
	}
	rules := selectRules(in.RuleSets, refs)
	if err := checkExceptions(in.Exceptions, in.RuleSets, rules, refs); err != nil {
		return nil, err
	}
	if err := checkApplicability(in.Overlay, overlayName(in), refs); err != nil {
		return nil, err
	}
	prev, pwarns := previousOf(in.Previous, in)
	results := eval.Evaluate(eval.Input{Model: x, Rules: rules, Evidence: in.Evidence, AsOf: in.AsOf,
		PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, Previous: prev})
	r := &Results{
		SchemaVersion: SchemaVersion,
		Tool:          in.Tool,
		Project: Project{Organisation: in.Organisation, System: in.System, AsOf: day(in.AsOf),
			PeriodStart: day(in.PeriodStart), PeriodEnd: day(in.PeriodEnd), PreparedBy: in.PreparedBy, ReviewedBy: in.ReviewedBy},
		Inputs:      sortedInputs(in.Files),
		RuleResults: results,
	}
	for _, rs := range in.RuleSets {
		r.RuleSets = append(r.RuleSets, RuleSetInfo{ID: rs.Meta.ID, Version: rs.Meta.Version, Title: rs.Meta.Title, File: rs.File, Rules: len(rs.Rules)})
	}
	for _, w := range m.Warnings {
		r.Warnings = append(r.Warnings, Warning{Source: joinRef(m.Source.File, w.Ref), Message: w.Message})
	}
	for _, w := range owarns {
		r.Warnings = append(r.Warnings, Warning{Source: joinRef(overlayName(in), w.Pointer), Message: w.Message})
	}
	r.Warnings = append(r.Warnings, vwarns...)
	r.Warnings = append(r.Warnings, pwarns...)
	r.Rules = ruleInfos(rules)
	r.Exceptions = exceptionInfos(in.Exceptions, in.Evidence, in.AsOf, rules)
	roll := &roller{res: r, rules: rules, exc: in.Exceptions, ev: in.Evidence, asOf: in.AsOf,
		declared: declarations(in.Overlay, overlayName(in))}
	for _, c := range in.Catalogs {
		r.Frameworks = append(r.Frameworks, roll.framework(c))
	}
	shareEvidence(r)
	r.Evidence = evidenceInfo(in.Evidence, results)
	r.Model = modelInfo(x)
	r.Scope = scopeInfo(x)
	ruleControls := map[string][]string{}
	for _, ri := range r.Rules {
		ruleControls[ri.ID] = ri.Controls
	}
	r.Threats = openThreats(x, results, ruleControls)
	r.Samples = drawSamples(r, rules)
	owners, err := overlay.ZoneOwners(m, in.Overlay)
	if err != nil {
		return nil, &InputError{Source: "overlay", Message: err.Error()}
	}
	r.Requests = evidenceRequests(requestIn{results: results, rules: rules, infos: r.Rules, x: x, items: r.Evidence.Items,
		zoneOwners: owners, asOf: in.AsOf, start: in.PeriodStart, end: in.PeriodEnd, dueDays: cmp.Or(in.RequestDueDays, DefaultRequestDueDays)})
	r.Warnings = append(r.Warnings, scopeWarnings(x)...)
	r.Warnings = append(r.Warnings, threatWarnings(x)...)
	r.Warnings = append(r.Warnings, kindWarnings(in.Evidence)...)
	r.Warnings = nonNil(append(r.Warnings, referenceWarnings(in.Evidence, x, in.RuleSets, in.Catalogs, in.Exceptions)...))
	return r, nil
}

// selectRules keeps the rules that map to at least one control of a selected
// framework, and within them only the links to such controls. A catalog
// restricted to a baseline assesses only its members, so a rule for a
// control outside the baseline is not run.
func selectRules(sets []*mappings.RuleSet, refs map[string]*frameworks.Catalog) []mappings.Rule {
	var out []mappings.Rule
	for _, rs := range sets {
		for _, r := range rs.Rules {
			var keep []mappings.Satisfies
			for _, s := range r.Satisfies {
				_, id, _ := strings.Cut(s.Control, ":")
				if _, ok := nodeOf(refs[frameworkOf(s.Control)], id); ok {
					keep = append(keep, s)
				}
			}
			if len(keep) > 0 {
				r.Satisfies = keep
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b mappings.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func frameworkOf(ref string) string {
	fw, _, _ := strings.Cut(ref, ":")
	return fw
}

// checkExceptions refuses exceptions that name an unknown rule or a control
// that is not a control of its framework. One exceptions file serves every
// framework a project audits, so an exception for a framework, a rule or a
// baseline member that this run does not select is left aside, not refused.
func checkExceptions(f *exception.File, sets []*mappings.RuleSet, rules []mappings.Rule, refs map[string]*frameworks.Catalog) error {
	if f == nil {
		return nil
	}
	for _, e := range f.Exceptions {
		if e.Rule != "" && !slices.ContainsFunc(rules, func(r mappings.Rule) bool { return r.ID == e.Rule }) && !defined(sets, e.Rule) {
			return &InputError{Source: f.Name + ": at " + e.Pointer + "/rule",
				Message: fmt.Sprintf("exception %s names rule %q, which no selected framework uses", e.ID, e.Rule)}
		}
		if e.Control != "" {
			c := refs[frameworkOf(e.Control)]
			if c == nil {
				continue
			}
			_, id, _ := strings.Cut(e.Control, ":")
			if n, ok := c.Node(id); ok && !n.Assessable && c.BaselineID != "" && n.Props["status"] != "withdrawn" {
				continue
			}
			if _, ok := nodeOf(c, id); !ok {
				return &InputError{Source: f.Name + ": at " + e.Pointer + "/control",
					Message: fmt.Sprintf("exception %s names control %q, which is not a control of a selected framework", e.ID, e.Control)}
			}
		}
	}
	return nil
}

// defined reports whether any rule set defines the rule.
func defined(sets []*mappings.RuleSet, id string) bool {
	for _, rs := range sets {
		if slices.ContainsFunc(rs.Rules, func(r mappings.Rule) bool { return r.ID == id }) {
			return true
		}
	}
	return false
}

func nodeOf(c *frameworks.Catalog, id string) (frameworks.Node, bool) {
	if c == nil {
		return frameworks.Node{}, false
	}
	n, ok := c.Node(id)
	return n, ok && n.Assessable
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func joinRef(file, ref string) string {
	if ref == "" {
		return file
	}
	return file + ": at " + ref
}

func sortedInputs(files []InputFile) []InputFile {
	out := slices.Clone(files)
	slices.SortFunc(out, func(a, b InputFile) int {
		if c := strings.Compare(a.Role, b.Role); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func ruleInfos(rules []mappings.Rule) []RuleInfo {
	out := make([]RuleInfo, 0, len(rules))
	for _, r := range rules {
		ri := RuleInfo{ID: r.ID, Title: r.Title, Severity: r.Severity, Informative: r.Informative,
			Capabilities: nonNil(r.Requires.Capabilities()), Element: r.AppliesTo.Element, Remediation: r.Remediation,
			ManualSteps: r.ManualSteps, Procedure: r.Procedure(), AuditorSteps: r.Remaining(), File: r.File}
		for _, s := range r.Satisfies {
			ri.Controls = append(ri.Controls, s.Control)
		}
		out = append(out, ri)
	}
	return out
}
