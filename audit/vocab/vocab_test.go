package vocab

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/mappings"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"cde", "cde", 0},
		{"cd", "cde", 1},
		{"ced", "cde", 1}, // a swap is one edit
		{"cdx", "cde", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"internal", "internet", 2},
		{"prodution", "production", 1},
		{"zoné", "zone", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	tests := []struct {
		s     string
		known []string
		max   int
		want  string
	}{
		{"CDE", []string{"public", "cde"}, 0, "cde"},
		{" Cde ", []string{"cde"}, 0, "cde"},
		{"cdf", []string{"cde"}, 0, ""},
		{"cdf", []string{"cde"}, 1, "cde"},
		// Both are one edit away: the alphabetically first wins, whatever
		// the order given.
		{"bat", []string{"cat", "bar"}, 1, "bar"},
		{"bat", []string{"bar", "cat"}, 1, "bar"},
		{"dmz", []string{"cde", "public"}, 1, ""},
		{"x", nil, 5, ""},
	}
	for _, tt := range tests {
		got, ok := Closest(tt.s, tt.known, tt.max)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Closest(%q, %q, %d) = %q, %v; want %q", tt.s, tt.known, tt.max, got, ok, tt.want)
		}
	}
}

func params(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOverlayErrors(t *testing.T) {
	o := &overlay.Overlay{
		AddDataAssets: []model.DataAsset{{ID: "d", Name: "D", Classifications: []string{"pan", "card"}}},
		DataAssets:    []overlay.DataAssetEntry{{Classifications: []string{"pna"}}},
		Zones:         []overlay.ZoneEntry{{Trust: "trustd"}},
		Mitigations: []overlay.MitigationEntry{
			{Provides: []model.Provision{{Capability: "encrypt-in-transport"}}},
			{Provides: []model.Provision{{Capability: "encrypt-in-transit", Params: params(t, `{"min_tls": "1.2"}`)}}},
			{Provides: []model.Provision{
				{Capability: "key-management", Params: params(t, `{"rotation_days": 90, "hsm": true}`)},
				{Capability: "encrypt-in-transit", Params: params(t, `{"mutual_auth": "yes", "min_tls_version": 1.2}`)},
			}},
			{Provides: []model.Provision{{Capability: "network-segmentation", Params: params(t, `{"a/b": 1}`)}}},
		},
		AddMitigations: []model.Mitigation{{Provides: []model.Provision{{Capability: "mfa", Params: params(t, `{"phishing_resistant": null}`)}}}},
	}
	errs, warns := Overlay(o, BuiltinTags())
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	want := []Problem{
		{"/overlay/add_data_assets/0/classifications/1", `unknown classification "card" (known: confidential, credentials, financial, internal, pan, phi, pii, public, sad)`},
		{"/overlay/add_mitigations/0/provides/0/params/phishing_resistant", `parameter "phishing_resistant" of mfa must be a boolean, not null`},
		{"/overlay/data_assets/0/classifications/0", `unknown classification "pna" (known: confidential, credentials, financial, internal, pan, phi, pii, public, sad); did you mean "pan"?`},
		{"/overlay/zones/0/trust", `unknown trust level "trustd" (known: trusted, semi-trusted, untrusted, public); did you mean "trusted"?`},
		{"/overlay/mitigations/0/provides/0/capability", `unknown capability "encrypt-in-transport"`},
		{"/overlay/mitigations/1/provides/0/params/min_tls", `unknown parameter "min_tls" of encrypt-in-transit (known: cert_validation, min_tls_version, mutual_auth, protocol)`},
		{"/overlay/mitigations/2/provides/1/params/min_tls_version", `parameter "min_tls_version" of encrypt-in-transit must be a string, not the number 1.2`},
		{"/overlay/mitigations/2/provides/1/params/mutual_auth", `parameter "mutual_auth" of encrypt-in-transit must be a boolean, not the string "yes"`},
		{"/overlay/mitigations/3/provides/0/params/a~1b", `unknown parameter "a/b" of network-segmentation (known: none)`},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if errs[i].Pointer != w.Pointer || !strings.HasPrefix(errs[i].Message, w.Message) {
			t.Errorf("error %d:\n got %s: %s\nwant %s: %s", i, errs[i].Pointer, errs[i].Message, w.Pointer, w.Message)
		}
	}
	if !strings.HasSuffix(errs[4].Message, `; did you mean "encrypt-in-transit"?`) {
		t.Errorf("no suggestion for a near capability: %s", errs[4].Message)
	}
}

// TestEveryCapabilityAcceptsItsOwnParameters reads the vocabulary from
// capabilities.yaml, as the checks do: a capability or parameter added
// there is known without any change here.
func TestEveryCapabilityAcceptsItsOwnParameters(t *testing.T) {
	sample := map[string]any{"string": "x", "boolean": true, "number": json.Number("3"), "list": []any{"a"}}
	var provides []model.Provision
	for _, c := range mappings.Capabilities() {
		p := model.Provision{Capability: c.ID, Params: map[string]any{}}
		for n, typ := range c.Params {
			v, ok := sample[typ]
			if !ok {
				t.Fatalf("capability %s: parameter %s has type %q, which the checks do not know", c.ID, n, typ)
			}
			p.Params[n] = v
		}
		provides = append(provides, p)
	}
	m := &model.Model{Mitigations: []model.Mitigation{{ID: "m", Provides: provides, Ref: "/mitigations/0"}}}
	if errs, _ := Model(m, Tags{}); len(errs) > 0 {
		t.Errorf("well-typed parameters refused: %v", errs)
	}
}

func TestModel(t *testing.T) {
	m := &model.Model{
		Zones: []model.Zone{
			{ID: "z1", Tags: []string{"CDE", "dmz", "cde"}, Trust: "public", Ref: "/zones/0"},
			{ID: "z2", Tags: []string{"cd"}, Trust: "open", Ref: "/zones/1"},
		},
		Components: []model.Component{{ID: "c", Tags: []string{"Bespoke", "legacy"}, Ref: "/components/0"}},
		Flows:      []model.Flow{{ID: "f", Tags: []string{"cde"}, Ref: "/flows/0"}},
		DataAssets: []model.DataAsset{{ID: "d", Classifications: []string{"PAN"}, Ref: "data-asset[d]"}},
	}
	errs, warns := Model(m, BuiltinTags())
	wantErrs := []string{
		`/zones/1/trust: unknown trust level "open"`,
		`data-asset[d]: unknown classification "PAN" (known: confidential, credentials, financial, internal, pan, phi, pii, public, sad); did you mean "pan"?`,
	}
	wantWarns := []string{
		`/zones/0/tags/0: zone tag "CDE" is not one auditpack reads; did you mean "cde"?`,
		`/zones/1/tags/0: zone tag "cd" is not one auditpack reads; did you mean "cde"?`,
		`/components/0/tags/0: component tag "Bespoke" is not one auditpack reads; did you mean "bespoke"?`,
	}
	check := func(what string, got []Problem, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %q", what, got, want)
		}
		for i, w := range want {
			if s := got[i].Pointer + ": " + got[i].Message; !strings.HasPrefix(s, w) {
				t.Errorf("%s %d:\n got %s\nwant %s", what, i, s, w)
			}
		}
	}
	check("errors", errs, wantErrs)
	// A flow tag is checked against flow tags only; no rule reads "cde" on
	// a flow, but no near miss of a flow tag is known either.
	check("warnings", warns, wantWarns)
}

func TestRuleTags(t *testing.T) {
	rules := []mappings.Rule{
		{AppliesTo: mappings.Selector{Element: "dataflow", Where: &mappings.Predicate{All: []mappings.Predicate{
			{Fn: "crosses_boundary", Args: map[string]any{"into_zone_tags": []any{"pci-seg"}}},
			{Field: "tags", Op: "contains", Value: "batch"},
			{Not: &mappings.Predicate{Field: "source.tags", Op: "intersects", Value: []any{"legacy"}}},
		}}}},
		{AppliesTo: mappings.Selector{Element: "zone", Where: &mappings.Predicate{Fn: "has_tag", Args: map[string]any{"tag": "dmz"}}},
			FailsIf: &mappings.Predicate{Field: "tags", Op: "contains", Value: "flat"}},
		{AppliesTo: mappings.Selector{Element: "process", Where: &mappings.Predicate{Any: []mappings.Predicate{
			{Field: "zone.tags", Op: "contains", Value: "dmz"},
			{Field: "tags", Op: "in", Value: []any{"bespoke", "vendor"}},
		}}}},
	}
	got := RuleTags(rules)
	want := Tags{Zone: []string{"dmz", "flat", "pci-seg"}, Component: []string{"bespoke", "legacy", "vendor"}, Flow: []string{"batch"}}
	if !slices.Equal(got.Zone, want.Zone) || !slices.Equal(got.Component, want.Component) || !slices.Equal(got.Flow, want.Flow) {
		t.Errorf("RuleTags = %+v, want %+v", got, want)
	}
}

// TestBuiltinRulesReadKnownVocabulary keeps the built-in lists (and the
// documentation that lists them) a superset of what the shipped rules read:
// every tag they compare with is a built-in tag, every classification they
// name is in the closed vocabulary.
func TestBuiltinRulesReadKnownVocabulary(t *testing.T) {
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var rules []mappings.Rule
	for _, rs := range sets {
		rules = append(rules, rs.Rules...)
	}
	read, builtin := RuleTags(rules), BuiltinTags()
	for _, c := range []struct {
		kind       string
		read, have []string
	}{{"zone", read.Zone, builtin.Zone}, {"component", read.Component, builtin.Component}, {"flow", read.Flow, builtin.Flow}} {
		for _, tag := range c.read {
			if !slices.Contains(c.have, tag) {
				t.Errorf("built-in rules read %s tag %q, which is not a built-in %s tag", c.kind, tag, c.kind)
			}
		}
	}
	if !slices.Contains(read.Zone, "cde") || !slices.Contains(read.Component, "bespoke") {
		t.Errorf("the walk found too little: %+v", read)
	}
	n := 0
	var walk func(p mappings.Predicate)
	walk = func(p mappings.Predicate) {
		for _, c := range append(append([]mappings.Predicate(nil), p.All...), p.Any...) {
			walk(c)
		}
		if p.Not != nil {
			walk(*p.Not)
		}
		values := strs(p.Args["classifications"])
		if strings.HasSuffix(p.Field, "classifications") {
			values = append(values, strs(p.Value)...)
		}
		for _, v := range values {
			n++
			if !slices.Contains(classifications, v) {
				t.Errorf("a built-in rule names classification %q, which is not in the vocabulary", v)
			}
		}
	}
	for _, r := range rules {
		for _, p := range []*mappings.Predicate{r.AppliesTo.Where, r.FailsIf} {
			if p != nil {
				walk(*p)
			}
		}
	}
	if n == 0 {
		t.Error("no classification found in the built-in rules")
	}
}
