package view_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/pdf"
	"github.com/auditpack/auditpack/reports/view"
)

// pdfText renders r as the report and extracts its text with poppler's
// pdftotext, keeping the layout so that a table row stays on one line.
// Without pdftotext the test is skipped, saying why; in CI (CI=true) it
// fails instead, so the check cannot silently disappear.
func pdfText(t *testing.T, r *audit.Results) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext is required in CI (apt-get install poppler-utils): %v", err)
		}
		t.Skipf("pdftotext not installed (apt-get install poppler-utils); the report's counts and ids go unchecked")
	}
	var buf bytes.Buffer
	if err := pdf.Render(&buf, r, pdf.Options{PackageID: "p"}); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(string(out), "\n")
}

// chapter returns the lines of the report's chapter whose heading line is
// title, up to the next chapter's: the contents and the running headers
// name chapters too, but never on a line of their own.
func chapter(t *testing.T, lines []string, title string) []string {
	t.Helper()
	heading := regexp.MustCompile(`^[1-9] [A-Z][a-z].*\S$`)
	start := slices.IndexFunc(lines, func(l string) bool { return strings.TrimRight(l, " ") == title })
	if start < 0 {
		t.Fatalf("report: no chapter %q", title)
	}
	out := lines[start+1:]
	if end := slices.IndexFunc(out, func(l string) bool {
		l = strings.TrimRight(l, " ")
		return heading.MatchString(l) && !strings.Contains(l, "  ") && l[0] != title[0]
	}); end >= 0 {
		out = out[:end]
	}
	return out
}

// fieldsIn returns the fields of lines that are one of ids, each once.
func fieldsIn(lines []string, ids []string) []string {
	var out []string
	for _, l := range lines {
		for _, f := range strings.Fields(l) {
			if slices.Contains(ids, f) && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// TestPDFAgrees reads back from the rendered report the counts of each
// framework and of all of them, the coverage per framework, the headline
// numbers of the summary, and the threats, exceptions and evidence items
// each chapter names, and holds them to the view: the report is where an
// auditor reads them, and it must say what every other output says.
func TestPDFAgrees(t *testing.T) {
	for name, r := range demos(t) {
		t.Run(name, func(t *testing.T) {
			lines := pdfText(t, r)
			v := view.Of(r)
			parts, coverage := countsOf(v)
			summary := chapter(t, lines, "1 Executive summary")

			// The counts table: a row per part, a column per framework
			// and one for all of them.
			got, all := counts{}, []int{}
			for _, p := range append(view.Parts(), view.Part{Label: "total"}) {
				re := regexp.MustCompile(`^` + regexp.QuoteMeta(p.Label) + `((?:\s+\d+)+)\s*$`)
				i := slices.IndexFunc(summary, re.MatchString)
				if i < 0 {
					t.Fatalf("report: no counts row %q", p.Label)
				}
				row := ints(t, strings.Fields(re.FindStringSubmatch(summary[i])[1]))
				if len(row) != len(v.Frameworks)+1 {
					t.Fatalf("report: counts row %q has %d numbers for %d frameworks", summary[i], len(row), len(v.Frameworks))
				}
				for j, f := range v.Frameworks {
					got[f.Info.Ref] = append(got[f.Info.Ref], row[j])
				}
				all = append(all, row[len(row)-1])
			}
			sameCounts(t, "report counts", got, parts)
			var want []int
			for _, p := range view.Parts() {
				want = append(want, p.Of(v.Summary))
			}
			if want = append(want, v.Summary.Total); !slices.Equal(all, want) {
				t.Errorf("report, all frameworks: %v, the view counts %v", all, want)
			}

			// The summary's sentence.
			flat := strings.Join(strings.Fields(strings.Join(summary, " ")), " ")
			for _, c := range []struct {
				re   string
				want int
			}{
				{`auditpack evaluated (\d+) controls`, v.Summary.Total},
				{`(\d+) with the technical part satisfied`, v.Summary.SatisfiedTechnical},
				{`(\d+) with a scope to confirm`, v.Summary.ManualConfirmScope},
				{`Open high and critical threats \((\d+)\)`, len(v.Severe)},
			} {
				m := regexp.MustCompile(c.re).FindStringSubmatch(flat)
				if m == nil && c.want == 0 { // no heading for no severe threat
					continue
				}
				if m == nil || m[1] != strconv.Itoa(c.want) {
					t.Errorf("report summary: %q gives %v, the view %d", c.re, m, c.want)
				}
			}
			var severe []string
			for _, l := range summary {
				if f := strings.Fields(l); len(f) > 1 && f[0] == "•" {
					severe = append(severe, f[1])
				}
			}
			sameSet(t, "report severe threats", fieldsIn([]string{strings.Join(severe, " ")}, modelThreats(r)), threatIDs(v.Severe))

			// Coverage per framework, in chapter 2's table.
			cov := regexp.MustCompile(`\s(\d+)\s+(\d+)\s+(\d+)\s*$`)
			scope := chapter(t, lines, "2 Scope and method")
			at := slices.IndexFunc(scope, func(l string) bool { return strings.Contains(l, "Partial coverage") })
			var rows [][]int
			for _, l := range scope[at+1:] {
				if strings.HasPrefix(l, "Rule set") || strings.TrimSpace(l) == "" {
					break
				}
				if m := cov.FindStringSubmatch(l); m != nil {
					rows = append(rows, ints(t, m[1:]))
				}
			}
			gc := counts{}
			for i, f := range v.Frameworks {
				if i < len(rows) {
					gc[f.Info.Ref] = rows[i]
				}
			}
			sameCounts(t, "report coverage", gc, coverage)

			// The scope tables of chapter 2: the elements in scope are the
			// rows, those out of scope a note below.
			var comps, flows []string
			for _, c := range r.Model.Components {
				comps = append(comps, c.ID)
			}
			for _, f := range r.Model.Flows {
				flows = append(flows, f.ID)
			}
			wantC, wantF := scopeIDs(v.Scope)
			ci := slices.Index(scope, "Components in scope")
			fi := slices.Index(scope, "Data flows in scope")
			if ci < 0 || fi < ci || at < fi {
				t.Fatalf("report: no scope tables in chapter 2 (%d, %d, %d)", ci, fi, at)
			}
			sameSet(t, "report components in scope", fieldsIn(scope[ci:fi], comps), wantC)
			sameSet(t, "report flows in scope", fieldsIn(scope[fi:at], flows), wantF)

			// Chapters 5, 6 and 7: the exceptions with their states, the
			// evidence items and their tally, the open threats in scope.
			var exIDs []string
			for _, x := range r.Exceptions {
				exIDs = append(exIDs, x.ID)
			}
			ex := chapter(t, lines, "5 Exceptions and compensating controls")
			sameSet(t, "report exceptions", fieldsIn(ex, exIDs), exIDs)
			for _, x := range r.Exceptions {
				i := slices.IndexFunc(ex, func(l string) bool { f := strings.Fields(l); return len(f) > 0 && f[0] == x.ID })
				banner := map[string]string{"expired": "EXPIRED on", "active": "active until", "pending": "PENDING"}[x.Status]
				if i < 0 || banner == "" || !strings.Contains(ex[i], banner) {
					t.Errorf("report: exception %s (%s) is not headed %q", x.ID, x.Status, banner)
				}
			}
			var evIDs []string
			for _, it := range r.Evidence.Items {
				evIDs = append(evIDs, it.ID)
			}
			ev := chapter(t, lines, "6 Evidence index")
			sameSet(t, "report evidence", fieldsIn(ev, evIDs), evIDs)
			n := v.Evidence
			tally := strconv.Itoa(n.Items) + " items, " + strconv.Itoa(n.OK) + " without problems, " +
				strconv.Itoa(n.WithProblems) + " with problems; " + strconv.Itoa(n.Undeclared) + " undeclared files"
			if !strings.Contains(strings.Join(strings.Fields(strings.Join(ev, " ")), " "), tally) {
				t.Errorf("report: the evidence index does not say %q", tally)
			}
			sameSet(t, "report threats", fieldsIn(chapter(t, lines, "8 Open threats"), modelThreats(r)), threatIDs(v.Threats))
		})
	}
}

func modelThreats(r *audit.Results) []string {
	var out []string
	for _, t := range r.Model.Threats {
		out = append(out, t.ID)
	}
	return out
}
