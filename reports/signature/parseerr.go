package signature

import (
	"encoding/asn1"
	"errors"
	"strings"
)

// parseError says in words why a key or certificate file could not be
// read, keeping the parser's error as its cause for errors.Is and
// errors.As. It is used where that error is Go's ASN.1 decoder's, whose
// text prints the decoder's internal structures ("{optional:false
// explicit:false …} pfxPdu @2") and tells a user nothing.
type parseError struct {
	msg   string
	cause error
}

func (e *parseError) Error() string { return e.msg }
func (e *parseError) Unwrap() error { return e.cause }

// readable reports whether err's text is fit to show a user.
func readable(err error) bool {
	var se asn1.StructuralError
	var sy asn1.SyntaxError
	return !errors.As(err, &se) && !errors.As(err, &sy) && !strings.Contains(err.Error(), "asn1:")
}
