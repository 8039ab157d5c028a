package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/auditpack/auditpack/audit/printable"
)

// printError writes an error the way every auditpack message looks: each
// line prefixed "auditpack: ", lower case, no final period. Messages quote
// names from the inputs, so each line is escaped whole (printable.String):
// a carriage return or escape sequence in a name is shown, not obeyed.
func printError(w io.Writer, err error) {
	for _, line := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintf(w, "auditpack: %s\n", printable.String(line))
	}
}

// warnf writes a warning to stderr, escaped like an error.
func warnf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "auditpack: warning: %s\n", printable.String(fmt.Sprintf(format, args...)))
}
