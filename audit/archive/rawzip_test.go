package archive

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// hdr is the part of a local or central header a test may falsify.
type hdr struct {
	name          string
	flags, method uint16
	crc           uint32
	csize, usize  uint32
	extra         []byte
	extraLen      int // added to the true extra length (a lie)
	madeBy        uint16
	attrs         uint32
	offset        uint32 // central only
	comment       []byte // central only
}

// rawEntry is one entry of a hand-built archive. The builder computes the
// true values; local and central may then change them, so that the two
// views disagree.
type rawEntry struct {
	name       string
	data       string
	method     uint16
	descriptor bool                  // flag bit 3 and a signed data descriptor
	desc       func(b []byte) []byte // changes the descriptor bytes
	local      func(h *hdr)
	central    func(h *hdr)
	after      []byte // bytes written after the entry
	rawData    []byte // written instead of the compressed data
}

// rawZip is a hand-built archive. Unlike archive/zip's writer it can
// write every lie a hostile archive tells.
type rawZip struct {
	prefix  []byte // bytes before the first entry
	adjust  bool   // shift the offsets to account for prefix
	entries []rawEntry
	between []byte // bytes between the last entry and the central directory
	comment []byte
	// beforeEnd is written between the central directory and the end record
	beforeEnd []byte
	end       func(b []byte) // changes the end record
	suffix    []byte         // bytes after the end record
}

func (z rawZip) bytes() []byte {
	var out bytes.Buffer
	out.Write(z.prefix)
	base := 0
	if z.adjust {
		base = len(z.prefix)
	}
	var central bytes.Buffer
	for _, e := range z.entries {
		packed := []byte(e.data)
		if e.method == 8 {
			var b bytes.Buffer
			w, _ := flate.NewWriter(&b, flate.BestCompression)
			w.Write([]byte(e.data))
			w.Close()
			packed = b.Bytes()
		}
		if e.rawData != nil {
			packed = e.rawData
		}
		crc := crc32.ChecksumIEEE([]byte(e.data))
		h := hdr{name: e.name, method: e.method, crc: crc, csize: uint32(len(packed)), usize: uint32(len(e.data)),
			madeBy: 3<<8 | 20, attrs: 0o100644 << 16, offset: uint32(out.Len() - len(z.prefix) + base)}
		if e.descriptor {
			h.flags |= 0x8
		}
		c, l := h, h
		c.extra, l.extra = nil, nil
		if e.descriptor {
			l.crc, l.csize, l.usize = 0, 0, 0
		}
		if e.local != nil {
			e.local(&l)
		}
		if e.central != nil {
			e.central(&c)
		}
		le := binary.LittleEndian
		var b [46]byte
		le.PutUint32(b[0:], 0x04034b50)
		le.PutUint16(b[4:], 20)
		le.PutUint16(b[6:], l.flags)
		le.PutUint16(b[8:], l.method)
		le.PutUint32(b[14:], l.crc)
		le.PutUint32(b[18:], l.csize)
		le.PutUint32(b[22:], l.usize)
		le.PutUint16(b[26:], uint16(len(l.name)))
		le.PutUint16(b[28:], uint16(len(l.extra)+l.extraLen))
		out.Write(b[:30])
		out.WriteString(l.name)
		out.Write(l.extra)
		out.Write(packed)
		if e.descriptor {
			d := make([]byte, 16)
			le.PutUint32(d, 0x08074b50)
			le.PutUint32(d[4:], crc)
			le.PutUint32(d[8:], uint32(len(packed)))
			le.PutUint32(d[12:], uint32(len(e.data)))
			if e.desc != nil {
				d = e.desc(d)
			}
			out.Write(d)
		}
		out.Write(e.after)

		b = [46]byte{}
		le.PutUint32(b[0:], 0x02014b50)
		le.PutUint16(b[4:], c.madeBy)
		le.PutUint16(b[6:], 20)
		le.PutUint16(b[8:], c.flags)
		le.PutUint16(b[10:], c.method)
		le.PutUint32(b[16:], c.crc)
		le.PutUint32(b[20:], c.csize)
		le.PutUint32(b[24:], c.usize)
		le.PutUint16(b[28:], uint16(len(c.name)))
		le.PutUint16(b[30:], uint16(len(c.extra)+c.extraLen))
		le.PutUint16(b[32:], uint16(len(c.comment)))
		le.PutUint32(b[38:], c.attrs)
		le.PutUint32(b[42:], c.offset)
		central.Write(b[:])
		central.WriteString(c.name)
		central.Write(c.extra)
		central.Write(c.comment)
	}
	out.Write(z.between)
	cdOff := out.Len() - len(z.prefix) + base
	out.Write(central.Bytes())
	out.Write(z.beforeEnd)
	var end [22]byte
	le := binary.LittleEndian
	le.PutUint32(end[0:], 0x06054b50)
	le.PutUint16(end[8:], uint16(len(z.entries)))
	le.PutUint16(end[10:], uint16(len(z.entries)))
	le.PutUint32(end[12:], uint32(central.Len()))
	le.PutUint32(end[16:], uint32(cdOff))
	le.PutUint16(end[20:], uint16(len(z.comment)))
	if z.end != nil {
		z.end(end[:])
	}
	out.Write(end[:])
	out.Write(z.comment)
	out.Write(z.suffix)
	return out.Bytes()
}

// localHeader is a complete local header and stored data of a small
// entry, for smuggling into an archive.
func localHeader(name, data string) []byte {
	return rawZip{entries: []rawEntry{{name: name, data: data}}}.bytes()[:30+len(name)+len(data)]
}
