package diff

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
)

func ctl(fw, id string, v eval.Verdict, findings ...audit.Finding) audit.Control {
	if findings == nil {
		findings = []audit.Finding{}
	}
	return audit.Control{Framework: fw, ID: id, Ref: fw + ":" + id, Name: "control " + id, Verdict: v, Findings: findings}
}

func finding(rule, element string, v eval.Verdict) audit.Finding {
	return audit.Finding{Rule: rule, Element: eval.ElementRef{ID: element, Kind: "dataflow", Name: element}, Verdict: v, Assessed: v}
}

// results builds a small pair of results from its arguments; every other
// field is equal between the two so that only what a test sets differs.
func results(asOf string, controls ...audit.Control) *audit.Results {
	return &audit.Results{
		SchemaVersion: audit.SchemaVersion,
		Tool:          audit.Tool{Name: "auditpack", Version: "1.0.0"},
		Project:       audit.Project{Organisation: "Org", System: "Sys", AsOf: asOf},
		RuleSets:      []audit.RuleSetInfo{{ID: "rs", Version: "1"}},
		Frameworks:    []audit.FrameworkInfo{{ID: "pci-dss", Version: "4.0.1"}, {ID: "aicpa-tsc", Version: "2017"}},
		Controls:      controls,
	}
}

func TestRegressionsComeFirstOrderedByHowMuchWorse(t *testing.T) {
	old := results("2026-09-30",
		ctl("pci-dss@4.0.1", "10.2.1", eval.Satisfied),
		ctl("pci-dss@4.0.1", "2.2.1", eval.Satisfied),
		ctl("pci-dss@4.0.1", "3.5.1", eval.Excepted),
		ctl("pci-dss@4.0.1", "4.2.1", eval.Satisfied),
		ctl("aicpa-tsc@2017", "CC6.7", eval.NotSatisfied),
		ctl("aicpa-tsc@2017", "CC6.1", eval.Manual),
		ctl("pci-dss@4.0.1", "1.1.1", eval.NotApplicable),
	)
	new := results("2026-12-31",
		ctl("pci-dss@4.0.1", "10.2.1", eval.Excepted),     // satisfied → excepted: worse by 2
		ctl("pci-dss@4.0.1", "2.2.1", eval.NotSatisfied),  // worse by 4
		ctl("pci-dss@4.0.1", "3.5.1", eval.Satisfied),     // excepted → satisfied: better by 2
		ctl("pci-dss@4.0.1", "4.2.1", eval.NeedsEvidence), // worse by 3
		ctl("aicpa-tsc@2017", "CC6.7", eval.Satisfied),    // better by 4
		ctl("aicpa-tsc@2017", "CC6.1", eval.Manual),       // unchanged
		ctl("pci-dss@4.0.1", "1.1.1", eval.NotApplicable), // unchanged
		ctl("pci-dss@4.0.1", "12.1.1", eval.Manual),       // new
	)
	ch := Compare(old, new)
	var got []string
	for _, c := range ch.Controls {
		got = append(got, c.Direction+" "+c.Ref+" "+string(c.From)+">"+string(c.To))
	}
	want := []string{
		"regression pci-dss@4.0.1:2.2.1 satisfied>not-satisfied",
		"regression pci-dss@4.0.1:4.2.1 satisfied>needs-evidence",
		"regression pci-dss@4.0.1:10.2.1 satisfied>excepted",
		"improvement aicpa-tsc@2017:CC6.7 not-satisfied>satisfied",
		"improvement pci-dss@4.0.1:3.5.1 excepted>satisfied",
		"added pci-dss@4.0.1:12.1.1 >manual",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("control changes:\n got %q\nwant %q", got, want)
	}
	if !ch.Regressed() || ch.Summary.Regressions != 3 || ch.Summary.Improvements != 2 || ch.Summary.ControlsAdded != 1 {
		t.Errorf("summary %+v", ch.Summary)
	}
}

func TestTieBreakIsPublisherOrder(t *testing.T) {
	old := results("a", ctl("pci-dss@4.0.1", "10.1.1", eval.Satisfied), ctl("pci-dss@4.0.1", "9.1.1", eval.Satisfied),
		ctl("aicpa-tsc@2017", "PI1.1", eval.Satisfied), ctl("aicpa-tsc@2017", "CC9.1", eval.Satisfied))
	new := results("b", ctl("pci-dss@4.0.1", "10.1.1", eval.Manual), ctl("pci-dss@4.0.1", "9.1.1", eval.Manual),
		ctl("aicpa-tsc@2017", "PI1.1", eval.Manual), ctl("aicpa-tsc@2017", "CC9.1", eval.Manual))
	var got []string
	for _, c := range Compare(old, new).Controls {
		got = append(got, c.Ref)
	}
	want := []string{"aicpa-tsc@2017:CC9.1", "aicpa-tsc@2017:PI1.1", "pci-dss@4.0.1:9.1.1", "pci-dss@4.0.1:10.1.1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestFindingChangesExplainAControl(t *testing.T) {
	old := results("a", ctl("pci-dss@4.0.1", "4.2.1", eval.Satisfied,
		finding("r1", "f-a", eval.Satisfied), finding("r1", "f-b", eval.Satisfied), finding("r1", "f-gone", eval.Satisfied)))
	new := results("b", ctl("pci-dss@4.0.1", "4.2.1", eval.NotSatisfied,
		finding("r1", "f-a", eval.NotSatisfied), finding("r1", "f-b", eval.Satisfied), finding("r1", "f-new", eval.Satisfied)))
	ch := Compare(old, new)
	if len(ch.Controls) != 1 {
		t.Fatalf("%d control changes", len(ch.Controls))
	}
	var got []string
	for _, f := range ch.Controls[0].Findings {
		got = append(got, f.Element.ID+" "+string(f.From)+">"+string(f.To))
	}
	want := []string{"f-a satisfied>not-satisfied", "f-new >satisfied", "f-gone satisfied>"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestScopeEvidenceExceptionsAndVersions(t *testing.T) {
	old := results("2026-09-30")
	new := results("2026-12-31")
	old.Model.Flows = []audit.FlowInfo{{Flow: model.Flow{ID: "f-keep"}}, {Flow: model.Flow{ID: "f-gone"}}}
	new.Model.Flows = []audit.FlowInfo{{Flow: model.Flow{ID: "f-keep"}}, {Flow: model.Flow{ID: "f-new"}}}
	rr := func(rule, el string, ev ...eval.EvidenceUse) eval.Result {
		return eval.Result{Rule: rule, Element: eval.ElementRef{ID: el, Kind: "dataflow"}, Evidence: ev}
	}
	old.RuleResults = []eval.Result{rr("r1", "f-keep"), rr("r1", "f-gone"), rr("r2", "", eval.EvidenceUse{Item: "EV-OLD", Status: "ok"})}
	new.RuleResults = []eval.Result{rr("r1", "f-keep"), rr("r2", "f-keep", eval.EvidenceUse{Item: "EV-TLS", Status: eval.TooOld, Message: "older than 90 days"}), rr("r1", "f-new")}
	old.Evidence.Items = []audit.EvidenceItem{
		{ID: "EV-TLS", Status: "ok"}, {ID: "EV-HASH", Status: "ok"}, {ID: "EV-GONE", Status: "ok"}, {ID: "EV-STALE", Status: "ok"},
	}
	new.Evidence.Items = []audit.EvidenceItem{
		{ID: "EV-TLS", Status: "ok"}, {ID: "EV-HASH", Status: "ok"}, {ID: "EV-NEW", Status: "ok"}, {ID: "EV-STALE", Status: "stale"},
	}
	old.Evidence.Items[1].Files = fileStatus("a.txt", "11")
	new.Evidence.Items[1].Files = fileStatus("a.txt", "22")
	old.Exceptions = []audit.ExceptionInfo{{ID: "EX-1", Status: "active"}, {ID: "EX-2", Status: "active"}, {ID: "EX-3", Status: "pending"}}
	new.Exceptions = []audit.ExceptionInfo{{ID: "EX-1", Status: "expired"}, {ID: "EX-3", Status: "active"}, {ID: "EX-4", Status: "active"}}
	new.Tool.Version = "1.1.0"
	new.RuleSets[0].Version = "2"
	new.Frameworks = new.Frameworks[:1]

	ch := Compare(old, new)
	b, _ := json.Marshal(struct {
		S []ScopeChange
		E []EvidenceChange
		X []ExceptionChange
		V []VersionChange
	}{ch.Scope, ch.Evidence, ch.Exceptions, ch.Versions})
	want := `{"S":[` +
		`{"element":{"id":"f-new","kind":"dataflow","name":""},"change":"added","rules_added":["r1"],"rules_removed":[]},` +
		`{"element":{"id":"f-gone","kind":"dataflow","name":""},"change":"removed","rules_added":[],"rules_removed":["r1"]},` +
		`{"element":{"id":"f-keep","kind":"dataflow","name":""},"change":"changed","rules_added":["r2"],"rules_removed":[]}],` +
		`"E":[{"item":"EV-GONE","title":"","change":"removed","from":"ok","used_by":[]},` +
		`{"item":"EV-HASH","title":"","change":"hash-changed","file":"a.txt","old_sha256":"11","new_sha256":"22","used_by":[]},` +
		`{"item":"EV-NEW","title":"","change":"added","to":"ok","used_by":[]},` +
		`{"item":"EV-STALE","title":"","change":"stale","from":"ok","to":"stale","used_by":[]},` +
		`{"item":"EV-TLS","title":"","change":"stale","from":"ok","to":"too-old","message":"older than 90 days","used_by":[]}],` +
		`"X":[{"id":"EX-1","change":"expired","from":"active","to":"expired","expires_on":""},` +
		`{"id":"EX-2","change":"removed","from":"active","expires_on":""},` +
		`{"id":"EX-3","change":"status","from":"pending","to":"active","expires_on":""},` +
		`{"id":"EX-4","change":"added","to":"active","expires_on":""}],` +
		`"V":[{"kind":"tool","id":"auditpack","from":"1.0.0","to":"1.1.0"},` +
		`{"kind":"rule-set","id":"rs","from":"1","to":"2"},` +
		`{"kind":"framework","id":"aicpa-tsc","from":"2017"}]}`
	if string(b) != want {
		t.Fatalf("changes:\n got %s\nwant %s", b, want)
	}
	if ch.Regressed() {
		t.Error("no control changed, so nothing regressed")
	}
}

func fileStatus(p, sum string) []evidence.FileStatus {
	return []evidence.FileStatus{{Path: p, SHA256: sum, OK: true}}
}

func TestCompareIsDeterministicAndLeavesItsInputsAlone(t *testing.T) {
	old := results("a", ctl("pci-dss@4.0.1", "4.2.1", eval.Satisfied, finding("r1", "f", eval.Satisfied)))
	new := results("b", ctl("pci-dss@4.0.1", "4.2.1", eval.NotSatisfied, finding("r1", "f", eval.NotSatisfied)))
	before, _ := json.Marshal([]*audit.Results{old, new})
	a, _ := json.Marshal(Compare(old, new))
	b, _ := json.Marshal(Compare(old, new))
	after, _ := json.Marshal([]*audit.Results{old, new})
	if string(a) != string(b) {
		t.Error("two comparisons differ")
	}
	if string(before) != string(after) {
		t.Error("Compare changed its inputs")
	}
	empty := Compare(old, old)
	if !empty.Empty() || empty.Regressed() {
		t.Errorf("a result compared with itself must show no change: %+v", empty)
	}
	raw, _ := json.Marshal(empty)
	var m map[string]any
	json.Unmarshal(raw, &m)
	for _, k := range []string{"controls", "scope", "evidence", "exceptions", "versions"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s must serialise as an empty list, got %v", k, m[k])
		}
	}
	if m["schema_version"] != SchemaVersion {
		t.Errorf("schema_version %v", m["schema_version"])
	}
}
