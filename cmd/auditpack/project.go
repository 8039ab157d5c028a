package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/audit/threatmodel"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

// files resolves the paths named in a configuration. On disk they are
// relative to the configuration file; for the built-in example they are
// inside the embedded file system.
type files interface {
	// dir returns a file system rooted at p and how to name p to people.
	dir(p string) (fs.FS, string, error)
	// file returns a file system holding p, p's name in it, and p's display name.
	file(p string) (fs.FS, string, string, error)
}

// diskFiles resolves paths against the configuration's directory. base is
// that directory as the user named it, for opening files. root is the same
// directory made absolute: names shown and recorded are relative to it, so
// that results, report and package are the same bytes whatever the working
// directory and however the configuration was named, and no path of the
// building machine leaks into them. With root empty (a directory named on
// the command line, not by a configuration) names are kept as given.
type diskFiles struct{ base, root string }

// projectFiles resolves the inputs of the configuration file cfg.
func projectFiles(cfg string) diskFiles {
	base := filepath.Dir(cfg)
	return diskFiles{base: base, root: staging.Resolve(base)}
}

func (d diskFiles) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(d.base, filepath.FromSlash(p))
}

// name is how p is shown and recorded: relative to the configuration's
// directory, with forward slashes, after resolving links (the working
// directory's too), so that a project reached through a symbolic link
// records the same names. An input on another volume, which no
// relative path reaches, is named by its base name alone rather than by an
// absolute path.
func (d diskFiles) name(p string) string {
	if d.root == "" {
		return filepath.ToSlash(d.abs(p))
	}
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(filepath.FromSlash(p)))
	}
	rel, err := filepath.Rel(d.root, staging.Resolve(p))
	if err != nil {
		return filepath.Base(p)
	}
	return filepath.ToSlash(rel)
}

// dir opens an evidence bundle, a directory or a .zip archive, checked
// against hostile entries (see openBundle).
func (d diskFiles) dir(p string) (fs.FS, string, error) {
	display := d.name(p)
	fsys, err := openBundle(d.abs(p), display)
	return fsys, display, err
}

// file opens p's directory as a root: the file itself is then read without
// blocking and within its limit (readInput), and whatever the file names
// in turn (Threagile includes) is read inside that directory only.
func (d diskFiles) file(p string) (fs.FS, string, string, error) {
	a := d.abs(p)
	fsys, err := openDirOf(a)
	return fsys, filepath.Base(a), d.name(p), err
}

// openDirOf opens the directory holding the file a as a [rootfs.FS].
func openDirOf(a string) (fs.FS, error) {
	dir := filepath.Dir(a)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, &inputError{err}
	}
	return rootfs.New(root, dir), nil
}

// closeFS closes a directory opened by [diskFiles.file] once its files are read.
func closeFS(fsys fs.FS) {
	if c, ok := fsys.(io.Closer); ok {
		c.Close()
	}
}

type embeddedFiles struct {
	fsys fs.FS
	base string
}

func (e embeddedFiles) dir(p string) (fs.FS, string, error) {
	sub, err := fs.Sub(e.fsys, path.Join(e.base, p))
	return sub, p, err
}

func (e embeddedFiles) file(p string) (fs.FS, string, string, error) {
	return e.fsys, path.Join(e.base, p), p, nil
}

// overrides are command-line and environment settings that win over the
// configuration file.
type overrides struct {
	asOf       string
	frameworks []string
	model      string
	evidence   string
	exceptions string
	rules      []string

	// ctx stops evidence hashing when cancelled (Ctrl-C); progress, when
	// set, is shown hashing progress. They say how to load, not what.
	ctx      context.Context
	progress evidence.Progress
}

// project is a loaded configuration with its inputs read and parsed.
type project struct {
	cfg     *config.Config
	inputs  audit.Inputs
	reg     *frameworks.Registry
	sources []sourceFile // inputs exactly as read, for the package's inputs/
	// evidenceFS is the evidence bundle, for copying it into the package.
	evidenceFS fs.FS
	// root is the configuration's directory, absolute; empty for the
	// built-in example.
	root string
	// paths are the project's files and directories on disk (none for the
	// built-in example), which no output may replace.
	paths []staging.Input
	// absolute lists the configuration's settings that name an absolute
	// path, as "key: path", for a warning: the configuration is copied into
	// the package as written, so such a path is the building machine's.
	absolute []string
}

// absolutePaths lists the settings of c that hold absolute paths.
func absolutePaths(c *config.Config) []string {
	var out []string
	add := func(key, p string) {
		if filepath.IsAbs(p) || path.IsAbs(filepath.ToSlash(p)) {
			out = append(out, key+": "+p)
		}
	}
	add("model", c.Model)
	add("evidence", c.Evidence)
	add("exceptions", c.Exceptions)
	for _, r := range c.Rules {
		add("rules", r)
	}
	add("output", c.Output)
	if s := c.Signing; s != nil {
		add("signing.key", s.Key)
		add("signing.certificate", s.Certificate)
		add("signing.chain", s.Chain)
		add("signing.pkcs12", s.PKCS12)
	}
	return out
}

// inputPaths lists the configuration cfg and what it names, on disk.
func inputPaths(f diskFiles, cfg string, c *config.Config) []staging.Input {
	in := []staging.Input{{Role: "the configuration", Path: cfg}}
	add := func(role, p string) {
		if p != "" {
			in = append(in, staging.Input{Role: role, Path: f.abs(p)})
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
	rel, err := filepath.Rel(p.root, staging.Resolve(arg))
	if err != nil {
		return filepath.Base(arg)
	}
	return filepath.ToSlash(rel)
}

// sourceFile is an input file's bytes as read.
type sourceFile struct {
	Role string
	Name string
	Data []byte
}

// loadProject reads a configuration and everything it names. now is used
// only when neither the flags nor the configuration give an as-of date.
func loadProject(f files, cfgName string, cfgData []byte, ov overrides, now time.Time, version string) (*project, error) {
	cfg, err := config.Parse(cfgName, cfgData)
	if err != nil {
		return nil, err
	}
	p := &project{cfg: cfg, absolute: absolutePaths(cfg)}
	p.addSource("config", cfgName, cfgData)
	if err := p.applyOverrides(cfgName, ov); err != nil {
		return nil, err
	}
	asOf := now.UTC().Truncate(24 * time.Hour)
	if cfg.AsOf != "" {
		asOf, _ = time.Parse(time.DateOnly, cfg.AsOf)
	}
	start, end := cfg.PeriodTimes()
	in := audit.Inputs{
		Tool: audit.Tool{Name: "auditpack", Version: version}, Organisation: cfg.Organisation, System: cfg.System,
		AsOf: asOf, PeriodStart: start, PeriodEnd: end, Overlay: cfg.Overlay, OverlayFile: cfgName,
	}
	if p.reg, err = frameworks.Builtin(); err != nil {
		return nil, err
	}
	for _, name := range cfg.Frameworks {
		c, err := p.reg.Lookup(name)
		if err != nil {
			return nil, &inputError{fmt.Errorf("%s: frameworks: %w", cfgName, err)}
		}
		in.Catalogs = append(in.Catalogs, c)
	}
	// The evidence bundle is parsed and hashed while the model loads: both
	// take seconds on a large project and neither needs the other. Errors
	// are still reported in the order of the steps (model, rules, evidence).
	var ev <-chan loadedEvidence
	if cfg.Evidence != "" {
		ctx, cancel := context.WithCancel(cmp.Or(ov.ctx, context.Background()))
		defer cancel()
		ev = startEvidence(ctx, f, cfg.Evidence, evidence.Options{AsOf: asOf, PeriodStart: start, PeriodEnd: end, Progress: ov.progress})
		// On an early return the bundle's workers are stopped and waited
		// for, so nothing outlives the load.
		defer func() {
			if ev != nil {
				cancel()
				<-ev
			}
		}()
	}
	if in.Model, err = p.loadModel(f, cfg.Model); err != nil {
		return nil, err
	}
	if err := interrupted(ov.ctx); err != nil {
		return nil, err
	}
	if in.RuleSets, err = p.loadRules(f, cfg.Rules); err != nil {
		return nil, err
	}
	if ev != nil {
		le := <-ev
		ev = nil
		if le.err != nil {
			return nil, le.err
		}
		in.Evidence, p.evidenceFS = le.index, le.fsys
		p.addSource("evidence-manifest", le.manifest, le.data)
	}
	if cfg.Exceptions != "" {
		fsys, name, display, err := f.file(cfg.Exceptions)
		if err != nil {
			return nil, err
		}
		data, err := readInput(fsys, name, display, int64(exception.Limits.Size))
		closeFS(fsys)
		if err != nil {
			return nil, err
		}
		if in.Exceptions, err = exception.Parse(display, data); err != nil {
			return nil, err
		}
		p.addSource("exceptions", display, data)
	}
	for _, s := range p.sources {
		sum := sha256.Sum256(s.Data)
		format := ""
		if s.Role == "model" {
			format = in.Model.Source.Format
		}
		in.Files = append(in.Files, audit.InputFile{Role: s.Role, Name: s.Name, Format: format,
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(s.Data))})
	}
	p.inputs = in
	return p, nil
}

func (p *project) applyOverrides(cfgName string, ov overrides) error {
	c := p.cfg
	if ov.asOf != "" {
		if _, err := time.Parse(time.DateOnly, ov.asOf); err != nil {
			return &usageError{fmt.Sprintf("--as-of %q is not a date (YYYY-MM-DD)", ov.asOf)}
		}
		c.AsOf = ov.asOf
	}
	if len(ov.frameworks) > 0 {
		c.Frameworks = ov.frameworks
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.Model, ov.model)
	set(&c.Evidence, ov.evidence)
	set(&c.Exceptions, ov.exceptions)
	c.Rules = append(c.Rules, ov.rules...)
	return nil
}

func (p *project) addSource(role, name string, data []byte) {
	p.sources = append(p.sources, sourceFile{Role: role, Name: name, Data: data})
}

func (p *project) loadModel(f files, name string) (*model.Model, error) {
	fsys, rel, display, err := f.file(name)
	if err != nil {
		return nil, err
	}
	defer closeFS(fsys)
	data, err := readInput(fsys, rel, display, threatmodel.MaxSize)
	if err != nil {
		return nil, err
	}
	m, err := threatmodel.DecodeFile(fsys, rel, display, data)
	if err != nil {
		return nil, err
	}
	p.addSource("model", display, data)
	return m, nil
}

func (p *project) loadRules(f files, extra []string) ([]*mappings.RuleSet, error) {
	sets, err := mappings.Builtin()
	if err != nil {
		return nil, err
	}
	for _, r := range extra {
		fsys, rel, display, err := f.file(r)
		if err != nil {
			return nil, err
		}
		data, err := readInput(fsys, rel, display, int64(mappings.Limits.Size))
		closeFS(fsys)
		if err != nil {
			return nil, err
		}
		rs, err := mappings.Parse(display, data)
		if err != nil {
			return nil, err
		}
		sets = append(sets, rs)
		p.addSource("rules", display, data)
	}
	if err := mappings.Lint(sets, mappings.Resolver(p.reg)); err != nil {
		return nil, err
	}
	return sets, nil
}

// loadedEvidence is a checked evidence bundle, or why it could not be.
type loadedEvidence struct {
	index    *evidence.Index
	fsys     fs.FS
	manifest string // the manifest's display name
	data     []byte // the manifest as read, for the package's input hashes
	err      error
}

// startEvidence parses the bundle's manifest and hashes its files in the
// background; the channel yields the outcome once and is then closed.
func startEvidence(ctx context.Context, f files, dir string, opts evidence.Options) <-chan loadedEvidence {
	out := make(chan loadedEvidence, 1)
	go func() {
		defer close(out)
		out <- loadEvidence(ctx, f, dir, opts)
	}()
	return out
}

func loadEvidence(ctx context.Context, f files, dir string, opts evidence.Options) loadedEvidence {
	if err := interrupted(ctx); err != nil {
		return loadedEvidence{err: err}
	}
	fsys, display, err := f.dir(dir)
	if err != nil {
		return loadedEvidence{err: err}
	}
	m, err := evidence.Load(fsys, display)
	if err != nil {
		return loadedEvidence{err: &inputError{err}}
	}
	data, _ := fs.ReadFile(fsys, path.Base(m.File))
	opts.ReadFacts = readFacts
	x, err := evidence.VerifyContext(ctx, fsys, m, opts)
	if err != nil {
		return loadedEvidence{err: &inputError{err}}
	}
	return loadedEvidence{index: x, fsys: fsys, manifest: m.File, data: data}
}

// interrupted returns the context's error, if any: loading a large project
// takes seconds between the points where hashing checks for Ctrl-C.
func interrupted(ctx context.Context) error {
	if ctx == nil || ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("stopped: %w", ctx.Err())
}

// readInput reads an input file whole, refusing what is not a regular file
// or is larger than limit, the largest file of its role. Files on disk are
// read through rootfs, which checks the open handle and never blocks on a
// pipe; the built-in example's files are read from the embedded tree.
func readInput(fsys fs.FS, name, display string, limit int64) ([]byte, error) {
	if r, ok := fsys.(*rootfs.FS); ok {
		data, err := r.ReadFile(name, display, limit)
		if err != nil {
			return nil, inputFileError(display, err)
		}
		return data, nil
	}
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &inputError{fmt.Errorf("%s: no such file", display)}
		}
		return nil, &inputError{fmt.Errorf("%s: %w", display, err)}
	}
	if !fi.Mode().IsRegular() {
		return nil, &inputError{fmt.Errorf("%s: not a regular file", display)}
	}
	if fi.Size() > limit {
		return nil, &inputError{&rootfs.TooLargeError{Name: display, Limit: limit}}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", display, err)}
	}
	return data, nil
}
