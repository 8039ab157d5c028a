// Package resultsfile writes and reads results.json, the machine-readable
// outcome of a run that every package carries and that diff and build
// --previous read back.
//
// Version 2 (written) keeps every field of version 1 (still read) but
// writes each element, reason, scope, mitigation use, evidence use and
// placement once, in tables that precede the rule results, and tells a
// control's findings by the rule results they count: on a model of
// thousands of components those values repeat tens of thousands of times
// and made most of version 1's size. Both are read as a stream, one
// element at a time, each element checked against its part of the schema,
// so a reader holds what it keeps and never the document.
package resultsfile
