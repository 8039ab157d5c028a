package project

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/auditpack/auditpack/audit/rootfs"
)

// ReadInput reads an input file whole, refusing what is not a regular file
// or is larger than limit, the largest file of its role. Files on disk are
// read through rootfs, which checks the open handle and never blocks on a
// pipe; the built-in example's files are read from the embedded tree.
func ReadInput(fsys fs.FS, name, display string, limit int64) ([]byte, error) {
	if r, ok := fsys.(*rootfs.FS); ok {
		data, err := r.ReadFile(name, display, limit)
		if err != nil {
			return nil, FileError(display, err)
		}
		return data, nil
	}
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &InputError{fmt.Errorf("%s: no such file", display)}
		}
		return nil, &InputError{fmt.Errorf("%s: %w", display, err)}
	}
	if !fi.Mode().IsRegular() {
		return nil, &InputError{fmt.Errorf("%s: not a regular file", display)}
	}
	if fi.Size() > limit {
		return nil, &InputError{&rootfs.TooLargeError{Name: display, Limit: limit}}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &InputError{fmt.Errorf("%s: %w", display, err)}
	}
	return data, nil
}

// FileError names display in an error from reading it, once.
func FileError(display string, err error) error {
	var (
		nr *rootfs.NotRegularError
		tl *rootfs.TooLargeError
		ou *rootfs.OutsideError
	)
	switch {
	case errors.As(err, &nr), errors.As(err, &tl), errors.As(err, &ou):
		return &InputError{err}
	case errors.Is(err, fs.ErrNotExist):
		return &InputError{fmt.Errorf("%s: no such file", display)}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &InputError{fmt.Errorf("%s: %w", display, err)}
}
