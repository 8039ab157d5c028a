package main

import (
	"fmt"
	"io"
	"strings"
)

// printError writes an error the way every auditpack message looks: each
// line prefixed "auditpack: ", lower case, no final period.
func printError(w io.Writer, err error) {
	for _, line := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintf(w, "auditpack: %s\n", line)
	}
}

// warnf writes a warning to stderr.
func warnf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "auditpack: warning: "+format+"\n", args...)
}
