package facts

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenUpdating reports -update, which doc_test.go declares for every
// golden file and generated table of the package.
func goldenUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// corpusDir is the shared corpus of real tool outputs.
const corpusDir = "../../../testdata/evidence"

// checkGolden compares the JSON of a Read with its golden file, next to
// the input as <file>.facts.golden; -update rewrites it.
func checkGolden(t *testing.T, input string, r *Read) {
	t.Helper()
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := input + ".facts.golden"
	if goldenUpdating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: the facts read differ from the golden file (go test -update rewrites it after review)\ngot:\n%s", filepath.Base(path), got)
	}
}

// parseFile detects and parses one corpus file, failing the test when it
// is not detected as the format.
func parseFile(t *testing.T, format, path string) *Read {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := Detect(data[:min(len(data), HeadSize)]); got != format {
		t.Fatalf("%s: detected as %q, want %q", filepath.Base(path), got, format)
	}
	r, err := Parse(format, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return r
}

// factValue is the whole-file value of a fact, or nil when absent.
func factValue(r *Read, name string) any {
	f, ok := r.Fact(name)
	if !ok {
		return nil
	}
	return f.Value
}

// checkTypes asserts that every fact holds the Go type its definition says.
func checkTypes(t *testing.T, r *Read) {
	t.Helper()
	for _, f := range append(append([]Fact{}, r.Facts...), r.Targets...) {
		d, ok := Lookup(f.Name)
		if !ok {
			t.Errorf("fact %s is not in the vocabulary", f.Name)
			continue
		}
		ok = false
		switch d.Type {
		case String, Date, Version:
			_, ok = f.Value.(string)
		case Bool:
			_, ok = f.Value.(bool)
		case Int:
			_, ok = f.Value.(int)
		case Ints:
			_, ok = f.Value.([]int)
		case List, Versions:
			_, ok = f.Value.([]string)
		}
		if !ok {
			t.Errorf("fact %s holds %T, want a %s", f.Name, f.Value, d.Type)
		}
	}
}

// checkDetectsOnlyItsOwn detects every file of the corpus: those under
// dir must be the format, and no other file may be.
func checkDetectsOnlyItsOwn(t *testing.T, format, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || isCorpusNote(path) {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, path)
		top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got := Detect(data[:min(len(data), HeadSize)])
		own := top == dir && !strings.Contains(filepath.ToSlash(rel), "/edge/")
		switch {
		case own && got != format:
			t.Errorf("%s: detected as %q, want %q", rel, got, format)
		case top != dir && got == format:
			t.Errorf("%s (another format's file): detected as %q", rel, got)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no corpus files found")
	}
}

// isCorpusNote tells the corpus's notes, licences and goldens from tool
// output.
func isCorpusNote(path string) bool {
	base := filepath.Base(path)
	return strings.HasSuffix(base, ".md") || strings.HasSuffix(base, ".golden") ||
		strings.Contains(filepath.ToSlash(path), "/licenses/") || strings.HasSuffix(base, ".txt")
}

// seedFuzzFrom adds the small files (large seeds slow the mutator down) of a corpus folder (and its edge cases)
// as seeds.
func seedFuzzFrom(f *testing.F, dir string) {
	for _, pattern := range []string{"*", "edge/*"} {
		paths, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range paths {
			if isCorpusNote(p) {
				continue
			}
			data, err := os.ReadFile(p)
			if err == nil && len(data) <= 32<<10 {
				f.Add(data)
			}
		}
	}
}

// fuzzParse parses one input: no panic, errors are *Error, and every fact
// holds the type the vocabulary says.
func fuzzParse(t *testing.T, format string, data []byte) {
	r, err := Parse(format, bytes.NewReader(data))
	if err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("error %v (%T) is not a *facts.Error", err, err)
		}
		return
	}
	checkTypes(t, r)
}
