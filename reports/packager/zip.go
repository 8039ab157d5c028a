package packager

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"time"

	"github.com/auditpack/auditpack/audit/archive"
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

// zipOptions are the rules for a package zip on top of the ones every
// archive obeys ([archive.Open]): package names ([CheckName]), no
// comment and nothing in an entry's records that WriteZip does not write
// ([archive.Options.Strict]), and limits that no real package nears.
// Entries must inflate to exactly their declared size, so the size limits
// hold on the bytes read; the ratio bound only catches a bomb, since an
// input copied into a package may itself compress very well.
var zipOptions = archive.Options{
	Limits: archive.Limits{
		MaxEntries:  maxEntries,
		MaxFileSize: maxEntrySize,
		MaxTotal:    maxTotalSize,
		MaxRatio:    1000,
		RatioFloor:  64 << 20,
	},
	Name:   CheckName,
	Strict: true,
}

// Limits on a zip, so a crafted archive cannot exhaust memory or time
// while it is checked.
const (
	maxEntries   = 10000
	maxEntrySize = 4 << 30
	maxTotalSize = 16 << 30
)

// OpenZip checks a package zip of size bytes with the package rules and
// returns it as a file system. Every reader of a package zip goes through
// it, so none can be shown other files than `auditpack verify` checked.
// A refusal is an [archive.Refusal].
func OpenZip(r io.ReaderAt, size int64) (*archive.Reader, error) {
	return archive.Open(r, size, zipOptions)
}

// zipFailures turns an archive refusal into verification failures.
func zipFailures(err error) []Failure {
	var ref archive.Refusal
	if !errors.As(err, &ref) {
		return []Failure{{Kind: ErrZip, Reason: err.Error()}}
	}
	out := make([]Failure, len(ref))
	for i, e := range ref {
		out[i] = Failure{File: e.Entry, Kind: zipKind(e.Kind), Reason: e.Reason}
	}
	return out
}

// zipKind maps the archive's kinds of refusal onto the package's.
func zipKind(kind error) error {
	switch kind {
	case archive.ErrName:
		return ErrUnsafeName
	case archive.ErrDuplicate:
		return ErrDuplicate
	case archive.ErrNotRegular:
		return ErrNotRegular
	case archive.ErrLimit:
		return ErrTooLarge
	}
	return ErrZip
}
