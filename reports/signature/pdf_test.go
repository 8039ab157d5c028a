package signature

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestSignPDFRoundTrip(t *testing.T) {
	for _, ts := range testSigners(t) {
		for _, compress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/compress=%v", ts.name, compress), func(t *testing.T) {
				base := makeReport(t, compress)
				signed, err := SignPDF(base, ts.s, testPDFOptions())
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(signed, base) {
					t.Fatal("the unsigned report is not a prefix of the signed one")
				}
				info, err := VerifyPDF(signed, ts.ca.Pool(), CertFingerprint(ts.s.Leaf))
				if err != nil {
					t.Fatalf("VerifyPDF: %v", err)
				}
				want := PDFSignatureInfo{
					FieldName: DefaultFieldName, Reason: testPDFOptions().Reason, Name: testPDFOptions().Name,
					Location: "Zürich", SigningTime: TestSigningTime,
					UnsignedLength: int64(len(base)), UnsignedSHA256: sha256.Sum256(base),
				}
				got := info
				got.Signer, got.Chain, got.ByteRange = nil, nil, [4]int64{}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("info = %+v\nwant %+v", got, want)
				}
				if !info.Signer.Equal(ts.s.Leaf) || len(info.Chain) != len(ts.s.Chain) {
					t.Fatalf("signer %s with %d chain certificates", info.Signer.Subject, len(info.Chain))
				}
				if info.ByteRange[2]+info.ByteRange[3] != int64(len(signed)) {
					t.Fatalf("byte range %v does not end at %d", info.ByteRange, len(signed))
				}
			})
		}
	}
}

func TestVerifyPDFRefuses(t *testing.T) {
	ts := testSigners(t)[0]
	other := NewTestCA(t, AlgECDSAP256)
	base := makeReport(t, false)
	signed, err := SignPDF(base, ts.s, testPDFOptions())
	if err != nil {
		t.Fatal(err)
	}
	info, err := VerifyPDF(signed, ts.ca.Pool(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := int(info.ByteRange[1])
	der, err := trimPadding(mustHexDecode(t, signed[a+1:info.ByteRange[2]-1]))
	if err != nil {
		t.Fatal(err)
	}
	lastSigHex := a + 2*len(der) // last hex digit of the CMS: the signature value
	pin := CertFingerprint(ts.s.Leaf)
	tests := []struct {
		name  string
		pdf   []byte
		roots *TestCA
		pin   []byte
		kind  error
	}{
		{"page text changed", flipAt(t, signed, "Requirement 2.5", 14), ts.ca, pin, ErrDigestMismatch},
		{"signature reason changed", flipAt(t, signed, "Audit package for", 0), ts.ca, pin, ErrDigestMismatch},
		{"first byte changed", flip(signed, 0), ts.ca, pin, ErrMalformed},
		{"signature value changed", replaceHexDigit(signed, lastSigHex), ts.ca, pin, ErrBadSignature},
		{"padding changed", replaceHexDigit(signed, lastSigHex+10), ts.ca, pin, ErrMalformed},
		{"byte range shortened", bytes.Replace(signed, fmt.Appendf(nil, "[0 %d %d %d]", a, info.ByteRange[2], info.ByteRange[3]),
			fmt.Appendf(nil, "[0 %d %d %d]", a, info.ByteRange[2], info.ByteRange[3]-1), 1), ts.ca, pin, ErrNotCovered},
		{"update appended after signing", appendUpdate(t, signed, updateInfo), ts.ca, pin, ErrNotCovered},
		{"trailing garbage", append(bytes.Clone(signed), "% comment\n"...), ts.ca, pin, ErrMalformed},
		{"second signature", appendUpdate(t, signed, updateSecondSignature), ts.ca, pin, ErrSignatureCount},
		{"hidden signature dictionary", appendUpdate(t, signed, updateHiddenSignature), ts.ca, pin, ErrSignatureCount},
		{"unsigned", base, ts.ca, pin, ErrSignatureCount},
		{"truncated", signed[:len(signed)-100], ts.ca, pin, ErrMalformed},
		{"wrong pin", signed, ts.ca, flip(pin, 31), ErrPinMismatch},
		{"untrusted root", signed, other, nil, ErrUntrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifyPDF(tt.pdf, tt.roots.Pool(), tt.pin)
			t.Log(err)
			wantKind(t, err, tt.kind)
		})
	}
}

func TestSignPDFRefuses(t *testing.T) {
	ts := testSigners(t)[0]
	base := makeReport(t, true)
	signed, err := SignPDF(base, ts.s, testPDFOptions())
	if err != nil {
		t.Fatal(err)
	}
	small := testPDFOptions()
	small.ContentsReserve = 512
	tests := []struct {
		name string
		pdf  []byte
		opts PDFOptions
	}{
		{"already signed", signed, testPDFOptions()},
		{"reserve too small", base, small},
		{"no signing time", base, PDFOptions{}},
		{"not a PDF", []byte("hello"), testPDFOptions()},
		{"truncated", base[:len(base)/2], testPDFOptions()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := SignPDF(tt.pdf, ts.s, tt.opts); err == nil {
				t.Fatal("SignPDF succeeded")
			}
		})
	}
	if _, err := SignPDF(base, ts.s, small); !errors.Is(err, ErrReserveTooSmall) {
		t.Fatalf("small reserve error = %v", err)
	}
}

// TestSignPDFDeterministic: same inputs, same time, same RSA key give the
// same bytes; with ECDSA the unsigned prefix is still identical.
func TestSignPDFDeterministic(t *testing.T) {
	for _, ts := range testSigners(t)[:2] {
		t.Run(ts.name, func(t *testing.T) {
			a, err := SignPDF(makeReport(t, true), ts.s, testPDFOptions())
			if err != nil {
				t.Fatal(err)
			}
			b, err := SignPDF(makeReport(t, true), ts.s, testPDFOptions())
			if err != nil {
				t.Fatal(err)
			}
			ia, errA := VerifyPDF(a, ts.ca.Pool(), nil)
			ib, errB := VerifyPDF(b, ts.ca.Pool(), nil)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if ia.UnsignedSHA256 != ib.UnsignedSHA256 || !bytes.Equal(a[:ia.UnsignedLength], b[:ib.UnsignedLength]) {
				t.Fatal("unsigned prefixes differ")
			}
			if ts.name == "rsa-2048" && !bytes.Equal(a, b) {
				t.Fatal("RSA-signed PDFs differ")
			}
		})
	}
}

func mustHexDecode(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := hex.DecodeString(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// flipAt flips a bit of the byte at offset off from the first occurrence of
// marker, which must exist.
func flipAt(t *testing.T, b []byte, marker string, off int) []byte {
	t.Helper()
	i := bytes.Index(b, []byte(marker))
	if i < 0 {
		t.Fatalf("%q not found", marker)
	}
	return flip(b, i+off)
}

// replaceHexDigit changes the hex digit at i into another hex digit.
func replaceHexDigit(b []byte, i int) []byte {
	c := bytes.Clone(b)
	if c[i] == '1' {
		c[i] = '2'
	} else {
		c[i] = '1'
	}
	return c
}

// What appendUpdate adds.
const (
	updateInfo            = iota // a changed document information dictionary
	updateSecondSignature        // a second signature field and /Sig dictionary
	updateHiddenSignature        // a /Sig dictionary that no field points to
)

// appendUpdate adds an incremental update after signing, as an attacker or
// a careless PDF editor would.
func appendUpdate(t *testing.T, signed []byte, mode int) []byte {
	t.Helper()
	d, err := loadPDF(signed)
	if err != nil {
		t.Fatal(err)
	}
	tr := d.sections[0].trailer
	size, _ := tr.get("/Size")
	root, _ := refNum(tr, "/Root")
	info, _ := refNum(tr, "/Info")
	objs := map[int]string{info: "<</Title (Tampered after signing)>>"}
	sigDict := "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> /M (D:20260102030405Z)>>"
	switch mode {
	case updateHiddenSignature:
		objs = map[int]string{int(size.num): sigDict}
		size.num++
	case updateSecondSignature:
		catalog, err := d.dictObject(root, "/Catalog")
		if err != nil {
			t.Fatal(err)
		}
		pageNum, _, err := d.firstPage(catalog)
		if err != nil {
			t.Fatal(err)
		}
		form, _ := catalog.get("/AcroForm")
		fields, _ := form.get("/Fields")
		n := int(size.num)
		objs = map[int]string{
			root:  rewriteDict(signed, catalog, "/AcroForm", fmt.Sprintf("<</Fields [%d 0 R %d 0 R] /SigFlags 3>>", fields.items[0].num, n)),
			n:     fmt.Sprintf("<</Type /Annot /Subtype /Widget /FT /Sig /T (Second) /V %d 0 R /F 132 /Rect [0 0 0 0] /P %d 0 R>>", n+1, pageNum),
			n + 1: sigDict,
		}
		size.num += 2
	}
	out := bytes.Clone(signed)
	offsets := map[int]int{}
	var nums []int
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		offsets[n] = len(out)
		out = fmt.Appendf(out, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	xref := len(out)
	out = append(out, "xref\n"...)
	for _, n := range nums {
		out = fmt.Appendf(out, "%d 1\n%010d 00000 n\r\n", n, offsets[n])
	}
	out = fmt.Appendf(out, "trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /Prev %d>>\nstartxref\n%d\n%%%%EOF\n",
		size.num, root, info, d.sections[0].at, xref)
	return out
}
