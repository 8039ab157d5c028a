package exception

import (
	"strings"
	"testing"
	"time"
)

const file = `schema: auditpack/exceptions/v1
exceptions:
  - id: EX-1
    type: compensating-control
    control: "pci-dss@4.0.1:1.4.4"
    element: bucket
    justification: until the proxy ships
    approver: CISO
    approved_on: "2026-01-10"
    expires_on: "2026-06-30"
    worksheet:
      constraints: the proxy is not built
      objective: keep the bucket off the internet
      identified_risk: the bucket endpoint is public
      definition: signed URLs only
      validation: unsigned URLs tested and refused
      maintenance: policy changes reviewed
      validated_on: "2026-01-05"
`

func TestStatusAtExpiry(t *testing.T) {
	f, err := Parse("x.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	e := f.Exceptions[0]
	for _, tt := range []struct {
		day  string
		want string
	}{
		{"2026-01-09", Pending},
		{"2026-01-10", Active},
		{"2026-06-30", Active},
		{"2026-07-01", Expired},
		{"2027-01-01", Expired},
	} {
		d, _ := time.Parse(time.DateOnly, tt.day)
		if got := e.StatusAt(d); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.day, got, tt.want)
		}
	}
}

func TestCovers(t *testing.T) {
	f, _ := Parse("x.yaml", []byte(file))
	e := f.Exceptions[0]
	if !e.Covers("pci-dss@4.0.1:1.4.4", "any-rule", "bucket") {
		t.Error("must cover its control on its element")
	}
	if e.Covers("pci-dss@4.0.1:1.4.4", "any-rule", "other") || e.Covers("pci-dss@4.0.1:1.4.5", "any-rule", "bucket") {
		t.Error("must not cover another element or control")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ edit, want string }{
		{strings.Replace(file, `"2026-06-30"`, `"2025-06-30"`, 1), "x.yaml:10: at /exceptions/0/expires_on"},
		{strings.Replace(file, "    control: \"pci-dss@4.0.1:1.4.4\"\n", "", 1), "x.yaml:3: at /exceptions/0"},
		{strings.Replace(file, `"2026-01-10"`, `"2026-02-30"`, 1), "approved_on"},
	} {
		if _, err := Parse("x.yaml", []byte(tt.edit)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("want error containing %q, got %v", tt.want, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(file))
	f.Add([]byte(strings.Replace(file, "compensating-control", "risk-acceptance", 1)))
	f.Add([]byte(strings.Replace(file, "pci-dss@4.0.1:1.4.4", "aicpa-tsc@2017:CC6.1", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		for _, e := range x.Exceptions {
			if e.Control == "" && e.Rule == "" {
				t.Fatal("an exception must name a control or a rule")
			}
			if eff, _ := PolicyFor(e.Control).Effect(e.Type); e.Control != "" && eff == Refuses {
				t.Fatalf("accepted a %s for %s, which its framework refuses", e.Type, e.Control)
			}
			if e.Worksheet != nil && len(e.Worksheet.Missing()) > 0 {
				t.Fatalf("accepted an incomplete worksheet: %v missing", e.Worksheet.Missing())
			}
			_ = e.StatusAt(time.Time{})
		}
	})
}
