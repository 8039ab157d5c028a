package signature

import (
	"bytes"
	"crypto/x509"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateSigner = flag.Bool("update-signer", false, "regenerate testdata/signer")

// fixedSigner loads a fixed test signer from testdata, so that every fuzz
// worker process trusts the same root and seeds stay valid across workers
// (freshly generated keys would differ from one process to the next).
func fixedSigner(tb testing.TB) (*Signer, *x509.CertPool) {
	tb.Helper()
	dir := filepath.Join("testdata", "signer")
	if *updateSigner {
		ca := NewTestCA(tb, AlgECDSAP256)
		s := ca.Issue(tb, AlgECDSAP256, "example signer")
		key, err := EncodePrivateKeyPEM(s.Key)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		for name, data := range map[string][]byte{
			"key.pem":   key,
			"chain.pem": EncodeCertificatesPEM(append([]*x509.Certificate{s.Leaf}, s.Chain...)...),
			"root.pem":  EncodeCertificatesPEM(ca.Root()),
		} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			tb.Fatalf("%v (run go test -run Fuzz -update-signer)", err)
		}
		return b
	}
	s, err := LoadPEM(read("key.pem"), read("chain.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	roots, err := ParseCertificatesPEM(read("root.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(roots[0])
	return s, pool
}

// FuzzVerifyPDF feeds mutated signed reports to the verifier. It must never
// panic, must classify every refusal as a *VerifyError, and may only accept
// a file whose signed bytes are exactly those of a seed.
func FuzzVerifyPDF(f *testing.F) {
	signer, roots := fixedSigner(f)
	var covered [][]byte
	for _, compress := range []bool{false, true} {
		base := makeReport(f, compress)
		signed, err := SignPDF(base, signer, testPDFOptions())
		if err != nil {
			f.Fatal(err)
		}
		info, err := VerifyPDF(signed, roots, nil)
		if err != nil {
			f.Fatal(err)
		}
		covered = append(covered, signedBytes(signed, info.ByteRange))
		f.Add(signed)
		f.Add(base)
		f.Add(signed[:info.UnsignedLength+200])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := VerifyPDF(data, roots, nil)
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			return
		}
		got := signedBytes(data, info.ByteRange)
		for _, c := range covered {
			if bytes.Equal(got, c) {
				return
			}
		}
		t.Fatalf("accepted a file whose signed bytes differ from every seed (byte range %v)", info.ByteRange)
	})
}

// FuzzVerifyDetached feeds mutated CMS signatures and contents to the
// detached verifier with the same rules as [FuzzVerifyPDF].
func FuzzVerifyDetached(f *testing.F) {
	signer, roots := fixedSigner(f)
	for _, st := range []CMSOptions{{SigningTime: TestSigningTime}, {}} {
		der, err := SignDetached(bytes.NewReader(sumsContent), signer, st)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(der, sumsContent)
	}
	f.Add([]byte{0x30, 0x80, 0, 0}, []byte{})
	f.Fuzz(func(t *testing.T, der, content []byte) {
		_, err := VerifyDetached(der, bytes.NewReader(content), roots, nil)
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			return
		}
		if !bytes.Equal(content, sumsContent) {
			t.Fatalf("accepted a signature over other content: %q", content)
		}
	})
}

func signedBytes(b []byte, br [4]int64) []byte {
	return append(append([]byte{}, b[:br[1]]...), b[br[2]:]...)
}
