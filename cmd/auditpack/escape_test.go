package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileName is a component name that, printed raw, would overwrite its
// own line in a terminal and reverse the text after it.
const hostileName = `Pay\r  satisfied \e[2K\u202eevil`

// rawControl returns the first character of s that a terminal would obey
// rather than show, or "" when there is none.
func rawControl(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return "invalid UTF-8"
			}
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r >= 0x200b && r <= 0x200f, r == 0xfeff, r == 0x2028, r == 0x2029:
			return fmt.Sprintf("%U", r)
		}
	}
	return ""
}

// TestNamesFromInputsAreShownEscaped runs the commands that print names
// from a model, an evidence bundle and file names, on inputs whose names
// carry CR, escape sequences and a bidi override, and checks that no such
// character reaches stdout or stderr, and that its escaped form does.
func TestNamesFromInputsAreShownEscaped(t *testing.T) {
	mangle := map[string]func(string) string{
		"model.yaml": func(s string) string {
			s = strings.Replace(s, "name: Payment service,", `name: "`+hostileName+`",`, 1)
			s = strings.Replace(s, "name: Admin console,", `name: "Admin\r  satisfied \e[K",`, 1)
			s = strings.Replace(s, "name: DMZ,", `name: "DMZ\e]0;owned\a\nfake line",`, 1)
			s = strings.Replace(s, "title: Statements downloaded by guessing object URLs,", `title: "Statements\rok\u2066",`, 1)
			return s
		},
	}
	dir := writeProject(t, mangle)
	// A file in the bundle is named in the error that refuses it.
	bad := writeProject(t, mangle)
	if err := os.WriteFile(filepath.Join(bad, "evidence", "inbox", "note\x1b[31m\r.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "auditpack.yaml")
	model := filepath.Join(dir, "model.yaml")
	missing := filepath.Join(dir, "gone\x1b[2J\u202e.yaml")
	for _, c := range []struct {
		args []string
		want []string // escaped forms that must be shown
	}{
		{[]string{"check", "-c", cfg, "--fail-on", "none"}, nil},
		{[]string{"check", "-c", cfg}, []string{`Admin\r  satisfied \x1b[K`}},
		{[]string{"check", "-c", filepath.Join(bad, "auditpack.yaml")}, []string{`note\x1b[31m\r.txt`}},
		{[]string{"model", "inspect", model}, []string{`Pay\r  satisfied \x1b[2K\u202eevil`, `DMZ\x1b]0;owned\a\nfake line`}},
		{[]string{"explain", "-c", cfg, "1.3.1"}, []string{`DMZ\x1b]0;owned\a\nfake line`}},
		{[]string{"explain", "-c", cfg, "6.4.1"}, nil},
		{[]string{"evidence", "verify", filepath.Join(bad, "evidence")}, []string{`inbox/note\x1b[31m\r.txt`}},
		{[]string{"model", "validate", missing}, []string{`gone\x1b[2J\u202e.yaml: no such file`}},
		{[]string{"check", "-c", cfg, "--model", missing}, []string{`\x1b[2J\u202e.yaml`}},
		{[]string{"check", "-c", cfg, "--format", "markdown", "--fail-on", "none"}, nil},
		{[]string{"check", "-c", cfg, "--format", "junit", "--fail-on", "none"}, nil},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code == exitInternal {
			t.Errorf("%v: exit 4: %s", c.args, stderr)
		}
		for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
			if strings.Contains(out, "\nfake line") {
				t.Errorf("%v: a line feed in a name started a line of %s", c.args, name)
			}
			if bad := rawControl(out); bad != "" {
				t.Errorf("%v: %s has a raw %s:\n%q", c.args, name, bad, out)
			}
		}
		for _, w := range c.want {
			if !strings.Contains(stdout+stderr, w) {
				t.Errorf("%v: output lacks %q\n%s%s", c.args, w, stdout, stderr)
			}
		}
	}
}
