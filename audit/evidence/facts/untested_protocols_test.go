package facts

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A lowest TLS version is a claim about every older version: that each was
// tried and refused. A file that never tried them cannot give it. The
// testssl.sh case is a hand-made file with only the TLS1_2 and TLS1_3
// entries; the sslyze case is a real sslyze output of a server that
// accepts TLS 1.0 and 1.1, with the old protocols' scan commands turned
// into NOT_SCHEDULED, as a run with --tlsv1_2 --tlsv1_3 --certinfo writes.
func TestLowestVersionNeedsTheOlderOnesTried(t *testing.T) {
	testssl := `[
  {"id": "service", "ip": "acq.example.net/203.0.113.10", "port": "443", "severity": "INFO", "finding": "HTTP"},
  {"id": "TLS1_2", "ip": "acq.example.net/203.0.113.10", "port": "443", "severity": "OK", "finding": "offered"},
  {"id": "TLS1_3", "ip": "acq.example.net/203.0.113.10", "port": "443", "severity": "OK", "finding": "offered with final"}
]`
	raw, err := os.ReadFile("../../../testdata/evidence/sslyze-json/scb__expired.badssl.com.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	sr := doc["server_scan_results"].([]any)[0].(map[string]any)["scan_result"].(map[string]any)
	for _, c := range []string{"ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites", "tls_1_0_cipher_suites", "tls_1_1_cipher_suites"} {
		sr[c] = map[string]any{"status": "NOT_SCHEDULED", "error_reason": nil, "error_trace": nil, "result": nil}
	}
	sslyze, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string][]byte{"testssl": []byte(testssl), "sslyze": sslyze} {
		read, err := ReadAll(bytes.NewReader(file))
		if err != nil || read == nil {
			t.Fatalf("%s: %v", name, err)
		}
		if f, ok := read.Fact("tls.min_version"); ok {
			t.Errorf("%s: tls.min_version %v read at %s, though SSLv2, SSLv3, TLS 1.0 and 1.1 were never tried", name, f.Value, f.At)
		}
		if f, ok := read.Fact("tls.protocols_offered"); ok {
			vs, _ := f.Value.([]string)
			if !strings.Contains(strings.Join(vs, ","), "1.0") {
				t.Logf("%s: tls.protocols_offered %v stands as the full list", name, vs)
			}
		}
	}
}
