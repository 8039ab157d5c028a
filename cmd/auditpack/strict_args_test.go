package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// hostileRuleSuffix, in JSON escapes, is an escape sequence, a bidi
// override, CR LF, a fake line and a tab: printed raw in a rule id it
// starts lines of its own.
const hostileRuleSuffix = `\u001b[31m\u202e\r\nFAKE\t\u009b`

// TestDiffTextEscapesRuleIDs: the rule ids of a results.json reach diff's
// text output (the scope section lists them) only escaped, on one line.
func TestDiffTextEscapesRuleIDs(t *testing.T) {
	q3, q4 := quarterResults(t, "q3"), quarterResults(t, "q4")
	path := filepath.Join(q4, "results.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hostile := regexp.MustCompile(`(?m)^(\{"id":"pci-[^"\\]+)"`).ReplaceAll(data, []byte(`$1`+hostileRuleSuffix+`"`))
	mustWrite(t, path, hostile, 0o644)
	code, stdout, stderr := runCLI(t, "diff", q3, q4)
	if code != exitOK {
		t.Fatalf("diff exited %d: %s", code, stderr)
	}
	for i, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "FAKE") {
			t.Fatalf("line %d starts with the injected text: %q", i+1, line)
		}
	}
	if c := rawControl(stdout); c != "" || strings.Contains(stdout, "\t") {
		t.Errorf("diff printed %s raw", c)
	}
	if !strings.Contains(stdout, `into scope of pci-`) || !strings.Contains(stdout, `\x1b[31m\u202e\r\nFAKE\t\u009b`) {
		t.Errorf("the rule ids are not shown escaped:\n%s", stdout)
	}
}

// TestCheckFailOnEmptyIsUsageError: an empty --fail-on list would turn the
// CI gate off without a word; "none" is how to say so.
func TestCheckFailOnEmptyIsUsageError(t *testing.T) {
	cfg := filepath.Join(writeProject(t, nil), "auditpack.yaml")
	for _, flag := range [][]string{{"--fail-on", ""}, {"--fail-on="}, {"--fail-on", " "}, {"--fail-on", ","}, {"--fail-on", " , "}} {
		args := append([]string{"check", "-c", cfg}, flag...)
		code, stdout, stderr := runCLI(t, args...)
		if code != exitInput || !strings.Contains(stderr, "--fail-on") || !strings.Contains(stderr, "use --fail-on none") || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 pointing to --fail-on none", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "none"); code != exitOK {
		t.Errorf("--fail-on none: exit %d %s", code, stderr)
	}
}

// TestEmptyFlagValueIsUsageError: no flag that takes a value may be given
// an empty one, which would silently mean its default.
func TestEmptyFlagValueIsUsageError(t *testing.T) {
	dir := writeProject(t, nil)
	cfg := filepath.Join(dir, "auditpack.yaml")
	work := t.TempDir()
	t.Chdir(work)
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"verify", "pkg", "--signer-fingerprint="}, "signer-fingerprint"},
		{[]string{"verify", "pkg", "--signer-fingerprint", ""}, "signer-fingerprint"},
		{[]string{"verify", "pkg", "--ca="}, "ca"},
		{[]string{"build", "-c", cfg, "--out="}, "out"},
		{[]string{"build", "-c", cfg, "-o", " "}, "out"},
		{[]string{"build", "-c", cfg, "--key="}, "key"},
		{[]string{"build", "-c", cfg, "--cert="}, "cert"},
		{[]string{"build", "-c", cfg, "--chain="}, "chain"},
		{[]string{"build", "-c", cfg, "--pkcs12="}, "pkcs12"},
		{[]string{"build", "-c", cfg, "--previous="}, "previous"},
		{[]string{"check", "--config="}, "config"},
		{[]string{"check", "-c", ""}, "config"},
		{[]string{"check", "-c", cfg, "--model="}, "model"},
		{[]string{"check", "-c", cfg, "--evidence="}, "evidence"},
		{[]string{"check", "-c", cfg, "--exceptions="}, "exceptions"},
		{[]string{"check", "-c", cfg, "--rules="}, "rules"},
		{[]string{"check", "-c", cfg, "--as-of="}, "as-of"},
		{[]string{"check", "-c", cfg, "--format="}, "format"},
		{[]string{"check", "-c", cfg, "--framework="}, "framework"},
		{[]string{"check", "-c", cfg, "-f", ","}, "framework"},
		{[]string{"diff", "a", "b", "--format="}, "format"},
		{[]string{"evidence", "verify", "dir", "--as-of="}, "as-of"},
		{[]string{"keygen", "--out="}, "out"},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitInput || !strings.Contains(stderr, "--"+c.flag+": empty value") || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 naming --%s", c.args, code, stdout, stderr, c.flag)
		}
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("refused commands left %v behind", entries)
	}
}

// TestSingleValuedFlagGivenTwice: urfave/cli would keep the last value;
// a flag that takes one value refuses a second, lists stay repeatable and
// the environment is overridden, not repeated.
func TestSingleValuedFlagGivenTwice(t *testing.T) {
	dir := writeProject(t, nil)
	cfg := filepath.Join(dir, "auditpack.yaml")
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"verify", "pkg", "--signer-fingerprint", "A", "--signer-fingerprint", "B"}, "signer-fingerprint"},
		{[]string{"verify", "pkg", "--signer-fingerprint=A", "--signer-fingerprint=B"}, "signer-fingerprint"},
		{[]string{"check", "-c", "x", "-c", "y"}, "config"},
		{[]string{"check", "--config", cfg, "-c" + cfg}, "config"},
		{[]string{"check", "-c", cfg, "--as-of", "2026-01-01", "--as-of", "2026-02-01"}, "as-of"},
		{[]string{"check", "-c", cfg, "--format", "json", "--format=text"}, "format"},
		{[]string{"build", "-c", cfg, "--out", "a", "-o", "b"}, "out"},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitInput || !strings.Contains(stderr, "--"+c.flag+" given twice") || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 naming --%s", c.args, code, stdout, stderr, c.flag)
		}
	}
	for _, args := range [][]string{
		{"check", "-c", cfg, "-f", "pci-dss", "-f", "aicpa-tsc", "--fail-on", "none"},
		{"check", "-c", cfg, "--fail-on", "excepted", "--fail-on", "manual", "--format", "json"},
	} {
		if code, _, stderr := runCLI(t, args...); code == exitInput || code == exitInternal {
			t.Errorf("%q: a repeatable flag was refused: exit %d %s", args, code, stderr)
		}
	}
	t.Setenv("AUDITPACK_AS_OF", "2026-01-01")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--as-of", "2026-06-01", "--format", "json", "--fail-on", "none")
	if code != exitOK || !strings.Contains(stdout, `"as_of":"2026-06-01"`) {
		t.Errorf("a flag must override its environment variable: exit %d %s", code, stderr)
	}
}

// TestEveryCommandRefusesExtraArguments walks every command of the app and
// gives it one argument more than it takes.
func TestEveryCommandRefusesExtraArguments(t *testing.T) {
	dir := writeProject(t, nil)
	cfg := filepath.Join(dir, "auditpack.yaml")
	t.Chdir(t.TempDir())
	var walk func(path []string, cmds []*cli.Command)
	n := 0
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(slices.Clone(path), c.Name)
			walk(p, c.Subcommands)
			if c.Action == nil || c.Name == "help" {
				continue
			}
			name := strings.Join(p, " ")
			max, ok := argCounts[name]
			if !ok {
				t.Errorf("%s: not in argCounts", name)
				continue
			}
			if max == variadic {
				continue
			}
			n++
			args := slices.Clone(p)
			for _, f := range c.Flags {
				if r, ok := f.(cli.RequiredFlag); ok && r.IsRequired() {
					args = append(args, "--"+f.Names()[0], "x")
				}
			}
			for i := 0; i < max; i++ {
				args = append(args, "arg")
			}
			args = append(args, "stray")
			code, stdout, stderr := runCLI(t, args...)
			if code != exitInput || !strings.Contains(stderr, name+" takes") || !strings.Contains(stderr, `"stray"`) || stdout != "" {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 refusing the extra argument", args, code, stdout, stderr)
			}
		}
	}
	walk(nil, newApp(&strings.Builder{}, &strings.Builder{}, fixedNow).Commands)
	if n < 15 {
		t.Errorf("walked only %d commands", n)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "-c", cfg, "stray1", "stray2"}, "check takes no arguments"},
		{[]string{"check", "-c", cfg, "--", "-q"}, "check takes no arguments"},
		{[]string{"frameworks", "list", "stray"}, "frameworks list takes no arguments"},
		{[]string{"frameworks", "show", "pci-dss", "stray"}, "frameworks show takes one argument"},
		{[]string{"rules", "list", "stray"}, "rules list takes no arguments"},
		{[]string{"rules", "show", "pci-1.2.5-protocols-identified", "stray"}, "rules show takes one argument"},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitInput || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("refused commands left %v behind", entries)
	}
}

// TestEmptyEnvironmentAndMissingRequiredFlag: a variable set to nothing
// would be taken as an empty value; a missing required flag is a usage
// error, not help on stdout and exit 4.
func TestEmptyEnvironmentAndMissingRequiredFlag(t *testing.T) {
	cfg := filepath.Join(writeProject(t, nil), "auditpack.yaml")
	work := t.TempDir()
	t.Chdir(work)
	for _, c := range []struct {
		env  string
		args []string
	}{
		{"AUDITPACK_OUT", []string{"build", "-c", cfg}},
		{"AUDITPACK_CONFIG", []string{"check"}},
		{"AUDITPACK_AS_OF", []string{"check", "-c", cfg}},
		{"AUDITPACK_FRAMEWORKS", []string{"check", "-c", cfg}},
	} {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, " ")
			code, stdout, stderr := runCLI(t, c.args...)
			if code != exitInput || !strings.Contains(stderr, c.env+" (for --") || stdout != "" {
				t.Errorf("%s empty, %q: exit %d, stdout %q, stderr %q; want 2 naming the variable", c.env, c.args, code, stdout, stderr)
			}
		})
	}
	t.Setenv("AUDITPACK_AS_OF", "")
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--as-of", "2026-06-01", "--fail-on", "none"); code != exitOK {
		t.Errorf("the flag overrides an empty variable: exit %d %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "init")
	if code != exitInput || !strings.Contains(stderr, "--model is required") || stdout != "" {
		t.Errorf("init without --model: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("refused commands left %v behind", entries)
	}
}

// TestSwitchFromTheEnvironmentMustBeABoolean: AUDITPACK_QUIET set to
// nothing or to a word that is not true or false is refused, naming the
// variable, instead of quietly meaning false or failing in Go's words.
func TestSwitchFromTheEnvironmentMustBeABoolean(t *testing.T) {
	cfg := filepath.Join(writeProject(t, nil), "auditpack.yaml")
	for _, v := range []string{"", "yes", "quiet"} {
		t.Setenv("AUDITPACK_QUIET", v)
		code, _, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "none")
		if code != exitInput || !strings.Contains(stderr, "AUDITPACK_QUIET (for --quiet) is") || strings.Contains(stderr, "strconv") {
			t.Errorf("AUDITPACK_QUIET=%q: exit %d: %s", v, code, stderr)
		}
	}
	t.Setenv("AUDITPACK_QUIET", "true")
	if code, _, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "none"); code != exitOK {
		t.Errorf("AUDITPACK_QUIET=true: exit %d: %s", code, stderr)
	}
}

// TestEveryCommandRefusesMissingArguments runs each command that takes
// arguments without them: each says, in one wording, what it takes.
func TestEveryCommandRefusesMissingArguments(t *testing.T) {
	for path, n := range argCounts {
		if n <= 0 {
			continue
		}
		code, stdout, stderr := runCLI(t, strings.Fields(path)...)
		if code != exitInput || !strings.Contains(stderr, path+" takes ") || !strings.Contains(stderr, ", got 0") || stdout != "" {
			t.Errorf("%s with no arguments: exit %d\n%s%s", path, code, stdout, stderr)
		}
	}
}
