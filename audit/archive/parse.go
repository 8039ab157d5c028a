package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// Record signatures and sizes (APPNOTE.TXT 4.3).
const (
	sigLocal   = 0x04034b50
	sigCentral = 0x02014b50
	sigEnd     = 0x06054b50
	sigEnd64   = 0x06064b50
	sigLoc64   = 0x07064b50
	sigDesc    = 0x08074b50

	localLen   = 30
	centralLen = 46
	endLen     = 22
	end64Len   = 56
	loc64Len   = 20

	max16 = 0xffff
	max32 = 0xffffffff

	extraZip64       = 0x0001
	extraUnicodePath = 0x7075
)

// signatures are the records a comment must not contain: a reader that
// scans backwards for the end record would find a second one there.
var signatures = [][]byte{[]byte("PK\x01\x02"), []byte("PK\x03\x04"), []byte("PK\x05\x06"), []byte("PK\x06\x06"), []byte("PK\x06\x07"), []byte("PK\x07\x08")}

// parser collects every problem of one archive.
type parser struct {
	r        io.ReaderAt
	size     int64
	opts     Options
	problems Refusal
}

func (p *parser) fail(entry string, kind error, format string, args ...any) {
	p.problems = append(p.problems, &Error{Entry: entry, Kind: kind, Reason: fmt.Sprintf(format, args...)})
}

// read returns n bytes at off, or nil if the file is too short.
func (p *parser) read(off int64, n int64) []byte {
	if off < 0 || n < 0 || off > p.size || n > p.size-off {
		return nil
	}
	b := make([]byte, n)
	if _, err := p.r.ReadAt(b, off); err != nil && !(err == io.EOF && int64(len(b)) == n) {
		return nil
	}
	return b
}

// directory is where the end records place the central directory.
type directory struct {
	offset, size uint64
	count        uint64
	end          int64 // where the central directory must end
}

// endRecord finds the end of central directory record and, if the archive
// has one, the zip64 end record; it refuses anything after them.
func (p *parser) endRecord() (directory, bool) {
	if p.size < endLen {
		p.fail("", ErrFormat, "%d bytes, too short for a zip archive", p.size)
		return directory{}, false
	}
	n := min(p.size, endLen+max16)
	tail := p.read(p.size-n, n)
	if tail == nil {
		p.fail("", ErrFormat, "cannot read the end of the file")
		return directory{}, false
	}
	i := bytes.LastIndex(tail[:n-endLen+4], []byte("PK\x05\x06"))
	if i < 0 {
		p.fail("", ErrFormat, "no end of central directory record (not a zip archive, or more than 64 KiB appended to one)")
		return directory{}, false
	}
	rec := tail[i : i+endLen]
	at := p.size - n + int64(i)
	commentLen := int64(le16(rec[20:]))
	switch end := at + endLen + commentLen; {
	case end > p.size:
		p.fail("", ErrStructure, "the end record declares a %d-byte comment, but only %d bytes follow it", commentLen, p.size-at-endLen)
		return directory{}, false
	case end < p.size:
		p.fail("", ErrStructure, "%d bytes follow the end of the archive (appended data)", p.size-end)
		return directory{}, false
	}
	if comment := tail[i+endLen:]; len(comment) > 0 {
		if !p.opts.AllowComment {
			p.fail("", ErrStructure, "an archive comment of %d bytes (none is allowed here)", len(comment))
			return directory{}, false
		}
		if hasSignature(comment) {
			p.fail("", ErrStructure, "the archive comment holds a zip record signature (other tools could read another archive from it)")
			return directory{}, false
		}
	}
	d := directory{offset: uint64(le32(rec[16:])), size: uint64(le32(rec[12:])), count: uint64(le16(rec[10:])), end: at}
	disk, cdDisk, onDisk := le16(rec[4:]), le16(rec[6:]), uint64(le16(rec[8:]))
	if loc := p.read(at-loc64Len, loc64Len); at >= loc64Len && loc != nil && le32(loc) == sigLoc64 {
		var ok bool
		if d, ok = p.zip64End(d, loc, at-loc64Len); !ok {
			return directory{}, false
		}
		disk, cdDisk, onDisk = 0, 0, d.count
	} else if disk != 0 || cdDisk != 0 || onDisk != d.count {
		p.fail("", ErrUnsupported, "a split (multi-disk) archive")
		return directory{}, false
	}
	if d.offset > uint64(d.end) || d.size != uint64(d.end)-d.offset {
		if d.offset+d.size < uint64(d.end) {
			p.fail("", ErrStructure, "%d bytes between the central directory and the end record (data prepended to the archive, or hidden in it)",
				uint64(d.end)-d.offset-d.size)
		} else {
			p.fail("", ErrStructure, "the end record places the central directory (offset %d, %d bytes) past its own offset %d", d.offset, d.size, d.end)
		}
		return directory{}, false
	}
	if d.count > uint64(p.opts.MaxEntries) {
		p.fail("", ErrLimit, "%d entries, more than the limit of %d", d.count, p.opts.MaxEntries)
		return directory{}, false
	}
	if d.count*centralLen > d.size {
		p.fail("", ErrFormat, "a central directory of %d bytes cannot hold %d entries", d.size, d.count)
		return directory{}, false
	}
	return d, true
}

// zip64End reads the zip64 end record the locator at locAt points to. It
// must sit right before the locator, and every field of the classic end
// record must either say "see zip64" or agree with it.
func (p *parser) zip64End(d directory, loc []byte, locAt int64) (directory, bool) {
	if le32(loc[4:]) != 0 || le32(loc[16:]) != 1 {
		p.fail("", ErrUnsupported, "a split (multi-disk) zip64 archive")
		return d, false
	}
	at := int64(le64(loc[8:]))
	if at != locAt-end64Len {
		p.fail("", ErrStructure, "the zip64 end record is at offset %d, not right before its locator at %d", at, locAt)
		return d, false
	}
	rec := p.read(at, end64Len)
	if rec == nil || le32(rec) != sigEnd64 || le64(rec[4:]) != end64Len-12 {
		p.fail("", ErrFormat, "no valid zip64 end record at offset %d", at)
		return d, false
	}
	if le32(rec[16:]) != 0 || le32(rec[20:]) != 0 || le64(rec[24:]) != le64(rec[32:]) {
		p.fail("", ErrUnsupported, "a split (multi-disk) zip64 archive")
		return d, false
	}
	z := directory{count: le64(rec[32:]), size: le64(rec[40:]), offset: le64(rec[48:]), end: at}
	if (d.count != max16 && d.count != z.count) || (d.size != max32 && d.size != z.size) || (d.offset != max32 && d.offset != z.offset) {
		p.fail("", ErrStructure, "the end record and the zip64 end record disagree on the central directory")
		return d, false
	}
	return z, true
}

// central is one central directory entry as stored.
type central struct {
	name                  string
	madeBy, flags, method uint16
	modTime, modDate      uint16
	crc                   uint32
	csize, usize          uint64
	offset                uint64
	extAttrs              uint32
	extra, comment        []byte
}

// centralDirectory reads exactly d.count entries filling exactly d.size
// bytes.
func (p *parser) centralDirectory(d directory) ([]*central, bool) {
	b := p.read(int64(d.offset), int64(d.size))
	if b == nil {
		p.fail("", ErrFormat, "cannot read the central directory")
		return nil, false
	}
	out := make([]*central, 0, d.count)
	for i := uint64(0); i < d.count; i++ {
		if len(b) < centralLen || le32(b) != sigCentral {
			p.fail("", ErrFormat, "central directory entry %d of %d is missing or garbled", i+1, d.count)
			return nil, false
		}
		nameLen, extraLen, commentLen := int(le16(b[28:])), int(le16(b[30:])), int(le16(b[32:]))
		if len(b) < centralLen+nameLen+extraLen+commentLen {
			p.fail("", ErrFormat, "central directory entry %d of %d runs past the directory", i+1, d.count)
			return nil, false
		}
		c := &central{
			madeBy: le16(b[4:]), flags: le16(b[8:]), method: le16(b[10:]), modTime: le16(b[12:]), modDate: le16(b[14:]),
			crc: le32(b[16:]), csize: uint64(le32(b[20:])), usize: uint64(le32(b[24:])),
			extAttrs: le32(b[38:]), offset: uint64(le32(b[42:])),
			name:    string(b[centralLen : centralLen+nameLen]),
			extra:   b[centralLen+nameLen : centralLen+nameLen+extraLen],
			comment: b[centralLen+nameLen+extraLen : centralLen+nameLen+extraLen+commentLen],
		}
		disk := le16(b[34:])
		b = b[centralLen+nameLen+extraLen+commentLen:]
		if disk != 0 {
			p.fail(c.name, ErrUnsupported, "the entry starts on disk %d (a split archive)", disk)
			return nil, false
		}
		if !p.centralZip64(c) {
			return nil, false
		}
		out = append(out, c)
	}
	if len(b) != 0 {
		p.fail("", ErrStructure, "%d bytes in the central directory after its %d entries (an entry the end record does not count)", len(b), d.count)
		return nil, false
	}
	return out, true
}

// centralZip64 replaces the sizes and offset marked 0xFFFFFFFF with the
// values of the zip64 extra field. The field holds exactly those values,
// in order; a writer that stores all three (Go's) is accepted if the
// values not needed equal the header's.
func (p *parser) centralZip64(c *central) bool {
	fields, err := parseExtra(c.extra)
	if err != nil {
		p.fail(c.name, ErrStructure, "central directory: %v", err)
		return false
	}
	z, ok := fields[extraZip64]
	vals := []*uint64{&c.usize, &c.csize, &c.offset}
	var need []*uint64
	prefix := true
	for i, v := range vals {
		if *v == max32 {
			need = append(need, v)
			prefix = prefix && len(need) == i+1
		}
	}
	switch {
	case !ok && len(need) == 0:
		return true
	case !ok:
		p.fail(c.name, ErrFormat, "sizes marked as zip64 but no zip64 extra field")
		return false
	case len(z)%8 != 0 || len(z) < 8*len(need) || len(z) > 24 || (len(z) > 8*len(need) && !prefix):
		p.fail(c.name, ErrStructure, "a zip64 extra field of %d bytes where %d values need it", len(z), len(need))
		return false
	}
	for i, v := range vals[:len(z)/8] {
		got := le64(z[8*i:])
		if i < len(need) {
			*need[i] = got
		} else if *v != got {
			p.fail(c.name, ErrStructure, "the zip64 extra field disagrees with the header")
			return false
		}
	}
	return true
}

// parseExtra splits an extra field into its blocks, which must fill it
// exactly; a block may occur once.
func parseExtra(b []byte) (map[uint16][]byte, error) {
	out := map[uint16][]byte{}
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, fmt.Errorf("%d stray bytes at the end of the extra field", len(b))
		}
		id, n := le16(b), int(le16(b[2:]))
		if n > len(b)-4 {
			return nil, fmt.Errorf("extra block %#04x claims %d bytes, only %d remain", id, n, len(b)-4)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("extra block %#04x appears twice", id)
		}
		out[id] = b[4 : 4+n]
		b = b[4+n:]
	}
	return out, nil
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
