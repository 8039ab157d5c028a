package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/xlsx"
	"github.com/xuri/excelize/v2"
)

// Golden renderings of the Q3 → Q4 comparison, refreshed with -update.
var (
	goldenChapter = filepath.Join("..", "..", "testdata", "diff", "golden", "changes-chapter.txt")
	goldenSheet   = filepath.Join("..", "..", "testdata", "diff", "golden", "changes-sheet.txt")
)

// buildQuarter builds testdata/diff/<quarter> into out, signed with k.
func buildQuarter(t *testing.T, quarter string, k testKeys, out string, extra ...string) string {
	t.Helper()
	cfg := filepath.Join("..", "..", "testdata", "diff", quarter, "auditpack.yaml")
	args := append([]string{"build", "-c", cfg, "--out", out, "--key", k.key, "--cert", k.cert}, extra...)
	code, stdout, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("build %s exited %d:\n%s%s", quarter, code, stdout, stderr)
	}
	return stdout
}

// TestBuildWithPrevious is the acceptance test of build --previous: the Q4
// package, compared with Q3's, must show exactly the changes
// testdata/diff/README.md lists, in the report and in the workbook.
func TestBuildWithPrevious(t *testing.T) {
	seen := withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	q3, q4 := filepath.Join(dir, "q3"), filepath.Join(dir, "q4")
	buildQuarter(t, "q3", k, q3, "--zip")
	q3Results, err := os.ReadFile(filepath.Join(q3, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	q3ID := resultsID(q3Results)
	stdout := buildQuarter(t, "q4", k, q4, "--previous", q3)
	if want := "compared with " + q3ID + " as of 2026-09-30: 3 regression(s), 0 improvement(s); 1 scope, 1 evidence, 1 exception, 0 version change(s)"; !strings.Contains(stdout, want) {
		t.Errorf("build does not say %q:\n%s", want, stdout)
	}
	if seen.Changes == nil || seen.PreviousID != q3ID {
		t.Fatalf("the renderers were not given the changes: %+v", seen)
	}
	if s := seen.Changes.Summary; s != (diff.Summary{Regressions: 3, Scope: 1, Evidence: 1, Exceptions: 1}) {
		t.Errorf("changes summary %+v", s)
	}

	checkPreviousInput(t, q4, q3Results)
	checkChangesSheet(t, filepath.Join(q4, "workbook.xlsx"))
	report, err := os.ReadFile(filepath.Join(q4, packager.ReportName))
	if err != nil {
		t.Fatal(err)
	}
	checkOutline(t, report)
	checkChangesChapter(t, report, q3ID)

	// Every form of the previous package gives the same comparison.
	for _, prev := range []string{q3 + ".zip", filepath.Join(q3, "results.json")} {
		other := filepath.Join(dir, "q4-"+filepath.Base(prev))
		buildQuarter(t, "q4", k, other, "--previous", prev)
		a, _ := os.ReadFile(filepath.Join(q4, "workbook.xlsx"))
		b, _ := os.ReadFile(filepath.Join(other, "workbook.xlsx"))
		if !bytes.Equal(a, b) {
			t.Errorf("the workbook compared with %s differs from the one compared with the directory", prev)
		}
	}
}

// checkPreviousInput checks that the package keeps the previous results as
// an input, so that the comparison can be repeated from the package alone.
func checkPreviousInput(t *testing.T, q4 string, q3Results []byte) {
	t.Helper()
	kept := filepath.Join(q4, packager.InputsDir, previousRole, "results.json")
	data, err := os.ReadFile(kept)
	if err != nil || !bytes.Equal(data, q3Results) {
		t.Fatalf("the package does not keep the previous results as read: %v", err)
	}
	_, want, _ := runCLI(t, "diff", "--format", "json", kept, q4)
	var ch diff.Changes
	if err := json.Unmarshal([]byte(want), &ch); err != nil || ch.Summary.Regressions != 3 {
		t.Errorf("diff from the kept input: %v %+v", err, ch.Summary)
	}
	if code, stdout, _ := runCLI(t, "verify", q4, "--accept-unanchored"); code != exitOK {
		t.Errorf("verify the compared package: exit %d\n%s", code, stdout)
	}
}

func checkChangesSheet(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) < 2 || got[1] != xlsx.SheetChanges {
		t.Fatalf("sheets %q: no %s sheet after the Summary", got, xlsx.SheetChanges)
	}
	rows, err := f.GetRows(xlsx.SheetChanges)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, strings.Join(row[:min(6, len(row))], " | "))
	}
	want := []string{
		"regression | verdict | pci-dss@4.0.1:4.2.1 | Strong cryptography for PAN over public networks | satisfied | not-satisfied",
		"regression | verdict | pci-dss@4.0.1:1.2.6 | Security features for insecure services in use | manual | not-satisfied",
		"regression | verdict | pci-dss@4.0.1:3.5.1 | PAN rendered unreadable wherever stored | excepted | not-satisfied",
		"scope | changed | f-checkout | Card checkout, dataflow |  | ",
		"evidence | stale | EV-TLS-BANK | TLS scan of the settlement link | ok | too-old",
		"exception | expired | EX-2026-007 | control pci-dss@4.0.1:3.5.1; element card-store | active | expired",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Changes rows:\n got %q\nwant %q", got, want)
	}
	var b strings.Builder
	if p, _ := f.GetPanes(xlsx.SheetChanges); p.Freeze {
		fmt.Fprintf(&b, "frozen at %s\n", p.TopLeftCell)
	}
	esc := strings.NewReplacer("\\", `\\`, "\n", `\n`, "|", `\|`)
	for i, row := range rows {
		for j := range row {
			row[j] = esc.Replace(row[j])
		}
		fmt.Fprintf(&b, "%d: %s\n", i+1, strings.Join(row, " | "))
	}
	golden(t, goldenSheet, b.String())
}

// checkOutline finds the chapter's bookmark between the executive summary's
// and the next chapter's. fpdf writes outline titles as UTF-16BE strings
// with a byte order mark.
func checkOutline(t *testing.T, report []byte) {
	t.Helper()
	at := func(title string) int {
		var b bytes.Buffer
		b.WriteString("/Title (\xFE\xFF")
		for _, u := range utf16.Encode([]rune(title)) {
			b.Write([]byte{byte(u >> 8), byte(u)})
		}
		b.WriteByte(')')
		return bytes.Index(report, b.Bytes())
	}
	summary, changes, scope := at("1 Executive summary"), at("Changes since the previous package"), at("2 Scope and method")
	if changes < 0 || summary < 0 || scope < 0 || !(summary < changes && changes < scope) {
		t.Errorf("outline entries at %d, %d, %d: the chapter's bookmark must come after the summary's", summary, changes, scope)
	}
}

// checkChangesChapter reads the report's text, which needs pdftotext.
func checkChangesChapter(t *testing.T, report []byte, q3ID string) {
	t.Helper()
	bin := requireTool(t, "pdftotext")
	p := filepath.Join(t.TempDir(), "report.pdf")
	mustWrite(t, p, report, 0o644)
	text, err := runTool(t, filepath.Dir(p), bin, "-layout", "-enc", "UTF-8", p, "-")
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(text, "\f")
	start, end := -1, -1
	for i, pg := range pages {
		if i > 1 && start < 0 && regexp.MustCompile(`(?m)^\s*Changes since the previous package\s*$`).MatchString(pg) {
			start = i
		}
		if start >= 0 && regexp.MustCompile(`(?m)^\s*2 Scope and method\s*$`).MatchString(pg) {
			end = i
			break
		}
	}
	if start < 0 || end < 0 {
		t.Fatalf("the report has no chapter on the changes before the scope")
	}
	flat := strings.Join(strings.Fields(strings.Join(pages[:start], " ")), " ")
	if want := fmt.Sprintf("3 regressions since 2026-09-30 (package %s), 0 improvements; see \"Changes since the previous package\", page %d.", q3ID, start+1); !strings.Contains(flat, want) {
		t.Errorf("the executive summary does not say %q", want)
	}
	chapter := strings.Join(pages[start:end], "\f")
	for _, re := range []string{
		`Previous package\s+` + q3ID, `Previous as-of date\s+2026-09-30`,
		`Regressions \(3\)`, `pci-dss 4\.2\.1\s.*satisfied\s+not-satisfied`, `pci-dss 1\.2\.6\s.*manual\s+not-satisfied`, `pci-dss 3\.5\.1\s.*excepted\s+not-satisfied`,
		`f-checkout\): satisfied → not-satisfied`, `f-settle\): satisfied → needs-evidence`,
		`Improvements \(0\)\s+None\.`, `Scope \(1\)`,
		`Evidence \(1\)`, `EV-TLS-BANK\s+stale\s+ok\s+too-old\s+is 153 days old`,
		`Exceptions \(1\)`, `EX-2026-007\s+expired\s+active\s+expired\s+control pci-dss@4\.0\.1:3\.5\.1; element card-store\s+2026-10-31`,
		`Versions \(0\)\s+None\.`,
	} {
		if !regexp.MustCompile(re).MatchString(chapter) {
			t.Errorf("the chapter does not match %s", re)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^pci-dss \d`).FindAllString(chapter, -1)); n != 3 {
		t.Errorf("the chapter lists %d controls, want the 3 regressions", n)
	}
	golden(t, goldenChapter, chapter)
}

// golden compares got with a committed file, which -update rewrites.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/auditpack -run Previous -update)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("differs from %s at line %d:\n got: %q\nwant: %q\n(run with -update if the change is intended)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, %s has %d", len(gl), path, len(wl))
	}
}

// TestBuildWithPreviousIsDeterministic builds Q4 twice against Q3: every
// unsigned byte must be the same.
func TestBuildWithPreviousIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	q3 := filepath.Join(dir, "q3")
	buildQuarter(t, "q3", k, q3)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	buildQuarter(t, "q4", k, a, "--previous", q3)
	buildQuarter(t, "q4", k, b, "--previous", q3)
	for _, name := range []string{"workbook.xlsx", "results.json", filepath.Join(packager.InputsDir, previousRole, "results.json")} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	ma, _ := os.ReadFile(filepath.Join(a, packager.ManifestName))
	mb, _ := os.ReadFile(filepath.Join(b, packager.ManifestName))
	x, _ := packager.ParseManifest(ma)
	y, _ := packager.ParseManifest(mb)
	if x.Report == nil || y.Report == nil || *x.Report != *y.Report {
		t.Error("the unsigned reports differ between two builds")
	}
}

// TestBadPreviousExitsTwo refuses a previous package that cannot be read
// before anything is written, naming the file.
func TestBadPreviousExitsTwo(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	notResults := filepath.Join(dir, "other.json")
	mustWrite(t, notResults, []byte(`{"schema_version": "something/else"}`), 0o644)
	for _, prev := range []string{filepath.Join(dir, "missing.zip"), dir, notResults} {
		out := filepath.Join(dir, "out")
		cfg := filepath.Join("..", "..", "testdata", "diff", "q4", "auditpack.yaml")
		code, _, stderr := runCLI(t, "build", "-c", cfg, "--out", out, "--key", k.key, "--cert", k.cert, "--previous", prev)
		if code != exitInput || !strings.Contains(stderr, "--previous: "+prev) || strings.Contains(stderr, "statat") {
			t.Errorf("--previous %s: exit %d, want %d naming it: %s", prev, code, exitInput, stderr)
		}
		if _, err := os.Lstat(out); !os.IsNotExist(err) {
			t.Errorf("--previous %s: %s was written", prev, out)
		}
	}
}

// TestDemoWithPrevious compares the demo with itself: nothing changed, and
// the package says so; without the flag the demo has no Changes sheet.
func TestDemoWithPrevious(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, stderr := runCLI(t, "demo", "--out", a); code != exitOK {
		t.Fatalf("demo: exit %d %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "demo", "--out", b, "--previous", a)
	if code != exitOK || !strings.Contains(stdout, "as of 2026-11-15: 0 regression(s), 0 improvement(s)") {
		t.Fatalf("demo --previous: exit %d\n%s%s", code, stdout, stderr)
	}
	for out, want := range map[string]bool{a: false, b: true} {
		f, err := excelize.OpenFile(filepath.Join(out, "workbook.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(f.GetSheetList(), xlsx.SheetChanges); got != want {
			t.Errorf("%s: Changes sheet %v, want %v", filepath.Base(out), got, want)
		}
		f.Close()
	}
}
