package pack

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// zipTime is the modification time of every zip entry. It is a constant,
// not the build time, so that the same package always zips to the same
// bytes; the package's real dates are in manifest.json.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes the package in fsys as a deterministic zip: every regular
// file, sorted by name in byte order, at the archive root, with a fixed
// time, mode 0644 and deflate at a fixed level; no directory entries, no
// comment. Anything but regular files and directories is refused.
func WriteZip(w io.Writer, fsys fs.FS) error {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: %w", p, ErrNotRegular)
		}
		if err := CheckName(p); err != nil {
			return fmt.Errorf("%w: %v", ErrUnsafeName, err)
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(names)
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: zipTime}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		f, err := fsys.Open(n)
		if err != nil {
			return err
		}
		_, err = io.Copy(fw, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return zw.Close()
}

// Limits on a zip, so a crafted archive cannot exhaust memory or disk
// while it is checked. Sizes are enforced again on the bytes actually read.
const (
	maxEntries   = 10000
	maxEntrySize = 4 << 30
	maxTotalSize = 16 << 30
)

// checkZip inspects the raw entries of a zip before its fs.FS view is
// trusted: archive/zip's Open quietly strips "../" and leading slashes and
// hides duplicates, so those must be caught on the headers themselves.
func checkZip(r *zip.Reader) []Failure {
	var out []Failure
	fail := func(name string, kind error, format string, args ...any) {
		out = append(out, Failure{File: name, Kind: kind, Reason: fmt.Sprintf(format, args...)})
	}
	if len(r.File) > maxEntries {
		fail("", ErrTooLarge, "%d zip entries (at most %d)", len(r.File), maxEntries)
		return out
	}
	seen := map[string]string{}
	var total uint64
	for _, f := range r.File {
		name := f.Name
		if strings.HasSuffix(name, "/") && f.Mode().IsDir() {
			if err := CheckName(strings.TrimSuffix(name, "/")); err != nil {
				fail(name, ErrUnsafeName, "directory entry: %v", err)
			}
			continue
		}
		if err := CheckName(name); err != nil {
			fail(name, ErrUnsafeName, "zip entry: %v", err)
			continue
		}
		if !f.Mode().IsRegular() {
			fail(name, ErrNotRegular, "zip entry has mode %s", f.Mode())
		}
		low := strings.ToLower(name)
		if prev, ok := seen[low]; ok {
			fail(name, ErrDuplicate, "zip holds %q more than once (or differing only in case)", prev)
		}
		seen[low] = name
		total += f.UncompressedSize64
		if f.UncompressedSize64 > maxEntrySize {
			fail(name, ErrTooLarge, "%d bytes (at most %d)", f.UncompressedSize64, uint64(maxEntrySize))
		}
	}
	if total > maxTotalSize {
		fail("", ErrTooLarge, "%d bytes uncompressed (at most %d)", total, uint64(maxTotalSize))
	}
	return out
}
