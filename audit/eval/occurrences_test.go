package eval_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
	"github.com/auditpack/auditpack/mappings"
)

// evaluateVector runs one rule on a vector's model and evidence with the
// previous results given.
func evaluateVector(t *testing.T, file string, prev *eval.Previous) map[string]eval.Result {
	t.Helper()
	v := readVector(t, file)
	r := builtinRules(t)[v.Rule]
	m, err := native.Decode(nil, v.File+"#/model", v.Model)
	if err != nil {
		t.Fatal(err)
	}
	x, err := model.New(m)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := json.Marshal(map[string]any{"schema": evidence.SchemaVersion, "items": v.Evidence})
	if err != nil {
		t.Fatal(err)
	}
	man, err := evidence.ParseManifest(v.File, doc)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := evidence.Verify(v.Bundle, man, evidence.Options{AsOf: v.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]eval.Result{}
	for _, res := range eval.Evaluate(eval.Input{Model: x, Rules: []mappings.Rule{r}, Evidence: idx, AsOf: v.AsOf, Previous: prev}) {
		out[res.Element.ID] = res
	}
	return out
}

func hasReason(res eval.Result, code, text string) bool {
	return slices.ContainsFunc(res.Reasons, func(r eval.Reason) bool { return r.Code == code && strings.Contains(r.Message, text) })
}

// A segmentation test must follow a change that brought a flow into its
// scope; the previous results' date stands for the change's.
func TestAfterSignificantChange(t *testing.T) {
	const file = vectorRoot + "/pci-11.4.5-segmentation-testing/satisfied-tested-segmentation.yaml"
	const rule = "pci-11.4.5-segmentation-testing"
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

	got := evaluateVector(t, file, nil)
	if res := got["f-report"]; res.Verdict != eval.Satisfied || !hasReason(res, "after-change-unchecked", "no previous results") {
		t.Errorf("without previous results: %s %v; want satisfied, saying the change could not be checked", res.Verdict, res.Reasons)
	}

	// f-report was not in the rule's scope on 2026-06-01; the only test
	// is from 2026-05-20, before the change.
	prev := &eval.Previous{AsOf: day("2026-06-01"), Targets: map[string]map[string]bool{rule: {"f-refund": true}}}
	got = evaluateVector(t, file, prev)
	if res := got["f-report"]; res.Verdict != eval.NeedsEvidence || !hasReason(res, "after-change-missing", `dataflow "Settlement report" newly in scope`) ||
		!hasReason(res, "after-change-missing", "after that") {
		t.Errorf("new flow, older test: %s %v; want needs-evidence naming the flow", res.Verdict, res.Reasons)
	}
	if res := got["f-refund"]; res.Verdict != eval.Satisfied {
		t.Errorf("unchanged flow: %s %v; want satisfied", res.Verdict, res.Reasons)
	}

	// Unverified previous results show the change, but cannot say the
	// unchanged flow had none.
	if res := got["f-refund"]; !hasReason(res, "after-change-unchecked", "not verified (nothing said how they were checked)") {
		t.Errorf("unchanged flow, unverified previous results: %v; want unchecked, saying they are not verified", res.Reasons)
	}
	prev.Verified = true
	if res := evaluateVector(t, file, prev)["f-refund"]; res.Verdict != eval.Satisfied || !hasReason(res, "after-change-none", "nothing came into scope since the previous results of 2026-06-01") {
		t.Errorf("unchanged flow, verified previous results: %s %v; want satisfied, nothing new", res.Verdict, res.Reasons)
	}

	// A test after the previous results covers the change; unverified, the
	// reason says the date of the change rests on unverified results.
	prev.AsOf = day("2026-04-01")
	if res := evaluateVector(t, file, prev)["f-report"]; res.Verdict != eval.Satisfied || !hasReason(res, "after-change-ok", "2026-05-20") ||
		hasReason(res, "after-change-ok", "not verified") {
		t.Errorf("new flow, newer test: %s %v; want satisfied", res.Verdict, res.Reasons)
	}
	prev.Verified, prev.Unverified = false, "a results.json file"
	if res := evaluateVector(t, file, prev)["f-report"]; res.Verdict != eval.Satisfied || !hasReason(res, "after-change-ok", "are not verified: a results.json file") {
		t.Errorf("new flow, newer test, unverified: %s %v; want satisfied, saying what is not verified", res.Verdict, res.Reasons)
	}
}
