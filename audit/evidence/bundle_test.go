package evidence

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// zipEntry is one entry of a test archive.
type zipEntry struct {
	name string
	data string
	mode fs.FileMode
	// claim, when set, is the uncompressed size written in the header
	// instead of the real one (a lying header).
	claim uint64
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		if e.claim != 0 {
			// Write a stored entry with a header claiming fewer bytes.
			h.Method = zip.Store
			h.UncompressedSize64, h.CompressedSize64 = e.claim, uint64(len(e.data))
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, e.data)
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openZip(t *testing.T, lim Limits, entries ...zipEntry) (fs.FS, error) {
	data := makeZip(t, entries...)
	return OpenZip(bytes.NewReader(data), int64(len(data)), "bundle.zip", lim)
}

// wantRefusal checks that err is a BundleError naming entry and saying why.
func wantRefusal(t *testing.T, err error, entry, reason string) {
	t.Helper()
	var be *BundleError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want a refusal of %q", err, entry)
	}
	if be.Entry != entry || !strings.Contains(be.Reason, reason) {
		t.Fatalf("got %q, want entry %q refused for %q", err, entry, reason)
	}
}

func TestZipRefusesAtOpen(t *testing.T) {
	ok := zipEntry{name: "manifest.yaml", data: "schema: x"}
	small := DefaultLimits
	small.MaxEntries, small.MaxFileSize, small.MaxTotal = 3, 100, 150
	for _, tc := range []struct {
		name    string
		lim     Limits
		entries []zipEntry
		entry   string
		reason  string
	}{
		{"zip slip", DefaultLimits, []zipEntry{ok, {name: "../evil.txt"}}, "../evil.txt", "escapes its directory"},
		{"zip slip inside", DefaultLimits, []zipEntry{{name: "a/../../b.txt"}}, "a/../../b.txt", "escapes its directory"},
		{"absolute", DefaultLimits, []zipEntry{{name: "/etc/passwd"}}, "/etc/passwd", "absolute path"},
		{"backslash", DefaultLimits, []zipEntry{{name: `..\win.txt`}}, `..\win.txt`, "backslash"},
		{"drive letter", DefaultLimits, []zipEntry{{name: "C:/x.txt"}}, "C:/x.txt", "colon"},
		{"control character", DefaultLimits, []zipEntry{{name: "a\x00b.txt"}}, "a\x00b.txt", "control character"},
		{"symlink", DefaultLimits, []zipEntry{{name: "link", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777}}, "link", "symbolic link"},
		{"fifo", DefaultLimits, []zipEntry{{name: "pipe", mode: fs.ModeNamedPipe | 0o644}}, "pipe", "named pipe"},
		{"device", DefaultLimits, []zipEntry{{name: "sda", mode: fs.ModeDevice | 0o644}}, "sda", "device"},
		{"socket", DefaultLimits, []zipEntry{{name: "sock", mode: fs.ModeSocket | 0o644}}, "sock", "socket"},
		{"duplicate", DefaultLimits, []zipEntry{ok, {name: "a.txt"}, {name: "a.txt"}}, "a.txt", "duplicate name"},
		{"case-folded duplicate", DefaultLimits, []zipEntry{{name: "Scan.txt"}, {name: "scan.TXT"}}, "scan.TXT", "except for case"},
		{"file and directory", DefaultLimits, []zipEntry{{name: "a"}, {name: "a/b.txt"}}, "a/b.txt", "both a file and a directory"},
		{"nested zip", DefaultLimits, []zipEntry{{name: "logs/export.zip"}}, "logs/export.zip", "nested archive"},
		{"nested tarball", DefaultLimits, []zipEntry{{name: "x.tar.gz"}}, "x.tar.gz", "nested archive"},
		{"too many entries", small, []zipEntry{{name: "1"}, {name: "2"}, {name: "3"}, {name: "4"}}, "", "more than the limit"},
		{"claimed file size", small, []zipEntry{{name: "big", data: strings.Repeat("x", 101)}}, "big", "per-file limit"},
		{"claimed total", small, []zipEntry{{name: "a", data: strings.Repeat("x", 80)}, {name: "b", data: strings.Repeat("x", 80)}}, "", "total limit"},
		{"claimed ratio", DefaultLimits, []zipEntry{{name: "bomb.txt", data: strings.Repeat("\x00", 4<<20)}}, "bomb.txt", "compression ratio"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openZip(t, tc.lim, tc.entries...)
			wantRefusal(t, err, tc.entry, tc.reason)
		})
	}
}

func TestZipNotAnArchive(t *testing.T) {
	_, err := OpenZip(strings.NewReader("not a zip"), 9, "bundle.zip", DefaultLimits)
	wantRefusal(t, err, "", "not a readable zip archive")
}

// A stored entry whose header understates its size is refused at once:
// its compressed and uncompressed sizes must be equal.
func TestZipLyingStoredHeader(t *testing.T) {
	_, err := openZip(t, DefaultLimits, zipEntry{name: "liar.txt", data: strings.Repeat("x", 500), claim: 10})
	wantRefusal(t, err, "liar.txt", "stored entry of 500 bytes")
}

// A deflate entry whose header claims a harmless size cannot inflate
// beyond it: reading stops with a refusal at the declared size, so the
// limits checked on the header hold for the bytes read.
func TestZipInflatesNoMoreThanDeclared(t *testing.T) {
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	io.WriteString(fw, strings.Repeat("\x00", 1<<20))
	fw.Close()
	var raw bytes.Buffer
	zw := zip.NewWriter(&raw)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "bomb.txt", Method: zip.Deflate, CRC32: 0,
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: 1000})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	zw.Close()
	fsys, err := OpenZip(bytes.NewReader(raw.Bytes()), int64(raw.Len()), "bundle.zip", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, err = fs.ReadFile(fsys, "bomb.txt")
	wantRefusal(t, err, "bomb.txt", "yields more than the 1000 bytes its headers declare")
}

func TestZipGoodBundleReads(t *testing.T) {
	fsys, err := openZip(t, DefaultLimits, zipEntry{name: "docs/"}, zipEntry{name: "docs/a.txt", data: "hello"},
		zipEntry{name: "report.docx", data: "PK\x03\x04 office documents are zip containers"})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(fsys, "docs/a.txt"); err != nil || string(b) != "hello" {
		t.Fatalf("read %q, %v", b, err)
	}
	if _, err := fs.ReadFile(fsys, "report.docx"); err != nil {
		t.Fatalf("an office document is a file, not a nested archive: %v", err)
	}
}

func openDirBundle(t *testing.T, dir string, lim Limits) (fs.FS, error) {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return OpenDir(root, "bundle", lim)
}

func TestDirRefusals(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o644)
	for _, tc := range []struct {
		name   string
		setup  func(dir string) error
		entry  string
		reason string
	}{
		{"symlink escaping", func(d string) error { return os.Symlink(outside, filepath.Join(d, "link.txt")) }, "link.txt", "symbolic link"},
		{"symlink inside", func(d string) error {
			os.WriteFile(filepath.Join(d, "a.txt"), nil, 0o644)
			return os.Symlink("a.txt", filepath.Join(d, "b.txt"))
		}, "b.txt", "symbolic link"},
		{"fifo", func(d string) error { return syscall.Mkfifo(filepath.Join(d, "pipe"), 0o644) }, "pipe", "named pipe"},
		{"backslash", func(d string) error { return os.WriteFile(filepath.Join(d, `a\b.txt`), nil, 0o644) }, `a\b.txt`, "backslash"},
		{"case-folded duplicate", func(d string) error {
			os.WriteFile(filepath.Join(d, "Scan.txt"), nil, 0o644)
			return os.WriteFile(filepath.Join(d, "scan.txt"), nil, 0o644)
		}, "scan.txt", "except for case"},
		{"nested archive", func(d string) error { return os.WriteFile(filepath.Join(d, "logs.tgz"), nil, 0o644) }, "logs.tgz", "nested archive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tc.setup(dir); err != nil {
				t.Skipf("cannot set up: %v", err)
			}
			done := make(chan error, 1)
			go func() { _, err := openDirBundle(t, dir, DefaultLimits); done <- err }()
			select {
			case err := <-done:
				wantRefusal(t, err, tc.entry, tc.reason)
			case <-time.After(10 * time.Second):
				t.Fatal("opening the bundle hangs")
			}
		})
	}
}

// A file replaced by a FIFO after the bundle was checked is refused when
// opened, without blocking.
func TestDirFIFOSwappedInDoesNotHang(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "scan.txt")
	os.WriteFile(p, []byte("x"), 0o644)
	fsys, err := openDirBundle(t, dir, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := fs.ReadFile(fsys, "scan.txt"); done <- err }()
	select {
	case err := <-done:
		wantRefusal(t, err, "scan.txt", "named pipe")
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO hangs")
	}
}

func TestDirSizeCountedOnRead(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "big.log"), bytes.Repeat([]byte("x"), 1000), 0o644)
	lim := DefaultLimits
	lim.MaxFileSize = 100
	fsys, err := openDirBundle(t, dir, lim)
	if err != nil {
		t.Fatal(err)
	}
	_, err = fs.ReadFile(fsys, "big.log")
	wantRefusal(t, err, "big.log", "per-file limit")
}
