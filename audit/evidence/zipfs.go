package evidence

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync/atomic"
)

// OpenZip checks a zip bundle and returns it as a file system, read in
// place: nothing is extracted. display names the bundle in errors.
//
// Every entry is checked before anything is read: names must be clean,
// relative, forward-slash paths inside the bundle, unique even ignoring
// case; only regular files and directories are accepted (no symlinks,
// devices or pipes); nested archives are refused. The headers' sizes are
// checked against lim, and reading enforces lim again on the bytes actually
// decompressed, so a lying header does not help. Violations found while
// reading surface as [*BundleError] from Read.
func OpenZip(r io.ReaderAt, size int64, display string, lim Limits) (fs.FS, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &BundleError{Bundle: display, Reason: fmt.Sprintf("not a readable zip archive: %v", err)}
	}
	refuse := func(entry, format string, args ...any) error {
		return &BundleError{Bundle: display, Entry: entry, Reason: fmt.Sprintf(format, args...)}
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, refuse("", "%d entries, more than the limit of %d", len(zr.File), lim.MaxEntries)
	}
	seen := newNames()
	var claimed uint64
	for _, f := range zr.File {
		mode := f.Mode()
		name, isDir := strings.CutSuffix(f.Name, "/")
		if err := CheckEntryName(name); err != nil {
			return nil, refuse(f.Name, "%v", err)
		}
		switch {
		case mode&fs.ModeSymlink != 0:
			return nil, refuse(f.Name, "symbolic link (a bundle holds regular files only)")
		case mode&(fs.ModeDevice|fs.ModeCharDevice) != 0:
			return nil, refuse(f.Name, "device file")
		case mode&fs.ModeNamedPipe != 0:
			return nil, refuse(f.Name, "named pipe (FIFO)")
		case mode&fs.ModeSocket != 0:
			return nil, refuse(f.Name, "socket")
		case mode&fs.ModeIrregular != 0:
			return nil, refuse(f.Name, "not a regular file")
		case isDir != mode.IsDir():
			return nil, refuse(f.Name, "directory flag and name disagree")
		}
		if err := seen.add(name, isDir); err != nil {
			return nil, refuse(f.Name, "%v", err)
		}
		if isDir {
			continue
		}
		if f.UncompressedSize64 > uint64(lim.MaxFileSize) {
			return nil, refuse(f.Name, "claims %d bytes, more than the per-file limit of %d", f.UncompressedSize64, lim.MaxFileSize)
		}
		if claimed += f.UncompressedSize64; claimed > uint64(lim.MaxTotal) {
			return nil, refuse("", "entries claim more than the total limit of %d bytes", lim.MaxTotal)
		}
		if f.UncompressedSize64 > uint64(lim.RatioFloor) && f.UncompressedSize64/max(f.CompressedSize64, 1) > uint64(lim.MaxRatio) {
			return nil, refuse(f.Name, "compression ratio above %d:1 (a decompression bomb)", lim.MaxRatio)
		}
	}
	return &zipFS{zr: zr, display: display, lim: lim, total: new(atomic.Int64)}, nil
}

type zipFS struct {
	zr      *zip.Reader
	display string
	lim     Limits
	total   *atomic.Int64 // bytes read from all entries
}

func (z *zipFS) Open(name string) (fs.File, error) {
	f, err := z.zr.Open(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		return f, err
	}
	var compressed int64
	if zf, ok := fi.Sys().(*zip.FileHeader); ok {
		compressed = int64(zf.CompressedSize64)
	}
	return &zipFile{File: f, fs: z, name: name, compressed: compressed}, nil
}

// zipFile enforces the limits on the bytes a reader actually gets.
type zipFile struct {
	fs.File
	fs         *zipFS
	name       string
	compressed int64
	read       int64
}

func (f *zipFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.read += int64(n)
	lim := f.fs.lim
	switch {
	case f.read > lim.MaxFileSize:
		return 0, f.refuse("more than the per-file limit of %d bytes", lim.MaxFileSize)
	case f.fs.total.Add(int64(n)) > lim.MaxTotal:
		return 0, f.refuse("the bundle yields more than the total limit of %d bytes", lim.MaxTotal)
	case f.read > lim.RatioFloor && f.read/max(f.compressed, 1) > lim.MaxRatio:
		return 0, f.refuse("decompresses beyond a ratio of %d:1 (a decompression bomb)", lim.MaxRatio)
	}
	return n, err
}

func (f *zipFile) refuse(format string, args ...any) error {
	return &BundleError{Bundle: f.fs.display, Entry: f.name, Reason: fmt.Sprintf(format, args...)}
}
