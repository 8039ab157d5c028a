package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/signature"
)

// The previous results say "nothing came into scope since" only when they
// are a package that verifies and is signed by this package's signer (or
// under its chain); anything else leaves the after-change checks
// unchecked and says why, and a tampered package stops the build.
func TestPreviousPackageMustVerifyToSpeakForNoChange(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	// Certificates of an intermediate CA carry it as their chain; those
	// issued by a root directly carry none, so nothing ties two of them.
	root := signature.NewTestCA(t, signature.AlgECDSAP256)
	ca := root.Intermediate(t, signature.AlgECDSAP256, "Acme signing CA")
	mine := writeTestKeys(t, t.TempDir(), ca)
	sameCA := writeTestKeys(t, t.TempDir(), ca)
	rootA, rootB := writeTestKeys(t, t.TempDir(), root), writeTestKeys(t, t.TempDir(), root)
	other := writeTestKeys(t, t.TempDir(), nil)

	earlier := filepath.Join(dir, "earlier")
	if code, stdout, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", earlier,
		"--key", mine.key, "--cert", mine.cert, "--as-of", "2026-08-15"); code != exitOK {
		t.Fatalf("build as of 2026-08-15: exit %d\n%s%s", code, stdout, stderr)
	}

	earlierRoot := filepath.Join(dir, "earlier-root")
	if code, stdout, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", earlierRoot,
		"--key", rootA.key, "--cert", rootA.cert, "--as-of", "2026-08-15"); code != exitOK {
		t.Fatalf("build as of 2026-08-15: exit %d\n%s%s", code, stdout, stderr)
	}

	const none = "segmentation-test: nothing came into scope since the previous results of 2026-08-15"
	const unchecked = "segmentation-test: whether the scope changed since the last test could not be checked: the previous results of 2026-08-15 show nothing new in scope, but they are not verified ("
	for _, tc := range []struct {
		name     string
		keys     testKeys
		previous string
		want     string
	}{
		{"same signer, directory", mine, earlier, none},
		{"another certificate under the same CA", sameCA, earlier, none},
		{"another signer", other, earlier, unchecked + "package AP-"},
		{"another certificate of the same root, no chain", rootB, filepath.Join(dir, "earlier-root"), unchecked + "package AP-"},
		{"a bare results.json", mine, filepath.Join(earlier, resultsName), unchecked + "a results.json file, not a signed package)"},
	} {
		out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
		buildExample(t, project, tc.keys, out, "--previous", tc.previous)
		data, err := os.ReadFile(filepath.Join(out, resultsName))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), tc.want) {
			t.Errorf("%s: results.json does not say %q", tc.name, tc.want)
		}
		if tc.want != none && strings.Contains(string(data), "nothing came into scope") {
			t.Errorf("%s: unverified previous results established that nothing came into scope", tc.name)
		}
	}

	// A previous package edited after signing stops the build, as verify would.
	tampered := filepath.Join(dir, "tampered")
	if err := os.CopyFS(tampered, os.DirFS(earlier)); err != nil {
		t.Fatal(err)
	}
	wb := filepath.Join(tampered, "workbook.xlsx")
	data, err := os.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	mustWrite(t, wb, data, 0o644)
	out := filepath.Join(dir, "from-tampered")
	code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
		"--key", mine.key, "--cert", mine.cert, "--previous", tampered)
	if code != exitIntegrity || !strings.Contains(stderr, "--previous: "+tampered+" does not verify") || !strings.Contains(stderr, "workbook.xlsx") {
		t.Errorf("tampered previous package: exit %d, want %d naming it and the file:\n%s", code, exitIntegrity, stderr)
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Error("a package was written from a tampered previous package")
	}
}
