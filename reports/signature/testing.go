package signature

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"
)

// Fixed times for test certificates and signatures, so that tests in every
// package are reproducible and never depend on the clock.
var (
	TestNotBefore   = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	TestNotAfter    = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	TestSigningTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
)

// TestCA is a throwaway certificate authority for tests of this and other
// packages (the package builder, `auditpack verify`), so that none of them
// needs key files in testdata. It is a root, or an intermediate made by
// [TestCA.Intermediate].
type TestCA struct {
	Key  crypto.Signer
	Cert *x509.Certificate
	// Chain holds the certificates between Cert and the root, Cert first,
	// the root excluded: what a signer must embed.
	Chain []*x509.Certificate
	root  *x509.Certificate
}

// NewTestCA creates a root CA with a key of algorithm alg (see
// [GenerateKey]) or fails the test.
func NewTestCA(tb testing.TB, alg string) *TestCA {
	tb.Helper()
	key := testKey(tb, alg)
	tmpl := caTemplate(tb, "auditpack test root CA")
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatalf("create test root CA: %v", err)
	}
	cert := testParse(tb, der)
	return &TestCA{Key: key, Cert: cert, root: cert}
}

// Intermediate issues a subordinate CA, to test chains of more than one
// certificate.
func (ca *TestCA) Intermediate(tb testing.TB, alg, name string) *TestCA {
	tb.Helper()
	key := testKey(tb, alg)
	der, err := x509.CreateCertificate(rand.Reader, caTemplate(tb, name), ca.Cert, key.Public(), ca.Key)
	if err != nil {
		tb.Fatalf("create test intermediate CA: %v", err)
	}
	cert := testParse(tb, der)
	return &TestCA{Key: key, Cert: cert, Chain: append([]*x509.Certificate{cert}, ca.Chain...), root: ca.root}
}

// Issue creates a signing key of algorithm alg and a certificate for it
// named commonName, and returns the [Signer] with its chain.
func (ca *TestCA) Issue(tb testing.TB, alg, commonName string) *Signer {
	tb.Helper()
	key := testKey(tb, alg)
	tmpl, err := leafTemplate(key.Public(), pkix.Name{CommonName: commonName, Organization: []string{"auditpack tests"}},
		TestNotBefore, TestNotAfter, rand.Reader)
	if err != nil {
		tb.Fatalf("leaf template: %v", err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		tb.Fatalf("issue test certificate: %v", err)
	}
	s, err := NewSigner(key, testParse(tb, der), ca.Chain)
	if err != nil {
		tb.Fatalf("test signer: %v", err)
	}
	return s
}

// Root returns the self-signed root at the top of the chain.
func (ca *TestCA) Root() *x509.Certificate { return ca.root }

// Pool returns a pool holding only the root, the trust anchor for verifiers.
func (ca *TestCA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.root)
	return p
}

func caTemplate(tb testing.TB, name string) *x509.Certificate {
	tb.Helper()
	serial, err := randomSerial(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"auditpack tests"}},
		NotBefore:             TestNotBefore,
		NotAfter:              TestNotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
}

func testKey(tb testing.TB, alg string) crypto.Signer {
	tb.Helper()
	key, err := GenerateKey(alg, rand.Reader)
	if err != nil {
		tb.Fatalf("generate %s key: %v", alg, err)
	}
	return key
}

func testParse(tb testing.TB, der []byte) *x509.Certificate {
	tb.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("parse test certificate: %v", err)
	}
	return c
}
