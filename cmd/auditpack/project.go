package main

import (
	"context"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/auditpack/auditpack/frameworks"
)

// project is a loaded project (see package audit/project) with what the
// command line adds to it: where it lies on disk and which paths no output
// may replace.
type project struct {
	cfg        *config.Config
	inputs     audit.Inputs
	reg        *frameworks.Registry
	sources    []proj.Source // inputs exactly as read, for the package's inputs/
	evidenceFS fs.FS         // the evidence bundle, for copying it into the package
	// root is the configuration's directory, absolute; empty for the
	// built-in example.
	root string
	// paths are the project's files and directories on disk (none for the
	// built-in example), which no output may replace.
	paths []staging.Input
	// absolute lists the configuration's settings that name an absolute
	// path (see proj.Project.Absolute).
	absolute []string
}

// fromLoaded adopts a project loaded by the audit layer.
func fromLoaded(l *proj.Project) *project {
	return &project{cfg: l.Config, inputs: l.Inputs, reg: l.Registry, sources: l.Sources,
		evidenceFS: l.EvidenceFS, absolute: l.Absolute}
}

// inputPaths lists the configuration cfg and what it names, on disk.
func inputPaths(f proj.DiskFiles, cfg string, c *config.Config) []staging.Input {
	in := []staging.Input{{Role: "the configuration", Path: cfg}}
	add := func(role, p string) {
		if p != "" {
			in = append(in, staging.Input{Role: role, Path: f.Abs(p)})
		}
	}
	add("the threat model", c.Model)
	add("the evidence bundle", c.Evidence)
	add("the exceptions file", c.Exceptions)
	for _, r := range c.Rules {
		add("a rule file", r)
	}
	return in
}

// recordName is how a path given on the command line (relative to the
// working directory) is recorded in artefacts: relative to the
// configuration's directory, like every input the configuration names, so
// that no path of the building machine is recorded. Where no relative path
// reaches it, and for the built-in example, only its base name is kept.
func (p *project) recordName(arg string) string {
	if p.root == "" {
		return filepath.Base(arg)
	}
	rel, err := filepath.Rel(p.root, rootfs.Resolve(arg))
	if err != nil {
		return filepath.Base(arg)
	}
	return filepath.ToSlash(rel)
}

// The commands that read a single input outside a project use the audit
// layer's readers, so that every input is refused and named alike.

func readInput(fsys fs.FS, name, display string, limit int64) ([]byte, error) {
	return proj.ReadInput(fsys, name, display, limit)
}

func openDirOf(a string) (fs.FS, error) { return proj.OpenDirOf(a) }

func closeFS(fsys fs.FS) { proj.CloseFS(fsys) }

func isZip(f io.ReaderAt, name string) bool { return proj.IsZip(f, name) }

func interrupted(ctx context.Context) error { return proj.Interrupted(ctx) }
