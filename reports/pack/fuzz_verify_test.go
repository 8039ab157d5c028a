package pack

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/auditpack/auditpack/reports/sign"
)

// goodPackage returns a built package's files, sorted names, and the trust
// anchor that verifies it.
func goodPackage(f *testing.F) (map[string][]byte, []string, *x509.CertPool) {
	ca := sign.NewTestCA(f, sign.AlgECDSAP256)
	files := build(f, testOptions(f, ca.Issue(f, sign.AlgECDSAP256, "signer")))
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return files, names, ca.Pool()
}

// FuzzVerifyTampered replaces one file of a good package with arbitrary
// bytes: verification must never panic, and must fail unless the bytes are
// the original ones. It is the package's central promise: any change to
// any file is detected.
func FuzzVerifyTampered(f *testing.F) {
	files, names, pool := goodPackage(f)
	for i, n := range names {
		f.Add(uint8(i), files[n])
		f.Add(uint8(i), append(bytes.Clone(files[n]), ' '))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := names[int(which)%len(names)]
		tampered := mapFS(files)
		tampered[name] = &fstest.MapFile{Data: data, Mode: 0o644}
		_, err := Verify(tampered, VerifyOptions{Roots: pool})
		if same := bytes.Equal(data, files[name]); same != (err == nil) {
			t.Fatalf("%s replaced (same bytes: %v): verify error %v", name, same, err)
		}
	})
}

// FuzzVerifyZip verifies arbitrary zip archives seeded with a good package:
// no input may panic or hang the verifier, and only the untouched archive
// may pass.
func FuzzVerifyZip(f *testing.F) {
	files, _, pool := goodPackage(f)
	var buf bytes.Buffer
	if err := WriteZip(&buf, mapFS(files)); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		_, err = Verify(zr, VerifyOptions{Roots: pool})
		if err == nil && !bytes.Equal(data, good) {
			// A different archive may still hold identical files (other
			// compression, reordered entries); it must then read back equal.
			for name, want := range files {
				rc, oerr := zr.Open(name)
				if oerr != nil {
					t.Fatalf("verified, but %s is missing: %v", name, oerr)
				}
				var got bytes.Buffer
				got.ReadFrom(rc)
				rc.Close()
				if !bytes.Equal(got.Bytes(), want) {
					t.Fatalf("verified an archive whose %s differs", name)
				}
			}
		}
	})
}
