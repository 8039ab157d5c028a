package project

// InputError wraps a failure to read or understand an input. Its message
// is the wrapped error's, unchanged; callers map it to their "bad input"
// outcome.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// OptionError is an option that cannot be acted on, such as an as-of date
// that is not a date: the caller's usage, not an input, is wrong.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }
