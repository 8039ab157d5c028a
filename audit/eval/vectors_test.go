package eval_test

// Rule test vectors live in testdata/vectors/rules/<rule-id>/<case>.yaml,
// one case per file, so that an auditor can read what a rule decides for a
// small, realistic model without reading Go. Each file holds:
//
//	comment:  what the case shows, in one sentence
//	as_of:    the evaluation date (YYYY-MM-DD)
//	expect:   [{element: <id>, verdict: <verdict>}, ...]; element "" or
//	          "(system)" names the system-level result
//	model:    an auditpack/model/v1 document
//	evidence: optional manifest items (auditpack/evidence/v1 item shape)
//	          whose files carry their content inline instead of a hash
//
// The harness evaluates only the rule the directory names, and fails on a
// missing, wrong or unexpected result.

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
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/auditpack/auditpack/mappings"
)

const vectorRoot = "../../testdata/vectors/rules"

// systemElement is how a vector may spell the system-level result.
const systemElement = "(system)"

type expectation struct {
	Element string
	Verdict eval.Verdict
}

type vector struct {
	File     string
	Rule     string
	Case     string
	Comment  string
	AsOf     time.Time
	Expect   []expectation
	Model    []byte       // the model as JSON
	Evidence []any        // manifest items, files with hashes
	Bundle   fstest.MapFS // the files of the evidence items
}

// builtinRules returns the shipped rules by id.
func builtinRules(t *testing.T) map[string]mappings.Rule {
	t.Helper()
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]mappings.Rule{}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			rules[r.ID] = r
		}
	}
	return rules
}

// vectorFiles lists the vector files by rule id, each list sorted.
func vectorFiles(t *testing.T) map[string][]string {
	t.Helper()
	dirs, err := os.ReadDir(vectorRoot)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, d := range dirs {
		if d.Name() == "README.md" {
			continue
		}
		if !d.IsDir() {
			t.Errorf("%s: stray file; vectors live in one directory per rule", d.Name())
			continue
		}
		files, err := filepath.Glob(filepath.Join(vectorRoot, d.Name(), "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(files)
		out[d.Name()] = files
	}
	return out
}

func TestRuleVectors(t *testing.T) {
	rules := builtinRules(t)
	files := vectorFiles(t)
	ids := make([]string, 0, len(files))
	for id := range files {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			r, ok := rules[id]
			if !ok {
				t.Fatalf("directory %s names no shipped rule", id)
			}
			for _, f := range files[id] {
				name := strings.TrimSuffix(filepath.Base(f), ".yaml")
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					runVector(t, r, readVector(t, f))
				})
			}
		})
	}
}

// TestRuleVectorsCoverEveryRule requires, for every shipped rule, a vector
// that satisfies it and one that does not.
func TestRuleVectorsCoverEveryRule(t *testing.T) {
	rules := builtinRules(t)
	files := vectorFiles(t)
	var missing []string
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		seen := map[eval.Verdict]bool{}
		for _, f := range files[id] {
			for _, e := range readVector(t, f).Expect {
				seen[e.Verdict] = true
			}
		}
		for _, want := range []eval.Verdict{eval.Satisfied, eval.NotSatisfied} {
			if !seen[want] {
				missing = append(missing, fmt.Sprintf("%s: no vector expects %s", id, want))
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d gaps in rule vectors:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
}

func runVector(t *testing.T, r mappings.Rule, v *vector) {
	m, err := native.Decode(nil, v.File+"#/model", v.Model)
	if err != nil {
		t.Fatalf("model: %v", err)
	}
	x, err := model.New(m)
	if err != nil {
		t.Fatalf("model: %v", err)
	}
	var idx *evidence.Index
	if v.Evidence != nil {
		doc, err := json.Marshal(map[string]any{"schema": evidence.SchemaVersion, "items": v.Evidence})
		if err != nil {
			t.Fatal(err)
		}
		man, err := evidence.ParseManifest(v.File+"#/evidence", doc)
		if err != nil {
			t.Fatalf("evidence: %v", err)
		}
		if idx, err = evidence.Verify(v.Bundle, man, evidence.Options{AsOf: v.AsOf}); err != nil {
			t.Fatalf("evidence: %v", err)
		}
	}
	results := eval.Evaluate(eval.Input{Model: x, Rules: []mappings.Rule{r}, Evidence: idx, AsOf: v.AsOf})
	got := map[string]eval.Result{}
	for _, res := range results {
		got[res.Element.ID] = res
		t.Logf("%s: %s\n%s", label(res.Element.ID), res.Verdict, reasons(res))
	}
	for _, e := range v.Expect {
		res, ok := got[e.Element]
		if !ok {
			t.Errorf("%s: no result for %s (results for: %s)", v.File, label(e.Element), elements(results))
			continue
		}
		delete(got, e.Element)
		if res.Verdict != e.Verdict {
			t.Errorf("%s: %s is %s, want %s\n%s", v.File, label(e.Element), res.Verdict, e.Verdict, reasons(res))
		}
	}
	for _, res := range results {
		if _, extra := got[res.Element.ID]; extra {
			t.Errorf("%s: unexpected result for %s: %s\n%s", v.File, label(res.Element.ID), res.Verdict, reasons(res))
		}
	}
}

func label(id string) string {
	if id == "" {
		return systemElement
	}
	return id
}

func elements(results []eval.Result) string {
	var out []string
	for _, r := range results {
		out = append(out, label(r.Element.ID))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func reasons(r eval.Result) string {
	var b strings.Builder
	for _, re := range r.Reasons {
		fmt.Fprintf(&b, "    %s: %s\n", re.Code, re.Message)
	}
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "    evidence %s (%s): %s", e.Item, e.Requirement, e.Status)
		if e.Message != "" {
			fmt.Fprintf(&b, ", %s", e.Message)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// readVector parses one vector file with auditpack's own YAML 1.2 reader.
func readVector(t *testing.T, file string) *vector {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseVector(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func parseVector(file string, data []byte) (*vector, error) {
	doc, _, err := schemadoc.Parse(file, data)
	if err != nil {
		return nil, err
	}
	raw, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a vector is a mapping", file)
	}
	for k := range raw {
		if !slices.Contains([]string{"comment", "as_of", "expect", "model", "evidence"}, k) {
			return nil, fmt.Errorf("%s: unknown key %q", file, k)
		}
	}
	v := &vector{File: file, Rule: filepath.Base(filepath.Dir(file)), Case: strings.TrimSuffix(filepath.Base(file), ".yaml")}
	if v.Comment, _ = raw["comment"].(string); strings.TrimSpace(v.Comment) == "" {
		return nil, fmt.Errorf("%s: comment is required", file)
	}
	asOf, _ := raw["as_of"].(string)
	if v.AsOf, err = time.Parse(time.DateOnly, asOf); err != nil {
		return nil, fmt.Errorf("%s: as_of must be a date (YYYY-MM-DD): %v", file, err)
	}
	if v.Expect, err = parseExpect(raw["expect"]); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if _, ok := raw["model"].(map[string]any); !ok {
		return nil, fmt.Errorf("%s: model is required", file)
	}
	if v.Model, err = json.Marshal(raw["model"]); err != nil {
		return nil, fmt.Errorf("%s: model: %v", file, err)
	}
	if ev, ok := raw["evidence"]; ok {
		if v.Evidence, v.Bundle, err = bundle(ev); err != nil {
			return nil, fmt.Errorf("%s: evidence: %v", file, err)
		}
	}
	return v, nil
}

func parseExpect(x any) ([]expectation, error) {
	list, ok := x.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("expect must list at least one {element, verdict}")
	}
	var out []expectation
	seen := map[string]bool{}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("expect[%d] is not a mapping", i)
		}
		el, _ := m["element"].(string)
		verdict, _ := m["verdict"].(string)
		if len(m) != 2 || !eval.Valid(eval.Verdict(verdict)) {
			return nil, fmt.Errorf("expect[%d] must be {element, verdict} with a known verdict", i)
		}
		if el == systemElement {
			el = ""
		}
		if seen[el] {
			return nil, fmt.Errorf("expect[%d]: %s is listed twice", i, label(el))
		}
		seen[el] = true
		out = append(out, expectation{Element: el, Verdict: eval.Verdict(verdict)})
	}
	return out, nil
}

// bundle turns vector evidence items into manifest items: each file's
// inline content goes into the bundle and is replaced by its SHA-256. A file
// may give sha256 itself to model a damaged item.
func bundle(x any) ([]any, fstest.MapFS, error) {
	list, ok := x.([]any)
	if !ok {
		return nil, nil, fmt.Errorf("evidence must be a list of items")
	}
	fsys := fstest.MapFS{}
	items := []any{}
	for i, it := range list {
		item, ok := it.(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("item %d is not a mapping", i)
		}
		files, _ := item["files"].([]any)
		var declared []any
		for j, f := range files {
			fm, ok := f.(map[string]any)
			p, _ := fm["path"].(string)
			content, hasContent := fm["content"].(string)
			if !ok || p == "" || !hasContent {
				return nil, nil, fmt.Errorf("item %d file %d needs path and content", i, j)
			}
			if prev, dup := fsys[p]; dup && string(prev.Data) != content {
				return nil, nil, fmt.Errorf("item %d: %s has different content in another item", i, p)
			}
			fsys[p] = &fstest.MapFile{Data: []byte(content)}
			sum := sha256.Sum256([]byte(content))
			hash := hex.EncodeToString(sum[:])
			if given, ok := fm["sha256"]; ok {
				if hash, ok = given.(string); !ok {
					return nil, nil, fmt.Errorf("item %d file %d: sha256 must be a quoted string", i, j)
				}
			}
			declared = append(declared, map[string]any{"path": p, "sha256": hash})
		}
		out := map[string]any{}
		for k, val := range item {
			out[k] = val
		}
		if files != nil {
			out["files"] = declared
		}
		items = append(items, out)
	}
	return items, fsys, nil
}
