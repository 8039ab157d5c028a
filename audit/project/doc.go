// Package project loads an auditpack project: a configuration and every
// input it names, read within each role's limits, parsed, linted and
// hashed into the [audit.Inputs] that evaluation takes. It is the first
// stage of the pipeline (see package audit).
//
// It is a package of its own, not part of package audit, because it reads
// files and audit evaluates without any I/O; it also keeps the
// configuration parser and the threat-model importers out of audit's
// dependencies. No import cycle forces the split: audit/config,
// audit/evidence, audit/threatmodel and audit/exception do not import audit.
//
// The package reads files but neither chooses them nor keeps the clock:
// the command line names the configuration, maps its flags and
// environment to [Options], and passes the current time in.
package project
