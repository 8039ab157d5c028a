package view

import (
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit/diff"
)

// TestEvidenceChangeDetail pins the one wording of an evidence change that
// the report, the workbook and the Markdown share.
func TestEvidenceChangeDetail(t *testing.T) {
	stale := diff.EvidenceChange{Item: "EV-TLS", Change: diff.EvidenceStale, From: "ok", To: "too-old",
		Message: "older than 90 days", UsedBy: []string{"r1 a", "r1 b", "r2 c"}}
	hash := diff.EvidenceChange{Item: "EV-CFG", Change: diff.EvidenceHashChanged, File: "a.json",
		OldSHA256: "0123456789abcdef", NewSHA256: "fedcba9876543210"}
	for _, tc := range []struct {
		e    diff.EvidenceChange
		max  int
		want []string
	}{
		{stale, 0, []string{"older than 90 days", "used by r1 a, r1 b, r2 c"}},
		{stale, 2, []string{"older than 90 days", "used by r1 a, r1 b and 1 more"}},
		{hash, 0, []string{"a.json: SHA-256 0123456789ab… → fedcba987654…"}},
	} {
		if got := EvidenceChangeDetail(tc.e, tc.max); !slices.Equal(got, tc.want) {
			t.Errorf("%s (max %d): %q, want %q", tc.e.Item, tc.max, got, tc.want)
		}
	}
	if got := EvidenceTransition(stale); got != "ok → too-old" {
		t.Errorf("transition %q", got)
	}
	if EvidenceTransition(hash) != "" || !EvidenceChangeFlagged(hash) || EvidenceChangeFlagged(diff.EvidenceChange{Change: diff.EvidenceAdded}) {
		t.Error("hash change: want no transition and flagged; added: want not flagged")
	}
}
