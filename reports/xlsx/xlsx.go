package xlsx

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/xuri/excelize/v2"
)

// Options are the facts about the package that the results do not hold:
// the workbook names the package it belongs to and who signs it, so that a
// copy that travels alone still says where it came from.
type Options struct {
	// View is the view of the results every output shows (see package
	// view); nil builds it from the results.
	View *view.View
	// PackageID identifies the audit package the workbook belongs to.
	PackageID string
	// Signer describes who signs the package (subject and fingerprint of
	// the signing certificate, say).
	Signer string
	// Demo marks a package signed with a throwaway key; the Summary sheet
	// then says, in red, that it proves nothing.
	Demo bool
	// Changes, when set, adds the sheet SheetChanges after the Summary,
	// one row per change since the previous package. Nil leaves the
	// workbook byte for byte as it is without.
	Changes *diff.Changes
	// PreviousPackageID names the package Changes counts from.
	PreviousPackageID string
}

// Sheet names, in workbook order. Tests and readers rely on them.
const (
	SheetSummary    = "Summary"
	SheetChanges    = "Changes" // only with Options.Changes, right after Summary
	SheetControls   = "Controls"
	SheetFindings   = "Findings"
	SheetEvidence   = "Evidence"
	SheetRequests   = "Evidence requests"
	SheetExceptions = "Exceptions"
	SheetSamples    = "Samples"
	SheetThreats    = "Threats"
	SheetMitigation = "Mitigations"
	SheetComponents = "Components"
	SheetFlows      = "Flows"
	SheetZones      = "Zones"
	SheetInputs     = "Inputs"
)

// Sheets lists every sheet in workbook order, so a reader can check that
// none is missing. A workbook rendered with changes also has SheetChanges,
// second.
var Sheets = []string{SheetSummary, SheetControls, SheetApplicability, SheetFindings, SheetEvidence, SheetRequests, SheetExceptions, SheetSamples,
	SheetThreats, SheetMitigation, SheetComponents, SheetFlows, SheetZones, SheetInputs, SheetProcedures}

// Conclusions are the values the auditor may pick in the "Auditor
// conclusion" column. The list is fixed here and never built from input.
var Conclusions = []string{"Agree", "Disagree", "Needs follow-up", "Not tested"}

// workbook is one rendering in progress.
type workbook struct {
	f    *excelize.File
	st   *styles
	r    *audit.Results
	v    *view.View // the counts and states every output shows
	opts Options
	// byFinding finds the rule result behind a control's finding.
	byFinding map[findingKey]*eval.Result
	// names gives the display name of a model element by id, and
	// mitigationTitles the title of a mitigation.
	names, mitigationTitles map[string]string
}

// Render writes r as an XLSX workbook to w. It reads r and never changes
// it; the same r and opts always give the same bytes.
func Render(w io.Writer, r *audit.Results, opts Options) error {
	if r == nil {
		return errors.New("render workbook: no results")
	}
	asOf, err := time.Parse(time.DateOnly, r.Project.AsOf)
	if err != nil {
		return fmt.Errorf("render workbook: results have no usable as-of date: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newSortedZip(w, asOf) })
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("render workbook: %w", err)
	}
	wb := &workbook{f: f, st: st, r: r, v: view.OrOf(opts.View, r), opts: opts, byFinding: map[findingKey]*eval.Result{}, names: elementNames(r),
		mitigationTitles: map[string]string{}}
	for _, m := range r.Model.Mitigations {
		wb.mitigationTitles[m.ID] = m.Title
	}
	for i := range r.RuleResults {
		rr := &r.RuleResults[i]
		wb.byFinding[findingKey{rr.Rule, rr.Element.ID}] = rr
	}
	sheets := []struct {
		name   string
		render func() error
	}{
		{SheetSummary, wb.summary}, {SheetControls, wb.controls}, {SheetApplicability, wb.applicability}, {SheetFindings, wb.findings},
		{SheetEvidence, wb.evidence}, {SheetRequests, wb.requests}, {SheetExceptions, wb.exceptions}, {SheetSamples, wb.samples}, {SheetThreats, wb.threats},
		{SheetMitigation, wb.mitigations}, {SheetComponents, wb.components}, {SheetFlows, wb.flows},
		{SheetZones, wb.zones}, {SheetInputs, wb.inputs}, {SheetProcedures, wb.procedures},
	}
	if opts.Changes != nil {
		sheets = slices.Insert(sheets, 1, struct {
			name   string
			render func() error
		}{SheetChanges, wb.changes})
	}
	for _, s := range sheets {
		if err := s.render(); err != nil {
			return fmt.Errorf("render workbook: sheet %s: %w", s.name, err)
		}
	}
	if err := wb.properties(asOf); err != nil {
		return fmt.Errorf("render workbook: %w", err)
	}
	// Summary, the first sheet, is already the active one. SetActiveSheet
	// would parse every streamed sheet back into memory.
	if err := f.Write(w); err != nil {
		return fmt.Errorf("render workbook: write: %w", err)
	}
	return nil
}

// properties replaces excelize's default document properties (creator
// "xuri", dates of 2006) with ours, dated at the as-of date so that they
// never depend on when the workbook was rendered.
func (wb *workbook) properties(asOf time.Time) error {
	stamp := asOf.UTC().Format(time.RFC3339)
	err := wb.f.SetDocProps(&excelize.DocProperties{
		Title:          "Audit workbook",
		Subject:        "Controls, findings, evidence and exceptions of an audit package",
		Creator:        "auditpack",
		LastModifiedBy: "auditpack",
		Identifier:     clean(wb.opts.PackageID),
		Created:        stamp,
		Modified:       stamp,
		Description:    "Rendered from results.json (" + clean(wb.r.SchemaVersion) + "); the signed package manifest is authoritative.",
	})
	if err != nil {
		return fmt.Errorf("set document properties: %w", err)
	}
	if err := wb.f.SetAppProps(&excelize.AppProperties{Application: "auditpack"}); err != nil {
		return fmt.Errorf("set application properties: %w", err)
	}
	return nil
}

// findingKey names a rule result by its rule and element; a pair of the
// results' own strings, so that indexing builds no new key strings.
type findingKey struct{ rule, element string }

// elementNames maps every model element id to its display name.
func elementNames(r *audit.Results) map[string]string {
	m := r.Model
	names := map[string]string{}
	for _, z := range m.Zones {
		names[z.ID] = z.Name
	}
	for _, c := range m.Components {
		names[c.ID] = c.Name
	}
	for _, f := range m.Flows {
		names[f.ID] = f.Name
	}
	return names
}

// named shows ids with their names, one per line: "id (name)".
func (wb *workbook) named(ids []string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n := wb.names[id]; n != "" && n != id {
			out = append(out, id+" ("+n+")")
		} else {
			out = append(out, id)
		}
	}
	return lines(out)
}
