// Package diff compares two [audit.Results] and says what changed between
// them: controls whose verdict moved (regressions first), elements that
// entered or left the scope of rules, evidence that went stale or changed,
// exceptions that expired, were added or removed, and rule set or catalog
// versions that changed.
//
// A quarterly review needs exactly this list, and a pull request that makes
// a control worse should fail its build; both read it from here so that the
// text, JSON and Markdown renderings can never disagree.
//
// The package is pure: it never reads files or the clock, and the same two
// results always give the same [Changes], in the same order.
package diff

import (
	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// SchemaVersion is the value of a serialised [Changes]' schema_version.
const SchemaVersion = "auditpack/diff/v1"

// Changes is everything that differs between an old and a new result.
// Every list is sorted deterministically and is never nil, so that the JSON
// form always has the same shape.
type Changes struct {
	SchemaVersion string            `json:"schema_version"`
	Old           Side              `json:"old"`
	New           Side              `json:"new"`
	Summary       Summary           `json:"summary"`
	Controls      []ControlChange   `json:"controls"`
	Scope         []ScopeChange     `json:"scope"`
	Evidence      []EvidenceChange  `json:"evidence"`
	Exceptions    []ExceptionChange `json:"exceptions"`
	Versions      []VersionChange   `json:"versions"`
	// Requests are the old results' evidence requests answered, still
	// open, and the new ones; nil when either results predate requests.
	Requests *RequestChanges `json:"requests,omitempty"`
}

// Side identifies one of the two results compared.
type Side struct {
	Organisation string `json:"organisation"`
	System       string `json:"system"`
	AsOf         string `json:"as_of"`
	PeriodStart  string `json:"period_start,omitempty"`
	PeriodEnd    string `json:"period_end,omitempty"`
	Model        string `json:"model"`
	ModelSHA256  string `json:"model_sha256,omitempty"`
}

// Summary counts the changes by kind.
type Summary struct {
	Regressions     int `json:"regressions"`
	Improvements    int `json:"improvements"`
	ControlsAdded   int `json:"controls_added"`
	ControlsRemoved int `json:"controls_removed"`
	Scope           int `json:"scope"`
	Evidence        int `json:"evidence"`
	Exceptions      int `json:"exceptions"`
	Versions        int `json:"versions"`
}

// Directions of a control change.
const (
	Regression  = "regression"  // the verdict got worse in the roll-up order
	Improvement = "improvement" // the verdict got better
	Added       = "added"       // the control is new (a framework or catalog version was added)
	Removed     = "removed"     // the control is gone
)

// ControlChange is a control whose verdict changed. Delta is how many steps
// the verdict moved in the roll-up order, positive when it got worse.
type ControlChange struct {
	Framework string          `json:"framework"`
	ID        string          `json:"id"`
	Ref       string          `json:"ref"`
	Name      string          `json:"name"`
	From      eval.Verdict    `json:"from,omitempty"`
	To        eval.Verdict    `json:"to,omitempty"`
	Direction string          `json:"direction"`
	Delta     int             `json:"delta"`
	Reason    string          `json:"reason"`
	Findings  []FindingChange `json:"findings"`
}

// FindingChange is one (rule, element) result of a control whose effective
// verdict changed; an empty From or To means it appeared or disappeared.
type FindingChange struct {
	Rule      string          `json:"rule"`
	Element   eval.ElementRef `json:"element"`
	From      eval.Verdict    `json:"from,omitempty"`
	To        eval.Verdict    `json:"to,omitempty"`
	Exception string          `json:"exception,omitempty"`
}

// Kinds of scope change.
const (
	ScopeAdded   = "added"   // the element is new in the model and in scope of rules
	ScopeRemoved = "removed" // the element, in scope before, is gone from the model
	ScopeChanged = "changed" // the element is in both models, in scope of other rules
)

// ScopeChange is an element that entered or left the scope of rules, with
// the rules it brought into scope and the rules it took out.
type ScopeChange struct {
	Element      eval.ElementRef `json:"element"`
	Change       string          `json:"change"`
	RulesAdded   []string        `json:"rules_added"`
	RulesRemoved []string        `json:"rules_removed"`
}

// Kinds of evidence change.
const (
	EvidenceStale       = "stale"        // was ok, now stale, too old for a rule or outside the audit period
	EvidenceInvalid     = "invalid"      // was ok, now missing, damaged or unreadable
	EvidenceHashChanged = "hash-changed" // the same file of the same item has another SHA-256
	EvidenceAdded       = "added"        // the item is new in the bundle
	EvidenceRemoved     = "removed"      // the item is gone from the bundle
)

// EvidenceChange is an evidence item that changed. File, OldSHA256 and
// NewSHA256 are set for hash changes; From and To are item statuses.
type EvidenceChange struct {
	Item      string   `json:"item"`
	Title     string   `json:"title"`
	Change    string   `json:"change"`
	From      string   `json:"from,omitempty"`
	To        string   `json:"to,omitempty"`
	File      string   `json:"file,omitempty"`
	OldSHA256 string   `json:"old_sha256,omitempty"`
	NewSHA256 string   `json:"new_sha256,omitempty"`
	Message   string   `json:"message,omitempty"`
	UsedBy    []string `json:"used_by"`
}

// Kinds of exception change.
const (
	ExceptionExpired = "expired" // active before, expired now: it no longer applies
	ExceptionAdded   = "added"
	ExceptionRemoved = "removed"
	ExceptionStatus  = "status" // any other status change, such as pending to active
)

// ExceptionChange is an exception that appeared, disappeared or changed
// status.
type ExceptionChange struct {
	ID        string `json:"id"`
	Change    string `json:"change"`
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Control   string `json:"control,omitempty"`
	Rule      string `json:"rule,omitempty"`
	Element   string `json:"element,omitempty"`
	ExpiresOn string `json:"expires_on"`
}

// Kinds of versioned input.
const (
	KindTool      = "tool"
	KindRuleSet   = "rule-set"
	KindFramework = "framework"
)

// VersionChange is a tool, rule set or framework catalog whose version
// changed, or that was added (From empty) or removed (To empty).
type VersionChange struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Compare returns what changed from old to new. It never changes either.
func Compare(old, new *audit.Results) *Changes {
	c := &Changes{
		SchemaVersion: SchemaVersion,
		Old:           sideOf(old),
		New:           sideOf(new),
		Controls:      controlChanges(old, new),
		Scope:         scopeChanges(old, new),
		Evidence:      evidenceChanges(old, new),
		Exceptions:    exceptionChanges(old, new),
		Versions:      versionChanges(old, new),
		Requests:      requestChanges(old, new),
	}
	for _, cc := range c.Controls {
		switch cc.Direction {
		case Regression:
			c.Summary.Regressions++
		case Improvement:
			c.Summary.Improvements++
		case Added:
			c.Summary.ControlsAdded++
		case Removed:
			c.Summary.ControlsRemoved++
		}
	}
	c.Summary.Scope = len(c.Scope)
	c.Summary.Evidence = len(c.Evidence)
	c.Summary.Exceptions = len(c.Exceptions)
	c.Summary.Versions = len(c.Versions)
	return c
}

// Regressed reports whether any control got worse.
func (c *Changes) Regressed() bool { return c.Summary.Regressions > 0 }

// Empty reports whether nothing changed.
func (c *Changes) Empty() bool {
	n := len(c.Controls) + len(c.Scope) + len(c.Evidence) + len(c.Exceptions) + len(c.Versions)
	if c.Requests != nil {
		n += len(c.Requests.Answered) + len(c.Requests.New)
	}
	return n == 0
}

func sideOf(r *audit.Results) Side {
	return Side{Organisation: r.Project.Organisation, System: r.Project.System, AsOf: r.Project.AsOf,
		PeriodStart: r.Project.PeriodStart, PeriodEnd: r.Project.PeriodEnd,
		Model: r.Model.Title, ModelSHA256: r.Model.Source.SHA256}
}
