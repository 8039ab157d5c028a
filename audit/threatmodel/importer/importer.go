// Package importer holds the small pieces every threat-model importer needs
// in the same form: reading loosely typed values, handing out unique ids,
// guarding against oversized or wrapped input, and the plane geometry that
// diagram formats use to place elements in boxes and find crossed lines.
//
// The importers under audit/threatmodel import this package; it imports
// only [model] and the standard library, never an importer, so that a fix
// here reaches every format at once and no format depends on another.
//
// # What it never does
//
// It never opens files, never prints and never decides format-specific
// policy: limits, vocabularies and messages that name a format stay with
// the importer and come in as arguments.
//
// # Tests
//
// [TestDecode], [TestCounts] and [TestFind] are helpers for the importers'
// own tests; they live in testing.go so that every importer loads and
// asserts its samples the same way.
package importer
