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

// KeptError is a build that could not place its output: something appeared
// at the output path while it ran, or what --force was to replace changed.
// That is left alone and the new output is kept under another name, which
// the message gives.
type KeptError struct {
	Path string // the output path as the user named it
	Why  string // what happened there
	Kept string // where the new directory is, "" if another run replaced it
	Zip  string // where the new zip is, "" when none
}

func (e *KeptError) Error() string {
	switch {
	case e.Kept != "" && e.Zip != "":
		return fmt.Sprintf("%s; it was not touched, and this package was kept at %s and %s", e.Why, e.Kept, e.Zip)
	case e.Kept != "":
		return fmt.Sprintf("%s; it was not touched, and this package was kept at %s", e.Why, e.Kept)
	case e.Zip != "":
		return fmt.Sprintf("%s; it was not touched; this package's directory, placed at %s first, has since been replaced by another run, and its zip was kept at %s", e.Why, e.Path, e.Zip)
	}
	return fmt.Sprintf("%s; it was not touched, and nothing of this package is left", e.Why)
}
