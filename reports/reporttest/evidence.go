package reporttest

import (
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// ReadItem is the demo item [WithReadFacts] gives read facts to.
const ReadItem = "EV-TLS-EDGE"

// WithReadFacts gives the demo's edge TLS scan what evidence verification
// records for a file it read: the format, the facts with their places
// (enough of them, with long enough values, that a renderer must wrap
// them), a stated fact no file gave, a disagreement and the hosts covered.
// It changes r and returns it.
func WithReadFacts(r *audit.Results) *audit.Results {
	i := slices.IndexFunc(r.Evidence.Items, func(it audit.EvidenceItem) bool { return it.ID == ReadItem })
	it := &r.Evidence.Items[i]
	path := it.Files[0].Path
	it.Reads = []evidence.FileRead{{Path: path, Read: &facts.Read{Format: "testssl-json-pretty", Tool: "testssl.sh 3.2rc3"}}}
	var ciphers []string
	for n := range 24 {
		ciphers = append(ciphers, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_"+strings.Repeat("X", n%5))
	}
	it.Facts = []evidence.ItemFact{
		{Name: "scan.date", Value: "2026-11-01T09:12:44Z", Source: evidence.SourceRead, File: path, At: "/scanResult/0/scanTime"},
		{Name: "scan.targets", Value: []string{"api.acmepay.example:443", "api-2.acmepay.example:443"}, Source: evidence.SourceRead, File: path, At: "/scanResult"},
		{Name: "tls.cert_trusted", Value: true, Source: evidence.SourceStated},
		{Name: "tls.min_version", Value: "1.0", Source: evidence.SourceRead, File: path, At: "/scanResult/0/protocols/2", Stated: "1.2"},
		{Name: "tls.suites_offered", Value: ciphers, Source: evidence.SourceRead, File: path, At: "/scanResult/0/ciphers", Target: "api.acmepay.example:443"},
	}
	it.Targets = []string{"api-2.acmepay.example:443", "api.acmepay.example:443"}
	p := evidence.Problem{Type: evidence.FactsDisagree, Item: ReadItem, File: path,
		Message: `tls.min_version: the manifest states "1.2", the file says "1.0" (at /scanResult/0/protocols/2)`}
	it.Problems = append(it.Problems, p)
	return r
}
