// Package example holds auditpack's built-in example: a mobile payments
// platform whose partner bank asks for PCI DSS proof, with its threat model,
// scope overlay, evidence bundle and exceptions. `auditpack demo` runs the
// whole pipeline on it, and tests use it as a realistic end-to-end input.
// Its organisation, evidence and people are invented.
package example

import (
	"embed"
	"io/fs"
)

//go:embed all:payments
var files embed.FS

// Dir is the example's project directory inside [FS].
const Dir = "payments"

// FS returns the example's files; the project configuration is
// Dir + "/auditpack.yaml".
func FS() fs.FS { return files }
