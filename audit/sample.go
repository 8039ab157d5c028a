package audit

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/mappings"
)

// Sample is a selection from one control's population that an auditor can
// draw again from results.json alone (docs/sampling.md): the seed comes
// from the hashes of the inputs and the control, the size from the
// sampling table, and the members are the population ordered by their
// keys, the first Size of them. A larger size keeps every member of a
// smaller one.
type Sample struct {
	// Control is the control's full reference.
	Control string `json:"control"`
	// Population is PopulationElements or PopulationOccurrences;
	// Requirement, for occurrences, names the evidence requirement whose
	// items they are, as "RULE/REQUIREMENT".
	Population  string `json:"population"`
	Requirement string `json:"requirement,omitempty"`
	// Frequency is the row of the sampling table the size was read from.
	Frequency      string `json:"frequency"`
	PopulationSize int    `json:"population_size"`
	// Seed is the SHA-256 (lower-case hex) of the seed text ([SampleSeed]).
	Seed    string         `json:"seed"`
	Size    int            `json:"size"`
	Members []SampleMember `json:"members"`
}

// SampleMember is one selected element or evidence item, with its key:
// HMAC-SHA256 of its id under the seed, in lower-case hex.
type SampleMember struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
	// Date is when an occurrence's item was collected.
	Date string `json:"date,omitempty"`
	Key  string `json:"key"`
}

// The populations a sample is drawn from.
const (
	// PopulationElements are the model elements a control's rules judged
	// (flows into the CDE, admin interfaces, hosts), not-applicable
	// results left out.
	PopulationElements = "elements"
	// PopulationOccurrences are the evidence items a periodic requirement
	// (a scan each quarter, a review every six months) was checked over.
	PopulationOccurrences = "occurrences"
)

// The frequencies of the sampling table, least frequent first.
const (
	FrequencyAnnual     = "annual"
	FrequencyQuarterly  = "quarterly"
	FrequencyMonthly    = "monthly"
	FrequencyWeekly     = "weekly"
	FrequencyDaily      = "daily"
	FrequencyManyPerDay = "many-times-a-day"
)

// SizeRow is one row of the sampling table.
type SizeRow struct {
	Frequency string
	// MaxPopulation is the largest population the row is for when the
	// frequency is read from the population's size; 0 for no bound.
	MaxPopulation int
	// MinEveryDays is the shortest interval, in days, between
	// occurrences that the row is for when the frequency is read from a
	// requirement's spacing.
	MinEveryDays int
	Size         int
}

// SizeTable is the sampling table, least frequent first
// (docs/sampling.md says where its numbers come from). A sample is never
// larger than its population.
var SizeTable = []SizeRow{
	{FrequencyAnnual, 1, 365, 1},
	{FrequencyQuarterly, 4, 90, 2},
	{FrequencyMonthly, 12, 28, 2},
	{FrequencyWeekly, 52, 7, 5},
	{FrequencyDaily, 365, 1, 20},
	{FrequencyManyPerDay, 0, 0, 25},
}

// FrequencyOfSize is the frequency whose row a population of n members
// falls in: a control run n times a year has n occurrences.
func FrequencyOfSize(n int) string {
	for _, row := range SizeTable {
		if row.MaxPopulation == 0 || n <= row.MaxPopulation {
			return row.Frequency
		}
	}
	return FrequencyManyPerDay
}

// FrequencyOfSpacing is the frequency of a requirement whose occurrences
// are at most everyDays apart: the least frequent row it is at least as
// frequent as.
func FrequencyOfSpacing(everyDays int) string {
	for _, row := range SizeTable {
		if everyDays >= row.MinEveryDays {
			return row.Frequency
		}
	}
	return FrequencyManyPerDay
}

// SampleSize is the size the table gives a population of n at a
// frequency, never more than n; ok is false for an unknown frequency.
func SampleSize(frequency string, n int) (size int, ok bool) {
	for _, row := range SizeTable {
		if row.Frequency == frequency {
			return min(row.Size, n), true
		}
	}
	return 0, false
}

// seedVersion opens the seed text; a change of derivation changes it.
const seedVersion = "auditpack-sample-v1"

// SampleSeed returns the seed of a control's sample: the SHA-256, in
// lower-case hex, of the text
//
//	auditpack-sample-v1
//	<the SHA-256 of each input, sorted, one a line>
//	control <control reference>
//	population <population>[ <requirement>]
//
// each line ending in a line feed. It depends on the inputs' contents,
// never on their names or order.
func SampleSeed(inputs []InputFile, control, population, requirement string) string {
	sums := make([]string, 0, len(inputs))
	for _, in := range inputs {
		sums = append(sums, strings.ToLower(in.SHA256))
	}
	slices.Sort(sums)
	var b strings.Builder
	b.WriteString(seedVersion + "\n")
	for _, s := range sums {
		b.WriteString(s + "\n")
	}
	b.WriteString("control " + control + "\n")
	b.WriteString("population " + strings.TrimSpace(population+" "+requirement) + "\n")
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// SampleKey is the key that orders a member in a sample: HMAC-SHA256 of
// its id, keyed with the seed's 32 bytes, in lower-case hex.
func SampleKey(seed, id string) string {
	key, _ := hex.DecodeString(seed)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))
}

// Select orders the population by key (then id) and returns its first n
// members, keys set. The order does not depend on the population's: a
// larger n returns a superset of a smaller one.
func Select(seed string, population []SampleMember, n int) []SampleMember {
	key, _ := hex.DecodeString(seed)
	mac := hmac.New(sha256.New, key)
	// Keys are compared as bytes and spelled in hex for the members
	// selected only: a population can be every flow of a large model.
	type ranked struct {
		sum [sha256.Size]byte
		m   *SampleMember
	}
	all := make([]ranked, len(population))
	for i := range population {
		mac.Reset()
		mac.Write([]byte(population[i].ID))
		mac.Sum(all[i].sum[:0])
		all[i].m = &population[i]
	}
	slices.SortFunc(all, func(a, b ranked) int {
		return cmp.Or(bytes.Compare(a.sum[:], b.sum[:]), strings.Compare(a.m.ID, b.m.ID))
	})
	out := make([]SampleMember, max(0, min(n, len(all))))
	for i := range out {
		out[i] = *all[i].m
		out[i].Key = hex.EncodeToString(all[i].sum[:])
	}
	return out
}

// minPopulation is the smallest population a sample is drawn from: one
// member is tested whole.
const minPopulation = 2

// drawSamples draws the sample of every control with a population of
// elements or of occurrences, in control order.
func drawSamples(r *Results, rules []mappings.Rule) []Sample {
	byID := map[string]*mappings.Rule{}
	for i := range rules {
		byID[rules[i].ID] = &rules[i]
	}
	idx := newSampleIndex(r)
	out := []Sample{}
	for i := range r.Controls {
		c := &r.Controls[i]
		if pop := elementPopulation(c); len(pop) >= minPopulation {
			out = append(out, draw(r, c.Ref, PopulationElements, "", FrequencyOfSize(len(pop)), pop, 0))
		}
		ids := slices.Compact(slices.Sorted(slices.Values(c.Rules)))
		for _, id := range ids {
			rule := byID[id]
			if rule == nil {
				continue
			}
			for _, req := range rule.Evidence {
				if req.Occurrences == nil {
					continue
				}
				name := rule.ID + "/" + req.ID
				if pop := idx.occurrences(c, rule.ID, req.ID); len(pop) >= minPopulation {
					out = append(out, draw(r, c.Ref, PopulationOccurrences, name, FrequencyOfSpacing(req.Occurrences.EveryDays), pop, 0))
				}
			}
		}
	}
	return out
}

// draw selects from pop; size 0 takes the table's size.
func draw(r *Results, control, population, requirement, frequency string, pop []SampleMember, size int) Sample {
	seed := SampleSeed(r.Inputs, control, population, requirement)
	if size <= 0 {
		size, _ = SampleSize(frequency, len(pop))
	}
	size = min(size, len(pop))
	return Sample{Control: control, Population: population, Requirement: requirement, Frequency: frequency,
		PopulationSize: len(pop), Seed: seed, Size: size, Members: Select(seed, pop, size)}
}

// Sampler draws a results' samples again (see [Sampler.Redraw]); it
// indexes the results once for every draw.
type Sampler struct {
	r        *Results
	idx      *sampleIndex
	controls map[string]*Control
}

// NewSampler returns a sampler for r, which it reads and never changes.
func NewSampler(r *Results) *Sampler {
	x := &Sampler{r: r, idx: newSampleIndex(r), controls: map[string]*Control{}}
	for i := range r.Controls {
		if c := &r.Controls[i]; x.controls[c.Ref] == nil {
			x.controls[c.Ref] = c
		}
	}
	return x
}

// Redraw draws s again: the population as the results' controls and rule
// results give it, the seed from their inputs, and the size from the
// table at s's frequency, or size when it is positive (at most the
// population). A redraw of untouched results at the table's size equals
// s.
func (x *Sampler) Redraw(s Sample, size int) (Sample, error) {
	c := x.controls[s.Control]
	if c == nil {
		return Sample{}, fmt.Errorf("sample of %s: no such control in the results", s.Control)
	}
	if _, ok := SampleSize(s.Frequency, 1); !ok {
		return Sample{}, fmt.Errorf("sample of %s: unknown frequency %q", s.Control, s.Frequency)
	}
	var pop []SampleMember
	switch s.Population {
	case PopulationElements:
		pop = elementPopulation(c)
	case PopulationOccurrences:
		rule, req, ok := strings.Cut(s.Requirement, "/")
		if !ok {
			return Sample{}, fmt.Errorf("sample of %s: requirement %q is not RULE/REQUIREMENT", s.Control, s.Requirement)
		}
		pop = x.idx.occurrences(c, rule, req)
	default:
		return Sample{}, fmt.Errorf("sample of %s: unknown population %q", s.Control, s.Population)
	}
	return draw(x.r, s.Control, s.Population, s.Requirement, s.Frequency, pop, size), nil
}

// elementPopulation is the distinct elements of a control's findings, but
// for system-level and not-applicable ones, in id order.
func elementPopulation(c *Control) []SampleMember {
	var out []SampleMember
	seen := map[string]bool{}
	for _, f := range c.Findings {
		if f.Element.ID == "" || f.Assessed == eval.NotApplicable || seen[f.Element.ID] {
			continue
		}
		seen[f.Element.ID] = true
		out = append(out, SampleMember{ID: f.Element.ID, Kind: f.Element.Kind, Name: f.Element.Name})
	}
	slices.SortFunc(out, func(a, b SampleMember) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// sampleIndex finds the rule results behind a control's findings.
type sampleIndex struct {
	results map[[2]string]*eval.Result
	titles  map[string]string
}

func newSampleIndex(r *Results) *sampleIndex {
	x := &sampleIndex{results: map[[2]string]*eval.Result{}, titles: map[string]string{}}
	for i := range r.RuleResults {
		rr := &r.RuleResults[i]
		k := [2]string{rr.Rule, rr.Element.ID}
		if x.results[k] == nil {
			x.results[k] = rr
		}
	}
	for _, it := range r.Evidence.Items {
		x.titles[it.ID] = it.Title
	}
	return x
}

// occurrences is the distinct evidence items that the results of rule,
// on the control's findings, checked for requirement req, in id order.
func (x *sampleIndex) occurrences(c *Control, rule, req string) []SampleMember {
	var out []SampleMember
	seen := map[string]bool{}
	for _, f := range c.Findings {
		rr := x.results[[2]string{f.Rule, f.Element.ID}]
		if f.Rule != rule || rr == nil {
			continue
		}
		for _, u := range rr.Evidence {
			if u.Requirement != req || seen[u.Item] {
				continue
			}
			seen[u.Item] = true
			name := u.Title
			if name == "" {
				name = x.titles[u.Item]
			}
			out = append(out, SampleMember{ID: u.Item, Kind: "evidence", Name: name, Date: u.CollectedAt})
		}
	}
	slices.SortFunc(out, func(a, b SampleMember) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// SizeBasis says in words which row of the sampling table gave the
// size, and why that row.
func (s Sample) SizeBasis() string {
	if s.Population == PopulationOccurrences {
		return fmt.Sprintf("%s row, by the spacing %s asks for", s.Frequency, s.Requirement)
	}
	return fmt.Sprintf("%s row, by a population of %d", s.Frequency, s.PopulationSize)
}

// Of returns what a sample is drawn from, in words: "elements" or
// "occurrences of RULE/REQUIREMENT".
func (s Sample) Of() string {
	if s.Requirement != "" {
		return s.Population + " of " + s.Requirement
	}
	return s.Population
}

// SizeRanges describes row i of [SizeTable] in words: the populations and
// the spacings of occurrences, in days, that it is for.
func SizeRanges(i int) (population, spacing string) {
	row := SizeTable[i]
	from := 1
	if i > 0 {
		from = SizeTable[i-1].MaxPopulation + 1
	}
	switch {
	case row.MaxPopulation == 0:
		population = fmt.Sprintf("%d or more", from)
	case from == row.MaxPopulation:
		population = fmt.Sprint(from)
	default:
		population = fmt.Sprintf("%d to %d", from, row.MaxPopulation)
	}
	switch {
	case row.MinEveryDays == 0:
		spacing = "less than 1"
	case i == 0:
		spacing = fmt.Sprintf("%d or more", row.MinEveryDays)
	default:
		spacing = fmt.Sprintf("%d to %d", row.MinEveryDays, SizeTable[i-1].MinEveryDays-1)
	}
	return population, spacing
}
