// Package synthetic generates auditpack projects of a chosen size: a threat
// model, a scope overlay, exceptions and an evidence bundle shaped like a
// real payment platform's, for benchmarks and scale tests.
//
// Generation is pure and deterministic: the same [Spec] (seed included)
// gives the same bytes on every machine. The package never touches the file
// system or the clock; [Project.Write] streams the files through a function
// supplied by the caller, and evidence content is produced as it is written,
// so a bundle of gigabytes never sits in memory.
//
// # Shape
//
// Zones: internet (public), partner (untrusted), dmz, application segments,
// a cardholder data environment (tagged cde) with segments of its own, and a
// corporate network. Components are mostly processes, a quarter data stores
// and a few external entities; flows join them with classified data (pan,
// sad, pii, credentials, financial). Mitigations sit on zones, groups of
// components and groups of flows, and the overlay maps them to capabilities
// by title pattern, as a team would for an export lacking them. Some
// mitigations are only planned, some flows have no transport protection,
// some evidence is stale, and one exception has expired.
package synthetic

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/auditpack/auditpack/audit/model"
)

// Spec is the size of a generated project.
type Spec struct {
	Components    int
	Flows         int
	EvidenceFiles int
	// EvidenceBytes is the total size of the evidence files.
	EvidenceBytes int64
	Seed          uint64
}

// Scale returns the reference sizes used by the benchmarks: factor 1 is
// 100 components, 500 flows, 200 evidence files and 32 MiB of evidence;
// every size grows with the factor.
func Scale(factor int) Spec {
	return Spec{Components: 100 * factor, Flows: 500 * factor, EvidenceFiles: 200 * factor,
		EvidenceBytes: int64(factor) << 25, Seed: 1}
}

// Reference dates of every generated project: evidence ages and exception
// expiries are chosen relative to them.
var (
	AsOf        = time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	PeriodStart = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	PeriodEnd   = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
)

// Project is a generated project held in memory, except for the content of
// its evidence files, which [Project.Write] streams.
type Project struct {
	Spec       Spec
	Model      *model.Model
	Items      []Item
	Files      []EvidenceFile
	Exceptions []Exception
}

// Generate builds a project of the given size. It refuses sizes that cannot
// form a connected model.
func Generate(s Spec) (*Project, error) {
	switch {
	case s.Components < 10:
		return nil, fmt.Errorf("synthetic: at least 10 components are needed, not %d", s.Components)
	case s.Flows < 1 || s.EvidenceFiles < 1:
		return nil, fmt.Errorf("synthetic: flows and evidence files must be positive")
	case s.EvidenceBytes < int64(s.EvidenceFiles):
		return nil, fmt.Errorf("synthetic: %d evidence bytes cannot fill %d files", s.EvidenceBytes, s.EvidenceFiles)
	}
	g := &gen{spec: s, rnd: rand.New(rand.NewPCG(s.Seed, 0x6175646974706b))}
	g.model()
	g.evidence()
	g.exceptions()
	return &Project{Spec: s, Model: g.m, Items: g.items, Files: g.files, Exceptions: g.exc}, nil
}

// gen holds the state of one generation.
type gen struct {
	spec  Spec
	rnd   *rand.Rand
	m     *model.Model
	items []Item
	files []EvidenceFile
	exc   []Exception

	// byZone lists components per zone.
	byZone    map[string][]string
	stores    []int // indexes of data stores in Model.Components
	storeIDs  []string
	cdeStores []string
	procs     []int // indexes of processes
	persons   []string
	mits      []string // implemented mitigations, for evidence
}

var dataAssets = []model.DataAsset{
	{ID: "pan", Name: "Primary account number"},
	{ID: "cvv", Name: "Card verification code"},
	{ID: "customer-pii", Name: "Customer profile"},
	{ID: "credentials", Name: "User credentials and tokens"},
	{ID: "transactions", Name: "Transaction records"},
	{ID: "statements", Name: "Monthly cardholder statements"},
	{ID: "audit-logs", Name: "Audit logs"},
	{ID: "telemetry", Name: "Service telemetry"},
}

// model generates zones, components, flows, threats and mitigations.
func (g *gen) model() {
	s := g.spec
	g.m = &model.Model{ID: fmt.Sprintf("synthetic-%d-%d", s.Components, s.Flows),
		Title: fmt.Sprintf("Synthetic payment platform (%d components, %d flows)", s.Components, s.Flows),
		Owner: "Platform security team", DataAssets: dataAssets}
	g.byZone = map[string][]string{}
	g.zones()
	g.components()
	g.flows()
	g.mitigations()
	g.threats()
}

func (g *gen) addZone(z model.Zone) { g.m.Zones = append(g.m.Zones, z) }

// zones adds the fixed zones and one segment per 250 components inside the
// application network and the CDE.
func (g *gen) zones() {
	g.addZone(model.Zone{ID: "internet", Name: "Internet", Trust: model.TrustPublic})
	g.addZone(model.Zone{ID: "partner", Name: "Partner networks", Trust: model.TrustUntrusted})
	g.addZone(model.Zone{ID: "dmz", Name: "DMZ", Trust: model.TrustSemiTrusted})
	g.addZone(model.Zone{ID: "app", Name: "Application network", Trust: model.TrustTrusted})
	g.addZone(model.Zone{ID: "cde", Name: "Cardholder data environment", Parent: "app"})
	g.addZone(model.Zone{ID: "corporate", Name: "Corporate network", Trust: model.TrustTrusted})
	segs := max(1, g.spec.Components/250)
	for i := range segs {
		g.addZone(model.Zone{ID: fmt.Sprintf("app-seg-%03d", i), Name: fmt.Sprintf("Application segment %d", i), Parent: "app"})
		g.addZone(model.Zone{ID: fmt.Sprintf("cde-seg-%03d", i), Name: fmt.Sprintf("CDE segment %d", i), Parent: "cde"})
	}
}

// pickZone places an internal component: 20% in the CDE, 10% in the DMZ,
// 10% in the corporate network, the rest in application segments.
func (g *gen) pickZone() string {
	segs := max(1, g.spec.Components/250)
	switch r := g.rnd.IntN(10); {
	case r < 2:
		return fmt.Sprintf("cde-seg-%03d", g.rnd.IntN(segs))
	case r < 3:
		return "dmz"
	case r < 4:
		return "corporate"
	}
	return fmt.Sprintf("app-seg-%03d", g.rnd.IntN(segs))
}

func (g *gen) components() {
	n := g.spec.Components
	types := []string{"api", "web-app", "worker", "integration", "api-gateway", "batch"}
	for i := range n {
		c := model.Component{ID: fmt.Sprintf("c%05d", i)}
		switch {
		case i%20 == 0: // 5% external entities
			c.Kind, c.Type = model.KindExternalEntity, []string{"mobile-app", "pos", "bank", "person"}[i/20%4]
			c.Zone = []string{"internet", "partner", "internet", "corporate"}[i/20%4]
			c.Name = fmt.Sprintf("External %s %d", c.Type, i)
		case i%4 == 1: // 25% data stores
			c.Kind, c.Type, c.Zone = model.KindDatastore, []string{"database", "object-storage", "cache", "log-store"}[i/4%4], g.pickZone()
			c.Name = fmt.Sprintf("Store %d (%s)", i, c.Type)
			c.EncryptedAtRest = model.TriOf(g.rnd.IntN(10) > 0)
			switch {
			case c.Type == "log-store":
				c.StoresLogs, c.Stores = model.True, []string{"audit-logs"}
			case isCDE(c.Zone):
				c.Stores = []string{"pan", "transactions"}
			default:
				c.Stores = []string{[]string{"customer-pii", "transactions", "statements", "telemetry"}[g.rnd.IntN(4)]}
			}
		default:
			c.Kind, c.Type, c.Zone = model.KindProcess, types[g.rnd.IntN(len(types))], g.pickZone()
			c.Name = fmt.Sprintf("Service %d (%s)", i, c.Type)
			if g.rnd.IntN(3) == 0 {
				c.Tags = []string{"bespoke"}
			}
		}
		g.m.Components = append(g.m.Components, c)
		g.byZone[c.Zone] = append(g.byZone[c.Zone], c.ID)
		switch c.Kind {
		case model.KindExternalEntity:
			if c.Type == "person" {
				g.persons = append(g.persons, c.ID)
			}
		case model.KindDatastore:
			g.stores = append(g.stores, i)
			if isCDE(c.Zone) {
				g.cdeStores = append(g.cdeStores, c.ID)
			}
		case model.KindProcess:
			g.procs = append(g.procs, i)
		}
	}
}

func isCDE(zone string) bool { return len(zone) >= 3 && zone[:3] == "cde" }

// flows joins components: external entities call processes in the DMZ or
// beyond, processes call processes and stores, and a few flows carry data
// out of the CDE to partners.
func (g *gen) flows() {
	comps := g.m.Components
	for i := range g.spec.Flows {
		f := model.Flow{ID: fmt.Sprintf("f%06d", i)}
		var src, dst model.Component
		switch r := g.rnd.IntN(20); {
		case r == 0: // inbound from outside
			src = comps[20*g.rnd.IntN((len(comps)+19)/20)]
			dst = comps[g.pickIndex(g.procs)]
			f.PublicNetwork = model.TriOf(src.Zone != "corporate")
		case r < 12: // process to store
			src, dst = comps[g.pickIndex(g.procs)], comps[g.pickIndex(g.stores)]
		default:
			src, dst = comps[g.pickIndex(g.procs)], comps[g.pickIndex(g.procs)]
		}
		f.Source, f.Target = src.ID, dst.ID
		f.Name = fmt.Sprintf("%s to %s", src.Name, dst.Name)
		f.Protocol = []string{"https", "mtls", "postgres-tls", "tls", "http"}[g.rnd.IntN(5)]
		f.Data = g.flowData(src, dst)
		f.Encrypted = model.TriOf(f.Protocol != "http")
		f.Authenticated = model.TriOf(g.rnd.IntN(10) > 0)
		if src.Type == "person" {
			f.Interactive = model.True
			f.Admin = model.TriOf(g.rnd.IntN(2) == 0)
		}
		g.m.Flows = append(g.m.Flows, f)
	}
}

func (g *gen) pickIndex(idx []int) int { return idx[g.rnd.IntN(len(idx))] }

func (g *gen) flowData(src, dst model.Component) []string {
	switch {
	case dst.Kind == model.KindDatastore:
		return dst.Stores
	case isCDE(src.Zone) || isCDE(dst.Zone):
		return []string{"pan", "transactions"}[:1+g.rnd.IntN(2)]
	case src.Type == "person":
		return []string{"credentials"}
	case src.Kind == model.KindExternalEntity:
		return []string{"pan", "cvv", "customer-pii", "credentials"}[:1+g.rnd.IntN(4)]
	}
	return []string{[]string{"customer-pii", "transactions", "telemetry", "audit-logs"}[g.rnd.IntN(4)]}
}
