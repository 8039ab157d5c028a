package threagile

import (
	"errors"
	"io/fs"
	"regexp"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// Limits on hostile or runaway input. A real model is well under a megabyte
// and a few dozen files; these bounds only stop abuse.
const (
	// MaxFileSize is the largest model or include file accepted, in bytes.
	MaxFileSize = 16 << 20
	// MaxTotalSize bounds the bytes read across all included files.
	MaxTotalSize = 64 << 20
	// MaxFiles bounds the number of distinct files read through includes.
	MaxFiles = 256
	// MaxIncludeDepth bounds how deeply includes may nest.
	MaxIncludeDepth = 16
	// MaxDepth bounds the nesting depth of any YAML document.
	MaxDepth = 64
)

// Limits bound a model as YAML (see [schemadoc.Limits]): values with
// aliases expanded, nesting, and string lengths, checked before and after
// each node tree is built. Values bound the model and all its includes
// together (the most one YAML document may hold), so that twenty includes
// cost no more than one file; the other limits apply to each file.
var Limits = schemadoc.Limits{Size: MaxFileSize, Values: schemadoc.MaxYAMLValues, Depth: MaxDepth, String: 1 << 20}

// FormatName is the stable value of Source.Format for models from this
// package.
const FormatName = "threagile"

var versionKey = regexp.MustCompile(`(?m)^threagile_version[ \t]*:`)

// Detect reports whether data is a Threagile model, by content: a top-level
// threagile_version key. Include fragments without that key are not models.
func Detect(data []byte) bool {
	data = importer.TrimBOM(data)
	if len(data) > MaxFileSize {
		data = data[:MaxFileSize]
	}
	return versionKey.Match(data)
}

// Decode imports one Threagile model. name is the model's path inside fsys
// and is used in errors, Refs and Source.File; includes are read from fsys
// relative to it. fsys may be nil when the model has no includes.
func Decode(fsys fs.FS, name string, data []byte) (m *model.Model, err error) {
	defer func() {
		// The decoder is written not to panic; this turns a missed case
		// into an error instead of a crash of the whole run.
		if r := recover(); r != nil {
			m, err = nil, importer.Errorf(name, "%w while importing: %v", importer.ErrInternal, r)
		}
	}()
	l := &loader{fsys: fsys, root: name, loaded: map[string]bool{}}
	if err := l.load(name, data, nil); err != nil {
		return nil, err
	}
	if l.doc.version == "" {
		return nil, importer.Errorf(name, "not a Threagile model: no threagile_version")
	}
	b := newBuilder(l.doc)
	b.m.Source = model.Source{
		Format:        FormatName,
		FormatVersion: l.doc.version,
		File:          name,
		SHA256:        importer.SHA256(data),
	}
	if err := b.build(); err != nil {
		return nil, err
	}
	if _, err := model.New(b.m); err != nil {
		var inv *model.InvalidError
		if errors.As(err, &inv) {
			return nil, importer.Errorf(name, "imported model is inconsistent: %w", err)
		}
		return nil, importer.Errorf(name, "%w", err)
	}
	return b.m, nil
}
