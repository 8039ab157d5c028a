package rootfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Resolve returns the real absolute path of p: every link followed, one
// component at a time from the real working directory, so that ".." means
// the parent on disk and not the parent of a link's name. The part of p
// that does not exist is joined as written.
func Resolve(p string) string {
	cur := string(filepath.Separator)
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return filepath.Clean(p)
		}
		if cur, err = filepath.EvalSymlinks(wd); err != nil {
			return filepath.Clean(p)
		}
	} else if vol := filepath.VolumeName(p); vol != "" {
		cur, p = vol+string(filepath.Separator), p[len(vol):]
	}
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i, part := range parts {
		switch part {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, part)
		fi, err := os.Lstat(next)
		if err != nil {
			// Nothing below a missing name can be a link.
			return filepath.Join(append([]string{cur}, parts[i:]...)...)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if r, err := filepath.EvalSymlinks(next); err == nil {
				next = r
			}
		}
		cur = next
	}
	return cur
}
