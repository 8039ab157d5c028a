package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/printable"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
	"github.com/urfave/cli/v2"
)

func fsReadFile(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	return data, nil
}

func (env *environment) explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "show how a control was judged: rules, elements, mitigations, evidence",
		ArgsUsage: "CONTROL (e.g. pci-dss@4.0.1:4.2.1 or 4.2.1)",
		Flags:     append(projectFlags(), &cli.BoolFlag{Name: "demo", Usage: "explain the built-in example"}),
		Action: func(c *cli.Context) error {
			return env.runExplain(c.Context, explainOptions{project: projectOptionsOf(c), demo: c.Bool("demo"), control: c.Args().First()})
		},
	}
}

// explainOptions are explain's options, wherever they were given.
type explainOptions struct {
	project projectOptions
	demo    bool   // explain the built-in example instead of the project
	control string // a control's full reference or its id
}

// runExplain evaluates the project, or the built-in example, and explains
// one control.
func (env *environment) runExplain(ctx context.Context, o explainOptions) error {
	var p *project
	var err error
	if o.demo {
		p, err = env.loadDemo(ctx, o.project)
	} else {
		p, err = env.loadFromDisk(ctx, o.project)
	}
	if err != nil {
		return err
	}
	res, err := p.Evaluate()
	if err != nil {
		return err
	}
	return env.explain(res, o.control)
}

func (env *environment) explain(res *audit.Results, arg string) error {
	var matches []audit.Control
	for _, ctl := range res.Controls {
		if ctl.Ref == arg || ctl.ID == arg {
			matches = append(matches, ctl)
		}
	}
	if len(matches) == 0 {
		return &usageError{fmt.Sprintf("no control %q in the selected frameworks", arg)}
	}
	if len(matches) > 1 {
		return &usageError{fmt.Sprintf("%q is ambiguous; give the full reference", arg)}
	}
	ctl, w := matches[0], env.stdout
	fmt.Fprintf(w, "%s  %s\nverdict: %s   coverage: %s", printable.String(ctl.Ref), printable.String(ctl.Name), printable.String(string(ctl.Verdict)), printable.String(string(ctl.Coverage)))
	if ctl.Manual != "" {
		fmt.Fprintf(w, "   manual: %s", printable.String(string(ctl.Manual)))
	}
	fmt.Fprintf(w, "\n%s\n", printable.String(ctl.Reason))
	results := map[[2]string]*eval.Result{}
	for i := range res.RuleResults {
		rr := &res.RuleResults[i]
		results[[2]string{rr.Rule, rr.Element.ID}] = rr
	}
	for _, f := range ctl.Findings {
		rr := results[[2]string{f.Rule, f.Element.ID}]
		if rr == nil {
			continue
		}
		explainResult(w, *rr, f)
	}
	if len(ctl.Evidence) > 0 {
		fmt.Fprintf(w, "\nevidence naming this control: %s\n", escList(ctl.Evidence))
	}
	for _, t := range res.Threats {
		if slices.Contains(t.Controls, ctl.Ref) {
			fmt.Fprintf(w, "\nopen %s threat %s (%s): %s, on %s\n", printable.String(t.Severity), printable.String(t.ID), printable.String(t.Title), printable.String(t.Status), escList(t.Targets))
		}
	}
	if len(res.Scope.Findings) > 0 && strings.HasPrefix(ctl.Ref, "pci-dss@") {
		fmt.Fprintln(w, "\nscope findings:")
		for _, sf := range res.Scope.Findings {
			fmt.Fprintf(w, "  - [%s] %s\n", sf.Code, printable.String(sf.Message))
		}
	}
	return nil
}

// explainResult prints one rule result as it counts for a control: why the
// element is in scope, where each capability had to sit and what was found
// there, then the reasons and the evidence.
func explainResult(w io.Writer, rr eval.Result, f audit.Finding) {
	fmt.Fprintf(w, "\n%s on %s %q: %s", printable.String(rr.Rule), printable.String(string(rr.Element.Kind)), rr.Element.Name, printable.String(string(f.Verdict)))
	if f.Verdict != f.Assessed {
		fmt.Fprintf(w, " (assessed %s)", printable.String(string(f.Assessed)))
	}
	if f.Exception != "" {
		fmt.Fprintf(w, " (exception %s)", printable.String(f.Exception))
	}
	if f.Deviation != "" {
		fmt.Fprintf(w, " (%s reported beside it, not excepted)", printable.String(f.Deviation))
	}
	if f.Relationship != "" {
		fmt.Fprintf(w, " [%s]", printable.String(string(f.Relationship)))
	}
	fmt.Fprintln(w)
	if f.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", printable.String(f.Note))
	}
	if s := rr.Scope; s != nil {
		if s.Class != "" {
			fmt.Fprintf(w, "  PCI DSS scope: %s, because it %s\n", printable.String(string(s.Class)), printable.String(strings.Join(s.Why, "; ")))
		}
		if len(s.Route) > 0 {
			fmt.Fprintf(w, "  reached from an untrusted network by: %s\n", printable.String(strings.Join(s.Route, " → ")))
		}
		if len(s.Unknown) > 0 {
			fmt.Fprintf(w, "  unknown: %s\n", escList(s.Unknown))
		}
	}
	for _, p := range rr.Placements {
		var places []string
		for _, e := range p.Places {
			places = append(places, fmt.Sprintf("%s %q", e.Kind, e.Name))
		}
		where := "nowhere: the model has no such place"
		if len(places) > 0 {
			where = strings.Join(places, ", ")
		}
		found := "nothing counted"
		if len(p.Found) > 0 {
			found = "found " + escList(p.Found)
		}
		fmt.Fprintf(w, "  %s had to sit at %s: %s; %s\n", printable.String(string(p.Capability)), printable.String(string(p.LocatedAt)), where, found)
	}
	for _, r := range rr.Reasons {
		fmt.Fprintf(w, "  - [%s] %s\n", r.Code, printable.String(r.Message))
	}
	for _, e := range rr.Evidence {
		for _, file := range e.Files {
			fmt.Fprintf(w, "  evidence %s (%s, collected %s): %s sha256:%s\n", printable.String(e.Item), e.Status, printable.String(e.CollectedAt), printable.String(file.Path), short(file.SHA256))
		}
	}
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}

func (env *environment) frameworksCommand() *cli.Command {
	return &cli.Command{
		Name:  "frameworks",
		Usage: "list the built-in framework catalogs or show one",
		Subcommands: []*cli.Command{
			{Name: "list", Usage: "list catalogs with their control counts", Action: func(c *cli.Context) error {
				return env.runFrameworksList(c.Context)
			}},
			{Name: "show", ArgsUsage: "FRAMEWORK", Usage: "show a catalog's hierarchy", Action: func(c *cli.Context) error {
				return env.runFrameworksShow(c.Context, frameworksShowOptions{framework: c.Args().First()})
			}},
		},
	}
}

// runFrameworksList lists the built-in catalogs and their baselines with
// their control counts; it takes no options.
func (env *environment) runFrameworksList(_ context.Context) error {
	reg, err := frameworks.Builtin()
	if err != nil {
		return err
	}
	for _, cat := range reg.Catalogs() {
		fmt.Fprintf(env.stdout, "%-28s %4d controls  %s\n", cat.Ref(), len(cat.Controls()), cat.Title)
		for _, b := range cat.Baselines {
			sel, err := cat.Baseline(b.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "  %-26s %4d controls  %s (%s)\n", "#"+b.ID, len(sel.Controls()), b.Title, strings.Join(b.Aliases, ", "))
		}
	}
	return nil
}

// frameworksShowOptions are frameworks show's options.
type frameworksShowOptions struct {
	framework string // a catalog reference, as frameworks.Registry.Lookup takes it
}

// runFrameworksShow prints one catalog's hierarchy.
func (env *environment) runFrameworksShow(_ context.Context, o frameworksShowOptions) error {
	reg, err := frameworks.Builtin()
	if err != nil {
		return err
	}
	cat, err := reg.Lookup(o.framework)
	if err != nil {
		return &usageError{err.Error()}
	}
	fmt.Fprintf(env.stdout, "%s — %s\n%s\n\n", cat.Ref(), cat.Title, cat.LicenseNotice)
	for _, n := range cat.Nodes {
		depth := len(cat.Ancestors(n.ID))
		fmt.Fprintf(env.stdout, "%s%-12s %s\n", strings.Repeat("  ", depth), n.ID, n.Name())
	}
	return nil
}

func (env *environment) rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list, show or lint mapping rules",
		Subcommands: []*cli.Command{
			{Name: "list", Usage: "list the built-in rules", Action: func(c *cli.Context) error {
				return env.runRulesList(c.Context)
			}},
			{Name: "show", ArgsUsage: "RULE", Usage: "show one rule", Action: func(c *cli.Context) error {
				return env.runRulesShow(c.Context, rulesShowOptions{rule: c.Args().First()})
			}},
			{Name: "lint", ArgsUsage: "[FILE...]", Usage: "check the built-in rules and the given rule files", Action: func(c *cli.Context) error {
				return env.runRulesLint(c.Context, rulesLintOptions{files: c.Args().Slice()})
			}},
		},
	}
}

// runRulesList lists the built-in rules with the controls each satisfies;
// it takes no options.
func (env *environment) runRulesList(_ context.Context) error {
	sets, err := mappings.Builtin()
	if err != nil {
		return err
	}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			var ctls []string
			for _, s := range r.Satisfies {
				ctls = append(ctls, s.Control)
			}
			fmt.Fprintf(env.stdout, "%-40s %-10s %s\n", r.ID, r.AppliesTo.Element, strings.Join(ctls, " "))
		}
	}
	return nil
}

// rulesShowOptions are rules show's options.
type rulesShowOptions struct {
	rule string // a built-in rule's id
}

// runRulesShow prints one built-in rule as JSON.
func (env *environment) runRulesShow(_ context.Context, o rulesShowOptions) error {
	sets, err := mappings.Builtin()
	if err != nil {
		return err
	}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			if r.ID == o.rule {
				return printJSON(env.stdout, r)
			}
		}
	}
	return &usageError{fmt.Sprintf("no rule %q (see auditpack rules list)", o.rule)}
}

// rulesLintOptions are rules lint's options.
type rulesLintOptions struct {
	files []string // rule files checked beside the built-in rules
}

// runRulesLint checks the built-in rules and the given rule files
// together, against the built-in catalogs.
func (env *environment) runRulesLint(_ context.Context, o rulesLintOptions) error {
	sets, err := mappings.Builtin()
	if err != nil {
		return err
	}
	for _, name := range o.files {
		data, err := readUserFile(name, "", int64(mappings.Limits.Size))
		if err != nil {
			return err
		}
		rs, err := mappings.Parse(name, data)
		if err != nil {
			return err
		}
		sets = append(sets, rs)
	}
	reg, err := frameworks.Builtin()
	if err != nil {
		return err
	}
	if err := mappings.Lint(sets, mappings.Resolver(reg)); err != nil {
		return err
	}
	n := 0
	for _, rs := range sets {
		n += len(rs.Rules)
	}
	fmt.Fprintf(env.stdout, "%d rules in %d files: ok\n", n, len(sets))
	return nil
}

func (env *environment) evidenceCommand() *cli.Command {
	return &cli.Command{
		Name:  "evidence",
		Usage: "work with evidence bundles",
		Subcommands: []*cli.Command{
			env.evidenceInitCommand(),
			env.evidenceFactsCommand(),
			{
				Name: "verify", ArgsUsage: "DIR|ZIP", Usage: "hash every file of a bundle (a directory or a .zip) and judge freshness",
				Flags: []cli.Flag{&cli.StringFlag{Name: "as-of", EnvVars: []string{"AUDITPACK_AS_OF"}, Usage: "as-of `DATE` (default: today)"}, quietFlag()},
				Action: func(c *cli.Context) error {
					return env.runEvidenceVerify(c.Context, evidenceVerifyOptions{bundle: c.Args().First(), asOf: c.String("as-of"), quiet: c.Bool("quiet")})
				},
			},
		},
	}
}

// evidenceVerifyOptions are evidence verify's options, wherever they were
// given.
type evidenceVerifyOptions struct {
	bundle string // a directory or a .zip, relative to the working directory
	asOf   string // YYYY-MM-DD; empty: today
	quiet  bool
}

// runEvidenceVerify hashes every file of a bundle, judges freshness as of
// the date given or today, and reports it (see reportEvidence).
func (env *environment) runEvidenceVerify(ctx context.Context, o evidenceVerifyOptions) error {
	asOf := env.now().UTC().Truncate(24 * time.Hour)
	if s := o.asOf; s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return &usageError{fmt.Sprintf("--as-of %q is not a date (YYYY-MM-DD)", s)}
		}
		asOf = t
	}
	fsys, display, err := proj.DiskFiles{Base: "."}.Dir(o.bundle)
	if err != nil {
		return err
	}
	m, err := evidence.Load(fsys, display)
	if err != nil {
		return &inputError{err}
	}
	opts := evidence.Options{AsOf: asOf, ReadFacts: env.readFacts}
	bar := env.newProgress(o.quiet, "hashing evidence", "files")
	if bar != nil {
		opts.Progress = bar
	}
	x, err := evidence.VerifyContext(ctx, fsys, m, opts)
	bar.Finish()
	if err != nil {
		return &inputError{err}
	}
	warnHardLinks(env.stderr, evidence.HardLinks(fsys))
	return env.reportEvidence(x)
}

// reportEvidence prints a verified bundle: a line per item, then under it
// what its files say (format, tool, targets) and its facts, each marked
// read (with the file and place) or stated, not read. Damaged, missing or
// undeclared files, and files of a known format that do not parse, are
// integrity failures (exit 3); stale or out-of-period items exit 1. A
// disagreement between a read and a stated fact, or between the stated
// collection date and the file's own, is listed but fails nothing: the
// file decides.
func (env *environment) reportEvidence(x *evidence.Index) error {
	// A line per item and per problem: buffered, a large bundle's report
	// is a few writes rather than tens of thousands.
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	files := 0
	for _, st := range x.Items {
		status := "ok"
		if p, bad := st.Disqualifying(); bad {
			status = string(p.Type)
		}
		files += len(st.Files)
		fmt.Fprintf(out, "%-30s %-14s %-12s %s\n", printable.String(st.Item.ID), printable.String(st.Item.Kind), status, printable.String(st.Item.CollectedAt))
		itemFacts(out, st)
	}
	fmt.Fprintf(out, "\n%d items, %d files, %d problems\n", len(x.Items), files, len(x.Problems))
	integrity, fresh := 0, 0
	for _, p := range x.Problems {
		where := p.Item
		if p.File != "" {
			where = strings.TrimPrefix(where+" "+p.File, " ")
		}
		fmt.Fprintf(out, "  %-16s %s: %s\n", p.Type, printable.String(where), printable.String(p.Message))
		switch {
		case slices.Contains([]evidence.ProblemType{evidence.MissingFile, evidence.HashMismatch, evidence.UnreadableFile, evidence.UndeclaredFile, evidence.FactsUnreadable}, p.Type):
			integrity++
		case p.Disqualifies():
			fresh++
		}
	}
	switch {
	case integrity > 0:
		return &integrityError{fmt.Sprintf("%d integrity problem(s) in the evidence bundle", integrity)}
	case fresh > 0:
		return &failingError{fmt.Sprintf("%d freshness problem(s) in the evidence bundle", fresh)}
	}
	return nil
}

// itemFacts writes, under an item's line, what each of its files was read
// as and every fact of the item with its source.
func itemFacts(w io.Writer, st *evidence.ItemStatus) {
	for _, fr := range st.Reads {
		switch {
		case fr.Error != "":
			fmt.Fprintf(w, "    %s: unreadable: %s\n", printable.String(fr.Path), printable.String(fr.Error))
		case fr.Read != nil:
			fmt.Fprintf(w, "    %s: %s (%s)\n", printable.String(fr.Path), printable.String(fr.Read.Format), printable.String(fr.Read.Tool))
		}
	}
	if len(st.Targets) > 0 {
		fmt.Fprintf(w, "    covers: %s\n", escList(st.Targets))
	}
	for _, f := range st.Facts {
		v := evidence.FactValue(f.Value)
		name := f.Name
		if f.Target != "" {
			name += " [" + f.Target + "]"
		}
		if f.Source != evidence.SourceRead {
			fmt.Fprintf(w, "    stated %s = %s  (stated, not read)\n", printable.String(name), printable.String(v))
			continue
		}
		where := f.File
		if f.At != "" {
			where += " at " + f.At
		}
		fmt.Fprintf(w, "    read   %s = %s  (%s", printable.String(name), printable.String(v), printable.String(where))
		if f.Stated != nil {
			fmt.Fprintf(w, "; stated %s", printable.String(evidence.FactValue(f.Stated)))
		}
		fmt.Fprintln(w, ")")
	}
}
