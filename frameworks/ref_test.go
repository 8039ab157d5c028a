package frameworks

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseRef(t *testing.T) {
	for _, tc := range []struct{ ref, fw, ver, node string }{
		{"pci-dss@4.0.1:4.2.1", "pci-dss", "4.0.1", "4.2.1"},
		{"aicpa-tsc@2017-pof2022:CC6.1", "aicpa-tsc", "2017-pof2022", "CC6.1"},
		{"nist-sp800-53@5.1.1:AC-2(1)", "nist-sp800-53", "5.1.1", "AC-2(1)"},
		{"hipaa-security-rule@2013:164.312(e)(1)", "hipaa-security-rule", "2013", "164.312(e)(1)"},
		{"PCI@4.0.1:A3.5.1", "PCI", "4.0.1", "A3.5.1"},
	} {
		fw, ver, node, err := ParseRef(tc.ref)
		if err != nil || fw != tc.fw || ver != tc.ver || node != tc.node {
			t.Errorf("ParseRef(%q) = %q, %q, %q, %v", tc.ref, fw, ver, node, err)
		}
	}
	for _, tc := range []struct{ ref, want string }{
		{"", "empty"},
		{"pci-dss", `missing "@<version>"`},
		{"pci-dss:4.2.1", `missing "@<version>"`},
		{"pci-dss@4.0.1", `missing ":<node>"`},
		{"@4.0.1:4.2.1", "empty framework"},
		{"pci-dss@:4.2.1", "empty version"},
		{"pci-dss@4.0.1:", "empty node id"},
		{"pci dss@4.0.1:4.2.1", `framework "pci dss"`},
		{"pci-dss@4.0 .1:4.2.1", `version "4.0 .1"`},
		{"pci-dss@4.0.1:4.2.1:x", `node id "4.2.1:x"`},
		{"pci-dss@4.0.1:4.2@1", `node id "4.2@1"`},
		{"pci-dss@4.0.1:4.2.1\n", `node id "4.2.1\n"`},
		{"pci-dss@4.0.1:4.2.ı", "node id"},
	} {
		_, _, _, err := ParseRef(tc.ref)
		if err == nil {
			t.Errorf("ParseRef(%q) succeeded", tc.ref)
			continue
		}
		if !errors.Is(err, ErrBadRef) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "frameworks: ") {
			t.Errorf("ParseRef(%q) error %q, want ErrBadRef mentioning %q", tc.ref, err, tc.want)
		}
	}
}

func TestCompareIDs(t *testing.T) {
	// Each row is in ascending order.
	for _, row := range [][]string{
		{"1.2.9", "1.2.10"},
		{"1.2", "1.2.1", "1.2.1.1", "1.2.2"},
		{"9.5.1.2", "9.5.1.2.1", "9.5.1.3"},
		{"9.9.9", "10.1.1", "12.10.7", "A1.1.1", "A1.2.3", "A2.1.1", "A3.5.1"},
		{"12.10.1", "A1.1.1"},
		{"CC1.1", "CC1.5", "CC9.2", "A1.1", "A1.3", "C1.1", "PI1.1", "PI1.5", "P1.1", "P6.7", "P8.1"},
		{"CC1.1", "CC10.1"},
		{"AC-2", "AC-2(1)", "AC-2(2)", "AC-2(10)", "AC-10", "AT-1"},
		{"164.308(a)(1)", "164.308(a)(2)", "164.308(a)(10)", "164.310(a)(1)"},
		{"A.5.2", "A.5.10", "A.8.1"},
		{"GV.OC-01", "GV.OC-02", "ID.AM-01"},
		{"1", "G1", "G2"},
		{"1.01", "1.1", "1.2"},
		{"CC1.1", "cc1.1"}, // equal by the rules: bytes decide only at the end
	} {
		for i := range row {
			for j := range row {
				want := compareInts(i, j)
				if got := CompareIDs(row[i], row[j]); got != want {
					t.Errorf("CompareIDs(%q, %q) = %d, want %d", row[i], row[j], got, want)
				}
			}
		}
	}
}

func TestCompareIDsSortsShuffledCatalog(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Catalogs() {
		var want []string
		for _, n := range c.Nodes {
			if n.Assessable {
				want = append(want, n.ID)
			}
		}
		got := slices.Clone(want)
		rng := rand.New(rand.NewPCG(1, 2))
		rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		slices.SortFunc(got, CompareIDs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: sorting shuffled ids does not restore document order", c.Ref())
		}
	}
}
