package exception

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// one builds an exceptions file holding a single exception made of the
// given YAML lines (indented under the list item).
func one(lines ...string) string {
	return "schema: auditpack/exceptions/v1\nexceptions:\n  - id: EX-1\n    justification: j\n    approver: CISO\n" +
		"    approved_on: \"2026-01-10\"\n    expires_on: \"2026-12-31\"\n    " + strings.Join(lines, "\n    ") + "\n"
}

const worksheet = `worksheet:
      constraints: c
      objective: o
      identified_risk: r
      definition: d
      validation: v
      maintenance: m
      validated_on: "2026-01-05"`

func TestParseFrameworkRules(t *testing.T) {
	pci := `control: "pci-dss@4.0.1:3.5.1"`
	soc2 := `control: "aicpa-tsc@2017:CC6.1"`
	tests := []struct {
		name string
		doc  string
		want []string // fragments of the error; none: accepted
	}{
		{"pci compensating control with worksheet", one("type: compensating-control", pci, worksheet), nil},
		{"pci risk acceptance", one("type: risk-acceptance", pci),
			[]string{"x.yaml:", "at /exceptions/0/type", "PCI DSS has no risk acceptance", "compensating control with its worksheet", "customized approach"}},
		{"pci compensating control without worksheet", one("type: compensating-control", pci),
			[]string{"at /exceptions/0/worksheet:", "needs its worksheet", "constraints, objective, identified_risk, definition, validation, maintenance"}},
		{"pci customized approach", one("type: customized-approach", pci,
			"customized_approach: {controls_matrix: EV-MATRIX, targeted_risk_analysis: doc/tra-3.5.1.pdf, validated_on: \"2026-01-05\"}"), nil},
		{"customized approach without its risk analysis", one("type: customized-approach", pci, "customized_approach: {controls_matrix: EV-MATRIX}"),
			[]string{"at /exceptions/0/customized_approach/targeted_risk_analysis", "targeted risk analysis"}},
		{"customized approach without its documents", one("type: customized-approach", pci),
			[]string{"at /exceptions/0/customized_approach:", "controls_matrix"}},
		{"customized approach outside PCI DSS", one("type: customized-approach", `control: "iso-iec-27001@2022:A.8.24"`,
			"customized_approach: {controls_matrix: m, targeted_risk_analysis: t}"), []string{"at /exceptions/0/type", "belongs to PCI DSS"}},
		{"soc 2 deviation", one("type: deviation", soc2), nil},
		{"soc 2 risk acceptance", one("type: risk-acceptance", soc2), nil},
		{"soc 2 compensating control", one("type: compensating-control", soc2), nil},
		{"iso risk acceptance", one("type: risk-acceptance", `control: "iso-iec-27001@2022:A.8.24"`), nil},
		{"rule-level risk acceptance", one("type: risk-acceptance", "rule: pci-3.5.1-pan-unreadable-at-rest"), nil},
		{"unknown type", one("type: waiver", pci), []string{"at /exceptions/0/type"}},
		{"worksheet on a risk acceptance", one("type: risk-acceptance", `control: "iso-iec-27001@2022:A.8.24"`, worksheet),
			[]string{"at /exceptions/0/worksheet:", "not a risk-acceptance"}},
		{"bad validation date", one("type: compensating-control", pci, strings.Replace(worksheet, "2026-01-05", "2026-02-30", 1)),
			[]string{"at /exceptions/0/worksheet/validated_on", "not a valid date"}},
		{"empty worksheet field", one("type: compensating-control", pci, strings.Replace(worksheet, "objective: o", `objective: ""`, 1)),
			[]string{"at /exceptions/0/worksheet/objective"}},
	}
	for _, field := range []string{"constraints", "objective", "identified_risk", "definition", "validation", "maintenance"} {
		var kept []string
		for _, l := range strings.Split(worksheet, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), field+":") {
				kept = append(kept, l)
			}
		}
		tests = append(tests, struct {
			name string
			doc  string
			want []string
		}{"worksheet without " + field, one("type: compensating-control", pci, strings.Join(kept, "\n")),
			[]string{"x.yaml:", "at /exceptions/0/worksheet/" + field + ":", "lacks " + field}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.doc))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestPolicyTable(t *testing.T) {
	want := map[string][4]Effect{ // compensating control, customized approach, risk acceptance, deviation
		"pci-dss":             {Hides, Hides, Refuses, Shows},
		"aicpa-tsc":           {Shows, Refuses, Shows, Shows},
		"iso-iec-27001":       {Hides, Refuses, Hides, Shows},
		"nist-sp800-53":       {Hides, Refuses, Hides, Shows},
		"nist-csf":            {Hides, Refuses, Hides, Shows},
		"hipaa-security-rule": {Hides, Refuses, Hides, Shows},
		"my-oscal-catalog":    {Hides, Refuses, Hides, Shows},
	}
	for fw, effects := range want {
		for i, typ := range Types {
			got, why := PolicyFor(fw + "@1:X").Effect(typ)
			if got != effects[i] {
				t.Errorf("%s %s: got %s, want %s", fw, typ, got, effects[i])
			}
			if (got == Hides) != (why == "") {
				t.Errorf("%s %s: %s with reason %q: only a hiding effect needs no reason", fw, typ, got, why)
			}
		}
		if got, _ := PolicyFor(fw).Effect("waiver"); got != Refuses {
			t.Errorf("%s: an unknown type must be refused, got %s", fw, got)
		}
	}
}

func TestJudgeRevalidation(t *testing.T) {
	f, err := Parse("x.yaml", []byte(file)) // validated on 2026-01-05
	if err != nil {
		t.Fatal(err)
	}
	e := f.Exceptions[0]
	for _, tt := range []struct {
		fw, asOf string
		want     Effect
		why      string
	}{
		{"pci-dss", "2026-03-01", Hides, ""},
		{"pci-dss", "2027-01-05", Hides, ""}, // twelve months to the day
		{"pci-dss", "2027-01-06", Refuses, "last validated on 2026-01-05"},
		{"pci-dss", "2026-01-04", Refuses, "after the as-of date"},
		{"iso-iec-27001", "2028-01-01", Hides, ""}, // no yearly validation outside PCI DSS
		{"aicpa-tsc", "2026-03-01", Shows, "SOC 2 reports deviations"},
	} {
		d, _ := time.Parse(time.DateOnly, tt.asOf)
		got, why := e.Judge(tt.fw, d)
		if got != tt.want || !strings.Contains(why, tt.why) {
			t.Errorf("%s at %s: got %s %q, want %s %q", tt.fw, tt.asOf, got, why, tt.want, tt.why)
		}
	}
	e.Worksheet.ValidatedOn, e.validated = "", time.Time{}
	if got, why := e.Judge("pci-dss", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); got != Refuses || !strings.Contains(why, "no validated_on") {
		t.Errorf("without a validation date: got %s %q", got, why)
	}
	e.Worksheet = nil
	if got, why := e.Judge("pci-dss", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); got != Refuses || !strings.Contains(why, "lacks constraints") {
		t.Errorf("a rule-level compensating control without a worksheet must not apply to PCI DSS: got %s %q", got, why)
	}
}

// The exceptions example in docs/configuration.md must be a valid file.
func TestDocumentedExampleParses(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Exceptions per framework")
	_, block, ok2 := strings.Cut(section, "```yaml\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("docs/configuration.md has no exceptions example")
	}
	f, err := Parse("configuration.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range f.Exceptions {
		types = append(types, e.Type)
	}
	if want := []string{CompensatingControl, CustomizedApproach, Deviation}; !slices.Equal(types, want) {
		t.Errorf("the example shows %v, want %v", types, want)
	}
}
