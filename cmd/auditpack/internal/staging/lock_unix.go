//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package staging

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive advisory lock on f without waiting. The
// kernel drops it when the process ends, however it ends, which is what
// makes a free lock proof that its owner is gone.
func tryLock(f *os.File) bool {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil
}

// alive reports whether a process with this id exists (EPERM: it does,
// but is another user's).
func alive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}

// canTellStale is true where tryLock and alive are real.
const canTellStale = true

// device is the file system a file is on.
func device(fi fs.FileInfo) (uint64, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Dev), true
}

// syscallNoFollow opens a lock file without following a link put in its
// place.
const syscallNoFollow = unix.O_NOFOLLOW
