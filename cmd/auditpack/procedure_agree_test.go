package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/packager"
)

// squash joins a shell command's continuation lines and runs of spaces,
// so a command reads the same in VERIFY.txt and in the report, whose code
// blocks wrap long lines with a backslash of their own.
func squash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", " ")), " ")
}

// The report's appendix and VERIFY.txt give the same commands for the
// same package: those of VERIFY.txt, for a self-signed and for a
// CA-issued signer, each appear in the report, with the signer's own
// fingerprint; only the unsigned report's figures, which the report cannot
// know of itself, appear there in placeholder form.
func TestReportAndVerifyTxtGiveOneProcedure(t *testing.T) {
	pdftotext := requireTool(t, "pdftotext")
	dir := t.TempDir()
	project := writeProject(t, nil)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"demo, self-signed", []string{"demo", "--out", filepath.Join(dir, "demo")}},
		{"CA-issued", nil},
	} {
		out := filepath.Join(dir, "demo")
		if tc.args == nil {
			k := writeTestKeys(t, t.TempDir(), nil)
			out = filepath.Join(dir, "ca")
			tc.args = []string{"build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out, "--key", k.key, "--cert", k.cert}
		}
		if code, stdout, stderr := runCLI(t, tc.args...); code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", tc.name, code, stdout, stderr)
		}
		verifyTxt, err := os.ReadFile(filepath.Join(out, packager.VerifyName))
		if err != nil {
			t.Fatal(err)
		}
		text, err := exec.Command(pdftotext, filepath.Join(out, packager.ReportName), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		report := squash(string(text))
		var cmds []string
		var cur []string
		for _, l := range strings.Split(string(verifyTxt), "\n") {
			switch {
			case strings.HasPrefix(l, "   $ "):
				cur = []string{strings.TrimPrefix(l, "   $ ")}
			case cur != nil:
				cur = append(cur, l)
			}
			if cur != nil && !strings.HasSuffix(l, `\`) {
				cmds = append(cmds, strings.Join(cur, "\n"))
				cur = nil
			}
		}
		if len(cmds) < 5 {
			t.Fatalf("%s: %d commands in VERIFY.txt", tc.name, len(cmds))
		}
		for _, c := range cmds {
			want := squash(c)
			if strings.HasPrefix(want, `[ "$(head -c `) {
				want = `[ "$(head -c LENGTH report.pdf | sha256sum | cut -c1-64)" = SHA256 ] && echo 'unsigned report intact'`
			}
			if !strings.Contains(report, want) {
				t.Errorf("%s: the report lacks VERIFY.txt's command\n%s", tc.name, want)
			}
		}
	}
}
