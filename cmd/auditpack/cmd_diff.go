package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/auditpack/auditpack/reports/markdown"
	"github.com/urfave/cli/v2"
)

// diffFormats are the output formats of diff, in the order help lists them.
var diffFormats = []string{"text", "json", "markdown"}

func (env *environment) diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "show what changed between two packages or results: regressions, scope, evidence, exceptions",
		ArgsUsage: "OLD NEW (each a package directory, a package .zip or a results.json)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(diffFormats, ", ")},
			&cli.BoolFlag{Name: "fail-on-regression", Usage: "exit 1 when any control's verdict got worse"},
		},
		Action: func(c *cli.Context) error {
			return env.runDiff(c.Context, diffOptions{old: c.Args().Get(0), new: c.Args().Get(1), format: c.String("format"),
				failOnRegression: c.Bool("fail-on-regression")})
		},
	}
}

// diffOptions are diff's options.
type diffOptions struct {
	old, new         string // each a package directory, a package .zip or a results.json
	format           string // one of diffFormats
	failOnRegression bool
}

// runDiff compares two results and writes the changes. The format is
// checked before any input is read, so a typo costs nothing.
func (env *environment) runDiff(_ context.Context, o diffOptions) error {
	format := o.format
	if err := checkFormat(format, diffFormats); err != nil {
		return err
	}
	// The two files are read at once, each on a core of its own: reading
	// (parsing and checking every element against the schema) is most of
	// a large diff. The older file's error, if any, is the one shown, as
	// when they were read one after the other.
	var (
		new    *audit.Results
		newErr error
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		new, newErr = readResults(o.new)
	}()
	old, err := readResults(o.old)
	<-done
	if err != nil {
		return err
	}
	if newErr != nil {
		return newErr
	}
	ch := diff.Compare(old, new)
	switch format {
	case "json":
		err = printJSON(env.stdout, ch)
	case "markdown":
		err = markdown.RenderChanges(env.stdout, ch, 0)
	default:
		err = printChanges(env.stdout, ch)
	}
	if err != nil {
		return err
	}
	if o.failOnRegression && ch.Regressed() {
		return &failingError{fmt.Sprintf("%d control(s) regressed since %s", ch.Summary.Regressions, printable.String(ch.Old.AsOf))}
	}
	return nil
}

// printChanges writes the changes for a terminal, one line per change.
func printChanges(w io.Writer, c *diff.Changes) error {
	fmt.Fprintf(w, "%s — %s: %s → %s\n", printable.String(c.New.Organisation), printable.String(c.New.System), printable.String(c.Old.AsOf), printable.String(c.New.AsOf))
	s := c.Summary
	fmt.Fprintf(w, "%d regression(s), %d improvement(s), %d control(s) added, %d removed; %d scope, %d evidence, %d exception, %d version change(s)\n",
		s.Regressions, s.Improvements, s.ControlsAdded, s.ControlsRemoved, s.Scope, s.Evidence, s.Exceptions, s.Versions)
	if c.Empty() {
		fmt.Fprintln(w, "nothing changed")
		return nil
	}
	if len(c.Controls) > 0 {
		fmt.Fprintln(w, "\ncontrols:")
		for _, cc := range c.Controls {
			fmt.Fprintf(w, "  %-11s %-34s %s → %s\n", cc.Direction, printable.String(cc.Ref), orDash(string(cc.From)), orDash(string(cc.To)))
			for _, f := range cc.Findings {
				fmt.Fprintf(w, "      %s on %s: %s → %s\n", printable.String(f.Rule), elementName(f.Element.ID, f.Element.Name), orDash(string(f.From)), orDash(string(f.To)))
			}
		}
	}
	if len(c.Scope) > 0 {
		fmt.Fprintln(w, "\nscope:")
		for _, sc := range c.Scope {
			fmt.Fprintf(w, "  %-8s %s %s", sc.Change, printable.String(sc.Element.Kind), elementName(sc.Element.ID, sc.Element.Name))
			if len(sc.RulesAdded) > 0 {
				fmt.Fprintf(w, "; into scope of %s", escList(sc.RulesAdded))
			}
			if len(sc.RulesRemoved) > 0 {
				fmt.Fprintf(w, "; out of scope of %s", escList(sc.RulesRemoved))
			}
			fmt.Fprintln(w)
		}
	}
	if len(c.Evidence) > 0 {
		fmt.Fprintln(w, "\nevidence:")
		for _, e := range c.Evidence {
			switch e.Change {
			case diff.EvidenceHashChanged:
				fmt.Fprintf(w, "  %-12s %s %s: %s → %s\n", e.Change, printable.String(e.Item), printable.String(e.File), e.OldSHA256, e.NewSHA256)
			default:
				fmt.Fprintf(w, "  %-12s %s (%s → %s)", e.Change, printable.String(e.Item), orDash(e.From), orDash(e.To))
				if e.Message != "" {
					fmt.Fprintf(w, ": %s", printable.String(e.Message))
				}
				fmt.Fprintln(w)
			}
		}
	}
	if len(c.Exceptions) > 0 {
		fmt.Fprintln(w, "\nexceptions:")
		for _, e := range c.Exceptions {
			fmt.Fprintf(w, "  %-8s %s (%s → %s), expires %s\n", e.Change, printable.String(e.ID), orDash(e.From), orDash(e.To), printable.String(e.ExpiresOn))
		}
	}
	if len(c.Versions) > 0 {
		fmt.Fprintln(w, "\nversions:")
		for _, v := range c.Versions {
			fmt.Fprintf(w, "  %-9s %s: %s → %s\n", v.Kind, printable.String(v.ID), orDash(v.From), orDash(v.To))
		}
	}
	printRequestChanges(w, c.Requests)
	return nil
}

// orDash is s escaped for one line, or "-" when there is none.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return printable.String(s)
}

func elementName(id, name string) string {
	switch {
	case id == "":
		return "(system)"
	case name == "" || name == id:
		return printable.String(id)
	}
	return printable.String(fmt.Sprintf("%s (%s)", id, name))
}
