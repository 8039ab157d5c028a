package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// checkVector runs check on one of the read-facts vectors and returns its
// results, and the project's evidence directory.
func checkVector(t *testing.T, name string) (*audit.Results, string) {
	t.Helper()
	v := readClassVector(t, filepath.Join(classRoot, "14-read-facts", name+".yaml"))
	cfg := writeClassProject(t, v)
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json")
	if code != 0 && code != exitFailing {
		t.Fatalf("check exited %d: %s", code, stderr)
	}
	var res audit.Results
	if err := unmarshalResults([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	return &res, filepath.Join(filepath.Dir(cfg), "evidence")
}

func ruleResult(t *testing.T, res *audit.Results, rule, element string) eval.Result {
	t.Helper()
	for _, rr := range res.RuleResults {
		if rr.Rule == rule && rr.Element.ID == element {
			return rr
		}
	}
	t.Fatalf("no result for %s on %s", rule, element)
	return eval.Result{}
}

func reasonsOf(rr eval.Result) string {
	var b strings.Builder
	for _, r := range rr.Reasons {
		b.WriteString(r.Code + ": " + r.Message + "\n")
	}
	return b.String()
}

func itemProblems(res *audit.Results, typ evidence.ProblemType) []evidence.Problem {
	var out []evidence.Problem
	for _, p := range res.Evidence.Problems {
		if p.Type == typ {
			out = append(out, p)
		}
	}
	return out
}

func TestCheckQuotesTheValueReadOverTheOneStated(t *testing.T) {
	res, dir := checkVector(t, "stated-1.2-file-reads-1.0-4.2.1")
	rr := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth")
	if rr.Verdict != "not-satisfied" || !strings.Contains(reasonsOf(rr), "tls.json reads tls.min_version = 1.0 at /scanResult/0/protocols/1; the manifest states 1.2") {
		t.Errorf("verdict %s, reasons:\n%s\nwant not-satisfied quoting the value read, where, and the one stated", rr.Verdict, reasonsOf(rr))
	}
	d := itemProblems(res, evidence.FactsDisagree)
	if len(d) != 1 || d[0].Item != "EV-TLS" || d[0].File != "tls.json" || !strings.Contains(d[0].Message, `the manifest states "1.2", the file reads "1.0"`) {
		t.Errorf("want one facts-disagree problem for EV-TLS tls.json, got %+v", res.Evidence.Problems)
	}
	if len(rr.Evidence) != 1 || len(rr.Evidence[0].Facts) != 1 || rr.Evidence[0].Facts[0].Source != evidence.SourceRead || len(rr.Evidence[0].StatedOnly) != 0 {
		t.Errorf("the evidence use does not carry the read fact: %+v", rr.Evidence)
	}
	code, stdout, _ := runCLI(t, "evidence", "verify", dir)
	if code == exitInput || code == exitInternal || !strings.Contains(stdout, "facts-disagree") || !strings.Contains(stdout, "EV-TLS tls.json") {
		t.Errorf("evidence verify exited %d:\n%s\nwant the disagreement shown", code, stdout)
	}
}

func TestCheckMarksAFactStatedNotRead(t *testing.T) {
	res, _ := checkVector(t, "stated-only-fact-rule-takes-read-facts")
	rr := ruleResult(t, res, "vector-4.2.1-read-tls", "f-auth")
	if rr.Verdict != "needs-evidence" || !strings.Contains(reasonsOf(rr), "tls.min_version is stated, not read") {
		t.Errorf("verdict %s, reasons:\n%s\nwant needs-evidence, stated, not read", rr.Verdict, reasonsOf(rr))
	}
	builtin := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth")
	for _, u := range append(rr.Evidence, builtin.Evidence...) {
		if !slices.Equal(u.StatedOnly, []string{"tls.min_version"}) || len(u.Facts) != 1 || u.Facts[0].Source != evidence.SourceStated {
			t.Errorf("evidence use of %s does not mark the fact stated, not read: %+v", u.Requirement, u)
		}
	}
}

func TestCheckJudgesAgeOnTheFilesOwnDate(t *testing.T) {
	res, _ := checkVector(t, "file-400-days-old-claimed-fresh-4.2.1")
	d := itemProblems(res, evidence.DateDisagree)
	if len(d) != 1 || d[0].File != "tls.json" || !strings.Contains(d[0].Message, "2025-10-11") || !strings.Contains(d[0].Message, "/startTime") {
		t.Errorf("want a date-disagree problem naming the file's date and place, got %+v", res.Evidence.Problems)
	}
	it := res.Evidence.Items[0]
	if it.DatedOn != "2025-10-11" || it.AgeDays != 399 || it.Status != "ok" {
		t.Errorf("item dated %s, %d days old, status %s; want dated by its file, 399 days, still ok", it.DatedOn, it.AgeDays, it.Status)
	}
	rr := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth")
	if !strings.Contains(reasonsOf(rr), "is 399 days old; the rule accepts at most 90") {
		t.Errorf("reasons:\n%s\nwant the item too old by its file's date", reasonsOf(rr))
	}
}

func TestTruncatedScanIsUnreadableAndDoesNotCount(t *testing.T) {
	res, dir := checkVector(t, "truncated-scan-does-not-count-4.2.1")
	u := itemProblems(res, evidence.FactsUnreadable)
	if len(u) != 1 || u[0].File != "tls.json" || !strings.Contains(u[0].Message, "line 3") {
		t.Fatalf("want a facts-unreadable problem naming tls.json and line 3, got %+v", res.Evidence.Problems)
	}
	if res.Evidence.Items[0].Status != string(evidence.FactsUnreadable) {
		t.Errorf("item status %s", res.Evidence.Items[0].Status)
	}
	rr := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth")
	if rr.Verdict != "needs-evidence" || !strings.Contains(reasonsOf(rr), "tls.json: cannot read its facts") {
		t.Errorf("verdict %s, reasons:\n%s", rr.Verdict, reasonsOf(rr))
	}
	code, stdout, _ := runCLI(t, "evidence", "verify", dir)
	if code == 0 || code == exitInput || code == exitInternal || !strings.Contains(stdout, "facts-unreadable") {
		t.Errorf("evidence verify exited %d:\n%s", code, stdout)
	}
}

func TestEffectivePeriodRefusedWithItsPlace(t *testing.T) {
	v := readClassVector(t, filepath.Join(classRoot, "14-read-facts", "effective-period-reversed.yaml"))
	cfg := writeClassProject(t, v)
	dir := filepath.Join(filepath.Dir(cfg), "evidence")
	out := filepath.Join(t.TempDir(), "pack")
	for _, args := range [][]string{{"evidence", "verify", dir}, {"build", "-c", cfg, "--out", out}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitInput || !strings.Contains(stderr, "manifest.json:") || !strings.Contains(stderr, "/items/0/effective_from: effective_from 2026-09-30 is after effective_until 2026-07-01") {
			t.Errorf("%v exited %d: %s%s; want exit %d naming the manifest, its line and the pointer", args, code, stdout, stderr, exitInput)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("build left %s behind: %v", out, err)
	}
}

// checkRealScan runs check on the 4.2.1 flow of the read-facts vectors
// with one real testssl.sh file (or a part of it) as its TLS scan.
func checkRealScan(t *testing.T, asOf, collected, file string, cut int, stated map[string]any) *audit.Results {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../testdata/evidence/testssl-json-pretty", file))
	if err != nil {
		t.Fatal(err)
	}
	if cut > 0 {
		data = data[:cut]
	}
	v := readClassVector(t, filepath.Join(classRoot, "14-read-facts", "read-1.2-no-stated-facts-4.2.1.yaml"))
	v.AsOf = asOf
	item := map[string]any{"id": "EV-TLS", "title": "TLS scan", "kind": "tls-scan", "collected_at": collected,
		"supports": []any{map[string]any{"mitigation": "m-tls"}}, "files": []any{map[string]any{"path": "tls.json", "content": string(data)}}}
	if stated != nil {
		item["facts"] = stated
	}
	v.Evidence = []any{item}
	// The flow is known by the host the file scanned, as a project's
	// overlay would map it, so that the scan is shown to cover it.
	if read, err := facts.ReadAll(bytes.NewReader(data)); err == nil && read != nil && len(read.Covered) > 0 {
		v.Overlay = map[string]any{"flows": []any{map[string]any{"match": map[string]any{"id": "f-auth"}, "hosts": []any{read.Covered[0].Name}}}}
	}
	cfg := writeClassProject(t, v)
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json")
	if code != 0 && code != exitFailing {
		t.Fatalf("check exited %d: %s", code, stderr)
	}
	var res audit.Results
	if err := unmarshalResults([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

func TestRealTestsslScanDecidesOverTheManifest(t *testing.T) {
	res := checkRealScan(t, "2018-12-01", "2018-11-13", "bitsofinfo__www.google.com_testssl-3.0rc2.json", 0, map[string]any{"tls.min_version": "TLSv1.2"})
	rr := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth")
	if rr.Verdict != "not-satisfied" || !strings.Contains(reasonsOf(rr), "tls.json reads tls.min_version = 1.0 at /scanResult/0/protocols/2") {
		t.Errorf("verdict %s, reasons:\n%s\nwant not-satisfied on the version the file reads", rr.Verdict, reasonsOf(rr))
	}
	if d := itemProblems(res, evidence.FactsDisagree); len(d) != 1 || !strings.Contains(d[0].Message, `the manifest states "TLSv1.2", the file reads "1.0"`) {
		t.Errorf("want one facts-disagree problem, got %+v", res.Evidence.Problems)
	}
	if len(itemProblems(res, evidence.DateDisagree)) != 0 {
		t.Errorf("the file's own day agrees with collected_at: %+v", res.Evidence.Problems)
	}
}

func TestRealTestsslScanIsAsOldAsItsOwnDate(t *testing.T) {
	res := checkRealScan(t, "2026-11-15", "2026-11-10", "sner__parser-auror_testssl-output.json", 0, nil)
	if d := itemProblems(res, evidence.DateDisagree); len(d) != 1 || !strings.Contains(d[0].Message, "2026-02-21 (at /scanTime)") {
		t.Errorf("want a date-disagree problem at /scanTime, got %+v", res.Evidence.Problems)
	}
	rr := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth")
	if rr.Verdict != "needs-evidence" || !strings.Contains(reasonsOf(rr), "is 266 days old") {
		t.Errorf("verdict %s, reasons:\n%s\nwant needs-evidence, 266 days old by the file's date", rr.Verdict, reasonsOf(rr))
	}
	fresh := checkRealScan(t, "2026-03-01", "2026-02-21", "sner__parser-auror_testssl-output.json", 0, nil)
	// Fresh by its own date, the scan is judged on what it reads: TLS 1.2,
	// but a chain that did not validate, which a passing tls-scan may not
	// show.
	if rr := ruleResult(t, fresh, "pci-4.2.1-pan-open-networks", "f-auth"); rr.Verdict != "not-satisfied" ||
		!strings.Contains(reasonsOf(rr), "tls.cert_trusted = false") || strings.Contains(reasonsOf(rr), "days old") {
		t.Errorf("a fresh real scan reading TLS 1.2 and an untrusted chain is %s:\n%s\nwant not-satisfied on tls.cert_trusted", rr.Verdict, reasonsOf(rr))
	}
}

func TestRealTestsslScanCutShortDoesNotCount(t *testing.T) {
	res := checkRealScan(t, "2026-03-01", "2026-02-21", "sner__parser-auror_testssl-output.json", 700, map[string]any{"tls.min_version": "1.2"})
	u := itemProblems(res, evidence.FactsUnreadable)
	if len(u) != 1 || u[0].File != "tls.json" || !strings.Contains(u[0].Message, "testssl-json-pretty") {
		t.Fatalf("want a facts-unreadable problem naming tls.json and the format, got %+v", res.Evidence.Problems)
	}
	if rr := ruleResult(t, res, "pci-4.2.1-pan-open-networks", "f-auth"); rr.Verdict != "needs-evidence" {
		t.Errorf("a damaged real scan counts: %s\n%s", rr.Verdict, reasonsOf(rr))
	}
}
