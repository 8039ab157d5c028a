package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/example"
	"github.com/auditpack/auditpack/audit/printable"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/vocab"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/urfave/cli/v2"
)

// projectFlags select and override the project configuration.
func projectFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Value: "auditpack.yaml", EnvVars: []string{"AUDITPACK_CONFIG"}, Usage: "project configuration `FILE`"},
		&cli.StringFlag{Name: "as-of", EnvVars: []string{"AUDITPACK_AS_OF"}, Usage: "judge freshness and expiry as of `DATE` (YYYY-MM-DD)"},
		&cli.StringSliceFlag{Name: "framework", Aliases: []string{"f"}, EnvVars: []string{"AUDITPACK_FRAMEWORKS"}, Usage: "evaluate this framework (repeatable; default from the configuration)"},
		&cli.StringFlag{Name: "model", EnvVars: []string{"AUDITPACK_MODEL"}, Usage: "threat-model `FILE` (overrides the configuration)"},
		&cli.StringFlag{Name: "evidence", EnvVars: []string{"AUDITPACK_EVIDENCE"}, Usage: "evidence bundle `DIR` or .zip file (overrides the configuration)"},
		&cli.StringFlag{Name: "exceptions", EnvVars: []string{"AUDITPACK_EXCEPTIONS"}, Usage: "exceptions `FILE` (overrides the configuration)"},
		&cli.StringSliceFlag{Name: "rules", EnvVars: []string{"AUDITPACK_RULES"}, Usage: "additional rule `FILE` (repeatable)"},
		quietFlag(),
	}
}

// projectOptions select and override the project configuration
// (projectFlags), wherever they were given.
type projectOptions struct {
	config                      string
	asOf                        string
	frameworks                  []string
	model, evidence, exceptions string
	rules                       []string
	quiet                       bool
}

// projectOptionsOf reads the project flags (projectFlags).
func projectOptionsOf(c *cli.Context) projectOptions {
	return projectOptions{config: c.String("config"), asOf: c.String("as-of"), frameworks: c.StringSlice("framework"),
		model: c.String("model"), evidence: c.String("evidence"), exceptions: c.String("exceptions"),
		rules: c.StringSlice("rules"), quiet: c.Bool("quiet")}
}

// overrides maps the overriding options to load options. Paths on the
// command line are relative to the working directory, as every shell user
// expects, unlike those in the configuration; they are made absolute here,
// and recorded relative to the configuration like the rest
// (proj.DiskFiles.Name).
func (po projectOptions) overrides() proj.Options {
	o := proj.Options{AsOf: po.asOf, Frameworks: po.frameworks, Model: absArg(po.model),
		Evidence: absArg(po.evidence), Exceptions: absArg(po.exceptions)}
	for _, r := range po.rules {
		o.Rules = append(o.Rules, absArg(r))
	}
	return o
}

// absArg makes a command-line path absolute; "" stays "".
func absArg(p string) string {
	if p == "" {
		return ""
	}
	return staging.Resolve(p)
}

// loadFromDisk loads the project named by --config.
func (env *environment) loadFromDisk(ctx context.Context, po projectOptions) (*project, error) {
	name := po.config
	data, err := readUserFile(name, "", int64(config.Limits.Size))
	if err != nil {
		return nil, &inputError{fmt.Errorf("cannot read the project configuration: %w", err)}
	}
	o := po.overrides()
	f := proj.ConfigFiles(name)
	// The configuration is named by its base name: every other input is
	// named relative to its directory (see proj.DiskFiles).
	o.Files, o.ConfigName, o.ConfigData = f, filepath.Base(name), data
	p, err := env.load(ctx, po.quiet, o)
	if err != nil {
		return nil, err
	}
	p.root, p.paths = f.Root, inputPaths(f, name, p.Config)
	for _, a := range p.Absolute {
		warnf(env.stderr, "%s: %s is an absolute path; the configuration goes into the package as written, "+
			"so the package would carry this path of the building machine: name it relative to the configuration", filepath.Base(name), a)
	}
	return p, nil
}

// load loads a project, stopping on Ctrl-C and, on a terminal unless
// quiet, showing evidence hashing progress. The clock and the version
// come from here.
func (env *environment) load(ctx context.Context, quiet bool, o proj.Options) (*project, error) {
	bar := env.newProgress(quiet, "hashing evidence", "files")
	if bar != nil {
		o.Progress = bar
	}
	defer bar.Finish()
	o.Now, o.Version, o.ReadFacts = env.now(), version, env.readFacts
	l, err := proj.Load(ctx, o)
	if err != nil {
		return nil, err
	}
	return &project{Project: l}, nil
}

// loadDemo loads the built-in example, with the as-of date and the
// frameworks of po; the rest of po does not apply to it.
func (env *environment) loadDemo(ctx context.Context, po projectOptions) (*project, error) {
	fsys := example.FS()
	name := example.Dir + "/auditpack.yaml"
	data, err := fsReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return env.load(ctx, po.quiet, proj.Options{AsOf: po.asOf, Frameworks: po.frameworks,
		Files: proj.EmbeddedFiles{FS: fsys, Base: example.Dir}, ConfigName: "auditpack.yaml", ConfigData: data})
}

func (env *environment) demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "run the whole pipeline on the built-in payment-platform example",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "auditpack-demo", EnvVars: []string{"AUDITPACK_OUT"}, Usage: "output `DIR`"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing output directory"},
			&cli.StringFlag{Name: "as-of", EnvVars: []string{"AUDITPACK_AS_OF"}, Usage: "as-of `DATE` (default: the example's own)"},
			&cli.StringSliceFlag{Name: "framework", Aliases: []string{"f"}, Usage: "evaluate this framework (repeatable)"},
			quietFlag(),
		}, packageFlags()...),
		Action: func(c *cli.Context) error {
			return env.runDemo(c.Context, demoOptions{output: outputOptionsOf(c),
				project: projectOptions{asOf: c.String("as-of"), frameworks: c.StringSlice("framework"), quiet: c.Bool("quiet")}})
		},
	}
}

// demoOptions are demo's options: of the project, only the as-of date,
// the frameworks and quiet apply.
type demoOptions struct {
	project projectOptions
	output  outputOptions
}

// runDemo builds the built-in example's package, signed with a throwaway
// key.
func (env *environment) runDemo(ctx context.Context, o demoOptions) error {
	p, err := env.loadDemo(ctx, o.project)
	if err != nil {
		return err
	}
	s, err := demoSigner(env.now())
	if err != nil {
		return err
	}
	return env.write(p, env.packageOptionsOf(ctx, o.output, o.project.quiet, s, true))
}

func (env *environment) buildCommand() *cli.Command {
	return &cli.Command{
		Name:  "build",
		Usage: "evaluate the project and write its audit package",
		Flags: append(append(projectFlags(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, EnvVars: []string{"AUDITPACK_OUT"}, Usage: "output `DIR` (default: the configuration's output, else auditpack-package)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing output directory"},
		), append(packageFlags(), signingFlags()...)...),
		Action: func(c *cli.Context) error {
			return env.runBuild(c.Context, buildOptions{project: projectOptionsOf(c), output: outputOptionsOf(c),
				signing: signingOptionsOf(c)})
		},
	}
}

// buildOptions are build's options, wherever they were given.
type buildOptions struct {
	project projectOptions
	// output.out empty means the configuration's output, else
	// auditpack-package.
	output  outputOptions
	signing signingOptions
}

// runBuild evaluates the project on disk and writes its signed package.
func (env *environment) runBuild(ctx context.Context, o buildOptions) error {
	p, err := env.loadFromDisk(ctx, o.project)
	if err != nil {
		return err
	}
	cfgAbs, _ := filepath.Abs(o.project.config)
	s, err := loadSigner(o.signing, p.Config.Signing, filepath.Dir(cfgAbs))
	if err != nil {
		return err
	}
	out := o.output
	if out.out == "" {
		out.out = "auditpack-package"
		if p.Config.Output != "" {
			out.out = filepath.Join(filepath.Dir(cfgAbs), p.Config.Output)
		}
	}
	return env.write(p, env.packageOptionsOf(ctx, out, o.project.quiet, s, false))
}

// outputOptions are the package flags shared by demo and build.
type outputOptions struct {
	out                       string
	force, zip, embedEvidence bool
	previous                  string
}

func outputOptionsOf(c *cli.Context) outputOptions {
	return outputOptions{out: c.String("out"), force: c.Bool("force"), zip: c.Bool("zip"),
		embedEvidence: c.Bool("embed-evidence"), previous: c.String("previous")}
}

// packageOptionsOf is how the package of o is written, signed by s; unless
// quiet, a terminal shows the build's steps.
func (env *environment) packageOptionsOf(ctx context.Context, o outputOptions, quiet bool, s *signerSource, demo bool) packageOptions {
	return packageOptions{out: o.out, force: o.force, zip: o.zip,
		embedEvidence: o.embedEvidence, demo: demo, signer: s, previous: o.previous,
		signingTime: env.now().UTC().Truncate(time.Second), ctx: ctx,
		progress: env.newProgress(quiet, "building package", "steps")}
}

// write evaluates a project and writes its signed package atomically.
func (env *environment) write(p *project, o packageOptions) error {
	if err := proj.Interrupted(o.ctx); err != nil {
		return err
	}
	if o.previous != "" {
		prev, err := readResultsData(o.previous)
		if err != nil {
			return fmt.Errorf("--previous: %w", err) // keeps the error's class and exit code
		}
		trust, err := previousTrust(o.previous, prev, o.signer)
		if err != nil {
			return err
		}
		o.prev = prev
		p.Inputs.Previous, p.Inputs.PreviousTrust = prev.results, trust
	}
	links := evidence.HardLinks(p.EvidenceFS)
	if o.embedEvidence && len(links) > 0 {
		return &inputError{fmt.Errorf("--embed-evidence: %s: %w", links[0], errHardLink)}
	}
	res, err := p.Evaluate()
	if err != nil {
		return err
	}
	if err := proj.Interrupted(o.ctx); err != nil {
		return err
	}
	printSummary(env.stdout, res)
	warnHardLinks(env.stderr, links)
	for _, w := range res.Warnings {
		warnf(env.stderr, "%s: %s", w.Source, w.Message)
	}
	return env.writePackage(p, res, o)
}

// errHardLink says why a hard-linked evidence file is reported, and refused
// for embedding.
var errHardLink = errors.New("a hard link to a file with other names outside the bundle; whoever can write those changes the evidence (copy the file into the bundle instead)")

// warnHardLinks reports a directory bundle's files that are hard links
// leaving it: the first few by name, then how many more.
func warnHardLinks(w io.Writer, links []string) {
	const shown = 10
	for i, l := range links {
		if i == shown {
			warnf(w, "%d more hard-linked evidence files", len(links)-shown)
			break
		}
		warnf(w, "%s: %v", l, errHardLink)
	}
}

func (env *environment) checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "evaluate the project and report, failing on chosen verdicts (for CI)",
		Flags: append(projectFlags(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(checkFormats, ", ")},
			previousFlag(),
			&cli.StringSliceFlag{Name: "fail-on", Value: cli.NewStringSlice(string(eval.NotSatisfied)), Usage: "exit 1 when a control has one of these verdicts (repeatable or comma-separated; none: never)"},
		),
		Action: func(c *cli.Context) error {
			return env.runCheck(c.Context, checkOptions{project: projectOptionsOf(c), format: c.String("format"),
				previous: c.String("previous"), failOn: c.StringSlice("fail-on")})
		},
	}
}

// checkOptions are check's options, wherever they were given.
type checkOptions struct {
	project          projectOptions
	format, previous string
	failOn           []string // verdicts as given, "none" among them
}

// runCheck evaluates the project and reports in the chosen format; the
// flags are checked before the project is read.
func (env *environment) runCheck(ctx context.Context, o checkOptions) error {
	failOn, err := parseVerdicts(o.failOn)
	if err != nil {
		return err
	}
	if err := checkOutputFlags(o.format, o.previous); err != nil {
		return err
	}
	p, err := env.loadFromDisk(ctx, o.project)
	if err != nil {
		return err
	}
	res, err := p.Evaluate()
	if err != nil {
		return err
	}
	if err := env.renderCheck(o.format, res, failOn, o.previous); err != nil {
		return err
	}
	warnHardLinks(env.stderr, evidence.HardLinks(p.EvidenceFS))
	return failures(res, failOn)
}

// failOnNone is the --fail-on value that reports without failing, for a
// CI job that only publishes the report.
const failOnNone = "none"

func parseVerdicts(list []string) ([]eval.Verdict, error) {
	var out []eval.Verdict
	none := false
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			v := eval.Verdict(strings.TrimSpace(s))
			if v == "" {
				continue
			}
			if v == failOnNone {
				none = true
				continue
			}
			if !eval.Valid(v) {
				return nil, &usageError{fmt.Sprintf("--fail-on: unknown verdict %q (valid: %s)%s", v, verdictList()+", or none",
					vocab.Hint(string(v), append(verdictNames(), failOnNone)))}
			}
			out = append(out, v)
		}
	}
	if !none && len(out) == 0 {
		// An empty list would mean "fail on nothing" without saying so.
		return nil, &usageError{fmt.Sprintf("--fail-on: no verdict given; use --fail-on %s to report without failing", failOnNone)}
	}
	if none && len(out) > 0 {
		return nil, &usageError{fmt.Sprintf("--fail-on: %q cannot be combined with verdicts (%s)", failOnNone, out[0])}
	}
	return out, nil
}

func verdictList() string { return strings.Join(verdictNames(), ", ") }

func verdictNames() []string {
	var s []string
	for _, v := range eval.Verdicts {
		s = append(s, string(v))
	}
	return s
}

// failures returns a failingError when any control's verdict is in failOn.
func failures(res *audit.Results, failOn []eval.Verdict) error {
	n := 0
	for _, c := range res.Controls {
		if slices.Contains(failOn, c.Verdict) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return &failingError{fmt.Sprintf("%d control(s) have a verdict in --fail-on", n)}
}

// printSummary, printWarnings and printFailing make the text report; every
// name in it comes from an input and is escaped (printable.String).
func printSummary(w io.Writer, r *audit.Results) {
	fmt.Fprintf(w, "%s — %s, as of %s\n", printable.String(r.Project.Organisation), printable.String(r.Project.System), printable.String(r.Project.AsOf))
	if r.Project.PeriodStart != "" {
		fmt.Fprintf(w, "audit period %s to %s\n", printable.String(r.Project.PeriodStart), printable.String(r.Project.PeriodEnd))
	}
	fmt.Fprintf(w, "model: %s (%s), %d components, %d flows, %d zones\n\n", printable.String(r.Model.Title), printable.String(string(r.Model.Source.Format)),
		len(r.Model.Components), len(r.Model.Flows), len(r.Model.Zones))
	countsTable(w, view.Of(r).Frameworks)
	fmt.Fprintf(w, "\nrules: %d rule results from %d rules; evidence: %d items, %d problems\n",
		len(r.RuleResults), len(r.Rules), len(r.Evidence.Items), len(r.Evidence.Problems))
}

// countsLegend explains the short column titles of countsTable.
const countsLegend = "confirm: scope to confirm, no-rule: no automated rule, judge: auditor judgement; tech-sat: technical part only"

// countsTable prints each framework's counts with satisfied and manual
// split into their parts, under a line grouping the parts of each, so that
// no column reads as requirements met.
func countsTable(w io.Writer, fws []view.Framework) {
	const col = 9 // " %8s"
	parts := view.Parts()
	width := len("framework")
	for _, f := range fws {
		width = max(width, len(printable.String(f.Info.Ref)))
	}
	group := strings.Repeat(" ", width)
	for i := 0; i < len(parts); {
		j := i + 1
		for j < len(parts) && parts[j].Verdict == parts[i].Verdict {
			j++
		}
		if j-i == 1 {
			group += strings.Repeat(" ", col)
		} else {
			group += " " + ruled(string(parts[i].Verdict), (j-i)*col-1)
		}
		i = j
	}
	fmt.Fprintln(w, strings.TrimRight(group, " "))
	fmt.Fprintf(w, "%-*s", width, "framework")
	for _, p := range parts {
		fmt.Fprintf(w, " %8s", p.Short)
	}
	fmt.Fprintf(w, " %8s\n", "total")
	for _, f := range fws {
		fmt.Fprintf(w, "%-*s", width, printable.String(f.Info.Ref))
		for _, p := range parts {
			fmt.Fprintf(w, " %8d", p.Of(f.Counts))
		}
		fmt.Fprintf(w, " %8d\n", f.Counts.Total)
	}
	fmt.Fprintln(w, countsLegend)
}

// ruled centres label in a line of dashes n bytes wide.
func ruled(label string, n int) string {
	pad := max(n-len(label)-2, 0)
	return strings.Repeat("-", pad/2) + " " + label + " " + strings.Repeat("-", pad-pad/2)
}

// printWarnings lists the run's warnings (overlay entries that match
// nothing, tags that are near misses, what an importer could not map) in
// the text report.
func printWarnings(w io.Writer, r *audit.Results) {
	if len(r.Warnings) == 0 {
		return
	}
	fmt.Fprintf(w, "\nwarnings (%d):\n", len(r.Warnings))
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "  %s: %s\n", printable.String(x.Source), printable.String(x.Message))
	}
}

func printFailing(w io.Writer, r *audit.Results, failOn []eval.Verdict) {
	first := true
	for _, c := range r.Controls {
		if !slices.Contains(failOn, c.Verdict) {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nfailing controls:")
			first = false
		}
		fmt.Fprintf(w, "  %-16s %-38s %s\n", printable.String(string(c.Verdict)), printable.String(c.Ref), printable.String(c.Reason))
	}
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
