// Package ziptest damages zip archives on purpose, for tests of the
// readers that must refuse them: it edits a local header or a central
// directory entry in place, or inserts bytes and moves every offset that
// follows, so that exactly one thing is wrong. It reads archives as Go's
// archive/zip writes them (no comment, no zip64) and panics on others.
package ziptest

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Field offsets within a local file header and a central directory entry.
const (
	LocalFlags   = 6
	LocalMethod  = 8
	LocalCRC     = 14
	LocalPacked  = 18
	LocalSize    = 22
	LocalName    = 30
	CentralCRC   = 16
	CentralSize  = 24
	centralLen   = 46
	endLen       = 22
	endCDOffset  = 16
	centralLocal = 42
)

// Record is where one entry's headers are.
type Record struct {
	Name    string
	Local   int // offset of the local file header
	Central int // offset of the central directory entry
}

// Records lists the entries of b in central directory order.
func Records(b []byte) []Record {
	end := len(b) - endLen
	if end < 0 || le32(b[end:]) != 0x06054b50 {
		panic("ziptest: no end record in the last 22 bytes")
	}
	n := int(binary.LittleEndian.Uint16(b[end+10:]))
	pos := int(le32(b[end+endCDOffset:]))
	out := make([]Record, 0, n)
	for range n {
		nameLen := int(binary.LittleEndian.Uint16(b[pos+28:]))
		extra := int(binary.LittleEndian.Uint16(b[pos+30:]))
		comment := int(binary.LittleEndian.Uint16(b[pos+32:]))
		out = append(out, Record{Name: string(b[pos+centralLen : pos+centralLen+nameLen]), Local: int(le32(b[pos+centralLocal:])), Central: pos})
		pos += centralLen + nameLen + extra + comment
	}
	return out
}

// Find returns the record of the entry called name.
func Find(b []byte, name string) Record {
	for _, r := range Records(b) {
		if r.Name == name {
			return r
		}
	}
	panic(fmt.Sprintf("ziptest: no entry %q", name))
}

// CentralStart returns the offset of the central directory.
func CentralStart(b []byte) int { return int(le32(b[len(b)-endLen+endCDOffset:])) }

// Insert returns b with data inserted at offset at, the offsets of the
// entries and of the central directory moved to match, so that the only
// damage is the inserted bytes themselves.
func Insert(b []byte, at int, data []byte) []byte {
	recs := Records(b)
	cd := CentralStart(b)
	out := append(append(append([]byte(nil), b[:at]...), data...), b[at:]...)
	shift := func(v int) int {
		if v >= at {
			return v + len(data)
		}
		return v
	}
	for _, r := range recs {
		binary.LittleEndian.PutUint32(out[shift(r.Central)+centralLocal:], uint32(shift(r.Local)))
	}
	binary.LittleEndian.PutUint32(out[len(out)-endLen+endCDOffset:], uint32(shift(cd)))
	return out
}

// RenameLocal gives the local header of entry name another name of the
// same length, leaving the central directory as it is.
func RenameLocal(b []byte, name, to string) []byte {
	if len(to) != len(name) {
		panic("ziptest: RenameLocal needs a name of the same length")
	}
	out := append([]byte(nil), b...)
	r := Find(b, name)
	copy(out[r.Local+LocalName:], to)
	return out
}

// Put32 returns b with the 4 bytes at off set to v, little-endian.
func Put32(b []byte, off int, v uint32) []byte {
	out := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(out[off:], v)
	return out
}

// Put16 returns b with the 2 bytes at off set to v, little-endian.
func Put16(b []byte, off int, v uint16) []byte {
	out := append([]byte(nil), b...)
	binary.LittleEndian.PutUint16(out[off:], v)
	return out
}

// Get32 reads the 4 bytes at off.
func Get32(b []byte, off int) uint32 { return le32(b[off:]) }

// LocalEntry is a complete stored entry, local header and data, that no
// central directory lists: what a hidden file looks like.
func LocalEntry(name, data string) []byte {
	h := make([]byte, LocalName, LocalName+len(name)+len(data))
	binary.LittleEndian.PutUint32(h, 0x04034b50)
	binary.LittleEndian.PutUint16(h[4:], 20)
	binary.LittleEndian.PutUint32(h[LocalCRC:], crc32.ChecksumIEEE([]byte(data)))
	binary.LittleEndian.PutUint32(h[LocalPacked:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[LocalSize:], uint32(len(data)))
	binary.LittleEndian.PutUint16(h[26:], uint16(len(name)))
	return append(append(h, name...), data...)
}

func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// Field offsets within a central directory entry that SetMode and
// AddCentral change.
const (
	centralMadeBy   = 4
	centralExtraLen = 30
	centralComment  = 32
	centralAttrs    = 38
	endCDSize       = 12
	localExtraLen   = 28
)

// SetMode gives entry name, in the central directory, the creator host
// and the Unix mode (type and permission bits) that unzip restores.
func SetMode(b []byte, name string, host uint16, mode uint32) []byte {
	r := Find(b, name)
	out := Put16(b, r.Central+centralMadeBy, host<<8|20)
	return Put32(out, r.Central+centralAttrs, mode<<16)
}

// AddLocalExtra appends extra blocks to the extra field of name's local
// header, moving every offset that follows.
func AddLocalExtra(b []byte, name string, extra []byte) []byte {
	r := Find(b, name)
	nameLen := int(binary.LittleEndian.Uint16(b[r.Local+26:]))
	n := int(binary.LittleEndian.Uint16(b[r.Local+localExtraLen:]))
	out := Insert(b, r.Local+LocalName+nameLen+n, extra)
	return Put16(out, r.Local+localExtraLen, uint16(n+len(extra)))
}

// AddCentral appends extra blocks to the extra field of name's central
// directory entry and gives it comment, growing the directory to match.
// The entry must have no comment yet.
func AddCentral(b []byte, name string, extra, comment []byte) []byte {
	r := Find(b, name)
	nameLen := int(binary.LittleEndian.Uint16(b[r.Central+28:]))
	n := int(binary.LittleEndian.Uint16(b[r.Central+centralExtraLen:]))
	if binary.LittleEndian.Uint16(b[r.Central+centralComment:]) != 0 {
		panic("ziptest: AddCentral on an entry with a comment")
	}
	size := le32(b[len(b)-endLen+endCDSize:])
	out := Insert(b, r.Central+centralLen+nameLen+n, append(append([]byte(nil), extra...), comment...))
	out = Put16(out, r.Central+centralExtraLen, uint16(n+len(extra)))
	out = Put16(out, r.Central+centralComment, uint16(len(comment)))
	return Put32(out, len(out)-endLen+endCDSize, size+uint32(len(extra)+len(comment)))
}

// Block is one extra block: its id, then data.
func Block(id uint16, data []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, id)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}
