package sarif

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
)

const schemaPath = "testdata/schemas/sarif/v2.1.0/sarif-schema-2.1.0.json"

func render(t *testing.T, r *audit.Results) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDemoLogMatchesTheSARIFSchema(t *testing.T) {
	s := reporttest.Schema(t, schemaPath)
	out := render(t, reporttest.Demo(t))
	if err := reporttest.Validate(s, out); err != nil {
		t.Fatalf("SARIF output does not match the 2.1.0 schema: %v", err)
	}
	if !bytes.Equal(out, render(t, reporttest.Demo(t))) {
		t.Error("two renderings of equal results differ")
	}
}

// TestTheSchemaCatchesABrokenLog keeps the schema test honest: a log with
// an invalid level must be refused.
func TestTheSchemaCatchesABrokenLog(t *testing.T) {
	s := reporttest.Schema(t, schemaPath)
	out := render(t, reporttest.Demo(t))
	broken := bytes.Replace(out, []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
	if bytes.Equal(broken, out) {
		t.Fatal("the demo has no error-level result to break")
	}
	if reporttest.Validate(s, broken) == nil {
		t.Fatal("a log with level \"fatal\" passed the schema")
	}
}

// TestOneResultPerFindingThatIsNotSatisfied checks the level of every
// result against its rule result, that satisfied and not-applicable ones
// are absent, and that the excepted finding is suppressed, never dropped.
func TestOneResultPerFindingThatIsNotSatisfied(t *testing.T) {
	r := reporttest.Demo(t)
	log := Build(r)
	want := map[string]string{}
	for _, rr := range r.RuleResults {
		if l := levelOf(rr.Verdict); l != "" {
			want[rr.Rule+"|"+rr.Element.ID] = l
		}
	}
	got := map[string]string{}
	suppressed := 0
	for _, res := range log.Runs[0].Results {
		key := res.RuleID + "|" + res.Locations[0].LogicalLocations[0].FullyQualifiedName
		if res.Locations[0].LogicalLocations[0].Kind == "system" {
			key = res.RuleID + "|"
		}
		got[key] = res.Level
		if d := log.Runs[0].Tool.Driver.Rules[res.RuleIndex].ID; d != res.RuleID {
			t.Errorf("result %s points at rule %s", res.RuleID, d)
		}
		if res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "model.yaml" {
			t.Errorf("result %s is not at the model file: %+v", key, res.Locations[0].PhysicalLocation)
		}
		if len(res.Suppressions) > 0 {
			suppressed++
			if res.Suppressions[0].Kind != "external" || res.Suppressions[0].Justification == "" {
				t.Errorf("suppression of %s: %+v", key, res.Suppressions[0])
			}
			if res.Properties["verdict"] != string(eval.Excepted) {
				t.Errorf("a suppressed result must say excepted, got %v", res.Properties["verdict"])
			}
		}
		if res.Message.Text == "" {
			t.Errorf("%s has no message", key)
		}
	}
	if len(got) != len(want) || len(log.Runs[0].Results) != len(want) {
		t.Fatalf("%d results (%d distinct), want %d", len(log.Runs[0].Results), len(got), len(want))
	}
	for k, l := range want {
		if got[k] != l {
			t.Errorf("%s: level %q, want %q", k, got[k], l)
		}
	}
	excepted := 0
	for _, c := range r.Controls {
		for _, f := range c.Findings {
			if f.Verdict == eval.Excepted {
				excepted++
			}
		}
	}
	if excepted == 0 || suppressed == 0 {
		t.Fatalf("the demo must exercise exceptions: %d excepted findings, %d suppressed results", excepted, suppressed)
	}
}

// TestPartlyExceptedFindingIsNotSuppressed: an exception for one control
// does not hide a finding that still fails another control of its rule.
func TestPartlyExceptedFindingIsNotSuppressed(t *testing.T) {
	el := eval.ElementRef{ID: "f1", Kind: "dataflow", Name: "Flow"}
	r := &audit.Results{
		Rules:       []audit.RuleInfo{{ID: "r1", Title: "Rule", Controls: []string{"fw@1:A", "fw@1:B"}}},
		RuleResults: []eval.Result{{Rule: "r1", Element: el, Verdict: eval.NotSatisfied}},
		Controls: []audit.Control{
			{Ref: "fw@1:A", Findings: []audit.Finding{{Rule: "r1", Element: el, Verdict: eval.Excepted, Assessed: eval.NotSatisfied, Exception: "EX-1"}}},
			{Ref: "fw@1:B", Findings: []audit.Finding{{Rule: "r1", Element: el, Verdict: eval.NotSatisfied, Assessed: eval.NotSatisfied}}},
		},
	}
	res := Build(r).Runs[0].Results
	if len(res) != 1 || len(res[0].Suppressions) != 0 || res[0].Level != "error" {
		t.Fatalf("got %+v", res)
	}
	r.Controls[1].Findings[0].Verdict, r.Controls[1].Findings[0].Exception = eval.Excepted, "EX-2"
	res = Build(r).Runs[0].Results
	if len(res) != 1 || len(res[0].Suppressions) != 1 || res[0].Suppressions[0].Justification != "EX-1, EX-2" {
		t.Fatalf("fully excepted: got %+v", res)
	}
	var raw map[string]any
	if err := json.Unmarshal(render(t, r), &raw); err != nil {
		t.Fatal(err)
	}
}

// TestWarningsAreToolNotifications: every warning of the run is a
// notification of level warning, at the input file it names when there is
// one, and the log stays valid.
func TestWarningsAreToolNotifications(t *testing.T) {
	r := reporttest.Demo(t)
	r.Warnings = nil
	if log := Build(r); len(log.Runs[0].Invocations) != 0 {
		t.Errorf("a run without warnings has no invocation: %+v", log.Runs[0].Invocations)
	}
	r.Warnings = []audit.Warning{
		{Source: "auditpack.yaml: at /overlay/zones/0/tags/0", Message: `zone tag "CDE" is not one auditpack reads; did you mean "cde"?`},
		{Source: "model.yaml", Message: "the model has no title; using the file name"},
		{Source: "overlay: at /overlay/flows/1", Message: "matches no element of the model"},
	}
	out := render(t, r)
	if err := reporttest.Validate(reporttest.Schema(t, schemaPath), out); err != nil {
		t.Fatalf("SARIF output with warnings does not match the 2.1.0 schema: %v", err)
	}
	var log Log
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations
	if len(inv) != 1 || !inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != len(r.Warnings) {
		t.Fatalf("invocations: %+v", inv)
	}
	wantURI := []string{"auditpack.yaml", "model.yaml", ""}
	for i, n := range inv[0].ToolExecutionNotifications {
		w := r.Warnings[i]
		if n.Level != "warning" || n.Message.Text != w.Source+": "+w.Message {
			t.Errorf("notification %d: %+v", i, n)
		}
		uri := ""
		if len(n.Locations) > 0 {
			uri = n.Locations[0].PhysicalLocation.ArtifactLocation.URI
		}
		if uri != wantURI[i] {
			t.Errorf("notification %d is at %q, want %q", i, uri, wantURI[i])
		}
	}
}
