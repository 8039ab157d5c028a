package evidence

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/auditpack/auditpack/audit/archive"
)

// OpenZip checks a zip bundle and returns it as a file system, read in
// place: nothing is extracted. display names the bundle in errors.
//
// The whole archive is checked by [archive.Open] before anything is read:
// the local headers must agree with the central directory and the entries
// must fill the file with nothing hidden before, between or after them;
// names must be clean, relative, forward-slash paths that Windows can hold
// too, unique even ignoring case; only regular files and directories are
// accepted (no symlinks, devices or pipes); nested archives are refused;
// sizes, counts and ratios are checked against lim. Reading an entry
// yields exactly the bytes its headers declare, with their CRC-32, so the
// limits hold for the bytes actually decompressed. An archive comment is
// allowed, since common tools write one. Every refusal, at open or while
// reading, is a [*BundleError].
func OpenZip(r io.ReaderAt, size int64, display string, lim Limits) (fs.FS, error) {
	z, err := archive.Open(r, size, archive.Options{Limits: archive.Limits(lim), RefuseNested: true, AllowComment: true})
	if err != nil {
		return nil, bundleError(display, err)
	}
	return &zipFS{z: z, display: display}, nil
}

// bundleError turns an archive refusal into a BundleError naming the
// first problem, the one a user fixes first.
func bundleError(display string, err error) error {
	var e *archive.Error
	if !errors.As(err, &e) {
		return &BundleError{Bundle: display, Reason: err.Error()}
	}
	reason := e.Reason
	if errors.Is(e.Kind, archive.ErrFormat) {
		reason = fmt.Sprintf("not a readable zip archive: %s", reason)
	}
	var ref archive.Refusal
	if errors.As(err, &ref) && len(ref) > 1 {
		reason += fmt.Sprintf(" (and %d more problems)", len(ref)-1)
	}
	return &BundleError{Bundle: display, Entry: e.Entry, Reason: reason}
}

// zipFS is a checked bundle whose read errors are BundleErrors.
type zipFS struct {
	z       *archive.Reader
	display string
}

func (z *zipFS) Open(name string) (fs.File, error) {
	f, err := z.z.Open(name)
	if err != nil {
		return nil, err
	}
	return &zipFile{File: f, display: z.display}, nil
}

func (z *zipFS) ReadDir(name string) ([]fs.DirEntry, error) { return z.z.ReadDir(name) }

type zipFile struct {
	fs.File
	display string
}

func (f *zipFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	var e *archive.Error
	if errors.As(err, &e) {
		err = bundleError(f.display, err)
	}
	return n, err
}

// ReadDir passes through to directories, which fs.WalkDir needs.
func (f *zipFile) ReadDir(n int) ([]fs.DirEntry, error) {
	d, ok := f.File.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Err: errors.New("not a directory")}
	}
	return d.ReadDir(n)
}
