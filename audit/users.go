package audit

import (
	"slices"

	"github.com/auditpack/auditpack/audit/eval"
)

// EvidenceUsers collects, from rule results, the used_by and
// superseded_by lists of each evidence item (see [EvidenceItem]). They
// are told by the rule results alone, so results.json can leave them to a
// reader to collect again as it reads the results.
type EvidenceUsers struct {
	used, superseded map[string][]string
	seen             map[[2]string]bool // a set, not a list scan: an item may back thousands of results
}

// NewEvidenceUsers returns an empty collection.
func NewEvidenceUsers() *EvidenceUsers {
	return &EvidenceUsers{used: map[string][]string{}, superseded: map[string][]string{}, seen: map[[2]string]bool{}}
}

// Add records the evidence uses of r.
func (c *EvidenceUsers) Add(r *eval.Result) {
	if len(r.Evidence) == 0 {
		return
	}
	// One key per result, shared by every item it used: the lists hold it
	// once per item.
	key := r.Rule + " " + elementKey(r.Element)
	for _, u := range r.Evidence {
		if k := [2]string{u.Item, key}; !c.seen[k] {
			c.seen[k] = true
			c.used[u.Item] = append(c.used[u.Item], key)
		}
		if u.SupersededBy != "" {
			line := u.SupersededBy + " for " + key + " (" + u.Requirement + ")"
			if k := [2]string{u.Item, line}; !c.seen[k] {
				c.seen[k] = true
				c.superseded[u.Item] = append(c.superseded[u.Item], line)
			}
		}
	}
}

// UsedBy is the sorted "RULE ELEMENT" of every result the item backs,
// never nil.
func (c *EvidenceUsers) UsedBy(item string) []string { return sortedList(c.used[item]) }

// SupersededBy is the sorted "NEWER for RULE ELEMENT (REQUIREMENT)" of
// every place a newer item decided in the item's place, never nil.
func (c *EvidenceUsers) SupersededBy(item string) []string { return sortedList(c.superseded[item]) }

func sortedList(s []string) []string {
	out := slices.Clone(s)
	if out == nil {
		return []string{}
	}
	slices.Sort(out)
	return out
}
