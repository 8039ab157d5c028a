package signature

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"

	"software.sslmate.com/src/go-pkcs12"
)

// MinRSABits is the smallest RSA modulus accepted, because shorter keys no
// longer meet bank and auditor policies (NIST SP 800-131A).
const MinRSABits = 2048

// Signer bundles what is needed to produce a verifiable signature: the
// private key behind a [crypto.Signer] (a file today, an HSM later), the
// signer's certificate and the intermediate certificates a verifier needs to
// build a path to its trust anchor. Build it with [NewSigner] so the checks run.
type Signer struct {
	Key   crypto.Signer
	Leaf  *x509.Certificate
	Chain []*x509.Certificate
}

// NewSigner checks that key is an accepted algorithm and matches the public
// key of leaf, and returns the bundle; a mismatched pair would otherwise only
// be noticed by the auditor.
func NewSigner(key crypto.Signer, leaf *x509.Certificate, chain []*x509.Certificate) (*Signer, error) {
	if key == nil || leaf == nil {
		return nil, errors.New("signer needs a key and a certificate")
	}
	if err := CheckPublicKey(key.Public()); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if err := CheckPublicKey(leaf.PublicKey); err != nil {
		return nil, fmt.Errorf("certificate %q: %w", leaf.Subject.String(), err)
	}
	if !publicKeyEqual(key.Public(), leaf.PublicKey) {
		return nil, fmt.Errorf("signing key does not match certificate %q", leaf.Subject.String())
	}
	var rest []*x509.Certificate
	for _, c := range chain {
		if !bytes.Equal(c.Raw, leaf.Raw) {
			rest = append(rest, c)
		}
	}
	return &Signer{Key: key, Leaf: leaf, Chain: rest}, nil
}

func publicKeyEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// CheckPublicKey refuses every key but ECDSA P-256 and RSA >= [MinRSABits]
// with an [ErrUnsupportedKey] error, because those are the only ones that
// OpenSSL 3.0, poppler and NSS all verify in CMS and PDF signatures.
func CheckPublicKey(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return failf(ErrUnsupportedKey, "ECDSA curve %s (only P-256 is accepted)", k.Curve.Params().Name)
		}
		return nil
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return failf(ErrUnsupportedKey, "RSA key of %d bits (at least %d required)", k.N.BitLen(), MinRSABits)
		}
		return nil
	default:
		return failf(ErrUnsupportedKey, "%T (only ECDSA P-256 and RSA are accepted)", pub)
	}
}

// CheckKeyFilePerm refuses a private key file that its group or other users
// can read or write, as ssh does, because a signing key that others can copy
// proves nothing. Pass the result of os.Stat (or fs.Stat) of the key file.
func CheckKeyFilePerm(fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("key file %q is not a regular file", fi.Name())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("key file %q has mode %#o: it must not be accessible by group or others (chmod 600)", fi.Name(), perm)
	}
	return nil
}

// ParsePrivateKeyPEM reads the first private key block of a PEM file in any
// of the encodings OpenSSL writes: PKCS #8 ("PRIVATE KEY"), SEC 1 ("EC
// PRIVATE KEY") or PKCS #1 ("RSA PRIVATE KEY"). Encrypted PEM is refused,
// since its legacy encryption is weak; use PKCS #12 for a protected key.
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no private key found in PEM data")
		}
		var key any
		var err error
		switch b.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("encrypted PEM private keys are not supported: use a PKCS #12 file")
		default:
			continue
		}
		if err != nil {
			if !readable(err) {
				return nil, &parseError{fmt.Sprintf("not a PEM private key: its %s block does not hold a key", b.Type), err}
			}
			return nil, fmt.Errorf("failed to parse %s block: %w", b.Type, err)
		}
		return asSigner(key)
	}
}

func asSigner(key any) (crypto.Signer, error) {
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, failf(ErrUnsupportedKey, "%T cannot sign", key)
	}
	if err := CheckPublicKey(s.Public()); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseCertificatesPEM reads every CERTIFICATE block of a PEM file, in order
// (leaf first by convention), and fails if there is none, so that a wrong
// file is caught before signing.
func ParseCertificatesPEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("failed to parse certificate %d: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate found in PEM data")
	}
	return certs, nil
}

// ParseChainPEM parses a file of intermediate certificates. Unlike a
// certificate file, which may carry the key beside the certificate, a chain
// holds only certificates: it must have at least one, and every PEM block
// in it must be a CERTIFICATE that parses, so that a file given by mistake
// (a key, a configuration, a text note) is refused instead of signing a
// package whose chain is silently missing. Text outside the blocks, such as
// the subject lines some tools write, is allowed. Errors number the block
// and never quote the file.
func ParseChainPEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for n := 1; ; n++ {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block %d is not a CERTIFICATE: a chain holds only certificates", n)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d: %w", n, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate found in PEM data")
	}
	return certs, nil
}

// LoadPEM builds a [Signer] from a PEM private key and a PEM certificate file
// whose first certificate is the signer's and whose others form its chain.
func LoadPEM(keyPEM, certsPEM []byte) (*Signer, error) {
	key, err := ParsePrivateKeyPEM(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("failed to load private key: %w", err)
	}
	certs, err := ParseCertificatesPEM(certsPEM)
	if err != nil {
		return nil, fmt.Errorf("failed to load certificates: %w", err)
	}
	return NewSigner(key, certs[0], certs[1:])
}

// LoadPKCS12 builds a [Signer] from a PKCS #12 (.p12/.pfx) file, including
// files written by OpenSSL 3 (PBES2, AES, SHA-256 MAC), which is how keys
// usually leave a corporate PKI.
func LoadPKCS12(data []byte, password string) (*Signer, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if !readable(err) {
			return nil, &parseError{"not a PKCS #12 file (or the password is wrong)", err}
		}
		return nil, fmt.Errorf("failed to decode PKCS #12 file: %w", err)
	}
	s, err := asSigner(key)
	if err != nil {
		return nil, fmt.Errorf("PKCS #12 key: %w", err)
	}
	return NewSigner(s, leaf, chain)
}
