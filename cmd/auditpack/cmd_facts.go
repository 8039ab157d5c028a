package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/urfave/cli/v2"
)

// factsFormats are the output formats of evidence facts.
var factsFormats = []string{"text", "json"}

func (env *environment) evidenceFactsCommand() *cli.Command {
	return &cli.Command{
		Name: "facts", ArgsUsage: "FILE",
		Usage: "show the format detected in one evidence file and every fact read from it, with where in the file it came from",
		Flags: []cli.Flag{&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(factsFormats, ", ")}},
		Action: func(c *cli.Context) error {
			return env.runEvidenceFacts(c.Context, factsOptions{file: c.Args().First(), format: c.String("format")})
		},
	}
}

// factsOptions are evidence facts' options.
type factsOptions struct {
	file   string // the evidence file, as the user named it
	format string // one of factsFormats
}

// runEvidenceFacts prints what one evidence file states; the format is
// checked before the file is read.
func (env *environment) runEvidenceFacts(_ context.Context, o factsOptions) error {
	if err := checkFormat(o.format, factsFormats); err != nil {
		return err
	}
	read, err := readFactsFile(o.file, env.readFacts)
	if err != nil {
		return err
	}
	if o.format == "json" {
		return printJSON(env.stdout, stableRead(read))
	}
	return printFacts(env.stdout, o.file, read)
}

// readFactsFile reads the facts of the evidence file the user named. The file
// is opened as every named input is (a directory, pipe or device is
// refused) and read no further than the size its handle had when opened,
// however long it is: parsers stream, so memory grows with the facts, not
// with the file. A file no format recognises is bad input here, unlike in
// a bundle: the user asked what it states, and it states nothing auditpack
// can read. readFacts reads the facts (see environment).
func readFactsFile(name string, readFacts func(io.Reader) (*facts.Read, error)) (*facts.Read, error) {
	f, err := rootfs.Open(name, name)
	if err != nil {
		return nil, inputFileError(name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, inputFileError(name, err)
	}
	read, err := readFacts(io.LimitReader(f, fi.Size()))
	var fe *facts.Error
	switch {
	case errors.As(err, &fe):
		return nil, &inputError{fmt.Errorf("%s: %w", name, err)}
	case err != nil:
		return nil, inputFileError(name, err)
	case read == nil:
		return nil, &inputError{&unrecognisedError{name}}
	}
	return read, nil
}

// unrecognisedError is a file asked about that no evidence format
// recognises; it lists the formats that are read.
type unrecognisedError struct{ name string }

func (e *unrecognisedError) Error() string {
	var ids []string
	for _, f := range facts.Formats() {
		ids = append(ids, f.ID)
	}
	return fmt.Sprintf("%s: no known evidence format recognised (formats: %s)", e.name, strings.Join(ids, ", "))
}

// stableRead is read as --format json prints it: lists that are empty are
// [] rather than null, so that a consumer sees one shape.
func stableRead(r *facts.Read) *facts.Read {
	out := *r
	if out.Facts == nil {
		out.Facts = []facts.Fact{}
	}
	return &out
}

// printFacts writes what one file says, in the order package facts sorts
// it: the whole-file facts by name, then each target with its names and its
// facts, then the checks. Values are written as JSON, one canonical form
// for every type, so that "1.2" the version and 1.2 a number never look
// alike.
func printFacts(w io.Writer, name string, r *facts.Read) error {
	out := bufio.NewWriter(w)
	fmt.Fprintf(out, "file:   %s\n", printable.String(name))
	fmt.Fprintf(out, "format: %s (%s)\n", printable.String(r.Format), printable.String(formatName(r.Format)))
	fmt.Fprintf(out, "tool:   %s\n", printable.String(r.Tool))
	fmt.Fprintf(out, "\nfacts about the whole file (%d):\n", len(r.Facts))
	if len(r.Facts) == 0 {
		fmt.Fprintln(out, "  (none)")
	}
	factLines(out, "  ", r.Facts)
	targets := targetNames(r)
	if len(targets) > 0 {
		fmt.Fprintf(out, "\ntargets (%d):\n", len(targets))
	}
	for _, t := range targets {
		fmt.Fprintf(out, "  %s\n", printable.String(t))
		if i := slices.IndexFunc(r.Covered, func(c facts.Target) bool { return c.Name == t }); i >= 0 && len(r.Covered[i].Aliases) > 0 {
			fmt.Fprintf(out, "    also known as: %s\n", escList(r.Covered[i].Aliases))
		}
		factLines(out, "    ", r.TargetFacts(t))
	}
	if len(r.Checks) > 0 {
		fmt.Fprintf(out, "\nchecks (%d):\n", len(r.Checks))
		for _, c := range r.Checks {
			fmt.Fprintf(out, "  %s: %d failed, %d passed", printable.String(c.ID), c.Failed, c.Passed)
			if len(c.Requirements) > 0 {
				fmt.Fprintf(out, "; requirements %s", escList(c.Requirements))
			}
			fmt.Fprintf(out, "  (at %s)\n", printable.String(c.At))
		}
	}
	return out.Flush()
}

// factLines writes one line per fact: its name, its value and where it
// was read.
func factLines(w io.Writer, indent string, fs []facts.Fact) {
	width := 0
	for _, f := range fs {
		width = max(width, len(f.Name))
	}
	for _, f := range fs {
		fmt.Fprintf(w, "%s%-*s %s  (at %s)\n", indent, width, printable.String(f.Name), printable.String(evidence.FactValue(f.Value)), printable.String(f.At))
	}
}

// targetNames lists every target a file names, covered or carrying facts,
// sorted.
func targetNames(r *facts.Read) []string {
	var out []string
	for _, c := range r.Covered {
		out = append(out, c.Name)
	}
	for _, f := range r.Targets {
		out = append(out, f.Target)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func formatName(id string) string {
	for _, f := range facts.Formats() {
		if f.ID == id {
			return f.Name
		}
	}
	return id
}
