//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runPrompt runs a command line that must end promptly: a reader that
// waits on a pipe would hang the test, so a generous limit turns a hang
// into a failure.
func runPrompt(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := runCLI(t, args...)
		done <- result{code, stdout, stderr}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(20 * time.Second):
		t.Fatalf("%v did not return: it waits on its input", args)
		return 0, "", ""
	}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}

// A configuration or model that is a device, a named pipe or a directory is
// refused at once with exit 2, naming the file: /dev/zero used to exhaust
// memory and a FIFO to hang.
func TestSpecialFilesAreRefusedPromptly(t *testing.T) {
	dir := writeProject(t, nil)
	fifo := filepath.Join(dir, "pipe.yaml")
	mkfifo(t, fifo)
	cfgFIFO := filepath.Join(dir, "fifo-model.yaml")
	cfg, err := os.ReadFile(filepath.Join(dir, "auditpack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, cfgFIFO, []byte(strings.Replace(string(cfg), "model: model.yaml", "model: pipe.yaml", 1)), 0o644)
	k := writeTestKeys(t, t.TempDir(), nil)
	link := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"config /dev/zero", []string{"check", "--config", "/dev/zero"}, []string{"/dev/zero", "is a device"}},
		{"config FIFO", []string{"check", "--config", fifo}, []string{fifo, "is a named pipe (FIFO)"}},
		{"config directory", []string{"check", "--config", dir}, []string{dir, "is a directory"}},
		{"config link to /dev/zero", []string{"check", "--config", link}, []string{link, "is a device"}},
		{"model FIFO in config", []string{"check", "--config", cfgFIFO}, []string{"pipe.yaml", "is a named pipe (FIFO)"}},
		{"model FIFO", []string{"model", "validate", fifo}, []string{fifo, "is a named pipe (FIFO)"}},
		{"model /dev/zero", []string{"model", "validate", "/dev/zero"}, []string{"/dev/zero", "is a device"}},
		{"exceptions FIFO", []string{"check", "--config", filepath.Join(dir, "auditpack.yaml"), "--exceptions", fifo}, []string{"pipe.yaml", "is a named pipe (FIFO)"}},
		{"rules FIFO", []string{"rules", "lint", fifo}, []string{fifo, "is a named pipe (FIFO)"}},
		{"--ca FIFO", []string{"verify", "--ca", fifo, dir}, []string{"--ca", fifo, "is a named pipe (FIFO)"}},
		{"--previous FIFO", []string{"build", "--config", filepath.Join(dir, "auditpack.yaml"), "--key", k.key, "--cert", k.cert,
			"--previous", fifo, "--out", filepath.Join(dir, "out")}, []string{"--previous", fifo, "not a regular file"}},
		{"--cert FIFO", []string{"build", "--config", filepath.Join(dir, "auditpack.yaml"), "--key", k.key, "--cert", fifo,
			"--out", filepath.Join(dir, "out")}, []string{"signing certificate", fifo, "named pipe"}},
		{"--key FIFO", []string{"build", "--config", filepath.Join(dir, "auditpack.yaml"), "--key", fifo, "--cert", k.cert,
			"--out", filepath.Join(dir, "out")}, []string{"signing key", fifo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runPrompt(t, tt.args...)
			if code == exitInput && strings.Contains(stderr, "flag provided but not defined") {
				t.Skipf("%v: %s", tt.args, stderr)
			}
			if code != exitInput {
				t.Fatalf("exit %d, want %d; stderr: %s", code, exitInput, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Error("a refused build left output behind")
	}
}

// threagileProject writes a Threagile model in dir/model whose include is
// made by mk, and a secret file outside the model's directory.
func threagileModel(t *testing.T, mk func(modelDir, secret string)) string {
	t.Helper()
	dir := t.TempDir()
	modelDir := filepath.Join(dir, "model")
	if err := os.Mkdir(modelDir, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret.yaml")
	mustWrite(t, secret, []byte("root:x:0:0:SECRET-FIRST-LINE\n"), 0o644)
	mustWrite(t, filepath.Join(modelDir, "main.yaml"), []byte("threagile_version: 1.0.0\ntitle: T\nincludes: [part.yaml]\n"), 0o644)
	mk(modelDir, secret)
	return filepath.Join(modelDir, "main.yaml")
}

// An include that leaves the model's directory, by a link or by "..", is
// refused with exit 2 naming the include, and nothing of the file it
// reaches appears in the error.
func TestIncludesStayInsideTheModelsDirectory(t *testing.T) {
	tests := []struct {
		name string
		mk   func(modelDir, secret string)
		want string
		from string // the file and line that name the refused file
	}{
		{"link to a file outside", func(d, s string) {
			if err := os.Symlink(s, filepath.Join(d, "part.yaml")); err != nil {
				t.Fatal(err)
			}
		}, `include "part.yaml": part.yaml: leads outside`, "main.yaml: line 3: "},
		{"link to /etc/passwd", func(d, _ string) {
			if err := os.Symlink("/etc/passwd", filepath.Join(d, "part.yaml")); err != nil {
				t.Fatal(err)
			}
		}, `include "part.yaml": part.yaml: leads outside`, "main.yaml: line 3: "},
		{"relative link out", func(d, _ string) {
			if err := os.Symlink("../secret.yaml", filepath.Join(d, "part.yaml")); err != nil {
				t.Fatal(err)
			}
		}, `include "part.yaml": part.yaml: leads outside`, "main.yaml: line 3: "},
		{"dot-dot", func(d, _ string) {
			mustWrite(t, filepath.Join(d, "main.yaml"), []byte("threagile_version: 1.0.0\ntitle: T\nincludes: [../secret.yaml]\n"), 0o644)
		}, `include "../secret.yaml" escapes the model's directory`, "main.yaml: line 3: "},
		{"FIFO", func(d, _ string) { mkfifo(t, filepath.Join(d, "part.yaml")) }, `include "part.yaml": part.yaml: is a named pipe (FIFO)`, "main.yaml: line 3: "},
		{"a file of another kind", func(d, s string) {
			data, _ := os.ReadFile(s)
			mustWrite(t, filepath.Join(d, "part.yaml"), data, 0o644)
		}, "expected a mapping, found a single value of 28 bytes", "part.yaml: line 1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			main := threagileModel(t, tt.mk)
			for _, args := range [][]string{{"model", "validate", main}} {
				code, _, stderr := runPrompt(t, args...)
				if code != exitInput || !strings.Contains(stderr, tt.from) || !strings.Contains(stderr, tt.want) {
					t.Fatalf("exit %d, want %d naming %q; stderr: %s", code, exitInput, tt.want, stderr)
				}
				if strings.Contains(stderr, "SECRET") || strings.Contains(stderr, "root:") {
					t.Fatalf("the error quotes the file it refused: %s", stderr)
				}
			}
		})
	}
	// A link that stays inside the directory is followed.
	main := threagileModel(t, func(d, _ string) {
		mustWrite(t, filepath.Join(d, "real.yaml"), []byte("title: T\n"), 0o644)
		if err := os.Symlink("real.yaml", filepath.Join(d, "part.yaml")); err != nil {
			t.Fatal(err)
		}
	})
	if code, _, stderr := runPrompt(t, "model", "validate", main); strings.Contains(stderr, "part.yaml") {
		t.Fatalf("an include linked inside the directory is refused: exit %d: %s", code, stderr)
	}
}

// A 2 MiB YAML model of nothing but values is refused by its budget, with
// exit 2 and the file and line, instead of taking seconds and a gigabyte.
func TestFlatYAMLModelIsRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "flat.yaml")
	var b strings.Builder
	b.WriteString("schema: auditpack/model/v1\nzones: [0")
	for b.Len() < 2<<20 {
		b.WriteString(",0")
	}
	b.WriteString("]\n")
	mustWrite(t, p, []byte(b.String()), 0o644)
	code, _, stderr := runPrompt(t, "model", "validate", p)
	if code != exitInput || !strings.Contains(stderr, "flat.yaml:2: the document holds more than") {
		t.Fatalf("exit %d; stderr: %.300s", code, stderr)
	}
}

// Manifest paths with characters no bundle entry may have are refused when
// the manifest is read (exit 2, with the pointer), and the message shows
// the control characters escaped.
func TestManifestPathCharactersRefused(t *testing.T) {
	for _, tt := range []struct{ name, path, want string }{
		{"NUL", `evil\0.txt`, `path "evil\x00.txt" contains a control character (U+0000)`},
		{"ESC", `log\e[2K\rok.txt`, `path "log\x1b[2K\rok.txt" contains a control character (U+001B)`},
		{"colon", `C:evil.txt`, `path "C:evil.txt" contains a colon`},
		{"C1", `x\u009b2K.txt`, `path "x\u009b2K.txt" contains a control character (U+009B)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, "manifest.yaml"), []byte("schema: auditpack/evidence/v1\nitems:\n  - id: EV-1\n    title: t\n    kind: configuration\n"+
				"    collected_at: \"2026-01-01\"\n    files: [{path: \""+tt.path+"\", sha256: \""+strings.Repeat("0", 64)+"\"}]\n"+
				"    supports: [{control: \"pci-dss@4.0.1:1.2.1\"}]\n"), 0o644)
			code, stdout, stderr := runPrompt(t, "evidence", "verify", dir)
			if code != exitInput || !strings.Contains(stderr, "manifest.yaml:7: at /items/0/files/0/path: "+tt.want) {
				t.Fatalf("exit %d; stderr: %s", code, stderr)
			}
			if strings.ContainsAny(stdout+stderr, "\x00\x1b\r\u009b") {
				t.Fatalf("raw control characters printed: %q", stdout+stderr)
			}
		})
	}
}

// An evidence file hard-linked to a name outside the bundle is reported by
// evidence verify and build, and refused by --embed-evidence (exit 2,
// naming it, nothing written).
func TestHardLinkedEvidence(t *testing.T) {
	dir := writeProject(t, nil)
	ev := filepath.Join(dir, "evidence")
	os.RemoveAll(filepath.Join(ev, "inbox"))
	inside := filepath.Join(ev, "scans", "tls-api.acmepay.example.json")
	outside := filepath.Join(dir, "elsewhere.json")
	if err := os.Link(inside, outside); err != nil {
		t.Skipf("cannot make a hard link here: %v", err)
	}
	const name = "evidence/scans/tls-api.acmepay.example.json"
	code, _, stderr := runPrompt(t, "evidence", "verify", "--as-of", "2026-11-15", ev)
	if code != exitOK || !strings.Contains(stderr, "warning: ") || !strings.Contains(stderr, "scans/tls-api.acmepay.example.json: a hard link") {
		t.Fatalf("evidence verify: exit %d; stderr: %s", code, stderr)
	}
	code, _, stderr = runPrompt(t, "check", "-c", filepath.Join(dir, "auditpack.yaml"), "--as-of", "2026-11-15")
	if !strings.Contains(stderr, "warning: ") || !strings.Contains(stderr, name+": a hard link") {
		t.Fatalf("check: exit %d; stderr: %s", code, stderr)
	}
	k := writeTestKeys(t, t.TempDir(), nil)
	out := filepath.Join(dir, "pkg")
	code, _, stderr = runPrompt(t, "build", "-c", filepath.Join(dir, "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15", "--embed-evidence")
	if code != exitInput || !strings.Contains(stderr, "--embed-evidence: ") || !strings.Contains(stderr, name+": a hard link") {
		t.Fatalf("build --embed-evidence: exit %d; stderr: %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a refused build left output behind")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".auditpack-tmp-*")); len(left) > 0 {
		t.Fatalf("staging left behind: %v", left)
	}
	code, _, stderr = runPrompt(t, "build", "-c", filepath.Join(dir, "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
	if code != exitOK || !strings.Contains(stderr, "warning: ") || !strings.Contains(stderr, name+": a hard link") {
		t.Fatalf("build: exit %d; stderr: %s", code, stderr)
	}
	// Links between two files of the bundle leave nothing outside it.
	os.Remove(outside)
	if err := os.Link(inside, filepath.Join(ev, "scans", "copy.json")); err != nil {
		t.Fatal(err)
	}
	if _, _, stderr := runPrompt(t, "evidence", "verify", "--as-of", "2026-11-15", ev); strings.Contains(stderr, "hard link") {
		t.Fatalf("a link inside the bundle is reported: %s", stderr)
	}
}
