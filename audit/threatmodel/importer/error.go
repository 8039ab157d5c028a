package importer

import (
	"errors"
	"fmt"
)

// Error is a failure to import one file of a model. File is the path the
// importer was given (inside its fs.FS) and is kept apart from the message,
// so that a caller can show the file under the name its user knows, or map
// an include's path the same way, without rewriting any text.
type Error struct {
	File string
	Err  error
}

func (e *Error) Error() string { return e.File + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an [Error] for file whose message is formatted as by
// fmt.Errorf, %w included.
func Errorf(file, format string, args ...any) error {
	return &Error{File: file, Err: fmt.Errorf(format, args...)}
}

// ErrInternal marks a failure of the importer itself (a recovered panic),
// which is a bug in auditpack rather than a fault of the file.
var ErrInternal = errors.New("internal error")
