package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/packager"
)

// verifyCommands returns the commands of a package's VERIFY.txt: the lines
// starting with "$ ", each with the lines it continues onto, ready for
// bash. The placeholder a reader replaces (their CA certificate) becomes
// a real path.
func verifyCommands(t *testing.T, text, caPEM string) []string {
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
		cmds = append(cmds, c)
	}
	for _, want := range []string{"openssl cms -verify", "sha256sum -c --strict", "find . -type f", "-type d -empty", "pdfsig", "mktemp"} {
		if !strings.Contains(strings.Join(cmds, "\n"), want) {
			t.Fatalf("VERIFY.txt has no command with %q among:\n%s", want, strings.Join(cmds, "\n---\n"))
		}
	}
	if strings.Contains(text, "/tmp/") {
		t.Fatalf("VERIFY.txt names a fixed path under /tmp, which another user could plant:\n%s", text)
	}
	return cmds
}

// runProcedure runs every command in dir, with bash's default options as
// a reader's shell has them (no pipefail), and returns the output of the
// first that fails, or "" if all pass. env is added to the environment.
func runProcedure(t *testing.T, bash, dir string, cmds []string, env ...string) (failed string) {
	t.Helper()
	for _, c := range cmds {
		cmd := exec.Command(bash, "-c", c)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "LC_ALL=C"), env...)
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
	text, err := os.ReadFile(filepath.Join(good, packager.VerifyName))
	if err != nil {
		t.Fatal(err)
	}
	cmds := verifyCommands(t, string(text), k.caPEM)

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
		{"signature removed", func(t *testing.T, p string) { os.Remove(filepath.Join(p, packager.SignatureName)) }},
		{"list and signature of another signer", func(t *testing.T, p string) {
			for _, n := range []string{packager.SumsName, packager.SignatureName} {
				data, _ := os.ReadFile(filepath.Join(resigned, n))
				mustWrite(t, filepath.Join(p, n), data, 0o644)
			}
		}},
		{"second SHA256SUMS in inputs", func(t *testing.T, p string) {
			data, _ := os.ReadFile(filepath.Join(p, packager.SumsName))
			mustWrite(t, filepath.Join(p, "inputs", packager.SumsName), data, 0o644)
		}},
		{"second signature in evidence", func(t *testing.T, p string) {
			data, _ := os.ReadFile(filepath.Join(p, packager.SignatureName))
			mustWrite(t, filepath.Join(p, "evidence", packager.SignatureName), data, 0o644)
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

// TestVerifyTxtProcedureFailsWhenAStepFails: each command of VERIFY.txt
// fails when any step of it fails, not only its last, and the signer
// check cannot be shown a planted certificate. A reader's bash has no
// pipefail, so the commands must set it: find, unable to read a folder,
// prints an error and exits 1 while the rest of its pipeline still
// passes, and the extra file inside that folder goes unseen.
func TestVerifyTxtProcedureFailsWhenAStepFails(t *testing.T) {
	bash := requireTool(t, "bash")
	for _, tool := range []string{"sha256sum", "openssl", "pdfsig"} {
		requireTool(t, tool)
	}
	withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	good := filepath.Join(dir, "good")
	buildExample(t, writeProject(t, nil), k, good, "--embed-evidence")
	text, err := os.ReadFile(filepath.Join(good, packager.VerifyName))
	if err != nil {
		t.Fatal(err)
	}
	cmds := verifyCommands(t, string(text), k.caPEM)
	if failed := runProcedure(t, bash, good, cmds); failed != "" {
		t.Fatalf("the good package fails the procedure:\n%s", failed)
	}

	t.Run("find fails", func(t *testing.T) {
		// What find does on a folder it may not read, as root too: list
		// what it can, complain, exit 1.
		bin := t.TempDir()
		real, err := exec.LookPath("find")
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(bin, "find"), []byte("#!"+bash+"\n"+real+" \"$@\"\necho \"find: './hidden': Permission denied\" >&2\nexit 1\n"), 0o755)
		if failed := runProcedure(t, bash, good, cmds, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")); failed == "" {
			t.Fatal("find failed, but every command of VERIFY.txt passes")
		}
	})

	t.Run("unreadable folder with a file", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root, whom chmod 000 hides nothing from; the find-fails case covers the same property")
		}
		p := copyDir(t, good)
		hidden := filepath.Join(p, "inputs", "hidden")
		if err := os.Mkdir(hidden, 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(hidden, "payload.sh"), []byte("x"), 0o644)
		if err := os.Chmod(hidden, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(hidden, 0o755) })
		if failed := runProcedure(t, bash, p, cmds); failed == "" {
			t.Fatal("a folder find cannot read holds an extra file, but every command of VERIFY.txt passes")
		}
	})

	t.Run("another signer of the same CA, genuine certificate planted", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other")
		buildExample(t, writeProject(t, nil), writeTestKeys(t, t.TempDir(), k.ca), other, "--embed-evidence")
		p := copyDir(t, good)
		for _, n := range []string{packager.SumsName, packager.SignatureName} {
			data, _ := os.ReadFile(filepath.Join(other, n))
			mustWrite(t, filepath.Join(p, n), data, 0o644)
		}
		if code, stdout, stderr := runCLI(t, "verify", p, "--ca", k.caPEM, "--signer-fingerprint", k.fingerprint); code != exitIntegrity {
			t.Fatalf("auditpack verify: exit %d, want %d\n%s%s", code, exitIntegrity, stdout, stderr)
		}
		// The path earlier versions of VERIFY.txt wrote the signer to,
		// holding the genuine certificate, as another local user could
		// leave it. It is written only if absent and removed after.
		const old = "/tmp/auditpack-signer.pem"
		if _, err := os.Lstat(old); os.IsNotExist(err) {
			genuine, _ := os.ReadFile(k.cert)
			if err := os.WriteFile(old, genuine, 0o444); err == nil {
				t.Cleanup(func() { os.Remove(old) })
			}
		} else {
			t.Logf("%s exists already; left as it is", old)
		}
		failed := runProcedure(t, bash, p, cmds)
		if failed == "" {
			t.Fatal("another signer's signature passes every command of VERIFY.txt")
		}
		if !strings.Contains(failed, "mktemp") || !strings.Contains(failed, "Fingerprint") {
			t.Fatalf("failed elsewhere than at the signer check:\n%s", failed)
		}
	})
}

// TestVerifyTxtProcedureSelfSigned runs the commands of a self-signed
// package's VERIFY.txt (a demo's), where no CA vouches and only the
// fingerprint tells the signer: the package passes, and the list and
// signature of another throwaway key fail at the signer check.
func TestVerifyTxtProcedureSelfSigned(t *testing.T) {
	bash := requireTool(t, "bash")
	for _, tool := range []string{"sha256sum", "openssl", "pdfsig"} {
		requireTool(t, tool)
	}
	withTestReport(t)
	demo := func() string {
		out := filepath.Join(t.TempDir(), "demo")
		if code, stdout, stderr := runCLI(t, "demo", "--out", out); code != 0 {
			t.Fatalf("demo: exit %d\n%s%s", code, stdout, stderr)
		}
		return out
	}
	good, other := demo(), demo()
	text, err := os.ReadFile(filepath.Join(good, packager.VerifyName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "-noverify") {
		t.Fatalf("a self-signed package's VERIFY.txt does not use -noverify:\n%s", text)
	}
	cmds := verifyCommands(t, string(text), "unused-ca.pem")
	if failed := runProcedure(t, bash, good, cmds); failed != "" {
		t.Fatalf("the demo package fails the procedure:\n%s", failed)
	}
	for _, n := range []string{packager.SumsName, packager.SignatureName} {
		data, _ := os.ReadFile(filepath.Join(other, n))
		mustWrite(t, filepath.Join(good, n), data, 0o644)
	}
	failed := runProcedure(t, bash, good, cmds)
	if !strings.Contains(failed, "mktemp") || !strings.Contains(failed, "Fingerprint") {
		t.Fatalf("another key's signature does not fail the signer check:\n%s", failed)
	}
}
