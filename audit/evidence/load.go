package evidence

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
)

// Load finds the manifest at the root of a bundle and parses it. display is
// how the bundle is named in messages (its path on disk, say).
func Load(fsys fs.FS, display string) (*Manifest, error) {
	for _, n := range ManifestNames {
		data, err := fs.ReadFile(fsys, n)
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
