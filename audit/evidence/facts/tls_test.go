package facts

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tlsCorpus is the test corpus of a format, at the repository's top.
func tlsCorpus(format string) string {
	return filepath.Join("..", "..", "..", "testdata", "evidence", format)
}

func readTLSFile(t *testing.T, format, name string) *Read {
	t.Helper()
	f, err := os.Open(filepath.Join(tlsCorpus(format), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Parse(format, f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

// tlsGolden compares the JSON of a Read with its golden file.
func tlsGolden(t *testing.T, format, name string, r *Read) {
	t.Helper()
	checkGolden(t, filepath.Join(tlsCorpus(format), name), r)
}

// tlsFact finds a fact: about the whole file when target is "", else about
// that target. ok is false when the file does not state it.
func tlsFact(r *Read, target, name string) (Fact, bool) {
	facts := r.Facts
	if target != "" {
		facts = r.TargetFacts(target)
	}
	for _, f := range facts {
		if f.Name == name {
			return f, true
		}
	}
	return Fact{}, false
}

// tlsWant is one expected fact; a nil Value means the fact must be absent.
type tlsWant struct {
	target, name string
	value        any
	at           string
}

func checkTLS(t *testing.T, name string, r *Read, wants []tlsWant) {
	t.Helper()
	for _, w := range wants {
		f, ok := tlsFact(r, w.target, w.name)
		if w.value == nil {
			if ok {
				t.Errorf("%s: %s %s = %#v, want no such fact", name, w.target, w.name, f.Value)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: %s %s missing; facts %v targets %v", name, w.target, w.name, r.Facts, r.Targets)
			continue
		}
		g, _ := json.Marshal(f.Value)
		e, _ := json.Marshal(w.value)
		if !bytes.Equal(g, e) {
			t.Errorf("%s: %s %s = %s, want %s", name, w.target, w.name, g, e)
		}
		if w.at != "" && f.At != w.at {
			t.Errorf("%s: %s %s at %s, want %s", name, w.target, w.name, f.At, w.at)
		}
	}
}

func tlsCovered(r *Read) string {
	var b strings.Builder
	for _, c := range r.Covered {
		b.WriteString(c.Name)
		if len(c.Aliases) > 0 {
			b.WriteString("=" + strings.Join(c.Aliases, ","))
		}
		b.WriteString(";")
	}
	return b.String()
}
