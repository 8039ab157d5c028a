// Package rootfs opens the files auditpack reads: inside a directory handle
// ([os.Root]), for files that an input names (a Threagile include, an
// evidence bundle's files), or by a path the user gave, for the inputs
// themselves. Either way a file is opened without blocking and checked
// through the open handle, so a named pipe or a device is refused rather
// than waited on or read forever, and it is read through a limit, so its
// size cannot exceed what its role allows even if it grows while read.
//
// The package opens only what its callers name: the command line opens the
// roots and chooses the limits.
package rootfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// NotRegularError refuses a file that is not a regular file.
type NotRegularError struct {
	Name string
	Kind string // "a directory", "a named pipe (FIFO)", …
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s: is %s, not a regular file", e.Name, e.Kind)
}

// TooLargeError refuses a file larger than its role allows.
type TooLargeError struct {
	Name  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than the %d bytes allowed", e.Name, e.Limit)
}

// ErrOutside is what every refusal of a name outside its directory is
// (errors.Is), whoever found it: the root, or an importer checking the
// names a file gives before opening anything.
var ErrOutside = errors.New("only files inside it are read")

// OutsideError refuses a name that resolves outside its directory: a
// symbolic link that leaves it, or a path through "..".
type OutsideError struct {
	Name string
	Dir  string
}

func (e *OutsideError) Unwrap() error { return ErrOutside }

func (e *OutsideError) Error() string {
	return fmt.Sprintf("%s: leads outside %s (a symbolic link or \"..\"); %v", e.Name, filepath.ToSlash(e.Dir), ErrOutside)
}

// Kind names what a file of mode m is, or "" for a regular file.
func Kind(m fs.FileMode) string {
	switch t := m.Type(); {
	case t == 0:
		return ""
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	}
	return "not a regular file"
}

// nonblock is how files are opened: opening a named pipe for reading would
// otherwise wait for a writer. It has no effect on regular files.
const nonblock = os.O_RDONLY | syscall.O_NONBLOCK

// Open opens a file the user named by its path, refusing anything but a
// regular file (see [Check]). display names it in errors.
func Open(name, display string) (*os.File, error) {
	f, err := os.OpenFile(name, nonblock, 0)
	if err != nil {
		return nil, kindError(err, display, func() (fs.FileInfo, error) { return os.Stat(name) })
	}
	return Check(f, display)
}

// OpenIn opens name inside r, refusing a name that leaves r and anything but
// a regular file. dir names r in errors.
func OpenIn(r *os.Root, name, dir string) (*os.File, error) {
	f, err := r.OpenFile(name, nonblock, 0)
	if err != nil {
		return nil, kindError(classify(err, name, dir), name, func() (fs.FileInfo, error) { return r.Stat(name) })
	}
	return Check(f, name)
}

// kindError names the kind of a file that could not be opened because it
// is not a regular file: opening a socket fails with "no such device or
// address", which hides that the name is a socket. stat is consulted only
// for the message; err is kept for anything else.
func kindError(err error, display string, stat func() (fs.FileInfo, error)) error {
	var oe *OutsideError
	if errors.As(err, &oe) {
		return err
	}
	if fi, serr := stat(); serr == nil {
		if k := Kind(fi.Mode()); k != "" && k != "a directory" {
			return &NotRegularError{Name: display, Kind: k}
		}
	}
	return err
}

// classify turns the root's own refusal (an error that is not the system's)
// into an [OutsideError].
func classify(err error, name, dir string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		var errno syscall.Errno
		if !errors.As(pe.Err, &errno) {
			return &OutsideError{Name: name, Dir: dir}
		}
	}
	return err
}

// Check refuses f, closing it, unless the open handle is a regular file:
// the check is made on what was opened, so a file swapped after an earlier
// look cannot pass.
func Check(f *os.File, display string) (*os.File, error) {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if k := Kind(fi.Mode()); k != "" {
		f.Close()
		return nil, &NotRegularError{Name: display, Kind: k}
	}
	return f, nil
}

// Read reads an open regular file whole, refusing more than limit bytes:
// the size is checked on the handle first and the read is bounded all the
// same, since a file can grow while it is read. It closes f.
func Read(f *os.File, display string, limit int64) ([]byte, error) {
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, &TooLargeError{Name: display, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Name: display, Limit: limit}
	}
	return data, nil
}

// ReadFile opens and reads a file the user named, within limit.
func ReadFile(name, display string, limit int64) ([]byte, error) {
	f, err := Open(name, display)
	if err != nil {
		return nil, err
	}
	return Read(f, display, limit)
}

// FS is a read-only file system over r whose Open never blocks and yields
// only regular files and directories: what an importer needs to follow the
// files an input names (Threagile includes), confined to r.
type FS struct {
	root *os.Root
	dir  string
}

// New returns the file system of r, the directory dir.
func New(r *os.Root, dir string) *FS { return &FS{root: r, dir: dir} }

// Open opens name: a directory as [os.Root.FS] would, anything else through
// [OpenIn].
func (s *FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	fi, err := s.root.Stat(name)
	if err != nil {
		return nil, classify(err, name, s.dir)
	}
	if fi.IsDir() {
		return s.root.FS().Open(name)
	}
	return OpenIn(s.root, name, s.dir)
}

// ReadFile reads name within limit, naming it display. It is for the file
// the user named, whose directory this is: it is opened by its path, as
// the user gave it, so that a symbolic link the user chose is followed;
// only what that file names in turn is held inside the directory.
func (s *FS) ReadFile(name, display string, limit int64) ([]byte, error) {
	return ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)), display, limit)
}

// Close closes the directory handle.
func (s *FS) Close() error { return s.root.Close() }
