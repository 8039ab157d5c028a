package packager

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/auditpack/auditpack/audit/archive/ziptest"
	"github.com/auditpack/auditpack/reports/signature"
)

// goodPackage returns a built package's files, sorted names, and the trust
// anchor that verifies it.
func goodPackage(f *testing.F) (map[string][]byte, []string, *x509.CertPool) {
	ca := signature.NewTestCA(f, signature.AlgECDSAP256)
	files := build(f, testOptions(f, ca.Issue(f, signature.AlgECDSAP256, "signer")))
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

// FuzzVerifyZip verifies arbitrary zip archives seeded with a good package
// and its tampered variants: no input may panic or hang the verifier, and
// an archive that passes must hold exactly the package's files, read back
// through archive/zip as well as the verifier's own reader.
func FuzzVerifyZip(f *testing.F) {
	good, opts := goodZip(f)
	files := map[string][]byte{}
	zr, _ := zipReader(good)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		files[zf.Name] = b.Bytes()
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	for _, tc := range tamperedZips(good) {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := VerifyZip(bytes.NewReader(data), int64(len(data)), opts)
		if err != nil || bytes.Equal(data, good) {
			return
		}
		// A different archive may still hold identical files (other
		// compression, reordered entries); both readers must then agree.
		zr, zerr := zipReader(data)
		if zerr != nil {
			t.Fatalf("verified, but archive/zip cannot read it: %v", zerr)
		}
		if len(zr.File) != len(files) {
			t.Fatalf("verified, but archive/zip lists %d entries, not %d", len(zr.File), len(files))
		}
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
	})
}

// FuzzVerifyZipLocalHeaders changes one byte of one local header of a good
// package zip (or of the name that follows it), so that it disagrees with
// the central directory. Only the fields no reader uses for content or
// placement (version needed, modification time and date) may change and
// still verify, and, since the entries carry a data descriptor, a CRC-32
// or size that was zero may become the true value; any other change must
// be refused.
func FuzzVerifyZipLocalHeaders(f *testing.F) {
	good, opts := goodZip(f)
	recs := ziptest.Records(good)
	for i := range recs {
		for _, off := range []uint8{6, 8, 14, 18, 22, 26, 28, 30, 31} {
			f.Add(uint8(i), off, byte('.'))
		}
	}
	f.Fuzz(func(t *testing.T, which, off uint8, b byte) {
		r := recs[int(which)%len(recs)]
		at := r.Local + int(off)%(ziptest.LocalName+len(r.Name))
		if good[at] == b {
			return
		}
		data := bytes.Clone(good)
		data[at] = b
		_, err := VerifyZip(bytes.NewReader(data), int64(len(data)), opts)
		field := at - r.Local
		harmless := field == 4 || field == 5 || (field >= 10 && field < 14)
		if field >= ziptest.LocalCRC && field < ziptest.LocalSize+4 {
			start := ziptest.LocalCRC + (field-ziptest.LocalCRC)/4*4
			central := r.Central + ziptest.CentralCRC + (start - ziptest.LocalCRC)
			harmless = ziptest.Get32(data, r.Local+start) == ziptest.Get32(data, central)
		}
		if err == nil && !harmless {
			t.Fatalf("verified with byte %d of the local header of %s changed to %#02x", field, r.Name, b)
		}
	})
}

func zipReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}
