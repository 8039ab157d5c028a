package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
)

// samplePackage copies the committed demo results into a package
// directory of their own.
func samplePackage(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(reporttest.Path(reporttest.DemoResults))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "results.json"), data, 0o644)
	return dir
}

var memberLine = regexp.MustCompile(`(?m)^ +\d+  ([0-9a-f]{16})  (\S+) (\S+)`)

// members returns the ids sample printed, in order.
func members(out string) []string {
	var ids []string
	for _, m := range memberLine.FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[3])
	}
	return ids
}

func TestSampleIsTheSameTwice(t *testing.T) {
	pkg := samplePackage(t)
	code, first, stderr := runCLI(t, "sample", pkg)
	if code != 0 {
		t.Fatalf("sample exited %d: %s", code, stderr)
	}
	_, second, _ := runCLI(t, "sample", pkg)
	if first != second || first == "" {
		t.Fatal("two draws from the same package differ")
	}
	// Every recorded sample is printed, with its seed.
	res := reporttest.Demo(t)
	for _, s := range res.Samples {
		if !strings.Contains(first, "seed "+s.Seed) {
			t.Errorf("the sample of %s (%s) is not printed", s.Control, s.Of())
		}
	}
	// The results.json alone, and a package zip, draw the same.
	data, err := os.ReadFile(filepath.Join(pkg, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	zipped := zipOfResults(t, map[string]string{"results.json": string(data), "manifest.json": "{}"})
	for _, p := range []string{filepath.Join(pkg, "results.json"), zipped} {
		code, again, stderr := runCLI(t, "sample", p)
		if code != 0 || again != first {
			t.Errorf("%s: exit %d (%s); draws another sample than its package: %v", p, code, stderr, again != first)
		}
	}
}

func TestSampleControlAndLargerSize(t *testing.T) {
	pkg := samplePackage(t)
	code, small, stderr := runCLI(t, "sample", pkg, "--control", "1.2.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Count(small, "seed ") != 1 || !strings.HasPrefix(small, "pci-dss@4.0.1:1.2.5  elements\n") {
		t.Fatalf("--control 1.2.5 printed:\n%s", small)
	}
	smallIDs := members(small)
	res := reporttest.Demo(t)
	var want []string
	for _, s := range res.Samples {
		if s.Control == "pci-dss@4.0.1:1.2.5" {
			for _, m := range s.Members {
				want = append(want, m.ID)
			}
		}
	}
	if len(smallIDs) == 0 || !slices.Equal(smallIDs, want) {
		t.Fatalf("drawn %v, recorded %v", smallIDs, want)
	}
	code, large, stderr := runCLI(t, "sample", pkg, "--control", "pci-dss@4.0.1:1.2.5", "--sample-size", "9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	largeIDs := members(large)
	if len(largeIDs) != 9 || !slices.Equal(largeIDs[:len(smallIDs)], smallIDs) {
		t.Fatalf("size 9 drew %v, which does not start with %v", largeIDs, smallIDs)
	}
	if strings.Count(large, "(added)") != 9-len(smallIDs) {
		t.Errorf("the members beyond the package's sample must be marked added:\n%s", large)
	}
	// A smaller size draws the first members of the package's sample.
	_, fewer, _ := runCLI(t, "sample", pkg, "--control", "1.2.5", "--sample-size", "2")
	if got := members(fewer); !slices.Equal(got, smallIDs[:2]) || !strings.Contains(fewer, "the first 2 of the package's sample of 5") {
		t.Errorf("size 2 drew %v:\n%s", got, fewer)
	}
	// A size beyond the population draws it whole.
	_, all, _ := runCLI(t, "sample", pkg, "--control", "1.2.5", "--sample-size", "1000")
	if got := members(all); len(got) != 16 || !slices.Equal(got[:9], largeIDs) {
		t.Errorf("size 1000 drew %d members: %v", len(got), got)
	}
}

func TestSampleRefusals(t *testing.T) {
	pkg := samplePackage(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--control", "9.9.9"}, `no control "9.9.9"`},
		{[]string{"--control", "1.1.1"}, "pci-dss@4.0.1:1.1.1 has no sample"},
		{[]string{"--sample-size", "0"}, "--sample-size must be at least 1"},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"sample", pkg}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("sample %v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	// Results written before samples were drawn have none to draw.
	code, _, stderr := runCLI(t, "sample", reporttest.Path("testdata/results/demo-v1.json"))
	if code != 2 || !strings.Contains(stderr, "records no samples") {
		t.Errorf("version 1 results: exit %d, %s", code, stderr)
	}
}

// A recorded sample that its inputs and results do not draw was edited:
// a member swapped, or an input's hash changed under it.
func TestSampleEditedExitsThree(t *testing.T) {
	res := reporttest.Demo(t)
	s := res.Samples[0]
	data, err := os.ReadFile(reporttest.Path(reporttest.DemoResults))
	if err != nil {
		t.Fatal(err)
	}
	// The member is swapped for an element of the model the sample does
	// not hold, whatever the seed drew.
	in := map[string]bool{}
	for _, m := range s.Members {
		in[m.ID] = true
	}
	other := ""
	for _, f := range res.Model.Flows {
		if !in[f.ID] {
			other = f.ID
			break
		}
	}
	swapped := strings.Replace(string(data), `"members":[{"id":"`+s.Members[0].ID+`"`, `"members":[{"id":"`+other+`"`, 1)
	hash := res.Inputs[0].SHA256
	rehashed := strings.Replace(string(data), hash, strings.Repeat("0", 64), 1)
	for name, doc := range map[string]string{"swapped": swapped, "rehashed": rehashed} {
		if doc == string(data) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		p := filepath.Join(t.TempDir(), "results.json")
		mustWrite(t, p, []byte(doc), 0o644)
		code, _, stderr := runCLI(t, "sample", p)
		if code != 3 || !strings.Contains(stderr, "is not what its results and inputs draw") {
			t.Errorf("%s: exit %d, %s", name, code, stderr)
		}
	}
}
