package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// requireShell finds a shell to check a completion script with; without it
// the test is skipped with the reason shown, except in CI, which installs
// them.
func requireShell(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("SKIPPED: %s not installed (apt-get install %s)", name, name)
	}
	return p
}

// completionScript writes `auditpack completion SHELL` to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, stdout, stderr := runCLI(t, "completion", shell)
	if code != exitOK || stdout == "" {
		t.Fatalf("completion %s: exit %d %s", shell, code, stderr)
	}
	p := filepath.Join(t.TempDir(), "auditpack."+shell)
	mustWrite(t, p, []byte(stdout), 0o644)
	return p
}

// The bash script parses, and completes subcommands and flags of the
// command typed so far, including a subcommand of a subcommand.
func TestCompletionBash(t *testing.T) {
	bash := requireShell(t, "bash")
	script := completionScript(t, "bash")
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		words string // as typed, the last word being completed
		want  []string
	}{
		{"auditpack mod", []string{"model"}},
		{"auditpack model c", []string{"convert"}},
		{"auditpack model convert --f", []string{"--force"}},
		{"auditpack -q build --c", []string{"--config", "--cert", "--chain"}},
		{"auditpack verify --signer", []string{"--signer-fingerprint"}},
		{"auditpack evidence v", []string{"verify"}},
		{"auditpack completion --h", []string{"--help"}},
		// Arguments are passed over: the command stays explain.
		{"auditpack explain 3.4.1 --de", []string{"--demo"}},
	} {
		words := strings.Fields(tc.words)
		prog := "source " + script + "; COMP_WORDS=(" + strings.Join(words, " ") + "); COMP_CWORD=" +
			string(rune('0'+len(words)-1)) + "; _auditpack; printf '%s\\n' \"${COMPREPLY[@]}\""
		out, err := exec.Command(bash, "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.words, err, out)
		}
		got := strings.Fields(string(out))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q completes to %q, want %q", tc.words, got, tc.want)
		}
	}
}

// zsh loads the same function through its bash emulation, after compinit
// as a user's ~/.zshrc runs it.
func TestCompletionZsh(t *testing.T) {
	zsh := requireShell(t, "zsh")
	script := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	if out, err := exec.Command(zsh, "-f", "-c", "autoload -U compinit && compinit -u -D && source "+script+" && whence -w _auditpack").CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "function") {
		t.Errorf("zsh does not define _auditpack: %v\n%s", err, out)
	}
}

// fish completes from the script as a user's shell would.
func TestCompletionFish(t *testing.T) {
	fish := requireShell(t, "fish")
	script := completionScript(t, "fish")
	if out, err := exec.Command(fish, "--no-execute", script).CombinedOutput(); err != nil {
		t.Fatalf("fish --no-execute: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"auditpack mod", []string{"model"}},
		{"auditpack model c", []string{"convert"}},
		{"auditpack build --emb", []string{"--embed-evidence"}},
		{"auditpack rules ", []string{"list", "show", "lint"}},
	} {
		out, err := exec.Command(fish, "--no-config", "-c", "source "+script+"; complete -C '"+tc.line+"'").CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if w, _, _ := strings.Cut(l, "\t"); w != "" && !strings.Contains(w, "/") {
				got = append(got, w)
			}
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: fish offers %q, not %q", tc.line, got, w)
			}
		}
	}
}

// Every command that runs is in the scripts and the manual page, which
// are generated from the definitions, so none can fall behind.
func TestCompletionAndManCoverEveryCommand(t *testing.T) {
	// Help of commands and groups first: urfave/cli's shared help command
	// may then list itself among its own subcommands.
	for _, args := range [][]string{{"help", "build"}, {"model", "help"}, {"rules", "help", "show"}, {"help", "evidence"}} {
		runCLI(t, args...)
	}
	_, bash, _ := runCLI(t, "completion", "bash")
	_, fish, _ := runCLI(t, "completion", "fish")
	code, man, stderr := runCLI(t, "man")
	if code != exitOK || !strings.HasPrefix(man, ".nh\n.TH auditpack 1") {
		t.Fatalf("man: exit %d, want a section 1 page:\n%.200s%s", code, man, stderr)
	}
	for path := range argCounts {
		if !strings.Contains(bash, `"`+path+`")`) {
			t.Errorf("bash completion lacks %q", path)
		}
		if !strings.Contains(fish, "'"+path+"'") {
			t.Errorf("fish completion lacks %q", path)
		}
		last := path[strings.LastIndex(path, " ")+1:]
		if !strings.Contains(man, last) {
			t.Errorf("the manual page lacks %q", path)
		}
	}
}

// A shell auditpack has no script for is a usage error, naming the valid ones.
func TestCompletionUnknownShell(t *testing.T) {
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}, {"completion", "bash", "zsh"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitInput || stdout != "" || !strings.Contains(stderr, "completion") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d naming the command", args, code, stdout, stderr, exitInput)
		}
	}
	if _, _, stderr := runCLI(t, "completion", "tcsh"); !strings.Contains(stderr, "valid: bash, fish, zsh") {
		t.Errorf("unknown shell: %q does not list the shells", stderr)
	}
}

// The examples that --help shows name commands and flags that exist, so
// they cannot drift from the CLI.
func TestHelpExamplesUseRealCommandsAndFlags(t *testing.T) {
	paths := commandPaths(newApp(nil, nil, nil))
	byPath := map[string]commandPath{}
	for _, p := range paths {
		byPath[p.path] = p
	}
	for _, cmd := range []string{"demo", "init", "build", "check", "verify"} {
		_, help, _ := runCLI(t, cmd, "--help")
		_, ex, ok := strings.Cut(help, "Examples:\n")
		if !ok {
			t.Errorf("%s --help has no examples", cmd)
			continue
		}
		ex, _, _ = strings.Cut(ex, "\n\n")
		for _, line := range strings.Split(strings.TrimSpace(ex), "\n") {
			line, _, _ = strings.Cut(line, "#")
			words := strings.Fields(line)
			if len(words) < 2 || words[0] != "auditpack" {
				t.Errorf("%s example %q does not run auditpack", cmd, line)
				continue
			}
			path := ""
			for _, w := range words[1:] {
				if _, ok := byPath[strings.TrimSpace(path+" "+w)]; ok && !strings.HasPrefix(w, "-") {
					path = strings.TrimSpace(path + " " + w)
				}
			}
			p, ok := byPath[path]
			if !ok || path == "" {
				t.Errorf("%s example %q names no command", cmd, line)
				continue
			}
			for _, w := range words[1:] {
				if strings.HasPrefix(w, "-") && !slices.Contains(p.words(), w) {
					t.Errorf("%s example %q: %s has no flag %s", cmd, line, path, w)
				}
			}
		}
	}
}
