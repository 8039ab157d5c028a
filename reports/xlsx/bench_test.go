package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
)

// largeResults builds results with the given number of findings over a
// model of a few thousand elements, the size of a big estate.
func largeResults(findings int) *audit.Results {
	r := &audit.Results{SchemaVersion: audit.SchemaVersion, Project: audit.Project{AsOf: "2026-11-15"}}
	const perControl = 10
	for i := range 3000 {
		r.Model.Components = append(r.Model.Components, model.Component{ID: fmt.Sprintf("c-%05d", i),
			Name: fmt.Sprintf("Service %d", i), Kind: model.KindProcess, Zone: "app", Tags: []string{"cde"}})
		r.Model.Flows = append(r.Model.Flows, audit.FlowInfo{Flow: model.Flow{ID: fmt.Sprintf("f-%05d", i),
			Name: fmt.Sprintf("Flow %d", i), Source: fmt.Sprintf("c-%05d", i), Target: "c-00000", Data: []string{"pan"}},
			Crossing: model.Crossing{Left: []string{"app"}, Entered: []string{"cde"}}, Classifications: []string{"pan"}})
	}
	for c := 0; c*perControl < findings; c++ {
		ctl := audit.Control{Framework: "pci-dss@4.0.1", ID: fmt.Sprintf("%d.%d.%d", c/100+1, c/10%10+1, c%10+1),
			Name: "Control with a long enough name to wrap in its cell", Verdict: eval.Verdicts[c%len(eval.Verdicts)],
			Coverage: audit.CoveragePartial, Reason: "rule: element: a reason that explains the verdict at some length",
			Rules: []string{fmt.Sprintf("rule-%d", c)}}
		for e := range perControl {
			el := eval.ElementRef{ID: fmt.Sprintf("f-%05d", (c*perControl+e)%3000), Kind: model.KindDataflow, Name: "Flow"}
			v := eval.Verdicts[(c+e)%len(eval.Verdicts)]
			ctl.Findings = append(ctl.Findings, audit.Finding{Rule: ctl.Rules[0], Element: el, Verdict: v, Assessed: v})
			r.RuleResults = append(r.RuleResults, eval.Result{Rule: ctl.Rules[0], Element: el, Verdict: v,
				Reasons:     []eval.Reason{{Code: "capability-missing", Message: "no implemented mitigation provides encrypt-in-transit on the flow"}},
				Mitigations: []eval.MitigationUse{{ID: "M-TLS", Title: "TLS", Capability: "encrypt-in-transit", Status: "implemented", Counted: true}},
				Evidence:    []eval.EvidenceUse{{Item: "EV-TLS", Status: "ok", CollectedAt: "2026-10-01"}}})
		}
		r.Controls = append(r.Controls, ctl)
	}
	return r
}

// BenchmarkRenderLarge renders 10,000 findings; the sheets are streamed,
// so memory grows with the compressed workbook, not with the cells.
func BenchmarkRenderLarge(b *testing.B) {
	r := largeResults(10000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderDemo renders the demo's results.
func BenchmarkRenderDemo(b *testing.B) {
	r := loadDemo(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLargeResults(t *testing.T) {
	if testing.Short() {
		t.Skip("large workbook")
	}
	r := largeResults(10000)
	f := open(t, render(t, r, Options{}))
	rows, err := f.GetRows(SheetFindings)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10001 {
		t.Fatalf("Findings has %d rows, want 10000 and the header", len(rows))
	}
}

// BenchmarkCompressionLevel deflates the sheet XML of a 10,000-finding
// workbook at the level used and at the default, reporting the compressed
// size of each: the figures behind compressionLevel's trade of size for
// time.
func BenchmarkCompressionLevel(b *testing.B) {
	var wb bytes.Buffer
	if err := Render(&wb, largeResults(10000), Options{}); err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
	if err != nil {
		b.Fatal(err)
	}
	var xml []byte
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				b.Fatal(err)
			}
			xml = append(xml, data...)
		}
	}
	for _, c := range []struct {
		name  string
		level int
	}{{"used", compressionLevel}, {"default", flate.DefaultCompression}} {
		level := c.level
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(xml)))
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				fw, _ := flate.NewWriter(&out, level)
				fw.Write(xml)
				fw.Close()
			}
			b.ReportMetric(float64(out.Len()), "compressed-bytes")
		})
	}
}
