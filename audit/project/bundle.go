package project

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/rootfs"
)

// OpenBundle opens an evidence bundle on disk: a directory, read through
// os.Root so that nothing resolves outside it, or a .zip archive, read in
// place and never extracted. Both are checked entry by entry before any
// file is hashed (see evidence.OpenDir and evidence.OpenZip); a refused
// bundle is an *evidence.BundleError naming the entry and the reason.
//
// The directory or archive stays open for the rest of the process: the
// package step reads the bundle again when it embeds the evidence.
func OpenBundle(abs, display string) (fs.FS, error) {
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, &InputError{err}
	}
	switch {
	case fi.IsDir():
		root, err := os.OpenRoot(abs)
		if err != nil {
			return nil, &InputError{err}
		}
		return evidence.OpenDir(root, display, evidence.DefaultLimits)
	case !fi.Mode().IsRegular():
		return nil, &InputError{fmt.Errorf("%s: an evidence bundle is a directory or a .zip file", display)}
	}
	f, err := rootfs.Open(abs, display)
	if err != nil {
		return nil, FileError(display, err)
	}
	if !IsZip(f, abs) {
		f.Close()
		return nil, &InputError{fmt.Errorf("%s: not a directory or a .zip archive", display)}
	}
	return evidence.OpenZip(f, fi.Size(), display, evidence.DefaultLimits)
}

// IsZip recognises a zip by its name or its first bytes.
func IsZip(f io.ReaderAt, name string) bool {
	if strings.EqualFold(filepath.Ext(name), ".zip") {
		return true
	}
	head := make([]byte, 4)
	n, _ := f.ReadAt(head, 0)
	return bytes.Equal(head[:n], []byte("PK\x03\x04")) || bytes.Equal(head[:n], []byte("PK\x05\x06"))
}
