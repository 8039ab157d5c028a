package archive

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// withZip64End rewrites a built archive to end in zip64 records, the
// classic end record saying "see zip64"; change alters the zip64 end
// record before it is written.
func withZip64End(b []byte, change func(rec []byte)) []byte {
	le := binary.LittleEndian
	end := b[len(b)-22:]
	count, size, off := uint64(le.Uint16(end[10:])), uint64(le.Uint32(end[12:])), uint64(le.Uint32(end[16:]))
	at := uint64(len(b) - 22)
	rec := make([]byte, 56)
	le.PutUint32(rec, 0x06064b50)
	le.PutUint64(rec[4:], 44)
	le.PutUint16(rec[12:], 45)
	le.PutUint16(rec[14:], 45)
	le.PutUint64(rec[24:], count)
	le.PutUint64(rec[32:], count)
	le.PutUint64(rec[40:], size)
	le.PutUint64(rec[48:], off)
	if change != nil {
		change(rec)
	}
	out := append([]byte(nil), b[:at]...)
	out = append(out, rec...)
	out = append(out, zip64Locator(at)...)
	e := append([]byte(nil), end...)
	le.PutUint16(e[8:], 0xffff)
	le.PutUint16(e[10:], 0xffff)
	le.PutUint32(e[12:], 0xffffffff)
	le.PutUint32(e[16:], 0xffffffff)
	return append(out, e...)
}

// goZip64Extra gives an entry the zip64 extra field Go's writer uses for
// large entries: both sizes marked 0xFFFFFFFF in the header, and all three
// of sizes and offset in the field.
func goZip64Extra(e *rawEntry) {
	e.central = func(h *hdr) {
		x := []byte{1, 0, 24, 0}
		x = binary.LittleEndian.AppendUint64(x, uint64(h.usize))
		x = binary.LittleEndian.AppendUint64(x, uint64(h.csize))
		x = binary.LittleEndian.AppendUint64(x, uint64(h.offset))
		h.extra, h.usize, h.csize = x, 0xffffffff, 0xffffffff
	}
}

// TestOpenAcceptsZip64Records: the zip64 end records and Go's zip64 extra
// field are read, not merely refused.
func TestOpenAcceptsZip64Records(t *testing.T) {
	e := rawEntry{name: "big.txt", data: strings.Repeat("x", 300), method: 8, descriptor: true}
	goZip64Extra(&e)
	// Go writes 8-byte sizes in the descriptor of a zip64 entry.
	e.desc = func(b []byte) []byte {
		le := binary.LittleEndian
		d := le.AppendUint32(nil, 0x08074b50)
		d = le.AppendUint32(d, le.Uint32(b[4:]))
		d = le.AppendUint64(d, uint64(le.Uint32(b[8:])))
		return le.AppendUint64(d, uint64(le.Uint32(b[12:])))
	}
	data := withZip64End(rawZip{entries: []rawEntry{stored("a.txt", "alpha"), e}}.bytes(), nil)
	z, err := open(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := z.Entries()[1]; got.Size != 300 || got.Name != "big.txt" {
		t.Fatalf("read %+v", got)
	}
}

// TestOpenRefusesMoreTricks is the rest of what an attacker can try on the
// records themselves.
func TestOpenRefusesMoreTricks(t *testing.T) {
	le := binary.LittleEndian
	two := []rawEntry{stored("a.txt", "alpha"), stored("b.txt", "beta")}
	first := rawZip{entries: []rawEntry{stored("first.txt", "one")}}.bytes()
	for _, tc := range []struct {
		name   string
		data   []byte
		kind   error
		entry  string
		reason string
	}{
		{"two archives concatenated", append(first, rawZip{entries: two}.bytes()...), ErrStructure, "", "between the central directory and the end record"},
		{"classic end record disagrees with the zip64 one", func() []byte {
			b := withZip64End(rawZip{entries: two}.bytes(), nil)
			le.PutUint16(b[len(b)-22+10:], 1)
			return b
		}(), ErrStructure, "", "disagree on the central directory"},
		{"zip64 end record counts another number of entries", withZip64End(rawZip{entries: two}.bytes(), func(r []byte) {
			le.PutUint64(r[24:], 1)
			le.PutUint64(r[32:], 1)
		}), ErrStructure, "", "after its 1 entries"},
		{"zip64 end record with extensible data", withZip64End(rawZip{entries: two}.bytes(), func(r []byte) { le.PutUint64(r[4:], 60) }),
			ErrFormat, "", "no valid zip64 end record"},
		{"zip64 end record on another disk", withZip64End(rawZip{entries: two}.bytes(), func(r []byte) { le.PutUint32(r[16:], 1) }),
			ErrUnsupported, "", "split"},
		{"zip64 extra with a different offset", rawZip{entries: []rawEntry{func() rawEntry {
			e := stored("a.txt", "alpha")
			goZip64Extra(&e)
			inner := e.central
			e.central = func(h *hdr) { inner(h); le.PutUint64(h.extra[20:], 99) }
			return e
		}()}}.bytes(), ErrStructure, "a.txt", "zip64 extra field disagrees"},
		{"entry's local header inside another entry's data", rawZip{entries: []rawEntry{
			{name: "cover.txt", data: "xxxx" + string(localHeader("evil.sh", "rm -rf ~"))},
			{name: "evil.sh", data: "rm -rf ~", central: func(h *hdr) { h.offset = 30 + 9 + 4 }},
		}}.bytes(), ErrStructure, "", ""},
		{"empty directory but local entries", rawZip{entries: two, end: func(b []byte) {
			le.PutUint16(b[8:], 0)
			le.PutUint16(b[10:], 0)
			off := le.Uint32(b[16:]) + le.Uint32(b[12:])
			le.PutUint32(b[12:], 0)
			le.PutUint32(b[16:], off)
		}}.bytes(), ErrStructure, "", "before the central directory of an empty archive"},
		{"central directory on another disk", rawZip{entries: two, end: func(b []byte) { le.PutUint16(b[6:], 1) }}.bytes(),
			ErrUnsupported, "", "split"},
		{"end record only", rawZip{}.bytes()[:21], ErrFormat, "", "too short"},
		{"empty archive with prefix", rawZip{prefix: []byte("junk"), adjust: true}.bytes(), ErrStructure, "", "empty archive"},
		{"strong encryption flag", rawZip{entries: []rawEntry{{name: "a.txt", data: "x",
			local: func(h *hdr) { h.flags |= 0x40 }, central: func(h *hdr) { h.flags |= 0x40 }}}}.bytes(), ErrUnsupported, "a.txt", "encrypted"},
		{"masked local headers", rawZip{entries: []rawEntry{{name: "a.txt", data: "x",
			local: func(h *hdr) { h.flags |= 0x2000 }, central: func(h *hdr) { h.flags |= 0x2000 }}}}.bytes(), ErrUnsupported, "a.txt", "masked"},
		{"name with NUL", rawZip{entries: []rawEntry{stored("a\x00.txt", "x")}}.bytes(), ErrName, "a\x00.txt", "control character"},
		{"invalid UTF-8 name", rawZip{entries: []rawEntry{{name: "a\xff.txt", data: "x",
			local: func(h *hdr) { h.flags |= 0x800 }, central: func(h *hdr) { h.flags |= 0x800 }}}}.bytes(), ErrName, "a\xff.txt", "not valid UTF-8"},
		{"dot entry", rawZip{entries: []rawEntry{stored("./", "")}}.bytes(), ErrName, "./", "not clean"},
		{"file under a file", rawZip{entries: []rawEntry{stored("a", "x"), stored("a/b", "y")}}.bytes(), ErrDuplicate, "a/b", "both a file and a directory"},
		{"fifo", rawZip{entries: []rawEntry{{name: "p", central: func(h *hdr) { h.attrs = 0o10644 << 16 }}}}.bytes(), ErrNotRegular, "p", "named pipe"},
		{"too many entries", rawZip{entries: two}.bytes(), ErrLimit, "", "more than the limit of 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{}
			if tc.name == "too many entries" {
				opts.Limits = testLimits
				opts.MaxEntries = 1
			}
			wantRefused(t, tc.data, opts, tc.kind, tc.entry, tc.reason)
		})
	}
}

// A refusal keeps every problem, so a caller can report them all.
func TestRefusalListsEveryProblem(t *testing.T) {
	_, err := open(rawZip{entries: []rawEntry{stored("../a", "x"), stored("CON", "y")}}.bytes(), Options{})
	var ref Refusal
	if !errors.As(err, &ref) || len(ref) != 2 || !errors.Is(err, ErrName) {
		t.Fatalf("got %v, want two name problems", err)
	}
}
