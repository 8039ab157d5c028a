package xlsx

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/xuri/excelize/v2"
)

// summaryCols is the width of the Summary sheet: the counts table uses
// every column (framework, the nine parts of the counts, total and three
// coverage columns), and notes are merged across all of them.
const summaryCols = 14

// summaryNoteChars is roughly how many characters fit on one line of a
// note merged across the sheet; row heights are set from it, because
// spreadsheets do not grow merged rows to fit wrapped text.
const summaryNoteChars = 150

// Notes printed on the Summary sheet. They are ours, never input text.
const (
	notePartial = "Partial coverage: automated rules check only the technical part of a control, as the threat model shows it. " +
		"A satisfied control with partial coverage still needs the auditor's judgement on the rest: auditpack never claims a full " +
		"PCI DSS or SOC 2 verdict from a threat model alone."
	noteParts = "Satisfied controls are counted as technical part satisfied or satisfied in full, and manual ones by what the auditor must do: " +
		"confirm a scope, judge a control no automated rule covers, or judge what the rules leave open; the counts left of Total add up to it."
	noteNotSatisfied = "Excepted and manual controls are not satisfied and are never counted as satisfied. A control takes the worst verdict " +
		"of its findings, in the order of the legend below."
	noteControls = "Controls: one row per control. The yellow columns are for the auditor: pick a conclusion from the list, " +
		"add a comment and the reference of any sample tested."
	noteFindings = "Findings: one row per rule and model element for each control, with the mitigations and evidence the verdict rests on. " +
		"Evidence, Exceptions, Threats, Mitigations, Components, Flows and Zones hold what the findings refer to; Inputs lists every input with its SHA-256."
	noteIntegrity = "Integrity: this workbook is listed with its SHA-256 in the package's SHA256SUMS, which is signed; the signed manifest is " +
		"authoritative. Any edit changes the workbook's hash, so keep an annotated copy apart from the signed package."
	noteValues = "Every cell holds a value, never a formula or a link; text from the threat model, evidence manifest and exceptions is shown as written."
	noteDemo   = "DEMO PACKAGE: signed with a throwaway key. It shows what auditpack produces and proves nothing about any system."
)

// summary is the cover sheet: who, what, when, which package, the counts
// per framework and verdict, the verdict legend and how to use the rest.
func (wb *workbook) summary() error {
	f, st, r := wb.f, wb.st, wb.r
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("name the first sheet: %w", err)
	}
	if err := pageSetup(f, SheetSummary); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetSummary)
	if err != nil {
		return fmt.Errorf("stream sheet: %w", err)
	}
	cols := make([]column, summaryCols)
	cols[0].width = 26
	for i := 1; i < summaryCols; i++ {
		cols[i].width = 13
	}
	if err := setWidths(sw, cols); err != nil {
		return err
	}
	s := &summarySheet{sw: sw, st: st}
	s.row(excelize.RowOpts{Height: 26}, excelize.Cell{StyleID: st.title, Value: "Audit workbook"})
	if wb.opts.Demo {
		s.merged(st.demo, noteDemo)
	}
	s.blank()
	p := r.Project
	period := "not set"
	if p.PeriodStart != "" || p.PeriodEnd != "" {
		period = orDash(p.PeriodStart) + " to " + orDash(p.PeriodEnd)
	}
	src := r.Model.Source
	for _, kv := range [][2]string{
		{"Organisation", p.Organisation},
		{"System", p.System},
		{"Audit period", period},
		{"As of", p.AsOf},
		{"Package", wb.opts.PackageID},
		{"Signer", wb.opts.Signer},
		{"Threat model", modelLine(r.Model.Title, nonEmpty(src.Format, src.File))},
		{"Produced by", r.Tool.Name + " " + r.Tool.Version},
		{"Results schema", r.SchemaVersion},
	} {
		s.pair(kv[0], kv[1])
	}
	s.blank()
	s.heading("Controls by framework and verdict")
	wb.counts(s)
	s.note(noteParts)
	s.note(notePartial)
	s.note(noteNotSatisfied)
	s.blank()
	s.heading("Verdict legend")
	for _, p := range palette {
		s.mergedFrom(2, excelize.Cell{StyleID: st.verdict[p.verdict], Value: string(p.verdict)}, st.text, p.meaning)
	}
	s.blank()
	s.heading("Evidence and exceptions")
	s.pair("Evidence items", wb.evidenceSummary())
	s.pair("Exceptions", exceptionSummary(wb.v.ExceptionStates))
	notes := []string{noteControls, noteFindings, noteIntegrity, noteValues}
	if c := wb.opts.Changes; c != nil {
		s.blank()
		s.heading("Changes since the previous package")
		s.pair("Previous package", orDash(wb.opts.PreviousPackageID))
		s.pair("Previous as of", orDash(c.Old.AsOf))
		s.pair("Changes", changesSummary(c))
		notes = slices.Insert(notes, 0, noteChanges)
	}
	s.blank()
	s.heading("Using this workbook")
	for _, n := range notes {
		s.note(n)
	}
	if len(r.Warnings) > 0 {
		s.blank()
		s.heading("Warnings from the run")
		for _, w := range r.Warnings {
			s.pair(w.Source, w.Message)
		}
	}
	if s.err != nil {
		return s.err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("finish sheet: %w", err)
	}
	return nil
}

// countsHeight fits three lines of a counts column title.
const countsHeight = 46

// counts writes the counts per framework, satisfied and manual split into
// their parts, with how many controls automated rules cover partly, fully
// or not at all.
func (wb *workbook) counts(s *summarySheet) {
	st := wb.st
	header := []any{excelize.Cell{StyleID: st.header, Value: "Framework"}}
	for _, p := range view.Parts() {
		header = append(header, excelize.Cell{StyleID: st.verdictHead[p.Verdict], Value: p.Label})
	}
	for _, h := range []string{"Total", "Coverage: partial", "Coverage: full", "Coverage: none"} {
		header = append(header, excelize.Cell{StyleID: st.header, Value: h})
	}
	s.row(excelize.RowOpts{Height: countsHeight}, header...)
	for _, fw := range wb.v.Frameworks {
		s.row(excelize.RowOpts{}, countRow(st, clean(fw.Info.Ref), fw.Counts, fw.Coverage)...)
	}
	s.row(excelize.RowOpts{}, countRow(st, "All frameworks", wb.v.Summary, wb.v.Coverage)...)
}

func countRow(st *styles, label string, c audit.Counts, cov view.Coverage) []any {
	row := []any{excelize.Cell{StyleID: st.label, Value: label}}
	for _, p := range view.Parts() {
		row = append(row, excelize.Cell{StyleID: st.num, Value: p.Of(c)})
	}
	row = append(row, excelize.Cell{StyleID: st.num, Value: c.Total})
	for _, n := range []int{cov.Partial, cov.Full, cov.None} {
		row = append(row, excelize.Cell{StyleID: st.num, Value: n})
	}
	return row
}

func (wb *workbook) evidenceSummary() string {
	n := wb.v.Evidence
	return fmt.Sprintf("%d in %s; %d with problems; %d undeclared file(s)", n.Items, orDash(wb.r.Evidence.Manifest), n.WithProblems, n.Undeclared)
}

// exceptionSummary says how many exceptions there are in each state.
func exceptionSummary(states []view.StateCount) string {
	total := 0
	parts := make([]string, 0, len(states))
	for _, s := range states {
		total += s.N
		parts = append(parts, strconv.Itoa(s.N)+" "+orDash(s.Status))
	}
	if len(parts) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d (%s); an expired exception is not an exception", total, strings.Join(parts, ", "))
}

// modelLine names the model and where it came from, or says there is none.
func modelLine(title string, source []string) string {
	if len(source) > 0 {
		title = strings.TrimSpace(title + " (" + strings.Join(source, ", ") + ")")
	}
	return orDash(title)
}

func nonEmpty(list ...string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// summarySheet writes the free-form Summary rows and keeps the first error.
type summarySheet struct {
	sw  *excelize.StreamWriter
	st  *styles
	n   int
	err error
}

func (s *summarySheet) row(opts excelize.RowOpts, cells ...any) {
	if s.err != nil {
		return
	}
	s.n++
	cell, _ := excelize.CoordinatesToCellName(1, s.n)
	if err := s.sw.SetRow(cell, cells, opts); err != nil {
		s.err = fmt.Errorf("write row %d: %w", s.n, err)
	}
}

func (s *summarySheet) blank() { s.n++ }

func (s *summarySheet) heading(text string) {
	s.row(excelize.RowOpts{Height: 20}, excelize.Cell{StyleID: s.st.heading, Value: text})
}

// pair writes a label and a value; the value is hostile text and is merged
// across the sheet so that long values wrap instead of running off the page.
func (s *summarySheet) pair(label, value string) {
	s.mergedFrom(2, excelize.Cell{StyleID: s.st.label, Value: clean(label)}, s.st.wrap, clean(value))
}

func (s *summarySheet) note(text string) { s.merged(s.st.wrap, text) }

// merged writes text across the whole width.
func (s *summarySheet) merged(style int, text string) { s.mergedFrom(1, nil, style, text) }

// mergedFrom writes an optional first cell, then text merged from column
// col to the last column, with a height that fits the wrapped text.
func (s *summarySheet) mergedFrom(col int, first any, style int, text string) {
	cells := make([]any, col)
	cells[0] = first
	cells[col-1] = excelize.Cell{StyleID: style, Value: text}
	chars := summaryNoteChars * (summaryCols - col + 1) / summaryCols
	height := 15 * float64(1+len([]rune(text))/chars+strings.Count(text, "\n"))
	s.row(excelize.RowOpts{Height: height}, cells...)
	if s.err != nil || col == summaryCols {
		return
	}
	a, _ := excelize.CoordinatesToCellName(col, s.n)
	b, _ := excelize.CoordinatesToCellName(summaryCols, s.n)
	if err := s.sw.MergeCell(a, b); err != nil {
		s.err = fmt.Errorf("merge %s:%s: %w", a, b, err)
	}
}
