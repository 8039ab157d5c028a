package audit

import (
	"strings"
	"testing"
	"time"
)

// Previous results speak for "nothing came into scope since" only when
// they are of this system and earlier than this run; otherwise the
// after-change checks are left unchecked, and a warning says why.
func TestPreviousResultsThatCannotSpeakForAChangeAreNotUsed(t *testing.T) {
	in := Inputs{Organisation: "Acme", System: "Pay", AsOf: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)}
	prev := func(org, sys, asOf string) *Results {
		return &Results{Project: Project{Organisation: org, System: sys, AsOf: asOf}}
	}
	for _, tc := range []struct {
		name string
		r    *Results
		warn string // "" when the previous results are used
	}{
		{"earlier, same system", prev("Acme", "Pay", "2026-08-15"), ""},
		{"same day", prev("Acme", "Pay", "2026-11-15"), "not before this run's 2026-11-15"},
		{"later", prev("Acme", "Pay", "2027-02-15"), "not before this run's 2026-11-15"},
		{"other system", prev("Acme", "Cards", "2026-08-15"), `not of "Acme", "Pay"`},
		{"other organisation", prev("Other", "Pay", "2026-08-15"), `not of "Acme", "Pay"`},
		{"date does not parse", prev("Acme", "Pay", "15/08/2026"), "does not parse"},
	} {
		p, warns := previousOf(tc.r, in)
		if tc.warn == "" {
			if p == nil || len(warns) != 0 {
				t.Errorf("%s: not used (%v)", tc.name, warns)
			}
			continue
		}
		if p != nil || len(warns) != 1 || !strings.Contains(warns[0].Message, tc.warn) || !strings.Contains(warns[0].Message, "left unchecked") {
			t.Errorf("%s: used %v, warnings %v; want unused with %q", tc.name, p != nil, warns, tc.warn)
		}
	}
	if p, warns := previousOf(nil, in); p != nil || warns != nil {
		t.Error("no previous results must give nothing")
	}
}
