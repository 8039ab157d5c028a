package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// writeOutput writes files into directory out atomically: everything goes
// into a temporary directory beside out, which is renamed into place only
// when complete. An existing out is replaced only with force, and then only
// after the new one is complete. On failure nothing is left behind.
func writeOutput(out string, force bool, files map[string][]byte) (err error) {
	if _, err := os.Lstat(out); err == nil && !force {
		return &usageError{fmt.Sprintf("%s already exists; use --force to replace it", out)}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &inputError{err}
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return &inputError{err}
	}
	tmp, err := os.MkdirTemp(parent, ".auditpack-tmp-*")
	if err != nil {
		return &inputError{err}
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p := filepath.Join(tmp, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if _, statErr := os.Lstat(out); statErr == nil {
		old := tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, out); err != nil {
			os.Rename(old, out)
			return err
		}
		return os.RemoveAll(old)
	}
	return os.Rename(tmp, out)
}

// writeFileAtomic writes one file through a temporary file in the same
// directory, renamed into place; an existing file is kept without force.
func writeFileAtomic(name string, data []byte, force bool) error {
	if _, err := os.Lstat(name); err == nil && !force {
		return &usageError{fmt.Sprintf("%s already exists; use --force to replace it", name)}
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".auditpack-tmp-*")
	if err != nil {
		return &inputError{err}
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
