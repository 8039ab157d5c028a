package tmt

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// xmlReasons are encoding/xml's syntax messages that quote nothing from the
// document, passed through as they are.
var xmlReasons = map[string]bool{
	"unexpected EOF":                                 true,
	"expected element name after </":                 true,
	"expected target name after <?":                  true,
	"invalid sequence <!- not part of <!--":          true,
	"invalid <![ sequence":                           true,
	"expected element name after <":                  true,
	"expected /> in element":                         true,
	"expected attribute name in element":             true,
	"attribute name without = in element":            true,
	"unquoted or missing attribute value in element": true,
	"unexpected EOF in CDATA section":                true,
	"unescaped ]]> not in CDATA section":             true,
	"unescaped < inside quoted string":               true,
	"invalid UTF-8":                                  true,
}

// xmlReasonPrefixes turn the messages that quote a name or an entity of the
// document into ones that do not.
var xmlReasonPrefixes = []struct{ prefix, reason string }{
	{"unexpected end element", "unexpected end element"},
	{"element <", "an element is closed by the end element of another"},
	{"invalid characters between </", "invalid characters in an end element"},
	{"invalid character entity", "invalid character entity"},
	{"invalid XML name", "invalid XML name"},
	{"illegal character code", ""}, // the code point, not text: kept whole
}

// syntaxError describes a failure of the XML parser with its line and
// without quoting the document: a file named as a .tm7 by mistake (a key,
// a credentials export) must not have its element names, entities or
// declarations copied into a terminal or a CI log.
func syntaxError(err error) error {
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		// The parser's other errors quote the version or encoding that the
		// XML declaration names.
		return errors.New("unsupported XML declaration (only version 1.0 in UTF-8 is read)")
	}
	return fmt.Errorf("XML syntax error on line %d: %s", se.Line, xmlReason(se.Msg))
}

func xmlReason(msg string) string {
	if xmlReasons[msg] {
		return msg
	}
	for _, p := range xmlReasonPrefixes {
		if strings.HasPrefix(msg, p.prefix) {
			if p.reason == "" {
				return msg
			}
			return p.reason
		}
	}
	return "not well-formed XML"
}
