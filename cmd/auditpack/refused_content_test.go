package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusedFilesAreNotQuoted feeds a file holding a secret, in each shape
// that made a parser quote it (an alias to an unknown anchor, a mapping
// key, XML element names and declarations), through every reader of the
// command line. Each must refuse it with exit 2 naming the file, and the
// secret must appear neither on stdout nor on stderr: a credentials file
// named in the wrong place must not end up in a terminal or a CI log.
func TestRefusedFilesAreNotQuoted(t *testing.T) {
	const secret = "SECRET-TOKEN-123"
	project := writeProject(t, nil)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	cfg := filepath.Join(project, "auditpack.yaml")
	yamlShapes := map[string]string{
		"anchor.yaml":   "a: *" + secret + "\n",
		"key.yaml":      secret + ": 1\n",
		"nested.yaml":   "x:\n  " + secret + ": 1\n",
		"key.json":      `{"` + secret + `": 1}`,
		"self-ref.yaml": "a: &" + secret + " [*" + secret + "]\n",
	}
	xmlShapes := map[string]string{
		"root.tm7":      "<" + secret + "/>",
		"end.tm7":       "<a></" + secret + ">",
		"directive.tm7": "<a>\n<!" + secret + " x></a>",
		"entity.tm7":    "<a>&" + secret + ";</a>",
	}
	type reader struct {
		name string
		args func(file string) []string
	}
	out := filepath.Join(dir, "out")
	build := func(extra ...string) []string {
		return append([]string{"build", "-c", cfg, "--out", out, "--key", k.key, "--cert", k.cert, "-q"}, extra...)
	}
	evidenceDir := func(file string) string {
		d := filepath.Join(dir, "bundle-"+filepath.Base(file))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(d, "manifest.yaml"), data, 0o644)
		return d
	}
	readers := []reader{
		{"config", func(f string) []string {
			return []string{"build", "-c", f, "--out", out, "--key", k.key, "--cert", k.cert}
		}},
		{"--model", func(f string) []string { return build("--model", f) }},
		{"model validate", func(f string) []string { return []string{"model", "validate", f} }},
		{"--rules", func(f string) []string { return build("--rules", f) }},
		{"rules lint", func(f string) []string { return []string{"rules", "lint", f} }},
		{"--exceptions", func(f string) []string { return build("--exceptions", f) }},
		{"--evidence", func(f string) []string { return build("--evidence", evidenceDir(f)) }},
		{"evidence verify", func(f string) []string { return []string{"evidence", "verify", evidenceDir(f)} }},
		{"--previous", func(f string) []string { return build("--previous", f) }},
		{"diff", func(f string) []string { return []string{"diff", f, f} }},
	}
	check := func(r reader, file string) {
		t.Helper()
		code, stdout, stderr := runCLI(t, r.args(file)...)
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("%s %s: the output quotes the file's content:\n%s%s", r.name, filepath.Base(file), stdout, stderr)
		}
		if code != exitInput || !strings.Contains(stderr, filepath.Base(file)) {
			t.Errorf("%s %s: exit %d, want %d naming the file:\n%s", r.name, filepath.Base(file), code, exitInput, stderr)
		}
		if _, err := os.Lstat(out); !os.IsNotExist(err) {
			t.Errorf("%s %s: %s was written", r.name, filepath.Base(file), out)
			os.RemoveAll(out)
		}
	}
	for name, content := range yamlShapes {
		file := filepath.Join(dir, name)
		mustWrite(t, file, []byte(content), 0o644)
		for _, r := range readers {
			check(r, file)
		}
	}
	for name, content := range xmlShapes {
		file := filepath.Join(dir, name)
		mustWrite(t, file, []byte(content), 0o644)
		for _, r := range readers[1:3] {
			check(r, file)
		}
	}
}
