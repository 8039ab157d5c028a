package audit

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// readTLSItem is an item whose one file was read as a TLS scan that
// disagrees with what the manifest states.
func readTLSItem() *evidence.ItemStatus {
	return &evidence.ItemStatus{
		Item: evidence.Item{ID: "EV-TLS", Title: "TLS scan", Kind: "tls-scan", CollectedAt: "2026-11-01",
			Supports: []evidence.Support{{Mitigation: "m-tls"}}},
		Files: []evidence.FileStatus{{Path: "tls/scan.json", SHA256: strings.Repeat("ab", 32), OK: true}},
		Problems: []evidence.Problem{{Type: evidence.FactsDisagree, Item: "EV-TLS", File: "tls/scan.json",
			Message: `tls.min_version: stated "1.2", read "1.0" at /scanResult/0/protocols/2`}},
		Reads: []evidence.FileRead{{Path: "tls/scan.json", Read: &facts.Read{Format: "testssl-json-pretty", Tool: "testssl.sh 3.2",
			Facts:   []facts.Fact{{Name: "tls.min_version", Value: "1.0", At: "/scanResult/0/protocols/2"}},
			Covered: []facts.Target{{Name: "pay.example:443", Aliases: []string{"10.0.0.5"}}}}}},
		Facts: []evidence.ItemFact{
			{Name: "tls.cert_trusted", Value: true, Source: evidence.SourceStated},
			{Name: "tls.min_version", Value: "1.0", Source: evidence.SourceRead, File: "tls/scan.json", At: "/scanResult/0/protocols/2", Stated: "1.2"},
		},
		Targets: []string{"pay.example:443"},
	}
}

// TestEvidenceInfoCarriesWhatFilesSay holds results.json to carrying, per
// item, what its files say and where each fact came from: a disagreement
// is a problem shown, not one that disqualifies.
func TestEvidenceInfoCarriesWhatFilesSay(t *testing.T) {
	st := readTLSItem()
	x := &evidence.Index{Manifest: &evidence.Manifest{File: "manifest.yaml"}, Items: []*evidence.ItemStatus{st}, Problems: st.Problems}
	info := evidenceInfo(x, nil)
	it := info.Items[0]
	if it.Status != "ok" {
		t.Errorf("a facts disagreement leaves the item counting: status %q", it.Status)
	}
	if len(it.Reads) != 1 || it.Reads[0].Read.Format != "testssl-json-pretty" || len(it.Facts) != 2 || it.Facts[1].Source != "read" || len(it.Targets) != 1 {
		t.Fatalf("item facts not carried: %+v", it)
	}
	r := &Results{Evidence: info}
	data, err := json.Marshal(r.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	var back EvidenceInfo
	if err := json.Unmarshal(data, &back); err != nil || back.Items[0].Facts[0].Source != "stated" || back.Items[0].Facts[1].At != "/scanResult/0/protocols/2" {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	// The section validates against the published schema's definition.
	var doc any
	if err := json.Unmarshal([]byte(`{"evidence": `+string(data)+`}`), &doc); err != nil {
		t.Fatal(err)
	}
	if err := schemadoc.MustCompile("results.schema.json", evidenceSchema(t)).Validate(doc); err != nil {
		t.Fatalf("results.json with read facts does not validate: %v", err)
	}
}

// TestEvidenceInfoReadsNeverNull gives a read without facts the same shape
// as any other, and never changes the index it was given.
func TestEvidenceInfoReadsNeverNull(t *testing.T) {
	st := readTLSItem()
	st.Reads[0].Read.Facts = nil
	x := &evidence.Index{Manifest: &evidence.Manifest{File: "manifest.yaml"}, Items: []*evidence.ItemStatus{st}}
	it := evidenceInfo(x, nil).Items[0]
	if it.Reads[0].Read.Facts == nil {
		t.Error("facts of a read are null")
	}
	if st.Reads[0].Read.Facts != nil {
		t.Error("the index was changed")
	}
	bare := evidenceInfo(&evidence.Index{Manifest: &evidence.Manifest{}, Items: []*evidence.ItemStatus{{Item: evidence.Item{ID: "A"}}}}, nil).Items[0]
	if bare.Reads == nil || bare.Facts == nil || bare.Targets == nil {
		t.Errorf("an item nothing was read from has empty lists, not null: %+v", bare)
	}
}

// evidenceSchema is the published results schema cut down to its
// evidence member, so that a hand-built section validates on its own.
func evidenceSchema(t *testing.T) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(mustRead(t, "resultsfile/schema_v2.json"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["properties"] = map[string]any{"evidence": doc["properties"].(map[string]any)["evidence"]}
	doc["required"] = []any{"evidence"}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
