package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// hostileDir is the corpus of inputs crafted to hurt a parser (see its
// README); expected.txt gives each file's exit code and error fragment.
const hostileDir = "../../testdata/hostile"

type hostileCase struct {
	name string
	code int
	frag string
}

func readHostileExpectations(t *testing.T) []hostileCase {
	t.Helper()
	f, err := os.Open(filepath.Join(hostileDir, "expected.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]hostileCase{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, ": ")
		code, frag, ok2 := strings.Cut(rest, ": ")
		n, err := strconv.Atoi(code)
		if !ok || !ok2 || err != nil {
			t.Fatalf("expected.txt: bad line %q (want \"name: CODE: fragment\")", line)
		}
		want[name] = hostileCase{name, n, frag}
	}
	entries, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostileCase
	for _, e := range entries {
		name := e.Name()
		if name == "expected.txt" || name == "README.md" {
			continue
		}
		c, ok := want[name]
		if !ok {
			t.Errorf("%s: no line in expected.txt", name)
			continue
		}
		cases = append(cases, c)
		delete(want, name)
	}
	for name := range want {
		t.Errorf("expected.txt names %s, which is not in the corpus", name)
	}
	return cases
}

// hostileCommand stages the hostile file src in dir as its prefix requires
// and returns the command line that reads it. With bare, the file and what
// refers to it are named relative to dir, without a directory part, for a
// run whose working directory is dir; otherwise by their full paths.
func hostileCommand(t *testing.T, src, dir string, bare bool) []string {
	t.Helper()
	name := filepath.Base(src)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	at := func(rel string) string {
		if bare {
			return rel
		}
		return filepath.Join(dir, rel)
	}
	put := func(rel string) string {
		mustWrite(t, filepath.Join(dir, rel), data, 0o644)
		return at(rel)
	}
	prefix, _, _ := strings.Cut(name, "-")
	switch prefix {
	case "model":
		return []string{"model", "validate", put(name)}
	case "config":
		return []string{"check", "-c", put(name)}
	case "rules":
		return []string{"rules", "lint", put(name)}
	case "bundle":
		return []string{"evidence", "verify", put(name)}
	case "package":
		return []string{"verify", "--accept-unanchored", put(name)}
	case "evfile":
		return []string{"evidence", "facts", put(name)}
	case "manifest":
		if err := os.Mkdir(filepath.Join(dir, "bundle"), 0o755); err != nil {
			t.Fatal(err)
		}
		ext := filepath.Ext(name)
		if ext != ".json" {
			ext = ".yaml"
		}
		put(filepath.Join("bundle", "manifest"+ext))
		return []string{"evidence", "verify", at("bundle")}
	case "exceptions":
		copyExample(t, dir, map[string]string{"exceptions.yaml": name})
		put(name)
		return []string{"check", "-c", at("auditpack.yaml")}
	}
	t.Fatalf("%s: no command reads files with the prefix %q: add it to hostileCommand", name, prefix)
	return nil
}

// copyExample writes the built-in example project into dir, with the
// configuration's references renamed as given (old name → new name).
func copyExample(t *testing.T, dir string, rename map[string]string) {
	t.Helper()
	src := writeProject(t, map[string]func(string) string{
		"auditpack.yaml": func(s string) string {
			for from, to := range rename {
				s = strings.ReplaceAll(s, ": "+from+"\n", ": "+to+"\n")
			}
			return s
		},
	})
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		mustWrite(t, dst, data, 0o644)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// listTree lists every path under dir, to show that a refused input
// leaves nothing behind.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHostileInputsThroughTheCommandLine runs every file of the hostile
// corpus through the command that reads it, chosen by the file's prefix,
// twice: named by its path, and named without a directory part from its
// own working directory (where importer errors once lost their type and
// exited 4). Each run must give the exit code and the message fragment of
// expected.txt, name the file, and write nothing. It changes the working
// directory, so it does not run in parallel.
func TestHostileInputsThroughTheCommandLine(t *testing.T) {
	for _, c := range readHostileExpectations(t) {
		for _, bare := range []bool{false, true} {
			label := "path"
			if bare {
				label = "bare"
			}
			t.Run(c.name+"/"+label, func(t *testing.T) {
				dir := t.TempDir()
				args := hostileCommand(t, filepath.Join(hostileDir, c.name), dir, bare)
				if bare {
					t.Chdir(dir)
				}
				before := listTree(t, dir)
				code, stdout, stderr := runCLI(t, args...)
				if code != c.code {
					t.Errorf("auditpack %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, c.code, stdout, stderr)
				}
				if !strings.Contains(stderr, c.frag) {
					t.Errorf("auditpack %s: stderr\n%s\nwant it to contain %q", strings.Join(args, " "), stderr, c.frag)
				}
				if file := filepath.Base(args[len(args)-1]); !strings.Contains(stderr, file) && !strings.Contains(stderr, c.name) {
					t.Errorf("auditpack %s: the message names neither %s nor %s:\n%s", strings.Join(args, " "), file, c.name, stderr)
				}
				if after := listTree(t, dir); !slices.Equal(before, after) {
					t.Errorf("auditpack %s left files behind: %v", strings.Join(args, " "), after)
				}
			})
		}
	}
}

// TestBadModelNamedInConfigExitsTwo: a model the configuration names
// without a directory part ("model: main.yaml") that an importer refuses
// is bad input (exit 2), and the message names it, and an include it
// refuses, as the configuration does: relative to its directory, wherever
// auditpack runs from.
func TestBadModelNamedInConfigExitsTwo(t *testing.T) {
	xxe, err := os.ReadFile(filepath.Join(hostileDir, "model-xxe.tm7"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model string
		files map[string]string
		want  string
	}{
		{"main.tm7", map[string]string{"main.tm7": string(xxe)}, "main.tm7: line 2: document contains a <!DOCTYPE"},
		{"main.yaml", map[string]string{
			"main.yaml":         "threagile_version: 1.0.0\ntitle: t\nincludes: [parts/assets.yaml]\n",
			"parts/assets.yaml": "technical_assets:\n  a: [oops\n",
		}, "parts/assets.yaml: line 1: did not find expected ',' or ']'"},
	} {
		dir := t.TempDir()
		copyExample(t, dir, map[string]string{"model.yaml": c.model})
		for name, data := range c.files {
			p := filepath.Join(dir, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			mustWrite(t, p, []byte(data), 0o644)
		}
		code, _, stderr := runCLI(t, "check", "-c", filepath.Join(dir, "auditpack.yaml"))
		if code != exitInput || !strings.Contains(stderr, "auditpack: "+c.want) {
			t.Errorf("check -c DIR/auditpack.yaml with model %s: exit %d\n%s\nwant exit 2 and %q", c.model, code, stderr, c.want)
		}
		t.Chdir(dir)
		code, _, stderr = runCLI(t, "check", "-c", "auditpack.yaml")
		if code != exitInput || !strings.Contains(stderr, "auditpack: "+c.want) {
			t.Errorf("check -c auditpack.yaml with model %s: exit %d\n%s\nwant exit 2 and %q", c.model, code, stderr, c.want)
		}
	}
}
