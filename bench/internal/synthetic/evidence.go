package synthetic

import (
	"fmt"
	"time"

	"github.com/auditpack/auditpack/audit/evidence"
)

// Item is an evidence item before its files are hashed; [Project.Write]
// fills in the hashes as it streams the files.
type Item struct {
	evidence.Item
	// FileIndexes are the item's files, as indexes into Project.Files.
	FileIndexes []int
}

// EvidenceFile is one file of the bundle: its path in the bundle and size.
// Its content is a function of the seed and its index (see [Content]).
type EvidenceFile struct {
	Path string
	Size int64
}

// Exception is a PCI DSS compensating control in the exceptions file.
type Exception struct {
	ID, Type, Control, Element, ApprovedOn, ExpiresOn string
	CompensatingEvidence                              []string
}

// itemKind is an evidence shape: what an item is and what it supports.
type itemKind struct {
	kind, dir, ext string
	support        func(g *gen, i int) []evidence.Support
}

// elementKinds back a capability on a few elements, or one mitigation; they
// make up the bulk of a bundle and grow with the model.
var elementKinds = []itemKind{
	{"scan-result", "scans", "json", func(g *gen, i int) []evidence.Support {
		return g.perElement(g.flowIDs(i, 5), "encrypt-in-transit")
	}},
	{"configuration", "config", "json", func(g *gen, i int) []evidence.Support {
		return g.perElement(g.pick(g.storeIDs, i, 3), "encrypt-at-rest")
	}},
	{"configuration", "config", "json", func(g *gen, i int) []evidence.Support {
		return []evidence.Support{{Mitigation: g.mits[i%len(g.mits)]}}
	}},
}

// ruleItems are the rule-level items of every bundle, whatever its size:
// an organisation has one set of policies, rule-set exports and test
// reports, not one per service; most capabilities have one or two.
var ruleItems = func() []itemKind {
	var out []itemKind
	add := func(kind, dir, ext string, supports ...evidence.Support) {
		out = append(out, itemKind{kind, dir, ext, func(*gen, int) []evidence.Support { return supports }})
	}
	for _, c := range []string{"traffic-filtering", "network-segmentation", "security-monitoring", "audit-logging",
		"malware-protection", "mfa", "authorization", "data-retention", "log-protection", "secure-configuration",
		"traffic-filtering", "audit-logging"} {
		add("configuration", "config", "txt", evidence.Support{Capability: c})
	}
	for _, c := range []string{"network-segmentation", "penetration-testing", "backup-recovery"} {
		add("test-result", "reports", "txt", evidence.Support{Capability: c})
	}
	add("document", "docs", "txt", evidence.Support{Capability: "network-segmentation"})
	add("document", "docs", "txt", evidence.Support{Control: "pci-dss@4.0.1:12.5.2"})
	add("scan-result", "scans", "json", evidence.Support{Capability: "vulnerability-management"})
	add("scan-result", "scans", "json", evidence.Support{Capability: "vulnerability-management"})
	add("ticket", "tickets", "json", evidence.Support{Capability: "change-control"})
	add("policy", "docs", "txt", evidence.Support{Capability: "secure-configuration"}, evidence.Support{Capability: "authorization"})
	return out
}()

func (g *gen) perElement(ids []string, capability string) []evidence.Support {
	out := make([]evidence.Support, len(ids))
	for i, id := range ids {
		out[i] = evidence.Support{Element: id, Capability: capability}
	}
	return out
}

// flowIDs returns n consecutive flows starting at a place chosen by i, so
// that scans cover the flows evenly.
func (g *gen) flowIDs(i, n int) []string {
	var out []string
	for k := range n {
		out = append(out, g.m.Flows[(i*n+k)%len(g.m.Flows)].ID)
	}
	return out
}

func (g *gen) pick(ids []string, i, n int) []string {
	if len(ids) == 0 {
		return nil
	}
	var out []string
	for k := range min(n, len(ids)) {
		out = append(out, ids[(i*n+k)%len(ids)])
	}
	return out
}

// evidence generates items of one or two files until the file count is
// reached, then spreads the byte budget over the files: most are small, one
// in fifty is twenty times larger, as scan exports and log extracts are.
func (g *gen) evidence() {
	s := g.spec
	g.storeIDs = g.ids(g.stores)
	weights := make([]int64, s.EvidenceFiles)
	var total int64
	for i := range weights {
		weights[i] = 1
		if g.rnd.IntN(50) == 0 {
			weights[i] = 20
		}
		total += weights[i]
	}
	var assigned int64
	for i, w := range weights {
		size := s.EvidenceBytes * w / total
		if i == len(weights)-1 {
			size = s.EvidenceBytes - assigned
		}
		assigned += size
		g.files = append(g.files, EvidenceFile{Size: max(size, 1)})
	}
	for n, f := 0, 0; f < len(g.files); n++ {
		k, i := elementKinds[n%len(elementKinds)], n/len(elementKinds)
		if n < len(ruleItems) {
			k = ruleItems[n]
		}
		id := fmt.Sprintf("EV-%06d", n)
		it := Item{Item: evidence.Item{ID: id, Title: fmt.Sprintf("%s %d", k.kind, n), Kind: k.kind,
			Collector: "synthetic", Owner: "Platform security team", Supports: k.support(g, i)}}
		collected := AsOf.AddDate(0, 0, -1-g.rnd.IntN(60))
		it.ValidDays = 365
		if n%10 == 9 { // stale: collected before the period, long expired
			collected, it.ValidDays = PeriodStart.AddDate(0, -5, 0), 90
		}
		it.CollectedAt = collected.Format(time.DateOnly)
		if it.Kind == "scan-result" {
			it.Facts = map[string]any{"tls.min_version": "1.2", "tls.weak_ciphers": 0}
		}
		nfiles := 1 + g.rnd.IntN(2)
		for j := 0; j < nfiles && f < len(g.files); j, f = j+1, f+1 {
			g.files[f].Path = fmt.Sprintf("%s/%03d/%s-%d.%s", k.dir, n/100%1000, id, j, k.ext)
			it.FileIndexes = append(it.FileIndexes, f)
		}
		g.items = append(g.items, it)
	}
}

// exceptions adds one exception per thousand components (at least two);
// the first has expired by the as-of date, the others hold with
// compensating evidence from valid items.
func (g *gen) exceptions() {
	controls := []string{"pci-dss@4.0.1:1.3.1", "pci-dss@4.0.1:1.4.4", "pci-dss@4.0.1:3.5.1", "pci-dss@4.0.1:4.2.1"}
	for i := range max(2, g.spec.Components/1000) {
		e := Exception{ID: fmt.Sprintf("EX-%04d", i), Type: "compensating-control", Control: controls[i%len(controls)],
			ApprovedOn: "2026-01-15", ExpiresOn: "2027-03-31"}
		if i%len(controls) == 1 || i%len(controls) == 2 {
			e.Element = g.m.Components[g.stores[i%len(g.stores)]].ID
		}
		if i == 0 {
			e.ApprovedOn, e.ExpiresOn = "2025-12-15", "2026-06-30"
		} else {
			e.CompensatingEvidence = []string{g.items[(i*7)%len(g.items)/10*10].ID}
		}
		g.exc = append(g.exc, e)
	}
}
