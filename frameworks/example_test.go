package frameworks_test

import (
	"fmt"
	"slices"

	"github.com/auditpack/auditpack/frameworks"
)

func ExampleRegistry_Resolve() {
	r, err := frameworks.Builtin()
	if err != nil {
		panic(err)
	}
	c, n, err := r.Resolve("pci-dss@4.0.1:4.2.1")
	if err != nil {
		panic(err)
	}
	for _, a := range c.Ancestors(n.ID) {
		fmt.Printf("%s %s\n", a.ID, a.Name())
	}
	fmt.Printf("%s %s\n", c.ControlRef(n.ID), n.Name())

	_, _, err = r.Resolve("soc2@2017-pof2022:CC10.1")
	fmt.Println(err)
	// Output:
	// G2 Protect Account Data
	// 4 Strong cryptography for cardholder data in transit
	// 4.2 Strong cryptography for PAN in transit
	// pci-dss@4.0.1:4.2.1 Strong cryptography for PAN over public networks
	// frameworks: soc2@2017-pof2022:CC10.1: unknown node "CC10.1" in aicpa-tsc@2017-pof2022
}

func ExampleCompareIDs() {
	ids := []string{"A1.1.1", "1.2.10", "12.1.1", "1.2.9", "1.2"}
	slices.SortFunc(ids, frameworks.CompareIDs)
	fmt.Println(ids)
	// Output: [1.2 1.2.9 1.2.10 12.1.1 A1.1.1]
}
