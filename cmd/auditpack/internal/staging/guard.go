package staging

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/auditpack/auditpack/audit/rootfs"
)

// guard refuses an output (abs, named display for messages) that is, holds
// or lies inside an input. Paths are compared after resolving every link,
// the working directory's included, and by file identity where both exist,
// so neither a symbolic link nor a second name for the same directory gets
// an input replaced.
func guard(abs, display string, inputs []Input) error {
	o := Resolve(abs)
	for _, in := range inputs {
		if in.Path == "" {
			continue
		}
		i := Resolve(in.Path)
		switch {
		case o == i || same(abs, in.Path):
			return &RefusedError{Path: display, Reason: fmt.Sprintf("is %s, an input of this run; choose another output (--force never replaces an input)", in.Role)}
		case within(i, o) || anyAncestorIs(i, o):
			return &RefusedError{Path: display, Reason: fmt.Sprintf("holds %s (%s), an input of this run; choose another output (--force never replaces an input)", in.Role, in.Path)}
		case within(o, i) || anyAncestorIs(o, i):
			return &RefusedError{Path: display, Reason: fmt.Sprintf("lies inside %s (%s), an input of this run; choose another output", in.Role, in.Path)}
		}
	}
	return nil
}

// Resolve returns the real absolute path of p (see [rootfs.Resolve]); the
// guard and the names recorded for inputs must agree on it.
func Resolve(p string) string { return rootfs.Resolve(p) }

// within reports whether p lies strictly inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// same reports whether a and b exist and are the same file.
func same(a, b string) bool {
	x, err := os.Stat(a)
	if err != nil {
		return false
	}
	y, err := os.Stat(b)
	return err == nil && os.SameFile(x, y)
}

// anyAncestorIs reports whether an existing proper ancestor of the real
// path p is dir: the check by identity that catches a second name (a bind
// mount, a case-insensitive spelling) that string comparison misses.
func anyAncestorIs(p, dir string) bool {
	d, err := os.Stat(dir)
	if err != nil || !d.IsDir() {
		return false
	}
	for cur := filepath.Dir(p); ; cur = filepath.Dir(cur) {
		if fi, err := os.Stat(cur); err == nil && os.SameFile(fi, d) {
			return true
		}
		if filepath.Dir(cur) == cur {
			return false
		}
	}
}

// checkExisting refuses an existing output without force, and with force
// anything auditpack may not replace.
func checkExisting(p, display string, isZip bool, o Options) error {
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return unwritable(display, err)
	}
	if !o.Force {
		return &RefusedError{Path: display, Reason: "already exists; use --force to replace it"}
	}
	return replaceable(p, display, isZip, o.DemoOnly)
}

// replaceable reports whether what is at p (shown as display) is something
// --force may replace: an empty directory, or an auditpack package and
// nothing else — a directory or zip whose manifest.json is a package's and
// which holds exactly the files that manifest lists, regular files in
// directories on one file system. A link is never followed, and a file the
// package does not list (notes added by hand, a mount point) makes the
// whole refused rather than silently deleted.
func replaceable(p, display string, isZip, demoOnly bool) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	refuse := func(what string) error {
		return &RefusedError{Path: display, Reason: what + "; --force replaces only an auditpack package or an empty directory"}
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return refuse("is a symbolic link")
	case isZip && !fi.Mode().IsRegular():
		return refuse("is not a regular file")
	case !isZip && !fi.IsDir():
		return refuse("is not a directory")
	}
	var c *contents
	if isZip {
		c, err = zipContents(p)
	} else {
		c, err = dirContents(p)
	}
	switch {
	case err != nil:
		return refuse(err.Error())
	case c.empty:
		return nil
	}
	return c.check(display, refuse, demoOnly)
}

// maxManifest bounds a manifest.json read to decide on --force.
const maxManifest = 64 << 20

// readManifest reads a manifest.json of at most maxManifest bytes.
func readManifest(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxManifest+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxManifest {
		return nil, fmt.Errorf("larger than %d bytes", maxManifest)
	}
	return data, nil
}
