package mappings

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/auditpack/auditpack/frameworks"
)

// prowlerCSV is Prowler's own compliance mapping, check ids to requirement
// ids, as facts only (external/SOURCES.md says where it comes from).
//
//go:embed external/prowler-checks.csv
var prowlerCSV []byte

// prowlerNotInCatalogs are the requirement references of the Prowler
// mapping that name no requirement of auditpack's catalogs. Prowler's
// AWS "NIST CSF 2.0" mapping still uses some CSF 1.1 subcategories
// (categories ID.BE, PR.AC, PR.IP, PR.PT, DE.DP and RS.RP, and
// subcategories CSF 2.0 withdrew); a 1.1 id is not a 2.0 outcome, so
// these are dropped rather than guessed onto a 2.0 one. A test keeps the
// list exact: every other reference must resolve, and every one listed
// here must occur in the file.
var prowlerNotInCatalogs = []string{
	"nist-csf@2.0:DE.AE-01", "nist-csf@2.0:DE.CM-04", "nist-csf@2.0:DE.CM-07",
	"nist-csf@2.0:DE.DP-04", "nist-csf@2.0:ID.AM-06", "nist-csf@2.0:ID.BE-05",
	"nist-csf@2.0:PR.AC-01", "nist-csf@2.0:PR.AC-03", "nist-csf@2.0:PR.AC-04",
	"nist-csf@2.0:PR.AC-05", "nist-csf@2.0:PR.AC-06", "nist-csf@2.0:PR.AC-07",
	"nist-csf@2.0:PR.DS-03", "nist-csf@2.0:PR.DS-04", "nist-csf@2.0:PR.DS-05",
	"nist-csf@2.0:PR.DS-06", "nist-csf@2.0:PR.IP-01", "nist-csf@2.0:PR.IP-02",
	"nist-csf@2.0:PR.IP-04", "nist-csf@2.0:PR.IP-07", "nist-csf@2.0:PR.IP-08",
	"nist-csf@2.0:PR.IP-09", "nist-csf@2.0:PR.IP-12", "nist-csf@2.0:PR.PT-01",
	"nist-csf@2.0:PR.PT-04", "nist-csf@2.0:PR.PT-05", "nist-csf@2.0:RS.RP-01",
}

// prowlerKey is a Prowler provider ("aws", "kubernetes") and check id.
type prowlerKey struct{ provider, check string }

// prowlerTable is the parsed mapping: for each provider and check, the
// references in the mapping's order, and every reference the file names
// (for the test that keeps prowlerNotInCatalogs exact).
type prowlerTable struct {
	refs map[prowlerKey][]string
	all  []string
}

var prowlerMapping = sync.OnceValues(func() (prowlerTable, error) { return parseProwler(prowlerCSV) })

// ProwlerRequirements returns the requirements Prowler's own compliance
// mapping links a check to, for one provider ("aws", "azure", "gcp",
// "kubernetes", "m365", "nhn"; case does not matter), as control
// references of auditpack's catalogs ("pci-dss@4.0.1:1.3.1"), sorted and
// each once. A check the mapping does not name gives nil: the mapping
// covers PCI DSS, SOC 2, ISO/IEC 27001, HIPAA, NIST CSF 2.0 and
// SP 800-53, not every check.
//
// A passing check is cloud-configuration evidence for a requirement, never
// a verdict on the whole of it.
func ProwlerRequirements(provider, check string) []string {
	t, err := prowlerMapping()
	if err != nil {
		// The file is embedded and a test parses it; failing here is a
		// build that shipped a broken file.
		panic(err)
	}
	return slices.Clone(t.refs[prowlerKey{strings.ToLower(provider), check}])
}

// ProwlerProviders returns the providers a check id is mapped under,
// sorted: for output that does not name its provider (Prowler's
// Kubernetes findings carry no cloud object).
func ProwlerProviders(check string) []string {
	t, err := prowlerMapping()
	if err != nil {
		panic(err)
	}
	var out []string
	for k := range t.refs {
		if k.check == check {
			out = append(out, k.provider)
		}
	}
	slices.Sort(out)
	return out
}

// parseProwler reads the mapping CSV: framework ("pci-dss@4.0.1"),
// requirement id, provider, check id, Prowler's own requirement name.
func parseProwler(data []byte) (prowlerTable, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 5
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return prowlerTable{}, fmt.Errorf("prowler mapping: header: %w", err)
	}
	if want := []string{"framework", "requirement_id", "provider", "prowler_check_id", "prowler_requirement_ref"}; !slices.Equal(head, want) {
		return prowlerTable{}, fmt.Errorf("prowler mapping: header %q, want %q", head, want)
	}
	skip := map[string]bool{}
	for _, ref := range prowlerNotInCatalogs {
		skip[ref] = true
	}
	t := prowlerTable{refs: map[prowlerKey][]string{}}
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return prowlerTable{}, fmt.Errorf("prowler mapping: %w", err)
		}
		ref := rec[0] + ":" + rec[1]
		if _, _, _, err := frameworks.ParseRef(ref); err != nil {
			line, _ := r.FieldPos(0)
			return prowlerTable{}, fmt.Errorf("prowler mapping: line %d: %w", line, err)
		}
		if !seen[ref] {
			seen[ref] = true
			t.all = append(t.all, ref)
		}
		if skip[ref] {
			continue
		}
		k := prowlerKey{strings.ToLower(rec[2]), rec[3]}
		if !slices.Contains(t.refs[k], ref) {
			t.refs[k] = append(t.refs[k], ref)
		}
	}
	for k, refs := range t.refs {
		slices.SortFunc(refs, compareRefs)
		t.refs[k] = refs
	}
	return t, nil
}

// compareRefs orders control references by framework, then by node id in
// the catalogs' natural order (1.2.5 before 10.3.2).
func compareRefs(a, b string) int {
	fa, na, _ := strings.Cut(a, ":")
	fb, nb, _ := strings.Cut(b, ":")
	if c := strings.Compare(fa, fb); c != 0 {
		return c
	}
	return frameworks.CompareIDs(na, nb)
}
