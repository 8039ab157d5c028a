package staging

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes one file (a configuration, a converted model) through a
// staged temporary file beside it. Without force the final step is
// exclusive, so a file that appears meanwhile is kept; with force an
// existing regular file is replaced (atomically) but never an input, a
// directory or a link.
func WriteFile(name string, data []byte, o Options) error {
	display := filepath.Clean(name)
	abs, err := absolute(name)
	if err != nil {
		return err
	}
	if err := guard(abs, display, o.Inputs); err != nil {
		return err
	}
	fi, err := os.Lstat(abs)
	switch {
	case err == nil && !o.Force:
		return &RefusedError{Path: display, Reason: "already exists; use --force to replace it"}
	case err == nil && fi.IsDir():
		return &RefusedError{Path: display, Reason: "is a directory; --force replaces only a file"}
	case err == nil && !fi.Mode().IsRegular():
		return &RefusedError{Path: display, Reason: "is not a regular file; --force replaces only a file"}
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return unwritable(display, err)
	}
	dir := filepath.Dir(abs)
	clean(dir, o)
	a := &Area{out: abs}
	if err := a.lockNew(dir); err != nil {
		return unwritable(filepath.Dir(display), err)
	}
	defer a.unlock()
	tmp := a.base + ".tmp"
	if err := writeNew(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if o.Force {
		err = os.Rename(tmp, abs)
	} else {
		err = renameNoReplace(tmp, abs)
	}
	if err != nil {
		os.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			return &RefusedError{Path: display, Reason: "appeared while it was being written; it was not touched"}
		}
		return err
	}
	return nil
}

// writeNew creates p, which must not exist, with data, mode 0644.
func writeNew(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
