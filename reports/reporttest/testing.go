// Package reporttest holds what the renderers' tests share: the demo's
// results as a fixture, and validation of rendered documents against the
// official schemas vendored under testdata/schemas. It is imported by tests
// only.
package reporttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// DemoResults is the committed copy of the built-in demo's results.json,
// relative to the module root. cmd/auditpack's tests fail when it no longer
// matches a fresh demo run, and refresh it with -update.
const DemoResults = "testdata/results/demo.json"

// Path returns a path under the module root, wherever the test runs.
func Path(rel string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", filepath.FromSlash(rel))
}

// Demo decodes the committed demo results.
func Demo(tb testing.TB) *audit.Results {
	tb.Helper()
	f, err := os.Open(Path(DemoResults))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rd, err := resultsfile.Decode(DemoResults, f, resultsfile.MaxSize, true)
	if err != nil {
		tb.Fatalf("decode %s: %v", DemoResults, err)
	}
	return rd.Results
}

// Schema compiles a vendored JSON Schema (a path under the module root)
// with format assertions on. Nothing is fetched: the compiler's loader
// refuses every URL, so a schema that needed the network would fail here
// rather than reach out.
func Schema(tb testing.TB, rel string) *jsonschema.Schema {
	tb.Helper()
	p := Path(rel)
	data, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("offline: refusing to load %s", u)
	}
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
	if err := c.AddResource(u, bytes.NewReader(data)); err != nil {
		tb.Fatalf("schema %s: %v", rel, err)
	}
	s, err := c.Compile(u)
	if err != nil {
		tb.Fatalf("schema %s: %v", rel, err)
	}
	return s
}

// Validate checks a JSON document against s.
func Validate(s *jsonschema.Schema, doc []byte) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return s.Validate(v)
}
