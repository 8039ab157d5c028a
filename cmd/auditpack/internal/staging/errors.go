package staging

import "fmt"

// RefusedError is an output that may not be written: it exists, it is an
// input of the run, or it is not something auditpack may replace. Nothing
// was changed.
type RefusedError struct {
	Path   string
	Reason string
}

func (e *RefusedError) Error() string { return fmt.Sprintf("%s: %s", e.Path, e.Reason) }

// KeptError is a build that lost the race for its output path: something
// appeared there while it ran. That is left alone and the new output is
// kept under another name, which the message gives.
type KeptError struct {
	Path string // the output path, now someone else's
	Kept string // where the new output is
	Zip  string // where the new zip is, "" when none
}

func (e *KeptError) Error() string {
	also := ""
	if e.Zip != "" {
		also = " and " + e.Zip
	}
	return fmt.Sprintf("%s appeared while this package was being built (another build, or someone else, created it); "+
		"it was not touched, and this package was kept at %s%s", e.Path, e.Kept, also)
}
