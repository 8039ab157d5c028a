package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/pack"
)

// verifyCommands returns the commands of a package's VERIFY.txt: the lines
// starting with "$ ", each with the lines it continues onto, ready for
// bash. The placeholders a reader replaces (their CA certificate, a place
// for the signer's) become real paths.
func verifyCommands(t *testing.T, text, caPEM, signerPEM string) []string {
	t.Helper()
	var cmds []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		c, ok := strings.CutPrefix(l, "$ ")
		if !ok {
			continue
		}
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSpace(lines[i])
			c += "\n" + l
		}
		c = strings.ReplaceAll(c, "their-ca.pem", caPEM)
		c = strings.ReplaceAll(c, "/tmp/auditpack-signer.pem", signerPEM)
		cmds = append(cmds, c)
	}
	for _, want := range []string{"openssl cms -verify", "sha256sum -c --strict", "find . -type f", "-type d -empty", "pdfsig"} {
		if !strings.Contains(strings.Join(cmds, "\n"), want) {
			t.Fatalf("VERIFY.txt has no command with %q among:\n%s", want, strings.Join(cmds, "\n---\n"))
		}
	}
	return cmds
}

// runProcedure runs every command in dir and returns the output of the
// first that fails, or "" if all pass.
func runProcedure(t *testing.T, bash, dir string, cmds []string) (failed string) {
	t.Helper()
	for _, c := range cmds {
		cmd := exec.Command(bash, "-o", "pipefail", "-c", c)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return c + "\n" + string(out) + err.Error()
		}
	}
	return ""
}

// TestVerifyTxtProcedureIsAsStrictAsVerify runs VERIFY.txt's commands, as
// a third party would, on a good package (directory and unzipped zip),
// which must pass, and on every tampered package auditpack verify
// refuses, which must fail: changed, added, removed and renamed files, a
// removed signature, another signer, a second SHA256SUMS or signature in a
// folder, a symbolic link, an empty folder.
func TestVerifyTxtProcedureIsAsStrictAsVerify(t *testing.T) {
	bash := requireTool(t, "bash")
	for _, tool := range []string{"sha256sum", "openssl", "unzip", "pdfsig"} {
		requireTool(t, tool)
	}
	withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	good := filepath.Join(dir, "good")
	buildExample(t, writeProject(t, nil), k, good, "--zip", "--embed-evidence")
	resigned := filepath.Join(dir, "resigned")
	buildExample(t, writeProject(t, nil), writeTestKeys(t, t.TempDir(), nil), resigned, "--embed-evidence")
	text, err := os.ReadFile(filepath.Join(good, pack.VerifyName))
	if err != nil {
		t.Fatal(err)
	}
	cmds := verifyCommands(t, string(text), k.caPEM, filepath.Join(t.TempDir(), "signer.pem"))

	if failed := runProcedure(t, bash, good, cmds); failed != "" {
		t.Fatalf("the good package fails the procedure:\n%s", failed)
	}
	unzipped := filepath.Join(t.TempDir(), "pkg")
	if out, err := exec.Command("unzip", "-q", good+".zip", "-d", unzipped).CombinedOutput(); err != nil {
		t.Fatalf("unzip: %v\n%s", err, out)
	}
	if failed := runProcedure(t, bash, unzipped, cmds); failed != "" {
		t.Fatalf("the unzipped package fails the procedure:\n%s", failed)
	}

	for _, tc := range []struct {
		name   string
		change func(t *testing.T, p string)
	}{
		{"byte flipped", func(t *testing.T, p string) { flip(t, filepath.Join(p, "results.json"), 100) }},
		{"pdf byte flipped", func(t *testing.T, p string) { flip(t, filepath.Join(p, "report.pdf"), 500) }},
		{"file added", func(t *testing.T, p string) { mustWrite(t, filepath.Join(p, "notes.txt"), []byte("x"), 0o644) }},
		{"file removed", func(t *testing.T, p string) { os.Remove(filepath.Join(p, "results.json")) }},
		{"file renamed", func(t *testing.T, p string) {
			os.Rename(filepath.Join(p, "results.json"), filepath.Join(p, "result.json"))
		}},
		{"signature removed", func(t *testing.T, p string) { os.Remove(filepath.Join(p, pack.SignatureName)) }},
		{"list and signature of another signer", func(t *testing.T, p string) {
			for _, n := range []string{pack.SumsName, pack.SignatureName} {
				data, _ := os.ReadFile(filepath.Join(resigned, n))
				mustWrite(t, filepath.Join(p, n), data, 0o644)
			}
		}},
		{"second SHA256SUMS in inputs", func(t *testing.T, p string) {
			data, _ := os.ReadFile(filepath.Join(p, pack.SumsName))
			mustWrite(t, filepath.Join(p, "inputs", pack.SumsName), data, 0o644)
		}},
		{"second signature in evidence", func(t *testing.T, p string) {
			data, _ := os.ReadFile(filepath.Join(p, pack.SignatureName))
			mustWrite(t, filepath.Join(p, "evidence", pack.SignatureName), data, 0o644)
		}},
		{"symlink", func(t *testing.T, p string) { os.Symlink("/etc/passwd", filepath.Join(p, "passwd")) }},
		{"symlink to a folder", func(t *testing.T, p string) { os.Symlink("inputs", filepath.Join(p, "more")) }},
		{"empty folder", func(t *testing.T, p string) { os.Mkdir(filepath.Join(p, "extra"), 0o755) }},
		{"empty folder inside", func(t *testing.T, p string) { os.MkdirAll(filepath.Join(p, "inputs", "a", "b"), 0o755) }},
		{"unlisted folder with a file", func(t *testing.T, p string) {
			os.Mkdir(filepath.Join(p, "extra"), 0o755)
			mustWrite(t, filepath.Join(p, "extra", "x.txt"), []byte("x"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := copyDir(t, good)
			tc.change(t, p)
			if code, stdout, stderr := runCLI(t, "verify", p, "--ca", k.caPEM); code != exitIntegrity {
				t.Fatalf("auditpack verify: exit %d, want %d\n%s%s", code, exitIntegrity, stdout, stderr)
			}
			failed := runProcedure(t, bash, p, cmds)
			if failed == "" {
				t.Fatal("auditpack verify refuses the package, but every command of VERIFY.txt passes")
			}
			t.Logf("failed at: %s", failed)
		})
	}
}
