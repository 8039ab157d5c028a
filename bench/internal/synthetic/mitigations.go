package synthetic

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/model"
)

// Group sizes: mitigations sit on groups of elements, as they do in real
// models (one firewall for a zone, one TLS policy for a set of services).
const (
	componentGroup = 25
	flowGroup      = 50
)

// mitigation adds one mitigation; every fifteenth group-level mitigation is
// only planned, so that some rules find the capability missing.
func (g *gen) mitigation(id, title string, targets []string, planned bool) {
	if len(targets) == 0 {
		return
	}
	st := model.MitigationImplemented
	if planned {
		st = model.MitigationPlanned
	} else {
		g.mits = append(g.mits, id)
	}
	g.m.Mitigations = append(g.m.Mitigations, model.Mitigation{ID: id, Title: title, Status: st, Targets: targets})
}

func (g *gen) mitigations() {
	for _, z := range g.m.Zones {
		if z.ID == "internet" || z.ID == "partner" {
			continue
		}
		t := []string{z.ID}
		g.mitigation("M-NSC-"+z.ID, "Default-deny firewall for "+z.Name, t, false)
		g.mitigation("M-SIEM-"+z.ID, "SIEM monitoring of "+z.Name, t, false)
		g.mitigation("M-HARDEN-"+z.ID, "Hardened images in "+z.Name, t, false)
		g.mitigation("M-VULN-"+z.ID, "Weekly vulnerability scanning in "+z.Name, t, false)
		if z.ID == "dmz" || isCDE(z.ID) {
			g.mitigation("M-EDR-"+z.ID, "Endpoint detection agents in "+z.Name, t, false)
			g.mitigation("M-PENTEST-"+z.ID, "Annual penetration test of "+z.Name, t, false)
		}
	}
	procs := g.ids(g.procs)
	for i := 0; i < len(procs); i += componentGroup {
		grp, n := procs[i:min(i+componentGroup, len(procs))], i/componentGroup
		planned := n%15 == 7
		g.mitigation(fmt.Sprintf("M-AUTHZ-%04d", n), fmt.Sprintf("Role-based access control for service group %d", n), grp, planned)
		g.mitigation(fmt.Sprintf("M-AUTHN-%04d", n), fmt.Sprintf("Token authentication for service group %d", n), grp, false)
		g.mitigation(fmt.Sprintf("M-LOG-%04d", n), fmt.Sprintf("Audit logging for service group %d", n), grp, false)
		g.mitigation(fmt.Sprintf("M-SDLC-%04d", n), fmt.Sprintf("Peer review and static analysis for service group %d", n), grp, n%15 == 11)
		g.mitigation(fmt.Sprintf("M-WAF-%04d", n), fmt.Sprintf("Web application firewall for service group %d", n), grp, false)
	}
	stores := g.ids(g.stores)
	for i := 0; i < len(stores); i += componentGroup {
		grp, n := stores[i:min(i+componentGroup, len(stores))], i/componentGroup
		g.mitigation(fmt.Sprintf("M-ENC-%04d", n), fmt.Sprintf("Storage encryption with managed keys, store group %d", n), grp, n%15 == 3)
		g.mitigation(fmt.Sprintf("M-BACKUP-%04d", n), fmt.Sprintf("Nightly backups, store group %d", n), grp, false)
		g.mitigation(fmt.Sprintf("M-RETAIN-%04d", n), fmt.Sprintf("Lifecycle deletion rules, store group %d", n), grp, false)
		g.mitigation(fmt.Sprintf("M-AUTHZ-S%04d", n), fmt.Sprintf("Role-based access control for store group %d", n), grp, false)
	}
	for i := 0; i < len(g.cdeStores); i += componentGroup {
		grp, n := g.cdeStores[i:min(i+componentGroup, len(g.cdeStores))], i/componentGroup
		g.mitigation(fmt.Sprintf("M-TOKEN-%04d", n), fmt.Sprintf("PAN tokenisation, vault group %d", n), grp, false)
		g.mitigation(fmt.Sprintf("M-KMS-%04d", n), fmt.Sprintf("HSM-backed key management, vault group %d", n), grp, false)
	}
	g.mitigation("M-MFA", "Phishing-resistant MFA for operators", g.persons, false)
	var logStores []string
	for _, i := range g.stores {
		if c := g.m.Components[i]; c.Type == "log-store" {
			logStores = append(logStores, c.ID)
		}
	}
	g.mitigation("M-LOG-WORM", "Write-once log retention", logStores, false)
	flows := g.m.Flows
	for i := 0; i < len(flows); i += flowGroup {
		n := i / flowGroup
		var tls, auth []string
		for _, f := range flows[i:min(i+flowGroup, len(flows))] {
			if f.Protocol != "http" {
				tls = append(tls, f.ID)
			}
			auth = append(auth, f.ID)
		}
		g.mitigation(fmt.Sprintf("M-TLS-%05d", n), fmt.Sprintf("TLS 1.2+ on flow group %d", n), tls, n%15 == 5)
		g.mitigation(fmt.Sprintf("M-SVCAUTH-%05d", n), fmt.Sprintf("Service identities on flow group %d", n), auth, false)
	}
}

func (g *gen) ids(idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = g.m.Components[j].ID
	}
	return out
}

// threats adds one threat per ten components, each against a component and
// one of its flows, linked to a mitigation on the component when there is one.
func (g *gen) threats() {
	cats := []string{"Spoofing", "Tampering", "Repudiation", "Information disclosure", "Denial of service", "Elevation of privilege"}
	sev := []string{"low", "medium", "high", "critical"}
	status := []string{model.ThreatMitigated, model.ThreatMitigated, model.ThreatOpen, model.ThreatInProgress, model.ThreatAccepted}
	for i := range g.spec.Components / 10 {
		c := g.m.Components[g.rnd.IntN(len(g.m.Components))]
		f := g.m.Flows[g.rnd.IntN(len(g.m.Flows))]
		t := model.Threat{ID: fmt.Sprintf("T-%05d", i), Title: fmt.Sprintf("%s against %s", cats[i%len(cats)], c.Name),
			Category: cats[i%len(cats)], Severity: sev[g.rnd.IntN(len(sev))], Status: status[g.rnd.IntN(len(status))],
			Targets: []string{c.ID, f.ID}}
		g.m.Threats = append(g.m.Threats, t)
	}
}

// Overlay is the scope overlay of every generated project, in the form of
// auditpack.yaml's "overlay" key: data classifications, the CDE and public
// zone tags, and mitigation titles mapped to capabilities by pattern.
func Overlay() map[string]any {
	type m = map[string]any
	provides := func(capability string, params m) m {
		if params == nil {
			return m{"capability": capability}
		}
		return m{"capability": capability, "params": params}
	}
	byPattern := func(pattern string, p ...m) m { return m{"match": m{"pattern": pattern}, "provides": p} }
	return m{
		"data_assets": []m{
			{"match": m{"id": "pan"}, "classifications": []string{"pan"}},
			{"match": m{"id": "cvv"}, "classifications": []string{"sad"}},
			{"match": m{"id": "customer-pii"}, "classifications": []string{"pii", "confidential"}},
			{"match": m{"id": "credentials"}, "classifications": []string{"credentials"}},
			{"match": m{"id": "transactions"}, "classifications": []string{"confidential", "financial"}},
			{"match": m{"id": "statements"}, "classifications": []string{"pan", "pii", "confidential"}},
			{"match": m{"id": "audit-logs"}, "classifications": []string{"internal"}},
		},
		"zones": []m{
			{"match": m{"id": "cde"}, "tags": []string{"cde"}},
			{"match": m{"id": "internet"}, "tags": []string{"public"}},
		},
		"mitigations": []m{
			byPattern(`^Default-deny firewall`, provides("traffic-filtering", m{"direction": "both", "default_deny": true}), provides("network-segmentation", nil)),
			byPattern(`^SIEM monitoring`, provides("security-monitoring", m{"alerting": true})),
			byPattern(`^Hardened images`, provides("secure-configuration", m{"baseline": "cis-level-1"})),
			byPattern(`^Weekly vulnerability scanning`, provides("vulnerability-management", m{"scan_interval_days": 7})),
			byPattern(`^Endpoint detection`, provides("malware-protection", nil)),
			byPattern(`^Annual penetration test`, provides("penetration-testing", m{"interval_days": 365})),
			byPattern(`^Role-based access control`, provides("authorization", m{"model": "rbac"})),
			byPattern(`^Token authentication`, provides("authentication", m{"method": "token"})),
			byPattern(`^Audit logging`, provides("audit-logging", m{"central_collection": true})),
			byPattern(`^Peer review`, provides("secure-development", nil), provides("change-control", m{"peer_review": true})),
			byPattern(`^Web application firewall`, provides("web-attack-protection", m{"mode": "block"})),
			byPattern(`^Storage encryption`, provides("encrypt-at-rest", m{"level": "volume"})),
			byPattern(`^Nightly backups`, provides("backup-recovery", m{"tested": true})),
			byPattern(`^Lifecycle deletion`, provides("data-retention", m{"retention_days": 2555})),
			byPattern(`^PAN tokenisation`, provides("pan-unreadable", m{"method": "tokenization"})),
			byPattern(`^HSM-backed key management`, provides("key-management", m{"hsm": true, "rotation_days": 365})),
			byPattern(`^Phishing-resistant MFA`, provides("mfa", m{"phishing_resistant": true}), provides("authentication", m{"method": "mfa"})),
			byPattern(`^TLS 1\.2\+`, provides("encrypt-in-transit", m{"min_tls_version": "1.2", "cert_validation": true})),
			byPattern(`^Write-once log retention`, provides("log-protection", m{"immutable": true, "retention_days": 400})),
			byPattern(`^Service identities`, provides("authentication", m{"method": "certificate"})),
		},
	}
}
