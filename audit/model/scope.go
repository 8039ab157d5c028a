package model

import (
	"fmt"
	"slices"
	"strings"
)

// PCI DSS scope classes of an element, derived from the data it handles and
// the flows that join it to the cardholder data environment, never from zone
// tags alone.
const (
	// ScopeCDE: the element stores, processes or transmits account data
	// (PAN or SAD), or sits in a zone tagged cde.
	ScopeCDE = "cde"
	// ScopeSecurityImpacting: a security service (identity, logging,
	// monitoring, administration, jump host) joined by a flow to the CDE or
	// to a connected system.
	ScopeSecurityImpacting = "security-impacting"
	// ScopeConnected: a system joined to a CDE element by a flow.
	ScopeConnected = "connected"
	// ScopeThirdParty: an external entity that exchanges account data with
	// the system or is joined to a CDE element: a third-party service
	// provider, or a customer.
	ScopeThirdParty = "third-party"
)

// AccountData are the classifications that make an element part of the CDE.
var AccountData = []string{"pan", "sad"}

// CDETag is the zone tag that declares a zone part of the CDE.
const CDETag = "cde"

// ThirdPartyTag marks a zone run by a third party: its components are the
// provider's systems, judged as third-party service providers rather than
// as the entity's own CDE.
const ThirdPartyTag = "third-party"

// securityTypes are component types that provide a security service; a
// component of one of them that serves the CDE is security-impacting.
var securityTypes = []string{
	"idp", "identity-provider", "directory", "active-directory", "ldap", "iam", "sso", "pam",
	"log-store", "log-collector", "siem", "monitoring", "ids", "ips",
	"admin-console", "jump-host", "bastion", "vpn", "vpn-gateway",
	"kms", "hsm", "pki", "certificate-authority", "secrets-manager", "vault",
	"dns", "ntp", "patch-server", "anti-malware-console", "edr", "firewall", "waf",
	"ci-cd", "build-server", "config-management",
}

// SecurityImpactingTag marks a component as a security service whatever its
// type.
const SecurityImpactingTag = "security-impacting"

// Scope is the derived scope of one element, with the reasons for it.
type Scope struct {
	Class string   `json:"class,omitempty"`
	Why   []string `json:"why,omitempty"`
}

// ScopeFinding is a disagreement between the declared scope (zone tags)
// and the scope the data implies.
type ScopeFinding struct {
	Code    string `json:"code"`
	Element string `json:"element"`
	Message string `json:"message"`
}

// Scope finding codes.
const (
	FindingAccountDataOutsideCDE = "account-data-outside-cde-zone"
	FindingCDEZoneWithoutData    = "cde-zone-without-account-data"
	FindingNoCDEZone             = "no-cde-zone"
	FindingDeclaredOutOfScope    = "declared-out-of-scope-in-scope"
	FindingExternalInCDE         = "external-entity-in-cde-zone"
)

func scopeNoun(class string) string {
	switch class {
	case ScopeCDE:
		return "in the CDE"
	case ScopeConnected:
		return "a connected system"
	case ScopeSecurityImpacting:
		return "a security-impacting system"
	}
	return "in scope"
}

// ScopeOf returns the derived scope of a component or flow; the zero Scope
// when it has no relation to account data.
func (x *Index) ScopeOf(id string) Scope { return x.scopes[id] }

// ScopeFindings returns the scope findings, in model order.
func (x *Index) ScopeFindings() []ScopeFinding { return x.findings }

// InCDE reports whether the element belongs to the derived CDE.
func (x *Index) InCDE(id string) bool { return x.scopes[id].Class == ScopeCDE }

// HasCDETag reports whether any zone is tagged cde.
func (x *Index) HasCDETag() bool {
	for _, z := range x.Model.Zones {
		if slices.Contains(z.Tags, CDETag) {
			return true
		}
	}
	return false
}

func (x *Index) deriveScope() {
	m := x.Model
	x.scopes = map[string]Scope{}
	account := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if d := x.data[id]; d != nil && intersectsAny(d.Classifications, AccountData) {
				out = append(out, id)
			}
		}
		return out
	}
	// The CDE: components that store, process or transmit account data,
	// and components in zones tagged cde.
	// A component or flow declared out of scope still belongs to the CDE
	// when it handles account data, and to the connected systems when a
	// flow joins it to the CDE: PCI DSS scope follows the data and the
	// connections, not a declaration, so out_of_scope only removes
	// elements that have neither.
	for _, c := range m.Components {
		if (c.Kind == KindExternalEntity && !x.InZoneTagged(c.ID, CDETag)) || x.InZoneTagged(c.ID, ThirdPartyTag) {
			continue
		}
		var why []string
		if s := account(c.Stores); len(s) > 0 {
			why = append(why, "stores "+x.dataNames(s))
		}
		if p := account(c.Processes); len(p) > 0 {
			why = append(why, "processes "+x.dataNames(p))
		}
		for _, fid := range x.inbound[c.ID] {
			if d := account(x.flows[fid].Data); len(d) > 0 {
				why = append(why, fmt.Sprintf("receives %s over flow %q", x.dataNames(d), x.flows[fid].Name))
			}
		}
		for _, fid := range x.outbound[c.ID] {
			if d := account(x.flows[fid].Data); len(d) > 0 {
				why = append(why, fmt.Sprintf("sends %s over flow %q", x.dataNames(d), x.flows[fid].Name))
			}
		}
		for _, z := range x.chains[c.Zone] {
			if x.ZoneHasTag(z, CDETag) {
				why = append(why, fmt.Sprintf("sits in zone %q, tagged cde", x.zones[z].Name))
				break
			}
		}
		// An external entity drawn inside a cde zone is in the CDE only by
		// the account data it handles, not by the tag alone.
		if len(why) > 0 && (c.Kind != KindExternalEntity || len(why) > 1) {
			x.scopes[c.ID] = Scope{Class: ScopeCDE, Why: dedupe(why)}
		}
	}
	// Connected and security-impacting systems: one flow from a CDE
	// element; security services also one flow from a connected system.
	peers := func(id string) []string {
		var out []string
		for _, fid := range append(slices.Clone(x.inbound[id]), x.outbound[id]...) {
			f := x.flows[fid]
			p := f.Source
			if p == id {
				p = f.Target
			}
			out = append(out, fid, p)
		}
		return out
	}
	for _, c := range m.Components {
		if c.Kind == KindExternalEntity || x.InZoneTagged(c.ID, ThirdPartyTag) || x.scopes[c.ID].Class != "" {
			continue
		}
		var why []string
		p := peers(c.ID)
		for i := 0; i < len(p); i += 2 {
			if x.scopes[p[i+1]].Class == ScopeCDE {
				why = append(why, fmt.Sprintf("joined to CDE element %q by flow %q", x.NameOf(p[i+1]), x.flows[p[i]].Name))
			}
		}
		if len(why) > 0 {
			x.scopes[c.ID] = Scope{Class: ScopeConnected, Why: dedupe(why)}
		}
	}
	for _, c := range m.Components {
		if c.Kind == KindExternalEntity || x.InZoneTagged(c.ID, ThirdPartyTag) || x.scopes[c.ID].Class == ScopeCDE || !x.isSecurityService(&c) {
			continue
		}
		var why []string
		if s := x.scopes[c.ID]; s.Class == ScopeConnected {
			why = append(why, s.Why...)
		}
		p := peers(c.ID)
		for i := 0; i < len(p); i += 2 {
			if x.scopes[p[i+1]].Class == ScopeConnected {
				why = append(why, fmt.Sprintf("serves connected system %q over flow %q", x.NameOf(p[i+1]), x.flows[p[i]].Name))
			}
		}
		if len(why) > 0 {
			kind := c.Type
			if kind == "" {
				kind = "tagged " + SecurityImpactingTag
			}
			why = append([]string{fmt.Sprintf("provides a security service (%s)", kind)}, why...)
			x.scopes[c.ID] = Scope{Class: ScopeSecurityImpacting, Why: dedupe(why)}
		}
	}
	// Third parties: external entities, and components drawn in a zone
	// tagged third-party (a provider's systems drawn as processes).
	for _, c := range m.Components {
		if (c.Kind != KindExternalEntity && !x.InZoneTagged(c.ID, ThirdPartyTag)) || c.OutOfScope || x.scopes[c.ID].Class != "" {
			continue
		}
		var why []string
		for _, fid := range append(slices.Clone(x.inbound[c.ID]), x.outbound[c.ID]...) {
			f := x.flows[fid]
			if d := account(f.Data); len(d) > 0 {
				why = append(why, fmt.Sprintf("exchanges %s over flow %q", x.dataNames(d), f.Name))
				continue
			}
			p := f.Source
			if p == c.ID {
				p = f.Target
			}
			switch x.scopes[p].Class {
			case ScopeCDE:
				why = append(why, fmt.Sprintf("joined to CDE element %q by flow %q", x.NameOf(p), f.Name))
			case ScopeConnected, ScopeSecurityImpacting:
				// A provider that reaches a jump host or an admin console
				// can affect the CDE's security.
				why = append(why, fmt.Sprintf("joined to %s system %q by flow %q", x.scopes[p].Class, x.NameOf(p), f.Name))
			}
		}
		if len(why) > 0 {
			x.scopes[c.ID] = Scope{Class: ScopeThirdParty, Why: dedupe(why)}
		}
	}
	for _, f := range m.Flows {
		if d := account(f.Data); len(d) > 0 {
			x.scopes[f.ID] = Scope{Class: ScopeCDE, Why: []string{"carries " + x.dataNames(d)}}
			continue
		}
		for _, end := range []string{f.Source, f.Target} {
			if x.scopes[end].Class == ScopeCDE {
				x.scopes[f.ID] = Scope{Class: ScopeConnected, Why: []string{fmt.Sprintf("joins CDE element %q", x.NameOf(end))}}
				break
			}
		}
	}
	x.cdeZones = map[string]bool{}
	for _, c := range m.Components {
		if x.InCDE(c.ID) {
			for _, z := range x.chains[c.Zone] {
				x.cdeZones[z] = true
			}
		}
	}
	x.deriveFindings(account)
}

// ZoneHoldsCDE reports whether a zone holds a CDE component, directly or
// in a zone nested in it.
func (x *Index) ZoneHoldsCDE(zone string) bool { return x.cdeZones[zone] }

func (x *Index) deriveFindings(account func([]string) []string) {
	m := x.Model
	for _, c := range m.Components {
		if s := x.scopes[c.ID]; c.OutOfScope && s.Class != "" && s.Class != ScopeThirdParty {
			x.findings = append(x.findings, ScopeFinding{Code: FindingDeclaredOutOfScope, Element: c.ID,
				Message: fmt.Sprintf("%s %q is declared out of scope but %s: it is %s all the same", c.Kind, c.Name, s.Why[0], scopeNoun(s.Class))})
		}
	}
	for _, f := range m.Flows {
		if s := x.scopes[f.ID]; f.OutOfScope && s.Class != "" {
			x.findings = append(x.findings, ScopeFinding{Code: FindingDeclaredOutOfScope, Element: f.ID,
				Message: fmt.Sprintf("flow %q is declared out of scope but %s: it is %s all the same", f.Name, s.Why[0], scopeNoun(s.Class))})
		}
	}
	for _, c := range m.Components {
		if c.Kind != KindExternalEntity || !x.InZoneTagged(c.ID, CDETag) {
			continue
		}
		if s := x.scopes[c.ID]; s.Class != "" {
			x.findings = append(x.findings, ScopeFinding{Code: FindingExternalInCDE, Element: c.ID,
				Message: fmt.Sprintf("external entity %q sits in a zone tagged cde and %s: a system in the CDE must be modelled as a process or data store so that the rules judge it", c.Name, s.Why[0])})
		}
	}
	tagged := x.HasCDETag()
	var outside []string
	for _, c := range m.Components {
		s := x.scopes[c.ID]
		if s.Class != ScopeCDE || x.InZoneTagged(c.ID, CDETag) {
			continue
		}
		outside = append(outside, c.ID)
		if tagged {
			why := s.Why[0]
			if len(s.Why) > 1 {
				why += fmt.Sprintf(" (and %d more)", len(s.Why)-1)
			}
			x.findings = append(x.findings, ScopeFinding{Code: FindingAccountDataOutsideCDE, Element: c.ID,
				Message: fmt.Sprintf("%s %q %s but sits outside every zone tagged cde: it is in the CDE all the same", c.Kind, c.Name, why)})
		}
	}
	if !tagged && len(outside) > 0 {
		names := make([]string, len(outside))
		for i, id := range outside {
			names[i] = fmt.Sprintf("%q", x.NameOf(id))
		}
		x.findings = append(x.findings, ScopeFinding{Code: FindingNoCDEZone,
			Message: fmt.Sprintf("no zone is tagged cde; the CDE is derived from the data alone: %s", strings.Join(names, ", "))})
	}
	// The zones holding, directly or through nested zones, a component
	// that handles account data, found once for every tagged zone.
	holds := map[string]bool{}
	for _, c := range m.Components {
		if len(account(x.ComponentData(c.ID))) > 0 {
			for _, z := range x.chains[c.Zone] {
				holds[z] = true
			}
		}
	}
	for _, z := range m.Zones {
		if !slices.Contains(z.Tags, CDETag) {
			continue
		}
		if !holds[z.ID] {
			x.findings = append(x.findings, ScopeFinding{Code: FindingCDEZoneWithoutData, Element: z.ID,
				Message: fmt.Sprintf("zone %q is tagged cde but no component in it stores, processes or transmits PAN or SAD", z.Name)})
		}
	}
}

// isSecurityService reports whether a component provides a security
// service: by type, by tag, or because it stores logs.
func (x *Index) isSecurityService(c *Component) bool {
	return slices.Contains(securityTypes, strings.ToLower(c.Type)) || slices.Contains(c.Tags, SecurityImpactingTag) || c.StoresLogs == True
}

func (x *Index) dataNames(ids []string) string {
	var parts []string
	for _, id := range sortedUnion(ids) {
		d := x.data[id]
		parts = append(parts, fmt.Sprintf("%s (%s)", d.Name, strings.Join(intersection(d.Classifications, AccountData), ", ")))
	}
	return strings.Join(parts, ", ")
}

func intersectsAny(a, b []string) bool {
	return slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) })
}

func intersection(a, b []string) []string {
	var out []string
	for _, s := range a {
		if slices.Contains(b, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// dedupe drops repeated reasons, keeping the first of each: a hub joined
// to the CDE by thousands of flows has thousands of reasons.
func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
