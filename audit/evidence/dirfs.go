package evidence

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sync/atomic"

	"github.com/auditpack/auditpack/audit/rootfs"
)

// OpenDir checks a directory bundle through root and returns it as a file
// system confined to it. display names the bundle in errors.
//
// The walk uses the entries' own types (lstat), so a symbolic link is seen
// as a link and refused, wherever it points; so are devices, named pipes and
// sockets (opening a FIFO would block forever). Names get the same checks as
// zip entries. Files are later opened without blocking and checked again to
// be regular through the open handle, so a file swapped for a pipe after the
// walk cannot hang verification either; and os.Root refuses any path that
// resolves outside the bundle.
func OpenDir(root *os.Root, display string, lim Limits) (fs.FS, error) {
	fsys := root.FS()
	seen := newNames()
	entries := 0
	links := newLinkCounter()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &BundleError{Bundle: display, Entry: p, Reason: err.Error()}
		}
		if p == "." {
			return nil
		}
		refuse := func(format string, args ...any) error {
			return &BundleError{Bundle: display, Entry: p, Reason: fmt.Sprintf(format, args...)}
		}
		if entries++; entries > lim.MaxEntries {
			return refuse("more than the limit of %d entries", lim.MaxEntries)
		}
		if err := CheckEntryName(p); err != nil {
			return refuse("%v", err)
		}
		if r := typeProblem(d.Type()); r != "" {
			return refuse("%s", r)
		}
		if err := seen.Add(p, d.IsDir()); err != nil {
			return refuse("%v", err)
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				links.add(p, fi)
			}
		}
		return nil
	})
	if err != nil {
		var be *BundleError
		if errors.As(err, &be) {
			return nil, be
		}
		return nil, fmt.Errorf("list evidence bundle %s: %w", display, err)
	}
	return &dirFS{root: root, fsys: fsys, display: display, lim: lim, total: new(atomic.Int64), hardLinks: links.outside()}, nil
}

// HardLinks lists the files of a directory bundle (opened by [OpenDir])
// that are hard links to a file with names outside the bundle, sorted and
// named as the bundle's display name joined with the path; nil for any
// other file system. Such a file is not confined to the bundle:
// whoever can write the other name changes the evidence, and copying it
// into a package copies a file that was never the bundle's own.
func HardLinks(fsys fs.FS) []string {
	d, ok := fsys.(*dirFS)
	if !ok {
		return nil
	}
	out := make([]string, len(d.hardLinks))
	for i, p := range d.hardLinks {
		out[i] = path.Join(d.display, p)
	}
	return out
}

func typeProblem(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "symbolic link (a bundle holds regular files only; a link could point outside it)"
	case t&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "device file"
	case t&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		return "socket"
	case t&fs.ModeIrregular != 0:
		return "not a regular file"
	}
	return ""
}

type dirFS struct {
	root      *os.Root
	fsys      fs.FS
	display   string
	lim       Limits
	total     *atomic.Int64
	hardLinks []string
}

func (d *dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	fi, err := d.root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return d.fsys.Open(name)
	}
	if r := typeProblem(fi.Mode().Type()); r != "" {
		return nil, &BundleError{Bundle: d.display, Entry: name, Reason: r}
	}
	return d.openIn(d.root, name, name)
}

// openIn opens rel within r, the bundle's root or a directory handle under
// it, for the bundle file name: without blocking, then checked through the
// open handle to be a regular file still, so a file swapped for a pipe after
// the check cannot hang the reader.
//
// It is the opener every input's references go through (rootfs.OpenIn).
func (d *dirFS) openIn(r *os.Root, rel, name string) (fs.File, error) {
	f, err := rootfs.OpenIn(r, rel, d.display)
	if err != nil {
		var nr *rootfs.NotRegularError
		if errors.As(err, &nr) {
			err = &BundleError{Bundle: d.display, Entry: name, Reason: "changed into something other than a regular file while being read"}
		}
		return nil, err
	}
	return &dirFile{f: f, fs: d, name: name}, nil
}

// dirFile enforces the size limits on the bytes actually read. It holds
// the *os.File rather than embedding it, so that io.Copy cannot reach the
// file's own WriteTo and bypass the limits.
type dirFile struct {
	f    *os.File
	fs   *dirFS
	name string
	read int64
}

func (f *dirFile) Read(p []byte) (int, error) {
	n, err := f.f.Read(p)
	refuse := func(reason string) (int, error) {
		return 0, &BundleError{Bundle: f.fs.display, Entry: f.name, Reason: reason}
	}
	f.read += int64(n)
	switch {
	case f.read > f.fs.lim.MaxFileSize:
		return refuse(fmt.Sprintf("more than the per-file limit of %d bytes", f.fs.lim.MaxFileSize))
	case f.fs.total.Add(int64(n)) > f.fs.lim.MaxTotal:
		return refuse(fmt.Sprintf("the bundle yields more than the total limit of %d bytes", f.fs.lim.MaxTotal))
	}
	return n, err
}

func (f *dirFile) Stat() (fs.FileInfo, error) { return f.f.Stat() }
func (f *dirFile) Close() error               { return f.f.Close() }

// Stat answers from the entry itself (lstat), without opening it.
func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return d.root.Lstat(name)
}

// ReadDir lists a directory of the bundle.
func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.fsys, name) }

// opener opens a bundle's files one after another, for one hashing worker.
type opener interface {
	open(name string) (fs.File, error)
	stat(name string) (fs.FileInfo, error)
	close()
}

// newOpener returns an opener for fsys: for a directory bundle, one that
// keeps the directory of the previous file open.
func newOpener(fsys fs.FS) opener {
	if d, ok := fsys.(*dirFS); ok {
		return &dirCursor{fs: d}
	}
	return fsOpener{fsys}
}

type fsOpener struct{ fsys fs.FS }

func (o fsOpener) open(name string) (fs.File, error)     { return o.fsys.Open(name) }
func (o fsOpener) stat(name string) (fs.FileInfo, error) { return fs.Stat(o.fsys, name) }
func (fsOpener) close()                                  {}

// dirCursor opens files through handles on the directories of the last
// few files. Going through the bundle's root resolves every directory of a
// path again, for the check and again for the open, a dozen system calls
// per file, which cost more than hashing a small file; manifests list files
// from a few directories at a time, so a handful of handles nearly always
// holds the right one.
//
// It only takes the plain case, a regular file that opens as one; anything
// else, errors included, goes to [dirFS.Open], whose checks, refusals and
// messages are therefore the only ones. Each directory handle is an
// [os.Root] opened through the bundle's, so the same confinement holds.
type dirCursor struct {
	fs   *dirFS
	dirs []openDir // most recently used first
}

type openDir struct {
	name string
	root *os.Root
}

// cursorDirs bounds the directory handles a cursor keeps open.
const cursorDirs = 8

func (c *dirCursor) open(name string) (fs.File, error) {
	if f := c.plain(name); f != nil {
		return f, nil
	}
	return c.fs.Open(name)
}

func (c *dirCursor) stat(name string) (fs.FileInfo, error) {
	if sub, base := c.within(name); sub != nil {
		if fi, err := sub.Lstat(base); err == nil {
			return fi, nil
		}
	}
	return c.fs.Stat(name)
}

// plain opens name if it is a regular file in a subdirectory, or returns nil.
func (c *dirCursor) plain(name string) fs.File {
	sub, base := c.within(name)
	if sub == nil {
		return nil
	}
	fi, err := sub.Lstat(base)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	f, err := c.fs.openIn(sub, base, name)
	if err != nil {
		return nil
	}
	return f
}

// within returns the handle of name's directory and name's last element,
// or nil when name is not a valid path in a subdirectory or the directory
// does not open.
func (c *dirCursor) within(name string) (*os.Root, string) {
	if !fs.ValidPath(name) {
		return nil, ""
	}
	dir, base := path.Split(name)
	if dir == "" {
		return nil, ""
	}
	dir = dir[:len(dir)-1]
	for i, d := range c.dirs {
		if d.name == dir {
			copy(c.dirs[1:i+1], c.dirs[:i])
			c.dirs[0] = d
			return d.root, base
		}
	}
	sub, err := c.fs.root.OpenRoot(dir)
	if err != nil {
		return nil, ""
	}
	if len(c.dirs) == cursorDirs {
		c.dirs[cursorDirs-1].root.Close()
		c.dirs = c.dirs[:cursorDirs-1]
	}
	c.dirs = slices.Insert(c.dirs, 0, openDir{dir, sub})
	return sub, base
}

func (c *dirCursor) close() {
	for _, d := range c.dirs {
		d.root.Close()
	}
	c.dirs = nil
}
