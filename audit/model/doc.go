// Package model is auditpack's common threat model: the normalised graph of
// components, data flows, trust zones, data assets, threats and mitigations
// that every importer produces and every rule is evaluated against.
//
// # Tri-state facts
//
// Exports often say nothing about a property. An absent "isEncrypted" is not
// evidence of "not encrypted", so flags are [Tri]: true, false or unknown.
//
// # Derived relations
//
// [New] indexes a [Model] once: zone ancestry, the zones each flow leaves and
// enters, the boundaries it crosses, the data it carries, and what is exposed
// to public zones. Evaluation reads the [Index] and never recomputes.
//
// The package is a leaf: it imports only the standard library, opens no file
// and reads no clock.
package model
