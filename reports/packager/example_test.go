package packager_test

import (
	"fmt"

	"github.com/auditpack/auditpack/reports/packager"
)

// Names in a package are limited so that every tool reads them the same way.
func ExampleCheckName() {
	for _, name := range []string{"results.json", "evidence/scans/tls.json", "../etc/passwd", `inputs\model.yaml`, "a b.txt"} {
		fmt.Println(name, packager.CheckName(name) == nil)
	}
	// Output:
	// results.json true
	// evidence/scans/tls.json true
	// ../etc/passwd false
	// inputs\model.yaml false
	// a b.txt false
}

// SHA256SUMS is read in exactly the form sha256sum writes.
func ExampleParseSums() {
	sums := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  results.json\n"
	entries, err := packager.ParseSums([]byte(sums))
	fmt.Println(entries[0].Path, err)
	_, err = packager.ParseSums([]byte("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 *results.json\n"))
	fmt.Println(err != nil)
	// Output:
	// results.json <nil>
	// true
}
