package frameworks

import "slices"

// Node is one entry of a catalog: a grouping (goal, section, category) or an assessable
// control. It carries names but never publisher requirement text.
type Node struct {
	ID, Kind, Parent string         // Parent is "" for a root
	Title            string         // official heading as shipped (may be empty)
	Label            string         // short label written by auditpack (may be empty)
	Assessable       bool           // true for controls that receive a verdict
	Props            map[string]any `json:",omitempty"` // factual attributes (COSO principle, TSC category, …)
}

// Name returns the best display name for the node: its official heading when one is
// shipped, otherwise auditpack's label, otherwise "". Reports use it so that headings win
// wherever the licence lets us ship them.
func (n Node) Name() string {
	if n.Title != "" {
		return n.Title
	}
	return n.Label
}

// Catalog is one version of one framework. Catalogs are built by [Load] and [Builtin],
// which validate them and index their nodes; treat a Catalog as read-only.
type Catalog struct {
	// ID and Version name the edition ("pci-dss", "4.0.1"); the others describe it and
	// its licence as the file states them, for report front matter and notices.
	ID, Version, Title, Publisher, ContentPolicy, LicenseNotice, VersionLabel string

	LicenseSPDX string     // SPDX identifier (or LicenseRef-…) of the shipped content
	Aliases     []string   // extra lower-case names accepted by [Registry.Lookup]
	Baselines   []Baseline // named selections of controls declared by the file
	NodeKinds   []string   // node kinds declared by the file, broadest first
	Nodes       []Node     // document order

	// BaselineID names the baseline this catalog is restricted to (see
	// [Catalog.Baseline]), or is "" for the whole catalog.
	BaselineID string

	index    map[string]int   // node id -> position in Nodes
	children map[string][]int // parent id ("" for roots) -> positions, document order
	controls []int            // assessable positions in canonical order
}

// Ref returns "<framework-id>@<version>", the prefix of every control reference into this
// catalog, so that results name the exact edition they were judged against.
func (c *Catalog) Ref() string { return c.ID + "@" + c.Version }

// ControlRef returns the full reference "<framework-id>@<version>:<id>" for a node id. It
// does not check that the node exists; use [Catalog.Node] or [Registry.Resolve] for that.
func (c *Catalog) ControlRef(id string) string { return c.Ref() + ":" + id }

// Node returns the node with exactly this id. Ids are case-sensitive because publishers
// print them that way and references must round-trip unchanged.
func (c *Catalog) Node(id string) (Node, bool) {
	i, ok := c.position(id)
	if !ok {
		return Node{}, false
	}
	return c.Nodes[i], true
}

// Controls returns the assessable nodes in canonical order (see [CompareIDs]), the order
// every report and workbook lists them in.
func (c *Catalog) Controls() []Node {
	if c.controls == nil {
		var out []Node
		for _, n := range c.Nodes {
			if n.Assessable {
				out = append(out, n)
			}
		}
		slices.SortStableFunc(out, func(a, b Node) int { return CompareIDs(a.ID, b.ID) })
		return out
	}
	out := make([]Node, len(c.controls))
	for i, p := range c.controls {
		out[i] = c.Nodes[p]
	}
	return out
}

// Ancestors returns the chain of parents of a node, root first and excluding the node
// itself, so that a control can be shown under its requirement and goal. It returns nil
// for an unknown id or a root.
func (c *Catalog) Ancestors(id string) []Node {
	var out []Node
	i, ok := c.position(id)
	// The loader rejects cycles; the bound keeps hand-built catalogs from looping.
	for steps := 0; ok && c.Nodes[i].Parent != "" && steps < len(c.Nodes); steps++ {
		i, ok = c.position(c.Nodes[i].Parent)
		if ok {
			out = append(out, c.Nodes[i])
		}
	}
	slices.Reverse(out)
	return out
}

// Children returns the direct children of a node in document order. Children("") returns
// the roots, so callers can walk the whole tree from the top.
func (c *Catalog) Children(id string) []Node {
	var out []Node
	if c.children == nil {
		for _, n := range c.Nodes {
			if n.Parent == id {
				out = append(out, n)
			}
		}
		return out
	}
	for _, p := range c.children[id] {
		out = append(out, c.Nodes[p])
	}
	return out
}

// position finds a node by id, falling back to a scan for catalogs built by hand.
func (c *Catalog) position(id string) (int, bool) {
	if c.index != nil {
		i, ok := c.index[id]
		return i, ok
	}
	for i, n := range c.Nodes {
		if n.ID == id {
			return i, true
		}
	}
	return 0, false
}

// buildIndex fills the lookup tables; the loader calls it after checking the structure.
func (c *Catalog) buildIndex() {
	c.index = make(map[string]int, len(c.Nodes))
	c.children = make(map[string][]int)
	c.controls = nil
	for i, n := range c.Nodes {
		c.index[n.ID] = i
		c.children[n.Parent] = append(c.children[n.Parent], i)
		if n.Assessable {
			c.controls = append(c.controls, i)
		}
	}
	slices.SortStableFunc(c.controls, func(a, b int) int {
		return CompareIDs(c.Nodes[a].ID, c.Nodes[b].ID)
	})
}

// clone returns a deep copy, so that callers of [Builtin] cannot change each other's data.
func (c *Catalog) clone() *Catalog {
	d := *c
	d.Aliases = slices.Clone(c.Aliases)
	d.Baselines = make([]Baseline, len(c.Baselines))
	for i, b := range c.Baselines {
		b.Aliases = slices.Clone(b.Aliases)
		d.Baselines[i] = b
	}
	d.NodeKinds = slices.Clone(c.NodeKinds)
	d.Nodes = make([]Node, len(c.Nodes))
	for i, n := range c.Nodes {
		if n.Props != nil {
			n.Props = cloneValue(n.Props).(map[string]any)
		}
		d.Nodes[i] = n
	}
	d.buildIndex()
	return &d
}

// cloneValue deep-copies a value decoded from JSON.
func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = cloneValue(x)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = cloneValue(x)
		}
		return s
	default:
		return v
	}
}
