// Package xlsx renders [audit.Results] as workbook.xlsx, the auditor's
// working file: one sheet per table (controls, findings, evidence,
// exceptions, threats, the model and the inputs), each with a frozen header,
// an autofilter and one colour per verdict, plus empty columns for the
// auditor's conclusion, comment and sample reference. Given the changes
// since a previous package, a Changes sheet after the Summary lists them,
// one row per change, regressions first.
//
// # What it never does
//
// The workbook is rendered only from the results, so it cannot disagree with
// results.json or the PDF report; the renderer never changes them, reads the
// clock or reaches the network. Text from threat models, manifests and
// exceptions is hostile: it is written only as string cells, never as a
// formula, hyperlink, defined name or data-validation source, and invalid
// UTF-8 is replaced. Verdicts are never collapsed: excepted and manual
// controls are never shown as satisfied, and partial coverage is stated.
//
// # Reproducibility
//
// The same results and options give byte-identical files: document
// properties come from the as-of date, and the zip entries are written in
// name order with a fixed time (excelize orders streamed sheets by map
// iteration otherwise).
//
// excelize is used only in this package.
package xlsx
