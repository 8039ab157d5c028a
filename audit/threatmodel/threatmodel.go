// Package threatmodel imports threat-model exports into the common model,
// choosing the importer by the file's content, never by its extension.
package threatmodel

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
	"github.com/auditpack/auditpack/audit/threatmodel/otm"
	"github.com/auditpack/auditpack/audit/threatmodel/threagile"
	"github.com/auditpack/auditpack/audit/threatmodel/threatdragon"
	"github.com/auditpack/auditpack/audit/threatmodel/tmt"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// MaxSize bounds a threat-model file; larger files are refused unread.
const MaxSize = 64 << 20

// Format is one importer.
type Format struct {
	Name   string
	Detect func(data []byte) bool
	Decode func(fsys fs.FS, name string, data []byte) (*model.Model, error)
}

// Formats lists the importers in detection order: the most specific
// signatures first, so that a file is never claimed by a looser one.
var Formats = []Format{
	{Name: "auditpack", Detect: native.Detect, Decode: native.Decode},
	{Name: otm.Format, Detect: otm.Detect, Decode: otm.Decode},
	{Name: threatdragon.Format, Detect: threatdragon.Detect, Decode: threatdragon.Decode},
	{Name: threagile.FormatName, Detect: threagile.Detect, Decode: threagile.Decode},
	{Name: tmt.FormatName, Detect: tmt.Detect, Decode: tmt.Decode},
}

// FormatError says that a file is not in any format auditpack reads.
// Line and Column, when not 0, locate a syntax error; Err holds the
// refusals of the importers whose fields the file has, one a line.
type FormatError struct {
	File         string
	Line, Column int
	Reason       string
	Err          error
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(":\n")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *FormatError) Unwrap() error { return e.Err }

// ImportError is a file that one importer claimed and then refused. Err
// names the file and the place (an [*importer.Error], a schemadoc error);
// the wrapper adds no text and exists so that callers can tell bad input
// from a failure of auditpack by type, whatever the importer.
type ImportError struct {
	Format string
	Err    error
}

func (e *ImportError) Error() string { return e.Err.Error() }
func (e *ImportError) Unwrap() error { return e.Err }

// importError wraps an importer's error, leaving its own failures (which
// are bugs, not bad input) unwrapped.
func importError(format string, err error) error {
	if errors.Is(err, importer.ErrInternal) {
		return err
	}
	return &ImportError{Format: format, Err: err}
}

// Load reads name from fsys, detects its format and imports it. The model's
// Source records the format, the file name and the SHA-256 of the bytes read.
func Load(fsys fs.FS, name string) (*model.Model, error) {
	data, err := readLimited(fsys, name)
	if err != nil {
		return nil, err
	}
	return Decode(fsys, name, data)
}

// Decode imports data that was read from name (fsys resolves includes).
// Every error it returns is typed: an [*ImportError] or [*FormatError] for
// a file that cannot be imported, or one that wraps [importer.ErrInternal]
// for a failure of an importer itself.
func Decode(fsys fs.FS, name string, data []byte) (*model.Model, error) {
	if importer.IsZIP(data) {
		return nil, &FormatError{File: name, Reason: "is a ZIP archive, not a threat-model export (a .tm7 file is XML; a renamed archive is refused)"}
	}
	if p := schemadoc.StrayBOM(data); p != nil {
		return nil, &FormatError{File: name, Reason: fmt.Sprintf("line %d: %s", p.Line, p.Message)}
	}
	sum := importer.SHA256(data)
	for _, f := range Formats {
		if !f.Detect(data) {
			continue
		}
		m, err := f.Decode(fsys, name, data)
		if err != nil {
			return nil, importError(f.Name, err)
		}
		m.Source.File = name
		m.Source.SHA256 = sum
		if m.Source.Format == "" {
			m.Source.Format = f.Name
		}
		if m.Title == "" {
			m.Title = path.Base(name)
			m.Warnings = append(m.Warnings, model.Warning{Message: "the model has no title; using the file name"})
		}
		return m, nil
	}
	return nil, unrecognised(fsys, name, data)
}

// DecodeFile is [Decode] for a file its user knows under another name,
// display (a path relative to the working directory, say, where name is
// relative to fsys): the model's Source.File and every file named in an
// error, includes too, are given as the user would write them.
func DecodeFile(fsys fs.FS, name, display string, data []byte) (*model.Model, error) {
	m, err := Decode(fsys, name, data)
	if err != nil {
		renameFiles(err, func(p string) string { return displayName(p, name, display) })
		return nil, err
	}
	m.Source.File = display
	return m, nil
}

// Names lists the formats auditpack can import.
func Names() []string {
	out := make([]string, len(Formats))
	for i, f := range Formats {
		out[i] = f.Name
	}
	return out
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read threat model: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &FormatError{File: name, Reason: "is not a regular file"}
	}
	if fi.Size() > MaxSize {
		return nil, &FormatError{File: name, Reason: fmt.Sprintf("is larger than %d MiB", MaxSize>>20)}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read threat model: %w", err)
	}
	return data, nil
}
