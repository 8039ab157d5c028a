package signature

import (
	"encoding/pem"
	"strings"
	"testing"
)

func TestParseChainPEM(t *testing.T) {
	ca := NewTestCA(t, AlgECDSAP256)
	good := EncodeCertificatesPEM(ca.Root())
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("k")})
	bad := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})
	if certs, err := ParseChainPEM(append([]byte("subject=CN=x\n"), good...)); err != nil || len(certs) != 1 {
		t.Fatalf("a chain of one certificate: %d, %v", len(certs), err)
	}
	for name, data := range map[string][]byte{
		"empty": nil, "text": []byte("chain: x\n"), "garbage block": bad,
		"key": key, "certificate then key": append(append([]byte{}, good...), key...),
	} {
		if _, err := ParseChainPEM(data); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "chain: x") {
			t.Errorf("%s: the error quotes the file: %v", name, err)
		}
	}
}

// FuzzParseChainPEM checks that whatever a chain file holds, it either
// parses to at least one certificate or fails without panicking.
func FuzzParseChainPEM(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("plain text"))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := ParseChainPEM(data)
		if err == nil && len(certs) == 0 {
			t.Fatal("no error and no certificate")
		}
	})
}
