package staging

import (
	"errors"
	"io/fs"
	"os"
	"runtime"
	"syscall"
)

// renameNoReplace moves from to to, failing with an error that is
// fs.ErrExist when anything exists at to: it never replaces. The system
// call that does this atomically is tried first (see rename_*.go); where
// the system or the file system lacks it, portableNoReplace does.
func renameNoReplace(from, to string) error {
	err := nativeNoReplace(from, to)
	if errors.Is(err, errUnsupported) {
		return portableNoReplace(from, to)
	}
	return err
}

// errUnsupported reports that the system has no exclusive rename, or the
// file system refuses it.
var errUnsupported = errors.New("no exclusive rename here")

// portableNoReplace is the fallback: a file is hard-linked into place (a
// link never replaces) and its old name removed; a directory is renamed
// onto an empty directory made for it just before, which a rename may take
// but which, should anyone put something into it meanwhile, makes the
// rename fail rather than lose it. On Windows a rename never replaces a
// directory at all.
func portableNoReplace(from, to string) error {
	fi, err := os.Lstat(from)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		if err := os.Link(from, to); err != nil {
			return err
		}
		return os.Remove(from)
	}
	if runtime.GOOS == "windows" {
		if _, err := os.Lstat(to); err == nil {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: fs.ErrExist}
		}
		return os.Rename(from, to)
	}
	if err := os.Mkdir(to, 0o700); err != nil {
		return err
	}
	// The system call, not os.Rename, which refuses any existing
	// directory: rename(2) takes an empty one and refuses a full one.
	if err := syscall.Rename(from, to); err != nil {
		// Remove only the empty directory made above; anything put into
		// it since is someone else's.
		os.Remove(to)
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: fs.ErrExist}
	}
	return nil
}
