package staging

import (
	"fmt"
	"os"
	"path/filepath"
)

// removeAll removes a replaced package. Unlike os.RemoveAll it never
// follows a link and never crosses into another file system (a mount
// point inside the old package is someone's data, not ours): it stops with
// an error and leaves what it did not remove.
func removeAll(p string) error {
	root, err := os.Lstat(p)
	if err != nil {
		return err
	}
	dev, ok := device(root)
	var walk func(string) error
	walk = func(dir string) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			q := filepath.Join(dir, e.Name())
			if e.IsDir() {
				fi, err := os.Lstat(q)
				if err != nil {
					return err
				}
				if d, ok2 := device(fi); ok && ok2 && d != dev {
					return fmt.Errorf("%s is another file system (a mount point); it was left alone", q)
				}
				if err := walk(q); err != nil {
					return err
				}
			}
			if err := os.Remove(q); err != nil {
				return err
			}
		}
		return nil
	}
	if root.IsDir() {
		if err := walk(p); err != nil {
			return err
		}
	}
	return os.Remove(p)
}
