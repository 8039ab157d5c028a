package facts

import (
	"cmp"
	"slices"
)

// Type is a fact's value type. Values are held as Go values of one shape
// per type, so that rules compare them without guessing.
type Type string

// Fact types and the Go values that hold them.
const (
	String   Type = "string"   // string
	Date     Type = "date"     // string, YYYY-MM-DD or RFC 3339 UTC
	Bool     Type = "bool"     // bool
	Int      Type = "int"      // int
	Ints     Type = "ints"     // []int, sorted, each once
	List     Type = "list"     // []string, sorted, each once
	Version  Type = "version"  // string: "SSLv2", "SSLv3", "1.0" … "1.3"
	Versions Type = "versions" // []string of versions, lowest first
)

// Combine says how a fact about several targets becomes one about the
// whole file: always towards the weaker claim, so that a file of ten hosts
// where one fails does not read as passing.
type Combine string

// The ways facts of several targets combine.
const (
	Union    Combine = "union"   // lists and versions: every value of any target
	Lowest   Combine = "lowest"  // versions, dates, ints: the lowest
	Highest  Combine = "highest" // the highest
	AnyTrue  Combine = "any"     // bool: true when any target's is true
	AllTrue  Combine = "all"     // bool: true only when every target's is true
	Sum      Combine = "sum"     // ints: the sum
	FileOnly Combine = "file"    // stated about the whole file only
)

// Def defines a fact of the vocabulary.
type Def struct {
	Name    string
	Type    Type
	Combine Combine
	Meaning string
}

// Vocabulary is every fact a file may yield, sorted by name. It is the
// source of docs/evidence-facts.md, which a test keeps in step with it.
var Vocabulary = sortedDefs([]Def{
	{"posture.requirements_failed", List, FileOnly, "framework requirements (control references) the tool's own compliance mapping links to a check with an open failure"},
	{"posture.requirements_passed", List, FileOnly, "framework requirements whose mapped checks ran, passed, and had no failure, open or muted"},
	{"scan.tool", String, FileOnly, "the tool that wrote the file, with its version where the file gives it"},
	{"scan.date", Date, FileOnly, "when the scan ran (its finish time where the file gives one), read from the file"},
	{"scan.targets", List, Union, "the hosts, images or resources the scan covered"},
	{"tls.protocols_offered", Versions, Union, "every SSL/TLS version the server accepted"},
	{"tls.min_version", Version, Lowest, "the lowest SSL/TLS version accepted"},
	{"tls.max_version", Version, Highest, "the highest SSL/TLS version accepted"},
	{"tls.protocols_untested", Versions, Union, "SSL/TLS versions the tool never tested, or tested without a conclusion; while any is, the target has no tls.protocols_offered, and a tls.min_version (tls.max_version) only where every older (newer) version was tested"},
	{"tls.weak_ciphers_offered", Bool, AnyTrue, "a NULL, anonymous, EXPORT, DES, RC2, RC4, 3DES or IDEA suite was accepted (rejected suites do not count)"},
	{"tls.cert_not_after", Date, Lowest, "the expiry of the server certificate (the leaf, not an intermediate)"},
	{"tls.cert_expired", Bool, AnyTrue, "the server certificate had expired when the scan ran"},
	{"tls.cert_trusted", Bool, AllTrue, "the server certificate's chain validated against the tool's trust store"},
	{"network.hosts_up", Int, Sum, "hosts the scan found up"},
	{"network.open_ports", Ints, Union, "open ports"},
	{"network.open_services", List, Union, "services on open ports, as the tool names them"},
	{"network.insecure_services", List, Union, "open clear-text services (telnet, ftp, plain http; a service tunnelled over TLS is not clear text)"},
	{"scan.findings_open", Int, Sum, "open findings: not suppressed, muted, ignored or skipped by the tool itself"},
	{"scan.critical_open", Int, Sum, "open findings the tool rates critical"},
	{"scan.high_open", Int, Sum, "open findings the tool rates high"},
	{"scan.medium_open", Int, Sum, "open findings the tool rates medium"},
	{"scan.low_open", Int, Sum, "open findings the tool rates low"},
	{"scan.vulnerability_ids", List, Union, "CVE and GHSA ids of open findings"},
	{"scan.failed_checks", List, Union, "check or rule ids with an open failure"},
	{"scan.failed_resources", List, Union, "resource ids with an open failure"},
	{"scan.errors", List, Union, "errors the tool reported for the scan (a target it could not reach, a check it could not run)"},
	{"scan.complete", Bool, AllTrue, "the tool finished the scan of every target without an error"},
	// Facts a report states about itself, stated in the manifest or read
	// where a format gives them; the pass facts of evidence kinds use them.
	{"scan.pass", Bool, AllTrue, "the scan passed by its own criteria (an ASV scan: the vendor's pass, no vulnerability of CVSS 4.0 or more left open)"},
	{"segmentation.effective", Bool, AllTrue, "the segmentation test found every out-of-scope network isolated from the CDE"},
	{"pentest.internal", Bool, FileOnly, "the penetration test was made from inside the entity's networks"},
	{"pentest.external", Bool, FileOnly, "the penetration test was made from outside the entity's networks"},
	{"pentest.exploitable_open", Int, Sum, "exploitable vulnerabilities the penetration test found that are not yet corrected and retested"},
	{"tpsp.compliance_status", String, FileOnly, "the compliance status an attestation of compliance reports: compliant, non-compliant or compliant-with-legal-exception"},
	{"review.complete", Bool, AllTrue, "the review or test covered all it was meant to: every account, every network security control, the whole plan"},
	{"soc.opinion", String, FileOnly, "the service auditor's opinion in a SOC report: unqualified, qualified, adverse or disclaimer"},
})

func sortedDefs(d []Def) []Def {
	slices.SortFunc(d, func(a, b Def) int { return cmp.Compare(a.Name, b.Name) })
	return d
}

// Lookup returns the definition of a fact.
func Lookup(name string) (Def, bool) {
	i, ok := slices.BinarySearchFunc(Vocabulary, name, func(d Def, n string) int { return cmp.Compare(d.Name, n) })
	if !ok {
		return Def{}, false
	}
	return Vocabulary[i], true
}

// untestedBy names, for a fact a file may leave out because the tool did
// not test what it is about, the fact that says so: a scan that did not
// try the older protocol versions states no lowest version, and lists
// them in tls.protocols_untested.
var untestedBy = map[string]string{
	"tls.min_version":       "tls.protocols_untested",
	"tls.max_version":       "tls.protocols_untested",
	"tls.protocols_offered": "tls.protocols_untested",
}

// UntestedBy returns the fact whose non-empty value says a file did not
// test what the named fact is about, or "".
func UntestedBy(name string) string { return untestedBy[name] }
