package signature_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/auditpack/auditpack/reports/signature"
)

// ExampleSignDetached signs a SHA256SUMS file the way the package builder
// does and checks it the way `auditpack verify` does.
func ExampleSignDetached() {
	keyPEM, _ := os.ReadFile("testdata/signer/key.pem")
	chainPEM, _ := os.ReadFile("testdata/signer/chain.pem")
	rootPEM, _ := os.ReadFile("testdata/signer/root.pem")
	signer, err := signature.LoadPEM(keyPEM, chainPEM)
	if err != nil {
		fmt.Println(err)
		return
	}
	sums := []byte("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  report.pdf\n")
	der, err := signature.SignDetached(bytes.NewReader(sums), signer, signature.CMSOptions{
		SigningTime: time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), // the run time given on the command line
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	roots, _ := signature.ParseCertificatesPEM(rootPEM)
	pool := x509.NewCertPool()
	pool.AddCert(roots[0])
	leaf, err := signature.VerifyDetached(der, bytes.NewReader(sums), pool, signature.CertFingerprint(signer.Leaf))
	fmt.Println(leaf.Subject.CommonName, err)

	_, err = signature.VerifyDetached(der, bytes.NewReader(append(sums, '\n')), pool, nil)
	fmt.Println(err != nil)
	// Output:
	// example signer <nil>
	// true
}
