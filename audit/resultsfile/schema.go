package resultsfile

import (
	_ "embed"
	"slices"

	"github.com/auditpack/auditpack/audit"
)

// SchemaVersion is the version of results.json written; SchemaV1 the
// earlier one, still read so that a package can be compared with one
// built before version 2.
const (
	SchemaVersion = audit.SchemaVersion
	SchemaV1      = "auditpack/results/v1"
)

var (
	//go:embed schema_v2.json
	schemaV2 []byte
	//go:embed schema_v1.json
	schemaV1 []byte
)

// Schema returns the published JSON Schema of results.json as written.
func Schema() []byte { return slices.Clone(schemaV2) }

// InputError is a results.json that cannot be read: not results, damaged,
// too large or changed.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }
