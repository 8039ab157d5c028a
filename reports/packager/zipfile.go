package packager

import (
	"os"

	"github.com/auditpack/auditpack/audit/archive"
	"github.com/auditpack/auditpack/audit/rootfs"
)

// OpenZipFile opens the package zip at name through the bounded opener (a
// regular file only: never a pipe or device waited on) and checks it with
// the package rules ([OpenZip]). The caller closes the returned file when
// done reading the archive. An error from opening is the opener's; one
// from checking is an [archive.Refusal].
func OpenZipFile(name string) (*archive.Reader, *os.File, error) {
	f, err := rootfs.Open(name, name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	z, err := OpenZip(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return z, f, nil
}
