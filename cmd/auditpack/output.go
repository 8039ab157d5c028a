package main

import (
	"os"
	"path/filepath"
	"slices"

	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
)

// stageOutput checks the output paths and creates the staging area beside
// them (see package staging): nothing at out or zip is touched unless it is
// an auditpack package and force is given, and never if it is an input.
// In the demo, force replaces only a demo package.
func (env *environment) stageOutput(out, zip string, force, demo bool, inputs []staging.Input) (*staging.Area, error) {
	return staging.Stage(out, zip, staging.Options{Force: force, DemoOnly: demo, Inputs: inputs, Notify: env.notify})
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

// writeFileAtomic writes one file through a staged temporary file renamed
// into place; an existing file is kept without force, nothing at name is
// replaced if it appeared meanwhile, and an input is never replaced.
func (env *environment) writeFileAtomic(name string, data []byte, force bool, inputs ...staging.Input) error {
	return staging.WriteFile(name, data, staging.Options{Force: force, Inputs: inputs, Notify: env.notify})
}

// notify shows what staging cleaned up or left behind.
func (env *environment) notify(msg string) { warnf(env.stderr, "%s", msg) }
