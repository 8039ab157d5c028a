package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// nested builds internet ⊃ nothing, corp, app ⊃ cde ⊃ vault.
func nested() *Model {
	return &Model{
		Title: "nested",
		Zones: []Zone{
			{ID: "internet", Name: "Internet", Trust: TrustPublic, Tags: []string{"public"}},
			{ID: "app", Name: "Application", Trust: TrustTrusted},
			{ID: "cde", Name: "CDE", Parent: "app", Tags: []string{"cde"}},
			{ID: "vault", Name: "Vault", Parent: "cde"},
		},
		Components: []Component{
			{ID: "user", Name: "User", Kind: KindExternalEntity, Zone: "internet"},
			{ID: "api", Name: "API", Kind: KindProcess, Zone: "app"},
			{ID: "pay", Name: "Payments", Kind: KindProcess, Zone: "cde"},
			{ID: "db", Name: "Card DB", Kind: KindDatastore, Zone: "vault", Stores: []string{"pan"}},
			{ID: "log", Name: "Logs", Kind: KindDatastore, Zone: "cde"},
		},
		DataAssets: []DataAsset{{ID: "pan", Name: "PAN", Classifications: []string{"pan"}}},
		Flows: []Flow{
			{ID: "f-in", Name: "request", Source: "user", Target: "api"},
			{ID: "f-into-cde", Name: "charge", Source: "api", Target: "pay", Data: []string{"pan"}},
			{ID: "f-out-of-cde", Name: "result", Source: "pay", Target: "api"},
			{ID: "f-deep", Name: "store", Source: "api", Target: "db"},
			{ID: "f-inside", Name: "log", Source: "pay", Target: "log"},
			{ID: "f-inner", Name: "read", Source: "pay", Target: "db"},
			{ID: "f-bidi", Name: "sync", Source: "user", Target: "pay", Bidirectional: true},
		},
	}
}

func TestCrossings(t *testing.T) {
	x, err := New(nested())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		flow          string
		left, entered []string
		crosses       bool
	}{
		{"f-in", []string{"internet"}, []string{"app"}, true},
		{"f-into-cde", nil, []string{"cde"}, true},
		{"f-out-of-cde", []string{"cde"}, nil, true},
		{"f-deep", nil, []string{"vault", "cde"}, true},
		{"f-inside", nil, nil, false},
		{"f-inner", nil, []string{"vault"}, true},
		{"f-bidi", []string{"internet", "cde", "app"}, []string{"internet", "cde", "app"}, true},
	}
	for _, tt := range tests {
		c := x.Crossing(tt.flow)
		if !slices.Equal(c.Left, tt.left) || !slices.Equal(c.Entered, tt.entered) || c.Crosses() != tt.crosses {
			t.Errorf("%s: got left=%v entered=%v crosses=%v, want left=%v entered=%v crosses=%v",
				tt.flow, c.Left, c.Entered, c.Crosses(), tt.left, tt.entered, tt.crosses)
		}
	}
	if !x.InZoneTagged("db", "cde") || x.InZoneTagged("api", "cde") {
		t.Error("zone tags must be inherited by nested zones and only by them")
	}
	if got := x.Trust("vault"); got != TrustTrusted {
		t.Errorf("vault inherits trust from app: got %q", got)
	}
	if got := x.ComponentClassifications("api"); !slices.Equal(got, []string{"pan"}) {
		t.Errorf("api exchanges PAN over f-into-cde: got %v", got)
	}
	pub := func(z string) bool { return x.Trust(z) == TrustPublic }
	if got := x.ExposedTo("pay", pub, false); !slices.Equal(got, []string{"f-bidi"}) {
		t.Errorf("pay is exposed through the bidirectional flow only: got %v", got)
	}
	if got := x.ExposedTo("user", pub, false); len(got) != 0 {
		t.Errorf("the user's own zone does not expose it: got %v", got)
	}
}

func TestInvalidReferences(t *testing.T) {
	m := nested()
	m.Flows[0].Target = "nowhere"
	m.Zones[1].Parent = "vault" // app → vault → cde → app loops
	m.Components[1].ID = "user"
	_, err := New(m)
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("want *InvalidError, got %v", err)
	}
	for _, want := range []string{`endpoint "nowhere"`, "loops", `duplicate id "user"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestZoneNestingIsBounded(t *testing.T) {
	m := &Model{Title: "deep"}
	for i := range MaxZoneDepth + 1 {
		z := Zone{ID: fmt.Sprintf("z%d", i), Name: "Z"}
		if i > 0 {
			z.Parent = fmt.Sprintf("z%d", i-1)
		}
		m.Zones = append(m.Zones, z)
	}
	if _, err := New(m); err == nil || !strings.Contains(err.Error(), "nested more than 64 levels") {
		t.Fatalf("want a nesting error, got %v", err)
	}
	m.Zones = m.Zones[:MaxZoneDepth]
	if _, err := New(m); err != nil {
		t.Fatalf("%d levels are allowed: %v", MaxZoneDepth, err)
	}
}
