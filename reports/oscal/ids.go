package oscal

import (
	"crypto/sha1"
	"fmt"
	"strings"
	"unicode"
)

// namespace is the UUID namespace of every UUID auditpack writes into an
// OSCAL document. It is itself a name-based UUID (RFC 9562 version 5) of
// "urn:auditpack:oscal" in the URL namespace, fixed so that documents from
// any build agree.
var namespace = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8},
	"urn:auditpack:oscal")

// UUID returns the name-based (version 5, SHA-1) UUID of parts joined by
// a separator that cannot occur in them. The same parts always give the
// same UUID: OSCAL documents built twice from equal results are identical,
// and a component keeps its UUID from one quarter to the next.
func UUID(parts ...string) string {
	return format(uuid5(namespace, strings.Join(parts, "\x1f")))
}

func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func format(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// ControlID returns the OSCAL control-id of a control of a framework. OSCAL
// ids are tokens that must start with a letter, and catalogs write them in
// lower case with enhancements as ".n" (SP 800-53's AC-2(1) is ac-2.1), so:
// the framework id, an underscore, then the control id in lower case with
// "(" turned into "." and ")" dropped, and any other character outside
// letters, digits, "." and "-" turned into "-". For example
// pci-dss 4.2.1 → pci-dss_4.2.1, aicpa-tsc CC6.1 → aicpa-tsc_cc6.1,
// hipaa 164.312(e)(1) → hipaa_164.312.e.1. The framework prefix keeps ids
// unique when one result covers several frameworks.
func ControlID(framework, id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		switch {
		case r == '(':
			b.WriteByte('.')
		case r == ')':
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-'):
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	fw := strings.ToLower(framework)
	if fw == "" || !unicode.IsLetter(rune(fw[0])) {
		fw = "fw-" + fw
	}
	return fw + "_" + strings.TrimRight(b.String(), ".")
}

// ObjectiveID is the target of a control's finding: the control's
// assessment objective, named as SP 800-53A names them ("ac-2_obj").
func ObjectiveID(controlID string) string { return controlID + "_obj" }

// text makes s a valid OSCAL string: one line, trimmed, never empty.
// OSCAL's string type is "^\S(.*\S)?$", which forbids empty values, edge
// whitespace and line breaks.
func text(s, fallback string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if s == "" {
		return fallback
	}
	return s
}
