package oscal

import (
	"crypto/sha1"
	"strings"
	"unicode"
	"unicode/utf8"
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
	return format(uuid5(namespace, parts...))
}

// uuid5 hashes the parts as one name, joined by "\x1f", in a buffer on
// the stack when they fit: a large document derives hundreds of thousands
// of UUIDs.
func uuid5(ns [16]byte, parts ...string) [16]byte {
	var buf [256]byte
	name := append(buf[:0], ns[:]...)
	for i, p := range parts {
		if i > 0 {
			name = append(name, 0x1f)
		}
		name = append(name, p...)
	}
	sum := sha1.Sum(name)
	var u [16]byte
	copy(u[:], sum[:])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// format writes u in the canonical 8-4-4-4-12 lower-case hex form.
func format(u [16]byte) string {
	const digits = "0123456789abcdef"
	var s [36]byte
	at := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[at] = '-'
			at++
		}
		s[at], s[at+1] = digits[c>>4], digits[c&0x0f]
		at += 2
	}
	return string(s[:])
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
	if !plain(s) {
		s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	}
	if s == "" {
		return fallback
	}
	return s
}

// plain reports whether text would leave s as it is: valid UTF-8 whose
// only white space is single spaces between words. Nearly every string is,
// and checking costs no allocation.
func plain(s string) bool {
	space := true // a space here would be leading or doubled
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if space {
					return false
				}
				space = true
			case '\t', '\n', '\v', '\f', '\r':
				return false
			default:
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unicode.IsSpace(r) {
			return false
		}
		space = false
		i += n
	}
	return !space || s == ""
}
