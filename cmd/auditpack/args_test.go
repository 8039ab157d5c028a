package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFlagsAfterArguments runs commands with their flags after the
// positional arguments and checks that each does exactly what it does with
// the flags first: same exit code, same output.
func TestFlagsAfterArguments(t *testing.T) {
	dir := writeProject(t, nil)
	cfg := filepath.Join(dir, "auditpack.yaml")
	ev := filepath.Join(dir, "evidence")
	model := filepath.Join(dir, "model.yaml")
	pkg := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runCLI(t, "demo", "--out", pkg); code != 0 {
		t.Fatal(stderr)
	}
	for _, c := range []struct {
		cmd        []string
		flags, pos []string
	}{
		{[]string{"evidence", "verify"}, []string{"-q", "--as-of", "2026-11-22"}, []string{ev}},
		{[]string{"explain"}, []string{"-c", cfg, "--as-of=2026-11-22"}, []string{"1.3.1"}},
		{[]string{"check"}, []string{"--format", "json", "--fail-on", "none"}, []string{"-c", cfg}},
		{[]string{"verify"}, []string{"--accept-unanchored"}, []string{pkg}},
		{[]string{"rules", "lint"}, nil, []string{}},
		{[]string{"model", "inspect"}, nil, []string{model}},
	} {
		first := slices.Concat(c.cmd, c.flags, c.pos)
		last := slices.Concat(c.cmd, c.pos, c.flags)
		code1, out1, err1 := runCLI(t, first...)
		code2, out2, err2 := runCLI(t, last...)
		if code1 == exitInput || code1 == exitInternal {
			t.Errorf("%v: exit %d %s", first, code1, err1)
		}
		if code1 != code2 || out1 != out2 || err1 != err2 {
			t.Errorf("%v: exit %d, but %v: exit %d\n%s\n%s", first, code1, last, code2, err1, err2)
		}
	}
}

// TestFlagEdgeCases covers what moving flags must not break: a value that
// looks like a flag, "--" before a file whose name starts with a dash,
// combined one-letter flags, an unknown flag after the argument, help.
func TestFlagEdgeCases(t *testing.T) {
	dir := writeProject(t, nil)
	t.Chdir(dir)
	if err := os.Rename("model.yaml", "-model.yaml"); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "model", "validate", "--", "-model.yaml"); code != 0 || !strings.Contains(stdout, "-model.yaml: auditpack model") {
		t.Errorf("model validate -- -model.yaml: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "model", "validate", "-model.yaml"); code != exitInput || !strings.Contains(stderr, "flag provided but not defined: -model.yaml") {
		t.Errorf("model validate -model.yaml: exit %d %s, want a usage error naming the flag", code, stderr)
	}
	// --out takes the next argument as its value, dash or not.
	if code, _, stderr := runCLI(t, "model", "convert", "--", "-model.yaml", "--out", "-out.json"); code != exitInput {
		t.Errorf("flags after --: exit %d %s, want them taken as arguments", code, stderr)
	}
	if code, _, stderr := runCLI(t, "model", "convert", "--out", "-out.json", "--", "-model.yaml"); code != 0 {
		t.Errorf("--out -out.json: exit %d %s", code, stderr)
	} else if _, err := os.Stat("-out.json"); err != nil {
		t.Errorf("--out -out.json wrote no -out.json: %v", err)
	}
	if code, stdout, stderr := runCLI(t, "model", "convert", "-model.yaml", "-o", "x.json"); code != exitInput {
		t.Errorf("exit %d %s%s", code, stdout, stderr)
	}
	os.Rename("-model.yaml", "model.yaml")
	// -qc FILE is -q -c FILE.
	if code, _, stderr := runCLI(t, "check", "-qc", "auditpack.yaml", "--fail-on", "none"); code != 0 {
		t.Errorf("check -qc auditpack.yaml: exit %d %s", code, stderr)
	}
	// As with getopt, what follows a one-letter flag that takes a value is
	// its value: -qcFILE, -ox.json.
	if code, _, stderr := runCLI(t, "check", "-qcauditpack.yaml", "--fail-on", "none"); code != 0 {
		t.Errorf("check -qcauditpack.yaml: exit %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "model", "convert", "model.yaml", "-ox.json"); code != 0 {
		t.Errorf("model convert model.yaml -ox.json: exit %d %s", code, stderr)
	} else if _, err := os.Stat("x.json"); err != nil {
		t.Errorf("-ox.json wrote no x.json: %v", err)
	}
	// A flag missing its value at the end is reported, not given "--".
	if code, _, stderr := runCLI(t, "evidence", "verify", "evidence", "--as-of"); code != exitInput || !strings.Contains(stderr, "flag needs an argument: -as-of") {
		t.Errorf("evidence verify evidence --as-of: exit %d %s", code, stderr)
	}
	// After "--" a flag is an argument.
	if code, _, stderr := runCLI(t, "evidence", "verify", "--", "evidence", "-q"); code != exitInput || !strings.Contains(stderr, "evidence verify takes one argument") {
		t.Errorf("evidence verify -- evidence -q: exit %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "evidence", "--bogus"); code != exitInput || !strings.Contains(stderr, "-bogus") {
		t.Errorf("unknown flag after the argument: exit %d %s", code, stderr)
	}
	if code, stdout, stderr := runCLI(t, "model", "validate", "model.yaml", "--help"); code != 0 || !strings.Contains(stdout, "auditpack model validate") {
		t.Errorf("model validate FILE --help: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, "model", "help", "inspect"); code != 0 || !strings.Contains(stdout, "auditpack model inspect") {
		t.Errorf("model help inspect: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestCheckFailOnNone: --fail-on none reports and never fails; it cannot
// be combined with verdicts.
func TestCheckFailOnNone(t *testing.T) {
	dir := writeProject(t, nil)
	cfg := filepath.Join(dir, "auditpack.yaml")
	code, failing, _ := runCLI(t, "check", "-c", cfg)
	if code != exitFailing {
		t.Fatalf("the example must fail by default, exit %d", code)
	}
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "none")
	head, _, _ := strings.Cut(failing, "\n")
	if code != 0 || !strings.HasPrefix(stdout, head+"\n") {
		t.Errorf("--fail-on none: exit %d %s\n%s", code, stderr, stdout)
	}
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "none,manual"); code != exitInput || !strings.Contains(stderr, `"none" cannot be combined`) {
		t.Errorf("--fail-on none,manual: exit %d %s", code, stderr)
	}
}

// FuzzFlagsFirst: reordering never panics, keeps the program name, and
// gives the same command line when applied to its own output.
func FuzzFlagsFirst(f *testing.F) {
	for _, s := range []string{
		"evidence verify DIR -q --as-of 2026-11-22",
		"check -qc auditpack.yaml --fail-on none",
		"model convert -- -m.yaml --out -o.json",
		"verify PKG --ca",
		"model help validate",
		"explain 1.3.1 -h",
	} {
		f.Add(s)
	}
	cmds := newApp(&strings.Builder{}, &strings.Builder{}, fixedNow).Commands
	f.Fuzz(func(t *testing.T, s string) {
		args := append([]string{"auditpack"}, strings.Fields(s)...)
		once, err := flagsFirst(cmds, args)
		if err != nil {
			return // refused: a repeated or empty flag
		}
		if once[0] != "auditpack" {
			t.Fatalf("%q: lost the program name: %q", args, once)
		}
		if twice, _ := flagsFirst(cmds, once); !slices.Equal(once, twice) {
			t.Fatalf("%q: %q, then %q", args, once, twice)
		}
	})
}
