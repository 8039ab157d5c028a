package archive

// local reads the local header of c and, with flag bit 3, its data
// descriptor, checks that they agree with the central directory, sets the
// entry's data offset and returns where the entry ends (max64 if that
// cannot be told). next is where the following record starts.
func (p *parser) local(c *central, e *Entry, next uint64) uint64 {
	fail := func(format string, args ...any) uint64 {
		p.fail(c.name, ErrStructure, format, args...)
		return max64
	}
	if c.offset > next {
		return fail("its local header offset %d is past the central directory", c.offset)
	}
	h := p.read(int64(c.offset), localLen)
	if h == nil || le32(h) != sigLocal {
		return fail("no local file header at offset %d", c.offset)
	}
	flags, method := le16(h[6:]), le16(h[8:])
	crc, csize, usize := le32(h[14:]), uint64(le32(h[18:])), uint64(le32(h[22:]))
	nameLen, extraLen := uint64(le16(h[26:])), uint64(le16(h[28:]))
	dataAt := c.offset + localLen + nameLen + extraLen
	if dataAt > next {
		return fail("the local header runs past the start of the next record")
	}
	rest := p.read(int64(c.offset)+localLen, int64(nameLen+extraLen))
	if rest == nil {
		return fail("the local header is truncated")
	}
	name, extra := string(rest[:nameLen]), rest[nameLen:]
	switch {
	case name != c.name:
		return fail("the local header names %q, the central directory %q", name, c.name)
	case flags != c.flags:
		return fail("the local header has flags %#04x, the central directory %#04x", flags, c.flags)
	case method != c.method:
		return fail("the local header says compression method %d, the central directory %d", method, c.method)
	}
	fields, err := parseExtra(extra)
	if err != nil {
		return fail("local header: %v", err)
	}
	if err := p.checkRecords("local header", extra, nil); err != nil {
		p.fail(c.name, ErrStructure, "%v", err) // the layout can still be checked
	}
	if up := unicodePath(extra); up != "" && up != c.name {
		return fail("the local header's Unicode path field names %q", up)
	}
	if z, ok := fields[extraZip64]; ok || csize == max32 || usize == max32 {
		if !ok || len(z) != 16 || (csize != max32 && usize != max32) {
			return fail("the local header's sizes are not a valid zip64 pair")
		}
		usize, csize = le64(z), le64(z[8:])
	}
	e.data = int64(dataAt)
	dataEnd := dataAt + c.csize
	if dataEnd < dataAt || dataEnd > next {
		return fail("its %d bytes of data run past the start of the next record", c.csize)
	}
	if flags&flagDescriptor == 0 {
		switch {
		case crc != c.crc:
			return fail("the local header says CRC-32 %08x, the central directory %08x", crc, c.crc)
		case csize != c.csize:
			return fail("the local header says %d compressed bytes, the central directory %d", csize, c.csize)
		case usize != c.usize:
			return fail("the local header says %d bytes, the central directory %d", usize, c.usize)
		}
		return dataEnd
	}
	// With a data descriptor the local header may leave the values zero.
	if (crc != 0 && crc != c.crc) || (csize != 0 && csize != c.csize) || (usize != 0 && usize != c.usize) {
		return fail("the local header's CRC-32 or sizes disagree with the central directory")
	}
	return p.descriptor(c, dataEnd, next)
}

// descriptor checks the data descriptor at at. Its sizes take 4 or 8
// bytes; writers disagree on when to use which, so the width is the one
// that ends the entry exactly where the next record begins.
func (p *parser) descriptor(c *central, at, next uint64) uint64 {
	fail := func(format string, args ...any) uint64 {
		p.fail(c.name, ErrStructure, format, args...)
		return max64
	}
	width := uint64(4)
	if at+4+4+16 == next {
		width = 8
	}
	d := p.read(int64(at), int64(8+2*width))
	if d == nil || le32(d) != sigDesc {
		return fail("no signed data descriptor after its data (flag bit 3 is set)")
	}
	crc := le32(d[4:])
	csize, usize := uint64(le32(d[8:])), uint64(le32(d[12:]))
	if width == 8 {
		csize, usize = le64(d[8:]), le64(d[16:])
	}
	switch {
	case crc != c.crc:
		return fail("the data descriptor says CRC-32 %08x, the central directory %08x", crc, c.crc)
	case csize != c.csize:
		return fail("the data descriptor says %d compressed bytes, the central directory %d", csize, c.csize)
	case usize != c.usize:
		return fail("the data descriptor says %d bytes, the central directory %d", usize, c.usize)
	}
	return at + 8 + 2*width
}
