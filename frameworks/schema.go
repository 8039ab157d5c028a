package frameworks

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// FormatVersion is the value of the "schema" member of every catalog file this package
// reads. A different value is rejected, so a future format cannot be misread silently.
const FormatVersion = "auditpack/framework-catalog/v1"

// schemaURL is the $id of the embedded schema; it is never fetched.
const schemaURL = "https://auditpack.invalid/schemas/framework-catalog/v1"

//go:embed catalogs/catalog.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) that every catalog file must satisfy, so
// that people writing their own catalogs can check them with any validator.
func Schema() []byte { return bytes.Clone(schemaJSON) }

// compiledSchema compiles the embedded schema once. Loading of any other URL is refused so
// that validation can never reach the file system or the network.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("frameworks: schema %s is not embedded", u)
	}
	if err := c.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
		return nil, fmt.Errorf("frameworks: catalog schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("frameworks: catalog schema: %w", err)
	}
	return s, nil
})

// maxSchemaProblems caps how many schema violations one file reports; the first few are
// enough to fix a file and a hostile file must not produce an unbounded error.
const maxSchemaProblems = 20

// validateSchema checks a decoded document and returns one [FileError] per violation,
// each at the JSON pointer of the offending value, sorted by place.
func validateSchema(file string, doc any) error {
	s, err := compiledSchema()
	if err != nil {
		return err
	}
	err = s.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &FileError{File: file, Err: err}
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves)
	slices.SortStableFunc(leaves, func(a, b *jsonschema.ValidationError) int {
		return strings.Compare(a.InstanceLocation, b.InstanceLocation)
	})
	var errs []error
	seen := map[string]bool{}
	for _, l := range leaves {
		key := l.InstanceLocation + "\x00" + l.Message
		if seen[key] {
			continue
		}
		seen[key] = true
		if len(errs) == maxSchemaProblems {
			errs = append(errs, &FileError{File: file, Err: errors.New("more schema violations not shown")})
			break
		}
		errs = append(errs, &FileError{File: file, Pointer: pointerOrRoot(l.InstanceLocation), Err: errors.New(l.Message)})
	}
	return errors.Join(errs...)
}

// collectLeaves gathers the most specific violations; their parents only say "invalid".
func collectLeaves(ve *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(ve.Causes) == 0 {
		*out = append(*out, ve)
		return
	}
	for _, c := range ve.Causes {
		collectLeaves(c, out)
	}
}

// pointerOrRoot spells the root pointer "/" so that a message always names a place.
func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
