package main

import (
	"context"
	"errors"
	"io/fs"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/model"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/audit/threatmodel"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/auditpack/auditpack/mappings"
	"github.com/auditpack/auditpack/reports/packager"
)

// Exit codes. They are part of auditpack's interface: scripts and CI depend
// on them, so they never change meaning (docs/exit-codes.md).
const (
	exitOK        = 0 // success
	exitFailing   = 1 // controls failing under --fail-on, or evidence not fresh
	exitInput     = 2 // bad usage or invalid input
	exitIntegrity = 3 // evidence or package integrity failure
	exitInternal  = 4 // a bug or an environment failure
	// exitInterrupted follows the shell's convention for SIGINT (128+2):
	// the run was stopped by Ctrl-C or SIGTERM and nothing was written.
	exitInterrupted = 130
)

// interruptedError is a run stopped by Ctrl-C or SIGTERM. It says so once,
// in words, instead of the chain of "context canceled" the layers return;
// the cause stays reachable for exitCode.
type interruptedError struct{ err error }

func (e *interruptedError) Error() string { return "interrupted; nothing was written" }
func (e *interruptedError) Unwrap() error { return e.err }

// usageError is a command line that cannot be acted on.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// inputError wraps a failure to read or understand an input.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// failingError reports that the run completed and found failures the user
// asked to fail on.
type failingError struct{ msg string }

func (e *failingError) Error() string { return e.msg }

// integrityError reports damaged or tampered evidence or packages.
type integrityError struct{ msg string }

func (e *integrityError) Error() string { return e.msg }

// exitCode maps an error to its documented exit code. It is the only place
// that does.
func exitCode(err error) int {
	var (
		usage     *usageError
		input     *inputError
		failing   *failingError
		integrity *integrityError
		doc       *schemadoc.Error
		lint      *mappings.LintError
		format    *threatmodel.FormatError
		imported  *threatmodel.ImportError
		invalid   *model.InvalidError
		run       *audit.InputError
		loaded    *proj.InputError
		option    *proj.OptionError
		fw        *frameworks.FileError
		pkgVerify *packager.VerifyError
		pkgBuild  *packager.BuildError
		bundle    *evidence.BundleError
		evfile    *facts.Error
		special   *rootfs.NotRegularError
		resultsIn *resultsfile.InputError
		tooLarge  *rootfs.TooLargeError
		refused   *staging.RefusedError
		kept      *staging.KeptError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &failing):
		return exitFailing
	case errors.As(err, &integrity), errors.As(err, &pkgVerify):
		return exitIntegrity
	case errors.As(err, &usage), errors.As(err, &input), errors.As(err, &doc), errors.As(err, &lint),
		errors.As(err, &format), errors.As(err, &imported), errors.As(err, &invalid), errors.As(err, &run), errors.As(err, &loaded), errors.As(err, &option),
		errors.As(err, &fw), errors.As(err, &pkgBuild),
		errors.As(err, &bundle), errors.As(err, &evfile), errors.As(err, &refused), errors.As(err, &kept),
		errors.As(err, &special), errors.As(err, &resultsIn), errors.As(err, &tooLarge), errors.Is(err, rootfs.ErrOutside),
		errors.Is(err, fs.ErrNotExist):
		return exitInput
	}
	return exitInternal
}
