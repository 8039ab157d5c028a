package staging

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/auditpack/auditpack/reports/pack"
)

// manifestName is the file that makes a directory or zip an auditpack
// package, and packageSchema the prefix of its schema_version.
const (
	manifestName  = pack.ManifestName
	packageSchema = "auditpack/package/"
)

// guard refuses an output that is, holds or lies inside an input. Paths are
// compared after resolving links, and by file identity where both exist,
// so neither a symbolic link nor a second name for the same directory gets
// an input replaced.
func guard(out string, inputs []Input) error {
	o := resolve(out)
	for _, in := range inputs {
		if in.Path == "" {
			continue
		}
		i := resolve(in.Path)
		switch {
		case o == i || same(out, in.Path):
			return &RefusedError{Path: out, Reason: fmt.Sprintf("is %s, an input of this run; choose another output (--force never replaces an input)", in.Role)}
		case within(i, o) || anyAncestorIs(in.Path, out):
			return &RefusedError{Path: out, Reason: fmt.Sprintf("holds %s (%s), an input of this run; choose another output (--force never replaces an input)", in.Role, in.Path)}
		case within(o, i) || anyAncestorIs(out, in.Path):
			return &RefusedError{Path: out, Reason: fmt.Sprintf("lies inside %s (%s), an input of this run; choose another output", in.Role, in.Path)}
		}
	}
	return nil
}

// resolve makes p absolute and resolves the links of its longest existing
// prefix.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

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

// anyAncestorIs reports whether an existing proper ancestor of p is dir:
// the check by identity that catches a second name (a bind mount, a
// case-insensitive spelling) that string comparison misses.
func anyAncestorIs(p, dir string) bool {
	d, err := os.Stat(dir)
	if err != nil || !d.IsDir() {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	for cur := filepath.Dir(abs); ; cur = filepath.Dir(cur) {
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
func checkExisting(p string, isZip, force bool) error {
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if !force {
		return &RefusedError{Path: p, Reason: "already exists; use --force to replace it"}
	}
	return replaceable(p, p, isZip)
}

// replaceable reports whether what is at p (shown as display) is something
// --force may replace: an auditpack package or an empty directory, or for a
// zip a package zip. A symbolic link is never followed.
func replaceable(p, display string, isZip bool) error {
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
	case isZip:
		if !isPackageZip(p) {
			return refuse("is not an auditpack package zip (no " + manifestName + " of a package in it)")
		}
		return nil
	case !fi.IsDir():
		return refuse("is not a directory")
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	f, err := os.Open(filepath.Join(p, manifestName))
	if err != nil {
		return refuse("is not an auditpack package (it has no " + manifestName + ")")
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || !isPackageManifest(f) {
		return refuse("is not an auditpack package (its " + manifestName + " is not a package's)")
	}
	return nil
}

// isPackageManifest reports whether r is a package's manifest.json, by its
// schema_version; it reads at most 64 MiB.
func isPackageManifest(r io.Reader) bool {
	var m struct {
		SchemaVersion string `json:"schema_version"`
	}
	err := json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(&m)
	return err == nil && strings.HasPrefix(m.SchemaVersion, packageSchema)
}

// isPackageZip reports whether p is a zip, safe by the package rules, with
// a package manifest at its root.
func isPackageZip(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	zr, err := pack.OpenZip(f, fi.Size())
	if err != nil {
		return false
	}
	m, err := zr.Open(manifestName)
	if err != nil {
		return false
	}
	defer m.Close()
	return isPackageManifest(m)
}
