package mappings

import (
	"slices"
	"strings"
)

// The field vocabulary of the predicate language. A rule naming any other
// field fails lint, so a typo cannot silently turn a check into "never true".
var (
	componentFields = []string{
		"id", "name", "kind", "type", "tags", "zone", "zone.tags", "zone.trust",
		"data.ids", "data.classifications", "encrypted_at_rest", "stores_credentials",
		"stores_logs", "internet_facing", "authenticates",
		"stores.classifications", "processes.classifications", "pci.scope", "exposed",
	}
	flowFields = []string{
		"id", "name", "protocol", "tags", "bidirectional", "encrypted", "authenticated",
		"public_network", "interactive", "admin", "data.ids", "data.classifications", "pci.scope",
	}
	// systemFields are the facts of the model as a whole.
	systemFields = []string{
		"scope.findings", "scope.account_data_outside_cde", "zones.cde_tagged", "zones.tags", "zones.names", "cde.components", "components.separated_from_cde", "capabilities", "components.types",
		"threats.count", "threats.without_owner", "threats.without_status",
	}
	zoneFields = []string{"id", "name", "tags", "trust", "parent"}
	// mitigationFields are the fields of requires.where, whose root is the
	// mitigation found; params.<name> reads a capability parameter.
	mitigationFields = []string{"id", "title", "status", "targets.cde"}
)

// Fields returns the fields a predicate may name for an element kind, sorted.
// Flow fields also include source.<f> and destination.<f> for every
// component field f.
func Fields(kind string) []string {
	var out []string
	switch kind {
	case "process", "datastore", "external-entity", ElementComponent:
		out = slices.Clone(componentFields)
	case "dataflow":
		out = slices.Clone(flowFields)
		for _, f := range componentFields {
			out = append(out, "source."+f, "destination."+f)
		}
	case "zone":
		out = slices.Clone(zoneFields)
	case ElementSystem:
		out = slices.Clone(systemFields)
	}
	slices.Sort(out)
	return out
}

func knownField(kind, field string) bool {
	return slices.Contains(Fields(kind), field)
}

func knownMitigationField(field string) bool {
	return slices.Contains(mitigationFields, field) ||
		(strings.HasPrefix(field, "params.") && len(field) > len("params."))
}

// Function arguments, per function. Every argument is optional; at least one
// must be given except for has_tag's tag, which is required.
var fnArgs = map[string][]string{
	"crosses_boundary": {"any", "into_cde", "into_trust", "into_zone_tags", "out_of_cde", "out_of_trust", "out_of_zone_tags", "trust", "zone_tags"},
	"in_zone":          {"trust", "zone_tags", "zones"},
	"exposed_to":       {"public_network", "reachable", "trust", "zone_tags"},
	"has_tag":          {"tag"},
	"connected_to":     {"classifications", "kind", "trust", "type", "zone_tags"},
}

// fnKinds lists the element kinds each function is defined for.
var fnKinds = map[string][]string{
	"crosses_boundary": {"dataflow"},
	"in_zone":          {"process", "datastore", "external-entity", ElementComponent, "dataflow"},
	"exposed_to":       {"process", "datastore", "external-entity", ElementComponent, "dataflow"},
	"has_tag":          {"process", "datastore", "external-entity", ElementComponent, "dataflow", "zone"},
	"connected_to":     {"process", "datastore", "external-entity", ElementComponent, "dataflow"},
}

// locations lists where a capability may sit for each scoped element kind.
var locations = map[string][]string{
	"dataflow":        {AtSelf, AtSource, AtDestination, AtPath, AtBoundary, AtZone, AtEntry, AtExit, AtUpstream},
	"process":         {AtSelf, AtPath, AtBoundary, AtZone, AtHost, AtEntry, AtUpstream},
	"datastore":       {AtSelf, AtPath, AtBoundary, AtZone, AtHost, AtEntry, AtUpstream},
	"external-entity": {AtSelf, AtPath, AtBoundary, AtZone, AtHost},
	ElementComponent:  {AtSelf, AtPath, AtBoundary, AtZone, AtHost, AtEntry, AtUpstream},
	"zone":            {AtSelf, AtZone},
	ElementSystem:     {AtSelf},
}
