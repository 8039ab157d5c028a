// Package oscal renders [audit.Results] as an OSCAL 1.1.3 assessment-results
// document, the form in which assessment tooling and GRC platforms import
// results.
//
// # Mapping
//
//   - metadata: the title names the organisation and system; last-modified
//     and version are the as-of date; oscal-version is 1.1.3.
//   - import-ap: OSCAL requires a link to an assessment plan, and auditpack
//     writes none, so href is a placeholder URN ("urn:uuid:" and a UUID
//     derived from the rule sets and frameworks used), explained in remarks.
//   - results[0]: start is the audit period's start (else the as-of date),
//     end the earlier of the period's end and the as-of date.
//   - reviewed-controls: one control selection per framework listing every
//     assessed control by its OSCAL-style id ([ControlID]).
//   - local-definitions.components: the system itself ("this-system") and
//     every zone, component and flow of the model.
//   - observations: one per (rule, element), method TEST, the element as
//     subject, and each evidence file used as relevant-evidence whose href
//     is the file's path in the package (evidence/...) and whose link
//     points at a back-matter resource holding the file's SHA-256.
//   - findings: one per control, targeting the control's objective
//     ("<control-id>_obj", type objective-id). The state is satisfied for
//     satisfied and not-applicable controls and not-satisfied for every
//     other verdict (excepted and manual are never satisfied); the reason is
//     pass, fail or other, and the six-valued verdict is the target's
//     "verdict" property in auditpack's namespace.
//   - risks: one per open, in-progress or partially mitigated threat of the
//     model that targets an element in scope of a rule.
//
// Every UUID is name-based ([UUID]) and every list follows the results'
// order, so equal results give identical bytes.
package oscal

import (
	"fmt"
	"github.com/auditpack/auditpack/reports/view"
	"io"
	"net/url"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// Version is the OSCAL version written.
const Version = "1.1.3"

// NS is the namespace of auditpack's own property names.
const NS = "urn:auditpack:oscal"

// Render writes r as OSCAL assessment-results JSON: the indented encoding
// of [Build], without HTML escaping, with a final newline. The document is
// streamed, its large arrays element by element (see encode.go); the bytes
// are those of encoding the whole document at once.
func Render(w io.Writer, r *audit.Results) error {
	return encodeDocument(w, r, view.Of(r))
}

// RenderView is [Render] with the view of r already built (see package
// view), so that a package's outputs share one.
func RenderView(w io.Writer, r *audit.Results, v *view.View) error {
	return encodeDocument(w, r, view.OrOf(v, r))
}

// Build returns the assessment-results document of r.
func Build(r *audit.Results) *Document {
	b := newBuilder(r, view.Of(r))
	doc := b.document()
	doc.AssessmentResults.Results[0].Observations = b.observations()
	return doc
}

// document returns the document of the builder's results but for the
// observations, which are most of it and may be made one at a time.
func (b *builder) document() *Document {
	r := b.r
	asOf := stamp(r.Project.AsOf)
	title := text(fmt.Sprintf("auditpack assessment results: %s, %s", r.Project.Organisation, r.Project.System), "auditpack assessment results")
	res := Result{
		UUID:        b.uuid("result"),
		Title:       title,
		Description: fmt.Sprintf("Automated evaluation of %s against the threat model %q as of %s. Rules check the technical part of controls only (partial coverage).", text(r.Project.System, "the system"), r.Model.Title, r.Project.AsOf),
		Start:       asOf,
		End:         asOf,
		Props:       []Prop{{Name: "organisation", NS: NS, Value: text(r.Project.Organisation, "unknown")}},
		LocalDefinitions: &LocalDefinitions{
			Components: b.components(), // before anything refers to the elements
		},
		ReviewedControls: b.reviewedControls(),
	}
	if r.Project.PeriodStart != "" {
		res.Start = stamp(r.Project.PeriodStart)
		if r.Project.PeriodEnd != "" && r.Project.PeriodEnd < r.Project.AsOf {
			res.End = stamp(r.Project.PeriodEnd)
		}
	}
	res.Risks = b.risks()
	res.Findings = b.findings()
	doc := &Document{AssessmentResults: AssessmentResults{
		UUID: b.uuid("assessment-results"),
		Metadata: Metadata{Title: title, LastModified: asOf, Version: text(r.Project.AsOf, "unversioned"), OSCALVersion: Version,
			Props: []Prop{{Name: "tool", NS: NS, Value: text(r.Tool.Name+" "+r.Tool.Version, "auditpack")},
				{Name: "results-schema", NS: NS, Value: text(r.SchemaVersion, "unknown")}}},
		ImportAP: ImportAP{Href: "urn:uuid:" + b.planUUID(),
			Remarks: "auditpack writes no OSCAL assessment plan; the plan is its mapping rules, named in the results' rule_sets. This placeholder only satisfies the schema, which requires import-ap."},
		Results: []Result{res},
	}}
	if rs := b.resources(); len(rs) > 0 {
		doc.AssessmentResults.BackMatter = &BackMatter{Resources: rs}
	}
	return doc
}

// stamp turns a YYYY-MM-DD date into an OSCAL date-time at midnight UTC.
func stamp(day string) string { return day + "T00:00:00Z" }

// href is the package path of an evidence file as a URI reference.
func href(file string) string {
	parts := strings.Split("evidence/"+file, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// status maps a six-valued verdict onto OSCAL's two states and its reason.
func status(v eval.Verdict) (state, reason string) {
	switch v {
	case eval.Satisfied:
		return "satisfied", "pass"
	case eval.NotApplicable:
		return "satisfied", "other"
	case eval.NotSatisfied, eval.NeedsEvidence:
		return "not-satisfied", "fail"
	}
	return "not-satisfied", "other"
}
