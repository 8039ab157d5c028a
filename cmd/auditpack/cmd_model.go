package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/printable"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/threatmodel"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/urfave/cli/v2"
)

// loadModelFile imports a model from disk, naming it as the user did.
func loadModelFile(name string) (*model.Model, *model.Index, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, nil, &inputError{err}
	}
	fsys, err := proj.OpenDirOf(abs)
	if err != nil {
		return nil, nil, err
	}
	defer proj.CloseFS(fsys)
	data, err := proj.ReadInput(fsys, filepath.Base(abs), name, threatmodel.MaxSize)
	if err != nil {
		return nil, nil, err
	}
	m, err := threatmodel.DecodeFile(fsys, filepath.Base(abs), name, data)
	if err != nil {
		return nil, nil, err
	}
	x, err := model.New(m)
	if err != nil {
		return nil, nil, &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	return m, x, nil
}

func (env *environment) modelCommand() *cli.Command {
	return &cli.Command{
		Name:  "model",
		Usage: "import, check, inspect and convert threat models (" + strings.Join(threatmodel.Names(), ", ") + ")",
		Subcommands: []*cli.Command{
			{Name: "validate", ArgsUsage: "FILE", Usage: "import a model and check its references", Action: func(c *cli.Context) error {
				return env.runModelValidate(c.Context, modelOptionsOf(c))
			}},
			{Name: "inspect", ArgsUsage: "FILE", Usage: "show what was imported: counts, zones, crossings, threats, warnings", Action: func(c *cli.Context) error {
				return env.runModelInspect(c.Context, modelOptionsOf(c))
			}},
			{Name: "convert", ArgsUsage: "FILE", Usage: "write the model in auditpack's own format (JSON)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
					&cli.BoolFlag{Name: "force", Usage: "replace an existing output file"},
				},
				Action: func(c *cli.Context) error {
					return env.runModelConvert(c.Context, convertOptions{model: modelOptionsOf(c), out: c.String("out"), force: c.Bool("force")})
				}},
		},
	}
}

// modelOptions name the model a model subcommand reads.
type modelOptions struct {
	file string // as the user named it, and as messages name it
}

// modelOptionsOf reads the model argument (checkArgs has made sure there
// is one).
func modelOptionsOf(c *cli.Context) modelOptions { return modelOptions{file: c.Args().First()} }

// runModelValidate imports a model, checks its references and says what
// it holds.
func (env *environment) runModelValidate(_ context.Context, o modelOptions) error {
	name := o.file
	m, _, err := loadModelFile(name)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: %s model %q: %d zones, %d components, %d flows, %d data assets, %d threats, %d mitigations: ok\n",
		printable.String(name), printable.String(string(m.Source.Format)), m.Title, len(m.Zones), len(m.Components), len(m.Flows), len(m.DataAssets), len(m.Threats), len(m.Mitigations))
	env.modelWarnings(name, m)
	return nil
}

// runModelInspect imports a model and shows what was imported.
func (env *environment) runModelInspect(_ context.Context, o modelOptions) error {
	m, x, err := loadModelFile(o.file)
	if err != nil {
		return err
	}
	inspect(env.stdout, o.file, m, x)
	env.modelWarnings(o.file, m)
	return nil
}

// convertOptions are model convert's options.
type convertOptions struct {
	model modelOptions
	out   string // empty: standard output
	force bool
}

// runModelConvert writes a model in auditpack's own format.
func (env *environment) runModelConvert(_ context.Context, o convertOptions) error {
	name := o.model.file
	m, _, err := loadModelFile(name)
	if err != nil {
		return err
	}
	data, err := native.Encode(m)
	if err != nil {
		return err
	}
	env.modelWarnings(name, m)
	if o.out != "" {
		return env.writeFileAtomic(o.out, data, o.force, staging.Input{Role: "the model being converted", Path: name})
	}
	_, err = env.stdout.Write(data)
	return err
}

// modelWarnings prints the importer's warnings; warnf escapes them.
func (env *environment) modelWarnings(name string, m *model.Model) {
	for _, w := range m.Warnings {
		warnf(env.stderr, "%s: at %s: %s", name, w.Ref, w.Message)
	}
}

// inspect prints an imported model for a person checking the import. Every
// name comes from the model and is escaped (printable.String).
func inspect(w io.Writer, name string, m *model.Model, x *model.Index) {
	esc := printable.String
	fmt.Fprintf(w, "%s: %s", esc(name), esc(string(m.Source.Format)))
	if m.Source.FormatVersion != "" {
		fmt.Fprintf(w, " %s", esc(m.Source.FormatVersion))
	}
	fmt.Fprintf(w, ", %q\n\n", m.Title)
	kinds := map[string]int{}
	out := 0
	for _, c := range m.Components {
		kinds[c.Kind]++
		if c.OutOfScope {
			out++
		}
	}
	fmt.Fprintf(w, "components: %d (%d process, %d datastore, %d external-entity; %d out of scope)\n",
		len(m.Components), kinds[model.KindProcess], kinds[model.KindDatastore], kinds[model.KindExternalEntity], out)
	fmt.Fprintf(w, "flows: %d, zones: %d, data assets: %d, threats: %d, mitigations: %d\n",
		len(m.Flows), len(m.Zones), len(m.DataAssets), len(m.Threats), len(m.Mitigations))
	if len(m.Zones) > 0 {
		fmt.Fprintln(w, "\nzones:")
		for _, z := range m.Zones {
			depth := len(x.ZoneChain(z.ID)) - 1
			members := 0
			for _, c := range m.Components {
				if c.Zone == z.ID {
					members++
				}
			}
			trust := x.Trust(z.ID)
			if trust == "" {
				trust = "trust not stated"
			}
			fmt.Fprintf(w, "  %s%s (%s) [%s] %d components%s\n", strings.Repeat("  ", depth), esc(z.Name), esc(z.ID), esc(trust), members, tagList(z.Tags))
		}
	}
	var crossing []string
	for _, f := range m.Flows {
		c := x.Crossing(f.ID)
		if !c.Crosses() {
			continue
		}
		s := fmt.Sprintf("  %s: %s -> %s", esc(f.Name), esc(x.NameOf(f.Source)), esc(x.NameOf(f.Target)))
		if len(c.Left) > 0 {
			s += "; leaves " + escList(c.Left)
		}
		if len(c.Entered) > 0 {
			s += "; enters " + escList(c.Entered)
		}
		if len(c.Lines) > 0 {
			s += "; crosses " + escList(c.Lines)
		}
		crossing = append(crossing, s)
	}
	fmt.Fprintf(w, "\nflows crossing a boundary: %d\n", len(crossing))
	for _, s := range crossing {
		fmt.Fprintln(w, s)
	}
	byStatus := map[string]int{}
	for _, t := range m.Threats {
		byStatus[t.Status]++
	}
	statuses := make([]string, 0, len(byStatus))
	for s := range byStatus {
		statuses = append(statuses, s)
	}
	slices.Sort(statuses)
	fmt.Fprint(w, "\nthreats by status:")
	for _, s := range statuses {
		fmt.Fprintf(w, " %s %d;", esc(s), byStatus[s])
	}
	fmt.Fprintf(w, "\nwarnings: %d\n", len(m.Warnings))
}

func tagList(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return " tags: " + escList(tags)
}

// escList joins names from an input for printing, each escaped.
func escList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = printable.String(n)
	}
	return strings.Join(out, ", ")
}
