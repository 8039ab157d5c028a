package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/archive"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/reports/packager"
)

// resultsName is where a package keeps its results, at its root.
const resultsName = "results.json"

// readResults loads the results of a package directory, a package zip or a
// results.json file. Errors name the file and exit 2.
func readResults(name string) (*audit.Results, error) {
	l, err := readResultsData(name)
	if err != nil {
		return nil, err
	}
	return l.results, nil
}

// loadedResults is results.json as read, for a package that must record
// which results it was compared with. The file is not held in memory:
// open reads it again, and the copy must still have sha256.
type loadedResults struct {
	// name is the file read: the results file, or the package directory or
	// zip with the file in it.
	name    string
	sha256  string // lower-case hex, of the bytes read
	size    int64
	open    func() (io.ReadCloser, error)
	results *audit.Results
}

// id is the package id of the results read: the id that package's own
// report shows.
func (l *loadedResults) id() string { return "AP-" + strings.ToUpper(l.sha256[:12]) }

// copyTo streams results.json to w as read before, and fails if the file
// changed since: a package must keep the results its changes chapter was
// computed from.
func (l *loadedResults) copyTo(w io.Writer) error {
	f, err := l.open()
	if err != nil {
		return fmt.Errorf("%s: %w", l.name, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(f, l.size+1))
	if err != nil {
		return fmt.Errorf("%s: %w", l.name, err)
	}
	if n != l.size || hex.EncodeToString(h.Sum(nil)) != l.sha256 {
		return &inputError{fmt.Errorf("%s: changed while the package was built", l.name)}
	}
	return nil
}

// readResultsData is readResults that also keeps how to copy results.json
// exactly as read.
func readResultsData(name string) (*loadedResults, error) { return readResultsAs(name, false) }

// readResultsAs is readResultsData keeping every field with full, as
// sample needs, or only what diff and build --previous read.
func readResultsAs(name string, full bool) (*loadedResults, error) {
	fi, err := os.Stat(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	display := name
	var open func() (io.ReadCloser, error)
	switch {
	case fi.IsDir():
		display = filepath.Join(name, resultsName)
		open, err = openInDir(name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &inputError{fmt.Errorf("%s has no %s: not an audit package", name, resultsName)}
		}
	case !fi.Mode().IsRegular():
		return nil, &inputError{fmt.Errorf("%s: not a regular file, directory or zip", name)}
	case isZipFile(name):
		display = name + ":" + resultsName
		open, err = openInZip(name)
	default:
		open = func() (io.ReadCloser, error) { return rootfs.Open(name, name) }
	}
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", display, err)}
	}
	f, err := open()
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", display, err)}
	}
	defer f.Close()
	rd, err := resultsfile.Decode(display, f, resultsfile.MaxSize, full)
	if err != nil {
		return nil, err
	}
	return &loadedResults{name: display, sha256: rd.SHA256, size: rd.Size, results: rd.Results, open: open}, nil
}

// isZipFile reports whether the named file is a zip archive, by name or
// by its first bytes, using the same test as evidence bundles.
func isZipFile(name string) bool {
	f, err := rootfs.Open(name, name)
	if err != nil {
		return strings.EqualFold(filepath.Ext(name), ".zip")
	}
	defer f.Close()
	return proj.IsZip(f, name)
}

// openInDir opens results.json through an os.Root, so a symbolic link
// cannot lead outside the package, and refuses anything but a regular file.
func openInDir(dir string) (func() (io.ReadCloser, error), error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	fi, err := root.Lstat(resultsName)
	if err != nil {
		return nil, fmt.Errorf("not an audit package or results: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return func() (io.ReadCloser, error) {
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, err
		}
		defer root.Close()
		return rootfs.OpenIn(root, resultsName, dir)
	}, nil
}

// openInZip opens results.json in a package zip checked with the package
// rules (packager.OpenZip): the same view `auditpack verify` checks, so one
// archive cannot show a reviewer one file and the tool another. The entry
// is inflated as it is read, never held whole.
func openInZip(name string) (func() (io.ReadCloser, error), error) {
	open := func() (fs.File, *os.File, error) {
		z, f, err := packager.OpenZipFile(name)
		var refusal archive.Refusal
		if errors.As(err, &refusal) {
			return nil, nil, fmt.Errorf("not a safe package zip: %w", err)
		} else if err != nil {
			return nil, nil, err
		}
		fi, err := fs.Stat(z, resultsName)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("not an audit package: %w", err)
		}
		if !fi.Mode().IsRegular() {
			f.Close()
			return nil, nil, errors.New("not a regular file in the zip")
		}
		e, err := z.Open(resultsName)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return e, f, nil
	}
	e, f, err := open()
	if err != nil {
		return nil, err
	}
	first := true
	return func() (io.ReadCloser, error) {
		if first {
			first = false
			return entryCloser{e, f}, nil
		}
		e, f, err := open()
		if err != nil {
			return nil, err
		}
		return entryCloser{e, f}, nil
	}, nil
}

// entryCloser is a zip entry that closes its archive file with it.
type entryCloser struct {
	fs.File
	zip *os.File
}

func (c entryCloser) Close() error {
	c.File.Close()
	return c.zip.Close()
}

// copyPrevious streams the previous results into the package directory at
// its package path.
func copyPrevious(dir, name string, l *loadedResults) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := l.copyTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
