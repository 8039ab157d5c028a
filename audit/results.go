package audit

import (
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/model"
)

// SchemaVersion is the value of results.json's schema_version.
const SchemaVersion = "auditpack/results/v2"

// Results is the complete, sorted outcome of an audit run.
type Results struct {
	SchemaVersion string          `json:"schema_version"`
	Tool          Tool            `json:"tool"`
	Project       Project         `json:"project"`
	Inputs        []InputFile     `json:"inputs"`
	RuleSets      []RuleSetInfo   `json:"rule_sets"`
	Frameworks    []FrameworkInfo `json:"frameworks"`
	Summary       Counts          `json:"summary"`
	Controls      []Control       `json:"controls"`
	Rules         []RuleInfo      `json:"rules"`
	RuleResults   []eval.Result   `json:"rule_results"`
	Evidence      EvidenceInfo    `json:"evidence"`
	Exceptions    []ExceptionInfo `json:"exceptions"`
	Model         ModelInfo       `json:"model"`
	// Scope is the PCI DSS scope derived from the data, with its findings.
	Scope ScopeInfo `json:"scope"`
	// Threats are the open high and critical threats on judged elements.
	Threats []ThreatFinding `json:"threats"`
	// Samples are the reproducible samples of the controls whose
	// population is many elements or occurrences (docs/sampling.md);
	// results written before samples were drawn have none.
	Samples  []Sample  `json:"samples,omitempty"`
	Warnings []Warning `json:"warnings"`
	// Requests are the evidence requests the results make (see
	// [EvidenceRequest]); results written before them have none, nil.
	Requests []EvidenceRequest `json:"requests,omitempty"`
}

// Tool identifies the auditpack build that produced the results.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Project is who and what was audited, for which period, as of when.
type Project struct {
	Organisation string `json:"organisation"`
	System       string `json:"system"`
	PeriodStart  string `json:"period_start,omitempty"`
	PeriodEnd    string `json:"period_end,omitempty"`
	AsOf         string `json:"as_of"`
	// PreparedBy and ReviewedBy are the sign-off the configuration
	// states, for the report's sign-off page.
	PreparedBy *SignOff `json:"prepared_by,omitempty"`
	ReviewedBy *SignOff `json:"reviewed_by,omitempty"`
}

// SignOff is who signed the report off, and on which day.
type SignOff struct {
	Name string `json:"name"`
	Date string `json:"date"`
}

// InputFile is one input as read, with its hash.
type InputFile struct {
	Role   string `json:"role"`
	Name   string `json:"name"`
	Format string `json:"format,omitempty"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// RuleSetInfo identifies a rule set used.
type RuleSetInfo struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Title   string `json:"title"`
	File    string `json:"file"`
	Rules   int    `json:"rules"`
}

// FrameworkInfo describes a framework catalog and its verdict counts. Groups
// are its non-assessable nodes (goals, principal requirements, sections,
// categories) for grouping controls in reports.
type FrameworkInfo struct {
	ID            string  `json:"id"`
	Version       string  `json:"version"`
	Ref           string  `json:"ref"`
	Baseline      string  `json:"baseline,omitempty"` // the baseline the catalog was restricted to, if any
	Title         string  `json:"title"`
	Publisher     string  `json:"publisher"`
	ContentPolicy string  `json:"content_policy"`
	LicenseNotice string  `json:"license_notice"`
	Controls      int     `json:"controls"`
	Counts        Counts  `json:"counts"`
	Groups        []Group `json:"groups"`
}

// Group is a non-assessable catalog node.
type Group struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Parent string `json:"parent,omitempty"`
	Name   string `json:"name"`
}

// Counts counts controls by verdict, in the fixed order of the verdicts.
//
// A "satisfied" control whose rules cover only its technical part is not a
// met requirement, and a bank reading "43 satisfied" would take it for one;
// so satisfied controls are also split into full and technical-part
// verdicts, and manual ones into those waiting for an auditor to confirm
// their scope and those no automated rule speaks to.
type Counts struct {
	NotSatisfied  int `json:"not-satisfied"`
	NeedsEvidence int `json:"needs-evidence"`
	Excepted      int `json:"excepted"`
	Manual        int `json:"manual"`
	Satisfied     int `json:"satisfied"`
	NotApplicable int `json:"not-applicable"`
	Total         int `json:"total"`

	// SatisfiedFull counts satisfied controls a rule claims whole;
	// SatisfiedTechnical those whose technical part only is satisfied.
	// They add up to Satisfied.
	SatisfiedFull      int `json:"satisfied-full"`
	SatisfiedTechnical int `json:"satisfied-technical-part"`
	// ManualConfirmScope counts manual controls waiting for an auditor to
	// confirm a scope the model does not settle; ManualNoRule those no
	// automated rule covers; ManualJudgement the rest (open manual steps,
	// rules that only support the control, open threats). They add up to
	// Manual.
	ManualConfirmScope int `json:"manual-confirm-scope"`
	ManualNoRule       int `json:"manual-no-rule"`
	ManualJudgement    int `json:"manual-judgement"`
}

// AddControl counts one control, with the breakdown of satisfied and
// manual verdicts.
func (c *Counts) AddControl(ctl Control) {
	c.Add(ctl.Verdict)
	switch ctl.Verdict {
	case eval.Satisfied:
		if ctl.Coverage == CoverageFull {
			c.SatisfiedFull++
		} else {
			c.SatisfiedTechnical++
		}
	case eval.Manual:
		switch ctl.Manual {
		case ManualConfirmScope:
			c.ManualConfirmScope++
		case ManualNoRule:
			c.ManualNoRule++
		default:
			c.ManualJudgement++
		}
	}
}

// Why a control is manual.
const (
	ManualNoRule       = "no-rule"       // no automated rule covers the control
	ManualConfirmScope = "confirm-scope" // the model does not settle the scope: an auditor confirms it
	ManualJudgement    = "judgement"     // open manual steps, supporting rules only, open threats
)

// Add counts one verdict.
func (c *Counts) Add(v eval.Verdict) {
	c.Total++
	switch v {
	case eval.NotSatisfied:
		c.NotSatisfied++
	case eval.NeedsEvidence:
		c.NeedsEvidence++
	case eval.Excepted:
		c.Excepted++
	case eval.Manual:
		c.Manual++
	case eval.Satisfied:
		c.Satisfied++
	case eval.NotApplicable:
		c.NotApplicable++
	}
}

// Of returns the count of one verdict.
func (c Counts) Of(v eval.Verdict) int {
	switch v {
	case eval.NotSatisfied:
		return c.NotSatisfied
	case eval.NeedsEvidence:
		return c.NeedsEvidence
	case eval.Excepted:
		return c.Excepted
	case eval.Manual:
		return c.Manual
	case eval.Satisfied:
		return c.Satisfied
	case eval.NotApplicable:
		return c.NotApplicable
	}
	return 0
}

// Coverage says how much of a control automated evaluation can speak to.
const (
	CoverageNone    = "none"    // no rule: an auditor judges
	CoveragePartial = "partial" // rules check the technical part only
	CoverageFull    = "full"    // a rule claims the whole control
)

// Control is one assessable control of a framework, with its rolled-up
// verdict.
type Control struct {
	Framework string       `json:"framework"`
	ID        string       `json:"id"`
	Ref       string       `json:"ref"`
	Name      string       `json:"name"`
	Group     string       `json:"group"`
	Parents   []string     `json:"parents"`
	Verdict   eval.Verdict `json:"verdict"`
	Coverage  string       `json:"coverage"`
	// Manual says why a manual control is manual (see [ManualNoRule]).
	Manual     string    `json:"manual,omitempty"`
	Reason     string    `json:"reason"`
	Rules      []string  `json:"rules"`
	Findings   []Finding `json:"findings"`
	Evidence   []string  `json:"evidence"`
	Exceptions []string  `json:"exceptions"`
	// SharedWith lists the controls of other selected frameworks whose
	// findings rest on at least one of the same evidence items: one
	// mitigation's evidence serves every framework that needs it.
	SharedWith []string `json:"shared_with"`
	// Applicability is the control's line in the statement of
	// applicability; nil in results written before it existed.
	Applicability *Applicability `json:"applicability,omitempty"`
}

// Finding is a rule result as it counts for one control: the assessed
// verdict, and the effective one after exceptions.
//
// Exception is set only when an exception made the finding excepted.
// Deviation names an exception reported beside the finding that leaves its
// verdict as assessed, because the control's framework does not let that
// type hide a failure (a SOC 2 deviation, say); Note says why.
type Finding struct {
	Rule     string          `json:"rule"`
	Element  eval.ElementRef `json:"element"`
	Verdict  eval.Verdict    `json:"verdict"`
	Assessed eval.Verdict    `json:"assessed"`
	// Relationship is the rule's mapping relationship to this control;
	// an intersects-with rule never makes a control satisfied.
	Relationship string `json:"relationship,omitempty"`
	Exception    string `json:"exception,omitempty"`
	Deviation    string `json:"deviation,omitempty"`
	Note         string `json:"note,omitempty"`
}

// RuleInfo describes a rule used in the run.
type RuleInfo struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Severity     string   `json:"severity,omitempty"`
	Controls     []string `json:"controls"`
	Informative  []string `json:"informative,omitempty"`
	Capabilities []string `json:"capabilities"`
	Element      string   `json:"element"`
	Remediation  string   `json:"remediation,omitempty"`
	ManualSteps  []string `json:"manual_steps,omitempty"`
	// Procedure is what auditpack tested, generated from the rule's
	// definition; AuditorSteps what an auditor must still do for the rest
	// of the requirement. Both are missing from results written before
	// they existed.
	Procedure    []string `json:"procedure,omitempty"`
	AuditorSteps []string `json:"auditor_steps,omitempty"`
	File         string   `json:"file"`
}

// EvidenceInfo is the verified evidence bundle.
type EvidenceInfo struct {
	Manifest   string             `json:"manifest,omitempty"`
	Items      []EvidenceItem     `json:"items"`
	Undeclared []string           `json:"undeclared"`
	Problems   []evidence.Problem `json:"problems"`
}

// EvidenceItem is one manifest item with its verification outcome.
// DatedOn is the day the item speaks for, from which its age counts: its
// file's own date where one is read, never after the end of Effective, the
// period it speaks for as its manifest entry gives it.
type EvidenceItem struct {
	ID          string                `json:"id"`
	Title       string                `json:"title"`
	Kind        string                `json:"kind"`
	Collector   string                `json:"collector,omitempty"`
	Owner       string                `json:"owner,omitempty"`
	CollectedAt string                `json:"collected_at"`
	AgeDays     int                   `json:"age_days"`
	ExpiresOn   string                `json:"expires_on,omitempty"`
	DatedOn     string                `json:"dated_on,omitempty"`
	Effective   *EffectivePeriod      `json:"effective,omitempty"`
	Files       []evidence.FileStatus `json:"files"`
	Supports    []evidence.Support    `json:"supports"`
	Status      string                `json:"status"`
	Problems    []evidence.Problem    `json:"problems"`
	UsedBy      []string              `json:"used_by"`
	// Reads holds what each of the item's files says as auditpack read
	// it (its format, its tool, each fact with where in the file it came
	// from), in file order; a file no format recognises has no read.
	// Facts are the item's facts, read and stated merged, each with its
	// source: a reader tells "read from the file" from "stated, not read"
	// by it. Targets are the hosts, images or resources its files say
	// they covered.
	Reads   []evidence.FileRead `json:"reads"`
	Facts   []evidence.ItemFact `json:"facts"`
	Targets []string            `json:"targets"`
	// SupersededBy lists where a newer item decided in this one's place,
	// as "NEWER for RULE ELEMENT (REQUIREMENT)", sorted.
	SupersededBy []string `json:"superseded_by"`
}

// EffectivePeriod is the period an evidence item speaks for, as its
// manifest entry gives it; either end may be missing.
type EffectivePeriod struct {
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
}

// ExceptionInfo is an exception with its status at the as-of date.
//
// Effects says, for each selected framework whose controls it names (through
// its control or its rule), what its type does there while it is active:
// excepted, reported beside the finding, or refused, with why. AppliedTo
// lists the findings it made excepted; ReportedOn those it is reported
// beside without changing their verdict.
type ExceptionInfo struct {
	ID                   string   `json:"id"`
	Type                 string   `json:"type"`
	Control              string   `json:"control,omitempty"`
	Rule                 string   `json:"rule,omitempty"`
	Element              string   `json:"element,omitempty"`
	Justification        string   `json:"justification"`
	Approver             string   `json:"approver"`
	ApprovedOn           string   `json:"approved_on"`
	ExpiresOn            string   `json:"expires_on"`
	Ticket               string   `json:"ticket,omitempty"`
	Status               string   `json:"status"`
	CompensatingEvidence []string `json:"compensating_evidence"`
	EvidenceProblems     []string `json:"evidence_problems"`
	AppliedTo            []string `json:"applied_to"`

	Worksheet  *exception.Worksheet  `json:"worksheet,omitempty"`
	Customized *exception.Customized `json:"customized_approach,omitempty"`
	Effects    []ExceptionEffect     `json:"effects,omitempty"`
	ReportedOn []string              `json:"reported_on,omitempty"`
}

// ExceptionEffect is what an exception's type does in one framework.
type ExceptionEffect struct {
	Framework string           `json:"framework"` // framework id, "pci-dss"
	Effect    exception.Effect `json:"effect"`
	Reason    string           `json:"reason,omitempty"` // why the findings keep their assessed verdict
}

// ModelInfo is the model as evaluated (after the overlay), with derived
// crossings, so reports never recompute them.
type ModelInfo struct {
	Title       string             `json:"title"`
	Source      model.Source       `json:"source"`
	Zones       []model.Zone       `json:"zones"`
	Components  []model.Component  `json:"components"`
	Flows       []FlowInfo         `json:"flows"`
	DataAssets  []model.DataAsset  `json:"data_assets"`
	Threats     []model.Threat     `json:"threats"`
	Mitigations []model.Mitigation `json:"mitigations"`
}

// FlowInfo is a flow with the boundaries it crosses.
type FlowInfo struct {
	model.Flow
	Crossing        model.Crossing `json:"crossing"`
	Classifications []string       `json:"classifications"`
}

// Warning is something the run could not use, with where it came from.
type Warning struct {
	Source  string `json:"source"`
	Message string `json:"message"`
}
