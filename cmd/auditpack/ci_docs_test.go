package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// TestCIExamplesUseRealCommands checks every auditpack command line in
// docs/ci against the commands and flags the CLI defines, so the examples
// cannot drift from the tool.
func TestCIExamplesUseRealCommands(t *testing.T) {
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{}, time.Now)
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "ci", "*.yml"))
	if len(files) < 2 {
		t.Fatalf("found %d CI examples", len(files))
	}
	call := regexp.MustCompile(`(?:^|[\s("])auditpack ([a-z]+)([^|>;)]*)`)
	flag := regexp.MustCompile(`(?:^|\s)--([a-z-]+)`)
	used := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if i := strings.Index(line, "#"); i >= 0 && (i == 0 || line[i-1] == ' ') {
				line = line[:i] // a YAML comment
			}
			for _, m := range call.FindAllStringSubmatch(line, -1) {
				name, args := m[1], m[2]
				cmd := app.Command(name)
				if cmd == nil {
					t.Errorf("%s: auditpack %s is not a command", f, name)
					continue
				}
				used++
				for _, fm := range flag.FindAllStringSubmatch(args, -1) {
					if !hasFlag(cmd, fm[1]) {
						t.Errorf("%s: auditpack %s has no flag --%s", f, name, fm[1])
					}
				}
			}
		}
	}
	if used < 10 {
		t.Errorf("only %d auditpack command lines found: the pattern is broken", used)
	}
}

func hasFlag(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}
