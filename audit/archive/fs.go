package archive

import (
	"bufio"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"slices"
	"time"
)

// Reader is a checked archive as a read-only file system ([fs.FS],
// [fs.ReadDirFS]). Directories that only appear in entry names exist too.
// It is safe for concurrent use if the underlying [io.ReaderAt] is.
type Reader struct {
	r       io.ReaderAt
	entries []*Entry
	nodes   map[string]*node
}

type node struct {
	entry    *Entry // nil for a directory without an entry of its own
	dir      bool
	children []string // base names, sorted
}

func newReader(r io.ReaderAt, entries []*Entry) *Reader {
	z := &Reader{r: r, entries: entries, nodes: map[string]*node{".": {dir: true}}}
	var add func(name string, e *Entry) *node
	add = func(name string, e *Entry) *node {
		if n, ok := z.nodes[name]; ok {
			if e != nil {
				n.entry = e
			}
			return n
		}
		n := &node{entry: e, dir: e == nil || e.Dir}
		z.nodes[name] = n
		parent := add(path.Dir(name), nil)
		parent.children = append(parent.children, path.Base(name))
		return n
	}
	for _, e := range entries {
		add(e.Name, e)
	}
	for _, n := range z.nodes {
		slices.Sort(n.children)
	}
	return z
}

// Entries returns the entries in central directory order.
func (z *Reader) Entries() []Entry {
	out := make([]Entry, len(z.entries))
	for i, e := range z.entries {
		out[i] = *e
	}
	return out
}

// Open opens a file or directory by its clean slash-separated name.
func (z *Reader) Open(name string) (fs.File, error) {
	n, err := z.lookup("open", name)
	if err != nil {
		return nil, err
	}
	info := z.info(name, n)
	if n.dir {
		return &dir{z: z, name: name, node: n, info: info}, nil
	}
	e := n.entry
	sec := io.NewSectionReader(z.r, e.data, int64(e.Packed))
	f := &file{e: e, info: info, crc: crc32.NewIEEE()}
	if e.Method == methodDeflate {
		f.packed = bufio.NewReader(sec)
		f.inflate = flate.NewReader(f.packed)
		f.src = f.inflate
	} else {
		f.src = sec
	}
	return f, nil
}

// ReadDir lists a directory, sorted by name.
func (z *Reader) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := z.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	out := make([]fs.DirEntry, len(n.children))
	for i, c := range n.children {
		p := path.Join(name, c)
		out[i] = fs.FileInfoToDirEntry(z.info(p, z.nodes[p]))
	}
	return out, nil
}

func (z *Reader) lookup(op, name string) (*node, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	n, ok := z.nodes[name]
	if !ok {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return n, nil
}

func (z *Reader) info(name string, n *node) fileInfo {
	fi := fileInfo{name: path.Base(name), mode: 0o444}
	if n.dir {
		fi.mode = fs.ModeDir | 0o555
	}
	if n.entry != nil {
		fi.size, fi.mod = int64(n.entry.Size), n.entry.Modified
		if n.dir {
			fi.size = 0
		}
	}
	return fi
}

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
	mod  time.Time
}

func (fi fileInfo) Name() string       { return fi.name }
func (fi fileInfo) Size() int64        { return fi.size }
func (fi fileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi fileInfo) ModTime() time.Time { return fi.mod }
func (fi fileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi fileInfo) Sys() any           { return nil }

// file reads one entry and proves, by its end, that the data is what the
// headers declare.
type file struct {
	e       *Entry
	info    fileInfo
	src     io.Reader
	packed  *bufio.Reader // deflate only: the compressed bytes
	inflate io.ReadCloser
	crc     hash.Hash32
	n       uint64
	err     error
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *file) Close() error {
	if f.inflate != nil {
		f.inflate.Close()
	}
	if f.err == nil {
		f.err = fs.ErrClosed
	}
	return nil
}

func (f *file) Read(b []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	// Ask for at most one byte more than declared: enough to notice more.
	if left := f.e.Size - f.n; uint64(len(b)) > left+1 {
		b = b[:left+1]
	}
	n, err := f.src.Read(b)
	f.n += uint64(n)
	f.crc.Write(b[:n])
	switch {
	case f.n > f.e.Size:
		f.err = f.refuse("yields more than the %d bytes its headers declare", f.e.Size)
		return 0, f.err
	case err == io.EOF:
		f.err = f.atEnd()
		return n, f.err
	case err != nil:
		f.err = f.refuse("compressed data is corrupt: %v", err)
		return n, f.err
	}
	return n, nil
}

// atEnd checks the entry once its data is exhausted.
func (f *file) atEnd() error {
	if f.n != f.e.Size {
		return f.refuse("yields %d bytes, its headers declare %d", f.n, f.e.Size)
	}
	if got := f.crc.Sum32(); got != f.e.CRC32 {
		return f.refuse("data has CRC-32 %08x, its headers declare %08x", got, f.e.CRC32)
	}
	if f.packed != nil {
		if _, err := f.packed.Peek(1); err != io.EOF {
			return f.refuse("the deflate stream ends before its declared %d compressed bytes (hidden data)", f.e.Packed)
		}
	}
	return io.EOF
}

func (f *file) refuse(format string, args ...any) error {
	name := f.e.Name
	return &Error{Entry: name, Kind: ErrStructure, Reason: fmt.Sprintf(format, args...)}
}

// dir is an open directory.
type dir struct {
	z    *Reader
	name string
	node *node
	info fileInfo
	pos  int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}

func (d *dir) ReadDir(count int) ([]fs.DirEntry, error) {
	all, err := d.z.ReadDir(d.name)
	if err != nil {
		return nil, err
	}
	rest := all[d.pos:]
	if count <= 0 {
		d.pos = len(all)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(count, len(rest))]
	d.pos += len(rest)
	return rest, nil
}
