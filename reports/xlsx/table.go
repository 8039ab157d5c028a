package xlsx

import (
	"fmt"
	"strconv"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/xuri/excelize/v2"
)

// kind says how a column's cells look.
type kind int

const (
	plain   kind = iota // short text, top-aligned
	wrapped             // long text, wrapped
	number              // a count, right-aligned
	verdict             // an eval.Verdict, coloured
	auditor             // an empty column the auditor fills in
)

// column is one column of a table sheet.
type column struct {
	title string
	width float64
	kind  kind
}

// styled overrides a cell's column style, to flag one value (an expired
// exception, a failed hash) without a column of its own.
type styled struct {
	value string
	style int
}

// table streams one sheet holding one table: a header row frozen at the
// top, an autofilter over the whole table, fixed column widths, and a
// landscape page that prints one page wide with the header repeated.
type table struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	st   *styles
	name string
	cols []column
	row  int // the last row written
	// cells is the row add writes, reused for every row; values points at
	// each cell, as the stream writer takes them without copying.
	cells  []excelize.Cell
	values []any
}

// headerHeight fits two lines of header text.
const headerHeight = 32

func newTable(f *excelize.File, st *styles, name string, freezeCols int, cols []column) (*table, error) {
	if _, err := f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("add sheet: %w", err)
	}
	if err := pageSetup(f, name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("stream sheet: %w", err)
	}
	topLeft, err := excelize.CoordinatesToCellName(freezeCols+1, 2)
	if err != nil {
		return nil, err
	}
	panes := &excelize.Panes{Freeze: true, XSplit: freezeCols, YSplit: 1, TopLeftCell: topLeft, ActivePane: "bottomLeft"}
	if freezeCols > 0 {
		panes.ActivePane = "bottomRight"
	}
	if err := sw.SetPanes(panes); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}
	if err := setWidths(sw, cols); err != nil {
		return nil, err
	}
	t := &table{f: f, sw: sw, st: st, name: name, cols: cols,
		cells: make([]excelize.Cell, len(cols)), values: make([]any, len(cols))}
	for i := range t.cells {
		t.values[i] = &t.cells[i]
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.title}
	}
	if err := t.write(header, excelize.RowOpts{Height: headerHeight}); err != nil {
		return nil, err
	}
	return t, nil
}

// setWidths sets the column widths from the last column to the first:
// excelize puts each new width before the others, and spreadsheet
// applications expect the columns in ascending order.
func setWidths(sw *excelize.StreamWriter, cols []column) error {
	for i := len(cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, cols[i].width); err != nil {
			return fmt.Errorf("set width of %q: %w", cols[i].title, err)
		}
	}
	return nil
}

// pageSetup prints a sheet landscape, one page wide; it must run before the
// sheet is streamed, because the sheet properties are written first.
func pageSetup(f *excelize.File, name string) error {
	fit, landscape, wide, tall := true, "landscape", 1, 0
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("set sheet properties: %w", err)
	}
	err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
	if err != nil {
		return fmt.Errorf("set page layout: %w", err)
	}
	return nil
}

// add writes one row. Values are strings, ints, verdicts or styled strings;
// strings are cleaned and always stored as text, so ids such as "1.2" and
// text such as "=1+1" stay exactly what they were.
func (t *table) add(values ...any) error {
	if len(values) > len(t.cols) {
		return fmt.Errorf("row %d of %s has %d values for %d columns", t.row+1, t.name, len(values), len(t.cols))
	}
	height := 1
	for i, c := range t.cols {
		var v any
		if i < len(values) {
			v = values[i]
		}
		t.cells[i] = t.cell(c, v)
		if text, ok := t.cells[i].Value.(string); ok && c.kind != plain && c.kind != verdict {
			height = max(height, wrappedLines(text, c.width))
		}
	}
	if height == 1 {
		return t.write(t.values)
	}
	return t.write(t.values, excelize.RowOpts{Height: min(float64(height)*lineHeight+2, maxRowHeight)})
}

func (t *table) cell(c column, value any) excelize.Cell {
	style := t.st.text
	switch c.kind {
	case wrapped:
		style = t.st.wrap
	case number:
		style = t.st.num
	case auditor:
		style = t.st.auditor
	}
	switch v := value.(type) {
	case nil:
		return excelize.Cell{StyleID: style}
	case string:
		if v == "" {
			return excelize.Cell{StyleID: style} // blank, so "(Blanks)" filters find it
		}
		if cv := clean(v); cv != v {
			return excelize.Cell{StyleID: style, Value: cv}
		}
		// The value as given: storing the string again would copy it
		// into a new interface.
		return excelize.Cell{StyleID: style, Value: value}
	case int:
		return excelize.Cell{StyleID: style, Value: v}
	case eval.Verdict:
		return excelize.Cell{StyleID: t.st.verdictStyle(v), Value: clean(string(v))}
	case styled:
		return excelize.Cell{StyleID: v.style, Value: clean(v.value)}
	}
	return excelize.Cell{StyleID: style, Value: clean(fmt.Sprint(value))}
}

func (t *table) write(row []any, opts ...excelize.RowOpts) error {
	if t.row+1 > excelize.TotalRows {
		return excelize.ErrMaxRows
	}
	if err := t.sw.SetRow("A"+strconv.Itoa(t.row+1), row, opts...); err != nil {
		return fmt.Errorf("write row %d: %w", t.row+1, err)
	}
	t.row++
	return nil
}

// ref returns the range from the header to the last row, over columns
// first to last (1-based).
func (t *table) ref(first, last int) string {
	a, _ := excelize.CoordinatesToCellName(first, 1)
	b, _ := excelize.CoordinatesToCellName(last, max(t.row, 1))
	return a + ":" + b
}

// close adds the autofilter and the print titles, and ends the stream.
func (t *table) close() error {
	if err := t.f.AutoFilter(t.name, t.ref(1, len(t.cols)), nil); err != nil {
		return fmt.Errorf("add autofilter: %w", err)
	}
	err := t.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + t.name + "'!$1:$1", Scope: t.name})
	if err != nil {
		return fmt.Errorf("repeat the header on printed pages: %w", err)
	}
	if err := t.sw.Flush(); err != nil {
		return fmt.Errorf("finish sheet: %w", err)
	}
	return nil
}
