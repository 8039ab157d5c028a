// Package threatmodel imports threat-model exports into the common model,
// choosing the importer by the file's content, never by its extension.
package threatmodel

import (
	"bytes"
	"fmt"
	"github.com/auditpack/auditpack/mappings/schemadoc"
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
type FormatError struct {
	File   string
	Reason string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
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
func Decode(fsys fs.FS, name string, data []byte) (*model.Model, error) {
	if importer.IsZIP(data) {
		return nil, &FormatError{File: name, Reason: "is a ZIP archive, not a threat-model export (a .tm7 file is XML; a renamed archive is refused)"}
	}
	sum := importer.SHA256(data)
	for _, f := range Formats {
		if !f.Detect(data) {
			continue
		}
		m, err := f.Decode(fsys, name, data)
		if err != nil {
			return nil, err
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
	// A file no importer claims may be a JSON or YAML document that does
	// not even parse: its own error, with the line, says more than "not
	// recognised".
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) {
		if _, _, err := schemadoc.Parse(name, data); err != nil {
			return nil, &FormatError{File: name, Reason: "format not recognised, and the file does not parse: " + err.Error()}
		}
	}
	return nil, &FormatError{File: name, Reason: "format not recognised (readable: " + strings.Join(Names(), ", ") + ")"}
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
