package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// reviewModel is a small native model: a portal that handles customer
// records, with one threat that has an owner. Its data is unclassified
// unless classify is set.
func reviewModel(classify bool) string {
	cls := ""
	if classify {
		cls = `, classifications: [confidential]`
	}
	return `schema: auditpack/model/v1
title: Portal
zones:
  - {id: app, name: App zone, trust: trusted}
components:
  - {id: web, name: Web portal, kind: process, type: web-app, zone: app, processes: [cust]}
  - {id: db, name: Customer DB, kind: datastore, type: database, zone: app, stores: [cust]}
data_assets:
  - {id: cust, name: Customer records` + cls + `}
flows:
  - {id: f-db, name: Query, source: web, target: db, protocol: tls, data: [cust], encrypted: true}
threats:
  - {id: t1, title: Account takeover, severity: medium, status: mitigated, owner: Head of Security, targets: [web]}
mitigations:
  - {id: m-authz, title: RBAC, status: implemented, targets: [db], provides: [{capability: authorization, params: {model: rbac}}]}
`
}

// reviewProject writes a project with the given model, user rule file and
// extra configuration lines, and returns the configuration's path.
func reviewProject(t *testing.T, model, rules, extra string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"model.yaml": model}
	cfg := "schema: auditpack/config/v1\norganisation: Review Org\nsystem: Portal\nas_of: \"2026-11-15\"\nframeworks: [aicpa-tsc]\nmodel: model.yaml\n"
	if rules != "" {
		files["own.rules.yaml"] = rules
		cfg += "rules: [own.rules.yaml]\n"
	}
	files["auditpack.yaml"] = cfg + extra
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "auditpack.yaml")
}

func reviewResult(t *testing.T, stdout string) audit.Results {
	t.Helper()
	var res audit.Results
	if err := unmarshalResults([]byte(stdout), &res); err != nil {
		t.Fatalf("results: %v", err)
	}
	return res
}

// A user rule on the system whose fails_if holds must not come out
// satisfied: either lint refuses fails_if where it is never evaluated, or
// the engine evaluates it. Today it is ignored and the control is met.
func TestReviewSystemRuleFailsIfIsNotIgnored(t *testing.T) {
	rules := `schema: auditpack/rules/v1
ruleset: {id: own, version: "1", title: Own rules}
rules:
  - id: own-cc3.3-fraud-threats
    title: Fraud threats are recorded
    severity: medium
    satisfies: [{control: "aicpa-tsc@2017-pof2022:CC3.3", relationship: subset-of, coverage: technical}]
    applies_to: {element: system}
    fails_if: {field: threats.count, op: lte, value: 1}
`
	cfg := reviewProject(t, reviewModel(true), rules, "")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json", "--fail-on", "none")
	if code == exitInput {
		if !strings.Contains(stderr, "own.rules.yaml") || !strings.Contains(stderr, "/rules/0/fails_if") {
			t.Errorf("refused, but without naming the file and /rules/0/fails_if: %s", stderr)
		}
		return
	}
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res := reviewResult(t, stdout)
	for _, rr := range res.RuleResults {
		if rr.Rule == "own-cc3.3-fraud-threats" && rr.Verdict != "not-satisfied" {
			t.Errorf("the model has 1 threat and fails_if is threats.count lte 1, yet the rule is %s", rr.Verdict)
		}
	}
}

// not_applicable_if is evaluated in two-valued logic, so a negated test on
// a system fact the model leaves unstated (cde.components is absent when no
// data is classified) reads as "the model shows" the subject absent. It must
// ask for the scope to be confirmed instead, as expects does.
func TestReviewNotApplicableIfOnUnstatedFactIsNotAbsence(t *testing.T) {
	rules := `schema: auditpack/rules/v1
ruleset: {id: own, version: "1", title: Own rules}
rules:
  - id: own-cc6.2-cardholder-access
    title: Access to cardholder systems is provisioned by role
    severity: high
    satisfies: [{control: "aicpa-tsc@2017-pof2022:CC6.2", relationship: subset-of, coverage: technical}]
    applies_to: {element: system}
    not_applicable_if: {not: {field: cde.components, op: gte, value: 1}}
    requires: {capability: authorization}
`
	cfg := reviewProject(t, reviewModel(false), rules, "")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json", "--fail-on", "none")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res := reviewResult(t, stdout)
	for _, rr := range res.RuleResults {
		if rr.Rule == "own-cc6.2-cardholder-access" && rr.Verdict == "not-applicable" {
			t.Errorf("no data is classified, so the model states nothing about the CDE, yet the rule is not-applicable: %v", rr.Reasons)
		}
	}
	for _, c := range res.Controls {
		if c.ID == "CC6.2" && c.Verdict == "not-applicable" {
			t.Errorf("CC6.2 is not-applicable on a fact the model does not state: %s", c.Reason)
		}
	}
}

// A native model in YAML nested beyond the parser's depth limit is
// reported as "format not recognised", which hides the real problem; it
// must say the document is nested too deeply, naming the file.
func TestReviewDeepYAMLModelSaysWhy(t *testing.T) {
	deep := "schema: auditpack/model/v1\ntitle: T\ndescription: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"
	cfg := reviewProject(t, deep, "", "")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json")
	if code != exitInput || stdout != "" {
		t.Fatalf("exit %d (output %d bytes), want %d with nothing written: %s", code, len(stdout), exitInput, stderr)
	}
	if !strings.Contains(stderr, "model.yaml") || !strings.Contains(stderr, "depth") {
		t.Errorf("the message does not say the model is nested too deeply: %s", stderr)
	}
}
