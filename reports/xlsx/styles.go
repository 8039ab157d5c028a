package xlsx

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/xuri/excelize/v2"
)

// verdictColour is the fill and font of one verdict. The same pair colours
// the verdict everywhere it appears and in the legend on the Summary sheet,
// so a colour always means one verdict.
type verdictColour struct {
	verdict eval.Verdict
	fill    string
	font    string
	meaning string
}

// palette lists the verdicts in roll-up order (worst first) with their
// colours and the meaning printed in the legend.
var palette = []verdictColour{
	{eval.NotSatisfied, "FFC7CE", "9C0006", "the required capability is missing, not implemented, or the evidence contradicts it"},
	{eval.NeedsEvidence, "FFE0B2", "7A3E00", "the capability is claimed, but its evidence is missing, stale, outside the audit period or fails its hash"},
	{eval.Excepted, "E1D5F0", "4B2A73", "not satisfied, but covered by an unexpired, approved exception; never counted as satisfied"},
	{eval.Manual, "DDEBF7", "1F4E79", "no automated rule, a scope to confirm, or manual steps left open: an auditor must judge; not counted as satisfied"},
	{eval.Satisfied, "C6EFCE", "006100", "the capability is present where required and its evidence is present, hash-valid and fresh; with partial coverage, for the technical part only"},
	{eval.NotApplicable, "EDEDED", "505050", "no element is in the rule's scope"},
}

// styles holds the style ids the sheets use.
type styles struct {
	header, text, wrap, num, title, heading, label, note int
	auditor, partial, flag, demo                         int
	// verdict colours verdict cells; verdictHead the same colours as
	// column headers, aligned like the other headers.
	verdict, verdictHead map[eval.Verdict]int
}

func newStyles(f *excelize.File) (*styles, error) {
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	thin := []excelize.Border{{Type: "bottom", Color: "A6A6A6", Style: 1}}
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	st := &styles{verdict: map[eval.Verdict]int{}, verdictHead: map[eval.Verdict]int{}}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: fill("1F3864"),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: thin}},
		{&st.text, excelize.Style{Alignment: top}},
		{&st.wrap, excelize.Style{Alignment: wrapTop}},
		{&st.num, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "right"}}},
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "1F3864"}}},
		{&st.heading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F3864"}, Border: thin}},
		{&st.label, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top}},
		{&st.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "404040"}, Alignment: top}},
		{&st.auditor, excelize.Style{Fill: fill("FFF9DB"), Alignment: wrapTop,
			Border: []excelize.Border{{Type: "left", Color: "D9C76A", Style: 1}}}},
		{&st.partial, excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F6000"}, Alignment: top}},
		{&st.flag, excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"}, Fill: fill("FFC7CE"), Alignment: wrapTop}},
		{&st.demo, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "FFFFFF"}, Fill: fill("C00000")}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return nil, fmt.Errorf("create cell style: %w", err)
		}
		*d.id = id
	}
	for _, p := range palette {
		id, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: p.font}, Fill: fill(p.fill), Alignment: top})
		if err != nil {
			return nil, fmt.Errorf("create style for verdict %s: %w", p.verdict, err)
		}
		st.verdict[p.verdict] = id
		id, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: p.font}, Fill: fill(p.fill),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: thin})
		if err != nil {
			return nil, fmt.Errorf("create header style for verdict %s: %w", p.verdict, err)
		}
		st.verdictHead[p.verdict] = id
	}
	return st, nil
}

// verdictStyle returns the style of a verdict cell; an unknown verdict is
// shown as plain text, uncoloured, rather than borrowing another's colour.
func (st *styles) verdictStyle(v eval.Verdict) int {
	if id, ok := st.verdict[v]; ok {
		return id
	}
	return st.text
}
