package facts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestsslRealFiles asserts facts checked by hand against each real
// file, each naming the trap it guards against.
func TestTestsslRealFiles(t *testing.T) {
	for _, c := range []struct {
		format, file, covered string
		wants                 []tlsWant
	}{
		{"testssl-json", "openkat__testssl-sh-ciphered.json", "134.209.85.72:443=134.209.85.72;", []tlsWant{
			// No protocol tests in the file: the accepted versions come
			// from the per-protocol cipher listings (cipher-tls1_2_*,
			// cipher-tls1_3_*), which list no refused version, so the file
			// shows neither a lowest version nor a complete list.
			{"134.209.85.72:443", "tls.protocols_offered", nil, ""},
			{"134.209.85.72:443", "tls.protocols_untested", []string{"SSLv2", "SSLv3", "1.0", "1.1"}, "/3"},
			{"134.209.85.72:443", "tls.min_version", nil, ""},
			{"134.209.85.72:443", "tls.max_version", "1.3", "/10"},
			{"134.209.85.72:443", "tls.weak_ciphers_offered", false, ""},
			// The flat layout has no start time: no date is made up.
			{"", "scan.date", nil, ""},
			{"", "scan.tool", "testssl.sh", ""},
			{"", "scan.complete", true, ""},
		}},
		{"testssl-json", "openkat__testssl-sh-cipherless.json", "", []tlsWant{
			// Port 80 is not a TLS server and the scan was interrupted: the
			// target is not covered and nothing about TLS is claimed.
			{"", "tls.protocols_offered", nil, ""},
			{"", "tls.min_version", nil, ""},
			{"", "scan.targets", []string{}, ""},
			{"", "scan.complete", false, ""},
			{"", "scan.errors", []string{"134.209.85.72:80 doesn't seem to be a TLS/SSL enabled server.", "134.209.85.72:80: Scan interrupted"}, "/0"},
		}},
		{"testssl-json-pretty", "bitsofinfo__www.google.com_testssl-3.0rc2.json", "www.google.com:443=172.217.6.68,172.217.6.68:443,www.google.com;", []tlsWant{
			// "not offered and downgraded to a weaker protocol" for TLS 1.3
			// must not read as offered.
			{"www.google.com:443", "tls.protocols_offered", []string{"1.0", "1.1", "1.2"}, "/scanResult/0/protocols"},
			{"www.google.com:443", "tls.min_version", "1.0", "/scanResult/0/protocols/2"},
			{"www.google.com:443", "tls.max_version", "1.2", "/scanResult/0/protocols/4"},
			// Two server certificates (<cert#1>, <cert#2>), both leaves.
			{"www.google.com:443", "tls.cert_not_after", "2019-01-22", ""},
			{"www.google.com:443", "tls.cert_trusted", true, ""},
			{"www.google.com:443", "tls.cert_expired", false, ""},
			// --fast ran no cipher-category test: "no weak suite" is not
			// a claim this file makes.
			{"www.google.com:443", "tls.weak_ciphers_offered", nil, ""},
			{"", "scan.tool", "testssl.sh 3.0rc2", "/version"},
			// startTime 1542138557 + scanTime 46.
			{"", "scan.date", "2018-11-13T19:50:03Z", "/scanTime"},
			{"", "scan.low_open", 3, ""},
		}},
		{"testssl-json-pretty", "sner__parser-auror_testssl-output.json", "testssl-target.localdomain:8443=127.0.0.1,127.0.0.1:8443,testssl-target.localdomain;", []tlsWant{
			{"testssl-target.localdomain:8443", "tls.protocols_offered", []string{"1.2", "1.3"}, ""},
			// Self-signed: the chain of trust failed.
			{"testssl-target.localdomain:8443", "tls.cert_trusted", false, "/scanResult/0/serverDefaults/22"},
			{"testssl-target.localdomain:8443", "tls.cert_not_after", "2027-02-21", ""},
			// cipherlist_OBSOLETED (CBC) is offered but is not weak.
			{"testssl-target.localdomain:8443", "tls.weak_ciphers_offered", false, "/scanResult/0/ciphers"},
			{"", "scan.critical_open", 2, ""},
			{"", "scan.high_open", 2, ""},
			{"", "scan.medium_open", 1, ""},
			{"", "scan.low_open", 12, ""},
			{"", "scan.findings_open", 17, ""},
			{"", "scan.complete", true, ""},
		}},
		{"testssl-json-pretty", "sner__parser-testssl-targethostname.json", "sner.flab.cesnet.cz:443=127.99.0.13,127.99.0.13:443,sner.flab.cesnet.cz;", []tlsWant{
			{"sner.flab.cesnet.cz:443", "tls.min_version", "1.2", ""},
			{"sner.flab.cesnet.cz:443", "tls.cert_trusted", true, ""},
			// The second scanResult element is a bare scanProblem (IPv6
			// connect failed): an error of the file, not a target.
			{"", "scan.errors", []string{"Couldn't connect to [2001:db8::225]:443, proceeding with next IP (if any)"}, "/scanResult/1"},
			{"", "scan.complete", false, ""},
			{"sner.flab.cesnet.cz:443", "scan.complete", true, ""},
		}},
		{"testssl-json-pretty", "testssl2xlsx__test-mass.json",
			"185.74.235.10:443=185.74.235.10;185.74.235.13:443=185.74.235.13;185.74.235.6:443=185.74.235.6;185.74.235.7:443=185.74.235.7;185.74.235.8:443=185.74.235.8;185.74.235.9:443=185.74.235.9;185.74.235.9:8443=185.74.235.9;",
			[]tlsWant{
				// testssl 2.9: "target host", lowercase ids, "SSLv2 offered,
				// vulnerable to DROWN" and "TLSv1.1 is not offered, and
				// downgraded" wordings.
				// Its TLS 1.2 test was inconclusive: no complete list,
				// no highest version, but SSLv2 is still the lowest.
				{"185.74.235.10:443", "tls.protocols_offered", nil, ""},
				{"185.74.235.10:443", "tls.protocols_untested", []string{"1.2"}, "/scanResult/5/protocols"},
				{"185.74.235.10:443", "tls.min_version", "SSLv2", "/scanResult/5/protocols/0"},
				{"185.74.235.6:443", "tls.protocols_offered", []string{"1.0"}, ""},
				{"185.74.235.9:8443", "tls.max_version", "1.2", ""},
				// rc4 VULNERABLE; sweet32 "uses 64 bit block ciphers".
				{"185.74.235.6:443", "tls.weak_ciphers_offered", true, ""},
				{"185.74.235.7:443", "tls.weak_ciphers_offered", true, ""},
				// A mass scan combines towards the weaker claim.
				{"", "tls.min_version", "SSLv2", ""},
				// One host's highest version is unknown, so the file's is.
				{"", "tls.max_version", nil, ""},
				// "TLSv1.2: server closed TCP connection" decides nothing.
				{"185.74.235.10:443", "scan.complete", false, ""},
				{"", "scan.date", "2017-12-22T18:26:01Z", "/startTime"},
				{"", "scan.critical_open", 5, ""},
				{"", "scan.high_open", 19, ""},
			}},
	} {
		r := readTLSFile(t, c.format, c.file)
		checkTLS(t, c.file, r, c.wants)
		if got := tlsCovered(r); got != c.covered {
			t.Errorf("%s: covered %q, want %q", c.file, got, c.covered)
		}
		tlsGolden(t, c.format, c.file, r)
	}
}

// TestTestsslEdges runs the hand-made edge cases.
func TestTestsslEdges(t *testing.T) {
	for _, c := range []struct {
		format, file string
		wants        []tlsWant
	}{
		{"testssl-json", "edge/empty.json", []tlsWant{
			{"", "scan.complete", false, ""},
			{"", "scan.errors", []string{"the file holds no scan result"}, ""},
			{"", "scan.targets", []string{}, ""},
			{"", "tls.protocols_offered", nil, ""},
		}},
		{"testssl-json", "edge/sslv3-and-tls13.json", []tlsWant{
			{"shop.example.test:443", "tls.protocols_offered", []string{"SSLv3", "1.3"}, "/0"},
			{"shop.example.test:443", "tls.min_version", "SSLv3", "/1"},
			{"shop.example.test:443", "tls.max_version", "1.3", "/5"},
			// 3DES is listed only as "not a/v" (--show-each).
			{"shop.example.test:443", "tls.weak_ciphers_offered", false, ""},
			// Two leaves; the intermediate's earlier expiry is not read.
			{"shop.example.test:443", "tls.cert_not_after", "2026-11-30", "/10"},
			{"shop.example.test:443", "tls.cert_expired", false, ""},
			// One of two server certificates fails: not trusted.
			{"shop.example.test:443", "tls.cert_trusted", false, "/15"},
			{"", "scan.complete", true, ""},
		}},
		{"testssl-json", "edge/problem-only.json", []tlsWant{
			{"", "scan.targets", []string{}, ""},
			{"", "scan.complete", false, ""},
			{"", "scan.errors", []string{"gone.example.test:443: Can't connect to 192.0.2.99:443. Make sure a firewall is not between you and your scanning target!"}, "/0"},
			{"", "scan.critical_open", nil, ""},
		}},
		{"testssl-json-pretty", "edge/empty-scanresult.json", []tlsWant{
			{"", "scan.complete", false, ""},
			{"", "scan.errors", []string{"Scan interrupted"}, "/scanTime"},
			{"", "scan.targets", []string{}, ""},
			{"", "scan.tool", "testssl.sh 3.2.1", ""},
			{"", "scan.date", "2026-01-01T00:00:00Z", "/startTime"},
		}},
		{"testssl-json-pretty", "edge/scanproblem-only.json", []tlsWant{
			{"", "scan.complete", false, ""},
			{"", "scan.errors", []string{"No IPv4/IPv6 address(es) for 'gone.example.test' available"}, "/scanResult/0"},
			{"", "scan.targets", []string{}, ""},
			{"", "tls.min_version", nil, ""},
		}},
		{"testssl-json-pretty", "edge/intermediate-earlier.json", []tlsWant{
			{"shop.example.test:443", "tls.protocols_offered", []string{"SSLv3", "1.0", "1.2", "1.3"}, ""},
			{"shop.example.test:443", "tls.min_version", "SSLv3", "/scanResult/0/protocols/1"},
			{"shop.example.test:443", "tls.weak_ciphers_offered", true, "/scanResult/0/ciphers/4"},
			{"shop.example.test:443", "tls.cert_not_after", "2025-12-01", "/scanResult/0/serverDefaults/2"},
			// No expiration status in the file: judged against the scan's
			// own time (2026-01-01).
			{"shop.example.test:443", "tls.cert_expired", true, "/scanResult/0/serverDefaults/2"},
		}},
	} {
		r := readTLSFile(t, c.format, c.file)
		checkTLS(t, c.file, r, c.wants)
	}
}

// TestTestsslBroken: a file that cannot be read is an *Error naming the
// place reached and the byte offset.
func TestTestsslBroken(t *testing.T) {
	for _, c := range []struct{ format, file, at, msg string }{
		{"testssl-json", "edge/truncated.json", "/2", "unexpected EOF"},
		{"testssl-json", "edge/wrong-type.json", "/0", `"port" is a JSON number, want a string`},
		{"testssl-json-pretty", "edge/truncated.json", "/scanResult/0/protocols/1", "unexpected EOF"},
		{"testssl-json-pretty", "edge/section-not-array.json", "/scanResult/0/protocols/0", `"finding" is a JSON array, want a string`},
	} {
		f, err := os.Open(filepath.Join(tlsCorpus(c.format), c.file))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(c.format, f)
		f.Close()
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want *Error", c.file, err)
			continue
		}
		if fe.At != c.at || fe.Offset <= 0 || fe.Format != c.format || !strings.Contains(fe.Error(), c.msg) {
			t.Errorf("%s: %q (at %q, offset %d), want at %q containing %q", c.file, fe.Error(), fe.At, fe.Offset, c.at, c.msg)
		}
	}
}
