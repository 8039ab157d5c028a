package packager

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/auditpack/auditpack/reports/signature"
)

// checkManifest compares manifest.json with SHA256SUMS and the files: the
// same set of files (SHA256SUMS adds only manifest.json), the same digests,
// the sizes actually read, and evidence under evidence/ only when embedded.
func (v *verifier) checkManifest(sums []SumEntry) string {
	m := v.rep.Manifest
	inSums := map[string]string{}
	for _, e := range sums {
		inSums[e.Path] = e.SHA256
	}
	if _, ok := inSums[ManifestName]; !ok {
		v.fail(ManifestName, ErrInconsistent, "%s does not list %s", SumsName, ManifestName)
	}
	inManifest := map[string]bool{}
	evidence := 0
	for _, f := range m.Files {
		inManifest[f.Path] = true
		if underDir(f.Path, EvidenceDir) {
			evidence++
		}
		sum, ok := inSums[f.Path]
		switch {
		case !ok:
			v.fail(f.Path, ErrInconsistent, "listed in %s but not in %s", ManifestName, SumsName)
		case sum != f.SHA256:
			v.fail(f.Path, ErrInconsistent, "%s gives SHA-256 %s, %s gives %s", ManifestName, f.SHA256, SumsName, sum)
		}
		if n, ok := v.sizes[f.Path]; ok && n != f.Size {
			v.fail(f.Path, ErrDigest, "%d bytes, %s says %d", n, ManifestName, f.Size)
		}
	}
	for _, e := range sums {
		if e.Path != ManifestName && !inManifest[e.Path] {
			v.fail(e.Path, ErrInconsistent, "listed in %s but not in %s", SumsName, ManifestName)
		}
	}
	if evidence != m.Evidence.Files || (!m.Evidence.Embedded && evidence > 0) {
		v.fail(EvidenceDir, ErrInconsistent, "%d files under %s/, manifest says %d (embedded: %v)",
			evidence, EvidenceDir, m.Evidence.Files, m.Evidence.Embedded)
	}
	for _, in := range m.Inputs {
		if !underDir(in.Path, InputsDir) {
			v.fail(in.Path, ErrInconsistent, "input %q is not under %s/", in.Source, InputsDir)
		}
	}
	return fmt.Sprintf("%d files and %d inputs agree with %s", len(m.Files), len(m.Inputs), SumsName)
}

// trust returns the roots and pin to verify signatures with, following
// [VerifyOptions]: with neither, the manifest's own claim is used as a pin,
// which proves consistency but not identity.
func (v *verifier) trust() (*x509.CertPool, []byte, Trust) {
	switch {
	case v.opts.Roots != nil:
		return v.opts.Roots, v.opts.Pin, TrustAnchor
	case v.opts.Pin != nil:
		return nil, v.opts.Pin, TrustPinned
	}
	if m := v.rep.Manifest; m != nil {
		pin, _ := hex.DecodeString(m.Signer.CertificateSHA256)
		return nil, pin, TrustNone
	}
	return nil, nil, TrustNone
}

// checkSignatures verifies SHA256SUMS.p7s and, when the manifest lists one,
// the report's PAdES signature, then states the trust outcome.
func (v *verifier) checkSignatures(sumsData []byte) {
	roots, pin, trust := v.trust()
	m := v.rep.Manifest
	sigOK := false
	v.step("signature", SignatureName, func() string {
		if roots == nil && pin == nil {
			v.fail(SignatureName, ErrUntrusted, "UNTRUSTED: no anchor, no pin, and no readable %s to name the signer", ManifestName)
			return ""
		}
		der := v.readWhole(SignatureName, maxSignatureSize)
		if der == nil || sumsData == nil {
			if der != nil {
				v.fail(SignatureName, ErrSignature, "nothing to check it against: %s is unreadable", SumsName)
			}
			return ""
		}
		leaf, err := signature.VerifyDetached(der, bytes.NewReader(sumsData), roots, pin)
		if err != nil {
			v.fail(SignatureName, signKind(err), "%v", err)
			return ""
		}
		v.rep.Signer = leaf
		sigOK = true
		fp := signature.CertFingerprint(leaf)
		if m != nil {
			if hex.EncodeToString(fp) != m.Signer.CertificateSHA256 {
				v.fail(SignatureName, ErrInconsistent, "signed by certificate %x, %s names %s", fp, ManifestName, m.Signer.CertificateSHA256)
			}
			if t, ok, _ := signature.CMSSigningTime(der); !ok || t.UTC().Format(time.RFC3339) != m.SigningTime {
				v.fail(SignatureName, ErrInconsistent, "signing time %s, %s says %s", t.UTC().Format(time.RFC3339), ManifestName, m.SigningTime)
			}
		}
		return fmt.Sprintf("valid CMS signature over %s by %q, SHA-256 fingerprint %s", SumsName, leaf.Subject.String(), FormatFingerprint(fp))
	})
	if sigOK && m != nil {
		v.step("signing time", SignatureName, func() string { return v.checkSigningTime() })
	}
	if m != nil && m.Report != nil {
		v.step("report signature", ReportName, func() string { return v.checkReport(roots, pin) })
	} else if m == nil && v.present[ReportName] {
		v.step("report signature", ReportName, func() string {
			v.fail(ReportName, ErrInconsistent, "present, but without a readable %s nothing says it must be signed", ManifestName)
			return ""
		})
	}
	v.step("trust", "", func() string {
		if !sigOK {
			v.fail(SignatureName, ErrSignature, "signature not verified, so the package is not trusted")
			return ""
		}
		v.rep.Trust = trust
		switch trust {
		case TrustAnchor:
			if pin != nil {
				return "signer chains to the given CA and matches the pinned fingerprint"
			}
			return "signer chains to the given CA (check the subject: any certificate of that CA would pass)"
		case TrustPinned:
			return "signer matches the pinned fingerprint"
		}
		msg := fmt.Sprintf("UNTRUSTED: no anchor: the signature only matches the key that %s itself names (%s); "+
			"give --ca or --signer-fingerprint", ManifestName, FormatFingerprint(signature.CertFingerprint(v.rep.Signer)))
		if !v.opts.AcceptUnanchored {
			v.fail("", ErrUntrusted, "%s", msg)
			return ""
		}
		return msg + " (accepted on request)"
	})
	if m != nil && m.Demo {
		v.rep.Checks = append(v.rep.Checks, Check{Name: "demo", OK: true,
			Detail: "DEMO package: signed with a throwaway key; not evidence"})
	}
}

// checkSigningTime states the claimed signing time beside the signer
// certificate's validity and the as-of date, and fails when the claim lies
// outside that validity. The signature's own check already refuses such a
// claim in SHA256SUMS.p7s; this line says which times were compared.
func (v *verifier) checkSigningTime() string {
	m, leaf := v.rep.Manifest, v.rep.Signer
	st, err := time.Parse(time.RFC3339, m.SigningTime)
	if err != nil {
		v.fail(ManifestName, ErrMalformed, "signing_time %q: %v", m.SigningTime, err)
		return ""
	}
	from, to := leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339)
	if st.Before(leaf.NotBefore) || st.After(leaf.NotAfter) {
		v.fail(SignatureName, ErrUntrusted, "signed at %s, outside the validity of the signer certificate (%s to %s)", m.SigningTime, from, to)
		return ""
	}
	return fmt.Sprintf("signed at %s (the signer's claim), within the signer certificate's validity (%s to %s); assessed as of %s",
		m.SigningTime, from, to, m.AsOf)
}

// checkReport verifies report.pdf: exactly one PAdES signature covering the
// whole file with nothing after it, by the same certificate as SHA256SUMS,
// at the same claimed time, over the unsigned report the manifest describes.
func (v *verifier) checkReport(roots *x509.CertPool, pin []byte) string {
	m := v.rep.Manifest
	if roots == nil && pin == nil {
		v.fail(ReportName, ErrUntrusted, "no anchor and no pin to check the signer with")
		return ""
	}
	data := v.readWhole(ReportName, maxReportSize)
	if data == nil {
		return ""
	}
	info, err := signature.VerifyPDF(data, roots, pin)
	if err != nil {
		v.fail(ReportName, signKind(err), "%v", err)
		return ""
	}
	if got := hex.EncodeToString(signature.CertFingerprint(info.Signer)); got != m.Signer.CertificateSHA256 {
		v.fail(ReportName, ErrInconsistent, "signed by certificate %s, %s names %s", got, ManifestName, m.Signer.CertificateSHA256)
	}
	if got := hex.EncodeToString(info.UnsignedSHA256[:]); got != m.Report.UnsignedSHA256 || info.UnsignedLength != m.Report.UnsignedLength {
		v.fail(ReportName, ErrInconsistent, "unsigned report is %d bytes with SHA-256 %s, %s says %d bytes with %s",
			info.UnsignedLength, got, ManifestName, m.Report.UnsignedLength, m.Report.UnsignedSHA256)
	}
	if got := info.SigningTime.UTC().Format(time.RFC3339); got != m.SigningTime {
		v.fail(ReportName, ErrInconsistent, "signed at %s, %s says %s", got, ManifestName, m.SigningTime)
	}
	return fmt.Sprintf("one PAdES signature over the whole file by %q; unsigned report %d bytes, SHA-256 %s",
		info.Signer.Subject.String(), info.UnsignedLength, strings.ToLower(m.Report.UnsignedSHA256))
}

// signKind maps an error of reports/signature to a failure kind.
func signKind(err error) error {
	if errors.Is(err, signature.ErrUntrusted) || errors.Is(err, signature.ErrPinMismatch) {
		return ErrUntrusted
	}
	return ErrSignature
}
