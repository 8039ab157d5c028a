// Package audit runs auditpack's pipeline without I/O: it applies the scope
// overlay to a threat model, evaluates the mapping rules, joins the evidence
// index and the exceptions, and rolls verdicts up per control into
// [Results], the single source of truth that results.json, the PDF report
// and the workbook are all rendered from.
//
// # The pipeline, in order
//
//  1. Load. Package audit/project reads the configuration (audit/config)
//     and everything it names: framework catalogs (frameworks), the threat
//     model (audit/threatmodel and its importers, into audit/model), the
//     evidence bundle, hashed while the model loads (audit/evidence, its
//     facts in audit/evidence/facts, files opened through audit/rootfs),
//     rule files linted with the built-in rules (mappings), exceptions
//     (audit/exception), and the hashes of every input. The result is an
//     [Inputs]. Loading lives in its own package because it reads files;
//     this package does not.
//  2. Evaluate. [Run] (or project.Project.Evaluate) applies the overlay
//     (audit/overlay), evaluates each rule per element (audit/eval), checks
//     exceptions and rolls verdicts up per control into [Results].
//     audit/diff compares two Results; audit/resultsfile writes them as
//     results.json and reads them back, as a stream.
//  3. View. Between Results and the renderers sits the view: what every
//     output shows, counted, worded and sorted once (reports/view), so
//     that no two outputs disagree on a count, a scope or an exception.
//  4. Render. reports/pdf, reports/xlsx, reports/oscal, reports/sarif,
//     reports/junit and reports/markdown each turn Results into one format;
//     results.json is [Results] written by audit/resultsfile.
//  5. Package. reports/packager assembles the rendered files, the inputs as
//     read and optionally the evidence into a directory or a deterministic
//     zip with its manifest and checksums, and verifies such packages.
//  6. Sign. reports/signature signs the package's checksums (CMS) and checks
//     signatures.
//
// cmd/auditpack drives the stages: it maps flags and environment to
// options, passes the clock in, prints, and maps errors to exit codes.
// Imports run one way, cmd → reports → audit → mappings → frameworks
// (layering_test.go checks); docs/architecture.md draws the whole.
package audit
