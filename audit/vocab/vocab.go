// Package vocab holds the vocabularies of auditpack's inputs in one place and
// checks values against them, so that a typo in a model or an overlay is
// reported instead of silently changing what the rules see.
//
// # Closed and open vocabularies
//
// Data classifications, zone trust levels, capability names and each
// capability's parameters are closed: a value outside them is an error. Tags
// are open: a model may carry any tag, and only the tags rules read change a
// verdict. A tag that is not read but is close to one that is ("CDE" for
// "cde") is almost always a typo, so it is a warning naming the tag meant.
//
// The package is pure: it reads no files and keeps no state beyond the
// embedded capability vocabulary of [mappings.Capabilities].
package vocab

import (
	"slices"

	"github.com/auditpack/auditpack/audit/model"
)

var (
	classifications = []string{
		"confidential", "credentials", "financial", "internal", "pan", "phi", "pii", "public", "sad",
	}
	trustLevels = []string{model.TrustTrusted, model.TrustSemiTrusted, model.TrustUntrusted, model.TrustPublic}
	// zoneTags are the zone tags auditpack itself reads or documents for
	// overlays, whether or not a built-in rule names them today.
	zoneTags = []string{
		"cde", "internet", "management", "pre-production", "production", "public", "third-party", "wireless",
	}
	componentTags = []string{"bespoke"}
)

// Classifications returns the closed vocabulary of data classifications,
// sorted.
func Classifications() []string { return slices.Clone(classifications) }

// TrustLevels returns the closed vocabulary of zone trust levels, most
// trusted first.
func TrustLevels() []string { return slices.Clone(trustLevels) }

// Tags are the tags, per element kind, that something in auditpack reads.
type Tags struct {
	Zone      []string
	Component []string
	Flow      []string
}

// BuiltinTags returns the tags auditpack knows without looking at rules.
func BuiltinTags() Tags {
	return Tags{Zone: slices.Clone(zoneTags), Component: slices.Clone(componentTags)}
}

// merge returns t with the tags of u added, each list sorted and unique.
func (t Tags) merge(u Tags) Tags {
	join := func(a, b []string) []string {
		out := append(slices.Clone(a), b...)
		slices.Sort(out)
		return slices.Compact(out)
	}
	return Tags{Zone: join(t.Zone, u.Zone), Component: join(t.Component, u.Component), Flow: join(t.Flow, u.Flow)}
}
