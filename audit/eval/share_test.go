package eval

import (
	"strings"
	"testing"
	"unsafe"
)

// TestShareTextKeepsOneCopy checks that equal messages of one rule's
// results end up as one string, and that no message changes.
func TestShareTextKeepsOneCopy(t *testing.T) {
	msg := func(s string) string { return strings.Clone(s) }
	rs := []Result{
		{Reasons: []Reason{{"a", msg("backed by EV-1")}, {"b", msg("other")}}, Evidence: []EvidenceUse{{Message: msg("is 400 days old")}}},
		{Reasons: []Reason{{"a", msg("backed by EV-1")}}, Evidence: []EvidenceUse{{Message: msg("is 400 days old")}}},
	}
	if unsafe.StringData(rs[0].Reasons[0].Message) == unsafe.StringData(rs[1].Reasons[0].Message) {
		t.Fatal("test set-up: the messages already share their bytes")
	}
	out := shareText(rs)
	if got := out[1].Reasons[0].Message; got != "backed by EV-1" || unsafe.StringData(got) != unsafe.StringData(out[0].Reasons[0].Message) {
		t.Errorf("reason messages not shared: %q", got)
	}
	if got := out[1].Evidence[0].Message; got != "is 400 days old" || unsafe.StringData(got) != unsafe.StringData(out[0].Evidence[0].Message) {
		t.Errorf("evidence messages not shared: %q", got)
	}
	if out[0].Reasons[1].Message != "other" {
		t.Errorf("a unique message changed: %q", out[0].Reasons[1].Message)
	}
}
