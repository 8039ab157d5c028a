package tmt

import (
	"bytes"
	"io/fs"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Limits on hostile input. Real files are 0.4–1.3 MB (mostly the embedded
// template) and about 15 levels deep.
const (
	// MaxFileSize is the largest .tm7 accepted, in bytes.
	MaxFileSize = 32 << 20
	// MaxDepth bounds element nesting.
	MaxDepth = 64
	// MaxElements bounds the number of elements in one document.
	MaxElements = 2_000_000
)

// FormatName is the stable value of Source.Format for models from this
// package.
const FormatName = "tmt"

// Namespace of the ThreatModel root element.
const modelNS = "http://schemas.datacontract.org/2004/07/ThreatModeling.Model"

var rootStart = []byte("<ThreatModel")

// Detect reports whether data is a Threat Modeling Tool model, by content:
// the ThreatModel root element in the DataContract model namespace near the
// start. A ZIP archive is not detected; Decode explains it if asked.
func Detect(data []byte) bool {
	data = importer.TrimBOM(data)
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	i := bytes.Index(head, rootStart)
	return i >= 0 && bytes.Contains(head[i:], []byte(modelNS))
}

// Decode imports one .tm7 file. fsys is unused (the format has no
// includes); name is used in errors and Source.File.
func Decode(fsys fs.FS, name string, data []byte) (m *model.Model, err error) {
	defer func() {
		// The mapper is written not to panic; this turns a missed case into
		// an error instead of a crash of the whole run.
		if r := recover(); r != nil {
			m, err = nil, importer.Errorf(name, "%w while importing: %v", importer.ErrInternal, r)
		}
	}()
	if importer.IsZIP(data) {
		return nil, importer.Errorf(name, "is a ZIP archive, not a .tm7 XML file")
	}
	if len(data) > MaxFileSize {
		return nil, importer.Errorf(name, "file is larger than %d bytes", MaxFileSize)
	}
	sum := importer.SHA256(data)
	data = importer.TrimBOM(data)
	if err := refuseDTD(data); err != nil {
		return nil, importer.Errorf(name, "%w", err)
	}
	root, err := parseTree(data)
	if err != nil {
		return nil, importer.Errorf(name, "%w", err)
	}
	if root.name.Local != "ThreatModel" || root.name.Space != modelNS {
		// The root's name is the document's text: a file named as a model
		// by mistake must not have it quoted.
		return nil, importer.Errorf(name, "not a Threat Modeling Tool model (the root element is not ThreatModel in %s)", modelNS)
	}
	b := newBuilder(root)
	b.m.Source = model.Source{
		Format:        FormatName,
		FormatVersion: root.get("Version"),
		File:          name,
		SHA256:        sum,
	}
	if err := b.build(); err != nil {
		return nil, importer.Errorf(name, "%w", err)
	}
	if _, err := model.New(b.m); err != nil {
		return nil, importer.Errorf(name, "imported model is inconsistent: %w", err)
	}
	return b.m, nil
}
