package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/view"
)

// TestSummarySplitsSatisfiedAndManual reads the counts table that build,
// demo and check print back and compares it with the results it came from:
// satisfied and manual controls appear only split into their parts, the
// parts add up, and the grouping line sits over the right columns.
func TestSummarySplitsSatisfiedAndManual(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(t, "demo", "--out", out)
	if code != exitOK {
		t.Fatalf("demo exited %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res audit.Results
	if err := unmarshalResults(data, &res); err != nil {
		t.Fatal(err)
	}
	checkCountsTable(t, "demo", stdout, &res)

	cfg := filepath.Join(writeProject(t, nil), "auditpack.yaml")
	_, text, _ := runCLI(t, "check", "-c", cfg)
	_, js, _ := runCLI(t, "check", "-c", cfg, "--format", "json")
	var checked audit.Results
	if err := unmarshalResults([]byte(js), &checked); err != nil {
		t.Fatalf("check --format json: %v", err)
	}
	checkCountsTable(t, "check", text, &checked)
}

func checkCountsTable(t *testing.T, cmd, out string, res *audit.Results) {
	t.Helper()
	lines := strings.Split(out, "\n")
	h := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "framework ") })
	if h < 1 || h+len(res.Frameworks)+1 >= len(lines) {
		t.Fatalf("%s: no counts table in\n%s", cmd, out)
	}
	parts := view.Parts()
	want := []string{"framework"}
	for _, p := range parts {
		want = append(want, p.Short)
	}
	want = append(want, "total")
	header := lines[h]
	if got := strings.Fields(header); !slices.Equal(got, want) {
		t.Fatalf("%s: columns %q, want %q", cmd, got, want)
	}
	// Each group label lies over the columns of its parts.
	group := lines[h-1]
	for label, span := range map[string][2]string{"manual": {"confirm", "judge"}, "satisfied": {"tech-sat", "full-sat"}} {
		at := strings.Index(group, " "+label+" ")
		first := strings.Index(header, " "+span[0]) // the column is right-aligned after its padding
		last := strings.Index(header, " "+span[1]) + len(span[1])
		if at < 0 || first < 0 || at < first-9 || at+len(label) > last {
			t.Errorf("%s: %q is not over columns %s to %s:\n%s\n%s", cmd, label, span[0], span[1], group, header)
		}
	}
	for i, f := range res.Frameworks {
		row := strings.Fields(lines[h+1+i])
		if len(row) != len(want) || row[0] != f.Ref {
			t.Fatalf("%s: row %q, want the counts of %s", cmd, lines[h+1+i], f.Ref)
		}
		for j, p := range parts {
			if n, err := strconv.Atoi(row[j+1]); err != nil || n != p.Of(f.Counts) {
				t.Errorf("%s: %s %s = %q, want %d", cmd, f.Ref, p.Short, row[j+1], p.Of(f.Counts))
			}
		}
		if row[len(row)-1] != strconv.Itoa(f.Counts.Total) {
			t.Errorf("%s: %s total = %s, want %d", cmd, f.Ref, row[len(row)-1], f.Counts.Total)
		}
		if err := view.CheckCounts(f.Counts); err != nil {
			t.Errorf("%s: %s: %v", cmd, f.Ref, err)
		}
	}
	if legend := lines[h+1+len(res.Frameworks)]; legend != countsLegend {
		t.Errorf("%s: the table is not followed by its legend but by %q", cmd, legend)
	}
	if res.Summary.SatisfiedTechnical == 0 || res.Summary.ManualNoRule == 0 {
		t.Errorf("%s: the results have no technical-part satisfied or no-rule manual control: the test proves little", cmd)
	}
}
