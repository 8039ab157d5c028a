package archive

import (
	"bytes"
	"fmt"
)

// Extra field ids (APPNOTE.TXT 4.5, 4.6) that an entry may carry.
const (
	extraNTFS           = 0x000a
	extraExtTime        = 0x5455
	extraUnixUIDGID     = 0x7875
	extraUnicodeComment = 0x6375
	extraJarMarker      = 0xcafe
	extraAlignPadding   = 0xa220
)

// Bounds on what an entry's own records may hold besides its name. A zip
// lets every entry carry a comment and extra fields that archive/zip and
// unzip never show, so a whole second archive could ride in them past
// every check on the files; these bounds leave room for what real tools
// write and none for that.
const (
	// MaxEntryComment is the longest entry comment of an archive made by
	// another tool, in bytes.
	MaxEntryComment = 256
	// MaxExtra is the most extra-field bytes one header (local or
	// central) of an entry may hold, blocks and their headers included.
	MaxExtra = 1024
)

// checkRecords refuses an entry's comment and the extra field of one of
// its headers (where: "local header" or "central directory") unless they
// hold only what the caller's rules allow ([Options.Strict]).
func (p *parser) checkRecords(where string, extra, comment []byte) error {
	if len(comment) > 0 {
		switch {
		case p.opts.Strict:
			return fmt.Errorf("an entry comment of %d bytes (auditpack writes none)", len(comment))
		case len(comment) > MaxEntryComment:
			return fmt.Errorf("an entry comment of %d bytes, more than the %d allowed", len(comment), MaxEntryComment)
		case hasSignature(comment):
			return fmt.Errorf("the entry comment holds a zip record signature (another archive could hide in it)")
		}
	}
	if len(extra) > MaxExtra {
		return fmt.Errorf("%s: an extra field of %d bytes, more than the %d allowed", where, len(extra), MaxExtra)
	}
	fields, err := parseExtra(extra)
	if err != nil {
		return fmt.Errorf("%s: %v", where, err)
	}
	for id, f := range fields {
		if reason := p.extraProblem(id, f); reason != "" {
			return fmt.Errorf("%s: extra block %#04x of %d bytes: %s", where, id, len(f), reason)
		}
	}
	return nil
}

// extraProblem says why one extra block is refused, or "" if it is not.
func (p *parser) extraProblem(id uint16, f []byte) string {
	if p.opts.Strict {
		switch {
		case id == extraZip64:
			return ""
		case id == extraExtTime && len(f) == 5 && f[0] == 1:
			// the modification time archive/zip writes
		default:
			return "not one auditpack writes (only zip64 and a modification time)"
		}
	} else {
		if reason := foreignExtraProblem(id, f); reason != "" {
			return reason
		}
	}
	if hasSignature(f) {
		return "it holds a zip record signature (another archive could hide in it)"
	}
	return ""
}

// foreignExtraProblem says why an extra block another tool wrote is
// refused: an unknown kind, or a known one that holds more than its kind
// needs.
func foreignExtraProblem(id uint16, f []byte) string {
	switch id {
	case extraZip64, extraNTFS, extraExtTime, extraUnixUIDGID, extraUnicodePath, extraUnicodeComment:
	case extraJarMarker:
		if len(f) != 0 {
			return "a JAR marker must be empty"
		}
	case extraAlignPadding:
		if len(f) < 2 || bytes.Count(f[2:], []byte{0}) != len(f)-2 {
			return "alignment padding must be zero bytes"
		}
	default:
		return "an unknown kind of extra field (it could hide data no tool shows)"
	}
	return ""
}

// hasSignature reports whether b holds a zip record signature.
func hasSignature(b []byte) bool {
	for _, sig := range signatures {
		if bytes.Contains(b, sig) {
			return true
		}
	}
	return false
}
