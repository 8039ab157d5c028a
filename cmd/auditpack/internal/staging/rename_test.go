package staging

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestRenameNeverReplaces runs the native exclusive rename and the
// portable fallback on every kind of thing that may be in the way: each
// must refuse with fs.ErrExist and leave both sides as they were, and
// succeed when nothing is there.
func TestRenameNeverReplaces(t *testing.T) {
	for name, rename := range map[string]func(string, string) error{"native": renameNoReplace, "portable": portableNoReplace} {
		t.Run(name, func(t *testing.T) {
			for _, from := range []string{"file", "dir"} {
				for _, in := range []string{"file", "empty-dir", "full-dir", "link"} {
					dir := t.TempDir()
					src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
					mk(t, src, from)
					mk(t, dst, in)
					err := rename(src, dst)
					if !errors.Is(err, fs.ErrExist) {
						t.Errorf("%s onto %s: %v, want fs.ErrExist", from, in, err)
					}
					if _, err := os.Lstat(src); err != nil {
						t.Errorf("%s onto %s: the source is gone: %v", from, in, err)
					}
					if got := kind(t, dst); got != in {
						t.Errorf("%s onto %s: the target is now %s", from, in, got)
					}
				}
				dir := t.TempDir()
				src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
				mk(t, src, from)
				if err := rename(src, dst); err != nil {
					t.Errorf("%s onto nothing: %v", from, err)
				}
				if _, err := os.Lstat(src); err == nil {
					t.Errorf("%s onto nothing: the source is still there", from)
				}
			}
		})
	}
}

func mk(t *testing.T, p, kind string) {
	t.Helper()
	var err error
	switch kind {
	case "file":
		err = os.WriteFile(p, []byte("file"), 0o644)
	case "dir", "empty-dir":
		err = os.Mkdir(p, 0o755)
	case "full-dir":
		if err = os.Mkdir(p, 0o755); err == nil {
			err = os.WriteFile(filepath.Join(p, "x"), nil, 0o644)
		}
	case "link":
		err = os.Symlink("nowhere", p)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func kind(t *testing.T, p string) string {
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		return "missing"
	case fi.Mode()&fs.ModeSymlink != 0:
		return "link"
	case fi.Mode().IsRegular():
		return "file"
	}
	entries, _ := os.ReadDir(p)
	if len(entries) == 0 {
		return "empty-dir"
	}
	return "full-dir"
}
