package mappings

import (
	"slices"
	"testing"

	"github.com/auditpack/auditpack/frameworks"
)

// Every reference the shipped Prowler mapping returns names a requirement
// of auditpack's catalogs; the ones it drops are exactly the documented
// CSF 1.1 leftovers, each of which really occurs in the file.
func TestProwlerMappingResolvesInCatalogs(t *testing.T) {
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	table, err := parseProwler(prowlerCSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(table.refs) < 850 {
		t.Fatalf("only %d provider/check pairs mapped; the file did not load whole", len(table.refs))
	}
	for k, refs := range table.refs {
		for _, ref := range refs {
			if _, _, err := reg.Resolve(ref); err != nil {
				t.Errorf("%s/%s: %v", k.provider, k.check, err)
			}
		}
	}
	var unresolved []string
	for _, ref := range table.all {
		if _, _, err := reg.Resolve(ref); err != nil {
			unresolved = append(unresolved, ref)
		}
	}
	slices.Sort(unresolved)
	if !slices.Equal(unresolved, prowlerNotInCatalogs) {
		t.Errorf("references that do not resolve:\n got %q\nwant %q", unresolved, prowlerNotInCatalogs)
	}
}

func TestProwlerRequirements(t *testing.T) {
	for _, tc := range []struct {
		provider, check string
		want            []string
	}{
		// Trap: the mapping lists 1.3.1 once per Prowler requirement that
		// names it; a caller gets it once, in the catalog's order.
		{"gcp", "compute_firewall_rdp_access_from_the_internet_allowed", []string{
			"aicpa-tsc@2017-pof2022:CC6.6", "aicpa-tsc@2017-pof2022:CC6.7",
			"iso-iec-27001@2022:A.8.20",
			"pci-dss@4.0.1:1.2.5", "pci-dss@4.0.1:1.2.8", "pci-dss@4.0.1:1.3.1", "pci-dss@4.0.1:1.3.2",
			"pci-dss@4.0.1:1.4.2", "pci-dss@4.0.1:1.5.1", "pci-dss@4.0.1:2.2.5", "pci-dss@4.0.1:3.5.1.3",
			"pci-dss@4.0.1:10.3.2", "pci-dss@4.0.1:A1.1.2", "pci-dss@4.0.1:A1.1.3",
		}},
		// Trap: PR.AC-01 and PR.AC-06 are CSF 1.1 ids and are dropped.
		{"AWS", "accessanalyzer_enabled", []string{
			"iso-iec-27001@2022:A.8.3", "nist-csf@2.0:GV.OV-02", "nist-csf@2.0:GV.OV-03",
		}},
		// The same check id under another provider maps nothing.
		{"azure", "compute_firewall_rdp_access_from_the_internet_allowed", nil},
		{"kubernetes", "apiserver_always_pull_images_plugin", nil},
	} {
		got := ProwlerRequirements(tc.provider, tc.check)
		if !slices.Equal(got, tc.want) {
			t.Errorf("ProwlerRequirements(%q, %q)\n got %q\nwant %q", tc.provider, tc.check, got, tc.want)
		}
	}
	if got := ProwlerProviders("kms_key_not_publicly_accessible"); !slices.Equal(got, []string{"aws", "gcp"}) {
		t.Errorf("ProwlerProviders = %q", got)
	}
}

// The result is the caller's: changing it does not change the next answer.
func TestProwlerRequirementsReturnsACopy(t *testing.T) {
	a := ProwlerRequirements("gcp", "compute_firewall_rdp_access_from_the_internet_allowed")
	a[0] = "changed"
	if b := ProwlerRequirements("gcp", "compute_firewall_rdp_access_from_the_internet_allowed"); b[0] == "changed" {
		t.Fatal("ProwlerRequirements shares its table with callers")
	}
}

func TestParseProwlerRefusesABrokenFile(t *testing.T) {
	for name, data := range map[string]string{
		"header":  "a,b,c,d,e\n",
		"fields":  "framework,requirement_id,provider,prowler_check_id,prowler_requirement_ref\npci-dss@4.0.1,1.3.1,aws\n",
		"bad ref": "framework,requirement_id,provider,prowler_check_id,prowler_requirement_ref\npci-dss,1.3.1,aws,x,y\n",
	} {
		if _, err := parseProwler([]byte(data)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}
