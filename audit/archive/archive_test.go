package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

var testLimits = Limits{MaxEntries: 100, MaxFileSize: 1 << 20, MaxTotal: 4 << 20, MaxRatio: 100, RatioFloor: 1 << 16}

func open(data []byte, opts Options) (*Reader, error) {
	if opts.MaxEntries == 0 {
		opts.Limits = testLimits
	}
	return Open(bytes.NewReader(data), int64(len(data)), opts)
}

// goZip writes an archive the way Go's archive/zip does: deflate with a
// data descriptor, stored entries through CreateRaw, directory entries.
func goZip(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("docs/")
	w, _ = zw.Create("docs/a.txt")
	io.WriteString(w, strings.Repeat("hello ", 100))
	w, _ = zw.Create("empty.txt")
	data := "stored bytes"
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "raw/s.txt", Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(data)),
		CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenReadsWhatArchiveZipWrites(t *testing.T) {
	z, err := open(goZip(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(z, "docs/a.txt", "empty.txt", "raw/s.txt"); err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(z, "docs/a.txt"); err != nil || string(b) != strings.Repeat("hello ", 100) {
		t.Fatalf("read %q, %v", b, err)
	}
}

func TestOpenReadsZip64(t *testing.T) {
	// Go's writer switches to zip64 records at 65535 entries.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 65536 {
		zw.CreateHeader(&zip.FileHeader{Name: "d/" + strconv.Itoa(i), Method: zip.Deflate})
	}
	zw.Close()
	lim := testLimits
	lim.MaxEntries = 70000
	z, err := open(buf.Bytes(), Options{Limits: lim})
	if err != nil {
		t.Fatalf("%.300v", err)
	}
	if n := len(z.Entries()); n != 65536 {
		t.Fatalf("%d entries", n)
	}
}

// wantRefused checks that Open refuses data for kind, naming entry, with
// reason in the message.
func wantRefused(t *testing.T, data []byte, opts Options, kind error, entry, reason string) {
	t.Helper()
	_, err := open(data, opts)
	var ref Refusal
	if !errors.As(err, &ref) {
		t.Fatalf("got %v, want a refusal for %q", err, reason)
	}
	for _, e := range ref {
		if errors.Is(e, kind) && e.Entry == entry && strings.Contains(e.Reason, reason) {
			return
		}
	}
	t.Fatalf("got %v\nwant %v of %q: %q", err, kind, entry, reason)
}

func stored(name, data string) rawEntry { return rawEntry{name: name, data: data} }

func TestOpenRefusesDisagreeingViews(t *testing.T) {
	good := []rawEntry{stored("a.txt", "alpha"), {name: "b.txt", data: strings.Repeat("beta ", 50), method: 8, descriptor: true}}
	with := func(i int, f func(e *rawEntry)) rawZip {
		es := append([]rawEntry(nil), good...)
		f(&es[i])
		return rawZip{entries: es}
	}
	le := binary.LittleEndian
	for _, tc := range []struct {
		name   string
		zip    rawZip
		opts   Options
		kind   error
		entry  string
		reason string
	}{
		{"local name traverses", with(0, func(e *rawEntry) { e.local = func(h *hdr) { h.name = "../../x" } }),
			Options{}, ErrStructure, "a.txt", `the local header names "../../x"`},
		{"local name differs, same length", with(0, func(e *rawEntry) { e.local = func(h *hdr) { h.name = "A.txt" } }),
			Options{}, ErrStructure, "a.txt", `the local header names "A.txt"`},
		{"hidden local entry", rawZip{entries: good, between: localHeader("evil.sh", "rm -rf /")},
			Options{}, ErrStructure, "", "a local file header at offset"},
		{"gap between entries", with(0, func(e *rawEntry) { e.after = []byte("hidden") }),
			Options{}, ErrStructure, "b.txt", "6 bytes at offset"},
		{"prepended, offsets adjusted", rawZip{prefix: []byte("MZ\x90\x00 a program"), adjust: true, entries: good},
			Options{}, ErrStructure, "a.txt", "bytes before the first entry"},
		{"prepended, offsets not adjusted", rawZip{prefix: []byte("#!/bin/sh\nexit 0\n"), entries: good},
			Options{}, ErrStructure, "", "between the central directory and the end record"},
		{"appended", rawZip{entries: good, suffix: []byte("appended")},
			Options{}, ErrStructure, "", "8 bytes follow the end of the archive"},
		{"comment not allowed", rawZip{entries: good, comment: []byte("hi")},
			Options{}, ErrStructure, "", "archive comment of 2 bytes"},
		{"comment length lies long", rawZip{entries: good, comment: []byte("hi"), end: func(b []byte) { le.PutUint16(b[20:], 9) }},
			Options{AllowComment: true}, ErrStructure, "", "declares a 9-byte comment"},
		{"comment length lies short", rawZip{entries: good, comment: []byte("hello"), end: func(b []byte) { le.PutUint16(b[20:], 2) }},
			Options{AllowComment: true}, ErrStructure, "", "3 bytes follow the end"},
		{"second end record in comment", rawZip{entries: good, comment: append([]byte("x"), rawZip{}.bytes()...)},
			Options{AllowComment: true}, ErrStructure, "", ""},
		{"central directory offset inside data", rawZip{entries: good, end: func(b []byte) { le.PutUint32(b[16:], 10) }},
			Options{}, ErrStructure, "", "between the central directory and the end record"},
		{"central directory offset and size inside data", rawZip{entries: good, end: func(b []byte) {
			off, size := le.Uint32(b[16:]), le.Uint32(b[12:])
			le.PutUint32(b[16:], 0)
			le.PutUint32(b[12:], off+size)
		}}, Options{}, ErrFormat, "", "central directory entry 1 of 2 is missing"},
		{"entry count lies", rawZip{entries: good, end: func(b []byte) { le.PutUint16(b[8:], 1); le.PutUint16(b[10:], 1) }},
			Options{}, ErrStructure, "", "after its 1 entries"},
		{"size mismatch", with(0, func(e *rawEntry) { e.local = func(h *hdr) { h.usize++; h.csize++ } }),
			Options{}, ErrStructure, "a.txt", "compressed bytes"},
		{"crc mismatch", with(0, func(e *rawEntry) { e.local = func(h *hdr) { h.crc ^= 1 } }),
			Options{}, ErrStructure, "a.txt", "CRC-32"},
		{"method mismatch", with(1, func(e *rawEntry) { e.local = func(h *hdr) { h.method = 0 } }),
			Options{}, ErrStructure, "b.txt", "compression method 0"},
		{"flags mismatch", with(0, func(e *rawEntry) { e.local = func(h *hdr) { h.flags |= 0x800 } }),
			Options{}, ErrStructure, "a.txt", "flags"},
		{"descriptor crc mismatch", with(1, func(e *rawEntry) { e.desc = func(b []byte) []byte { b[4] ^= 1; return b } }),
			Options{}, ErrStructure, "b.txt", "the data descriptor says CRC-32"},
		{"descriptor size mismatch", with(1, func(e *rawEntry) { e.desc = func(b []byte) []byte { b[12]++; return b } }),
			Options{}, ErrStructure, "b.txt", "the data descriptor says"},
		{"descriptor without signature", with(1, func(e *rawEntry) { e.desc = func(b []byte) []byte { return b[4:] } }),
			Options{}, ErrStructure, "b.txt", "no signed data descriptor"},
		{"local header nonzero under descriptor", with(1, func(e *rawEntry) { e.local = func(h *hdr) { h.usize = 3 } }),
			Options{}, ErrStructure, "b.txt", "disagree with the central directory"},
		{"local extra length lies", with(0, func(e *rawEntry) { e.local = func(h *hdr) { h.extraLen = 2 } }),
			Options{}, ErrStructure, "a.txt", ""},
		{"local extra block length lies", with(0, func(e *rawEntry) {
			e.local = func(h *hdr) { h.extra = []byte{0x55, 0x54, 200, 0, 1} }
		}), Options{}, ErrStructure, "a.txt", "claims 200 bytes"},
		{"central extra length runs into next entry", with(0, func(e *rawEntry) { e.central = func(h *hdr) { h.extraLen = 7 } }),
			Options{}, ErrStructure, "a.txt", ""},
		{"encrypted", with(0, func(e *rawEntry) {
			e.local = func(h *hdr) { h.flags |= 1 }
			e.central = func(h *hdr) { h.flags |= 1 }
		}), Options{}, ErrUnsupported, "a.txt", "encrypted"},
		{"unknown method", with(0, func(e *rawEntry) {
			e.local = func(h *hdr) { h.method = 14 }
			e.central = func(h *hdr) { h.method = 14 }
		}), Options{}, ErrUnsupported, "a.txt", "compression method 14"},
		{"unknown flag", with(0, func(e *rawEntry) {
			e.local = func(h *hdr) { h.flags |= 0x4000 }
			e.central = func(h *hdr) { h.flags |= 0x4000 }
		}), Options{}, ErrUnsupported, "a.txt", "unknown general-purpose flags"},
		{"directory with data", rawZip{entries: []rawEntry{stored("d/", "payload")}},
			Options{}, ErrNotRegular, "d/", "directory entry that holds data"},
		{"directory attribute without slash", with(0, func(e *rawEntry) { e.central = func(h *hdr) { h.attrs = 0o40755 << 16 } }),
			Options{}, ErrNotRegular, "a.txt", "directory flag and name disagree"},
		{"stored with descriptor", rawZip{entries: []rawEntry{{name: "s.txt", data: "x", descriptor: true}}},
			Options{}, ErrStructure, "s.txt", "stored entry with a data descriptor"},
		{"stored sizes differ", with(0, func(e *rawEntry) {
			e.local = func(h *hdr) { h.usize = 99 }
			e.central = func(h *hdr) { h.usize = 99 }
		}), Options{}, ErrStructure, "a.txt", "stored entry of 5 bytes"},
		{"overlapping entries", rawZip{entries: []rawEntry{stored("a.txt", "alpha"), {name: "b.txt", data: "beta", central: func(h *hdr) { h.offset = 0 }}}},
			Options{}, ErrStructure, "a.txt", "runs past the start of the next record"},
		{"zip64 extra where none is needed", with(0, func(e *rawEntry) {
			e.central = func(h *hdr) { h.extra = binary.LittleEndian.AppendUint64([]byte{1, 0, 8, 0}, 1<<40) }
		}), Options{}, ErrStructure, "a.txt", "zip64 extra field disagrees"},
		{"zip64 sizes without extra", with(0, func(e *rawEntry) { e.central = func(h *hdr) { h.usize = 0xffffffff } }),
			Options{}, ErrFormat, "a.txt", "no zip64 extra field"},
		{"zip64 locator pointing elsewhere", rawZip{entries: good, beforeEnd: zip64Locator(0)},
			Options{}, ErrStructure, "", "zip64 end record is at offset 0"},
		{"unicode path disagrees", with(0, func(e *rawEntry) {
			up := append([]byte{0x75, 0x70, 0, 0, 1, 0, 0, 0, 0}, "../evil"...)
			binary.LittleEndian.PutUint16(up[2:], uint16(len(up)-4))
			e.central = func(h *hdr) { h.extra = up }
		}), Options{}, ErrName, "a.txt", `Unicode path field names "../evil"`},
		{"non-ASCII name without UTF-8 flag", rawZip{entries: []rawEntry{stored("caf\u00e9.txt", "x")}},
			Options{}, ErrName, "caf\u00e9.txt", "without the UTF-8 flag"},
		{"symlink", with(0, func(e *rawEntry) { e.central = func(h *hdr) { h.attrs = 0o120777 << 16 } }),
			Options{}, ErrNotRegular, "a.txt", "symbolic link"},
		{"deflate bomb claim", rawZip{entries: []rawEntry{{name: "z", data: strings.Repeat("\x00", 1<<20), method: 8}}},
			Options{}, ErrLimit, "z", "compression ratio above 100:1"},
		{"windows reserved name", rawZip{entries: []rawEntry{stored("logs/nul.txt", "x")}},
			Options{}, ErrName, "logs/nul.txt", "reserved device name"},
		{"windows trailing dot", rawZip{entries: []rawEntry{stored("a.txt", "x"), stored("a.txt.", "y")}},
			Options{}, ErrName, "a.txt.", "ends in a dot or space"},
		{"case-folded duplicate", rawZip{entries: []rawEntry{stored("A.txt", "x"), stored("a.TXT", "y")}},
			Options{}, ErrDuplicate, "a.TXT", `same name as "A.txt" except for case`},
		{"nested archive", rawZip{entries: []rawEntry{stored("x.tar.gz", "x")}},
			Options{RefuseNested: true}, ErrName, "x.tar.gz", "nested archive (.gz)"},
		{"caller's name rule", rawZip{entries: []rawEntry{stored("a b.txt", "x")}},
			Options{Name: func(string) error { return errors.New("space") }}, ErrName, "a b.txt", "space"},
		{"not a zip", rawZip{suffix: []byte("x")}, Options{}, ErrStructure, "", "1 bytes follow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRefused(t, tc.zip.bytes(), tc.opts, tc.kind, tc.entry, tc.reason)
		})
	}
}

// zip64Locator is a zip64 end locator pointing at off, to be placed
// right before the end record.
func zip64Locator(off uint64) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0x07064b50)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, off)
	return binary.LittleEndian.AppendUint32(b, 1)
}

func TestReadRefusesDataThatContradictsHeaders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		entry  rawEntry
		reason string
	}{
		{"crc of data", rawEntry{name: "a.txt", data: "alpha", local: func(h *hdr) { h.crc = 7 }, central: func(h *hdr) { h.crc = 7 }}, "CRC-32"},
		{"deflate yields more", rawEntry{name: "a.txt", data: strings.Repeat("a", 1000), method: 8,
			local: func(h *hdr) { h.usize = 10 }, central: func(h *hdr) { h.usize = 10 }}, "more than the 10 bytes"},
		{"deflate yields less", rawEntry{name: "a.txt", data: "abc", method: 8,
			local: func(h *hdr) { h.usize = 10 }, central: func(h *hdr) { h.usize = 10 }}, "yields 3 bytes"},
		{"hidden bytes after deflate stream", rawEntry{name: "a.txt", data: "abc", method: 8,
			rawData: append(deflate("abc"), localHeader("evil", "x")...)}, "deflate stream ends before"},
		{"corrupt deflate", rawEntry{name: "a.txt", data: "abc", method: 8, rawData: []byte{0xff, 0xff, 0xff}}, "corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := open(rawZip{entries: []rawEntry{tc.entry}}.bytes(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = fs.ReadFile(z, "a.txt")
			var e *Error
			if !errors.As(err, &e) || e.Entry != "a.txt" || !errors.Is(err, ErrStructure) || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got %v, want a refusal of a.txt for %q", err, tc.reason)
			}
		})
	}
}

func deflate(s string) []byte {
	b := rawZip{entries: []rawEntry{{name: "x", data: s, method: 8}}}.bytes()
	n := binary.LittleEndian.Uint32(b[18:])
	return b[31 : 31+n]
}

func TestCheckWindowsName(t *testing.T) {
	for _, bad := range []string{"CON", "con.txt", "Nul.tar.gz", "aux", "prn.", "COM1", "lpt9.log", "com\u00b9", "CONIN$", "COM0", "lpt0.txt", "clock$",
		"a/NUL/b", "a.txt.", "a.txt ", "dir./x", "a?b", "a*b", "a<b", "a>b", `a"b`, "a|b"} {
		if CheckWindowsName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"console.txt", "nul-results.txt", "com10", "lpt", "COM00", "clock", "auxiliary/x", "a.txt", ".hidden", "a..b"} {
		if err := CheckWindowsName(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}
