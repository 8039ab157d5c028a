package pdf_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/reports/pdf"
)

// ExampleRender renders the report of the built-in demo the way the package
// builder does, before signing it: the same results give the same bytes.
func ExampleRender() {
	f, err := os.Open("../../testdata/results/demo.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	rd, err := resultsfile.Decode("demo.json", f, resultsfile.MaxSize, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := *rd.Results
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
