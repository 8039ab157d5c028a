package threatmodel

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// FuzzDecode feeds arbitrary bytes through format detection and whichever
// importer claims them. Every importer is fuzzed on its own; this target
// checks the dispatch: no input may panic, and what is accepted must form
// a valid model with its source recorded.
func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"../../testdata/threatmodels", "../../testdata/hostile"} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := os.ReadFile(p); err == nil && len(data) < 1<<20 {
					f.Add(data)
				}
			}
			return nil
		})
	}
	f.Add([]byte(`{"schema":"auditpack/model/v1","title":"t"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(nil, "fuzz", data)
		if err != nil {
			var format *FormatError
			var imported *ImportError
			if !errors.As(err, &format) && !errors.As(err, &imported) && !errors.Is(err, importer.ErrInternal) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if format != nil && format.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("syntax error placed at line %d of a %d-line file", format.Line, bytes.Count(data, []byte("\n"))+1)
			}
			return
		}
		if m.Source.Format == "" || m.Source.SHA256 == "" {
			t.Fatalf("accepted model without a recorded source: %+v", m.Source)
		}
	})
}
