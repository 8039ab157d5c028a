package project

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/auditpack/auditpack/audit/rootfs"
)

// Files resolves the paths named in a configuration. On disk they are
// relative to the configuration file; for the built-in example they are
// inside the embedded file system.
type Files interface {
	// Dir returns a file system rooted at p and how to name p to people.
	Dir(p string) (fs.FS, string, error)
	// File returns a file system holding p, p's name in it, and p's display name.
	File(p string) (fs.FS, string, string, error)
}

// DiskFiles resolves paths against the configuration's directory. base is
// that directory as the user named it, for opening files. root is the same
// directory made absolute: names shown and recorded are relative to it, so
// that results, report and package are the same bytes whatever the working
// directory and however the configuration was named, and no path of the
// building machine leaks into them. With root empty (a directory named on
// the command line, not by a configuration) names are kept as given.
type DiskFiles struct{ Base, Root string }

// ConfigFiles resolves the inputs of the configuration file cfg.
func ConfigFiles(cfg string) DiskFiles {
	base := filepath.Dir(cfg)
	return DiskFiles{Base: base, Root: rootfs.Resolve(base)}
}

// Abs is p made absolute against the configuration's directory.
func (d DiskFiles) Abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(d.Base, filepath.FromSlash(p))
}

// Name is how p is shown and recorded: relative to the configuration's
// directory, with forward slashes, after resolving links (the working
// directory's too), so that a project reached through a symbolic link
// records the same names. An input on another volume, which no
// relative path reaches, is named by its base name alone rather than by an
// absolute path.
func (d DiskFiles) Name(p string) string {
	if d.Root == "" {
		return filepath.ToSlash(d.Abs(p))
	}
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(filepath.FromSlash(p)))
	}
	rel, err := filepath.Rel(d.Root, rootfs.Resolve(p))
	if err != nil {
		return filepath.Base(p)
	}
	return filepath.ToSlash(rel)
}

// Dir opens an evidence bundle, a directory or a .zip archive, checked
// against hostile entries (see OpenBundle).
func (d DiskFiles) Dir(p string) (fs.FS, string, error) {
	display := d.Name(p)
	fsys, err := OpenBundle(d.Abs(p), display)
	return fsys, display, err
}

// File opens p's directory as a root: the file itself is then read without
// blocking and within its limit (ReadInput), and whatever the file names
// in turn (Threagile includes) is read inside that directory only.
func (d DiskFiles) File(p string) (fs.FS, string, string, error) {
	a := d.Abs(p)
	fsys, err := OpenDirOf(a)
	return fsys, filepath.Base(a), d.Name(p), err
}

// OpenDirOf opens the directory holding the file a as a [rootfs.FS].
func OpenDirOf(a string) (fs.FS, error) {
	dir := filepath.Dir(a)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, &InputError{err}
	}
	return rootfs.New(root, dir), nil
}

// CloseFS closes a directory opened by [DiskFiles.File] once its files are read.
func CloseFS(fsys fs.FS) {
	if c, ok := fsys.(io.Closer); ok {
		c.Close()
	}
}

// EmbeddedFiles resolves paths inside an embedded tree, such as the
// built-in example's, below Base.
type EmbeddedFiles struct {
	FS   fs.FS
	Base string
}

func (e EmbeddedFiles) Dir(p string) (fs.FS, string, error) {
	sub, err := fs.Sub(e.FS, path.Join(e.Base, p))
	return sub, p, err
}

func (e EmbeddedFiles) File(p string) (fs.FS, string, string, error) {
	return e.FS, path.Join(e.Base, p), p, nil
}
