package signature

import (
	"bytes"
	"fmt"
	"slices"
)

// Limits for hostile files; an fpdf report is far below them.
const (
	maxXrefSections = 8
	maxPDFObjects   = 1 << 20
)

// xrefSection is one classic cross-reference section and its trailer: the
// original file has one, every incremental update adds one.
type xrefSection struct {
	at      int64         // offset of the "xref" keyword
	entries map[int]int64 // object number -> offset, in-use entries only
	trailer pdfValue      // the trailer dictionary
	nums    []int         // object numbers in use, sorted
}

// pdfDoc is a PDF read through its cross-reference sections, newest first.
type pdfDoc struct {
	b        []byte
	sections []xrefSection
	offsets  map[int]int64 // newest definition of each object
}

// loadPDF reads the last startxref and follows /Prev back to the original
// section. Only classic xref tables are accepted (fpdf writes nothing else),
// and nothing but an end-of-line may follow the final %%EOF.
func loadPDF(b []byte) (*pdfDoc, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		return nil, fmt.Errorf("not a PDF file")
	}
	at, err := lastStartxref(b)
	if err != nil {
		return nil, err
	}
	d := &pdfDoc{b: b, offsets: map[int]int64{}}
	for {
		if len(d.sections) == maxXrefSections {
			return nil, fmt.Errorf("more than %d cross-reference sections", maxXrefSections)
		}
		sec, err := readXref(b, at)
		if err != nil {
			return nil, err
		}
		d.sections = append(d.sections, sec)
		for num, off := range sec.entries {
			if _, newer := d.offsets[num]; !newer {
				d.offsets[num] = off
			}
		}
		prev, ok := sec.trailer.get("/Prev")
		if !ok {
			break
		}
		if prev.kind != pdfInt || prev.num >= at || prev.num < 0 {
			return nil, fmt.Errorf("trailer /Prev must point to an earlier offset")
		}
		at = prev.num
	}
	if _, enc := d.sections[0].trailer.get("/Encrypt"); enc {
		return nil, fmt.Errorf("encrypted PDF files are not supported")
	}
	return d, nil
}

// lastStartxref returns the offset named by the final "startxref", which
// must be followed only by %%EOF and an optional end of line.
func lastStartxref(b []byte) (int64, error) {
	tail := b
	for _, eol := range []string{"\r\n", "\n", "\r"} {
		if bytes.HasSuffix(tail, []byte(eol)) {
			tail = tail[:len(tail)-len(eol)]
			break
		}
	}
	if !bytes.HasSuffix(tail, []byte("%%EOF")) {
		return 0, fmt.Errorf("file does not end with %%%%EOF")
	}
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 || len(tail)-i > 64 {
		return 0, fmt.Errorf("startxref not found at the end of the file")
	}
	l := &pdfLexer{b: tail[:len(tail)-len("%%EOF")], pos: i + len("startxref")}
	at, err := l.integer()
	if err != nil {
		return 0, fmt.Errorf("startxref: %w", err)
	}
	if l.skipSpace(); l.pos != len(l.b) {
		return 0, fmt.Errorf("unexpected data after startxref")
	}
	return at, nil
}

// readXref parses "xref", its subsections of 20-byte entries and the trailer.
func readXref(b []byte, at int64) (xrefSection, error) {
	sec := xrefSection{at: at, entries: map[int]int64{}}
	if at <= 0 || at >= int64(len(b)) {
		return sec, fmt.Errorf("cross-reference offset %d outside the file", at)
	}
	l := &pdfLexer{b: b, pos: int(at)}
	if l.keyword() != "xref" {
		return sec, fmt.Errorf("no classic cross-reference table at offset %d (xref streams are not supported)", at)
	}
	total := 0
	for {
		l.skipSpace()
		if bytes.HasPrefix(b[l.pos:], []byte("trailer")) {
			break
		}
		first, err := l.integer()
		if err != nil {
			return sec, fmt.Errorf("xref subsection: %w", err)
		}
		count, err := l.integer()
		if err != nil {
			return sec, fmt.Errorf("xref subsection: %w", err)
		}
		if total += int(count); total > maxPDFObjects || first+count > maxPDFObjects {
			return sec, fmt.Errorf("too many objects in cross-reference section")
		}
		// Entries start after the end of line that ends the subsection header.
		for l.pos < len(b) && (b[l.pos] == ' ' || b[l.pos] == '\r' || b[l.pos] == '\n') {
			l.pos++
		}
		if int64(len(b)-l.pos) < 20*count {
			return sec, fmt.Errorf("cross-reference section truncated")
		}
		for i := int64(0); i < count; i++ {
			e := b[l.pos : l.pos+20]
			off, err1 := parseDigits(e[0:10])
			gen, err2 := parseDigits(e[11:16])
			if err1 != nil || err2 != nil || e[10] != ' ' || e[16] != ' ' || !isPDFSpace(e[18]) || !isPDFSpace(e[19]) {
				return sec, fmt.Errorf("malformed cross-reference entry at offset %d", l.pos)
			}
			num := int(first + i)
			switch e[17] {
			case 'n':
				if gen != 0 {
					return sec, fmt.Errorf("object %d has generation %d; only 0 is supported", num, gen)
				}
				if _, dup := sec.entries[num]; dup {
					return sec, fmt.Errorf("object %d listed twice", num)
				}
				sec.entries[num] = off
				sec.nums = append(sec.nums, num)
			case 'f':
			default:
				return sec, fmt.Errorf("malformed cross-reference entry at offset %d", l.pos)
			}
			l.pos += 20
		}
	}
	l.pos += len("trailer")
	tr, err := l.value(0)
	if err != nil || tr.kind != pdfDict {
		return sec, fmt.Errorf("malformed trailer: %v", err)
	}
	if err := l.expect("startxref"); err != nil {
		return sec, fmt.Errorf("trailer: %w", err)
	}
	sec.trailer = tr
	slices.Sort(sec.nums)
	return sec, nil
}

func parseDigits(b []byte) (int64, error) {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a digit: %q", c)
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// object returns the newest definition of object num.
func (d *pdfDoc) object(num int) (pdfValue, error) {
	off, ok := d.offsets[num]
	if !ok {
		return pdfValue{}, fmt.Errorf("object %d is not in the cross-reference table", num)
	}
	return readObject(d.b, off, num)
}

// resolve follows v if it is a reference.
func (d *pdfDoc) resolve(v pdfValue) (pdfValue, error) {
	if v.kind != pdfRef {
		return v, nil
	}
	return d.object(int(v.num))
}

// dictObject returns object num, which must be a dictionary of type typ
// (when typ is not empty).
func (d *pdfDoc) dictObject(num int, typ string) (pdfValue, error) {
	v, err := d.object(num)
	if err != nil {
		return v, err
	}
	if v.kind != pdfDict {
		return v, fmt.Errorf("object %d is not a dictionary", num)
	}
	if t, _ := v.get("/Type"); typ != "" && !t.isName(typ) {
		return v, fmt.Errorf("object %d is not of type %s", num, typ)
	}
	return v, nil
}

// refNum returns the object number of a reference entry of dict.
func refNum(dict pdfValue, key string) (int, error) {
	v, ok := dict.get(key)
	if !ok || v.kind != pdfRef {
		return 0, fmt.Errorf("%s is missing or not a reference", key)
	}
	return int(v.num), nil
}

// firstPage walks /Pages down the first /Kids entries to the first page.
func (d *pdfDoc) firstPage(catalog pdfValue) (int, pdfValue, error) {
	num, err := refNum(catalog, "/Pages")
	if err != nil {
		return 0, pdfValue{}, fmt.Errorf("catalog: %w", err)
	}
	for depth := 0; depth < maxPDFDepth; depth++ {
		node, err := d.dictObject(num, "")
		if err != nil {
			return 0, node, err
		}
		if t, _ := node.get("/Type"); t.isName("/Page") {
			return num, node, nil
		}
		kids, ok := node.get("/Kids")
		if !ok || kids.kind != pdfArray || len(kids.items) == 0 || kids.items[0].kind != pdfRef {
			return 0, node, fmt.Errorf("page tree node %d has no /Kids", num)
		}
		num = int(kids.items[0].num)
	}
	return 0, pdfValue{}, fmt.Errorf("page tree too deep")
}
