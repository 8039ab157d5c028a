package frameworks

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
)

// Sentinel errors, so callers can tell bad input apart with errors.Is and map it to a
// usage exit code, whatever the message says.
var (
	// ErrUnknownFramework means no loaded catalog has the given id or alias.
	ErrUnknownFramework = errors.New("unknown framework")
	// ErrUnknownVersion means the framework is known but not in that version, or a
	// version is needed because several are loaded.
	ErrUnknownVersion = errors.New("unknown framework version")
	// ErrUnknownNode means the catalog has no node with that exact id.
	ErrUnknownNode = errors.New("unknown node")
	// ErrBadRef means a control reference is not "<framework>@<version>:<node>".
	ErrBadRef = errors.New("malformed control reference")
)

//go:embed catalogs/*.catalog.json
var embedded embed.FS

// Registry is a set of catalogs that can be looked up by name and resolved by control
// reference. It is read-only after [Load] or [Builtin] and safe for concurrent use.
type Registry struct {
	catalogs  []*Catalog            // sorted by ID, then version
	names     map[string][]*Catalog // lower-case id or alias -> versions, sorted
	baselines map[string]string     // lower-case baseline alias -> baseline id
}

var builtin = sync.OnceValues(func() (*Registry, error) {
	sub, err := fs.Sub(embedded, "catalogs")
	if err != nil {
		return nil, fmt.Errorf("frameworks: embedded catalogs: %w", err)
	}
	return Load(sub)
})

// Builtin returns the catalogs embedded in auditpack. They are parsed and validated once;
// each call returns its own deep copy, so no caller can change what another one sees.
func Builtin() (*Registry, error) {
	r, err := builtin()
	if err != nil {
		return nil, err
	}
	return r.clone(), nil
}

// newRegistry indexes checked catalogs and refuses duplicate editions or names that
// would make a lookup ambiguous.
func newRegistry(cats []*Catalog) (*Registry, error) {
	slices.SortStableFunc(cats, func(a, b *Catalog) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return CompareIDs(a.Version, b.Version)
	})
	r := &Registry{catalogs: cats, names: map[string][]*Catalog{}, baselines: map[string]string{}}
	owner := map[string]string{} // name -> framework id (and "#baseline") that claims it
	var errs []error
	claim := func(c *Catalog, name, baseline string) {
		key, who := strings.ToLower(name), c.ID
		if baseline != "" {
			who += "#" + baseline
		}
		if o, ok := owner[key]; ok && o != who {
			errs = append(errs, fmt.Errorf("frameworks: name %q is claimed by both %s and %s", name, o, who))
			return
		}
		owner[key] = who
		if baseline != "" {
			r.baselines[key] = baseline
		}
		if !slices.Contains(r.names[key], c) {
			r.names[key] = append(r.names[key], c)
		}
	}
	for i, c := range cats {
		if i > 0 && cats[i-1].ID == c.ID && strings.EqualFold(cats[i-1].Version, c.Version) {
			errs = append(errs, fmt.Errorf("frameworks: %s is defined twice", c.Ref()))
			continue
		}
		for _, n := range append([]string{c.ID}, c.Aliases...) {
			claim(c, n, "")
		}
		for _, b := range c.Baselines {
			for _, n := range b.Aliases {
				claim(c, n, b.ID)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// clone deep-copies the registry and its catalogs.
func (r *Registry) clone() *Registry {
	cats := make([]*Catalog, len(r.catalogs))
	for i, c := range r.catalogs {
		cats[i] = c.clone()
	}
	d, err := newRegistry(cats)
	if err != nil {
		panic("frameworks: copying a checked registry failed: " + err.Error())
	}
	return d
}

// Catalogs returns every catalog, sorted by framework id and then version, so listings
// are the same on every run.
func (r *Registry) Catalogs() []*Catalog { return slices.Clone(r.catalogs) }

// Lookup finds a catalog by name: a framework id or alias ("pci-dss", "pci", "soc2"),
// optionally pinned to a version ("pci-dss@4.0.1"), ignoring case. A name without a
// version is accepted only while one edition is loaded, so an audit never switches
// editions silently. Unknown names get an error listing the valid ones.
//
// A name may select one of the catalog's baselines, either with a suffix
// ("nist-sp800-53@5.1.1#moderate", "800-53#low") or by a baseline alias
// ("nist-800-53-moderate"); the result is the catalog restricted to that baseline
// (see [Catalog.Baseline]).
func (r *Registry) Lookup(name string) (*Catalog, error) {
	name, baseline, suffixed := strings.Cut(strings.TrimSpace(name), "#")
	c, err := r.lookup(name)
	if err != nil {
		return nil, fmt.Errorf("frameworks: %w", err)
	}
	base, _, _ := strings.Cut(name, "@")
	if b := r.baselines[strings.ToLower(base)]; b != "" {
		if suffixed && !strings.EqualFold(baseline, b) {
			return nil, fmt.Errorf("frameworks: %w: %q already selects baseline %s; drop #%s", ErrUnknownBaseline, base, b, baseline)
		}
		baseline, suffixed = b, true
	}
	if !suffixed {
		return c, nil
	}
	return c.Baseline(baseline)
}

// lookup is Lookup without the package prefix on errors, for reuse by Resolve.
func (r *Registry) lookup(name string) (*Catalog, error) {
	base, version, pinned := strings.Cut(strings.TrimSpace(name), "@")
	cats := r.names[strings.ToLower(base)]
	if len(cats) == 0 {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownFramework, base, r.known())
	}
	if !pinned {
		if len(cats) > 1 {
			return nil, fmt.Errorf("%w: %q has several versions loaded (%s); name one, e.g. %s",
				ErrUnknownVersion, name, versions(cats), cats[len(cats)-1].Ref())
		}
		return cats[0], nil
	}
	for _, c := range cats {
		if strings.EqualFold(c.Version, version) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w %q of %s (available: %s)", ErrUnknownVersion, version, cats[0].ID, versions(cats))
}

// Resolve finds the catalog and node named by a full control reference such as
// "pci-dss@4.0.1:4.2.1". The framework part may be an alias and is case-insensitive; the
// version must be given; the node id must match exactly. The node need not be assessable.
// Errors say which part is wrong and wrap [ErrBadRef], [ErrUnknownFramework],
// [ErrUnknownVersion] or [ErrUnknownNode].
func (r *Registry) Resolve(ref string) (*Catalog, Node, error) {
	fw, version, id, err := ParseRef(ref)
	if err != nil {
		return nil, Node{}, err
	}
	c, err := r.lookup(fw + "@" + version)
	if err != nil {
		return nil, Node{}, fmt.Errorf("frameworks: %s: %w", ref, err)
	}
	n, ok := c.Node(id)
	if !ok {
		hint := ""
		for _, m := range c.Nodes {
			if strings.EqualFold(m.ID, id) {
				hint = fmt.Sprintf("; did you mean %q?", m.ID)
				break
			}
		}
		return nil, Node{}, fmt.Errorf("frameworks: %s: %w %q in %s%s", ref, ErrUnknownNode, id, c.Ref(), hint)
	}
	return c, n, nil
}

// Names returns every name [Registry.Lookup] accepts, sorted: ids, aliases, and each
// id and alias pinned to each version. The CLI uses it for help text and completion.
func (r *Registry) Names() []string {
	var out []string
	for key, cats := range r.names {
		out = append(out, key)
		for _, c := range cats {
			out = append(out, key+"@"+strings.ToLower(c.Version))
		}
	}
	for _, c := range r.catalogs {
		for _, b := range c.Baselines {
			out = append(out, c.ID+"#"+b.ID, c.ID+"@"+strings.ToLower(c.Version)+"#"+b.ID)
		}
	}
	slices.Sort(out)
	return out
}

// known describes the loaded catalogs for error messages: each edition with its aliases.
func (r *Registry) known() string {
	parts := make([]string, 0, len(r.catalogs))
	for _, c := range r.catalogs {
		s := c.Ref()
		if len(c.Aliases) > 0 {
			s += " (aliases: " + strings.Join(c.Aliases, ", ") + ")"
		}
		if len(c.Baselines) > 0 {
			ids := make([]string, len(c.Baselines))
			for i, b := range c.Baselines {
				ids[i] = "#" + b.ID
			}
			s += " (baselines: " + strings.Join(ids, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func versions(cats []*Catalog) string {
	vs := make([]string, len(cats))
	for i, c := range cats {
		vs[i] = c.Version
	}
	return strings.Join(vs, ", ")
}
