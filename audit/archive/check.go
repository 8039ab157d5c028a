package archive

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// General-purpose flag bits (APPNOTE.TXT 4.4.4).
const (
	flagEncrypted  = 0x0001
	flagDescriptor = 0x0008
	flagStrong     = 0x0040
	flagUTF8       = 0x0800
	flagMasked     = 0x2000
	// flagsKnown are the bits auditpack reads: deflate's level hints,
	// the data descriptor and UTF-8 names.
	flagsKnown = 0x0002 | 0x0004 | flagDescriptor | flagUTF8
)

// Compression methods.
const (
	methodStore   = 0
	methodDeflate = 8
)

// Entry is one checked entry of an archive.
type Entry struct {
	Name     string // without the trailing slash of a directory
	Dir      bool
	Method   uint16
	CRC32    uint32
	Size     uint64 // uncompressed
	Packed   uint64 // compressed
	Modified time.Time
	data     int64 // offset of the compressed data
}

// parse runs every check; it returns the entries, valid only if it found
// no problem.
func (p *parser) parse() []*Entry {
	d, ok := p.endRecord()
	if !ok {
		return nil
	}
	cds, ok := p.centralDirectory(d)
	if !ok {
		return nil
	}
	entries := make([]*Entry, len(cds))
	names := NewNames()
	var total uint64
	for i, c := range cds {
		entries[i] = p.entry(c, names)
		if !entries[i].Dir {
			total += c.usize
		}
	}
	if total > uint64(p.opts.MaxTotal) {
		p.fail("", ErrLimit, "entries claim more than the total limit of %d bytes", p.opts.MaxTotal)
	}
	p.layout(cds, entries, d.offset)
	return entries
}

// entry checks one central directory entry on its own: name, type,
// method, flags and sizes.
func (p *parser) entry(c *central, names *Names) *Entry {
	name, dir := strings.CutSuffix(c.name, "/")
	e := &Entry{Name: name, Dir: dir, Method: c.method, CRC32: c.crc, Size: c.usize, Packed: c.csize, Modified: dosTime(c.modDate, c.modTime)}
	refuse := func(kind error, format string, args ...any) *Entry {
		p.fail(c.name, kind, format, args...)
		return e
	}
	if err := p.checkName(c.name, c.flags, c.extra); err != nil {
		return refuse(ErrName, "%v", err)
	}
	if err := p.checkRecords("central directory", c.extra, c.comment); err != nil {
		return refuse(ErrStructure, "%v", err)
	}
	if kind := fileType(c.extAttrs); kind != "" {
		return refuse(ErrNotRegular, "%s (only regular files and directories are read)", kind)
	} else if mode := c.extAttrs >> 16; mode&modeSpecial != 0 {
		return refuse(ErrNotRegular, "mode %#o has setuid, setgid or sticky bits, which unzip would restore", mode)
	} else if isDirType(c.extAttrs) && !dir {
		return refuse(ErrNotRegular, "directory flag and name disagree")
	}
	if err := names.Add(name, dir); err != nil {
		return refuse(ErrDuplicate, "%v", err)
	}
	switch {
	case c.flags&flagEncrypted != 0 || c.flags&flagStrong != 0:
		return refuse(ErrUnsupported, "encrypted entry")
	case c.flags&flagMasked != 0:
		return refuse(ErrUnsupported, "masked local headers (an encrypted central directory)")
	case c.flags&^flagsKnown != 0:
		return refuse(ErrUnsupported, "unknown general-purpose flags %#04x", c.flags&^flagsKnown)
	case c.method != methodStore && c.method != methodDeflate:
		return refuse(ErrUnsupported, "compression method %d (only stored and deflate are read)", c.method)
	case c.method == methodStore && c.flags&flagDescriptor != 0:
		return refuse(ErrStructure, "a stored entry with a data descriptor (a streaming reader must guess where its data ends)")
	case c.method == methodStore && c.csize != c.usize:
		return refuse(ErrStructure, "a stored entry of %d bytes that claims %d uncompressed", c.csize, c.usize)
	case dir && (c.usize != 0 || c.csize != 0 || c.crc != 0):
		return refuse(ErrNotRegular, "a directory entry that holds data (%d bytes)", c.csize)
	case dir:
		return e
	case c.usize > uint64(p.opts.MaxFileSize):
		return refuse(ErrLimit, "claims %d bytes, more than the per-file limit of %d", c.usize, p.opts.MaxFileSize)
	case p.opts.MaxRatio > 0 && c.usize > uint64(p.opts.RatioFloor) && c.usize/max(c.csize, 1) > uint64(p.opts.MaxRatio):
		return refuse(ErrLimit, "compression ratio above %d:1 (a decompression bomb)", p.opts.MaxRatio)
	}
	return e
}

// checkName checks a name as stored: UTF-8 that no tool can read another
// way, then the rules of [CheckName] and the caller's.
func (p *parser) checkName(stored string, flags uint16, extra []byte) error {
	if !utf8.ValidString(stored) {
		return fmt.Errorf("name is not valid UTF-8")
	}
	if flags&flagUTF8 == 0 && !isASCII(stored) && unicodePath(extra) != stored {
		return fmt.Errorf("non-ASCII name without the UTF-8 flag (tools would read it in different code pages)")
	}
	if up := unicodePath(extra); up != "" && up != stored {
		return fmt.Errorf("its Unicode path field names %q (tools that prefer it would see another file)", up)
	}
	name := strings.TrimSuffix(stored, "/")
	if err := CheckName(name); err != nil {
		return err
	}
	if p.opts.RefuseNested && !strings.HasSuffix(stored, "/") {
		if err := CheckNested(name); err != nil {
			return err
		}
	}
	if p.opts.Name != nil {
		return p.opts.Name(name)
	}
	return nil
}

// unicodePath returns the name in an Info-ZIP Unicode Path extra field
// (version 1), or "" if there is none or it cannot be read.
func unicodePath(extra []byte) string {
	fields, err := parseExtra(extra)
	if err != nil {
		return ""
	}
	f, ok := fields[extraUnicodePath]
	if !ok {
		return ""
	}
	if len(f) < 5 || f[0] != 1 {
		return "\x00invalid"
	}
	return string(f[5:])
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Unix file types and permission bits, as a creator stores them in the
// high 16 bits of the external attributes.
const (
	modeType    = 0o170000
	modeRegular = 0o100000
	modeDir     = 0o040000
	// modeSpecial are setuid, setgid and sticky: unzip restores them, so a
	// file from an archive could run with its owner's rights.
	modeSpecial = 0o007000
)

// fileType names an entry's type if it is neither a regular file nor a
// directory. The mode is read
// whatever host the entry claims to come from: Info-ZIP's unzip restores
// Unix modes, links included, for entries made on Unix and macOS but also
// on VMS, Atari, BeOS and AtheOS, and auditpack must not count on knowing
// every such host. A creator that stores no mode leaves the bits zero.
func fileType(attrs uint32) string {
	mode := attrs >> 16
	switch mode & modeType {
	case 0, modeRegular, modeDir:
	case 0o120000:
		return "symbolic link"
	case 0o020000, 0o060000:
		return "device file"
	case 0o010000:
		return "named pipe (FIFO)"
	case 0o140000:
		return "socket"
	default:
		return "unknown file type"
	}
	return ""
}

// isDirType reports whether the attributes mark a directory, in Unix or
// MS-DOS terms.
func isDirType(attrs uint32) bool {
	return attrs>>16&modeType == modeDir || attrs&0x10 != 0
}

// dosTime reads an MS-DOS date and time, which have no zone.
func dosTime(date, tm uint16) time.Time {
	return time.Date(int(date>>9)+1980, time.Month(date>>5&0xf), int(date&0x1f),
		int(tm>>11), int(tm>>5&0x3f), int(tm&0x1f)*2, 0, time.UTC)
}

// layout reads every local header, in the order of the data, and checks
// that the entries tile the file from byte 0 to the central directory.
func (p *parser) layout(cds []*central, entries []*Entry, dirStart uint64) {
	order := make([]int, len(cds))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return int64Cmp(int64(cds[a].offset), int64(cds[b].offset))
	})
	var pos uint64 // where the next entry must start; max when unknown
	prev := ""
	for k, i := range order {
		c := cds[i]
		switch {
		case pos == max64:
		case c.offset > pos && k == 0:
			p.fail(c.name, ErrStructure, "%d bytes before the first entry (a prepended program or hidden data)", c.offset)
		case c.offset > pos:
			p.fail(c.name, ErrStructure, "%s", p.gap(pos, c.offset, "after "+fmt.Sprintf("%q", prev)))
		case c.offset < pos:
			p.fail(c.name, ErrStructure, "overlaps the entry before it (%q)", prev)
		}
		next := dirStart
		if k+1 < len(order) {
			next = cds[order[k+1]].offset
		}
		pos = p.local(c, entries[i], next)
		prev = c.name
	}
	switch {
	case pos == max64:
	case len(order) == 0 && dirStart > 0:
		p.fail("", ErrStructure, "%d bytes before the central directory of an empty archive (a prepended program or hidden data)", dirStart)
	case pos < dirStart:
		p.fail("", ErrStructure, "%s", p.gap(pos, dirStart, "after the last entry"))
	case pos > dirStart:
		p.fail(prev, ErrStructure, "the entry runs into the central directory")
	}
}

const max64 = ^uint64(0)

func int64Cmp(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// gap describes bytes from..to that no entry accounts for.
func (p *parser) gap(from, to uint64, where string) string {
	if head := p.read(int64(from), 4); head != nil && bytes.Equal(head, []byte("PK\x03\x04")) {
		return fmt.Sprintf("a local file header at offset %d, %s, that the central directory does not list (a hidden entry)", from, where)
	}
	return fmt.Sprintf("%d bytes at offset %d, %s, that no entry accounts for (hidden data)", to-from, from, where)
}
