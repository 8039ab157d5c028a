package facts

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// evidenceDir is the corpus of real tool outputs, one folder per format.
const evidenceDir = "../../../testdata/evidence"

// readSample parses one file of the corpus with ReadAll, as auditpack
// reads evidence: detection first, then the parser.
func readSample(t *testing.T, path string) *Read {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ReadAll(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if r == nil {
		t.Fatalf("%s: no format recognised", path)
	}
	requireVocabularyTypes(t, r)
	return r
}

// parseEdge parses a hand-made file with the named format's parser.
func parseEdge(t *testing.T, format, path string) (*Read, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Parse(format, f)
	if err == nil {
		requireVocabularyTypes(t, r)
	}
	return r, err
}

// wantFacts checks whole-file facts by name; a nil want means the fact
// must be absent.
func wantFacts(t *testing.T, r *Read, want map[string]any) {
	t.Helper()
	for name, v := range want {
		f, ok := r.Fact(name)
		if v == nil {
			if ok {
				t.Errorf("%s = %#v, want it absent", name, f.Value)
			}
			continue
		}
		if !ok {
			t.Errorf("%s absent, want %#v", name, v)
			continue
		}
		if !sameValue(f.Value, v) {
			t.Errorf("%s = %#v, want %#v (at %s)", name, f.Value, v, f.At)
		}
	}
}

// targetFact returns one per-target fact.
func targetFact(r *Read, target, name string) (Fact, bool) {
	for _, f := range r.TargetFacts(target) {
		if f.Name == name {
			return f, true
		}
	}
	return Fact{}, false
}

// sameValue compares fact values, an empty list equal to a nil one.
func sameValue(got, want any) bool {
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() == reflect.Slice && w.Kind() == reflect.Slice && g.Len() == 0 && w.Len() == 0 {
		return g.Type() == w.Type()
	}
	return reflect.DeepEqual(got, want)
}

// requireVocabularyTypes fails unless every fact is in the vocabulary and
// holds the Go type its Type says.
func requireVocabularyTypes(t testing.TB, r *Read) {
	t.Helper()
	for _, f := range append(append([]Fact{}, r.Facts...), r.Targets...) {
		d, ok := Lookup(f.Name)
		if !ok {
			t.Errorf("fact %s is not in the vocabulary", f.Name)
			continue
		}
		var ok2 bool
		switch d.Type {
		case String, Date, Version:
			_, ok2 = f.Value.(string)
		case Bool:
			_, ok2 = f.Value.(bool)
		case Int:
			_, ok2 = f.Value.(int)
		case Ints:
			_, ok2 = f.Value.([]int)
		case List, Versions:
			_, ok2 = f.Value.([]string)
		}
		if !ok2 {
			t.Errorf("fact %s holds %T, want the Go type of %s", f.Name, f.Value, d.Type)
		}
		if f.At == "" || f.At[0] != '/' {
			t.Errorf("fact %s has no location (at %q)", f.Name, f.At)
		}
	}
}

// compareReadGolden compares the JSON of a Read with path.facts.golden.
func compareReadGolden(t *testing.T, path string, r *Read) {
	t.Helper()
	checkGolden(t, path, r)
}

// samplesOf lists the real files of a format's corpus folder (not the
// goldens, not edge cases, not licences).
func samplesOf(t *testing.T, format string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(evidenceDir, format))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == "SOURCES.md" || strings.HasSuffix(n, ".facts.golden") {
			continue
		}
		out = append(out, filepath.Join(evidenceDir, format, n))
	}
	return out
}

// otherFormatSamples lists every file of the corpus outside folder: none
// of them may be detected as that folder's format.
func otherFormatSamples(t *testing.T, folder string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(evidenceDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(evidenceDir, p)
		if d.IsDir() {
			if rel == folder || d.Name() == "licenses" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".facts.golden") {
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// headOf is what Detect sees of a file.
func headOf(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data[:min(len(data), HeadSize)]
}

// asFactsError requires err to be an *Error of the format with a place.
func asFactsError(t *testing.T, err error, format string) *Error {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *facts.Error", err, err)
	}
	if fe.Format != format {
		t.Errorf("error format %q, want %q", fe.Format, format)
	}
	if fe.At == "" || fe.Offset <= 0 {
		t.Errorf("error %q has no place (at %q, offset %d)", fe, fe.At, fe.Offset)
	}
	return fe
}
