package view

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/diff"
)

// EvidenceChangeFlagged reports whether an evidence change weakens what
// the package proves (the item went stale or invalid, or its file is not
// the one assessed before), which every output marks.
func EvidenceChangeFlagged(e diff.EvidenceChange) bool {
	return e.Change == diff.EvidenceStale || e.Change == diff.EvidenceInvalid || e.Change == diff.EvidenceHashChanged
}

// EvidenceChangeDetail says in words how an evidence item changed, one
// statement a line, so that every output words a change the same way: the
// file whose SHA-256 changed, the reason the evidence check gave, and the
// findings that use the item. The statuses it went from and to are
// [EvidenceTransition], which outputs with columns for them leave out of
// the detail. maxUsed caps the findings named (0 names all), the rest
// counted.
func EvidenceChangeDetail(e diff.EvidenceChange, maxUsed int) []string {
	var out []string
	if e.Change == diff.EvidenceHashChanged {
		out = append(out, fmt.Sprintf("%s: SHA-256 %s → %s", e.File, ShortHash(e.OldSHA256), ShortHash(e.NewSHA256)))
	}
	if e.Message != "" {
		out = append(out, e.Message)
	}
	if n := len(e.UsedBy); n > 0 {
		if maxUsed <= 0 || n <= maxUsed {
			out = append(out, "used by "+strings.Join(e.UsedBy, ", "))
		} else {
			out = append(out, fmt.Sprintf("used by %s and %d more", strings.Join(e.UsedBy[:maxUsed], ", "), n-maxUsed))
		}
	}
	return out
}

// EvidenceTransition names the statuses an item went from and to, "" when
// it was added, removed or only its file changed.
func EvidenceTransition(e diff.EvidenceChange) string {
	if e.From == "" || e.To == "" {
		return ""
	}
	return e.From + " → " + e.To
}

// ShortHash shortens a SHA-256 to its first 12 characters for reading;
// the full value stays in the outputs that have room for it.
func ShortHash(h string) string {
	if h == "" {
		return "-"
	}
	if rs := []rune(h); len(rs) > 12 {
		return string(rs[:12]) + "…"
	}
	return h
}
