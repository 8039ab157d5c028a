// Package frameworks holds the compliance framework catalogs that auditpack evaluates
// against: control identifiers, their hierarchy, short headings and short labels. The
// catalogs are embedded in the binary so that every run is offline and every copy of the
// same auditpack version sees exactly the same controls.
//
// # Content
//
// PCI DSS, AICPA Trust Services Criteria and ISO/IEC 27001 text is copyrighted and is
// never shipped. A catalog carries identifiers and hierarchy (facts), the official headings
// short enough to serve as names, and labels written by the auditpack project. Public-domain
// frameworks (NIST SP 800-53, NIST CSF 2.0, the HIPAA Security Rule) ship their official
// titles, and CSF its outcome statements. The content policy of each catalog says which of
// these it may contain; see FORMAT.md and catalogs/SOURCES.md.
//
// # Baselines
//
// A catalog may declare baselines, named selections of its controls such as the SP 800-53B
// impact baselines. [Catalog.Baseline] returns the catalog restricted to one, and
// [Registry.Lookup] selects one by a "#" suffix ("nist-sp800-53@5.1.1#moderate") or by a
// baseline alias ("nist-800-53-moderate"). Control references are the same in every
// baseline.
//
// # References
//
// A control is named across auditpack by a reference "<framework-id>@<version>:<node-id>",
// for example "pci-dss@4.0.1:4.2.1", "aicpa-tsc@2017-pof2022:CC6.1" or
// "nist-sp800-53@5.1.1:SC-8(1)". [ParseRef] splits one,
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
