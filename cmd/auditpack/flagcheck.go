package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// emptyHint says, for a flag whose empty value someone may have meant as
// "nothing", how to say that.
var emptyHint = map[string]string{
	"fail-on": "; use --fail-on none to report without failing",
}

// checkFlags refuses what urfave/cli would accept silently in the flags of
// one command, toks being those flags as flagsFirst arranged them (each
// flag that takes a value followed by it, unless written --flag=value):
//
//   - an empty or blank value: every flag that takes a value names a file,
//     a directory, a date, a fingerprint or a choice, and an empty one
//     would quietly mean the default (`--out=` writing ./auditpack-package,
//     `--fail-on ""` turning the gate off, `--signer-fingerprint=`
//     dropping the pin);
//   - a flag that takes one value given twice: urfave/cli keeps the last,
//     so `--signer-fingerprint A --signer-fingerprint B` would pin B
//     without a word. Flags that take a list stay repeatable.
//   - a required flag left out, unless its environment variable is set:
//     urfave/cli would print the help to standard output and fail with an
//     error that is not a usage error.
//
// A flag on the command line overrides its environment variable, as
// documented, so the two are not a repetition; a variable that is set but
// empty, for a flag not given, is refused like an empty value.
func checkFlags(flags []cli.Flag, toks []string) error {
	seen := map[string]bool{}
	for i := 0; i < len(toks); i++ {
		a := toks[i]
		if a == "--" {
			break
		}
		if !isFlag(a) {
			continue
		}
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := flagNamed(flags, name)
		if f == nil || !valued(f) {
			continue // unknown flags are urfave/cli's to refuse
		}
		if !inline {
			if i+1 == len(toks) {
				continue // no value: urfave/cli says so
			}
			i++
			value = toks[i]
		}
		canon := f.Names()[0]
		if multiValued(f) {
			if strings.Trim(value, ", \t") == "" {
				return &usageError{fmt.Sprintf("--%s: empty value %q: give at least one%s", canon, value, emptyHint[canon])}
			}
			seen[canon] = true
			continue
		}
		if strings.TrimSpace(value) == "" {
			return &usageError{fmt.Sprintf("--%s: empty value%s", canon, emptyHint[canon])}
		}
		if seen[canon] {
			return &usageError{fmt.Sprintf("--%s given twice: it takes one value", canon)}
		}
		seen[canon] = true
	}
	for _, f := range flags {
		canon := f.Names()[0]
		if _, isBool := f.(*cli.BoolFlag); isBool && !seen[canon] {
			// A switch set from the environment: urfave/cli would read
			// "" as false without a word and answer "yes" with Go's parse
			// error.
			if name, value, set := fromEnv(f); set {
				if _, err := strconv.ParseBool(strings.TrimSpace(value)); err != nil {
					return &usageError{fmt.Sprintf("%s (for --%s) is %q: set it to true or false, or unset it", name, canon, value)}
				}
			}
			continue
		}
		if seen[canon] || !valued(f) {
			continue
		}
		name, value, set := fromEnv(f)
		if set && strings.Trim(value, ", \t") == "" {
			// urfave/cli would take the empty value as given.
			return &usageError{fmt.Sprintf("%s (for --%s) is set but empty; unset it or give a value%s", name, canon, emptyHint[canon])}
		}
		if r, ok := f.(cli.RequiredFlag); ok && r.IsRequired() && !set {
			return &usageError{fmt.Sprintf("--%s is required", canon)}
		}
	}
	return nil
}

// fromEnv returns the first of f's environment variables that is set, as
// urfave/cli reads them, and its value.
func fromEnv(f cli.Flag) (name, value string, set bool) {
	e, ok := f.(interface{ GetEnvVars() []string })
	if !ok {
		return "", "", false
	}
	for _, name := range e.GetEnvVars() {
		if value, set := os.LookupEnv(strings.TrimSpace(name)); set {
			return name, value, true
		}
	}
	return "", "", false
}

// multiValued reports whether f collects every value it is given.
func multiValued(f cli.Flag) bool {
	switch f.(type) {
	case *cli.StringSliceFlag, *cli.IntSliceFlag, *cli.Int64SliceFlag, *cli.UintSliceFlag,
		*cli.Uint64SliceFlag, *cli.Float64SliceFlag:
		return true
	}
	return false
}
