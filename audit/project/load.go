package project

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

// Options say what to load and how. The settings from AsOf to Rules are
// command-line and environment settings that win over the configuration
// file; empty ones leave the configuration's.
type Options struct {
	Files      Files  // resolves the paths the configuration names
	ConfigName string // the configuration's name as shown and recorded
	ConfigData []byte // the configuration as read

	AsOf       string // YYYY-MM-DD
	Frameworks []string
	Model      string
	Evidence   string
	Exceptions string
	Rules      []string // added to the configuration's

	// Now is used only when neither the options nor the configuration
	// give an as-of date: the clock stays with the caller.
	Now time.Time
	// Version is the tool's version, recorded in the results.
	Version string
	// Progress, when set, is shown evidence hashing progress.
	Progress evidence.Progress
	// ReadFacts reads an evidence file's facts while it is hashed;
	// nil means [facts.ReadAll].
	ReadFacts func(r io.Reader) (*facts.Read, error)
	// VerifyEvidence judges the evidence bundle; nil means
	// [evidence.VerifyContext]. Re-deriving a package passes one that
	// judges the bundle from its record (see [evidence.Replay]).
	VerifyEvidence func(ctx context.Context, fsys fs.FS, m *evidence.Manifest, opts evidence.Options) (*evidence.Index, error)
}

// Project is a loaded configuration with its inputs read and parsed.
type Project struct {
	Config   *config.Config
	Inputs   audit.Inputs
	Registry *frameworks.Registry
	// Sources are the inputs exactly as read, in the order read, for the
	// package's inputs/.
	Sources []Source
	// EvidenceFS is the evidence bundle, for copying it into the package.
	EvidenceFS fs.FS
	// Absolute lists the configuration's settings that name an absolute
	// path, as "key: path", for a warning: the configuration is copied into
	// the package as written, so such a path is the building machine's.
	Absolute []string
}

// Source is an input file's bytes as read.
type Source struct {
	Role string
	Name string
	Data []byte
}

// Evaluate runs the rules over the loaded inputs (see [audit.Run]).
func (p *Project) Evaluate() (*audit.Results, error) { return audit.Run(p.Inputs) }

// Load reads a configuration and everything it names: catalogs, the
// threat model (with the evidence bundle hashed meanwhile), rules and
// their lint, exceptions, and the hashes of every input. ctx stops
// evidence hashing when cancelled.
func Load(ctx context.Context, o Options) (*Project, error) {
	ctx = cmp.Or(ctx, context.Background())
	cfgName := o.ConfigName
	cfg, err := config.Parse(cfgName, o.ConfigData)
	if err != nil {
		return nil, err
	}
	p := &Project{Config: cfg, Absolute: absolutePaths(cfg)}
	p.addSource("config", cfgName, o.ConfigData)
	if err := p.applyOverrides(o); err != nil {
		return nil, err
	}
	asOf := o.Now.UTC().Truncate(24 * time.Hour)
	if cfg.AsOf != "" {
		asOf, _ = time.Parse(time.DateOnly, cfg.AsOf)
	}
	start, end := cfg.PeriodTimes()
	in := audit.Inputs{
		Tool: audit.Tool{Name: "auditpack", Version: o.Version}, Organisation: cfg.Organisation, System: cfg.System,
		AsOf: asOf, PeriodStart: start, PeriodEnd: end, Overlay: cfg.Overlay, OverlayFile: cfgName,
		RequestDueDays: cfg.DueDays(),
		PreparedBy:     signOff(cfg.PreparedBy), ReviewedBy: signOff(cfg.ReviewedBy),
	}
	if p.Registry, err = frameworks.Builtin(); err != nil {
		return nil, err
	}
	for _, name := range cfg.Frameworks {
		c, err := p.Registry.Lookup(name)
		if err != nil {
			return nil, &InputError{fmt.Errorf("%s: frameworks: %w", cfgName, err)}
		}
		in.Catalogs = append(in.Catalogs, c)
	}
	f := o.Files
	// The evidence bundle is parsed and hashed while the model loads: both
	// take seconds on a large project and neither needs the other. Errors
	// are still reported in the order of the steps (model, rules, evidence).
	var ev <-chan loadedEvidence
	if cfg.Evidence != "" {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		read := o.ReadFacts
		if read == nil {
			read = facts.ReadAll
		}
		verify := o.VerifyEvidence
		if verify == nil {
			verify = evidence.VerifyContext
		}
		ev = startEvidence(ctx, f, cfg.Evidence, verify, evidence.Options{AsOf: asOf, PeriodStart: start, PeriodEnd: end, Progress: o.Progress, ReadFacts: read})
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
	if err := Interrupted(ctx); err != nil {
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
		in.Evidence, p.EvidenceFS = le.index, le.fsys
		p.addSource("evidence-manifest", le.manifest, le.data)
	}
	if cfg.Exceptions != "" {
		fsys, name, display, err := f.File(cfg.Exceptions)
		if err != nil {
			return nil, err
		}
		data, err := ReadInput(fsys, name, display, int64(exception.Limits.Size))
		CloseFS(fsys)
		if err != nil {
			return nil, err
		}
		if in.Exceptions, err = exception.Parse(display, data); err != nil {
			return nil, err
		}
		p.addSource("exceptions", display, data)
	}
	for _, s := range p.Sources {
		sum := sha256.Sum256(s.Data)
		format := ""
		if s.Role == "model" {
			format = in.Model.Source.Format
		}
		in.Files = append(in.Files, audit.InputFile{Role: s.Role, Name: s.Name, Format: format,
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(s.Data))})
	}
	p.Inputs = in
	return p, nil
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

func (p *Project) applyOverrides(o Options) error {
	c := p.Config
	if o.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, o.AsOf); err != nil {
			return &OptionError{fmt.Sprintf("--as-of %q is not a date (YYYY-MM-DD)", o.AsOf)}
		}
		c.AsOf = o.AsOf
	}
	if len(o.Frameworks) > 0 {
		c.Frameworks = o.Frameworks
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.Model, o.Model)
	set(&c.Evidence, o.Evidence)
	set(&c.Exceptions, o.Exceptions)
	c.Rules = append(c.Rules, o.Rules...)
	return nil
}

func (p *Project) addSource(role, name string, data []byte) {
	p.Sources = append(p.Sources, Source{Role: role, Name: name, Data: data})
}

func (p *Project) loadModel(f Files, name string) (*model.Model, error) {
	fsys, rel, display, err := f.File(name)
	if err != nil {
		return nil, err
	}
	defer CloseFS(fsys)
	data, err := ReadInput(fsys, rel, display, threatmodel.MaxSize)
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

func (p *Project) loadRules(f Files, extra []string) ([]*mappings.RuleSet, error) {
	sets, err := mappings.Builtin()
	if err != nil {
		return nil, err
	}
	for _, r := range extra {
		fsys, rel, display, err := f.File(r)
		if err != nil {
			return nil, err
		}
		data, err := ReadInput(fsys, rel, display, int64(mappings.Limits.Size))
		CloseFS(fsys)
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
	if err := mappings.Lint(sets, mappings.Resolver(p.Registry)); err != nil {
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
func startEvidence(ctx context.Context, f Files, dir string, verify verifyFunc, opts evidence.Options) <-chan loadedEvidence {
	out := make(chan loadedEvidence, 1)
	go func() {
		defer close(out)
		out <- loadEvidence(ctx, f, dir, verify, opts)
	}()
	return out
}

// verifyFunc judges a bundle's files ([evidence.VerifyContext]).
type verifyFunc = func(ctx context.Context, fsys fs.FS, m *evidence.Manifest, opts evidence.Options) (*evidence.Index, error)

func loadEvidence(ctx context.Context, f Files, dir string, verify verifyFunc, opts evidence.Options) loadedEvidence {
	if err := Interrupted(ctx); err != nil {
		return loadedEvidence{err: err}
	}
	fsys, display, err := f.Dir(dir)
	if err != nil {
		return loadedEvidence{err: err}
	}
	m, err := evidence.Load(fsys, display)
	if err != nil {
		return loadedEvidence{err: &InputError{err}}
	}
	data, _ := fs.ReadFile(fsys, path.Base(m.File))
	x, err := verify(ctx, fsys, m, opts)
	if err != nil {
		return loadedEvidence{err: &InputError{err}}
	}
	return loadedEvidence{index: x, fsys: fsys, manifest: m.File, data: data}
}

// Interrupted returns the context's error, if any: loading a large project
// takes seconds between the points where hashing checks for Ctrl-C.
func Interrupted(ctx context.Context) error {
	if ctx == nil || ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("stopped: %w", ctx.Err())
}

func signOff(s *config.SignOff) *audit.SignOff {
	if s == nil {
		return nil
	}
	return &audit.SignOff{Name: s.Name, Date: s.Date}
}
