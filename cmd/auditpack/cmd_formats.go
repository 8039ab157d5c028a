package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/reports/junit"
	"github.com/auditpack/auditpack/reports/markdown"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/sarif"
	"github.com/urfave/cli/v2"
)

// checkFormat refuses an unknown format name, listing the valid ones; a
// typo must never fall back to a default silently.
func checkFormat(format string, valid []string) error {
	if !slices.Contains(valid, format) {
		return &usageError{fmt.Sprintf("unknown format %q (valid: %s)", format, strings.Join(valid, ", "))}
	}
	return nil
}

// checkFormats are the output formats of check, in the order help lists
// them.
var checkFormats = []string{"text", "json", "sarif", "junit", "markdown", "oscal"}

// checkOutputFlags validates check's output flags before any work starts.
func checkOutputFlags(format, previous string) error {
	if err := checkFormat(format, checkFormats); err != nil {
		return err
	}
	if previous != "" && format != "markdown" {
		return &usageError{"--previous works with --format markdown only"}
	}
	return nil
}

// previousFlag lets a Markdown check report show the regressions since an
// earlier package or results file.
func previousFlag() cli.Flag {
	return &cli.StringFlag{Name: "previous", Usage: "with --format markdown: list regressions since this package `DIR`, package .zip or results.json"}
}

// renderCheck writes the results of check in format. Only the text format
// lists the controls failing under --fail-on itself; the others carry every
// verdict and leave the judging to the exit code. Every format carries the
// run's warnings; for the machine-readable ones they also go to stderr, so
// that a CI log shows them whatever the format.
func (env *environment) renderCheck(format string, res *audit.Results, failOn []eval.Verdict, previous string) error {
	if format != "text" {
		for _, w := range res.Warnings {
			warnf(env.stderr, "%s: %s", w.Source, w.Message)
		}
	}
	switch format {
	case "json":
		return resultsfile.EncodeTo(env.stdout, res)
	case "sarif":
		return sarif.Render(env.stdout, res)
	case "junit":
		return junit.Render(env.stdout, res)
	case "oscal":
		return oscal.Render(env.stdout, res)
	case "markdown":
		opts := markdown.Options{Attention: failOn}
		if previous != "" {
			old, err := readResults(previous)
			if err != nil {
				return err
			}
			opts.Changes = diff.Compare(old, res)
		}
		return markdown.Render(env.stdout, res, opts)
	}
	printSummary(env.stdout, res)
	printWarnings(env.stdout, res)
	printFailing(env.stdout, res, failOn)
	return nil
}
