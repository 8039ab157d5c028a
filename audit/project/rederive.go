package project

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// PackageInput is an input a package holds: its role, the name it was
// read by (relative to the configuration, as recorded) and its path in
// the package.
type PackageInput struct {
	Role, Source, Path string
}

// Rederive says how to load a project again from a package.
type Rederive struct {
	// FS is the package; Inputs its inputs, in the order the manifest lists them.
	FS     fs.FS
	Inputs []PackageInput
	// Evidence is the bundle as the package holds it: the embedded
	// evidence folder, or a folder holding only the bundle's manifest.
	// Reread says its files are there to hash and read again.
	Evidence fs.FS
	Reread   bool
	// Record is the evidence as the package's results record it.
	Record evidence.Record
}

// Options are the load options that read the project from the package:
// the configuration as recorded, and every input the configuration (or a
// command-line override at build time) named, resolved to its copy in the
// package. The caller adds the as-of date, the frameworks and the clock.
func (r Rederive) Options() (Options, error) {
	var o Options
	cfg, ok := r.input("config")
	if !ok {
		return o, &InputError{fmt.Errorf("the package records no configuration")}
	}
	data, err := fs.ReadFile(r.FS, cfg.Path)
	if err != nil {
		return o, &InputError{fmt.Errorf("%s: %w", cfg.Path, err)}
	}
	c, err := config.Parse(cfg.Source, data)
	if err != nil {
		return o, err
	}
	o.Files, o.ConfigName, o.ConfigData = packageFiles{r}, cfg.Source, data
	if in, ok := r.input("model"); ok {
		o.Model = in.Source
	}
	if in, ok := r.input("exceptions"); ok {
		o.Exceptions = in.Source
	}
	if in, ok := r.input("evidence-manifest"); ok {
		o.Evidence = path.Dir(in.Source)
	}
	// Rules the configuration names are loaded from it; the others were
	// added on the command line.
	named := map[string]bool{}
	for _, p := range c.Rules {
		if in, ok := r.resolve(p); ok {
			named[in.Path] = true
		}
	}
	for _, in := range r.Inputs {
		if in.Role == "rules" && !named[in.Path] {
			o.Rules = append(o.Rules, in.Source)
		}
	}
	o.VerifyEvidence = func(ctx context.Context, _ fs.FS, m *evidence.Manifest, opts evidence.Options) (*evidence.Index, error) {
		var again fs.FS
		if r.Reread {
			again = r.Evidence
		}
		return evidence.Replay(ctx, again, m, r.Record, opts)
	}
	return o, nil
}

func (r Rederive) input(role string) (PackageInput, bool) {
	for _, in := range r.Inputs {
		if in.Role == role {
			return in, true
		}
	}
	return PackageInput{}, false
}

// resolve finds the input a configuration's path names: by its recorded
// name, which is the path cleaned, relative to the configuration; an
// absolute path, recorded relative to a directory the package does not
// know, by its base name when exactly one input has it.
func (r Rederive) resolve(p string) (PackageInput, bool) {
	name := filepath.ToSlash(filepath.Clean(filepath.FromSlash(p)))
	for _, in := range r.Inputs {
		if in.Source == name && in.Role != "evidence-manifest" {
			return in, true
		}
	}
	if !filepath.IsAbs(p) && !path.IsAbs(name) {
		return PackageInput{}, false
	}
	var found []PackageInput
	for _, in := range r.Inputs {
		if path.Base(in.Source) == path.Base(name) && in.Role != "evidence-manifest" {
			found = append(found, in)
		}
	}
	if len(found) != 1 {
		return PackageInput{}, false
	}
	return found[0], true
}

// packageFiles resolves a configuration's paths to the package's inputs.
type packageFiles struct{ r Rederive }

func (f packageFiles) Dir(p string) (fs.FS, string, error) {
	if f.r.Evidence == nil {
		return nil, "", &InputError{fmt.Errorf("%s: the package holds no evidence manifest", p)}
	}
	return f.r.Evidence, filepath.ToSlash(filepath.Clean(filepath.FromSlash(p))), nil
}

func (f packageFiles) File(p string) (fs.FS, string, string, error) {
	in, ok := f.r.resolve(p)
	if !ok {
		return nil, "", "", &InputError{fmt.Errorf("%s: not among the package's inputs", p)}
	}
	// The file is shown to its reader under the name it had, in a folder
	// of its own, as on disk: importers name places in a model by it.
	base := path.Base(in.Source)
	return oneFile{f.r.FS, base, in.Path}, base, in.Source, nil
}

// oneFile is a folder holding one file of fsys, at path, under name:
// nothing else a model might name beside it (an include) is there.
type oneFile struct {
	fsys       fs.FS
	name, path string
}

func (o oneFile) Open(name string) (fs.File, error) {
	if name != o.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.fsys.Open(o.path)
}

// RecordOf is the evidence record results.json holds: each declared
// file's hash, size and reads, and whether it was missing, unreadable or
// intact, as the bundle's verification found them when the package was
// built. A fact whose value does not fit its type is an error: results.json
// was not written so.
func RecordOf(info audit.EvidenceInfo) (evidence.Record, error) {
	rec := evidence.Record{Files: map[string]evidence.RecordedFile{}, Undeclared: info.Undeclared}
	for _, it := range info.Items {
		reads := map[string]evidence.FileRead{}
		for _, fr := range it.Reads {
			reads[fr.Path] = fr
		}
		for _, f := range it.Files {
			if _, ok := rec.Files[f.Path]; ok {
				continue
			}
			rf := evidence.RecordedFile{SHA256: f.Actual, Size: f.Size, Intact: f.OK}
			for _, p := range it.Problems {
				if p.File != f.Path {
					continue
				}
				switch p.Type {
				case evidence.MissingFile:
					rf.Missing = true
				case evidence.UnreadableFile:
					rf.Err = p.Message
				}
			}
			if fr, ok := reads[f.Path]; ok {
				read, err := facts.TypedRead(fr.Read)
				if err != nil {
					return evidence.Record{}, fmt.Errorf("evidence item %s, file %s: %w", it.ID, f.Path, err)
				}
				rf.Read, rf.ReadErr = read, fr.Error
			}
			rec.Files[f.Path] = rf
		}
	}
	return rec, nil
}
