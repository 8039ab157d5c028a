// Package mappings holds auditpack's mapping rules: data, not code, that say
// which framework controls a threat model can speak to, which elements are in
// a rule's scope, which capability must sit where, and which evidence must
// back it. Rules are YAML 1.2 files validated against an embedded JSON Schema
// and linted against the framework catalogs and the capability vocabulary.
//
// The predicate language is closed: fields, operators and functions are a
// fixed vocabulary (see [Fields]); nothing in a rule file is run as code.
// Evaluation lives in audit/eval; this package only defines and checks.
package mappings

import (
	"encoding/json"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// RuleSet is one parsed rule file.
type RuleSet struct {
	Schema string          `json:"schema"`
	Meta   Meta            `json:"ruleset"`
	Rules  []Rule          `json:"rules"`
	File   string          `json:"-"`
	lines  schemadoc.Lines `json:"-"`
}

// Meta identifies a rule set; its version goes into every package.
type Meta struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Title   string `json:"title"`
	Notes   string `json:"notes,omitempty"`
}

// Rule maps a scoped element selector and a capability requirement to the
// controls it (partly) satisfies.
type Rule struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Severity    string      `json:"severity,omitempty"`
	Satisfies   []Satisfies `json:"satisfies"`
	Informative []string    `json:"informative,omitempty"`
	AppliesTo   Selector    `json:"applies_to"`
	Requires    Requirement `json:"requires,omitzero"`
	FailsIf     *Predicate  `json:"fails_if,omitempty"`
	// Expects is what the model itself must show, in three-valued logic:
	// false makes the result not-satisfied, unknown makes it manual until
	// an auditor confirms the fact.
	Expects *Predicate `json:"expects,omitempty"`
	// NotApplicableIf, a predicate over the model as a whole, settles that
	// the requirement's subject is absent: the rule is then not-applicable
	// (still listed for an auditor to confirm).
	NotApplicableIf *Predicate            `json:"not_applicable_if,omitempty"`
	Evidence        []EvidenceRequirement `json:"evidence,omitempty"`
	IfNoTargets     string                `json:"if_no_targets,omitempty"`
	ManualSteps     []string              `json:"manual_steps,omitempty"`
	// AuditorSteps say, in the rule author's words, what an auditor must
	// still do for the rest of the requirement (see [Rule.Remaining]).
	AuditorSteps  []string `json:"auditor_steps,omitempty"`
	Remediation   string   `json:"remediation,omitempty"`
	EffectiveFrom string   `json:"effective_from,omitempty"`
	// File and Line locate the rule for error messages and reports.
	File string `json:"-"`
	Line int    `json:"-"`
}

// What a rule says when nothing is in its scope.
const (
	NoTargetsNotApplicable = "not-applicable"
	NoTargetsConfirmScope  = "confirm-scope"
	NoTargetsNotSatisfied  = "not-satisfied"
)

// Satisfies links a rule to a control with a NIST IR 8477 set-theory
// relationship; coverage says whether the rule checks the technical part of
// the control, its procedural part, or both.
type Satisfies struct {
	Control      string `json:"control"`
	Relationship string `json:"relationship"`
	Coverage     string `json:"coverage,omitempty"`
}

// Full reports whether this link alone could cover the whole control.
func (s Satisfies) Full() bool {
	return (s.Relationship == "equal" || s.Relationship == "superset-of") && s.Coverage == "both"
}

// Selector chooses the elements a rule applies to.
type Selector struct {
	Element string     `json:"element"`
	Where   *Predicate `json:"where,omitempty"`
}

// Element selector kinds beyond the model's component kinds: "component"
// selects every component, "system" makes the rule apply once to the model.
const (
	ElementComponent = "component"
	ElementSystem    = "system"
)

// Predicate is a node of the closed predicate language: exactly one of
// All, Any, Not, Field (with Op and Value) or Fn (with Args) is set.
type Predicate struct {
	All   []Predicate    `json:"all,omitempty"`
	Any   []Predicate    `json:"any,omitempty"`
	Not   *Predicate     `json:"not,omitempty"`
	Field string         `json:"field,omitempty"`
	Op    string         `json:"op,omitempty"`
	Value any            `json:"value,omitempty"`
	Fn    string         `json:"fn,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// Requirement is a tree of capability requirements: exactly one of All, Any
// or Capability is set. LocatedAt says where, relative to the scoped
// element, the mitigation providing the capability may sit.
type Requirement struct {
	All        []Requirement `json:"all,omitempty"`
	Any        []Requirement `json:"any,omitempty"`
	Capability string        `json:"capability,omitempty"`
	LocatedAt  string        `json:"located_at,omitempty"`
	Where      *Predicate    `json:"where,omitempty"`
}

// Where a capability may sit relative to the scoped element.
const (
	AtSelf        = "self"
	AtSource      = "source"
	AtDestination = "destination"
	AtPath        = "path"
	AtBoundary    = "boundary" // any zone boundary crossed, either way
	AtZone        = "zone"
	AtEntry       = "entry"    // the boundaries a flow enters (for a component: those its inbound flows enter)
	AtExit        = "exit"     // the boundaries a flow leaves
	AtHost        = "host"     // the component itself or its zones
	AtUpstream    = "upstream" // the element, and everything on its route from an untrusted network
)

// Empty reports whether the requirement asks for no capability at all: the
// rule is decided by the model's facts and the evidence alone.
func (r Requirement) Empty() bool {
	return r.Capability == "" && len(r.All) == 0 && len(r.Any) == 0
}

// Location returns LocatedAt, defaulting to self.
func (r Requirement) Location() string {
	if r.LocatedAt == "" {
		return AtSelf
	}
	return r.LocatedAt
}

// Capabilities returns every capability the requirement names, in order.
func (r Requirement) Capabilities() []string {
	if r.Capability != "" {
		return []string{r.Capability}
	}
	var out []string
	for _, c := range append(append([]Requirement(nil), r.All...), r.Any...) {
		out = append(out, c.Capabilities()...)
	}
	return out
}

// EvidenceRequirement says what evidence must back a rule: of which kinds,
// one item per scoped element or one for the whole rule, how fresh, and
// which facts it must state.
type EvidenceRequirement struct {
	ID          string      `json:"id"`
	Description string      `json:"description,omitempty"`
	Kinds       []string    `json:"kinds"`
	Per         string      `json:"per"`
	MaxAgeDays  int         `json:"max_age_days,omitempty"`
	Facts       []Predicate `json:"facts,omitempty"`
	// FactsSource "read" accepts only facts read from the evidence files
	// themselves; a fact a person stated in the manifest does not count.
	FactsSource string `json:"facts_source,omitempty"`
	// Occurrences, when set, asks for evidence repeated over a period
	// (quarterly scans, six-monthly reviews) rather than one fresh item.
	Occurrences *Occurrences `json:"occurrences,omitempty"`
	// AfterSignificantChange asks, when the previous results are given,
	// for an item dated after any change that added scope.
	AfterSignificantChange bool `json:"after_significant_change,omitempty"`
	Optional               bool `json:"optional,omitempty"`
}

// FactsRead is the FactsSource that accepts only facts read from files.
const FactsRead = "read"

// Occurrences asks for Count items, consecutive ones at most EveryDays
// apart, all within the last WithinDays (default Count × EveryDays);
// Passing counts only items whose facts hold. SpreadOverPeriod asks for
// the items to cover the whole audit period (a SOC 2 Type 2 period) at
// that spacing instead.
type Occurrences struct {
	Count            int  `json:"count"`
	EveryDays        int  `json:"every_days"`
	WithinDays       int  `json:"within_days,omitempty"`
	Passing          bool `json:"passing,omitempty"`
	SpreadOverPeriod bool `json:"spread_over_period,omitempty"`
}

// Evidence granularity.
const (
	PerElement = "element"
	PerRule    = "rule"
)

// Number converts a decoded numeric value (json.Number, float64 or int) to
// float64; ok is false for anything else.
func Number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}
