package staging

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// stalePattern matches the lock file of a staging prefix and captures the
// pid of the run that made it.
var stalePattern = regexp.MustCompile(`^\.auditpack-tmp-([0-9]+)-[0-9a-f]{12}\.lock$`)

// clean removes, in dir, the staging of runs that are gone: a lock file
// whose pid names no process and whose lock can be taken, with the
// directory, zip and moved-aside outputs of its prefix. A live run holds
// its lock, so its staging is never touched. What is removed is reported
// through notify.
func clean(dir string, notify func(string)) {
	entries, err := os.ReadDir(dir)
	if err != nil || !canTellStale {
		return
	}
	for _, e := range entries {
		m := stalePattern.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		lockPath := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if !tryLock(f) {
			f.Close()
			continue
		}
		base := strings.TrimSuffix(lockPath, ".lock")
		var size int64
		var removed []string
		for _, p := range stagedNames(base) {
			if _, err := os.Lstat(p); err != nil {
				continue
			}
			size += du(p)
			if os.RemoveAll(p) == nil {
				removed = append(removed, filepath.Base(p))
			}
		}
		os.Remove(lockPath)
		f.Close()
		if notify != nil && len(removed) > 0 {
			notify(fmt.Sprintf("removed %s in %s (%s), left by a build that stopped (pid %d)",
				strings.Join(removed, ", "), dir, human(size), pid))
		}
	}
}

// stagedNames are every name a staging prefix may have made.
func stagedNames(base string) []string {
	return []string{base, base + ".zip", base + ".old0", base + ".old1", base + ".tmp"}
}

// du is the size of the files under p.
func du(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// human writes a size for people.
func human(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
