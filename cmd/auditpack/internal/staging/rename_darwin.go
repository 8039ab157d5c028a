package staging

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// nativeNoReplace is renamex_np with RENAME_EXCL, which some file systems
// refuse with ENOTSUP.
func nativeNoReplace(from, to string) error {
	err := unix.RenamexNp(from, to, unix.RENAME_EXCL)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOTSUP), errors.Is(err, unix.EINVAL):
		return errUnsupported
	}
	return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
}
