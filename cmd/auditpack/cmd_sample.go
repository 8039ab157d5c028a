package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/urfave/cli/v2"
)

func (env *environment) sampleCommand() *cli.Command {
	return &cli.Command{
		Name:      "sample",
		Usage:     "draw a package's samples again from its results: the same seed, size and members; a larger size keeps them",
		ArgsUsage: "PKG (a package directory, a package .zip or a results.json)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "control", Usage: "only the samples of this control (e.g. pci-dss@4.0.1:1.2.5 or 1.2.5)"},
			&cli.IntFlag{Name: "sample-size", Usage: "draw this many members instead of the table's size (at most the population)"},
		},
		Action: func(c *cli.Context) error {
			return env.runSample(c.Context, sampleOptions{pkg: c.Args().First(), control: c.String("control"),
				size: c.Int("sample-size"), sizeSet: c.IsSet("sample-size")})
		},
	}
}

// sampleOptions are sample's options.
type sampleOptions struct {
	pkg     string // a package directory, a package .zip or a results.json
	control string // a control's full reference or its id; "" for every control
	size    int    // the size to draw; the table's when not set
	sizeSet bool
}

// runSample draws each recorded sample again from the package's results
// and prints it. The draw at the table's size must be the sample the
// package records: one that differs was edited, or the results were
// (exit 3).
func (env *environment) runSample(_ context.Context, o sampleOptions) error {
	if o.sizeSet && o.size < 1 {
		return &usageError{fmt.Sprintf("--sample-size must be at least 1, got %d", o.size)}
	}
	l, err := readResultsAs(o.pkg, true)
	if err != nil {
		return err
	}
	res := l.results
	samples := res.Samples
	if o.control != "" {
		ref, err := controlRef(res, o.control)
		if err != nil {
			return err
		}
		samples = slices.DeleteFunc(slices.Clone(samples), func(s audit.Sample) bool { return s.Control != ref })
		if len(samples) == 0 {
			return &usageError{fmt.Sprintf("control %s has no sample: no population of two or more elements or occurrences", printable.String(ref))}
		}
	}
	if len(samples) == 0 {
		return &usageError{fmt.Sprintf("%s records no samples (results written before auditpack drew samples, or no control with a population to sample)", printable.String(l.name))}
	}
	x := audit.NewSampler(res)
	for i, s := range samples {
		again, err := x.Redraw(s, 0)
		if err != nil {
			return &integrityError{fmt.Sprintf("%s: %v", printable.String(l.name), err)}
		}
		if !sameSample(again, s) {
			return &integrityError{fmt.Sprintf("%s: the sample of %s (%s) it records is not what its results and inputs draw: seed %s, members %s; drawn: seed %s, members %s",
				printable.String(l.name), printable.String(s.Control), printable.String(s.Of()), printable.String(s.Seed), memberList(s), again.Seed, memberList(again))}
		}
		if o.sizeSet {
			if again, err = x.Redraw(s, o.size); err != nil {
				return &integrityError{fmt.Sprintf("%s: %v", printable.String(l.name), err)}
			}
		}
		if i > 0 {
			fmt.Fprintln(env.stdout)
		}
		printSample(env.stdout, again, s.Size)
	}
	return nil
}

// controlRef finds the control arg names, by its full reference or its id.
func controlRef(res *audit.Results, arg string) (string, error) {
	var refs []string
	for _, c := range res.Controls {
		if c.Ref == arg || c.ID == arg {
			refs = append(refs, c.Ref)
		}
	}
	switch len(refs) {
	case 0:
		return "", &usageError{fmt.Sprintf("no control %q in the package's frameworks", printable.String(arg))}
	case 1:
		return refs[0], nil
	}
	return "", &usageError{fmt.Sprintf("%q is ambiguous (%s); give the full reference", printable.String(arg), escList(refs))}
}

// sameSample reports whether two samples draw the same members with the
// same seed, size and population.
func sameSample(a, b audit.Sample) bool {
	return a.Control == b.Control && a.Population == b.Population && a.Requirement == b.Requirement &&
		a.Frequency == b.Frequency && a.PopulationSize == b.PopulationSize && a.Seed == b.Seed && a.Size == b.Size &&
		slices.Equal(a.Members, b.Members)
}

func memberList(s audit.Sample) string {
	ids := make([]string, len(s.Members))
	for i, m := range s.Members {
		ids[i] = m.ID
	}
	return "[" + escList(ids) + "]"
}

// printSample writes one sample: what it is drawn from, its seed and size,
// then its members in draw order, each with the first 16 digits of its
// key. Members past recorded, the package's own size, are marked added.
func printSample(w io.Writer, s audit.Sample, recorded int) {
	fmt.Fprintf(w, "%s  %s\n", printable.String(s.Control), printable.String(s.Of()))
	fmt.Fprintf(w, "  population %d, size %d (%s)\n", s.PopulationSize, s.Size, printable.String(s.SizeBasis()))
	switch {
	case s.Size > recorded:
		fmt.Fprintf(w, "  the package's sample is the first %d\n", recorded)
	case s.Size < recorded:
		fmt.Fprintf(w, "  the first %d of the package's sample of %d\n", s.Size, recorded)
	}
	fmt.Fprintf(w, "  seed %s\n", s.Seed)
	for i, m := range s.Members {
		fmt.Fprintf(w, "  %3d  %s  %s %s", i+1, m.Key[:16], printable.String(m.Kind), elementName(m.ID, m.Name))
		if m.Date != "" {
			fmt.Fprintf(w, ", %s", printable.String(m.Date))
		}
		if i >= recorded {
			fmt.Fprint(w, "  (added)")
		}
		fmt.Fprintln(w)
	}
}
