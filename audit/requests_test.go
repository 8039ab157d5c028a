package audit

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

func requestFixture(t *testing.T) requestIn {
	t.Helper()
	m := &model.Model{
		Zones: []model.Zone{{ID: "corp", Name: "Corporate"}, {ID: "cde", Name: "CDE", Parent: "corp"}},
		Components: []model.Component{
			{ID: "api", Name: "API", Kind: model.KindProcess, Zone: "cde"},
			{ID: "db", Name: "DB", Kind: model.KindDatastore, Zone: "cde"},
			{ID: "bank", Name: "Bank", Kind: model.KindExternalEntity},
		},
		Flows: []model.Flow{{ID: "f1", Name: "Pay", Source: "bank", Target: "api"}},
	}
	x, err := model.New(m)
	if err != nil {
		t.Fatal(err)
	}
	scan := mappings.EvidenceRequirement{ID: "scan", Kinds: []string{"asv-scan"}, Per: mappings.PerRule, MaxAgeDays: 92,
		Facts: []mappings.Predicate{{Field: "scan.critical_open", Op: "eq", Value: 0}}}
	tls := mappings.EvidenceRequirement{ID: "tls", Kinds: []string{"tls-scan"}, Per: mappings.PerElement, MaxAgeDays: 90}
	review := mappings.EvidenceRequirement{ID: "review", Kinds: []string{"access-review"}, Per: mappings.PerRule,
		Occurrences: &mappings.Occurrences{Count: 4, EveryDays: 92, SpreadOverPeriod: true}}
	opt := mappings.EvidenceRequirement{ID: "extra", Kinds: []string{"document"}, Optional: true}
	rules := []mappings.Rule{
		{ID: "r-scan", Evidence: []mappings.EvidenceRequirement{scan}},
		{ID: "r-tls", Evidence: []mappings.EvidenceRequirement{tls, opt}},
		{ID: "r-review", Evidence: []mappings.EvidenceRequirement{review}},
	}
	infos := []RuleInfo{{ID: "r-scan", Controls: []string{"pci-dss:11.3.2"}}, {ID: "r-tls", Controls: []string{"pci-dss:4.2.1"}},
		{ID: "r-review", Controls: []string{"aicpa-tsc:CC6.3"}}}
	return requestIn{rules: rules, infos: infos, x: x,
		items:      []EvidenceItem{{ID: "EV-TLS", Kind: "tls-scan", Owner: "Network team"}, {ID: "EV-REV", Kind: "access-review", Owner: "IAM"}},
		zoneOwners: map[string]string{"corp": "Platform"},
		asOf:       time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC),
		start:      time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), end: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		dueDays: 14}
}

var (
	system = eval.ElementRef{Kind: model.KindSystem}
	flow   = eval.ElementRef{ID: "f1", Kind: model.KindDataflow, Name: "Pay"}
)

// Each reason that asks for evidence becomes one request with what it
// needs, for which element, over which period, from whom and by when;
// reasons that ask for nothing, and optional requirements, make none.
func TestEvidenceRequestsFromReasons(t *testing.T) {
	for _, tc := range []struct {
		name   string
		result eval.Result
		want   []string // "need rule requirement elements period owner(source) items", in output order
	}{
		{"missing per element, owner by zone of the flow's target",
			eval.Result{Rule: "r-tls", Element: flow, Verdict: eval.NeedsEvidence,
				Reasons: []eval.Reason{{Code: "evidence-missing", Message: `no tls-scan evidence (tls) for dataflow "Pay"`}}},
			[]string{"missing r-tls tls [f1] 2026-08-17..2026-11-15 Platform(zone corp) []"}},
		{"too old: renew, owner of the item",
			eval.Result{Rule: "r-tls", Element: flow, Verdict: eval.NeedsEvidence,
				Reasons:  []eval.Reason{{Code: "evidence-too-old", Message: "tls: evidence EV-TLS is 195 days old; the rule accepts at most 90"}},
				Evidence: []eval.EvidenceUse{{Requirement: "tls", Item: "EV-TLS", Status: eval.TooOld}}},
			[]string{"renew r-tls tls [f1] 2026-08-17..2026-11-15 Network team(evidence-item EV-TLS) [EV-TLS]"}},
		{"uncovered hosts: one request per element named",
			eval.Result{Rule: "r-scan", Element: system, Verdict: eval.NeedsEvidence,
				Reasons: []eval.Reason{{Code: "evidence-ok", Message: "scan backed by EV-ASV"},
					{Code: "evidence-not-covering", Message: `scan: no counted evidence covers the in-scope process "API" (api.example); datastore "DB" (10.0.0.2)`}}},
			[]string{"coverage r-scan scan [api] 2026-08-15..2026-11-15 Platform(zone corp) []",
				"coverage r-scan scan [db] 2026-08-15..2026-11-15 Platform(zone corp) []"}},
		{"occurrences over the audit period, owner by kind",
			eval.Result{Rule: "r-review", Element: system, Verdict: eval.NeedsEvidence,
				Reasons: []eval.Reason{{Code: "occurrences-missing", Message: "review asks for 4 access-review items, at most 92 days apart, over the audit period; 2 found"}}},
			[]string{"occurrences r-review review [] 2025-12-01..2026-11-15 IAM(evidence-kind access-review) []"}},
		{"stated, not read: the counted item's file is asked for",
			eval.Result{Rule: "r-tls", Element: flow, Verdict: eval.Satisfied,
				Reasons:  []eval.Reason{{Code: "evidence-ok", Message: "tls backed by EV-TLS"}},
				Evidence: []eval.EvidenceUse{{Requirement: "tls", Item: "EV-TLS", Status: eval.EvidenceOK, StatedOnly: []string{"tls.min_version"}}}},
			[]string{"read-facts r-tls tls [f1] 2026-08-17..2026-11-15 Network team(evidence-item EV-TLS) [EV-TLS]"}},
		{"facts only stated where the rule reads files: the file is asked for",
			eval.Result{Rule: "r-tls", Element: flow, Verdict: eval.NeedsEvidence,
				Reasons:  []eval.Reason{{Code: "evidence-facts-missing", Message: "tls: evidence EV-TLS does not show whether tls.min_version gte 1.2: tls.min_version is stated, not read, and the rule takes only facts read from the evidence files"}},
				Evidence: []eval.EvidenceUse{{Requirement: "tls", Item: "EV-TLS", Status: eval.FactsMissing, StatedOnly: []string{"tls.min_version"}}}},
			[]string{"read-facts r-tls tls [f1] 2026-08-17..2026-11-15 Network team(evidence-item EV-TLS) [EV-TLS]"}},
		{"nothing asked: evidence ok, contradicting, optional, not covering per element",
			eval.Result{Rule: "r-tls", Element: flow, Verdict: eval.NotSatisfied,
				Reasons: []eval.Reason{{Code: "evidence-contradicts", Message: "tls: evidence EV-TLS does not show"},
					{Code: "evidence-missing", Message: "no document evidence (extra) for the rule"},
					{Code: "evidence-not-covering", Message: "tls: EV-X covers other hosts"}}},
			nil},
		{"needs evidence for an unnamed reason: still requested",
			eval.Result{Rule: "r-scan", Element: system, Verdict: eval.NeedsEvidence,
				Reasons: []eval.Reason{{Code: "evidence-something-new", Message: "no requirement named here"}}},
			[]string{"evidence r-scan scan [] 2026-08-15..2026-11-15 -() []"}},
	} {
		in := requestFixture(t)
		in.results = []eval.Result{tc.result}
		var got []string
		for _, r := range evidenceRequests(in) {
			var els []string
			for _, e := range r.Elements {
				els = append(els, e.ID)
			}
			owner := r.Owner
			if owner == "" {
				owner = "-"
			}
			got = append(got, r.Need+" "+r.Rule+" "+r.Requirement+" ["+strings.Join(els, " ")+"] "+r.PeriodFrom+".."+r.PeriodTo+" "+
				owner+"("+r.OwnerSource+") ["+strings.Join(r.Items, " ")+"]")
			if r.Due != "2026-11-29" || !strings.HasPrefix(r.ID, "ER-") || len(r.Controls) != 1 || r.Reason == "" {
				t.Errorf("%s: %+v: want due 2026-11-29, an ER- id, the rule's control and the reason", tc.name, r)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// A request's id depends on what it asks, not on the order results come
// in, and the list is sorted whatever that order.
func TestEvidenceRequestsStableAndSorted(t *testing.T) {
	in := requestFixture(t)
	a := eval.Result{Rule: "r-tls", Element: flow, Verdict: eval.NeedsEvidence,
		Reasons: []eval.Reason{{Code: "evidence-missing", Message: "no tls-scan evidence (tls) for x"}}}
	b := eval.Result{Rule: "r-review", Element: system, Verdict: eval.NeedsEvidence,
		Reasons: []eval.Reason{{Code: "occurrences-missing", Message: "review asks for 4 items"}}}
	in.results = []eval.Result{a, b}
	one := evidenceRequests(in)
	in.results = []eval.Result{b, a}
	two := evidenceRequests(in)
	if len(one) != 2 || one[0].ID != two[0].ID || one[1].ID != two[1].ID || one[0].Rule != "r-review" {
		t.Fatalf("not stable or not sorted: %+v / %+v", one, two)
	}
	if one[0].ID == one[1].ID {
		t.Error("two requests share an id")
	}
	in.dueDays = 30
	if got := evidenceRequests(in)[0].Due; got != "2026-12-15" {
		t.Errorf("due %s with 30 days, want 2026-12-15", got)
	}
	if requestID("r", "q", NeedMissing, []string{"a"}) == requestID("r", "q", NeedMissing, []string{"b"}) {
		t.Error("the elements must change the id")
	}
}
