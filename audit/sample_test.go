package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/mappings"
)

// The SHA-256 of "a" and of "b".
const (
	sumA = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
	sumB = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
)

func TestSizeTable(t *testing.T) {
	for _, tc := range []struct {
		n    int
		freq string
		size int
	}{
		{1, FrequencyAnnual, 1},
		{2, FrequencyQuarterly, 2},
		{4, FrequencyQuarterly, 2},
		{5, FrequencyMonthly, 2},
		{12, FrequencyMonthly, 2},
		{13, FrequencyWeekly, 5},
		{52, FrequencyWeekly, 5},
		{53, FrequencyDaily, 20},
		{365, FrequencyDaily, 20},
		{366, FrequencyManyPerDay, 25},
		{100000, FrequencyManyPerDay, 25},
	} {
		if got := FrequencyOfSize(tc.n); got != tc.freq {
			t.Errorf("FrequencyOfSize(%d) = %s, want %s", tc.n, got, tc.freq)
		}
		if got, ok := SampleSize(tc.freq, tc.n); !ok || got != tc.size {
			t.Errorf("SampleSize(%s, %d) = %d, %v; want %d", tc.freq, tc.n, got, ok, tc.size)
		}
	}
	for _, tc := range []struct {
		every int
		freq  string
	}{
		{365, FrequencyAnnual}, {400, FrequencyAnnual}, {183, FrequencyQuarterly}, {92, FrequencyQuarterly},
		{90, FrequencyQuarterly}, {89, FrequencyMonthly}, {31, FrequencyMonthly}, {28, FrequencyMonthly},
		{14, FrequencyWeekly}, {7, FrequencyWeekly}, {6, FrequencyDaily}, {1, FrequencyDaily}, {0, FrequencyManyPerDay},
	} {
		if got := FrequencyOfSpacing(tc.every); got != tc.freq {
			t.Errorf("FrequencyOfSpacing(%d) = %s, want %s", tc.every, got, tc.freq)
		}
	}
	// Never more than the population; an unknown row is refused.
	if got, _ := SampleSize(FrequencyManyPerDay, 3); got != 3 {
		t.Errorf("a population of 3 gives a sample of %d", got)
	}
	if _, ok := SampleSize("fortnightly", 10); ok {
		t.Error("an unknown frequency must not give a size")
	}
}

// The seed is the documented text's SHA-256 (docs/sampling.md computes the
// same value with sha256sum), and the key the HMAC openssl gives.
func TestSeedVector(t *testing.T) {
	in := []InputFile{{Role: "model", Name: "m.yaml", SHA256: sumA}, {Role: "config", Name: "c.yaml", SHA256: sumB}}
	const want = "e2a44193313252137e8762b5d6d1567a49ff3207d1f86f18b91732b188eb780f"
	if got := SampleSeed(in, "pci-dss@4.0.1:1.2.5", PopulationElements, ""); got != want {
		t.Fatalf("seed = %s, want %s", got, want)
	}
	// Names and order do not matter; contents, the control and the
	// population do.
	renamed := []InputFile{{Role: "config", Name: "other", SHA256: sumB}, {Role: "model", Name: "x", SHA256: sumA}}
	if got := SampleSeed(renamed, "pci-dss@4.0.1:1.2.5", PopulationElements, ""); got != want {
		t.Errorf("renaming or reordering the inputs changed the seed to %s", got)
	}
	for _, other := range []string{
		SampleSeed([]InputFile{{SHA256: sumA}, {SHA256: sumA}}, "pci-dss@4.0.1:1.2.5", PopulationElements, ""),
		SampleSeed(in, "pci-dss@4.0.1:1.2.6", PopulationElements, ""),
		SampleSeed(in, "pci-dss@4.0.1:1.2.5", PopulationOccurrences, "r/q"),
	} {
		if other == want {
			t.Error("a changed input, control or population kept the seed")
		}
	}
	if got := SampleKey(want, "f-app-pay"); got != "3a07ac2283a3825fe887dbf39fb122e497f421bbae46e526de7ec4721c8821dc" {
		t.Errorf("key = %s", got)
	}
}

func population(n int) []SampleMember {
	out := make([]SampleMember, n)
	for i := range out {
		out[i] = SampleMember{ID: fmt.Sprintf("f-%03d", i), Kind: "flow"}
	}
	return out
}

func ids(ms []SampleMember) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func TestSelectIsMonotoneAndOrderFree(t *testing.T) {
	seed := SampleSeed([]InputFile{{SHA256: sumA}}, "c", PopulationElements, "")
	pop := population(60)
	whole := ids(Select(seed, pop, len(pop)))
	for _, n := range []int{0, 1, 2, 5, 20, 25, 59, 60, 61} {
		got := ids(Select(seed, pop, n))
		if len(got) != min(n, len(pop)) {
			t.Errorf("n=%d: %d members", n, len(got))
		}
		// Each sample is the prefix of the whole order, so a larger one
		// holds every member of a smaller one.
		if !slices.Equal(got, whole[:len(got)]) {
			t.Errorf("n=%d: %v is not the first %d of the order", n, got, len(got))
		}
	}
	for _, m := range Select(seed, pop, 3) {
		if m.Key != SampleKey(seed, m.ID) {
			t.Errorf("%s: key %s, want %s", m.ID, m.Key, SampleKey(seed, m.ID))
		}
	}
	reversed := slices.Clone(pop)
	slices.Reverse(reversed)
	if got := ids(Select(seed, reversed, 25)); !slices.Equal(got, whole[:25]) {
		t.Errorf("the population's order changed the sample: %v", got)
	}
	// A sample is not simply the first members by id.
	if slices.Equal(whole[:5], ids(pop[:5])) {
		t.Error("the order is the ids' order: the seed does not shuffle")
	}
	other := SampleSeed([]InputFile{{SHA256: sumB}}, "c", PopulationElements, "")
	if slices.Equal(ids(Select(other, pop, 5)), whole[:5]) {
		t.Error("another seed gave the same sample")
	}
}

// fixture has one control with many judged flows and a quarterly scan
// requirement whose items the results cite.
func fixture() (*Results, []mappings.Rule) {
	r := &Results{Inputs: []InputFile{{Role: "model", Name: "m", SHA256: sumA}}}
	c := Control{Ref: "pci-dss@4.0.1:1.3.1", Rules: []string{"flows", "scans"}}
	for i := range 20 {
		el := eval.ElementRef{ID: fmt.Sprintf("f-%02d", i), Kind: "flow", Name: fmt.Sprintf("flow %d", i)}
		v := eval.Satisfied
		if i == 19 {
			v = eval.NotApplicable
		}
		c.Findings = append(c.Findings, Finding{Rule: "flows", Element: el, Verdict: v, Assessed: v})
		r.RuleResults = append(r.RuleResults, eval.Result{Rule: "flows", Element: el, Verdict: v})
	}
	sys := eval.ElementRef{Kind: "system"}
	c.Findings = append(c.Findings, Finding{Rule: "scans", Element: sys, Verdict: eval.Satisfied, Assessed: eval.Satisfied})
	res := eval.Result{Rule: "scans", Element: sys, Verdict: eval.Satisfied}
	for q := 1; q <= 4; q++ {
		res.Evidence = append(res.Evidence, eval.EvidenceUse{Requirement: "scan", Item: fmt.Sprintf("EV-SCAN-Q%d", q), Title: "scan", CollectedAt: "2026-01-01"})
	}
	res.Evidence = append(res.Evidence, eval.EvidenceUse{Requirement: "policy", Item: "EV-POLICY"})
	r.RuleResults = append(r.RuleResults, res)
	r.Controls = []Control{c, {Ref: "pci-dss@4.0.1:1.1.1"}}
	rules := []mappings.Rule{{ID: "flows"}, {ID: "scans", Evidence: []mappings.EvidenceRequirement{
		{ID: "scan", Occurrences: &mappings.Occurrences{Count: 4, EveryDays: 92}}, {ID: "policy"}}}}
	return r, rules
}

func TestDrawSamples(t *testing.T) {
	r, rules := fixture()
	got := drawSamples(r, rules)
	if len(got) != 2 {
		t.Fatalf("%d samples, want the flows and the scans: %+v", len(got), got)
	}
	el, occ := got[0], got[1]
	if el.Population != PopulationElements || el.PopulationSize != 19 || el.Frequency != FrequencyWeekly || el.Size != 5 || len(el.Members) != 5 {
		t.Errorf("elements sample = %+v; want 5 of the 19 applicable flows, weekly row", el)
	}
	if slices.Contains(ids(el.Members), "f-19") {
		t.Error("a not-applicable element was sampled")
	}
	if occ.Population != PopulationOccurrences || occ.Requirement != "scans/scan" || occ.PopulationSize != 4 || occ.Frequency != FrequencyQuarterly || occ.Size != 2 {
		t.Errorf("occurrences sample = %+v; want 2 of the 4 quarterly scans", occ)
	}
	x := NewSampler(r)
	for _, s := range got {
		again, err := x.Redraw(s, 0)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(again) != fmt.Sprint(s) {
			t.Errorf("redraw = %+v, want %+v", again, s)
		}
		bigger, err := x.Redraw(s, s.Size+3)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(bigger.Members[:s.Size]), ids(s.Members)) || bigger.Size != min(s.Size+3, s.PopulationSize) {
			t.Errorf("a larger redraw %v does not start with %v", ids(bigger.Members), ids(s.Members))
		}
	}
	if _, err := x.Redraw(Sample{Control: "nope", Frequency: FrequencyAnnual, Population: PopulationElements}, 0); err == nil {
		t.Error("a redraw for an unknown control must fail")
	}
}

// docs/sampling.md prints the table the code uses.
func TestSizeTableIsDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "sampling.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range SizeTable {
		pop, every := SizeRanges(i)
		want := fmt.Sprintf("| %s | %s | %s | %d |", row.Frequency, pop, every, row.Size)
		if !strings.Contains(string(data), want) {
			t.Errorf("docs/sampling.md has no row %q", want)
		}
	}
}
