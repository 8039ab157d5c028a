package signature

import (
	"errors"
	"fmt"
)

// Sentinel errors classify why a signature was refused, so that callers can
// map each class to an exit code or a message with [errors.Is]. A returned
// error is a [*VerifyError] that wraps exactly one of them.
var (
	// ErrMalformed means the signature or the document could not be parsed or
	// has a shape this package does not produce; it is refused, not guessed at.
	ErrMalformed = errors.New("malformed signature")
	// ErrDigestMismatch means the signed content changed after signing.
	ErrDigestMismatch = errors.New("content digest mismatch")
	// ErrBadSignature means the signature value does not verify with the
	// signer's public key.
	ErrBadSignature = errors.New("signature value does not verify")
	// ErrUntrusted means the signer certificate does not chain to a given
	// trust anchor, or was not valid at the claimed signing time.
	ErrUntrusted = errors.New("signer certificate is not trusted")
	// ErrPinMismatch means the signer certificate is not the pinned one.
	ErrPinMismatch = errors.New("signer certificate does not match the pin")
	// ErrNotCovered means a PDF signature does not cover the whole file, for
	// example because an incremental update was appended after signing.
	ErrNotCovered = errors.New("signature does not cover the whole document")
	// ErrSignatureCount means a PDF carries no signature or more than one.
	ErrSignatureCount = errors.New("document must carry exactly one signature")
	// ErrUnsupportedKey means a key or certificate uses an algorithm or size
	// that auditpack refuses (anything but ECDSA P-256 and RSA >= 2048).
	ErrUnsupportedKey = errors.New("unsupported key")
)

// VerifyError is returned by the verifiers and key checks. Kind is one of the
// sentinel errors above, so errors.Is(err, ErrDigestMismatch) works, while
// Detail and Err keep the specific reason for the person reading it.
type VerifyError struct {
	Kind   error
	Detail string
	Err    error
}

// Error reads as "<kind>: <detail>: <cause>", the kind first so that a
// user sees the class of failure before the particulars.
func (e *VerifyError) Error() string {
	msg := e.Kind.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the kind and the cause so that both can be matched.
func (e *VerifyError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func failf(kind error, format string, args ...any) error {
	return &VerifyError{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

func failWrap(kind error, err error, format string, args ...any) error {
	return &VerifyError{Kind: kind, Detail: fmt.Sprintf(format, args...), Err: err}
}
