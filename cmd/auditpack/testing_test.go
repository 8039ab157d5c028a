package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/auditpack/auditpack/audit/example"
)

// writeProject copies the built-in example to a temporary directory,
// applying mangle functions to the named files, and returns the directory.
func writeProject(t *testing.T, mangle map[string]func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := fs.Sub(example.FS(), example.Dir)
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if f := mangle[p]; f != nil {
			data = []byte(f(string(data)))
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
