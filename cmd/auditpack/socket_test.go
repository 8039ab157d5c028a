//go:build unix

package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSocketInputIsNamedAsOne checks that a socket given as an input is
// refused as a socket: opening one fails with "no such device or address",
// which told the user nothing about what the name was.
func TestSocketInputIsNamedAsOne(t *testing.T) {
	dir, err := os.MkdirTemp("", "sock") // short: socket paths are limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s.yaml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skip(err)
	}
	defer l.Close()
	for _, args := range [][]string{{"model", "validate", sock}, {"rules", "lint", sock}, {"build", "-c", sock}} {
		code, _, stderr := runCLI(t, args...)
		if code != exitInput || !strings.Contains(stderr, sock+": is a socket, not a regular file") {
			t.Errorf("%s: exit %d, want %d naming a socket:\n%s", args[0], code, exitInput, stderr)
		}
	}
}
