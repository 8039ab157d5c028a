package staging

import (
	"fmt"
	"io"
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

// clean handles, in dir, the staging of runs that are gone: a lock file
// whose pid names no process and whose lock can be taken. What that run
// built is removed; what it had moved aside under --force (the package it
// was replacing) is put back where it was, or kept under a visible name
// when something is there now, and never deleted. A live run holds its
// lock, so its staging is never touched. Everything done is reported.
func clean(dir string, o Options) {
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
		f, err := os.OpenFile(lockPath, os.O_RDWR|syscallNoFollow, 0)
		if err != nil {
			continue
		}
		if !tryLock(f) {
			f.Close()
			continue
		}
		base := strings.TrimSuffix(lockPath, ".lock")
		targets := lockTargets(f, dir)
		for i, t := range targets {
			restore(base+".old"+strconv.Itoa(i), t, pid, o)
		}
		var size int64
		var removed []string
		for _, p := range []string{base, base + ".zip", base + ".tmp"} {
			if _, err := os.Lstat(p); err != nil {
				continue
			}
			size += du(p)
			if removeAll(p) == nil {
				removed = append(removed, filepath.Base(p))
			}
		}
		os.Remove(lockPath)
		f.Close()
		if len(removed) > 0 {
			o.notify("removed %s in %s (%s), left by a build that stopped (pid %d)", strings.Join(removed, ", "), dir, human(size), pid)
		}
	}
}

// lockTargets reads the final paths a lock file records (output, then
// zip). Only paths in dir itself are believed: staging always lives beside
// its output, so anything else was not written by auditpack.
func lockTargets(f *os.File, dir string) []string {
	data, err := io.ReadAll(io.LimitReader(f, 1<<16))
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	out := make([]string, 2)
	for i := range min(len(lines), 2) {
		if p := lines[i]; filepath.IsAbs(p) && filepath.Dir(p) == dir {
			out[i] = p
		}
	}
	return out
}

// restore puts back an output that a stopped run had moved aside, at
// target when that is free, else under target.old (or .old-2, …).
func restore(aside, target string, pid int, o Options) {
	if _, err := os.Lstat(aside); err != nil {
		return
	}
	if target != "" && renameNoReplace(aside, target) == nil {
		o.notify("restored %s, which a build that stopped (pid %d) had moved aside to replace it", target, pid)
		return
	}
	if target == "" {
		target = aside
	}
	for i := 1; i < 1000; i++ {
		name := target + ".old"
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		if renameNoReplace(aside, name) == nil {
			o.notify("kept %s: a build that stopped (pid %d) had moved it aside from %s, where something else is now", name, pid, target)
			return
		}
	}
	o.notify("left %s: a build that stopped (pid %d) had moved it aside, and no free name was found to put it back", aside, pid)
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
