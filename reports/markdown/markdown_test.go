package markdown

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

var update = flag.Bool("update", false, "rewrite the golden Markdown files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := "testdata/" + name
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/markdown -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendering (run go test ./reports/markdown -update and review the diff)", p)
	}
}

func TestDemoReport(t *testing.T) {
	r := reporttest.Demo(t)
	var buf bytes.Buffer
	if err := Render(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, f := range r.Frameworks {
		if !strings.Contains(out, "| `` "+f.Ref+" `` ") && !strings.Contains(out, "| ` "+f.Ref+" ` ") {
			t.Errorf("no summary row for %s", f.Ref)
		}
	}
	n := r.Summary.NotSatisfied + r.Summary.NeedsEvidence
	if !strings.Contains(out, "### Controls needing attention (") || strings.Count(out, "| ❌ not-satisfied |")+strings.Count(out, "| ⚠️ needs-evidence |") != min(n, DefaultMaxRows) {
		t.Errorf("want %d attention rows", min(n, DefaultMaxRows))
	}
	golden(t, "demo.md", buf.Bytes())
}

func TestListsAreCappedWithACount(t *testing.T) {
	r := &audit.Results{Frameworks: []audit.FrameworkInfo{{Ref: "fw@1"}}}
	for i := 0; i < 30; i++ {
		r.Controls = append(r.Controls, audit.Control{Framework: "fw@1", Ref: "fw@1:c", Verdict: eval.NotSatisfied})
	}
	var buf bytes.Buffer
	if err := Render(&buf, r, Options{MaxRows: 10}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "| ❌ not-satisfied |"); got != 10 {
		t.Errorf("%d rows, want 10", got)
	}
	if !strings.Contains(buf.String(), "…and 20 more.") {
		t.Error("no count of the rows left out")
	}
}

func TestRegressionsSincePrevious(t *testing.T) {
	old := reporttest.Demo(t)
	new := reporttest.Demo(t)
	new.Project.AsOf = "2027-02-15"
	new.Controls[3].Verdict = eval.NotSatisfied
	new.Controls[3].Reason = "it broke"
	var buf bytes.Buffer
	if err := Render(&buf, new, Options{Changes: diff.Compare(old, new)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "### Regressions since 2026-11-15 (1)") || !strings.Contains(buf.String(), "it broke") {
		t.Errorf("regression missing:\n%s", buf.String())
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	r := &audit.Results{Project: audit.Project{System: "<script>x</script> | [a](http://x) \n# h"},
		Controls: []audit.Control{{Ref: "fw@1:`x`|", Name: "**b**", Verdict: eval.NotSatisfied, Reason: strings.Repeat("y", 1000) + "|"}}}
	var buf bytes.Buffer
	if err := Render(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>", "[a](", "\n# h", "**b**", strings.Repeat("y", maxCell+1)} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q unescaped:\n%s", bad, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "fw@1") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 4 {
			t.Errorf("a table row has extra cells: %s", line)
		}
	}
}

func TestChanges(t *testing.T) {
	old := reporttest.Demo(t)
	new := reporttest.Demo(t)
	new.Project.AsOf = "2027-02-15"
	new.Controls[3].Verdict = eval.NotSatisfied
	for i := range new.Exceptions {
		if new.Exceptions[i].Status == "active" {
			new.Exceptions[i].Status = "expired"
		}
	}
	var buf bytes.Buffer
	if err := RenderChanges(&buf, diff.Compare(old, new), 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "| expired (active → expired) |") {
		t.Errorf("the expired exception is missing:\n%s", buf.String())
	}
	golden(t, "changes.md", buf.Bytes())
	buf.Reset()
	if err := RenderChanges(&buf, diff.Compare(old, old), 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Nothing changed.") {
		t.Error("an empty diff must say so")
	}
}

// TestWarningsAreListedEscaped: every warning of the run appears with its
// source, input text cannot inject Markdown, and the list is capped.
func TestWarningsAreListedEscaped(t *testing.T) {
	r := &audit.Results{Warnings: []audit.Warning{
		{Source: "auditpack.yaml: at /overlay/zones/0/tags/0", Message: `zone tag "CDE" is not one auditpack reads; did you mean "cde"?`},
		{Source: "model `x`.yaml", Message: "[link](http://x) <b>|"},
		{Source: "c", Message: "third"},
	}}
	var buf bytes.Buffer
	if err := Render(&buf, r, Options{MaxRows: 2}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"### Warnings (3)\n\n",
		"- ` auditpack.yaml: at /overlay/zones/0/tags/0 `: zone tag \"CDE\" is not one auditpack reads; did you mean \"cde\"?\n",
		"- `` model `x`.yaml ``: \\[link\\](http://x) &lt;b&gt;\\|\n",
		"…and 1 more.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := Render(&buf, &audit.Results{}, Options{}); err != nil || strings.Contains(buf.String(), "Warnings") {
		t.Errorf("a run without warnings has no warnings section (%v):\n%s", err, buf.String())
	}
}

// TestSummaryTableSplitsSatisfiedAndManual reads the summary table back:
// its columns are the parts in words, and each row's numbers are the
// framework's counts, adding up to its total.
func TestSummaryTableSplitsSatisfiedAndManual(t *testing.T) {
	r := reporttest.Demo(t)
	var buf bytes.Buffer
	if err := Render(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	cells := func(line string) []string {
		var out []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			out = append(out, strings.TrimSpace(c))
		}
		return out
	}
	lines := strings.Split(buf.String(), "\n")
	h := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "| framework |") })
	if h < 0 || h+3+len(r.Frameworks) >= len(lines) {
		t.Fatalf("no summary table:\n%s", buf.String())
	}
	parts := view.Parts()
	want := []string{"framework"}
	for _, p := range parts {
		want = append(want, p.Label)
	}
	if got := cells(lines[h]); !slices.Equal(got, append(want, "total")) {
		t.Fatalf("summary columns %q, want %q and total", got, want)
	}
	for i, f := range r.Frameworks {
		row := cells(lines[h+2+i])
		if len(row) != len(parts)+2 || !strings.Contains(row[0], f.Ref) {
			t.Fatalf("row %q, want the counts of %s", lines[h+2+i], f.Ref)
		}
		for j, p := range parts {
			if row[j+1] != strconv.Itoa(p.Of(f.Counts)) {
				t.Errorf("%s %s = %s, want %d", f.Ref, p.Label, row[j+1], p.Of(f.Counts))
			}
		}
		if row[len(row)-1] != strconv.Itoa(f.Counts.Total) {
			t.Errorf("%s total = %s, want %d", f.Ref, row[len(row)-1], f.Counts.Total)
		}
		if err := view.CheckCounts(f.Counts); err != nil {
			t.Errorf("%s: %v", f.Ref, err)
		}
	}
	if !strings.Contains(buf.String(), "\n"+summaryLegend+"\n") {
		t.Error("the summary table has no legend")
	}
}
