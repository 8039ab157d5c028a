package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// variadic marks a command that takes any number of arguments.
const variadic = -1

// argCounts is how many positional arguments each command takes, by its
// path ("frameworks show"). urfave/cli hands extra arguments to the
// command, which would ignore them: `check -c cfg stray` would run as if
// the stray word meant something, and a missing one would reach the
// command as "" (`frameworks show` answered `unknown framework ""`). Every
// command that can run is listed (a test walks the app); checkArgs refuses
// a wrong count before the command starts, in one wording.
var argCounts = map[string]int{
	"demo":            0,
	"init":            0,
	"build":           0,
	"check":           0,
	"diff":            2,
	"sample":          1,
	"requests":        1,
	"explain":         1,
	"frameworks list": 0,
	"frameworks show": 1,
	"rules list":      0,
	"rules show":      1,
	"rules lint":      variadic,
	"model validate":  1,
	"model inspect":   1,
	"model convert":   1,
	"evidence init":   1,
	"evidence verify": 1,
	"evidence facts":  1,
	"verify":          1,
	"keygen":          0,
	"completion":      1,
	"man":             0,
}

// checkArgs is the Before of the command at path: it refuses any other
// number of arguments than argCounts gives, naming the command.
func checkArgs(path string) cli.BeforeFunc {
	return func(c *cli.Context) error {
		max, ok := argCounts[path]
		if !ok || max == variadic || c.NArg() == max {
			return nil
		}
		var takes string
		switch max {
		case 0:
			takes = "takes no arguments"
		case 1:
			takes = "takes one argument"
		case 2:
			takes = "takes two arguments"
		default:
			takes = fmt.Sprintf("takes %d arguments", max)
		}
		if u := c.Command.ArgsUsage; u != "" && max > 0 {
			takes += ": " + u
		}
		if c.NArg() < max {
			return &usageError{fmt.Sprintf("%s %s, got %d", path, takes, c.NArg())}
		}
		return &usageError{fmt.Sprintf("%s %s, got %d (unexpected %q)", path, takes, c.NArg(), c.Args().Get(max))}
	}
}
