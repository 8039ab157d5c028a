package frameworks

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnknownBaseline means the catalog declares no baseline of that name.
var ErrUnknownBaseline = errors.New("unknown baseline")

// Baseline is a named selection of a catalog's controls that the publisher
// issues with the framework, such as the SP 800-53B impact baselines. A node
// belongs to a baseline when its props.baselines lists the baseline's id.
type Baseline struct {
	ID      string   // lower-case id, the part after "#" in "nist-sp800-53@5.1.1#moderate"
	Title   string   // e.g. "SP 800-53B MODERATE impact baseline"
	Aliases []string // lower-case names that select the framework restricted to this baseline
}

// Selector returns the name that selects exactly this catalog: [Catalog.Ref]
// for a whole catalog, "<ref>#<baseline>" for one restricted to a baseline.
// Control references stay "<ref>:<id>" either way, because a control is the
// same control whichever baseline selects it.
func (c *Catalog) Selector() string {
	if c.BaselineID == "" {
		return c.Ref()
	}
	return c.Ref() + "#" + c.BaselineID
}

// Baseline returns a copy of the catalog restricted to one of its baselines:
// only the baseline's members are assessable, so [Catalog.Controls] lists
// them alone and an evaluation judges nothing else. Every other node stays,
// not assessable, so that members keep their families and parents. The
// copy's Title names the baseline; its [Catalog.Ref] and control references
// are those of the whole catalog. The name is matched case-insensitively.
func (c *Catalog) Baseline(name string) (*Catalog, error) {
	i := slices.IndexFunc(c.Baselines, func(b Baseline) bool { return strings.EqualFold(b.ID, name) })
	if i < 0 {
		avail := "none"
		if len(c.Baselines) > 0 {
			ids := make([]string, len(c.Baselines))
			for j, b := range c.Baselines {
				ids[j] = b.ID
			}
			avail = strings.Join(ids, ", ")
		}
		return nil, fmt.Errorf("frameworks: %w %q in %s (available: %s)", ErrUnknownBaseline, name, c.Ref(), avail)
	}
	b := c.Baselines[i]
	d := c.clone()
	for j := range d.Nodes {
		d.Nodes[j].Assessable = inBaseline(d.Nodes[j], b.ID)
	}
	if c.BaselineID == "" {
		d.Title = c.Title + " (" + b.Title + ")"
	} else {
		d.Title = strings.TrimSuffix(c.Title, " ("+c.baselineTitle()+")") + " (" + b.Title + ")"
	}
	d.BaselineID = b.ID
	d.buildIndex()
	return d, nil
}

// baselineTitle returns the title of the baseline the catalog is restricted to.
func (c *Catalog) baselineTitle() string {
	for _, b := range c.Baselines {
		if b.ID == c.BaselineID {
			return b.Title
		}
	}
	return ""
}

// inBaseline reports whether a node's props.baselines lists the baseline.
func inBaseline(n Node, id string) bool {
	list, _ := n.Props["baselines"].([]any)
	return slices.ContainsFunc(list, func(v any) bool { s, _ := v.(string); return s == id })
}
