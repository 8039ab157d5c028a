package eval

import (
	"encoding/json"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

func TestCompare(t *testing.T) {
	list := func(s ...any) []any { return s }
	tests := []struct {
		have any
		op   string
		want any
		ok   bool
	}{
		{model.True, "eq", true, true},
		{model.False, "eq", false, true},
		{model.Unknown, "eq", false, false}, // absence is not evidence
		{model.Unknown, "ne", true, false},
		{model.Unknown, "exists", nil, false},
		{model.Unknown, "exists", false, true},
		{model.False, "exists", nil, true},
		{"1.3", "gte", "1.2", true},
		{"1.10", "gte", "1.9", true},
		{"TLSv1.1", "gte", "1.2", false},
		{"TLS 1.2", "gte", "1.2", true}, // versions read in every usual spelling
		{"TLS1.3", "gte", "1.2", true},
		{"tlsv1.0", "gte", "1.2", false},
		{"SSLv3", "gte", "1.2", false},
		{"None", "eq", "none", true}, // vocabulary values compare without regard to case
		{"None", "ne", "none", false},
		{[]string{"PAN"}, "contains", "pan", true},
		{"1.2", "lte", "1.2", true},
		{"abc", "gte", "1.2", false},
		{float64(90), "lte", json.Number("90"), true},
		{[]string{"pan", "pii"}, "intersects", list("sad", "pan"), true},
		{[]string{"pii"}, "intersects", list("sad", "pan"), false},
		{[]string{"cde"}, "contains", "cde", true},
		{"payment-page", "in", list("web-app", "payment-page"), true},
		{"api", "not_in", list("web-app"), true},
		{"block", "ne", "detect", true},
		{"Payment API", "matches", "(?i)payment", true},
		{nil, "eq", "x", false},
		{nil, "not_in", list("x"), false},
		{"", "exists", nil, false},
	}
	for _, tt := range tests {
		if got := compare(tt.have, tt.op, tt.want); got != tt.ok {
			t.Errorf("compare(%#v, %s, %#v) = %v, want %v", tt.have, tt.op, tt.want, got, tt.ok)
		}
	}
}

func TestWorst(t *testing.T) {
	order := []Verdict{NotApplicable, Satisfied, Manual, Excepted, NeedsEvidence, NotSatisfied}
	for i := range order {
		for j := range order {
			want := order[max(i, j)]
			if got := Worst(order[i], order[j]); got != want {
				t.Errorf("Worst(%s, %s) = %s, want %s", order[i], order[j], got, want)
			}
		}
	}
	if Worst("", Satisfied) != Satisfied {
		t.Error("the empty verdict loses to every verdict")
	}
}
