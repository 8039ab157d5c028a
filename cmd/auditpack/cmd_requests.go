package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/auditpack/auditpack/reports/requests"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/urfave/cli/v2"
)

// requestsFormats are the output formats of requests.
var requestsFormats = []string{"text", "csv", "json"}

func (env *environment) requestsCommand() *cli.Command {
	return &cli.Command{
		Name:      "requests",
		Usage:     "list the evidence requests of a package: what is needed, for which requirement, from whom, by when",
		ArgsUsage: "PKG (a package directory, a package .zip or a results.json)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(requestsFormats, ", ")},
		},
		Action: func(c *cli.Context) error {
			return env.runRequests(c.Context, requestsOptions{pkg: c.Args().Get(0), format: c.String("format")})
		},
	}
}

// requestsOptions are requests' options.
type requestsOptions struct {
	pkg    string
	format string // one of requestsFormats
}

// runRequests prints the evidence requests results.json of a package
// carries. Results written before requests existed carry none, which is
// an input error rather than an empty list.
func (env *environment) runRequests(_ context.Context, o requestsOptions) error {
	if err := checkFormat(o.format, requestsFormats); err != nil {
		return err
	}
	res, err := readResults(o.pkg)
	if err != nil {
		return err
	}
	if res.Requests == nil {
		return &inputError{fmt.Errorf("%s: the results hold no evidence requests (written by an auditpack before they existed): build the package again", o.pkg)}
	}
	switch o.format {
	case "json":
		return printJSON(env.stdout, res.Requests)
	case "csv":
		// The terminal writer shows a carriage return escaped: lines end
		// in LF alone here, in CRLF in the package's requests.csv.
		return requests.WriteCSVLines(env.stdout, res.Requests, false)
	}
	return printRequests(env.stdout, res)
}

// printRequests writes the requests for a terminal: a heading line, then
// one block per request.
func printRequests(w io.Writer, res *audit.Results) error {
	fmt.Fprintf(w, "%s — %s, as of %s: %d evidence request(s)\n", printable.String(res.Project.Organisation),
		printable.String(res.Project.System), printable.String(res.Project.AsOf), len(res.Requests))
	for _, oc := range view.RequestOwners(res.Requests) {
		fmt.Fprintf(w, "  %3d  %s\n", oc.N, printable.String(view.OwnerText(oc.Owner)))
	}
	for i := range res.Requests {
		fmt.Fprintln(w)
		printRequest(w, &res.Requests[i], "")
	}
	return nil
}

// printRequest writes one request, each line after the first indented by
// indent and four spaces.
func printRequest(w io.Writer, r *audit.EvidenceRequest, indent string) {
	fmt.Fprintf(w, "%s%s  %s  %s", indent, r.ID, r.Need, printable.String(r.Rule))
	if r.Requirement != "" {
		fmt.Fprintf(w, " / %s", printable.String(r.Requirement))
	}
	fmt.Fprintln(w)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s    %-9s %s\n", indent, k+":", printable.String(v))
		}
	}
	line("controls", strings.Join(r.Controls, ", "))
	line("elements", view.ElementsText(r.Elements))
	line("needs", r.Shows)
	period := r.PeriodTo
	if r.PeriodFrom != "" {
		period = r.PeriodFrom + " to " + r.PeriodTo
	} else if period != "" {
		period = "up to " + period
	}
	line("period", period)
	owner := view.OwnerText(r.Owner)
	if r.OwnerSource != "" {
		owner += " (from " + r.OwnerSource + ")"
	}
	line("owner", owner)
	line("due", r.Due)
	line("items", strings.Join(r.Items, ", "))
	line("why", r.Reason)
}

// printRequestChanges writes what became of the old package's requests,
// or nothing when either results predate requests.
func printRequestChanges(w io.Writer, c *diff.RequestChanges) {
	if c == nil {
		return
	}
	fmt.Fprintf(w, "\nevidence requests: %d answered, %d still open, %d new\n", len(c.Answered), len(c.StillOpen), len(c.New))
	for _, part := range []struct {
		label string
		rs    []audit.EvidenceRequest
	}{{"answered", c.Answered}, {"still-open", c.StillOpen}, {"new", c.New}} {
		for i := range part.rs {
			r := &part.rs[i]
			fmt.Fprintf(w, "  %-10s %s  %-11s %s on %s\n", part.label, r.ID, r.Need, printable.String(r.Rule),
				printable.String(view.ElementsText(r.Elements)))
		}
	}
}
