package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// staging builds outputs where nobody looks for them yet: a temporary
// directory beside the output directory and, optionally, a temporary zip
// beside the zip. commit renames them into place only when complete; abort
// removes them. So a failed run leaves nothing, and an existing output is
// replaced only with force, and only after the new one is complete.
type staging struct {
	out, zip    string // final paths; zip is "" when none is wanted
	dir, tmpZip string // where they are built
}

// stageOutput refuses existing outputs without force and creates the
// temporary directory.
func stageOutput(out, zip string, force bool) (*staging, error) {
	for _, p := range []string{out, zip} {
		if p == "" {
			continue
		}
		if _, err := os.Lstat(p); err == nil && !force {
			return nil, &usageError{fmt.Sprintf("%s already exists; use --force to replace it", p)}
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, &inputError{err}
		}
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, &inputError{err}
	}
	dir, err := os.MkdirTemp(parent, ".auditpack-tmp-*")
	if err != nil {
		return nil, &inputError{err}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &staging{out: out, zip: zip, dir: dir}
	if zip != "" {
		s.tmpZip = dir + ".zip"
	}
	return s, nil
}

// abort removes everything staged.
func (s *staging) abort() {
	os.RemoveAll(s.dir)
	if s.tmpZip != "" {
		os.Remove(s.tmpZip)
	}
}

// commit moves the zip, then the directory into place, keeping any
// replaced output until both moves have succeeded and restoring it if not.
func (s *staging) commit() error {
	type move struct{ from, to, old string }
	moves := []move{{s.dir, s.out, s.dir + ".old"}}
	if s.zip != "" {
		moves = append([]move{{s.tmpZip, s.zip, s.dir + ".old.zip"}}, moves...)
	}
	var done []move
	undo := func() {
		for _, m := range slices.Backward(done) {
			os.Rename(m.to, m.from)
			os.Rename(m.old, m.to)
		}
	}
	for _, m := range moves {
		if err := os.Rename(m.to, m.old); err != nil && !errors.Is(err, fs.ErrNotExist) {
			undo()
			return err
		}
		if err := os.Rename(m.from, m.to); err != nil {
			os.Rename(m.old, m.to)
			undo()
			return err
		}
		done = append(done, m)
	}
	for _, m := range done {
		os.RemoveAll(m.old)
	}
	return nil
}

// writeFiles writes in-memory files under dir, creating folders.
func writeFiles(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
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
