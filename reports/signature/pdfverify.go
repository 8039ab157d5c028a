package signature

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"slices"
	"time"
	"unicode/utf16"
)

// PDFSignatureInfo describes the one signature of a verified report.
type PDFSignatureInfo struct {
	// Signer is the verified signer certificate; Chain the other embedded
	// certificates.
	Signer *x509.Certificate
	Chain  []*x509.Certificate
	// SigningTime is the /M entry: the signer's claim, at which the
	// certificate chain was validated.
	SigningTime time.Time
	// FieldName, Reason, Name and Location are the texts shown by viewers.
	FieldName, Reason, Name, Location string
	// ByteRange is the signed part of the file: [0, a) and [b, b+c).
	ByteRange [4]int64
	// UnsignedLength and UnsignedSHA256 describe the report as rendered,
	// before the signature update, for the package manifest and the
	// reproducibility check.
	UnsignedLength int64
	UnsignedSHA256 [sha256.Size]byte
}

// sigDictKeys are the only keys accepted in the signature dictionary.
var sigDictKeys = []string{"/Type", "/Filter", "/SubFilter", "/ByteRange", "/Contents", "/M", "/Reason", "/Name", "/Location", "/ContactInfo"}

// VerifyPDF checks a report signed by [SignPDF] and fails closed: it requires
// exactly one signature, in the one incremental update that follows the
// original report; a /ByteRange covering the whole file except the /Contents
// hex string, so nothing can have been appended after signing; and a CMS
// that is valid over those bytes, made by a certificate that chains to roots
// at the /M time and matches pin (see [VerifyDetached] for roots and pin).
func VerifyPDF(signed []byte, roots *x509.CertPool, pin []byte) (PDFSignatureInfo, error) {
	var info PDFSignatureInfo
	d, err := loadPDF(signed)
	if err != nil {
		return info, failWrap(ErrMalformed, err, "PDF structure")
	}
	fieldName, sigNum, err := findSignature(d)
	if err != nil {
		return info, err
	}
	info.FieldName = fieldName
	sig, err := d.dictObject(sigNum, "/Sig")
	if err != nil {
		return info, failWrap(ErrMalformed, err, "signature dictionary")
	}
	for _, k := range sig.keys {
		if !slices.Contains(sigDictKeys, k) {
			return info, failf(ErrMalformed, "unexpected key %s in the signature dictionary", k)
		}
	}
	if f, _ := sig.get("/Filter"); !f.isName("/Adobe.PPKLite") {
		return info, failf(ErrMalformed, "signature /Filter must be /Adobe.PPKLite")
	}
	if sf, _ := sig.get("/SubFilter"); !sf.isName("/ETSI.CAdES.detached") {
		return info, failf(ErrMalformed, "signature /SubFilter must be /ETSI.CAdES.detached")
	}
	contents, ok := sig.get("/Contents")
	if !ok || contents.kind != pdfString || !contents.hexStr {
		return info, failf(ErrMalformed, "signature /Contents must be a hex string")
	}
	br, ok := sig.get("/ByteRange")
	if !ok || br.kind != pdfArray || len(br.items) != 4 {
		return info, failf(ErrMalformed, "signature /ByteRange must hold four integers")
	}
	for i, it := range br.items {
		if it.kind != pdfInt {
			return info, failf(ErrMalformed, "signature /ByteRange must hold four integers")
		}
		info.ByteRange[i] = it.num
	}
	a, b, c := info.ByteRange[1], info.ByteRange[2], info.ByteRange[3]
	if info.ByteRange[0] != 0 || a <= 0 || b <= a || c < 0 || b+c != int64(len(signed)) {
		return info, failf(ErrNotCovered, "/ByteRange %v does not span the %d-byte file", info.ByteRange, len(signed))
	}
	if int64(contents.start) != a || int64(contents.end) != b || !isHexDigits(signed[a+1:b-1]) {
		return info, failf(ErrNotCovered, "the unsigned gap is not exactly the /Contents hex string")
	}
	if len(d.sections) != 2 {
		return info, failf(ErrMalformed, "%d revisions; want the original report and one signature update", len(d.sections))
	}
	prefix, err := unsignedPrefix(d, sigNum)
	if err != nil {
		return info, failWrap(ErrMalformed, err, "signature update")
	}
	info.UnsignedLength, info.UnsignedSHA256 = int64(len(prefix)), sha256.Sum256(prefix)

	der, err := trimPadding(contents.str)
	if err != nil {
		return info, err
	}
	h := sha256.New()
	h.Write(signed[:a])
	h.Write(signed[b:])
	p, err := verifyCMS(der, h.Sum(nil))
	if err != nil {
		return info, err
	}
	if p.hasSigningTime {
		return info, failf(ErrMalformed, "PAdES signatures carry their time in /M, not in a signingTime attribute")
	}
	m, _ := sig.get("/M")
	if info.SigningTime, err = parsePDFDate(m); err != nil {
		return info, failWrap(ErrMalformed, err, "signature /M")
	}
	if err := checkTrust(p, roots, pin, info.SigningTime); err != nil {
		return info, err
	}
	info.Signer, info.Chain = p.leaf, p.intermediates
	info.Reason, info.Name, info.Location = textEntry(sig, "/Reason"), textEntry(sig, "/Name"), textEntry(sig, "/Location")
	return info, nil
}

// findSignature returns the name and the /V object of the only signature
// field, and refuses a document with any other signature dictionary, even
// one no field points to.
func findSignature(d *pdfDoc) (string, int, error) {
	root, err := refNum(d.sections[0].trailer, "/Root")
	if err != nil {
		return "", 0, failWrap(ErrMalformed, err, "trailer")
	}
	catalog, err := d.dictObject(root, "/Catalog")
	if err != nil {
		return "", 0, failWrap(ErrMalformed, err, "catalog")
	}
	var sigObjs []int
	nums := make([]int, 0, len(d.offsets))
	for n := range d.offsets {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		v, err := d.object(n)
		if err != nil {
			return "", 0, failWrap(ErrMalformed, err, "object scan")
		}
		_, hasRange := v.get("/ByteRange")
		if t, _ := v.get("/Type"); v.kind == pdfDict && (t.isName("/Sig") || t.isName("/DocTimeStamp") || hasRange) {
			sigObjs = append(sigObjs, n)
		}
	}
	form, ok := catalog.get("/AcroForm")
	if !ok {
		return "", 0, failf(ErrSignatureCount, "the document has no signature form")
	}
	if form, err = d.resolve(form); err != nil || form.kind != pdfDict {
		return "", 0, failWrap(ErrMalformed, err, "/AcroForm")
	}
	fields, _ := form.get("/Fields")
	if fields, err = d.resolve(fields); err != nil || fields.kind != pdfArray {
		return "", 0, failWrap(ErrMalformed, err, "/AcroForm /Fields")
	}
	var names []string
	var values []pdfValue
	for _, f := range fields.items {
		if f.kind != pdfRef {
			return "", 0, failf(ErrMalformed, "form field is not an indirect object")
		}
		field, err := d.dictObject(int(f.num), "")
		if err != nil {
			return "", 0, failWrap(ErrMalformed, err, "form field")
		}
		if _, kids := field.get("/Kids"); kids {
			return "", 0, failf(ErrMalformed, "hierarchical form fields are not expected")
		}
		if ft, _ := field.get("/FT"); ft.isName("/Sig") {
			v, _ := field.get("/V")
			t, _ := field.get("/T")
			names, values = append(names, decodeText(t.str)), append(values, v)
		}
	}
	if len(values) != 1 || len(sigObjs) != 1 {
		return "", 0, failf(ErrSignatureCount, "%d signature fields and %d signature dictionaries", len(values), len(sigObjs))
	}
	if values[0].kind != pdfRef || int(values[0].num) != sigObjs[0] {
		return "", 0, failf(ErrMalformed, "the signature field does not point to the signature dictionary")
	}
	return names[0], sigObjs[0], nil
}

// unsignedPrefix returns the original report: the bytes up to the end of
// line after its %%EOF. It must be a complete one-revision PDF, and every
// object of the update, the signature included, must follow it.
func unsignedPrefix(d *pdfDoc, sigNum int) ([]byte, error) {
	base, update := d.sections[1], d.sections[0]
	i := bytes.Index(d.b[base.at:], []byte("%%EOF"))
	if i < 0 {
		return nil, errNoEOF
	}
	end := int(base.at) + i + len("%%EOF")
	if bytes.HasPrefix(d.b[end:], []byte("\r\n")) {
		end += 2
	} else if end < len(d.b) && (d.b[end] == '\n' || d.b[end] == '\r') {
		end++
	}
	prefix := d.b[:end]
	pd, err := loadPDF(prefix)
	if err != nil {
		return nil, err
	}
	if len(pd.sections) != 1 || pd.sections[0].at != base.at || update.at < int64(end) {
		return nil, errBadUpdate
	}
	for _, off := range update.entries {
		if off < int64(end) {
			return nil, errBadUpdate
		}
	}
	if update.entries[sigNum] < int64(end) {
		return nil, errBadUpdate
	}
	return prefix, nil
}

var (
	errNoEOF     = errors.New("original revision has no %%EOF")
	errBadUpdate = errors.New("the update does not cleanly follow the original report")
)

// trimPadding cuts the zero padding after the DER CMS in /Contents.
func trimPadding(b []byte) ([]byte, error) {
	var rv asn1.RawValue
	rest, err := asn1.Unmarshal(b, &rv)
	if err != nil {
		return nil, failWrap(ErrMalformed, err, "CMS in /Contents")
	}
	for _, c := range rest {
		if c != 0 {
			return nil, failf(ErrMalformed, "data after the CMS in /Contents")
		}
	}
	return b[:len(b)-len(rest)], nil
}

func isHexDigits(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return len(b)%2 == 0
}

// parsePDFDate reads D:YYYYMMDDHHmmSS followed by Z, Z00'00' or ±HH'mm'.
func parsePDFDate(v pdfValue) (time.Time, error) {
	s := string(v.str)
	if v.kind != pdfString || len(s) < 16 || s[:2] != "D:" {
		return time.Time{}, failf(ErrMalformed, "date %q is not D:YYYYMMDDHHmmSS", s)
	}
	t, err := time.Parse("20060102150405", s[2:16])
	if err != nil {
		return time.Time{}, err
	}
	switch zone := s[16:]; {
	case zone == "Z" || zone == "Z00'00'" || zone == "Z00'00":
		return t, nil
	case len(zone) >= 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == '\'':
		z, err := time.Parse("-0700", zone[:3]+zone[4:6])
		if err != nil {
			return time.Time{}, err
		}
		_, off := z.Zone()
		return t.Add(-time.Duration(off) * time.Second).UTC(), nil
	default:
		return time.Time{}, failf(ErrMalformed, "date %q has no time zone", s)
	}
}

// textEntry returns a text string entry of dict, or "".
func textEntry(dict pdfValue, key string) string {
	v, ok := dict.get(key)
	if !ok || v.kind != pdfString {
		return ""
	}
	return decodeText(v.str)
}

// decodeText decodes a PDF text string: UTF-16BE with a byte order mark, or
// else single bytes (PDFDocEncoding, read as Latin-1).
func decodeText(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
