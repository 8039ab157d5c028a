package facts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSslyzeRealFiles asserts facts checked by hand against each real
// file, each naming the trap it guards against.
func TestSslyzeRealFiles(t *testing.T) {
	for _, c := range []struct {
		file, covered string
		wants         []tlsWant
	}{
		{"sslyze__sslyze_output.json", "www.facebook.com:443=157.240.22.35,157.240.22.35:443,www.facebook.com;www.google.com:443=216.58.194.164,216.58.194.164:443,www.google.com;", []tlsWant{
			// localhost:1234 could not be reached: not covered, an error.
			{"localhost:1234", "tls.protocols_offered", nil, ""},
			{"", "scan.errors", []string{`ERROR_NO_CONNECTIVITY: sslyze.errors.ServerRejectedConnection: localhost:1234 -> "Server rejected the connection".`}, "/server_scan_results/0"},
			{"", "scan.complete", false, ""},
			{"www.facebook.com:443", "scan.complete", true, ""},
			{"www.facebook.com:443", "tls.protocols_offered", []string{"1.0", "1.1", "1.2", "1.3"}, ""},
			{"www.facebook.com:443", "tls.min_version", "1.0", "/server_scan_results/1/scan_result/tls_1_0_cipher_suites"},
			// TLS_RSA_WITH_3DES_EDE_CBC_SHA is accepted under TLS 1.0.
			{"www.facebook.com:443", "tls.weak_ciphers_offered", true, "/server_scan_results/1/scan_result/tls_1_0_cipher_suites/result/accepted_cipher_suites/2"},
			// The leaf (2021-10-13), not the intermediate (2028-10-22).
			{"www.facebook.com:443", "tls.cert_not_after", "2021-10-13", "/server_scan_results/1/scan_result/certificate_info/result/certificate_deployments/0/received_certificate_chain/0/not_valid_after"},
			// Two deployments: the earlier leaf is the second.
			{"www.google.com:443", "tls.cert_not_after", "2021-11-20", "/server_scan_results/2/scan_result/certificate_info/result/certificate_deployments/1/received_certificate_chain/0/not_valid_after"},
			{"www.google.com:443", "tls.cert_trusted", true, ""},
			{"www.google.com:443", "tls.cert_expired", false, ""},
			// sslyze 5 writes times without a zone: UTC.
			{"", "scan.date", "2021-10-03T18:26:01Z", "/date_scans_completed"},
			{"", "scan.tool", "sslyze 5.0.0b0", "/sslyze_version"},
		}},
		{"scb__tls-v1-0.badssl.com_1010.json", "tls-v1-0.badssl.com:1010=104.154.89.105,104.154.89.105:1010,tls-v1-0.badssl.com;", []tlsWant{
			{"tls-v1-0.badssl.com:1010", "tls.protocols_offered", []string{"1.0"}, ""},
			{"tls-v1-0.badssl.com:1010", "tls.max_version", "1.0", ""},
			// RC4, NULL and 3DES appear only among the rejected suites.
			{"tls-v1-0.badssl.com:1010", "tls.weak_ciphers_offered", false, ""},
			{"tls-v1-0.badssl.com:1010", "tls.cert_not_after", "2025-12-15", ""},
			{"tls-v1-0.badssl.com:1010", "tls.cert_expired", false, ""},
			{"", "scan.complete", true, ""},
			{"", "scan.date", "2025-11-05T12:16:23Z", ""},
		}},
		{"scb__expired.badssl.com.json", "expired.badssl.com:443=104.154.89.105,104.154.89.105:443,expired.badssl.com;", []tlsWant{
			// Expired in 2015, scanned in 2025; the intermediates expire
			// later (2029, 2020) and are not read.
			{"expired.badssl.com:443", "tls.cert_not_after", "2015-04-12", ""},
			{"expired.badssl.com:443", "tls.cert_expired", true, ""},
			{"expired.badssl.com:443", "tls.cert_trusted", false, ""},
			{"expired.badssl.com:443", "tls.protocols_offered", []string{"1.0", "1.1", "1.2"}, ""},
		}},
		{"scb__unavailable-host.json", "", []tlsWant{
			{"", "scan.targets", []string{}, ""},
			{"", "scan.complete", false, ""},
			{"", "tls.protocols_offered", nil, ""},
			{"", "scan.errors", []string{`ERROR_NO_CONNECTIVITY: sslyze.errors.ConnectionToServerTimedOut: 192.168.0.107:443 -> "Connection to the server timed out".`}, ""},
		}},
	} {
		r := readTLSFile(t, "sslyze-json", c.file)
		checkTLS(t, c.file, r, c.wants)
		if got := tlsCovered(r); got != c.covered {
			t.Errorf("%s: covered %q, want %q", c.file, got, c.covered)
		}
		tlsGolden(t, "sslyze-json", c.file, r)
	}
}

func TestSslyzeEdges(t *testing.T) {
	for _, c := range []struct {
		file  string
		wants []tlsWant
	}{
		{"edge/all-error.json", []tlsWant{
			{"", "scan.targets", []string{}, ""},
			{"", "scan.complete", false, ""},
			{"", "scan.errors", []string{
				`ERROR_NO_CONNECTIVITY: sslyze.errors.ConnectionToServerTimedOut: a.example.test:443 -> "Connection to the server timed out".`,
				"b.example.test:8443: ERROR_NO_CONNECTIVITY",
				"bad host:99999: Invalid port",
			}, ""},
			{"", "tls.min_version", nil, ""},
			{"", "scan.date", "2026-01-10T09:00:05Z", ""},
		}},
		{"edge/old-layout.json", []tlsWant{
			// sslyze 4 nests its results differently: never a clean scan.
			{"", "scan.targets", []string{}, ""},
			{"", "scan.complete", false, ""},
			{"", "tls.protocols_offered", nil, ""},
		}},
		{"edge/traps.json", []tlsWant{
			// SSLv3 with TLS 1.3: the lowest is SSLv3. The TLS 1.1 test
			// failed, so the accepted versions are no complete list.
			{"shop.example.test:443", "tls.protocols_offered", nil, ""},
			{"shop.example.test:443", "tls.protocols_untested", []string{"1.1"}, ""},
			{"shop.example.test:443", "tls.min_version", "SSLv3", "/server_scan_results/0/scan_result/ssl_3_0_cipher_suites"},
			{"shop.example.test:443", "tls.max_version", "1.3", ""},
			// Weak suites (RC4, 3DES, NULL, anon, EXPORT) only rejected.
			{"shop.example.test:443", "tls.weak_ciphers_offered", false, ""},
			// The intermediate expires first (2025-12-31, before the scan);
			// the leaf (2026-09-01) is what counts.
			{"shop.example.test:443", "tls.cert_not_after", "2026-09-01", ""},
			{"shop.example.test:443", "tls.cert_expired", false, ""},
			// Java's trust store failed: not trusted by every store.
			{"shop.example.test:443", "tls.cert_trusted", false, "/server_scan_results/0/scan_result/certificate_info/result/certificate_deployments/0/path_validation_results/1"},
			// The TLS 1.1 test failed: the scan is not complete.
			{"shop.example.test:443", "scan.errors", []string{"tls_1_1_cipher_suites: BUG_IN_SSLYZE"}, ""},
			{"", "scan.complete", false, ""},
		}},
	} {
		r := readTLSFile(t, "sslyze-json", c.file)
		checkTLS(t, c.file, r, c.wants)
	}
}

func TestSslyzeBroken(t *testing.T) {
	for _, c := range []struct{ file, at, msg string }{
		{"edge/truncated.json", "/server_scan_results/0/scan_result/certificate_info/result/certificate_deployments/0/received_certificate_chain/0", "unexpected EOF"},
		{"edge/wrong-type.json", "/server_scan_results/0/server_location", `"port" is a JSON string, want an integer`},
	} {
		f, err := os.Open(filepath.Join(tlsCorpus("sslyze-json"), c.file))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse("sslyze-json", f)
		f.Close()
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want *Error", c.file, err)
			continue
		}
		if fe.At != c.at || fe.Offset <= 0 || !strings.Contains(fe.Error(), c.msg) {
			t.Errorf("%s: %q (at %q, offset %d), want at %q containing %q", c.file, fe.Error(), fe.At, fe.Offset, c.at, c.msg)
		}
	}
}
