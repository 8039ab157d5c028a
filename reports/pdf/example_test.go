package pdf_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/pdf"
)

// ExampleRender renders the report of the built-in demo the way the package
// builder does, before signing it: the same results give the same bytes.
func ExampleRender() {
	data, err := os.ReadFile("../../testdata/results/demo.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	var r audit.Results
	if err := json.Unmarshal(data, &r); err != nil {
		fmt.Println(err)
		return
	}
	opts := pdf.Options{PackageID: "acme-pay-2026-11-15", DemoSignature: true}
	var a, b bytes.Buffer
	if err := pdf.Render(&a, &r, opts); err != nil {
		fmt.Println(err)
		return
	}
	if err := pdf.Render(&b, &r, opts); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(a.Bytes()[:8]), bytes.Equal(a.Bytes(), b.Bytes()))
	// Output: %PDF-1.3 true
}
