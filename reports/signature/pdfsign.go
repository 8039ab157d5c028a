package signature

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// DefaultContentsReserve is the room, in bytes of DER, kept for the CMS in
// /Contents: an ECDSA signature with a two-certificate chain takes about
// 1.2 KiB and an RSA-2048 one about 1.6 KiB, so 8 KiB fits a four-certificate
// RSA chain.
const DefaultContentsReserve = 8192

// DefaultFieldName names the signature field that viewers list.
const DefaultFieldName = "AuditSignature"

// byteRangeWidth is the fixed width of the /ByteRange array, written before
// its values are known and filled in afterwards.
const byteRangeWidth = 48

// PDFOptions describes the signature added by [SignPDF].
type PDFOptions struct {
	// SigningTime is the signer's claimed time, written to /M; it is required
	// because this package never reads the clock.
	SigningTime time.Time
	// Reason, Name and Location are shown by PDF viewers; empty ones are left out.
	Reason, Name, Location string
	// FieldName defaults to [DefaultFieldName].
	FieldName string
	// ContentsReserve is the room for the CMS in bytes; it defaults to
	// [DefaultContentsReserve]. Signing fails if the CMS does not fit.
	ContentsReserve int
	// Rand feeds ECDSA; nil means crypto/rand.Reader.
	Rand io.Reader
}

// ErrReserveTooSmall means the CMS is larger than PDFOptions.ContentsReserve.
var ErrReserveTooSmall = errors.New("signature does not fit in the reserved /Contents space")

// SignPDF signs a report written by fpdf (classic cross-reference table, no
// form, not encrypted, not yet updated) with a PAdES B-B signature and
// returns the signed file. The input is left untouched and is a byte-exact
// prefix of the output: one incremental update appends the catalog with an
// /AcroForm, the first page with the signature widget added to its /Annots,
// the widget, the /Sig dictionary and a new cross-reference section.
func SignPDF(pdf []byte, s *Signer, opts PDFOptions) ([]byte, error) {
	if opts.SigningTime.IsZero() {
		return nil, errors.New("PDF signing needs an explicit signing time")
	}
	if opts.ContentsReserve == 0 {
		opts.ContentsReserve = DefaultContentsReserve
	}
	if opts.FieldName == "" {
		opts.FieldName = DefaultFieldName
	}
	out, contentsAt, err := appendSignatureUpdate(pdf, opts)
	if err != nil {
		return nil, fmt.Errorf("failed to prepare PDF signature: %w", err)
	}
	a, b := int64(contentsAt), int64(contentsAt+2+2*opts.ContentsReserve)
	if err := fillByteRange(out, [4]int64{0, a, b, int64(len(out)) - b}); err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(out[:a])
	h.Write(out[b:])
	der, err := signDigest(h.Sum(nil), s, CMSOptions{Rand: opts.Rand})
	if err != nil {
		return nil, fmt.Errorf("failed to sign PDF: %w", err)
	}
	if len(der) > opts.ContentsReserve {
		return nil, fmt.Errorf("%w: CMS is %d bytes, reserve is %d (raise PDFOptions.ContentsReserve)",
			ErrReserveTooSmall, len(der), opts.ContentsReserve)
	}
	hex.Encode(out[a+1:], der)
	return out, nil
}

// appendSignatureUpdate returns the base PDF followed by the incremental
// update with placeholders, and the offset of the '<' opening /Contents.
func appendSignatureUpdate(base []byte, opts PDFOptions) ([]byte, int, error) {
	d, err := loadPDF(base)
	if err != nil {
		return nil, 0, err
	}
	if len(d.sections) != 1 {
		return nil, 0, errors.New("the PDF already has incremental updates")
	}
	tr := d.sections[0].trailer
	size, ok := tr.get("/Size")
	if !ok || size.kind != pdfInt || size.num <= 0 || size.num > maxPDFObjects {
		return nil, 0, errors.New("trailer /Size is missing or invalid")
	}
	rootNum, err := refNum(tr, "/Root")
	if err != nil {
		return nil, 0, fmt.Errorf("trailer: %w", err)
	}
	catalog, err := d.dictObject(rootNum, "/Catalog")
	if err != nil {
		return nil, 0, err
	}
	if _, ok := catalog.get("/AcroForm"); ok {
		return nil, 0, errors.New("the PDF already has a form; only unsigned reports are supported")
	}
	pageNum, page, err := d.firstPage(catalog)
	if err != nil {
		return nil, 0, err
	}
	fieldNum, sigNum := int(size.num), int(size.num)+1
	annots, err := mergedAnnots(d, page, fieldNum)
	if err != nil {
		return nil, 0, err
	}

	out := bytes.Clone(base)
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	offsets := map[int]int{}
	writeObj := func(num int, body string) {
		offsets[num] = len(out)
		out = fmt.Appendf(out, "%d 0 obj\n%s\nendobj\n", num, body)
	}
	writeObj(rootNum, rewriteDict(base, catalog, "/AcroForm",
		fmt.Sprintf("<</Fields [%d 0 R] /SigFlags 3>>", fieldNum)))
	writeObj(pageNum, rewriteDict(base, page, "/Annots", annots))
	writeObj(fieldNum, fmt.Sprintf("<</Type /Annot /Subtype /Widget /FT /Sig /T %s /V %d 0 R /F 132 /Rect [0 0 0 0] /P %d 0 R>>",
		pdfTextString(opts.FieldName), sigNum, pageNum))

	sig := "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n/ByteRange " +
		strings.Repeat(" ", byteRangeWidth) + "\n/Contents "
	offsets[sigNum] = len(out)
	out = fmt.Appendf(out, "%d 0 obj\n%s", sigNum, sig)
	contentsAt := len(out)
	out = append(out, '<')
	out = append(out, bytes.Repeat([]byte("0"), 2*opts.ContentsReserve)...)
	out = append(out, '>')
	out = fmt.Appendf(out, "\n/M %s", pdfTextString(pdfDate(opts.SigningTime)))
	for _, e := range []struct{ key, val string }{{"/Reason", opts.Reason}, {"/Name", opts.Name}, {"/Location", opts.Location}} {
		if e.val != "" {
			out = fmt.Appendf(out, " %s %s", e.key, pdfTextString(e.val))
		}
	}
	out = append(out, ">>\nendobj\n"...)

	xrefAt := len(out)
	out = append(out, "xref\n"...)
	nums := []int{rootNum, pageNum, fieldNum, sigNum}
	slices.Sort(nums)
	for _, n := range nums {
		out = fmt.Appendf(out, "%d 1\n%010d 00000 n\r\n", n, offsets[n])
	}
	// The /ID is derived from the report, not from randomness or the clock;
	// a report that already has one keeps its permanent first half.
	id := sha256.Sum256(base)
	first := fmt.Sprintf("<%x>", id[:16])
	if old, ok := tr.get("/ID"); ok && old.kind == pdfArray && len(old.items) == 2 && old.items[0].kind == pdfString {
		first = fmt.Sprintf("<%x>", old.items[0].str)
	}
	out = fmt.Appendf(out, "trailer\n<</Size %d /Root %d 0 R", sigNum+1, rootNum)
	if info, ok := tr.get("/Info"); ok && info.kind == pdfRef {
		out = fmt.Appendf(out, " /Info %d 0 R", info.num)
	}
	out = fmt.Appendf(out, " /Prev %d /ID [%s <%x>]>>\nstartxref\n%d\n%%%%EOF\n",
		d.sections[0].at, first, id[:16], xrefAt)
	return out, contentsAt, nil
}

// mergedAnnots returns the page's /Annots with the widget appended,
// keeping fpdf's link annotations (direct or behind a reference).
func mergedAnnots(d *pdfDoc, page pdfValue, fieldNum int) (string, error) {
	widget := fmt.Sprintf("%d 0 R", fieldNum)
	v, ok := page.get("/Annots")
	if !ok {
		return "[" + widget + "]", nil
	}
	arr, err := d.resolve(v)
	if err != nil || arr.kind != pdfArray {
		return "", fmt.Errorf("first page /Annots is not an array: %v", err)
	}
	src := d.b
	var parts []string
	for _, it := range arr.items {
		parts = append(parts, string(src[it.start:it.end]))
	}
	return "[" + strings.Join(append(parts, widget), " ") + "]", nil
}

// rewriteDict re-emits dict from src (raw values, in file order) with key
// set to value, replacing it if present.
func rewriteDict(src []byte, dict pdfValue, key, value string) string {
	var b strings.Builder
	b.WriteString("<<")
	for i, k := range dict.keys {
		if k == key {
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", k, src[dict.vals[i].start:dict.vals[i].end])
	}
	fmt.Fprintf(&b, "%s %s>>", key, value)
	return b.String()
}

// fillByteRange writes br into the space-padded /ByteRange placeholder that
// appendSignatureUpdate put just before /Contents.
func fillByteRange(out []byte, br [4]int64) error {
	val := fmt.Sprintf("[%d %d %d %d]", br[0], br[1], br[2], br[3])
	at := int(br[1]) - len("\n/Contents ") - byteRangeWidth
	if len(val) > byteRangeWidth || !bytes.HasSuffix(out[:at], []byte("/ByteRange ")) {
		return errors.New("internal error: /ByteRange placeholder not found")
	}
	copy(out[at:at+byteRangeWidth], val)
	return nil
}

// pdfDate formats t as a PDF date in UTC (ISO 32000-1, 7.9.4).
func pdfDate(t time.Time) string {
	return "D:" + t.UTC().Format("20060102150405") + "Z"
}

// pdfTextString encodes s as a literal string when it is printable ASCII and
// as UTF-16BE with a byte order mark otherwise, as PDF text strings require.
func pdfTextString(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	ascii := true
	for i := 0; i < len(s); i++ {
		ascii = ascii && s[i] >= 0x20 && s[i] < 0x7f
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteString(strings.ToUpper(strconv.FormatUint(uint64(u)|0x10000, 16)[1:]))
	}
	b.WriteString(">")
	return b.String()
}
