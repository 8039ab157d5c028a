package mappings

import (
	"slices"
	"strings"
)

// EvidenceKind is one entry of the evidence-kind vocabulary. A kind says
// what an item is, and so what a rule may take it for: an internal
// vulnerability scan is never an approved scanning vendor's scan, however
// its manifest entry is worded. Pass lists what an item of the kind must
// show to count as passing, for every rule that accepts the kind, on top of
// the rule's own facts.
type EvidenceKind struct {
	ID      string
	Label   string
	Meaning string
	Pass    []PassFact
	// FailedControls names a list fact whose entries are control refs
	// (framework@version:id) the tool itself reports as failed: an item
	// of the kind passes for a rule unless it names one of the rule's
	// controls there.
	FailedControls string
	// PassedControls names a list fact whose entries are the control refs
	// whose checks the tool ran and passed: an item of the kind counts for
	// a rule only when it names one of the rule's controls there, since a
	// scan that ran none of a rule's checks shows nothing about it.
	PassedControls string
	// Formats lists the file formats (audit/evidence/facts ids) an item of
	// the kind may be read as. A file read as another format is not what
	// the kind says (a container image scan filed as an ASV scan), and the
	// item does not count for the kind. Files no parser recognises (a
	// vendor's PDF report) are taken by every kind, as stated-only.
	Formats []string
	// SameAs names the kind this one is a synonym of: the two mean the
	// same, and each is accepted wherever the other is.
	SameAs string
	// Generic marks a kind kept so that older manifests still load. It
	// says too little to stand for any specific kind: a rule accepts it
	// only where it names it.
	Generic bool
}

// PassFact is one condition an item of a kind must meet to pass: Says in
// words, When in the rules' predicate language over the item's facts.
type PassFact struct {
	Says string
	When Predicate
	// Incomplete marks a condition whose failure shows the evidence is
	// incomplete (a scan that did not finish), not that the control
	// failed: the item then needs completing rather than contradicting
	// the rule.
	Incomplete bool
}

// fact builds the predicate field op value.
func fact(field, op string, value any) Predicate {
	return Predicate{Field: field, Op: op, Value: value}
}

// noneOpen says a count, where the item gives it, is zero: a file that
// does not count findings by that severity is not read as failing.
func noneOpen(field string) Predicate { return isWhereStated(field, 0) }

// notFalse says a flag, where the item gives it, is true.
func notFalse(field string) Predicate { return isWhereStated(field, true) }

// isWhereStated says a fact, where the item gives it, has the value.
func isWhereStated(field string, value any) Predicate {
	return Predicate{Any: []Predicate{{Field: field, Op: "exists", Value: false}, fact(field, "eq", value)}}
}

// completeReview is the pass fact of every review and test record: one
// that says it left part of its subject out has not shown the rest.
var completeReview = PassFact{Says: "the review covered all it was meant to (review.complete true), where the record says", When: notFalse("review.complete")}

// completeScan is the pass fact of every scan: a tool that reports it
// could not finish the scan has not shown what it was run to show.
var completeScan = PassFact{Says: "the tool finished the scan of every target, where the file says", When: notFalse("scan.complete"), Incomplete: true}

// hostScanFormats are the formats an internal or authenticated scan may
// be read as: the vulnerability scanners that scan hosts and their
// packages, and nmap for the hosts and services the scan reached. SARIF is
// left out: most of it is static analysis of code, not a scan of systems.
var hostScanFormats = []string{"trivy-json", "grype-json", "nmap-xml"}

// kinds is the vocabulary, sorted by id. docs/evidence-bundles.md lists
// it, and a test keeps the two in step.
var kinds = sortKinds([]EvidenceKind{
	{ID: "access-review", Label: "Access review", Meaning: "a record of a review of user accounts and their access privileges, with who reviewed and what was changed",
		Pass: []PassFact{completeReview}},
	{ID: "aoc", Label: "Attestation of compliance", Meaning: "a PCI DSS attestation of compliance of an entity or service provider",
		Pass: []PassFact{{Says: "the attestation reports the entity compliant, where it says", When: isWhereStated("tpsp.compliance_status", "compliant")}}},
	{ID: "asv-scan", Label: "ASV scan", Formats: []string{"sarif"}, Meaning: "an external vulnerability scan by a PCI SSC approved scanning vendor, with the vendor's pass or fail",
		Pass: []PassFact{
			// A vendor's export that counts findings but states no overall
			// result passes on the counts alone; a stated or read fail
			// always fails.
			{Says: "the scan passed (scan.pass true, or no pass or fail stated and the file counts no open finding rated medium or above)",
				When: Predicate{All: []Predicate{notFalse("scan.pass"), {Any: []Predicate{fact("scan.pass", "eq", true), {All: []Predicate{
					fact("scan.critical_open", "eq", 0), fact("scan.high_open", "eq", 0), fact("scan.medium_open", "eq", 0)}}}}}}},
			{Says: "no open finding rated critical, where the file counts them", When: noneOpen("scan.critical_open")},
			{Says: "no open finding rated high, where the file counts them", When: noneOpen("scan.high_open")},
			// The ASV Program Guide fails a scan on any vulnerability of
			// CVSS 4.0 or more, which tools rate medium and above.
			{Says: "no open finding rated medium, where the file counts them", When: noneOpen("scan.medium_open")},
			completeScan,
		}},
	{ID: "attestation", Label: "Attestation", Meaning: "a person's signed statement, for a manual step or a scope"},
	{ID: "authenticated-scan", Label: "Authenticated vulnerability scan", Formats: hostScanFormats, Meaning: "an internal vulnerability scan run with credentials on the scanned systems",
		Pass: []PassFact{completeScan}},
	{ID: "configuration", SameAs: "configuration-export", Label: "Configuration", Meaning: "the former name of configuration-export"},
	{ID: "configuration-export", Label: "Configuration export", Meaning: "an export or capture of a system's effective configuration (a rule set, a policy object, a settings dump)"},
	{ID: "configuration-review", Label: "Configuration review", Meaning: "a record of a review of network security control or system configurations, with who reviewed, what was found and what was changed",
		Pass: []PassFact{completeReview}},
	{ID: "container-scan", Label: "Container image scan", Formats: []string{"trivy-json", "grype-json"}, Meaning: "a vulnerability scan of container images or their packages",
		Pass: []PassFact{completeScan}},
	{ID: "contract", Label: "Contract", Meaning: "a written agreement between the entity and another party"},
	{ID: "document", Label: "Document", Meaning: "a document of no more specific kind (a diagram, a procedure, a record)"},
	{ID: "inventory", Label: "Inventory", Meaning: "a list of assets, data, scripts or accounts"},
	{ID: "incident-response-test", Label: "Incident response test", Meaning: "a record of a test or exercise of the incident response plan, with what was learned",
		Pass: []PassFact{completeReview}},
	{ID: "internal-vulnerability-scan", Label: "Internal vulnerability scan", Formats: hostScanFormats, Meaning: "a vulnerability scan of the entity's systems run from inside its networks, by the entity or for it",
		Pass: []PassFact{completeScan}},
	{ID: "log-review", Label: "Log review", Meaning: "a record that logs were reviewed, when and by whom, and what was followed up",
		Pass: []PassFact{completeReview}},
	{ID: "log-sample", Label: "Log sample", Meaning: "an extract of log records"},
	{ID: "network-scan", Label: "Network scan", Formats: []string{"nmap-xml"}, Meaning: "a port and service scan of hosts (nmap and the like)",
		Pass: []PassFact{completeScan}},
	{ID: "penetration-test-external", Label: "External penetration test", Meaning: "a report of a penetration test made from outside the entity's networks",
		Pass: []PassFact{{Says: "the report is of an external test, where it says", When: notFalse("pentest.external")}}},
	{ID: "penetration-test-internal", Label: "Internal penetration test", Meaning: "a report of a penetration test made from inside the entity's networks",
		Pass: []PassFact{{Says: "the report is of an internal test, where it says", When: notFalse("pentest.internal")}}},
	{ID: "policy", SameAs: "policy-document", Label: "Policy", Meaning: "the former name of policy-document"},
	{ID: "policy-document", Label: "Policy document", Meaning: "an approved policy or standard of the entity"},
	{ID: "posture-scan", Label: "Cloud posture scan", Formats: []string{"prowler-ocsf-json"}, Meaning: "a cloud configuration assessment (Prowler and the like) whose checks map to framework requirements",
		FailedControls: "posture.requirements_failed", PassedControls: "posture.requirements_passed", Pass: []PassFact{completeScan}},
	{ID: "responsibility-matrix", Label: "Responsibility matrix", Meaning: "a matrix of which party manages which requirement"},
	{ID: "restore-test", Label: "Restore test", Meaning: "a record of a test restoring data or systems from backup"},
	{ID: "sast-scan", Label: "Static analysis scan", Formats: []string{"sarif"}, Meaning: "a static analysis of source code or infrastructure code (SARIF from Semgrep, CodeQL, Checkov and the like)",
		Pass: []PassFact{completeScan}},
	{ID: "scan-result", Generic: true, Label: "Scan result (generic)", Meaning: "the output of some scan, of no stated kind; rules that name a specific scan kind do not accept it"},
	{ID: "screenshot", Label: "Screenshot", Meaning: "a screen capture"},
	{ID: "segmentation-test", Label: "Segmentation test", Meaning: "a report of a test that the segmentation controls isolate the CDE from out-of-scope networks",
		Pass: []PassFact{{Says: "the test found the segmentation effective (segmentation.effective true)", When: fact("segmentation.effective", "eq", true)}}},
	{ID: "soc-report", Label: "SOC report", Meaning: "a SOC 1 or SOC 2 report by a service auditor",
		Pass: []PassFact{{Says: "the service auditor's opinion is unqualified, where the report says", When: isWhereStated("soc.opinion", "unqualified")}}},
	{ID: "test-result", Generic: true, Label: "Test result (generic)", Meaning: "the result of some test, of no stated kind; rules that name a specific test kind do not accept it"},
	{ID: "ticket", Label: "Ticket", Meaning: "a change, incident or work record from a ticketing system"},
	// A TLS scan shows strong cryptography only if it also shows no weak
	// suite accepted and a valid, unexpired server certificate: a file
	// that reads TLS 1.2 but 3DES and a self-signed, expired certificate
	// does not pass for any rule that takes it.
	{ID: "tls-scan", Label: "TLS scan", Formats: []string{"testssl-json", "testssl-json-pretty", "sslyze-json"}, Meaning: "a scan of the SSL/TLS protocols, suites and certificate a server offers (testssl.sh, sslyze and the like)",
		Pass: []PassFact{
			{Says: "no weak suite (NULL, anonymous, EXPORT, DES, RC2, RC4, 3DES, IDEA) accepted, where the file says", When: isWhereStated("tls.weak_ciphers_offered", false)},
			{Says: "the server certificate had not expired, where the file says", When: isWhereStated("tls.cert_expired", false)},
			{Says: "the server certificate's chain validated, where the file says", When: notFalse("tls.cert_trusted")},
			completeScan,
		}},
	{ID: "training-record", Label: "Training record", Meaning: "a record of who completed which security awareness or role training, and when"},
})

func sortKinds(k []EvidenceKind) []EvidenceKind {
	slices.SortFunc(k, func(a, b EvidenceKind) int { return strings.Compare(a.ID, b.ID) })
	return k
}

// EvidenceKinds returns the vocabulary of evidence kinds, sorted by id,
// synonyms and generic kinds included.
func EvidenceKinds() []EvidenceKind { return slices.Clone(kinds) }

// EvidenceKindIDs returns the id of every kind a manifest may name.
func EvidenceKindIDs() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.ID
	}
	return out
}

// KindByID looks a kind up. A synonym resolves to the kind it stands for.
func KindByID(id string) (EvidenceKind, bool) {
	i, ok := slices.BinarySearchFunc(kinds, id, func(k EvidenceKind, id string) int { return strings.Compare(k.ID, id) })
	if !ok {
		return EvidenceKind{}, false
	}
	if k := kinds[i]; k.SameAs != "" {
		return KindByID(k.SameAs)
	}
	return kinds[i], true
}

// KnownKind reports whether a manifest or rule may name the kind.
func KnownKind(id string) bool {
	_, ok := slices.BinarySearchFunc(kinds, id, func(k EvidenceKind, id string) int { return strings.Compare(k.ID, id) })
	return ok
}

// canonicalKind is the kind id a synonym stands for, or id itself.
func canonicalKind(id string) string {
	if k, ok := KindByID(id); ok {
		return k.ID
	}
	return id
}

// AcceptsKind reports whether an evidence requirement naming the kinds
// accepts an item of kind item: the same kind or a synonym of it. A
// generic kind is accepted only where it is named, and never stands for a
// specific one.
func AcceptsKind(accepted []string, item string) bool {
	c := canonicalKind(item)
	return slices.ContainsFunc(accepted, func(k string) bool { return canonicalKind(k) == c })
}
