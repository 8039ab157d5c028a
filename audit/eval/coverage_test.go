package eval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

var coverAsOf = time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)

// threeBanks is a model of three PAN flows over the internet, one to each
// acquirer, all under one TLS mitigation; hosts gives each acquirer's
// host names as the overlay would ("" for none).
func threeBanks(t *testing.T, hosts map[string][]string) *model.Index {
	t.Helper()
	m := &model.Model{Title: "Acquirers",
		Zones: []model.Zone{{ID: "internet", Name: "Internet", Trust: "public"}, {ID: "cde", Name: "CDE", Trust: "trusted", Tags: []string{"cde"}}},
		Components: []model.Component{
			{ID: "api", Name: "Payment API", Kind: "process", Zone: "cde", Processes: []string{"pan"}},
		},
		DataAssets: []model.DataAsset{{ID: "pan", Name: "PAN", Classifications: []string{"pan"}}},
		Mitigations: []model.Mitigation{{ID: "m-tls", Title: "TLS to the acquirers", Status: "implemented",
			Provides: []model.Provision{{Capability: "encrypt-in-transit", Params: map[string]any{"min_tls_version": "1.2", "cert_validation": true}}}}},
	}
	for _, b := range []string{"a", "b", "c"} {
		m.Components = append(m.Components, model.Component{ID: "bank-" + b, Name: "Acquirer " + b, Kind: "external-entity", Zone: "internet", Hosts: hosts["bank-"+b]})
		m.Flows = append(m.Flows, model.Flow{ID: "f-" + b, Name: "Authorise at " + b, Source: "api", Target: "bank-" + b, Protocol: "HTTPS",
			Data: []string{"pan"}, Encrypted: model.True, PublicNetwork: model.True})
		m.Mitigations[0].Targets = append(m.Mitigations[0].Targets, "f-"+b)
	}
	x, err := model.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// bundleOf verifies manifest items (files given by content) and lets the
// test set what each item's files were read to cover.
func bundleOf(t *testing.T, items []map[string]any, targets map[string][]string) *evidence.Index {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, it := range items {
		content := it["id"].(string) + "\n"
		sum := sha256.Sum256([]byte(content))
		p := strings.ToLower(it["id"].(string)) + ".json"
		fsys[p] = &fstest.MapFile{Data: []byte(content)}
		it["files"] = []any{map[string]any{"path": p, "sha256": hex.EncodeToString(sum[:])}}
		if _, ok := it["title"]; !ok {
			it["title"] = it["id"]
		}
	}
	doc, err := json.Marshal(map[string]any{"schema": evidence.SchemaVersion, "items": items})
	if err != nil {
		t.Fatal(err)
	}
	man, err := evidence.ParseManifest("manifest.json", doc)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := evidence.Verify(fsys, man, evidence.Options{AsOf: coverAsOf})
	if err != nil {
		t.Fatal(err)
	}
	for id, ts := range targets {
		st, ok := idx.Item(id)
		if !ok {
			t.Fatalf("no item %s", id)
		}
		st.Targets = ts
	}
	return idx
}

func builtinRule(t *testing.T, id string) mappings.Rule {
	t.Helper()
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			if r.ID == id {
				return r
			}
		}
	}
	t.Fatalf("no rule %s", id)
	return mappings.Rule{}
}

const tlsRule = "pci-4.2.1-pan-open-networks"

func verdicts(t *testing.T, x *model.Index, idx *evidence.Index) map[string]Result {
	t.Helper()
	out := map[string]Result{}
	for _, r := range Evaluate(Input{Model: x, Rules: []mappings.Rule{builtinRule(t, tlsRule)}, Evidence: idx, AsOf: coverAsOf}) {
		out[r.Element.ID] = r
	}
	return out
}

func hasReason(r Result, code, fragment string) bool {
	return slices.ContainsFunc(r.Reasons, func(re Reason) bool { return re.Code == code && strings.Contains(re.Message, fragment) })
}

var banks = map[string][]string{
	"bank-a": {"auth.bank-a.example:443"},
	"bank-b": {"10.20.0.7"},
	"bank-c": {"pay.bank-c.example:443", "pay.bank-c.example"},
}

// A scan whose file names two of the three acquirers backs those two,
// even though the manifest files it against every flow: the third is
// needs-evidence, alone, and the reason says what the scan covered.
func TestScanSupportsOnlyTheHostsItCovered(t *testing.T) {
	x := threeBanks(t, banks)
	idx := bundleOf(t, []map[string]any{{"id": "EV-TLS", "kind": "tls-scan", "collected_at": "2026-10-20",
		"facts": map[string]any{"tls.min_version": "1.2"},
		"supports": []any{
			map[string]any{"element": "f-a", "capability": "encrypt-in-transit"},
			map[string]any{"element": "f-b", "capability": "encrypt-in-transit"},
			map[string]any{"element": "f-c", "capability": "encrypt-in-transit"},
		}}}, map[string][]string{"EV-TLS": {"auth.bank-a.example:443", "auth.bank-a.example", "gw.bank-b.example:443", "10.20.0.7:443", "10.20.0.7"}})
	got := verdicts(t, x, idx)
	for id, want := range map[string]Verdict{"f-a": Satisfied, "f-b": Satisfied, "f-c": NeedsEvidence} {
		if got[id].Verdict != want {
			t.Errorf("%s is %s, want %s: %v", id, got[id].Verdict, want, got[id].Reasons)
		}
	}
	if r := got["f-c"]; !hasReason(r, "evidence-not-covering", "EV-TLS covers auth.bank-a.example:443") || !hasReason(r, "evidence-not-covering", "not pay.bank-c.example:443, pay.bank-c.example") {
		t.Errorf("f-c does not say what the scan covered: %v", r.Reasons)
	}
}

// A scan filed against a mitigation on three flows speaks for each flow
// its file shows it covered, and for none of the others.
func TestMitigationWideScanSpeaksForCoveredHosts(t *testing.T) {
	x := threeBanks(t, banks)
	idx := bundleOf(t, []map[string]any{{"id": "EV-TLS", "kind": "tls-scan", "collected_at": "2026-10-20",
		"facts": map[string]any{"tls.min_version": "1.2"}, "supports": []any{map[string]any{"mitigation": "m-tls"}}}},
		map[string][]string{"EV-TLS": {"auth.bank-a.example:443", "10.20.0.7"}})
	got := verdicts(t, x, idx)
	for id, want := range map[string]Verdict{"f-a": Satisfied, "f-b": Satisfied, "f-c": NeedsEvidence} {
		if got[id].Verdict != want {
			t.Errorf("%s is %s, want %s: %v", id, got[id].Verdict, want, got[id].Reasons)
		}
	}
}

// Without hosts declared for an element, an item whose files name what
// they covered cannot be shown to cover it: the link alone does not make
// a scan of some other server evidence, and the reason asks for the
// element's hosts in the overlay.
func TestCoverageUnmappedWithoutHosts(t *testing.T) {
	x := threeBanks(t, nil)
	idx := bundleOf(t, []map[string]any{{"id": "EV-TLS", "kind": "tls-scan", "collected_at": "2026-10-20",
		"facts": map[string]any{"tls.min_version": "1.2"}, "supports": []any{map[string]any{"element": "f-c", "capability": "encrypt-in-transit"}}}},
		map[string][]string{"EV-TLS": {"auth.bank-a.example:443"}})
	r := verdicts(t, x, idx)["f-c"]
	if r.Verdict != NeedsEvidence || !hasReason(r, "evidence-coverage-unchecked", "map its hosts in the overlay") {
		t.Errorf("f-c is %s with %v; want needs-evidence, asking for its hosts in the overlay", r.Verdict, r.Reasons)
	}
}

// An item whose files name nothing they covered is still judged by its
// link, with or without hosts in the overlay.
func TestCoverageUncheckedWithoutTargets(t *testing.T) {
	x := threeBanks(t, banks)
	idx := bundleOf(t, []map[string]any{{"id": "EV-TLS", "kind": "tls-scan", "collected_at": "2026-10-20",
		"facts": map[string]any{"tls.min_version": "1.2"}, "supports": []any{map[string]any{"element": "f-c", "capability": "encrypt-in-transit"}}}}, nil)
	if r := verdicts(t, x, idx)["f-c"]; r.Verdict != Satisfied {
		t.Errorf("f-c is %s with %v; want satisfied", r.Verdict, r.Reasons)
	}
}

// Every entry of an element's hosts must be covered: a scan of one of
// two names is not a scan of the element, and the reason names the one
// missed; a list of which the item names nothing (the resources, for a
// TLS scan) is not asked of it.
func TestEveryDeclaredHostCovered(t *testing.T) {
	x := threeBanks(t, map[string][]string{"bank-a": {"auth.bank-a.example", "203.0.113.12"}})
	x.Model.Components[1].Resources = []string{"arn:aws:elasticloadbalancing:eu-west-2:1:loadbalancer/app/bank-a"}
	x, err := model.New(x.Model)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		targets []string
		want    Verdict
	}{
		{[]string{"auth.bank-a.example:443", "auth.bank-a.example", "203.0.113.11"}, NeedsEvidence},
		{[]string{"auth.bank-a.example:443", "auth.bank-a.example", "203.0.113.12"}, Satisfied},
	} {
		idx := bundleOf(t, []map[string]any{{"id": "EV-TLS", "kind": "tls-scan", "collected_at": "2026-10-20",
			"facts": map[string]any{"tls.min_version": "1.2"}, "supports": []any{map[string]any{"element": "f-a", "capability": "encrypt-in-transit"}}}},
			map[string][]string{"EV-TLS": c.targets})
		r := verdicts(t, x, idx)["f-a"]
		if r.Verdict != c.want {
			t.Errorf("%v: f-a is %s with %v; want %s", c.targets, r.Verdict, r.Reasons, c.want)
		}
		if c.want == NeedsEvidence && !hasReason(r, "evidence-not-covering", "; not 203.0.113.12") {
			t.Errorf("%v: f-a does not name the host missed: %v", c.targets, r.Reasons)
		}
	}
}

func TestHostsOf(t *testing.T) {
	x := threeBanks(t, banks)
	if got := HostsOf(x, "f-c"); !slices.Equal(got, banks["bank-c"]) {
		t.Errorf("HostsOf(f-c) = %v, want the destination's %v", got, banks["bank-c"])
	}
	x.Flow("f-c").Hosts = []string{"edge.example:8443"}
	x.Component("bank-c").Resources = []string{"arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/c"}
	if got := HostsOf(x, "f-c"); !slices.Equal(got, []string{"edge.example:8443"}) {
		t.Errorf("HostsOf(f-c) = %v, want its own hosts", got)
	}
	if got := HostsOf(x, "bank-c"); len(got) != 3 {
		t.Errorf("HostsOf(bank-c) = %v, want hosts and resources", got)
	}
	if got := HostsOf(x, "api"); got != nil {
		t.Errorf("HostsOf(api) = %v, want none", got)
	}
}

// targetFacts gives the facts read about the element's own hosts, found
// by any name the file knows them by, and falls back to the whole file's.
func TestTargetFacts(t *testing.T) {
	x := threeBanks(t, banks)
	e := &evaluator{x: x}
	st := &evidence.ItemStatus{
		Reads: []evidence.FileRead{{Path: "tls.json", Read: &facts.Read{Covered: []facts.Target{
			{Name: "gw.bank-b.example:443", Aliases: []string{"10.20.0.7:443", "10.20.0.7"}},
			{Name: "auth.bank-a.example:443"},
		}}}},
		Facts: []evidence.ItemFact{
			{Name: "scan.tool", Value: "testssl.sh", Source: evidence.SourceRead},
			{Name: "tls.min_version", Value: "1.0", Source: evidence.SourceRead},
			{Name: "tls.min_version", Value: "1.2", Source: evidence.SourceRead, Target: "auth.bank-a.example:443"},
			{Name: "tls.min_version", Value: "1.0", Source: evidence.SourceRead, Target: "gw.bank-b.example:443"},
		},
	}
	show := func(fs []evidence.ItemFact) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Name+"="+f.Value.(string)+"@"+f.Target)
		}
		return strings.Join(out, " ")
	}
	for id, want := range map[string]string{
		"f-a": "scan.tool=testssl.sh@ tls.min_version=1.2@auth.bank-a.example:443",
		"f-b": "scan.tool=testssl.sh@ tls.min_version=1.0@gw.bank-b.example:443",
		"f-c": "scan.tool=testssl.sh@ tls.min_version=1.0@",
	} {
		if got := show(e.targetFacts(st, id)); got != want {
			t.Errorf("targetFacts(%s) = %s, want %s", id, got, want)
		}
	}
}

// A matching target silent on a fact never borrows the whole file's read
// value, which speaks for the file's other hosts; a stated value fills in,
// marked stated, and the file's own facts (the tool) still stand.
func TestTargetFactsSilentTargetBorrowsNothing(t *testing.T) {
	x := threeBanks(t, banks)
	e := &evaluator{x: x}
	st := &evidence.ItemStatus{
		Item: evidence.Item{Facts: map[string]any{"tls": map[string]any{"cert_trusted": true}}},
		Reads: []evidence.FileRead{{Path: "tls.json", Read: &facts.Read{Covered: []facts.Target{
			{Name: "gw.bank-b.example:443"}, {Name: "auth.bank-a.example:443"},
		}}}},
		Facts: []evidence.ItemFact{
			{Name: "scan.tool", Value: "testssl.sh", Source: evidence.SourceRead},
			{Name: "tls.min_version", Value: "1.2", Source: evidence.SourceRead},
			{Name: "tls.cert_trusted", Value: false, Source: evidence.SourceRead, Stated: true},
			{Name: "tls.cert_trusted", Value: false, Source: evidence.SourceRead, Target: "gw.bank-b.example:443"},
			{Name: "tls.cert_not_after", Value: "2027-06-01", Source: evidence.SourceRead, Target: "auth.bank-a.example:443"},
			{Name: "tls.min_version", Value: "1.2", Source: evidence.SourceRead, Target: "gw.bank-b.example:443"},
		},
	}
	var got []string
	for _, f := range e.targetFacts(st, "f-a") {
		got = append(got, fmt.Sprintf("%s=%v/%s@%s", f.Name, f.Value, f.Source, f.Target))
	}
	want := "scan.tool=testssl.sh/read@ tls.cert_not_after=2027-06-01/read@auth.bank-a.example:443 tls.cert_trusted=true/stated@"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("targetFacts(f-a) = %s, want %s", g, want)
	}
}
