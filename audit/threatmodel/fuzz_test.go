package threatmodel

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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
			return
		}
		if m.Source.Format == "" || m.Source.SHA256 == "" {
			t.Fatalf("accepted model without a recorded source: %+v", m.Source)
		}
	})
}
