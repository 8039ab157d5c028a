// Package exception reads exceptions (compensating controls, customized
// approaches, risk acceptances and deviations): a control or rule
// (optionally narrowed to one element), why, who approved it and when, when
// it expires, and the evidence and worksheet of a compensating control.
//
// An expired exception is not an exception: [Exception.StatusAt] says so, and
// evaluation reports the underlying verdict with the expiry as a reason.
//
// # Frameworks
//
// Frameworks do not know the same exceptions. [PolicyFor] holds, in one
// table, which types each framework accepts and whether an accepted one
// hides the failure (the finding becomes excepted) or is only reported
// beside it. PCI DSS has no risk acceptance, and SOC 2 never hides a
// failure. [Parse] refuses an exception whose control's framework refuses
// its type; one that names only a rule is judged per control at roll-up,
// with [Exception.Judge].
package exception

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// SchemaVersion is the "schema" value of an exceptions file.
const SchemaVersion = "auditpack/exceptions/v1"

//go:embed exceptions.schema.json
var schemaJSON []byte

var compiled = sync.OnceValue(func() *jsonschema.Schema {
	return schemadoc.MustCompile("auditpack-exceptions.schema.json", schemaJSON)
})

// Schema returns the published JSON Schema of exceptions files.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Exception is one approved deviation.
type Exception struct {
	ID                   string   `json:"id"`
	Type                 string   `json:"type"`
	Control              string   `json:"control,omitempty"`
	Rule                 string   `json:"rule,omitempty"`
	Element              string   `json:"element,omitempty"`
	Justification        string   `json:"justification"`
	Approver             string   `json:"approver"`
	ApprovedOn           string   `json:"approved_on"`
	ExpiresOn            string   `json:"expires_on"`
	CompensatingEvidence []string `json:"compensating_evidence,omitempty"`
	Ticket               string   `json:"ticket,omitempty"`
	// Worksheet documents a compensating control; PCI DSS requires it.
	Worksheet *Worksheet `json:"worksheet,omitempty"`
	// Customized documents a PCI DSS customized approach.
	Customized *Customized `json:"customized_approach,omitempty"`
	// Pointer locates the exception in its file.
	Pointer string `json:"-"`

	approved, expires, validated time.Time
}

// Worksheet is the compensating control worksheet: why the control cannot
// be met as stated, what stands in for it, and how that is known to work.
type Worksheet struct {
	Constraints    string `json:"constraints,omitempty"`     // what prevents meeting the control as stated
	Objective      string `json:"objective,omitempty"`       // the control's objective, and how the compensating control meets it
	IdentifiedRisk string `json:"identified_risk,omitempty"` // the added risk of not meeting the control as stated
	Definition     string `json:"definition,omitempty"`      // the compensating control(s)
	Validation     string `json:"validation,omitempty"`      // how the compensating control was tested
	Maintenance    string `json:"maintenance,omitempty"`     // how it is kept in place
	ValidatedOn    string `json:"validated_on,omitempty"`    // the date of its last validation
}

// Missing names the worksheet fields that are empty, in the worksheet's
// order; every field when there is no worksheet. The validation date is not
// among them: without it the compensating control is not applied, see
// [Exception.Judge].
func (w *Worksheet) Missing() []string {
	if w == nil {
		w = &Worksheet{}
	}
	var out []string
	for _, f := range []struct{ name, value string }{
		{"constraints", w.Constraints}, {"objective", w.Objective}, {"identified_risk", w.IdentifiedRisk},
		{"definition", w.Definition}, {"validation", w.Validation}, {"maintenance", w.Maintenance},
	} {
		if Blank(f.value) {
			out = append(out, f.name)
		}
	}
	return out
}

// Customized references the documents of a customized approach: evidence
// ids or document references.
type Customized struct {
	ControlsMatrix       string `json:"controls_matrix,omitempty"`
	TargetedRiskAnalysis string `json:"targeted_risk_analysis,omitempty"`
	ValidatedOn          string `json:"validated_on,omitempty"`
}

// File is a parsed exceptions file.
type File struct {
	Schema     string      `json:"schema"`
	Exceptions []Exception `json:"exceptions"`
	Name       string      `json:"-"`
}

// Limits bound an exceptions file (see [schemadoc.Limits]): the x100
// synthetic project's holds about 350 values, and 100,000 is room for
// thousands of exceptions.
var Limits = schemadoc.Limits{Size: 16 << 20, Values: 100_000, Depth: 32, String: 64 << 10}

// Statuses of an exception at a given date.
const (
	Active  = "active"
	Expired = "expired"
	Pending = "pending" // approved after the as-of date
)

// Parse decodes and validates an exceptions file: ids unique, dates valid,
// expiry after approval, and each exception as its type and, when it names
// a control, that control's framework require (see [Exception.check]).
func Parse(name string, data []byte) (*File, error) {
	f := &File{Name: name}
	lines, err := schemadoc.DecodeLimited(name, data, Limits, compiled(), f)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range f.Exceptions {
		e := &f.Exceptions[i]
		e.Pointer = fmt.Sprintf("/exceptions/%d", i)
		if seen[e.ID] {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/id", "duplicate exception id %q", e.ID)
		}
		seen[e.ID] = true
		if e.approved, err = time.Parse(time.DateOnly, e.ApprovedOn); err != nil {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/approved_on", "not a valid date: %q", e.ApprovedOn)
		}
		if e.expires, err = time.Parse(time.DateOnly, e.ExpiresOn); err != nil {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/expires_on", "not a valid date: %q", e.ExpiresOn)
		}
		if !e.expires.After(e.approved) {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/expires_on", "expires on %s, not after its approval on %s", e.ExpiresOn, e.ApprovedOn)
		}
		if ptr, msg := e.check(); msg != "" {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+ptr, "exception %s: %s", e.ID, msg)
		}
	}
	return f, nil
}

// check returns where (relative to the exception) and why the exception is
// invalid, or no message. A worksheet belongs to a compensating control and
// the customized approach's references to a customized approach; a
// worksheet that is given must be complete, since half a worksheet
// documents nothing. An exception naming a control must be of a type its
// framework accepts and, for PCI DSS, a compensating control needs its
// worksheet.
//
// An exception naming only a rule is not refused here: the rule may serve
// controls of several frameworks, and the exceptions file every framework a
// project audits, so a type one framework refuses may be right for
// another. Roll-up judges it per control with [Exception.Judge], and a
// control whose framework refuses it keeps its assessed verdict with the
// reason in the finding's note: the weaker verdict, with nothing hidden.
func (e *Exception) check() (pointer, msg string) {
	if Blank(e.Justification) {
		return "/justification", "the justification is blank"
	}
	if Blank(e.Approver) {
		return "/approver", "the approver is blank"
	}
	p := PolicyFor(e.Control)
	if eff, why := p.Effect(e.Type); e.Control != "" && eff == Refuses {
		return "/type", fmt.Sprintf("%s (control %s)", why, e.Control)
	}
	if e.Worksheet != nil && e.Type != CompensatingControl {
		return "/worksheet", fmt.Sprintf("a worksheet documents a compensating control, not a %s", e.Type)
	}
	if e.Customized != nil && e.Type != CustomizedApproach {
		return "/customized_approach", fmt.Sprintf("customized_approach documents a customized approach, not a %s", e.Type)
	}
	if v := e.ValidatedOn(); v != "" {
		var err error
		if e.validated, err = time.Parse(time.DateOnly, v); err != nil {
			return e.validatedPointer(), fmt.Sprintf("not a valid date: %q", v)
		}
	}
	if e.Worksheet != nil {
		if missing := e.Worksheet.Missing(); len(missing) > 0 {
			return "/worksheet/" + missing[0], "the compensating control's worksheet lacks " + missing[0] + " (" + worksheetField[missing[0]] + ")"
		}
	}
	if e.Type == CustomizedApproach {
		c := e.Customized
		switch {
		case c == nil:
			return "/customized_approach", "a customized approach needs customized_approach with its controls_matrix and targeted_risk_analysis"
		case Blank(c.ControlsMatrix):
			return "/customized_approach/controls_matrix", "a customized approach needs its controls matrix"
		case Blank(c.TargetedRiskAnalysis):
			return "/customized_approach/targeted_risk_analysis", "a customized approach needs its targeted risk analysis"
		}
	}
	if e.Control == "" {
		return "", ""
	}
	if p.Worksheet && e.Type == CompensatingControl && e.Worksheet == nil {
		return "/worksheet", fmt.Sprintf("a %s compensating control needs its worksheet (%s)", p.Name, strings.Join(e.Worksheet.Missing(), ", "))
	}
	return "", ""
}

// worksheetField says what each worksheet field holds, for messages.
var worksheetField = map[string]string{
	"constraints":     "what prevents meeting the control as stated",
	"objective":       "the control's objective and how the compensating control meets it",
	"identified_risk": "the added risk of not meeting the control as stated",
	"definition":      "the compensating control itself",
	"validation":      "how the compensating control was tested",
	"maintenance":     "how the compensating control is kept in place",
}

func (e *Exception) validatedPointer() string {
	if e.Type == CustomizedApproach {
		return "/customized_approach/validated_on"
	}
	return "/worksheet/validated_on"
}

// StatusAt returns Active, Expired or Pending at asOf. An exception is valid
// through the whole of its expiry day.
func (e Exception) StatusAt(asOf time.Time) string {
	switch {
	case asOf.Before(e.approved):
		return Pending
	case !asOf.Before(e.expires.AddDate(0, 0, 1)):
		return Expired
	}
	return Active
}

// Covers reports whether the exception is about this control or rule and,
// when it names an element, this element.
func (e Exception) Covers(control, rule, element string) bool {
	if e.Element != "" && e.Element != element {
		return false
	}
	return (e.Control != "" && e.Control == control && (e.Rule == "" || e.Rule == rule)) ||
		(e.Control == "" && e.Rule != "" && e.Rule == rule)
}

// Blank reports whether text says nothing: empty, only spaces, or only
// invisible format characters such as a zero-width space. A worksheet or
// an approval of blank text documents nothing, however it passed the
// schema.
func Blank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.In(r, unicode.Cf) }) == ""
}
