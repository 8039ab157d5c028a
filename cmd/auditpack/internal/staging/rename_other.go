//go:build !linux && !darwin

package staging

// nativeNoReplace: this system has no exclusive rename that auditpack
// uses; portableNoReplace does the work.
func nativeNoReplace(from, to string) error { return errUnsupported }
