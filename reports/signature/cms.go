package signature

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"
	"slices"
	"time"
)

// Object identifiers used in the CMS structures (RFC 5652, RFC 5035,
// RFC 5754, RFC 5758, RFC 8017).
var (
	oidData                = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidAttrContentType     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidAttrSigningCertV2   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256              = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSAEncryption       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidECDSAWithSHA256     = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	sha256AlgorithmID      = pkix.AlgorithmIdentifier{Algorithm: oidSHA256}
	rsaEncryptionAlgorithm = pkix.AlgorithmIdentifier{Algorithm: oidRSAEncryption, Parameters: asn1.NullRawValue}
	ecdsaSHA256AlgorithmID = pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}
)

// contextSpecificCompound builds an [n] wrapper (IMPLICIT around a SET's
// contents, or EXPLICIT around a whole element) by hand, because
// encoding/asn1 ignores struct tags on raw values.
func contextSpecificCompound(tag int, b []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag, IsCompound: true, Bytes: b}
}

// derSet wraps already encoded elements in a SET.
func derSet(contents []byte) ([]byte, error) {
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: contents})
}

// contentInfo is ContentInfo; Content is the [0] EXPLICIT wrapper.
type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue   `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue   `asn1:"optional,tag:1"`
	SignerInfos      []asn1.RawValue `asn1:"set"`
}

// encapContentInfo has no eContent: the signature is detached.
type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// signingCertificateV2 is the ESS attribute of RFC 5035 that binds the
// signer's certificate into the signed data (required by PAdES B-B).
type signingCertificateV2 struct {
	Certs []essCertIDv2
}

// essCertIDv2 omits hashAlgorithm when it is SHA-256, its DEFAULT value.
type essCertIDv2 struct {
	HashAlgorithm pkix.AlgorithmIdentifier `asn1:"optional"`
	CertHash      []byte
	IssuerSerial  issuerSerial `asn1:"optional"`
}

// issuerSerial names the issuer as GeneralNames holding one directoryName.
type issuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

// CMSOptions tunes [SignDetached].
type CMSOptions struct {
	// SigningTime, when not zero, is added as the signingTime attribute. It is
	// the signer's claim, taken from the caller (never from the clock). PDF
	// signatures leave it out: PAdES puts the time in the /M entry.
	SigningTime time.Time
	// Rand feeds ECDSA signing; nil means crypto/rand.Reader. RSA PKCS #1 v1.5
	// signatures do not use it and are deterministic.
	Rand io.Reader
}

// SignDetached returns a DER CMS SignedData (RFC 5652) over content, which
// is not embedded: SHA-256, signed attributes contentType, messageDigest,
// ESS signing-certificate-v2 and optionally signingTime, and the signer's
// certificate and chain. `openssl cms -verify -binary -inform DER` checks it.
func SignDetached(content io.Reader, s *Signer, opts CMSOptions) ([]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, content); err != nil {
		return nil, fmt.Errorf("failed to read content to sign: %w", err)
	}
	return signDigest(h.Sum(nil), s, opts)
}

// signDigest builds the SignedData for content whose SHA-256 is digest.
func signDigest(digest []byte, s *Signer, opts CMSOptions) ([]byte, error) {
	if s == nil || s.Key == nil || s.Leaf == nil {
		return nil, fmt.Errorf("incomplete signer")
	}
	if err := CheckPublicKey(s.Leaf.PublicKey); err != nil {
		return nil, err
	}
	sigAlg := ecdsaSHA256AlgorithmID
	if _, ok := s.Leaf.PublicKey.(*rsa.PublicKey); ok {
		sigAlg = rsaEncryptionAlgorithm
	}
	attrs, err := signedAttributes(digest, s.Leaf, opts.SigningTime)
	if err != nil {
		return nil, err
	}
	attrsSet, err := derSet(attrs)
	if err != nil {
		return nil, fmt.Errorf("failed to encode signed attributes: %w", err)
	}
	attrsHash := sha256.Sum256(attrsSet)
	r := opts.Rand
	if r == nil {
		r = rand.Reader
	}
	sig, err := s.Key.Sign(r, attrsHash[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("failed to sign: %w", err)
	}
	// Check our own output: a key that does not match the certificate (or a
	// faulty token) must fail here, not at the auditor's desk.
	if err := checkSignatureValue(s.Leaf.PublicKey, attrsHash[:], sig); err != nil {
		return nil, fmt.Errorf("the signing key produced a signature its certificate does not verify: %w", err)
	}
	si, err := asn1.Marshal(signerInfo{
		Version:            1,
		SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: s.Leaf.RawIssuer}, Serial: s.Leaf.SerialNumber},
		DigestAlgorithm:    sha256AlgorithmID,
		SignedAttrs:        contextSpecificCompound(0, attrs),
		SignatureAlgorithm: sigAlg,
		Signature:          sig,
	})
	if err != nil {
		return nil, fmt.Errorf("failed to encode signer info: %w", err)
	}
	var certs []byte
	for _, c := range append([]*x509.Certificate{s.Leaf}, s.Chain...) {
		certs = append(certs, c.Raw...)
	}
	sd, err := asn1.Marshal(signedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{sha256AlgorithmID},
		EncapContentInfo: encapContentInfo{EContentType: oidData},
		Certificates:     contextSpecificCompound(0, certs),
		SignerInfos:      []asn1.RawValue{{FullBytes: si}},
	})
	if err != nil {
		return nil, fmt.Errorf("failed to encode signed data: %w", err)
	}
	der, err := asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: contextSpecificCompound(0, sd)})
	if err != nil {
		return nil, fmt.Errorf("failed to encode content info: %w", err)
	}
	return der, nil
}

// signedAttributes returns the contents of the DER SET OF signed attributes
// (the signature covers them with the SET tag, the SignerInfo carries them
// with an IMPLICIT [0] tag); DER requires them sorted by their encoding.
func signedAttributes(digest []byte, leaf *x509.Certificate, signingTime time.Time) ([]byte, error) {
	certHash := sha256.Sum256(leaf.Raw)
	dirName, err := asn1.Marshal(contextSpecificCompound(4, leaf.RawIssuer))
	if err != nil {
		return nil, err
	}
	ess := signingCertificateV2{Certs: []essCertIDv2{{
		CertHash: certHash[:],
		IssuerSerial: issuerSerial{
			Issuer: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: dirName},
			Serial: leaf.SerialNumber,
		},
	}}}
	values := []struct {
		oid   asn1.ObjectIdentifier
		value any
	}{
		{oidAttrContentType, oidData},
		{oidAttrMessageDigest, digest},
		{oidAttrSigningCertV2, ess},
	}
	if !signingTime.IsZero() {
		values = append(values, struct {
			oid   asn1.ObjectIdentifier
			value any
		}{oidAttrSigningTime, signingTime.UTC().Truncate(time.Second)})
	}
	var encoded [][]byte
	for _, v := range values {
		val, err := asn1.Marshal(v.value)
		if err != nil {
			return nil, fmt.Errorf("failed to encode attribute %v: %w", v.oid, err)
		}
		set, err := derSet(val)
		if err != nil {
			return nil, err
		}
		a, err := asn1.Marshal(attribute{Type: v.oid, Values: asn1.RawValue{FullBytes: set}})
		if err != nil {
			return nil, fmt.Errorf("failed to encode attribute %v: %w", v.oid, err)
		}
		encoded = append(encoded, a)
	}
	slices.SortFunc(encoded, bytes.Compare)
	return bytes.Join(encoded, nil), nil
}

// checkSignatureValue verifies a SHA-256 signature with the algorithms this
// package accepts: ECDSA (ASN.1 r,s) and RSA PKCS #1 v1.5.
func checkSignatureValue(pub crypto.PublicKey, digest, sig []byte) error {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return failf(ErrBadSignature, "ECDSA verification failed")
		}
		return nil
	case *rsa.PublicKey:
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig); err != nil {
			return failWrap(ErrBadSignature, err, "RSA verification failed")
		}
		return nil
	default:
		return failf(ErrUnsupportedKey, "%T", pub)
	}
}
