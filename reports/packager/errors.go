package packager

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors classify each [Failure] of a verification, so that
// callers can match them with [errors.Is] on the returned [*VerifyError].
var (
	// ErrUnsafeName means a file name could escape the package or be read
	// differently by different tools: "..", an absolute path, a backslash,
	// a character outside [A-Za-z0-9._/-], or a name that only differs in
	// case from another.
	ErrUnsafeName = errors.New("unsafe file name")
	// ErrNotRegular means an entry is a symlink, device, FIFO or socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrDuplicate means a zip holds two entries with the same name.
	ErrDuplicate = errors.New("duplicate entry")
	// ErrMissing means a file listed in SHA256SUMS or manifest.json is absent.
	ErrMissing = errors.New("missing file")
	// ErrExtra means a file is present but listed nowhere.
	ErrExtra = errors.New("unlisted file")
	// ErrDigest means a file's SHA-256 or size differs from its listing.
	ErrDigest = errors.New("digest mismatch")
	// ErrMalformed means SHA256SUMS, manifest.json or a signature could not
	// be parsed or is not in the one form auditpack writes.
	ErrMalformed = errors.New("malformed file")
	// ErrInconsistent means manifest.json disagrees with SHA256SUMS, the
	// files or the signatures.
	ErrInconsistent = errors.New("manifest inconsistent")
	// ErrSignature means a signature is missing or does not verify.
	ErrSignature = errors.New("invalid signature")
	// ErrUntrusted means the signer does not chain to the trust anchor, is
	// not the pinned certificate, or no trust decision was given.
	ErrUntrusted = errors.New("untrusted signer")
	// ErrZip means a package zip could show different tools different
	// files: a local header that disagrees with the central directory,
	// bytes before, between or after the entries, data that does not
	// match its headers, or a zip feature auditpack does not read.
	ErrZip = errors.New("unsafe zip structure")
	// ErrTooLarge means the package exceeds a size or count limit.
	ErrTooLarge = errors.New("too large")
)

// Failure is one reason a package does not verify.
type Failure struct {
	// File is the package path concerned, or "" for the package as a whole.
	File string
	// Kind is one of the sentinel errors above.
	Kind error
	// Reason says what exactly is wrong, for the person reading it.
	Reason string
}

// String reads "<file>: <kind>: <reason>".
func (f Failure) String() string {
	s := f.Kind.Error()
	if f.Reason != "" {
		s += ": " + f.Reason
	}
	if f.File != "" {
		s = f.File + ": " + s
	}
	return s
}

// VerifyError is returned by [Verify] when a package fails any check. It
// carries every failure found, so a user fixes all of them in one round.
type VerifyError struct {
	Failures []Failure
}

// Error lists every failure, one per line.
func (e *VerifyError) Error() string {
	lines := make([]string, 0, len(e.Failures)+1)
	lines = append(lines, fmt.Sprintf("package verification failed: %d problem(s)", len(e.Failures)))
	for _, f := range e.Failures {
		lines = append(lines, f.String())
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the kinds of every failure, so that errors.Is finds each.
func (e *VerifyError) Unwrap() []error {
	out := make([]error, 0, len(e.Failures))
	for _, f := range e.Failures {
		out = append(out, f.Kind)
	}
	return out
}

// BuildError means the package could not be assembled from what the caller
// gave, for example an artefact with a reserved or unsafe name. It is the
// caller's input that is wrong, not the package.
type BuildError struct {
	Reason string
}

func (e *BuildError) Error() string { return "cannot build package: " + e.Reason }

func buildErrorf(format string, args ...any) error {
	return &BuildError{Reason: fmt.Sprintf(format, args...)}
}
