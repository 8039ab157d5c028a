package threatmodel

import (
	"path"
	"strings"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// renameFiles gives every file named by a typed error in err's chain the
// name shown(file). The errors are the ones a decode just created, so
// setting the field changes nothing anyone else holds; it is what lets an
// error name a file as the user wrote it without its text being rewritten.
func renameFiles(err error, shown func(string) string) {
	switch e := err.(type) {
	case nil:
		return
	case *importer.Error:
		e.File = shown(e.File)
	case *schemadoc.Error:
		e.File = shown(e.File)
	case *FormatError:
		e.File = shown(e.File)
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		renameFiles(u.Unwrap(), shown)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			renameFiles(e, shown)
		}
	}
}

// displayName maps p, a path in the importer's file system, to the name
// people know it by, given that the model itself is name there and display
// to them: the model becomes display, and an include beside or below it
// keeps its place relative to display's directory.
func displayName(p, name, display string) string {
	if p == name {
		return display
	}
	dir := path.Dir(name)
	rel := p
	if dir != "." {
		if !strings.HasPrefix(p, dir+"/") {
			return p
		}
		rel = strings.TrimPrefix(p, dir+"/")
	}
	// display may be an OS path; only its directory part is kept.
	i := strings.LastIndexAny(display, `/\`)
	if i < 0 {
		return rel
	}
	return display[:i+1] + rel
}
