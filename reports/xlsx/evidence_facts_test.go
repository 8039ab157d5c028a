package xlsx

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
)

// TestEvidenceSheetShowsReadAndStated holds the Evidence sheet to showing,
// for an item whose file was read: its format, each fact read with its
// place, the facts only stated, the disagreement, and the hosts covered.
func TestEvidenceSheetShowsReadAndStated(t *testing.T) {
	f := open(t, render(t, reporttest.WithReadFacts(loadDemo(t)), testOptions))
	rows, err := f.GetRows(SheetEvidence)
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %q in %q", name, head)
		}
		return i
	}
	var row []string
	for _, r := range rows[1:] {
		if len(r) > 0 && r[0] == reporttest.ReadItem {
			row = r
		}
	}
	if row == nil {
		t.Fatalf("no row for %s", reporttest.ReadItem)
	}
	cell := func(name string) string {
		if i := col(name); i < len(row) {
			return row[i]
		}
		return ""
	}
	for _, c := range []struct{ col, want string }{
		{"Format", "testssl-json-pretty (testssl.sh 3.2rc3)"},
		{"Facts read", `tls.min_version = "1.0" (read from scans/tls-api.acmepay.example.json at /scanResult/0/protocols/2; stated "1.2")`},
		{"Facts read", `tls.suites_offered [api.acmepay.example:443] = ["TLS_ECDHE`},
		{"Facts stated, not read", "tls.cert_trusted = true (stated, not read)"},
		{"Disagreements", `facts-disagree (scans/tls-api.acmepay.example.json): tls.min_version: the manifest states "1.2"`},
		{"Coverage (hosts)", "api-2.acmepay.example:443\napi.acmepay.example:443"},
		{"Status", "ok"},
	} {
		if got := cell(c.col); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q lacks %q", c.col, got, c.want)
		}
	}
	for _, r := range rows[1:] {
		if len(r) > 0 && r[0] == "EV-ASV-SCAN" && r[col("Format")] != "not recognised" {
			t.Errorf("a file no format claims: format %q", r[col("Format")])
		}
	}
}
