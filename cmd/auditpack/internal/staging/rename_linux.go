package staging

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// nativeNoReplace is renameat2 with RENAME_NOREPLACE, which some file
// systems (and kernels before 3.15) refuse with EINVAL or ENOSYS.
func nativeNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return errUnsupported
	}
	return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
}
