package project_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/example"
	"github.com/auditpack/auditpack/audit/project"
)

func loadExample(t *testing.T, o project.Options) (*project.Project, error) {
	t.Helper()
	fsys := example.FS()
	data, err := fs.ReadFile(fsys, example.Dir+"/auditpack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o.Files = project.EmbeddedFiles{FS: fsys, Base: example.Dir}
	o.ConfigName, o.ConfigData = "auditpack.yaml", data
	o.Now, o.Version = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), "test"
	return project.Load(context.Background(), o)
}

// The built-in example, loaded and evaluated through the audit layer alone,
// records the inputs and rule results the command line recorded when it
// assembled the pipeline itself (auditpack demo --as-of 2026-01-15).
func TestLoadExample(t *testing.T) {
	p, err := loadExample(t, project.Options{AsOf: "2026-01-15"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Inputs.AsOf.Format(time.DateOnly); got != "2026-01-15" {
		t.Errorf("as of %s, want the option's 2026-01-15", got)
	}
	var roles []string
	for _, s := range p.Sources {
		roles = append(roles, s.Role+" "+s.Name)
	}
	wantRoles := []string{"config auditpack.yaml", "model model.yaml", "evidence-manifest evidence/manifest.yaml", "exceptions exceptions.yaml"}
	if len(roles) != len(wantRoles) {
		t.Fatalf("sources %q, want %q", roles, wantRoles)
	}
	for i := range roles {
		if roles[i] != wantRoles[i] {
			t.Errorf("source %d is %q, want %q (inputs are recorded in the order read)", i, roles[i], wantRoles[i])
		}
	}
	res, err := p.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.InputFile{
		{Role: "config", Name: "auditpack.yaml", SHA256: "35b4a72a39869c0fc4ca9e0576efa7c915bdd1de4e004b25e515898d3f6de850", Size: 6216},
		{Role: "evidence-manifest", Name: "evidence/manifest.yaml", SHA256: "2f5ac6a2d0f63df6b6d7412ee9eb9cec0edd4ac6d8985024ca5864b25f6132db", Size: 22520},
		{Role: "exceptions", Name: "exceptions.yaml", SHA256: "ff603e9bfa95e4f7026da107cb63a33a9c1377a45dd6fd228b26ec9242f1d6fc", Size: 2981},
		{Role: "model", Name: "model.yaml", Format: "auditpack", SHA256: "4ddee1198d45d8e0d92613424445b68dcac0731cb66f0945858485af34588994", Size: 11814},
	}
	if len(res.Inputs) != len(want) {
		t.Fatalf("%d inputs recorded, want %d: %+v", len(res.Inputs), len(want), res.Inputs)
	}
	for i := range want {
		if res.Inputs[i] != want[i] {
			t.Errorf("input %d is %+v, want %+v", i, res.Inputs[i], want[i])
		}
	}
	if n := len(res.RuleResults); n != 194 {
		t.Errorf("%d rule results, want 194", n)
	}
	if n := len(res.Controls); n != 341 {
		t.Errorf("%d controls, want 341", n)
	}
	if p.EvidenceFS == nil {
		t.Error("no evidence bundle kept for packaging")
	}
}

// A date option that is not a date is the caller's usage error, typed so
// that the command line maps it to its exit code.
func TestLoadRefusesBadAsOf(t *testing.T) {
	_, err := loadExample(t, project.Options{AsOf: "2026-13-45"})
	var oe *project.OptionError
	if !errors.As(err, &oe) {
		t.Fatalf("got %v (%T), want an *OptionError", err, err)
	}
}

// An unknown framework is an input error naming the configuration.
func TestLoadRefusesUnknownFramework(t *testing.T) {
	_, err := loadExample(t, project.Options{Frameworks: []string{"no-such-framework"}})
	var ie *project.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want an *InputError", err, err)
	}
}

// A cancelled load stops and says so.
func TestLoadStopsWhenCancelled(t *testing.T) {
	fsys := example.FS()
	data, _ := fs.ReadFile(fsys, example.Dir+"/auditpack.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := project.Load(ctx, project.Options{Files: project.EmbeddedFiles{FS: fsys, Base: example.Dir},
		ConfigName: "auditpack.yaml", ConfigData: data})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
