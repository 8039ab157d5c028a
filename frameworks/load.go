package frameworks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// MaxFileSize bounds how many bytes of one catalog file are read; real catalogs are well
// under a megabyte, and a larger file is refused rather than held in memory.
const MaxFileSize = 16 << 20

// fileSuffix marks catalog files inside the [fs.FS] handed to [Load].
const fileSuffix = ".catalog.json"

// FileError reports a problem in one catalog file and where in it, so that whoever edits
// the file can go straight to the place. Pointer is an RFC 6901 JSON pointer ("/nodes/3/id");
// Line and Column are set instead for JSON syntax errors.
type FileError struct {
	File         string
	Pointer      string
	Line, Column int
	Err          error
}

// Error reads "frameworks: <file>: <place>: <problem>".
func (e *FileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "frameworks: %s: ", e.File)
	switch {
	case e.Pointer != "":
		fmt.Fprintf(&b, "%s: ", e.Pointer)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying problem, so errors.Is sees through a FileError.
func (e *FileError) Unwrap() error { return e.Err }

// Load reads every *.catalog.json file in fsys (at any depth), validates each against the
// embedded schema and checks its structure, and returns them as a [Registry]. It reports
// the problems of all files at once, joined, so that one run shows everything to fix.
// Callers use it for catalogs a user supplies; [Builtin] uses it for the embedded ones.
func Load(fsys fs.FS) (*Registry, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &FileError{File: p, Err: err}
		}
		if d.IsDir() || !strings.HasSuffix(p, fileSuffix) {
			return nil
		}
		if !d.Type().IsRegular() {
			return &FileError{File: p, Err: errors.New("not a regular file")}
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("frameworks: no *%s files found", fileSuffix)
	}
	var cats []*Catalog
	var errs []error
	for _, f := range files {
		c, err := readCatalog(fsys, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cats = append(cats, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return newRegistry(cats)
}

// readCatalog reads one file with a size bound and parses it.
func readCatalog(fsys fs.FS, name string) (*Catalog, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, &FileError{File: name, Err: fmt.Errorf("larger than %d bytes", MaxFileSize)}
	}
	return parseCatalog(name, data)
}

// fileCatalog mirrors the JSON layout of a catalog file; see FORMAT.md.
type fileCatalog struct {
	Schema    string `json:"schema"`
	Framework struct {
		ID            string `json:"id"`
		Version       string `json:"version"`
		VersionLabel  string `json:"version_label"`
		Title         string `json:"title"`
		Publisher     string `json:"publisher"`
		ContentPolicy string `json:"content_policy"`
		License       struct {
			SPDX   string `json:"spdx"`
			Notice string `json:"notice"`
		} `json:"license"`
		Aliases   []string `json:"aliases"`
		Baselines []struct {
			ID      string   `json:"id"`
			Title   string   `json:"title"`
			Aliases []string `json:"aliases"`
		} `json:"baselines"`
		DerivedFrom []map[string]any `json:"derived_from"`
		Notes       string           `json:"notes"`
	} `json:"framework"`
	NodeKinds []string   `json:"node_kinds"`
	Nodes     []fileNode `json:"nodes"`
}

type fileNode struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Parent     *string        `json:"parent"`
	Title      string         `json:"title"`
	Label      string         `json:"label"`
	Assessable bool           `json:"assessable"`
	Props      map[string]any `json:"props"`
}

// parseCatalog turns the bytes of one file into a checked, indexed catalog. The order of
// checks matters: syntax first (with line numbers), then the schema (with JSON pointers),
// then the structure the schema cannot express.
func parseCatalog(name string, data []byte) (*Catalog, error) {
	if !utf8.Valid(data) {
		return nil, &FileError{File: name, Err: errors.New("not valid UTF-8")}
	}
	var doc any
	if err := decodeJSON(data, &doc, true); err != nil {
		return nil, syntaxError(name, data, err)
	}
	if err := validateSchema(name, doc); err != nil {
		return nil, err
	}
	var fc fileCatalog
	if err := decodeJSON(data, &fc, false); err != nil {
		return nil, syntaxError(name, data, err)
	}
	c := &Catalog{
		ID:            fc.Framework.ID,
		Version:       fc.Framework.Version,
		Title:         fc.Framework.Title,
		Publisher:     fc.Framework.Publisher,
		ContentPolicy: fc.Framework.ContentPolicy,
		LicenseNotice: fc.Framework.License.Notice,
		LicenseSPDX:   fc.Framework.License.SPDX,
		VersionLabel:  fc.Framework.VersionLabel,
		Aliases:       fc.Framework.Aliases,
		NodeKinds:     fc.NodeKinds,
		Nodes:         make([]Node, len(fc.Nodes)),
	}
	for _, b := range fc.Framework.Baselines {
		c.Baselines = append(c.Baselines, Baseline{ID: b.ID, Title: b.Title, Aliases: b.Aliases})
	}
	for i, n := range fc.Nodes {
		parent := ""
		if n.Parent != nil {
			parent = *n.Parent
		}
		c.Nodes[i] = Node{ID: n.ID, Kind: n.Kind, Parent: parent, Title: n.Title,
			Label: n.Label, Assessable: n.Assessable, Props: n.Props}
	}
	if err := checkStructure(name, c, fc.Nodes); err != nil {
		return nil, err
	}
	c.buildIndex()
	return c, nil
}

// decodeJSON decodes exactly one JSON value and refuses trailing data.
func decodeJSON(data []byte, v any, numbers bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if numbers {
		dec.UseNumber() // the schema validator wants json.Number
	} else {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	end := dec.InputOffset()
	rest := data[end:]
	if extra := bytes.TrimLeft(rest, " \t\r\n"); len(extra) > 0 {
		return &trailingDataError{offset: end + int64(len(rest)-len(extra))}
	}
	return nil
}

// trailingDataError reports bytes after the single JSON value a file must hold.
type trailingDataError struct{ offset int64 }

func (e *trailingDataError) Error() string { return "unexpected data after the top-level value" }

// syntaxError places a JSON decoding error at its line and column.
func syntaxError(name string, data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var td *trailingDataError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &td):
		off = td.offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = int64(len(data))
		err = errors.New("unexpected end of file")
	}
	fe := &FileError{File: name, Err: err}
	if off >= 0 {
		fe.Line, fe.Column = lineColumn(data, off)
	}
	return fe
}

// lineColumn converts a byte offset into a 1-based line and column (in bytes).
func lineColumn(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
