package main

import (
	"path/filepath"

	"github.com/auditpack/auditpack/audit/config"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
)

// project is a project loaded by the audit layer (see package
// audit/project) with what the command line adds to it: where its
// configuration lies on disk and which paths no output may replace.
type project struct {
	*proj.Project
	// root is the configuration's directory, absolute; empty for the
	// built-in example.
	root string
	// paths are the project's files and directories on disk (none for the
	// built-in example), which no output may replace.
	paths []staging.Input
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
