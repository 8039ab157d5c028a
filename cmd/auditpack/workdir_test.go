package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/packager"
)

// TestBuildIsTheSameFromAnyWorkingDirectory builds one project four ways:
// from its own directory with a relative configuration, from elsewhere with
// an absolute one, from its parent, and through a link to it. Every unsigned byte must agree, and
// no artefact may carry a path of the building machine.
func TestBuildIsTheSameFromAnyWorkingDirectory(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "proj")
	if err := os.Rename(writeProject(t, nil), project); err != nil {
		t.Fatal(err)
	}
	k := writeTestKeys(t, root, nil)
	elsewhere := filepath.Join(root, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	prev := filepath.Join(root, "prev")
	buildExample(t, project, k, prev)

	// A link to the project, from deeper down: the shell's $PWD then names
	// the link, and relative paths from there must not change any name.
	linked := filepath.Join(elsewhere, "deep", "link")
	if err := os.MkdirAll(filepath.Dir(linked), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(project, linked); err != nil {
		t.Fatal(err)
	}
	ways := []struct{ name, cwd, cfg string }{
		{"own-directory", project, "auditpack.yaml"},
		{"absolute", elsewhere, filepath.Join(project, "auditpack.yaml")},
		{"parent", root, filepath.Join("proj", "auditpack.yaml")},
		{"linked", linked, "auditpack.yaml"},
	}
	outs := make([]string, len(ways))
	for i, w := range ways {
		outs[i] = filepath.Join(root, "out-"+w.name)
		t.Setenv("PWD", w.cwd)
		t.Chdir(w.cwd)
		code, stdout, stderr := runCLI(t, "build", "-c", w.cfg, "--out", outs[i], "--zip", "--key", k.key, "--cert", k.cert,
			"--as-of", "2026-11-15", "--previous", prev)
		if code != exitOK {
			t.Fatalf("%s: build exited %d:\n%s%s", w.name, code, stdout, stderr)
		}
	}
	signed := map[string]bool{packager.ReportName: true, packager.SumsName: true, packager.SignatureName: true, packager.ManifestName: true}
	files := packageFiles(t, outs[0])
	if len(files) < 8 {
		t.Fatalf("only %d files in the package: %v", len(files), files)
	}
	for _, out := range outs {
		for _, name := range packageFiles(t, out) {
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(root)) {
				t.Errorf("%s: %s holds the path of the building machine %s", out, name, root)
			}
		}
		data, err := os.ReadFile(out + ".zip")
		if err != nil || bytes.Contains(data, []byte(root)) {
			t.Errorf("%s.zip is missing or holds %s (%v)", out, root, err)
		}
	}
	for _, other := range outs[1:] {
		if got := packageFiles(t, other); strings.Join(got, " ") != strings.Join(files, " ") {
			t.Fatalf("%s holds %v, %s holds %v", outs[0], files, other, got)
		}
		for _, name := range files {
			if signed[name] {
				continue
			}
			a, _ := os.ReadFile(filepath.Join(outs[0], name))
			b, _ := os.ReadFile(filepath.Join(other, name))
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between %s and %s", name, outs[0], other)
			}
		}
		ma, _ := os.ReadFile(filepath.Join(outs[0], packager.ManifestName))
		mb, _ := os.ReadFile(filepath.Join(other, packager.ManifestName))
		x, errX := packager.ParseManifest(ma)
		y, errY := packager.ParseManifest(mb)
		if errX != nil || errY != nil || x.Report == nil || y.Report == nil || *x.Report != *y.Report {
			t.Errorf("the unsigned reports of %s and %s differ (%v, %v)", outs[0], other, errX, errY)
		}
		if errX == nil && errY == nil && !bytes.Equal(withoutReportHash(ma, x), withoutReportHash(mb, y)) {
			t.Errorf("manifest.json of %s and %s differ beyond the signed report's hash", outs[0], other)
		}
	}
}

// packageFiles lists a package directory's files, sorted.
func packageFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutReportHash blanks the signed report's hash, the one part of
// manifest.json that a signature with fresh randomness changes.
func withoutReportHash(data []byte, m *packager.Manifest) []byte {
	for _, f := range m.Files {
		if f.Path == packager.ReportName {
			return bytes.ReplaceAll(data, []byte(f.SHA256), nil)
		}
	}
	return data
}
