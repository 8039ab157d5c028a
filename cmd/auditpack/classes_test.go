package main

// Defect-class vectors live in testdata/vectors/classes/<class>/<case>.yaml,
// one case per file. Where rule vectors (audit/eval) test one rule on one
// model, these run a whole project through `auditpack check --format json`,
// so they see what a user sees: the overlay, imported models, exceptions,
// the roll-up per control, warnings and input errors. Each file holds:
//
//	comment:    what the case shows, in one sentence
//	as_of:      the evaluation date (YYYY-MM-DD)
//	audit_period: optional {start, end}, as in auditpack.yaml
//	frameworks: optional list (default pci-dss and aicpa-tsc)
//	model:      an auditpack/model/v1 document, or
//	model_file: a path under testdata/ (an export in any supported format)
//	rules:      optional list of rule files under testdata/, added to the built-in rules
//	overlay:    optional scope overlay, as in auditpack.yaml
//	exceptions: optional list of exceptions (auditpack/exceptions/v1 items)
//	evidence:   optional manifest items; files carry inline content
//	args:       optional extra command-line arguments for check
//	expect:
//	  results:   [{rule, element, verdict}]   element "(system)" for the system result
//	  reasons:   [{rule, element, text}]      text must appear in a reason of that result
//	  controls:  [{control, verdict}]         full control refs
//	  absent:    [{rule, element}]            results that must not exist
//	  warnings:  [substring, ...]             each must appear in some warning
//	  findings:  [{code, element}]            scope findings
//	  evidence:  [{rule, element, item, status, superseded_by}]
//	                                          evidence uses of a result; superseded_by "" for none
//	  counts:    {framework ref: {field: n}}  summary counts by JSON name
//	  error:     substring                    check must exit 2 with it on stderr
//
// The harness fails on a missing or different result; results the vector
// does not mention are not checked, so a vector states only what it is
// about.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

const classRoot = "../../testdata/vectors/classes"

type classVector struct {
	File       string
	Comment    string
	AsOf       string
	Period     any
	Frameworks []string
	Model      any
	ModelFile  string
	Rules      []string
	Overlay    any
	Exceptions any
	Evidence   []any
	Args       []string
	Expect     classExpect
}

type classExpect struct {
	Results  []map[string]string
	Reasons  []map[string]string
	Controls []map[string]string
	Absent   []map[string]string
	Warnings []string
	Findings []map[string]string
	Evidence []map[string]string
	Counts   map[string]map[string]int
	Error    string
}

func TestDefectClassVectors(t *testing.T) {
	dirs, err := os.ReadDir(classRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, err := filepath.Glob(filepath.Join(classRoot, d.Name(), "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(files)
		t.Run(d.Name(), func(t *testing.T) {
			if len(files) < 3 {
				t.Errorf("class %s has %d vectors; each class needs at least 3", d.Name(), len(files))
			}
			for _, f := range files {
				t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
					runClassVector(t, readClassVector(t, f))
				})
			}
		})
	}
}

func readClassVector(t *testing.T, file string) *classVector {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := schemadoc.Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := doc.(map[string]any)
	if !ok {
		t.Fatalf("%s: a vector is a mapping", file)
	}
	known := []string{"comment", "as_of", "audit_period", "frameworks", "model", "model_file", "rules", "overlay", "exceptions", "evidence", "args", "expect"}
	for k := range raw {
		if !slices.Contains(known, k) {
			t.Fatalf("%s: unknown key %q", file, k)
		}
	}
	v := &classVector{File: file, Model: raw["model"], Overlay: raw["overlay"], Exceptions: raw["exceptions"], Period: raw["audit_period"]}
	v.Comment, _ = raw["comment"].(string)
	v.AsOf, _ = raw["as_of"].(string)
	v.ModelFile, _ = raw["model_file"].(string)
	if strings.TrimSpace(v.Comment) == "" || v.AsOf == "" {
		t.Fatalf("%s: comment and as_of are required", file)
	}
	if (v.Model == nil) == (v.ModelFile == "") {
		t.Fatalf("%s: give exactly one of model and model_file", file)
	}
	for _, f := range asList(raw["frameworks"]) {
		v.Frameworks = append(v.Frameworks, fmt.Sprint(f))
	}
	for _, r := range asList(raw["rules"]) {
		v.Rules = append(v.Rules, fmt.Sprint(r))
	}
	for _, a := range asList(raw["args"]) {
		v.Args = append(v.Args, fmt.Sprint(a))
	}
	v.Evidence = asList(raw["evidence"])
	ex, ok := raw["expect"].(map[string]any)
	if !ok {
		t.Fatalf("%s: expect is required", file)
	}
	for k, val := range ex {
		switch k {
		case "results":
			v.Expect.Results = asMaps(val)
		case "reasons":
			v.Expect.Reasons = asMaps(val)
		case "controls":
			v.Expect.Controls = asMaps(val)
		case "absent":
			v.Expect.Absent = asMaps(val)
		case "findings":
			v.Expect.Findings = asMaps(val)
		case "evidence":
			v.Expect.Evidence = asMaps(val)
		case "warnings":
			for _, w := range asList(val) {
				v.Expect.Warnings = append(v.Expect.Warnings, fmt.Sprint(w))
			}
		case "counts":
			v.Expect.Counts = map[string]map[string]int{}
			m, _ := val.(map[string]any)
			for fw, c := range m {
				v.Expect.Counts[fw] = map[string]int{}
				cm, _ := c.(map[string]any)
				for name, n := range cm {
					f, _ := n.(float64)
					if jn, ok := n.(json.Number); ok {
						f, _ = jn.Float64()
					}
					v.Expect.Counts[fw][name] = int(f)
				}
			}
		case "error":
			v.Expect.Error, _ = val.(string)
		default:
			t.Fatalf("%s: unknown expectation %q", file, k)
		}
	}
	return v
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}

func asMaps(x any) []map[string]string {
	var out []map[string]string
	for _, e := range asList(x) {
		m, _ := e.(map[string]any)
		s := map[string]string{}
		for k, v := range m {
			s[k] = fmt.Sprint(v)
		}
		out = append(out, s)
	}
	return out
}

// writeClassProject lays the vector out as a project directory.
func writeClassProject(t *testing.T, v *classVector) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustJSON := func(x any) []byte {
		b, err := json.MarshalIndent(x, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cfg := map[string]any{"schema": "auditpack/config/v1", "organisation": "Vector Org", "system": "Vector system", "as_of": v.AsOf}
	if len(v.Frameworks) > 0 {
		cfg["frameworks"] = v.Frameworks
	}
	if v.Period != nil {
		cfg["audit_period"] = v.Period
	}
	if v.ModelFile != "" {
		abs, err := filepath.Abs(filepath.Join("../../testdata", filepath.FromSlash(v.ModelFile)))
		if err != nil {
			t.Fatal(err)
		}
		cfg["model"] = abs
	} else {
		write("model.json", mustJSON(v.Model))
		cfg["model"] = "model.json"
	}
	var rules []string
	for _, r := range v.Rules {
		abs, err := filepath.Abs(filepath.Join("../../testdata", filepath.FromSlash(r)))
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, abs)
	}
	if rules != nil {
		cfg["rules"] = rules
	}
	if v.Overlay != nil {
		cfg["overlay"] = v.Overlay
	}
	if v.Exceptions != nil {
		write("exceptions.json", mustJSON(map[string]any{"schema": "auditpack/exceptions/v1", "exceptions": v.Exceptions}))
		cfg["exceptions"] = "exceptions.json"
	}
	if v.Evidence != nil {
		var items []any
		for i, it := range v.Evidence {
			item, ok := it.(map[string]any)
			if !ok {
				t.Fatalf("%s: evidence item %d is not a mapping", v.File, i)
			}
			out := map[string]any{}
			for k, val := range item {
				out[k] = val
			}
			var files []any
			for _, f := range asList(item["files"]) {
				fm, _ := f.(map[string]any)
				p, _ := fm["path"].(string)
				content, _ := fm["content"].(string)
				write("evidence/"+p, []byte(content))
				sum := sha256.Sum256([]byte(content))
				files = append(files, map[string]any{"path": p, "sha256": hex.EncodeToString(sum[:])})
			}
			if files != nil {
				out["files"] = files
			}
			items = append(items, out)
		}
		write("evidence/manifest.json", mustJSON(map[string]any{"schema": "auditpack/evidence/v1", "items": items}))
		cfg["evidence"] = "evidence"
	}
	write("auditpack.yaml", mustJSON(cfg))
	return filepath.Join(dir, "auditpack.yaml")
}

func runClassVector(t *testing.T, v *classVector) {
	cfg := writeClassProject(t, v)
	args := append([]string{"check", "-c", cfg, "--format", "json", "--fail-on", "not-satisfied"}, v.Args...)
	code, stdout, stderr := runCLI(t, args...)
	if v.Expect.Error != "" {
		if code != exitInput || !strings.Contains(stderr, v.Expect.Error) {
			t.Fatalf("%s: check exited %d with %q; want exit %d naming %q", v.File, code, stderr, exitInput, v.Expect.Error)
		}
		return
	}
	if code != 0 && code != exitFailing {
		t.Fatalf("%s: check exited %d: %s", v.File, code, stderr)
	}
	var res audit.Results
	if err := unmarshalResults([]byte(stdout), &res); err != nil {
		t.Fatalf("%s: %v", v.File, err)
	}
	results := map[string]string{}
	reasons := map[string][]string{}
	var lines []string
	for _, rr := range res.RuleResults {
		el := rr.Element.ID
		if el == "" {
			el = "(system)"
		}
		results[rr.Rule+" "+el] = string(rr.Verdict)
		for _, r := range rr.Reasons {
			reasons[rr.Rule+" "+el] = append(reasons[rr.Rule+" "+el], r.Message)
		}
		if len(rr.Reasons) > 0 {
			lines = append(lines, fmt.Sprintf("%s %s: %s (%s)", rr.Rule, el, rr.Verdict, audit.KeyReason(rr)))
		}
	}
	t.Logf("%s\n  %s", v.File, strings.Join(lines, "\n  "))
	for _, e := range v.Expect.Results {
		key := e["rule"] + " " + e["element"]
		got, ok := results[key]
		switch {
		case !ok:
			t.Errorf("%s: no result for rule %s on %s", v.File, e["rule"], e["element"])
		case got != e["verdict"]:
			t.Errorf("%s: rule %s on %s is %s, want %s", v.File, e["rule"], e["element"], got, e["verdict"])
		}
	}
	for _, e := range v.Expect.Evidence {
		checkEvidenceUse(t, v.File, res, e)
	}
	for _, e := range v.Expect.Reasons {
		key := e["rule"] + " " + e["element"]
		if !slices.ContainsFunc(reasons[key], func(m string) bool { return strings.Contains(m, e["text"]) }) {
			t.Errorf("%s: no reason of rule %s on %s mentions %q (reasons: %q)", v.File, e["rule"], e["element"], e["text"], reasons[key])
		}
	}
	for _, e := range v.Expect.Absent {
		if got, ok := results[e["rule"]+" "+e["element"]]; ok {
			t.Errorf("%s: rule %s must not judge %s, but says %s", v.File, e["rule"], e["element"], got)
		}
	}
	controls := map[string]audit.Control{}
	for _, c := range res.Controls {
		controls[c.Ref] = c
	}
	for _, e := range v.Expect.Controls {
		c, ok := controls[e["control"]]
		switch {
		case !ok:
			t.Errorf("%s: no control %s", v.File, e["control"])
		case string(c.Verdict) != e["verdict"]:
			t.Errorf("%s: control %s is %s, want %s (%s)", v.File, e["control"], c.Verdict, e["verdict"], c.Reason)
		}
	}
	for _, w := range v.Expect.Warnings {
		found := false
		for _, got := range res.Warnings {
			found = found || strings.Contains(got.Source+": "+got.Message, w)
		}
		if !found {
			t.Errorf("%s: no warning mentions %q (warnings: %v)", v.File, w, res.Warnings)
		}
	}
	if len(v.Expect.Findings) > 0 {
		var raw struct {
			Scope struct {
				Findings []struct{ Code, Element string }
			}
		}
		if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Expect.Findings {
			if !slices.ContainsFunc(raw.Scope.Findings, func(f struct{ Code, Element string }) bool {
				return f.Code == e["code"] && f.Element == e["element"]
			}) {
				t.Errorf("%s: no scope finding %s on %q (findings: %v)", v.File, e["code"], e["element"], raw.Scope.Findings)
			}
		}
	}
	if len(v.Expect.Counts) > 0 {
		var raw struct {
			Frameworks []struct {
				Ref    string
				Counts map[string]int
			}
		}
		if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
			t.Fatal(err)
		}
		for fw, want := range v.Expect.Counts {
			i := slices.IndexFunc(raw.Frameworks, func(f struct {
				Ref    string
				Counts map[string]int
			}) bool {
				return f.Ref == fw
			})
			if i < 0 {
				t.Errorf("%s: no framework %s", v.File, fw)
				continue
			}
			for name, n := range want {
				got, ok := raw.Frameworks[i].Counts[name]
				if !ok || got != n {
					t.Errorf("%s: %s count %s is %d (present %v), want %d", v.File, fw, name, got, ok, n)
				}
			}
		}
	}
}

// checkEvidenceUse finds the use of an item by a result and compares its
// status and superseded_by with the vector's.
func checkEvidenceUse(t *testing.T, file string, res audit.Results, want map[string]string) {
	t.Helper()
	for _, rr := range res.RuleResults {
		el := rr.Element.ID
		if el == "" {
			el = "(system)"
		}
		if rr.Rule != want["rule"] || el != want["element"] {
			continue
		}
		for _, u := range rr.Evidence {
			if u.Item != want["item"] {
				continue
			}
			if s, ok := want["status"]; ok && u.Status != s {
				t.Errorf("%s: rule %s on %s: evidence %s is %s, want %s", file, want["rule"], el, u.Item, u.Status, s)
			}
			if s, ok := want["superseded_by"]; ok && u.SupersededBy != s {
				t.Errorf("%s: rule %s on %s: evidence %s superseded by %q, want %q", file, want["rule"], el, u.Item, u.SupersededBy, s)
			}
			return
		}
		t.Errorf("%s: rule %s on %s does not use evidence %s", file, want["rule"], el, want["item"])
		return
	}
	t.Errorf("%s: no result for rule %s on %s", file, want["rule"], want["element"])
}
