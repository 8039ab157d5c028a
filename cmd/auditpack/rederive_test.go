package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/auditpack/auditpack/reports/xlsx"
)

// resign replaces files of the package in dir and signs it again with s,
// as the holder of the signing key could: manifest.json lists the new
// hashes and sizes, SHA256SUMS is written again and signed at the
// manifest's signing time. Plain verification cannot tell.
func resign(t *testing.T, dir string, s *signature.Signer, changed map[string][]byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, packager.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	m, err := packager.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range slices.Sorted(maps.Keys(changed)) {
		mustWrite(t, filepath.Join(dir, filepath.FromSlash(p)), changed[p], 0o644)
		sum := sha256.Sum256(changed[p])
		i := slices.IndexFunc(m.Files, func(f packager.FileEntry) bool { return f.Path == p })
		if i < 0 {
			t.Fatalf("%s is not a file of the package", p)
		}
		m.Files[i].SHA256, m.Files[i].Size = hex.EncodeToString(sum[:]), int64(len(changed[p]))
		for j := range m.Inputs {
			if m.Inputs[j].Path == p {
				m.Inputs[j].SHA256, m.Inputs[j].Size = m.Files[i].SHA256, m.Files[i].Size
			}
		}
	}
	mj, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, packager.ManifestName), mj, 0o644)
	mSum := sha256.Sum256(mj)
	sums := []packager.SumEntry{{Path: packager.ManifestName, SHA256: hex.EncodeToString(mSum[:])}}
	for _, f := range m.Files {
		sums = append(sums, packager.SumEntry{Path: f.Path, SHA256: f.SHA256})
	}
	slices.SortFunc(sums, func(a, b packager.SumEntry) int { return strings.Compare(a.Path, b.Path) })
	sumsData := packager.FormatSums(sums)
	st, err := time.Parse(time.RFC3339, m.SigningTime)
	if err != nil {
		t.Fatal(err)
	}
	p7s, err := signature.SignDetached(bytes.NewReader(sumsData), s, signature.CMSOptions{SigningTime: st})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, packager.SumsName), sumsData, 0o644)
	mustWrite(t, filepath.Join(dir, packager.SignatureName), p7s, 0o644)
}

// readPackageResults decodes the results.json of a package directory.
func readPackageResults(t *testing.T, dir string) *audit.Results {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, resultsName))
	if err != nil {
		t.Fatal(err)
	}
	var res audit.Results
	if err := unmarshalResults(data, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

// An untouched package, directory and zip, re-derives: every verdict and
// count follows from its inputs, and the output says how the evidence was
// judged. Without the evidence files, their recorded hashes and facts are
// used.
func TestRederiveUntouchedPackage(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, writeProject(t, nil), k, out, "--zip")
	for _, target := range []string{out, out + ".zip"} {
		code, stdout, stderr := runCLI(t, "verify", target, "--signer-fingerprint", k.fingerprint, "--rederive")
		if code != exitOK || strings.Contains(stdout, "FAILED") {
			t.Fatalf("verify --rederive %s: exit %d\n%s%s", target, code, stdout, stderr)
		}
		for _, want := range []string{
			"evidence: not embedded: judged again from the hashes and facts results.json records",
			"ok      verdicts results.json", "ok      summary counts workbook.xlsx", "ok      artefacts",
			"re-derived: the verdicts follow from the recorded inputs",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("verify --rederive %s lacks %q:\n%s", target, want, stdout)
			}
		}
	}
}

// Whoever holds the signing key can change results.json and sign the
// package again: plain verification passes, re-derivation fails naming
// each changed (rule, element) verdict, the controls it moved and the
// counts.
func TestRederiveCatchesResignedResults(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, writeProject(t, nil), k, out)
	res := readPackageResults(t, out)
	i := slices.IndexFunc(res.RuleResults, func(r eval.Result) bool { return r.Verdict == eval.NotSatisfied })
	if i < 0 {
		t.Fatal("the example has no not-satisfied rule result to flip")
	}
	flipped := res.RuleResults[i]
	res.RuleResults[i].Verdict = eval.Satisfied
	j := slices.IndexFunc(res.Controls, func(c audit.Control) bool { return c.Verdict == eval.NotSatisfied })
	res.Controls[j].Verdict, res.Controls[j].Coverage = eval.Satisfied, audit.CoverageFull
	edited, err := resultsfile.Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	resign(t, out, k.signer, map[string][]byte{resultsName: edited})

	if code, stdout, stderr := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint); code != exitOK {
		t.Fatalf("plain verify of the re-signed package: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint, "--rederive")
	if code != exitIntegrity {
		t.Fatalf("verify --rederive of edited results: exit %d, want %d\n%s%s", code, exitIntegrity, stdout, stderr)
	}
	for _, want := range []string{
		"FAILED  verdicts results.json",
		"rule " + flipped.Rule + " on " + flipped.Element.Kind + " " + flipped.Element.ID + ": results.json says satisfied, the inputs give not-satisfied",
		"control " + res.Controls[j].Ref + ": results.json says satisfied (coverage full), the inputs give not-satisfied",
		// results.json no longer renders the artefacts it sits beside.
		"FAILED  artefacts",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify --rederive lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "re-derivation failed") {
		t.Errorf("the error does not say re-derivation failed:\n%s", stderr)
	}
}

// With the evidence embedded, re-derivation hashes and reads the files
// again: an evidence file changed and signed again changes the verdicts
// that rest on it, which the recorded facts alone could not show.
func TestRederiveRereadsEmbeddedEvidence(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, writeProject(t, nil), k, out, "--embed-evidence")
	code, stdout, stderr := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint, "--rederive")
	if code != exitOK || !strings.Contains(stdout, "evidence: re-read from the files embedded under evidence/") {
		t.Fatalf("verify --rederive with embedded evidence: exit %d\n%s%s", code, stdout, stderr)
	}
	// The evidence file most verdicts rest on is replaced by other bytes.
	res := readPackageResults(t, out)
	uses := map[string]int{}
	for _, r := range res.RuleResults {
		for _, e := range r.Evidence {
			uses[e.Item]++
		}
	}
	var target string
	best := 0
	for _, it := range res.Evidence.Items {
		if len(it.Files) > 0 && it.Files[0].OK && uses[it.ID] > best {
			target, best = packager.EvidenceDir+"/"+it.Files[0].Path, uses[it.ID]
		}
	}
	if target == "" {
		t.Fatal("no embedded evidence file is used by a rule result")
	}
	if _, err := fs.Stat(os.DirFS(out), target); err != nil {
		t.Fatal(err)
	}
	resign(t, out, k.signer, map[string][]byte{target: []byte("replaced\n")})
	if code, stdout, stderr := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint); code != exitOK {
		t.Fatalf("plain verify of the re-signed package: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint, "--rederive")
	if code != exitIntegrity || !strings.Contains(stdout, "FAILED  verdicts results.json") || !strings.Contains(stdout, ": results.json says ") {
		t.Fatalf("verify --rederive after %s changed: exit %d\n%s%s", target, code, stdout, stderr)
	}
}

// The workbook's Summary counts are read back cell by cell: counts that
// differ from the re-derived results are named by framework and column.
func TestRederiveReadsWorkbookCounts(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, writeProject(t, nil), k, out)
	res := readPackageResults(t, out)
	fsys := os.DirFS(out)
	if problems, err := workbookCounts(fsys, view.Of(res)); err != nil || len(problems) != 0 {
		t.Fatalf("the package's own workbook: %v %q", err, problems)
	}
	i := slices.IndexFunc(res.Controls, func(c audit.Control) bool { return c.Verdict == eval.NotSatisfied })
	res.Controls[i].Verdict, res.Controls[i].Coverage = eval.Satisfied, audit.CoverageFull
	fw := slices.IndexFunc(res.Frameworks, func(f audit.FrameworkInfo) bool { return f.Ref == res.Controls[i].Framework })
	if fw < 0 {
		t.Fatalf("no framework %q", res.Controls[i].Framework)
	}
	for _, c := range []*audit.Counts{&res.Frameworks[fw].Counts, &res.Summary} {
		c.NotSatisfied, c.Satisfied, c.SatisfiedFull = c.NotSatisfied-1, c.Satisfied+1, c.SatisfiedFull+1
	}
	problems, err := workbookCounts(fsys, view.Of(res))
	if err != nil {
		t.Fatal(err)
	}
	label := xlsx.SummaryCounts(view.Of(res))[fw].Label
	for _, want := range []string{
		label + " not-satisfied: the workbook says ", label + " satisfied-full: the workbook says ",
		label + " coverage-full: the workbook says 0, the inputs give 1", "All frameworks not-satisfied: the workbook says ",
	} {
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, want) }) {
			t.Errorf("no difference starting %q in %q", want, problems)
		}
	}
}

// An importer names places in the model by the file's name (Threagile's
// "model.yaml:1160:trust_boundaries.Web DMZ"): re-derived, the model is
// read under the name it was built from, not its path in the package, so
// results.json comes out to the byte.
func TestRederiveReadsTheModelUnderItsName(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, filepath.Join("..", "..", "testdata", "projects", "threagile"), k, out)
	code, stdout, stderr := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint, "--rederive")
	if code != exitOK || !strings.Contains(stdout, "ok      artefacts") {
		t.Fatalf("verify --rederive of a Threagile package: exit %d\n%s%s", code, stdout, stderr)
	}
}
