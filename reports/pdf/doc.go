// Package pdf renders report.pdf, the human-readable part of an audit
// package, from [audit.Results] and nothing else, so the report can never
// disagree with results.json.
//
// The report is A4 and navigable: a cover (organisation, system,
// frameworks, audit period, as-of date, package id, signer), contents, an
// executive summary with charts and the top gaps, scope and method, every
// control of every framework under its hierarchy, the findings behind every
// control that is not satisfied, needs evidence or is excepted, exceptions,
// the evidence index, open threats and an appendix with input hashes,
// versions, licence notices and how to verify the package. Every chapter
// and framework has a bookmark, every page says "page N of M", and the top
// gaps link to their findings. Given the changes since a previous package,
// the report adds a chapter listing them after the executive summary.
//
// # Verdicts
//
// The six verdicts are printed as they are, each in its own colour and
// always with its name. "excepted" and "manual" are never shown as
// satisfied, and partial coverage (automated rules check the technical part
// only) is stated for every control.
//
// # Hostile text
//
// Names, titles and justifications come from threat models and manifests
// that auditpack does not control. They are cleaned (invalid UTF-8
// replaced, control and bidirectional-format characters neutralised) and
// never interpreted. Characters the embedded DejaVu Sans cannot draw, such
// as CJK ideographs, are printed as a marked substitute "[U+4E2D]" and
// listed in the appendix, never as empty boxes.
//
// # Reproducibility
//
// The package reads no clock, file, network or randomness: fonts are
// embedded, PDF dates come from the as-of date, and the same results and
// options give identical bytes. The output is a single revision with a
// classic cross-reference table, which reports/signature signs in place.
package pdf
