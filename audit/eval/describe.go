package eval

import "github.com/auditpack/auditpack/mappings"

// Describe renders a predicate as reasons show it: "tls.min_version gte
// 1.2", "(a and b)".
func Describe(p mappings.Predicate) string { return describe(p) }
