package evidence

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// Load finds the manifest at the root of a bundle and parses it. display is
// how the bundle is named in messages (its path on disk, say).
func Load(fsys fs.FS, display string) (*Manifest, error) {
	for _, n := range ManifestNames {
		data, err := readManifest(fsys, n)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read evidence manifest: %w", err)
		}
		m, err := ParseManifest(path.Join(display, n), data)
		if err != nil {
			return nil, err
		}
		m.rel = n
		return m, nil
	}
	return nil, fmt.Errorf("%s: no evidence manifest (looked for %v)", display, ManifestNames)
}

// readManifest reads a manifest, but no more than one byte past the largest
// document the parser takes: a larger one is refused by the parser all the
// same, without first being held in memory whole (fs.ReadFile would size
// its buffer from the file, up to the bundle's per-file limit).
func readManifest(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, schemadoc.MaxSize+1))
}
