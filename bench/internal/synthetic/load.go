package synthetic

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

// MapFS writes the project into memory. It is for small projects in tests
// and benchmarks; large ones go to disk through [Project.Write].
func (p *Project) MapFS() (fstest.MapFS, error) {
	fsys := fstest.MapFS{}
	err := p.Write(func(name string) (io.WriteCloser, error) {
		return &memFile{fsys: fsys, name: name}, nil
	})
	return fsys, err
}

type memFile struct {
	bytes.Buffer
	fsys fstest.MapFS
	name string
}

func (f *memFile) Close() error {
	f.fsys[f.name] = &fstest.MapFile{Data: f.Bytes(), Mode: 0o644}
	return nil
}

// Loaded is a written project read back: its inputs ready for [audit.Run]
// and the evidence manifest, for benchmarks of the stages one by one.
type Loaded struct {
	Inputs   audit.Inputs
	Manifest *evidence.Manifest
	Evidence fs.FS
}

// Load reads a written project from fsys the way the command line does,
// verifying the evidence with opts.Workers workers.
func Load(fsys fs.FS, workers int) (*Loaded, error) {
	read := func(name string) ([]byte, error) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("synthetic: %w", err)
		}
		return data, nil
	}
	data, err := read(ConfigName)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(ConfigName, data)
	if err != nil {
		return nil, err
	}
	asOf, _ := time.Parse(time.DateOnly, cfg.AsOf)
	start, end := cfg.PeriodTimes()
	in := audit.Inputs{Tool: audit.Tool{Name: "auditpack", Version: "synthetic"}, Organisation: cfg.Organisation,
		System: cfg.System, AsOf: asOf, PeriodStart: start, PeriodEnd: end, Overlay: cfg.Overlay}
	reg, err := frameworks.Builtin()
	if err != nil {
		return nil, err
	}
	for _, name := range cfg.Frameworks {
		c, err := reg.Lookup(name)
		if err != nil {
			return nil, err
		}
		in.Catalogs = append(in.Catalogs, c)
	}
	if data, err = read(ModelName); err != nil {
		return nil, err
	}
	if in.Model, err = native.Decode(fsys, ModelName, data); err != nil {
		return nil, err
	}
	if in.RuleSets, err = mappings.Builtin(); err != nil {
		return nil, err
	}
	if data, err = read(ExceptionsName); err != nil {
		return nil, err
	}
	if in.Exceptions, err = exception.Parse(ExceptionsName, data); err != nil {
		return nil, err
	}
	ev, err := fs.Sub(fsys, EvidenceDir)
	if err != nil {
		return nil, err
	}
	m, err := evidence.Load(ev, EvidenceDir)
	if err != nil {
		return nil, err
	}
	in.Evidence, err = evidence.Verify(ev, m, evidence.Options{AsOf: asOf, PeriodStart: start, PeriodEnd: end, Workers: workers})
	if err != nil {
		return nil, err
	}
	return &Loaded{Inputs: in, Manifest: m, Evidence: ev}, nil
}
