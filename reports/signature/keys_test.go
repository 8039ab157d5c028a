package signature

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

func TestParsePrivateKeyPEMEncodings(t *testing.T) {
	ec := testSigners(t)[0].s.Key.(*ecdsa.PrivateKey)
	rk := testSigners(t)[1].s.Key.(*rsa.PrivateKey)
	pkcs8EC, err := EncodePrivateKeyPEM(ec)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pem  []byte
		want crypto.PublicKey
	}{
		{"pkcs8 ec", pkcs8EC, ec.Public()},
		{"sec1 ec with params block first", append([]byte("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"),
			pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})...), ec.Public()},
		{"pkcs1 rsa", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}), rk.Public()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParsePrivateKeyPEM(tt.pem)
			if err != nil {
				t.Fatal(err)
			}
			if !publicKeyEqual(k.Public(), tt.want) {
				t.Fatal("parsed a different key")
			}
		})
	}
}

func TestUnsupportedKeysRefused(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	for name, key := range map[string]any{"p384": p384, "rsa1024": rsa1024, "ed25519": ed} {
		t.Run(name, func(t *testing.T) {
			der, err := x509.MarshalPKCS8PrivateKey(key)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
			wantKind(t, err, ErrUnsupportedKey)
		})
	}
	if _, err := GenerateKey("ed25519", rand.Reader); !errors.Is(err, ErrUnsupportedKey) {
		t.Fatalf("GenerateKey(ed25519) error = %v", err)
	}
	if _, err := ParsePrivateKeyPEM([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n")); err == nil {
		t.Fatal("encrypted PEM accepted")
	}
}

func TestNewSignerRefusesMismatchedKey(t *testing.T) {
	a, b := testSigners(t)[0].s, testSigners(t)[2].s
	if _, err := NewSigner(a.Key, b.Leaf, nil); err == nil {
		t.Fatal("key of another certificate accepted")
	}
}

type fakeInfo struct {
	mode fs.FileMode
}

func (f fakeInfo) Name() string       { return "signing.key" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any           { return nil }

func TestCheckKeyFilePerm(t *testing.T) {
	tests := []struct {
		mode fs.FileMode
		ok   bool
	}{
		{0o600, true}, {0o400, true}, {0o700, true},
		{0o640, false}, {0o604, false}, {0o644, false}, {0o660, false}, {0o602, false},
		{fs.ModeDir | 0o700, false}, {fs.ModeSymlink | 0o600, false},
	}
	for _, tt := range tests {
		if err := CheckKeyFilePerm(fakeInfo{tt.mode}); (err == nil) != tt.ok {
			t.Errorf("mode %v: error = %v, want ok=%v", tt.mode, err, tt.ok)
		}
	}
	// And a real file, as the CLI will use it.
	p := filepath.Join(t.TempDir(), "k.pem")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckKeyFilePerm(fi); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key accepted: %v", err)
	}
}

func TestLoadPKCS12GoEncoded(t *testing.T) {
	ts := testSigners(t)[2]
	p12, err := pkcs12.Modern.Encode(ts.s.Key, ts.s.Leaf, ts.s.Chain, "secret")
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadPKCS12(p12, "secret")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Leaf.Equal(ts.s.Leaf) || len(s.Chain) != 1 {
		t.Fatalf("loaded leaf %s with %d chain certs", s.Leaf.Subject, len(s.Chain))
	}
	if _, err := LoadPKCS12(p12, "wrong"); err == nil {
		t.Fatal("wrong password accepted")
	}
}

// TestLoadPKCS12FromOpenSSL reads a .p12 written by `openssl pkcs12 -export`
// (OpenSSL 3 defaults: PBES2/AES-256, SHA-256 MAC), the usual way keys leave
// a corporate PKI.
func TestLoadPKCS12FromOpenSSL(t *testing.T) {
	openssl := requireTool(t, "openssl")
	for _, ts := range testSigners(t) {
		t.Run(ts.name, func(t *testing.T) {
			dir := t.TempDir()
			keyPEM, err := EncodePrivateKeyPEM(ts.s.Key)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "key.pem", keyPEM)
			writeFile(t, dir, "cert.pem", EncodeCertificatesPEM(ts.s.Leaf))
			writeFile(t, dir, "chain.pem", EncodeCertificatesPEM(append(ts.s.Chain, ts.ca.Root())...))
			out, err := run(t, dir, openssl, "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem",
				"-certfile", "chain.pem", "-passout", "pass:s3cret", "-out", "k.p12")
			if err != nil {
				t.Fatalf("openssl pkcs12 -export: %v\n%s", err, out)
			}
			p12, err := os.ReadFile(filepath.Join(dir, "k.p12"))
			if err != nil {
				t.Fatal(err)
			}
			s, err := LoadPKCS12(p12, "s3cret")
			if err != nil {
				t.Fatalf("LoadPKCS12: %v", err)
			}
			if !s.Leaf.Equal(ts.s.Leaf) || !publicKeyEqual(s.Key.Public(), ts.s.Key.Public()) {
				t.Fatal("loaded another key or certificate")
			}
			if len(s.Chain) != len(ts.s.Chain)+1 {
				t.Fatalf("chain has %d certificates, want %d", len(s.Chain), len(ts.s.Chain)+1)
			}
		})
	}
}

func TestSelfSignedAndCSR(t *testing.T) {
	key, err := GenerateKey("", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	subject := pkix.Name{CommonName: "Example Payments audit signer", Organization: []string{"Example"}}
	cert, err := SelfSigned(key, subject, TestNotBefore, TestNotAfter, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if want := x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment; cert.KeyUsage != want {
		t.Fatalf("key usage = %v, want %v", cert.KeyUsage, want)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Fatalf("not self-signed: %v", err)
	}
	keyPEM, err := EncodePrivateKeyPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadPEM(keyPEM, EncodeCertificatesPEM(cert))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	der, err := SignDetached(strings.NewReader("data"), s, CMSOptions{SigningTime: TestSigningTime})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyDetached(der, strings.NewReader("data"), pool, nil); err != nil {
		t.Fatalf("self-signed signature: %v", err)
	}
	if _, err := SelfSigned(key, subject, TestNotAfter, TestNotBefore, rand.Reader); err == nil {
		t.Fatal("inverted validity accepted")
	}
	csrDER, err := CreateCSR(key, subject, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(EncodeCSRPEM(csrDER))
	csr, err := x509.ParseCertificateRequest(b.Bytes)
	if err != nil || csr.CheckSignature() != nil || csr.Subject.CommonName != subject.CommonName {
		t.Fatalf("bad CSR: %v", err)
	}
}
