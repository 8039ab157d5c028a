package exception

import (
	"strings"
	"testing"
)

// A worksheet or an approval whose text is blank, or only invisible
// characters, documents nothing; PCI DSS lets a complete worksheet hide a
// failure, so a blank one must be refused like a missing one.
func TestReviewBlankWorksheetFieldsAreRefused(t *testing.T) {
	const tmpl = `schema: auditpack/exceptions/v1
exceptions:
  - id: EX-1
    type: compensating-control
    control: "pci-dss@4.0.1:4.2.1"
    justification: JUSTIFICATION
    approver: APPROVER
    approved_on: "2026-01-10"
    expires_on: "2026-12-31"
    worksheet:
      constraints: CONSTRAINTS
      objective: the objective is met by signed URLs
      identified_risk: a leaked link
      definition: signed URLs only
      validation: unsigned URLs tested and refused
      maintenance: policy changes reviewed
      validated_on: "2026-01-05"
`
	fill := func(just, appr, cons string) string {
		return strings.NewReplacer("JUSTIFICATION", just, "APPROVER", appr, "CONSTRAINTS", cons).Replace(tmpl)
	}
	for _, tt := range []struct {
		name, doc, pointer string
	}{
		{"constraints spaces", fill("until the proxy ships", "CISO", `"   "`), "/exceptions/0/worksheet/constraints"},
		{"constraints tab", fill("until the proxy ships", "CISO", `"\t"`), "/exceptions/0/worksheet/constraints"},
		{"constraints zero-width space", fill("until the proxy ships", "CISO", `"\u200b"`), "/exceptions/0/worksheet/constraints"},
		{"justification blank", fill(`" "`, "CISO", "the proxy is not built"), "/exceptions/0/justification"},
		{"approver blank", fill("until the proxy ships", `"  "`, "the proxy is not built"), "/exceptions/0/approver"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("exceptions.yaml", []byte(tt.doc))
			if err == nil {
				t.Fatalf("a blank field was accepted; want an error at %s", tt.pointer)
			}
			if !strings.Contains(err.Error(), "exceptions.yaml:") || !strings.Contains(err.Error(), tt.pointer) {
				t.Errorf("error does not name the file and %s: %v", tt.pointer, err)
			}
		})
	}
}
