package main

import (
	"fmt"

	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/rootfs"
)

// Every file a user names (configuration, model, rules, exceptions, keys,
// certificates, trust anchors, previous results) is read through
// readUserFile or proj.ReadInput: opened without blocking, checked through the
// open handle to be a regular file no larger than its role allows, and read
// through a limit. A named pipe, a device (/dev/zero) or a directory is
// refused at once, naming the file.

// Limits of the files that are not YAML or JSON documents.
const (
	maxKeyFile  = 1 << 20 // a PEM key, certificate or chain
	maxCAFile   = 4 << 20 // a PEM bundle of trust anchors
	maxPKCS12   = 1 << 20
	maxDocument = 64 << 20
)

// readUserFile reads the file the user named name, within limit. role says
// what the file is for, as the messages name it ("--ca", "signing key").
func readUserFile(name, role string, limit int64) ([]byte, error) {
	data, err := rootfs.ReadFile(name, name, limit)
	if err != nil {
		if role != "" {
			return nil, &inputError{fmt.Errorf("%s: %w", role, inputFileError(name, err))}
		}
		return nil, inputFileError(name, err)
	}
	return data, nil
}

// inputFileError names display in an error from reading it, once.
func inputFileError(display string, err error) error { return proj.FileError(display, err) }
