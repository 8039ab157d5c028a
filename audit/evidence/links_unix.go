//go:build unix

package evidence

import (
	"io/fs"
	"syscall"
)

type fileID struct{ dev, ino uint64 }

// linkInfo returns a file's identity and link count from its lstat data.
func linkInfo(fi fs.FileInfo) (fileID, uint64, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, 0, false
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, uint64(st.Nlink), true
}
