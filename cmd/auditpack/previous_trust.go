package main

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
)

// previousTrust checks the previous package a build compares with, before
// its results may say that nothing came into scope since them.
//
// A package directory or zip is verified as `auditpack verify` would: a
// tampered one stops the build (exit 3), and the results read must be the
// ones its manifest lists. It is trusted only when its signer is this
// build's signer, or was issued under this signer's chain: otherwise
// whoever can write a results.json could claim an earlier, smaller scope.
// A bare results.json cannot be verified at all. Untrusted results still
// show the changes and may still ask for a test after a change; they only
// cannot establish that there was none.
func previousTrust(target string, prev *loadedResults, s *signerSource) (audit.PreviousTrust, error) {
	fi, err := os.Stat(target)
	if err != nil {
		return audit.PreviousTrust{}, &inputError{fmt.Errorf("--previous: %w", err)}
	}
	if !fi.IsDir() && !isZipFile(target) {
		return audit.PreviousTrust{Note: "a results.json file, not a signed package"}, nil
	}
	rep, verr, err := verifyPackage(target, packager.VerifyOptions{AcceptUnanchored: true})
	if err != nil {
		return audit.PreviousTrust{}, fmt.Errorf("--previous: %w", err)
	}
	if verr != nil {
		return audit.PreviousTrust{}, fmt.Errorf("--previous: %s does not verify: %w", target, verr)
	}
	if !listsResults(rep.Manifest, prev) {
		return audit.PreviousTrust{}, &integrityError{fmt.Sprintf("--previous: %s: the %s read is not the one the package lists", target, resultsName)}
	}
	id := prev.id()
	if s == nil || s.signer == nil || s.signer.Leaf == nil {
		return audit.PreviousTrust{Note: fmt.Sprintf("package %s verified intact, but there is no signer of this run to compare its signer with", id)}, nil
	}
	if !sameSigner(rep.Signer, s.signer) {
		return audit.PreviousTrust{Note: fmt.Sprintf("package %s verified intact, but signed by %s (SHA-256 %s), not by this package's signer",
			id, rep.Signer.Subject.String(), packager.FormatFingerprint(signature.CertFingerprint(rep.Signer)))}, nil
	}
	return audit.PreviousTrust{Verified: true, Note: fmt.Sprintf("package %s verified intact and signed by this package's signer", id)}, nil
}

// listsResults reports whether the manifest lists results.json with the
// digest and size of the results read, so the verified package and the
// results used are the same bytes.
func listsResults(m *packager.Manifest, prev *loadedResults) bool {
	if m == nil {
		return false
	}
	for _, f := range m.Files {
		if f.Path == resultsName {
			return f.SHA256 == prev.sha256 && f.Size == prev.size
		}
	}
	return false
}

// sameSigner reports whether cert is the signer's own certificate, or a
// certificate that chains to the same issuing certificates: an
// organisation's CA may issue a new signing certificate each year.
func sameSigner(cert *x509.Certificate, s *signature.Signer) bool {
	if cert == nil {
		return false
	}
	if bytes.Equal(cert.Raw, s.Leaf.Raw) {
		return true
	}
	if len(s.Chain) == 0 {
		return false
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for i, c := range s.Chain {
		if i == len(s.Chain)-1 {
			roots.AddCert(c)
		} else {
			inter.AddCert(c)
		}
	}
	_, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: cert.NotBefore,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	return err == nil
}
