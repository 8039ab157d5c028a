package archive

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of refusal. Every [*Error] carries one, so callers can classify a
// refusal with [errors.Is] and keep their own wording and exit codes.
var (
	// ErrFormat means the bytes are not a zip archive that can be parsed:
	// no end record, a truncated or garbled directory.
	ErrFormat = errors.New("not a readable zip archive")
	// ErrStructure means the archive parses but could show different tools
	// different files: a local header that disagrees with the central
	// directory, bytes before the first entry, between entries or after
	// the end record, overlapping entries, or data that does not match its
	// headers.
	ErrStructure = errors.New("unsafe zip structure")
	// ErrUnsupported means a feature auditpack does not read: encryption,
	// a compression method other than stored or deflate, several disks,
	// unknown flags.
	ErrUnsupported = errors.New("unsupported zip feature")
	// ErrName means an entry name could escape the extraction directory,
	// or means different files on different systems.
	ErrName = errors.New("unsafe entry name")
	// ErrDuplicate means two entries share a name, also when they differ
	// only in case, or a name is both a file and a directory.
	ErrDuplicate = errors.New("duplicate entry")
	// ErrNotRegular means an entry is a symbolic link, device, FIFO or
	// socket, or a directory entry that holds data.
	ErrNotRegular = errors.New("not a regular file or directory")
	// ErrLimit means the archive has more entries or bytes, or a higher
	// compression ratio, than the caller's limits allow.
	ErrLimit = errors.New("over a limit")
)

// Error is one reason an archive or one of its entries is refused.
type Error struct {
	// Entry is the entry's name as the central directory stores it, or ""
	// for the archive as a whole.
	Entry string
	// Kind is one of the sentinel errors above.
	Kind error
	// Reason says exactly what is wrong, for the person reading it.
	Reason string
}

func (e *Error) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("%v: %s", e.Kind, e.Reason)
	}
	return fmt.Sprintf("entry %q: %v: %s", e.Entry, e.Kind, e.Reason)
}

// Unwrap returns the kind, so that errors.Is(err, ErrStructure) works.
func (e *Error) Unwrap() error { return e.Kind }

// Refusal is every reason [Open] refused an archive, in the order found;
// it is never empty. Callers that report all problems at once (a package
// verification) range over it; others show the first.
type Refusal []*Error

func (r Refusal) Error() string {
	if len(r) == 1 {
		return r[0].Error()
	}
	msgs := make([]string, len(r))
	for i, e := range r {
		msgs[i] = e.Error()
	}
	return fmt.Sprintf("%d problems: %s", len(r), strings.Join(msgs, "; "))
}

// Unwrap returns every problem, so errors.Is and errors.As find each.
func (r Refusal) Unwrap() []error {
	out := make([]error, len(r))
	for i, e := range r {
		out[i] = e
	}
	return out
}
