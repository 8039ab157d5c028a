// Package frameworks holds the compliance framework catalogs that auditpack evaluates
// against: control identifiers, their hierarchy, short headings and short labels. The
// catalogs are embedded in the binary so that every run is offline and every copy of the
// same auditpack version sees exactly the same controls.
//
// # Content
//
// PCI DSS and AICPA Trust Services Criteria text is copyrighted and is never shipped. A
// catalog carries identifiers and hierarchy (facts), the official headings short enough to
// serve as names, and labels written by the auditpack project. The content policy of each
// catalog says which of these it may contain; see FORMAT.md and catalogs/SOURCES.md.
//
// # References
//
// A control is named across auditpack by a reference "<framework-id>@<version>:<node-id>",
// for example "pci-dss@4.0.1:4.2.1" or "aicpa-tsc@2017-pof2022:CC6.1". [ParseRef] splits one,
// [Registry.Resolve] finds the node it names, and [Catalog.ControlRef] builds one. Framework
// names are case-insensitive and may be aliases ("pci", "soc2"); node ids are exact.
//
// # Loading
//
// [Builtin] returns the embedded catalogs; [Load] reads *.catalog.json files from any
// [io/fs.FS]. Both validate every file against the embedded JSON Schema and check its
// structure (unique ids, known parents, no cycles) before anything uses it, and report
// problems with the file name and a JSON pointer.
//
// The package never prints, never opens paths on its own and never reaches the network.
package frameworks
