package eval

import (
	"testing"

	"github.com/auditpack/auditpack/audit/evidence"
)

func scanItem(id, at, version string) map[string]any {
	it := map[string]any{"id": id, "kind": "tls-scan", "collected_at": at,
		"supports": []any{map[string]any{"element": "f-a", "capability": "encrypt-in-transit"}}}
	if version != "" {
		it["facts"] = map[string]any{"tls.min_version": version}
	}
	return it
}

func use(r Result, item string) *EvidenceUse {
	for i := range r.Evidence {
		if r.Evidence[i].Item == item {
			return &r.Evidence[i]
		}
	}
	return nil
}

func TestNewestResultDecides(t *testing.T) {
	cases := []struct {
		name    string
		items   []map[string]any
		problem map[string]evidence.ProblemType // added to an item after verification
		want    Verdict
		decider string
		// superseded: item → the item it is superseded by ("" for none)
		superseded map[string]string
	}{
		{name: "older pass, newer fail", items: []map[string]any{scanItem("EV-OLD", "2026-09-01", "1.2"), scanItem("EV-NEW", "2026-10-01", "1.0")},
			want: NotSatisfied, superseded: map[string]string{"EV-OLD": "EV-NEW", "EV-NEW": ""}},
		{name: "older fail, newer pass", items: []map[string]any{scanItem("EV-OLD", "2026-09-01", "1.0"), scanItem("EV-NEW", "2026-10-01", "1.2")},
			want: Satisfied, superseded: map[string]string{"EV-OLD": "EV-NEW"}},
		{name: "same time, the failure wins", items: []map[string]any{scanItem("EV-P", "2026-10-01", "1.2"), scanItem("EV-F", "2026-10-01", "1.0")},
			want: NotSatisfied, superseded: map[string]string{"EV-P": "EV-F", "EV-F": ""}},
		{name: "same time, same outcome, neither supersedes", items: []map[string]any{scanItem("EV-1", "2026-10-01", "1.2"), scanItem("EV-2", "2026-10-01", "1.3")},
			want: Satisfied, superseded: map[string]string{"EV-1": "", "EV-2": ""}},
		{name: "a newer item silent on the fact is no result", items: []map[string]any{scanItem("EV-OLD", "2026-09-01", "1.2"), scanItem("EV-PDF", "2026-10-01", "")},
			want: Satisfied, superseded: map[string]string{"EV-OLD": "", "EV-PDF": ""}},
		{name: "a newer failing item whose read and stated facts disagree still decides",
			items:   []map[string]any{scanItem("EV-OLD", "2026-09-01", "1.2"), scanItem("EV-NEW", "2026-10-01", "1.0")},
			problem: map[string]evidence.ProblemType{"EV-NEW": evidence.FactsDisagree},
			want:    NotSatisfied, superseded: map[string]string{"EV-OLD": "EV-NEW"}},
		{name: "a damaged newer item decides nothing and supersedes nothing",
			items:   []map[string]any{scanItem("EV-OLD", "2026-09-01", "1.2"), scanItem("EV-NEW", "2026-10-01", "1.0")},
			problem: map[string]evidence.ProblemType{"EV-NEW": evidence.HashMismatch},
			want:    Satisfied, superseded: map[string]string{"EV-OLD": "", "EV-NEW": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := threeBanks(t, nil)
			idx := bundleOf(t, c.items, nil)
			for id, p := range c.problem {
				st, _ := idx.Item(id)
				st.Problems = append(st.Problems, evidence.Problem{Type: p, Item: id, Message: "set by the test"})
			}
			r := verdicts(t, x, idx)["f-a"]
			if r.Verdict != c.want {
				t.Errorf("verdict %s, want %s: %v", r.Verdict, c.want, r.Reasons)
			}
			for item, by := range c.superseded {
				u := use(r, item)
				if u == nil {
					t.Errorf("%s is not among the uses", item)
					continue
				}
				if u.SupersededBy != by {
					t.Errorf("%s superseded by %q, want %q (status %s)", item, u.SupersededBy, by, u.Status)
				}
			}
		})
	}
}

func TestSupersededReasonOnlyWhenOutcomeDiffers(t *testing.T) {
	x := threeBanks(t, nil)
	idx := bundleOf(t, []map[string]any{scanItem("EV-OLD", "2026-09-01", "1.2"), scanItem("EV-NEW", "2026-10-01", "1.3")}, nil)
	r := verdicts(t, x, idx)["f-a"]
	if u := use(r, "EV-OLD"); u == nil || u.SupersededBy != "EV-NEW" {
		t.Fatalf("the older pass is not listed as superseded by the newer one: %+v", r.Evidence)
	}
	for _, why := range r.Reasons {
		if why.Code == "evidence-superseded" {
			t.Errorf("an older item agreeing with the newer one gave a superseded reason: %s", why.Message)
		}
	}
}
