package main

import (
	"strings"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
)

// flagsFirst lets flags follow positional arguments, as people type them
// (`evidence verify DIR -q`): urfave/cli, like Go's flag package, stops at
// the first argument that is not a flag and would take `-q` for a second
// directory. It walks the command path (command, subcommand), then moves
// every flag of the command reached, with its value, in front of the
// positional arguments, which follow a "--" so that one starting with a
// dash stays an argument. A "--" in the input ends the flags there too, and
// a flag that takes a value keeps the next argument as its value whatever
// it looks like (`--out -weird`). Unknown flags are moved like the others
// and left to urfave/cli to refuse by name.
//
// Seeing the command line as typed, it is also where the flags of the
// command reached are checked (see [checkFlags]): urfave/cli would keep the
// last of two values and take an empty one as given.
func flagsFirst(cmds []*cli.Command, args []string) ([]string, error) {
	if len(args) == 0 {
		return args, nil
	}
	out := []string{args[0]}
	var flags []cli.Flag
	var leaf *cli.Command
	i := 1
	for i < len(args) && leaf == nil {
		a := args[i]
		switch {
		case a == "--":
			return append(out, args[i:]...), nil
		case isFlag(a):
			out = append(out, a)
			if takesValue(flags, a) && i+1 < len(args) {
				out = append(out, args[i+1])
				i++
			}
			i++
			continue
		}
		c := lookup(cmds, a)
		if c == nil {
			return args, nil // not a command: urfave/cli reports it
		}
		out = append(out, a)
		i++
		flags = c.Flags
		if len(c.Subcommands) == 0 {
			leaf = c
			break
		}
		// A command with subcommands is the leaf unless one is named next.
		if next := nextWord(args[i:], flags); next == "" || lookup(c.Subcommands, next) == nil {
			leaf = c
			break
		}
		cmds = c.Subcommands
	}
	// A group named without a subcommand (or with "help") is left as it is.
	if leaf == nil || leaf.SkipFlagParsing || len(leaf.Subcommands) > 0 {
		return append(out, args[i:]...), nil
	}
	start := len(out)
	var positional []string
	help := false
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !isFlag(a) {
			positional = append(positional, a)
			continue
		}
		if takesValue(flags, a) {
			if i+1 == len(args) {
				// No value: urfave/cli says so, naming the flag, once it
				// is the last thing it reads.
				return append(out, a), nil
			}
			out = append(out, shortRun(flags, a)...)
			i++
			out = append(out, args[i])
			continue
		}
		out = append(out, shortRun(flags, a)...)
		help = help || (a == "-h" || a == "--help" || a == "-help") && flagNamed(flags, "h") == nil
	}
	if !help {
		if err := checkFlags(flags, out[start:]); err != nil {
			return nil, err
		}
	}
	// urfave/cli's help reads a positional argument as the name of a
	// command to describe; asked for help, a command shows its own.
	if len(positional) > 0 && !help {
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out, nil
}

// isFlag reports whether a looks like a flag; "-" alone is an argument
// (standard input).
func isFlag(a string) bool {
	return len(a) > 1 && a[0] == '-'
}

// nextWord is the first argument of args that is neither a flag nor a
// flag's value.
func nextWord(args []string, flags []cli.Flag) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			return ""
		case isFlag(a):
			if takesValue(flags, a) {
				i++
			}
		default:
			return a
		}
	}
	return ""
}

func lookup(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether the flag a (as typed, dashes included) is one
// that reads the next argument as its value: a known flag that is not
// boolean, written without "=value", or a run of one-letter flags (-qc)
// whose last letter is such a flag.
func takesValue(flags []cli.Flag, a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") || name == "" {
		return false
	}
	if f := flagNamed(flags, name); f != nil {
		return valued(f)
	}
	if strings.HasPrefix(a, "--") {
		return false
	}
	for j, r := range name {
		f := flagNamed(flags, string(r))
		if f == nil {
			return false
		}
		if j == len(name)-1 {
			return valued(f)
		}
		if valued(f) {
			return false // the rest of the run is this flag's value
		}
	}
	return false
}

// shortRun splits a run of one-letter flags the way getopt does: "-qc" is
// "-q -c", and in "-cFILE" or "-qcFILE" what follows a flag that takes a
// value is that value. urfave/cli would split "-cq" into "-c -q" and read
// the next argument as -c's value. Anything else is returned as it is.
func shortRun(flags []cli.Flag, a string) []string {
	name := a[1:]
	if strings.HasPrefix(a, "--") || strings.Contains(name, "=") || flagNamed(flags, name) != nil || len(name) < 2 {
		return []string{a}
	}
	var out []string
	for j, r := range name {
		f := flagNamed(flags, string(r))
		if f == nil {
			return []string{a}
		}
		out = append(out, "-"+string(r))
		if valued(f) && j+utf8.RuneLen(r) < len(name) {
			return append(out, name[j+utf8.RuneLen(r):])
		}
	}
	return out
}

func flagNamed(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func valued(f cli.Flag) bool {
	v, ok := f.(interface{ TakesValue() bool })
	return ok && v.TakesValue()
}
