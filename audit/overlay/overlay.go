// Package overlay applies a scope overlay to a threat model: the compliance
// facts an export lacks (which data is PAN, which zone is the CDE, which
// mitigation provides which capability), added without editing the export.
//
// Entries match elements by id, by name (case-insensitive) or by a regular
// expression over name, title and description, so free-text mitigations from
// tools like Threat Dragon can be mapped by pattern. An entry that matches
// nothing is reported, because it is almost always a typo.
package overlay

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

//go:embed overlay.schema.json
var schemaJSON []byte

// Schema returns the overlay's JSON Schema, which the configuration schema
// includes.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Overlay is the scope overlay of a project.
type Overlay struct {
	// AddDataAssets declares data the export does not name (Threat Dragon
	// and TMT models have none), so components and flows can carry it.
	AddDataAssets []model.DataAsset `json:"add_data_assets,omitempty"`
	// AddMitigations declares controls the export does not record (a
	// Threagile model states protocols, not mitigations).
	AddMitigations []model.Mitigation `json:"add_mitigations,omitempty"`
	DataAssets     []DataAssetEntry   `json:"data_assets,omitempty"`
	Zones          []ZoneEntry        `json:"zones,omitempty"`
	Components     []ComponentEntry   `json:"components,omitempty"`
	Flows          []FlowEntry        `json:"flows,omitempty"`
	Mitigations    []MitigationEntry  `json:"mitigations,omitempty"`
	// Applicability declares controls the organisation holds not
	// applicable, each with its justification and approver. It changes
	// no element: the roll-up of controls reads it.
	Applicability []ApplicabilityEntry `json:"applicability,omitempty"`
}

// ApplicabilityEntry declares one control not applicable. Control is
// framework-qualified as exceptions name controls ("pci-dss@4.0.1:3.5.1").
// A declaration never makes a control satisfied: where auditpack finds
// elements in the control's scope, the control is to be confirmed.
type ApplicabilityEntry struct {
	Control       string `json:"control"`
	Justification string `json:"justification"`
	Approver      string `json:"approver"`
}

// Match selects elements. Exactly the given criteria must all hold.
type Match struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Pattern string `json:"pattern,omitempty"`
}

// DataAssetEntry classifies data assets.
type DataAssetEntry struct {
	Match           Match    `json:"match"`
	Classifications []string `json:"classifications,omitempty"`
}

// ZoneEntry tags zones and sets their trust.
type ZoneEntry struct {
	Match Match    `json:"match"`
	Tags  []string `json:"tags,omitempty"`
	Trust string   `json:"trust,omitempty"`
	// Owner is who answers evidence requests for the elements in the
	// zone (and in zones nested in it that name no owner of their own)
	// when no evidence item names an owner for them.
	Owner string `json:"owner,omitempty"`
}

// ComponentEntry tags components, sets their type or zone, declares the data
// they hold, takes them out of scope, and states (or resets to unknown)
// facts the export left unknown or stated wrongly.
type ComponentEntry struct {
	Match            Match    `json:"match"`
	Tags             []string `json:"tags,omitempty"`
	Type             string   `json:"type,omitempty"`
	Zone             string   `json:"zone,omitempty"`
	Stores           []string `json:"stores,omitempty"`
	Processes        []string `json:"processes,omitempty"`
	OutOfScope       *bool    `json:"out_of_scope,omitempty"`
	OutOfScopeReason string   `json:"out_of_scope_reason,omitempty"`
	// Hosts (host names, addresses, host:port) and Resources (cloud
	// resource ids, image names) are how scans name the component, so
	// that a scan supports exactly the elements it covered.
	Hosts     []string `json:"hosts,omitempty"`
	Resources []string `json:"resources,omitempty"`

	EncryptedAtRest   Fact `json:"encrypted_at_rest,omitzero"`
	StoresCredentials Fact `json:"stores_credentials,omitzero"`
	StoresLogs        Fact `json:"stores_logs,omitzero"`
	InternetFacing    Fact `json:"internet_facing,omitzero"`
	Authenticates     Fact `json:"authenticates,omitzero"`
}

// FlowEntry tags flows, declares the data they carry and states (or resets
// to unknown) facts the export left unknown or stated wrongly.
type FlowEntry struct {
	Match Match    `json:"match"`
	Tags  []string `json:"tags,omitempty"`
	Data  []string `json:"data,omitempty"`
	// Hosts and Resources name the flow's endpoint as scans do; without
	// them a flow is known by its destination component's.
	Hosts         []string `json:"hosts,omitempty"`
	Resources     []string `json:"resources,omitempty"`
	Interactive   Fact     `json:"interactive,omitzero"`
	Admin         Fact     `json:"admin,omitzero"`
	Encrypted     Fact     `json:"encrypted,omitzero"`
	Authenticated Fact     `json:"authenticated,omitzero"`
	PublicNetwork Fact     `json:"public_network,omitzero"`
}

// MitigationEntry says which capabilities matching mitigations provide, and
// may set their status, add targets and link evidence.
type MitigationEntry struct {
	Match    Match             `json:"match"`
	Provides []model.Provision `json:"provides,omitempty"`
	Status   string            `json:"status,omitempty"`
	Targets  []string          `json:"targets,omitempty"`
	Evidence []string          `json:"evidence,omitempty"`
}

// Warning is an overlay entry that matched nothing, located by its pointer
// within the overlay.
type Warning struct {
	Pointer string
	Message string
}

type matcher struct {
	m  Match
	re *regexp.Regexp
}

func compile(m Match, ptr string) (matcher, error) {
	mt := matcher{m: m}
	if m.Pattern != "" {
		re, err := regexp.Compile(m.Pattern)
		if err != nil {
			return mt, fmt.Errorf("at %s/match/pattern: %w", ptr, err)
		}
		mt.re = re
	}
	return mt, nil
}

func (mt matcher) matches(id, name string, text ...string) bool {
	if mt.m.ID != "" && mt.m.ID != id {
		return false
	}
	if mt.m.Name != "" && !strings.EqualFold(strings.TrimSpace(mt.m.Name), strings.TrimSpace(name)) {
		return false
	}
	if mt.re != nil {
		return mt.re.MatchString(strings.Join(append([]string{name}, text...), "\n"))
	}
	return true
}

func addTags(have, add []string) []string {
	out := slices.Clone(have)
	for _, t := range add {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
