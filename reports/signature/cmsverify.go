package signature

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"time"
)

// maxCertificates bounds the certificates accepted in one signature; real
// chains have two to four.
const maxCertificates = 10

// parsedCMS is a SignedData whose structure has been checked but whose
// digest, signature and trust have not.
type parsedCMS struct {
	leaf           *x509.Certificate
	intermediates  []*x509.Certificate
	attrsSet       []byte // the DER SET OF signed attributes, as signed
	digest         []byte
	essCert        essCertIDv2
	signingTime    time.Time
	hasSigningTime bool
	signature      []byte
}

// VerifyDetached checks a detached CMS signature made by [SignDetached] over
// content and returns the signer certificate. The chain is validated at the
// signingTime attribute, the signer's own claim, so a signature without it is
// refused here; use [VerifyDetachedAt] to give the time instead.
//
// roots are the trust anchors; with nil roots, pin (the SHA-256 of the signer
// certificate's DER, see [CertFingerprint]) is the only trust and must be
// given. With both, the chain and the pin must both match.
func VerifyDetached(der []byte, content io.Reader, roots *x509.CertPool, pin []byte) (*x509.Certificate, error) {
	return VerifyDetachedAt(der, content, roots, pin, time.Time{})
}

// VerifyDetachedAt is [VerifyDetached] with the certificate validity checked
// at the given time; a zero time means the signingTime attribute.
func VerifyDetachedAt(der []byte, content io.Reader, roots *x509.CertPool, pin []byte, at time.Time) (*x509.Certificate, error) {
	h := sha256.New()
	if _, err := io.Copy(h, content); err != nil {
		return nil, fmt.Errorf("failed to read signed content: %w", err)
	}
	p, err := verifyCMS(der, h.Sum(nil))
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		if !p.hasSigningTime {
			return nil, failf(ErrUntrusted, "signature carries no signing time to check the certificate against")
		}
		at = p.signingTime
	}
	if err := checkTrust(p, roots, pin, at); err != nil {
		return nil, err
	}
	return p.leaf, nil
}

// CMSSigningTime returns the signingTime claimed in a detached signature, if
// any, so that `auditpack verify` can show it; it does not verify anything.
func CMSSigningTime(der []byte) (t time.Time, ok bool, err error) {
	p, err := parseCMS(der)
	if err != nil {
		return time.Time{}, false, err
	}
	return p.signingTime, p.hasSigningTime, nil
}

// verifyCMS parses der and checks the digest, the signature value and the
// ESS binding to the signer certificate, but not trust.
func verifyCMS(der, digest []byte) (*parsedCMS, error) {
	p, err := parseCMS(der)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(p.digest, digest) {
		return nil, failf(ErrDigestMismatch, "messageDigest %x, content %x", p.digest, digest)
	}
	attrsHash := sha256.Sum256(p.attrsSet)
	if err := checkSignatureValue(p.leaf.PublicKey, attrsHash[:], p.signature); err != nil {
		return nil, err
	}
	want := sha256.Sum256(p.leaf.Raw)
	if !bytes.Equal(p.essCert.CertHash, want[:]) {
		return nil, failf(ErrBadSignature, "signing-certificate-v2 names another certificate")
	}
	if s := p.essCert.IssuerSerial.Serial; s != nil && s.Cmp(p.leaf.SerialNumber) != 0 {
		return nil, failf(ErrBadSignature, "signing-certificate-v2 names another serial number")
	}
	return p, nil
}

// checkTrust validates the signer certificate against roots at time at and
// compares it with pin; one of roots and pin is required.
func checkTrust(p *parsedCMS, roots *x509.CertPool, pin []byte, at time.Time) error {
	leaf := p.leaf
	if leaf.KeyUsage != 0 && leaf.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return failf(ErrUntrusted, "certificate key usage does not allow signing")
	}
	if roots == nil && pin == nil {
		return failf(ErrUntrusted, "no trust anchor and no pin given")
	}
	// The signer's own certificate is checked first, to say plainly which
	// time falls outside which validity; the chain's certificates are
	// checked at the same time by x509.Verify.
	if at.Before(leaf.NotBefore) || at.After(leaf.NotAfter) {
		return failf(ErrUntrusted, "signing time %s is outside the validity of certificate %q (%s to %s)",
			at.UTC().Format(time.RFC3339), leaf.Subject.String(),
			leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	if roots != nil {
		inter := x509.NewCertPool()
		for _, c := range p.intermediates {
			inter.AddCert(c)
		}
		_, err := leaf.Verify(x509.VerifyOptions{
			Roots:         roots,
			Intermediates: inter,
			CurrentTime:   at,
			KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		})
		if err != nil {
			return failWrap(ErrUntrusted, err, "certificate %q", leaf.Subject.String())
		}
	}
	if pin != nil {
		if len(pin) != sha256.Size {
			return failf(ErrPinMismatch, "pin must be a SHA-256 (%d bytes), got %d bytes", sha256.Size, len(pin))
		}
		if got := CertFingerprint(leaf); !bytes.Equal(got, pin) {
			return failf(ErrPinMismatch, "signer certificate SHA-256 is %x", got)
		}
	}
	return nil
}

// parseCMS decodes the exact shape [SignDetached] writes and refuses any
// other: one SHA-256 signer, detached id-data content, no CRLs, no unsigned
// attributes, only the four known signed attributes, each once.
func parseCMS(der []byte) (*parsedCMS, error) {
	var ci contentInfo
	if err := unmarshalAll(der, &ci); err != nil {
		return nil, failWrap(ErrMalformed, err, "ContentInfo")
	}
	if !ci.ContentType.Equal(oidSignedData) || !isContext(ci.Content, 0) {
		return nil, failf(ErrMalformed, "not a SignedData")
	}
	var sd signedData
	if err := unmarshalAll(ci.Content.Bytes, &sd); err != nil {
		return nil, failWrap(ErrMalformed, err, "SignedData")
	}
	switch {
	case sd.Version != 1:
		return nil, failf(ErrMalformed, "SignedData version %d", sd.Version)
	case len(sd.DigestAlgorithms) != 1 || !isSHA256(sd.DigestAlgorithms[0]):
		return nil, failf(ErrMalformed, "digest algorithms must be exactly SHA-256")
	case !sd.EncapContentInfo.EContentType.Equal(oidData) || len(sd.EncapContentInfo.EContent.FullBytes) != 0:
		return nil, failf(ErrMalformed, "content must be detached id-data")
	case len(sd.CRLs.FullBytes) != 0:
		return nil, failf(ErrMalformed, "CRLs are not expected")
	case !isContext(sd.Certificates, 0):
		return nil, failf(ErrMalformed, "no certificates")
	case len(sd.SignerInfos) != 1:
		return nil, failf(ErrMalformed, "%d signer infos, want 1", len(sd.SignerInfos))
	}
	certs, err := parseCertificateSet(sd.Certificates.Bytes)
	if err != nil {
		return nil, err
	}
	var si signerInfo
	if err := unmarshalAll(sd.SignerInfos[0].FullBytes, &si); err != nil {
		return nil, failWrap(ErrMalformed, err, "SignerInfo")
	}
	switch {
	case si.Version != 1 || si.SID.Serial == nil:
		return nil, failf(ErrMalformed, "SignerInfo must be version 1 with issuer and serial")
	case !isSHA256(si.DigestAlgorithm):
		return nil, failf(ErrMalformed, "signer digest algorithm is not SHA-256")
	case !isContext(si.SignedAttrs, 0):
		return nil, failf(ErrMalformed, "signed attributes missing")
	case len(si.UnsignedAttrs.FullBytes) != 0:
		return nil, failf(ErrMalformed, "unsigned attributes are not expected")
	}
	p := &parsedCMS{signature: si.Signature}
	for _, c := range certs {
		if bytes.Equal(c.RawIssuer, si.SID.Issuer.FullBytes) && c.SerialNumber.Cmp(si.SID.Serial) == 0 {
			if p.leaf != nil {
				return nil, failf(ErrMalformed, "signer certificate appears twice")
			}
			p.leaf = c
		} else {
			p.intermediates = append(p.intermediates, c)
		}
	}
	if p.leaf == nil {
		return nil, failf(ErrMalformed, "signer certificate not included")
	}
	if err := CheckPublicKey(p.leaf.PublicKey); err != nil {
		return nil, err
	}
	if err := checkSignatureAlgorithm(p.leaf, si.SignatureAlgorithm); err != nil {
		return nil, err
	}
	p.attrsSet = append([]byte{0x31}, si.SignedAttrs.FullBytes[1:]...)
	if err := parseSignedAttributes(si.SignedAttrs.Bytes, p); err != nil {
		return nil, err
	}
	return p, nil
}

func parseCertificateSet(b []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for len(b) > 0 {
		var rv asn1.RawValue
		rest, err := asn1.Unmarshal(b, &rv)
		if err != nil || rv.Class != asn1.ClassUniversal || rv.Tag != asn1.TagSequence {
			return nil, failWrap(ErrMalformed, err, "certificate %d", len(certs)+1)
		}
		c, err := x509.ParseCertificate(rv.FullBytes)
		if err != nil {
			return nil, failWrap(ErrMalformed, err, "certificate %d", len(certs)+1)
		}
		if certs = append(certs, c); len(certs) > maxCertificates {
			return nil, failf(ErrMalformed, "more than %d certificates", maxCertificates)
		}
		b = rest
	}
	return certs, nil
}

func parseSignedAttributes(b []byte, p *parsedCMS) error {
	seen := map[string]bool{}
	for len(b) > 0 {
		var a attribute
		rest, err := asn1.Unmarshal(b, &a)
		if err != nil {
			return failWrap(ErrMalformed, err, "signed attribute")
		}
		b = rest
		key := a.Type.String()
		if seen[key] {
			return failf(ErrMalformed, "signed attribute %s appears twice", key)
		}
		seen[key] = true
		var target any
		switch {
		case a.Type.Equal(oidAttrContentType):
			var ct asn1.ObjectIdentifier
			if err := unmarshalAll(a.Values.Bytes, &ct); err != nil || !ct.Equal(oidData) {
				return failWrap(ErrMalformed, err, "contentType attribute must be id-data")
			}
			continue
		case a.Type.Equal(oidAttrMessageDigest):
			target = &p.digest
		case a.Type.Equal(oidAttrSigningTime):
			target, p.hasSigningTime = &p.signingTime, true
		case a.Type.Equal(oidAttrSigningCertV2):
			var ess signingCertificateV2
			if err := unmarshalAll(a.Values.Bytes, &ess); err != nil || len(ess.Certs) == 0 {
				return failWrap(ErrMalformed, err, "signing-certificate-v2 attribute")
			}
			if alg := ess.Certs[0].HashAlgorithm; alg.Algorithm != nil && !isSHA256(alg) {
				return failf(ErrMalformed, "signing-certificate-v2 hash is not SHA-256")
			}
			p.essCert = ess.Certs[0]
			continue
		default:
			return failf(ErrMalformed, "unexpected signed attribute %s", key)
		}
		if err := unmarshalAll(a.Values.Bytes, target); err != nil {
			return failWrap(ErrMalformed, err, "signed attribute %s", key)
		}
	}
	if !seen[oidAttrContentType.String()] || len(p.digest) != sha256.Size || p.essCert.CertHash == nil {
		return failf(ErrMalformed, "contentType, messageDigest and signing-certificate-v2 are required")
	}
	return nil
}

func checkSignatureAlgorithm(leaf *x509.Certificate, alg pkix.AlgorithmIdentifier) error {
	switch leaf.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if alg.Algorithm.Equal(oidECDSAWithSHA256) && len(alg.Parameters.FullBytes) == 0 {
			return nil
		}
	case *rsa.PublicKey:
		if (alg.Algorithm.Equal(oidRSAEncryption) || alg.Algorithm.Equal(oidSHA256WithRSA)) && absentOrNull(alg.Parameters) {
			return nil
		}
	}
	return failf(ErrMalformed, "signature algorithm %v does not fit the signer key", alg.Algorithm)
}

// unmarshalAll decodes exactly one DER element filling all of b.
func unmarshalAll(b []byte, v any) error {
	rest, err := asn1.Unmarshal(b, v)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes", len(rest))
	}
	return nil
}

func isContext(rv asn1.RawValue, tag int) bool {
	return len(rv.FullBytes) > 0 && rv.Class == asn1.ClassContextSpecific && rv.Tag == tag && rv.IsCompound
}

func isSHA256(alg pkix.AlgorithmIdentifier) bool {
	return alg.Algorithm.Equal(oidSHA256) && absentOrNull(alg.Parameters)
}

func absentOrNull(rv asn1.RawValue) bool {
	return len(rv.FullBytes) == 0 || bytes.Equal(rv.FullBytes, asn1.NullBytes)
}
