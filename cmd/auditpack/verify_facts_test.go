package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// tlsReadIndex is a bundle of one TLS scan whose file was read and
// disagrees with the manifest, as evidence verification records it.
func tlsReadIndex(extra ...evidence.Problem) *evidence.Index {
	st := &evidence.ItemStatus{
		Item:  evidence.Item{ID: "EV-TLS", Kind: "tls-scan", CollectedAt: "2026-11-01"},
		Files: []evidence.FileStatus{{Path: "tls/scan.json", OK: true}},
		Problems: append([]evidence.Problem{{Type: evidence.FactsDisagree, Item: "EV-TLS", File: "tls/scan.json",
			Message: `tls.min_version: stated "1.2", read "1.0"`}}, extra...),
		Reads: []evidence.FileRead{{Path: "tls/scan.json", Read: &facts.Read{Format: "testssl-json-pretty", Tool: "testssl.sh 3.2"}}},
		Facts: []evidence.ItemFact{
			{Name: "tls.cert_trusted", Value: true, Source: evidence.SourceStated},
			{Name: "tls.min_version", Value: "1.0", Source: evidence.SourceRead, File: "tls/scan.json", At: "/scanResult/0/protocols/2", Stated: "1.2"},
			{Name: "tls.protocols_offered", Value: []string{"1.0", "1.2"}, Source: evidence.SourceRead, File: "tls/scan.json", At: "/scanResult/0/protocols", Target: "pay.example:443"},
		},
		Targets: []string{"pay.example:443"},
	}
	return &evidence.Index{Manifest: &evidence.Manifest{}, Items: []*evidence.ItemStatus{st}, Problems: st.Problems}
}

// TestEvidenceVerifyShowsReadAndStated holds evidence verify to saying,
// per item, which facts were read from which file and place and which were
// only stated; a disagreement is listed but fails nothing, while a file of
// a known format that does not parse is an integrity failure.
func TestEvidenceVerifyShowsReadAndStated(t *testing.T) {
	var out bytes.Buffer
	env := &environment{stdout: &out, stderr: &out}
	if err := env.reportEvidence(tlsReadIndex()); err != nil {
		t.Fatalf("a disagreement alone fails the bundle: %v (exit %d)", err, exitCode(err))
	}
	for _, want := range []string{
		"EV-TLS                         tls-scan       ok ",
		"    tls/scan.json: testssl-json-pretty (testssl.sh 3.2)\n",
		"    covers: pay.example:443\n",
		`    read   tls.min_version = "1.0"  (tls/scan.json at /scanResult/0/protocols/2; stated "1.2")` + "\n",
		`    read   tls.protocols_offered [pay.example:443] = ["1.0", "1.2"]  (tls/scan.json at /scanResult/0/protocols)` + "\n",
		"    stated tls.cert_trusted = true  (stated, not read)\n",
		"  facts-disagree   EV-TLS tls/scan.json: tls.min_version: stated",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	err := env.reportEvidence(tlsReadIndex(evidence.Problem{Type: evidence.FactsUnreadable, Item: "EV-TLS", File: "tls/scan.json", Message: "testssl-json-pretty: line 9: unexpected EOF"}))
	if exitCode(err) != exitIntegrity || !strings.Contains(out.String(), "tls-scan       facts-unreadable") {
		t.Errorf("an unreadable file of a known format: exit %d\n%s", exitCode(err), out.String())
	}
}
