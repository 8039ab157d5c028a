package signature

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"time"
)

// Key algorithm names accepted by [GenerateKey]. They are the only ones the
// signature formats support; the empty name means [AlgECDSAP256].
const (
	AlgECDSAP256 = "ecdsa-p256"
	AlgRSA2048   = "rsa-2048"
	AlgRSA3072   = "rsa-3072"
	AlgRSA4096   = "rsa-4096"
)

// GenerateKey creates a new signing key for `auditpack keygen` and for the
// throwaway demo key. rand is used where the standard library still honours
// it (since Go 1.26 key generation always draws from the system source).
func GenerateKey(alg string, rand io.Reader) (crypto.Signer, error) {
	switch alg {
	case "", AlgECDSAP256:
		return ecdsa.GenerateKey(elliptic.P256(), rand)
	case AlgRSA2048:
		return rsa.GenerateKey(rand, 2048)
	case AlgRSA3072:
		return rsa.GenerateKey(rand, 3072)
	case AlgRSA4096:
		return rsa.GenerateKey(rand, 4096)
	default:
		return nil, failf(ErrUnsupportedKey, "algorithm %q (use %s, %s, %s or %s)",
			alg, AlgECDSAP256, AlgRSA2048, AlgRSA3072, AlgRSA4096)
	}
}

// SelfSigned creates a certificate for signer's own key, valid from notBefore
// to notAfter, for users without a corporate PKI: a verifier then pins its
// fingerprint or uses it as its own trust anchor. Its key usage is
// digitalSignature and nonRepudiation (contentCommitment), as expected of a
// document signing certificate.
func SelfSigned(signer crypto.Signer, subject pkix.Name, notBefore, notAfter time.Time, rand io.Reader) (*x509.Certificate, error) {
	if err := CheckPublicKey(signer.Public()); err != nil {
		return nil, err
	}
	tmpl, err := leafTemplate(signer.Public(), subject, notBefore, notAfter, rand)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand, tmpl, tmpl, signer.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("failed to create self-signed certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

// leafTemplate is the profile of every signing certificate made here.
func leafTemplate(pub crypto.PublicKey, subject pkix.Name, notBefore, notAfter time.Time, rand io.Reader) (*x509.Certificate, error) {
	if !notAfter.After(notBefore) {
		return nil, fmt.Errorf("certificate validity ends (%s) before it starts (%s)", notAfter, notBefore)
	}
	serial, err := randomSerial(rand)
	if err != nil {
		return nil, err
	}
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("failed to encode public key: %w", err)
	}
	ski := sha256.Sum256(spki)
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             notBefore.UTC(),
		NotAfter:              notAfter.UTC(),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		BasicConstraintsValid: true,
		SubjectKeyId:          ski[:20],
	}, nil
}

// randomSerial returns a positive 127-bit serial number, as RFC 5280 asks for
// unpredictable serials of at most 20 octets.
func randomSerial(r io.Reader) (*big.Int, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("failed to draw serial number: %w", err)
	}
	b[0] &= 0x7f
	b[0] |= 0x40 // keep it positive and of a fixed length
	return new(big.Int).SetBytes(b), nil
}

// CreateCSR creates a PKCS #10 certificate request (DER) for signer's key, so
// that a corporate CA can issue the signing certificate instead of a
// self-signed one.
func CreateCSR(signer crypto.Signer, subject pkix.Name, rand io.Reader) ([]byte, error) {
	if err := CheckPublicKey(signer.Public()); err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand, &x509.CertificateRequest{Subject: subject}, signer)
	if err != nil {
		return nil, fmt.Errorf("failed to create certificate request: %w", err)
	}
	return der, nil
}

// EncodePrivateKeyPEM encodes a software key as an unencrypted PKCS #8 PEM
// block, the encoding every tool reads. The caller must write it with mode
// 0600 (see [CheckKeyFilePerm]).
func EncodePrivateKeyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("failed to encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// EncodeCertificatesPEM encodes certificates as consecutive CERTIFICATE
// blocks, the form openssl's -CAfile and -certfile options read.
func EncodeCertificatesPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// EncodeCSRPEM encodes a DER certificate request from [CreateCSR] as PEM, the
// form CAs accept.
func EncodeCSRPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

// CertFingerprint returns the SHA-256 of a certificate's DER encoding: the
// pin accepted by the verifiers and shown by
// `openssl x509 -noout -fingerprint -sha256`.
func CertFingerprint(c *x509.Certificate) []byte {
	sum := sha256.Sum256(c.Raw)
	return sum[:]
}
