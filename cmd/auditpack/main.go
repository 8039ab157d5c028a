// Command auditpack turns a threat model into audit evidence: it evaluates
// compliance controls against the model's architecture, joins an evidence
// bundle and exceptions, and writes the results.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	// The first SIGINT or SIGTERM cancels the run: hashing and building stop
	// at the next chunk and staged output is removed (exit 130). Once it has
	// been received the default handling is restored, so a second Ctrl-C
	// ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := runContext(ctx, os.Args, os.Stdout, os.Stderr, time.Now)
	stop()
	os.Exit(code)
}

// run executes one command line and returns its exit code. Tests call it
// directly; the clock is injected so that the core never reads it.
func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	return runContext(context.Background(), args, stdout, stderr, now)
}

// runContext is run with a context whose cancellation stops the command.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) int {
	return runHooked(ctx, args, stdout, stderr, now, hooks{})
}

// hooks are what tests change of one command line's run; the zero value
// is auditpack as it ships. They are passed down, not kept in variables,
// so that no state outlives one command line.
type hooks struct {
	// beforeCommit, when not nil, runs just before a package is moved
	// into place: tests use it to change the output path under a running
	// build.
	beforeCommit func()
	// readFacts, when not nil, reads evidence files' facts instead of
	// facts.ReadAll: tests add a format of their own beside the real ones.
	readFacts func(io.Reader) (*facts.Read, error)
}

// runHooked is runContext with hooks.
func runHooked(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time, h hooks) int {
	// Everything printed passes through printable, so a name with an escape
	// sequence or a carriage return cannot rewrite the terminal or the CI
	// log; the printers escape names themselves too, line feeds included.
	out, errOut := printable.NewWriter(stdout), printable.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	app, env := newTermApp(out, errOut, stderr, now)
	env.beforeCommit = h.beforeCommit
	if h.readFacts != nil {
		env.readFacts = h.readFacts
	}
	args, err := flagsFirst(app.Commands, args)
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		err = &interruptedError{err}
	}
	if err != nil {
		printError(errOut, err)
	}
	if err == nil && env.unknownCommand {
		return exitInput
	}
	return exitCode(err)
}

func newApp(stdout, stderr io.Writer, now func() time.Time) *cli.App {
	app, _ := newTermApp(stdout, stderr, stderr, now)
	return app
}

// newTermApp is newApp with the unfiltered stderr, term, for progress.
func newTermApp(stdout, stderr, term io.Writer, now func() time.Time) (*cli.App, *environment) {
	// The clock is read once per command line, when first asked: the
	// default as-of date, the signing time and a new certificate's validity
	// all come from that one reading.
	env := &environment{stdout: stdout, stderr: stderr, term: term, now: sync.OnceValue(now), readFacts: facts.ReadAll}
	app := &cli.App{
		Name:           "auditpack",
		Usage:          "turn a threat model into signed, traceable audit evidence",
		Version:        version,
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(*cli.Context, error) {},
		// -qc FILE is -q -c FILE, as in most tools.
		UseShortOptionHandling: true,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &usageError{err.Error()}
		},
		Commands: []*cli.Command{
			env.demoCommand(),
			env.initCommand(),
			env.buildCommand(),
			env.checkCommand(),
			env.diffCommand(),
			env.sampleCommand(),
			env.requestsCommand(),
			env.explainCommand(),
			env.frameworksCommand(),
			env.rulesCommand(),
			env.modelCommand(),
			env.evidenceCommand(),
			env.verifyCommand(),
			env.keygenCommand(),
			env.completionCommand(),
			env.manCommand(),
		},
		CommandNotFound: func(c *cli.Context, name string) {
			env.unknownCommand = true
			fmt.Fprintf(stderr, "auditpack: unknown command %q (see auditpack help)\n", name)
		},
	}
	// urfave/cli calls only a command's own OnUsageError: without one, an
	// unknown flag of a subcommand would print help to stdout and exit 4.
	// Each command refuses arguments it does not take (argcount.go).
	var each func(string, []*cli.Command)
	each = func(parent string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := strings.TrimSpace(parent + " " + c.Name)
			if c.OnUsageError == nil {
				c.OnUsageError = app.OnUsageError
			}
			if c.Action != nil && c.Before == nil {
				c.Before = checkArgs(path)
			}
			if ex := commandExamples(path); ex != "" {
				c.Description = strings.TrimLeft(c.Description+"\n\nExamples:\n"+ex, "\n")
			}
			each(path, c.Subcommands)
		}
	}
	each("", app.Commands)
	return app, env
}

// environment is what commands may touch of the outside world.
type environment struct {
	stdout, stderr io.Writer
	// term is stderr itself, unfiltered, for the progress line, which
	// draws with CR and an erase sequence and must see the terminal.
	term io.Writer
	// now is the time of this command line: the clock, read once.
	now func() time.Time
	// unknownCommand records that urfave/cli met an unknown command, which
	// it reports through a callback that cannot return an error.
	unknownCommand bool
	// beforeCommit, when set, runs just before a package is moved into
	// place (see hooks).
	beforeCommit func()
	// readFacts reads the facts of an evidence file while it is hashed,
	// for every command that reads evidence files (see hooks).
	readFacts func(io.Reader) (*facts.Read, error)
}
