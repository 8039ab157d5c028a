package overlay

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/model"
)

// Apply returns a copy of m with the overlay applied; m is not changed.
// Entries apply in order, so a later entry can refine an earlier one. The
// result still has to pass [model.New]: an overlay can name a zone or data
// asset that does not exist, and that is an input error.
func Apply(m *model.Model, o *Overlay) (*model.Model, []Warning, error) {
	c := copyModel(m)
	if o == nil {
		return c, nil, nil
	}
	var warns []Warning
	hit := func(ptr string, n int) {
		if n == 0 {
			warns = append(warns, Warning{Pointer: ptr, Message: "matches no element of the model"})
		}
	}
	for i, d := range o.AddDataAssets {
		d.Ref = fmt.Sprintf("/overlay/add_data_assets/%d", i)
		d.Classifications = clone(d.Classifications)
		c.DataAssets = append(c.DataAssets, d)
	}
	for i, mi := range o.AddMitigations {
		mi.Ref = fmt.Sprintf("/overlay/add_mitigations/%d", i)
		mi.Provides, mi.Targets, mi.Evidence = clone(mi.Provides), clone(mi.Targets), clone(mi.Evidence)
		c.Mitigations = append(c.Mitigations, mi)
	}
	for i, e := range o.DataAssets {
		ptr := fmt.Sprintf("/overlay/data_assets/%d", i)
		mt, err := compile(e.Match, ptr)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for j := range c.DataAssets {
			d := &c.DataAssets[j]
			if mt.matches(d.ID, d.Name, d.Description) {
				d.Classifications = addTags(d.Classifications, e.Classifications)
				n++
			}
		}
		hit(ptr, n)
	}
	for i, e := range o.Zones {
		ptr := fmt.Sprintf("/overlay/zones/%d", i)
		mt, err := compile(e.Match, ptr)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for j := range c.Zones {
			z := &c.Zones[j]
			if mt.matches(z.ID, z.Name, z.Description) {
				z.Tags = addTags(z.Tags, e.Tags)
				if e.Trust != "" {
					z.Trust = e.Trust
				}
				n++
			}
		}
		hit(ptr, n)
	}
	for i, e := range o.Components {
		ptr := fmt.Sprintf("/overlay/components/%d", i)
		mt, err := compile(e.Match, ptr)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for j := range c.Components {
			if cp := &c.Components[j]; mt.matches(cp.ID, cp.Name, cp.Description) {
				applyComponent(cp, e)
				n++
			}
		}
		hit(ptr, n)
	}
	for i, e := range o.Flows {
		ptr := fmt.Sprintf("/overlay/flows/%d", i)
		mt, err := compile(e.Match, ptr)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for j := range c.Flows {
			if f := &c.Flows[j]; mt.matches(f.ID, f.Name, f.Description, f.Protocol) {
				applyFlow(f, e)
				n++
			}
		}
		hit(ptr, n)
	}
	for i, e := range o.Mitigations {
		ptr := fmt.Sprintf("/overlay/mitigations/%d", i)
		mt, err := compile(e.Match, ptr)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for j := range c.Mitigations {
			if mi := &c.Mitigations[j]; mt.matches(mi.ID, mi.Title, mi.Description) {
				mi.Provides = append(mi.Provides, e.Provides...)
				if e.Status != "" {
					mi.Status = e.Status
				}
				mi.Targets = addTags(mi.Targets, e.Targets)
				mi.Evidence = addTags(mi.Evidence, e.Evidence)
				n++
			}
		}
		hit(ptr, n)
	}
	return c, warns, nil
}

func applyComponent(c *model.Component, e ComponentEntry) {
	c.Tags = addTags(c.Tags, e.Tags)
	if e.Type != "" {
		c.Type = e.Type
	}
	if e.Zone != "" {
		c.Zone = e.Zone
	}
	c.Stores = addTags(c.Stores, e.Stores)
	c.Processes = addTags(c.Processes, e.Processes)
	c.Hosts = addTags(c.Hosts, e.Hosts)
	c.Resources = addTags(c.Resources, e.Resources)
	if e.OutOfScope != nil {
		c.OutOfScope = *e.OutOfScope
		c.OutOfScopeReason = e.OutOfScopeReason
	}
	e.EncryptedAtRest.apply(&c.EncryptedAtRest)
	e.StoresCredentials.apply(&c.StoresCredentials)
	e.StoresLogs.apply(&c.StoresLogs)
	e.InternetFacing.apply(&c.InternetFacing)
	e.Authenticates.apply(&c.Authenticates)
}

func applyFlow(f *model.Flow, e FlowEntry) {
	f.Tags = addTags(f.Tags, e.Tags)
	f.Data = addTags(f.Data, e.Data)
	f.Hosts = addTags(f.Hosts, e.Hosts)
	f.Resources = addTags(f.Resources, e.Resources)
	e.Interactive.apply(&f.Interactive)
	e.Admin.apply(&f.Admin)
	e.Encrypted.apply(&f.Encrypted)
	e.Authenticated.apply(&f.Authenticated)
	e.PublicNetwork.apply(&f.PublicNetwork)
}

// copyModel copies every slice the overlay writes to, so the caller's model
// is never changed.
func copyModel(m *model.Model) *model.Model {
	c := *m
	c.Zones = cloneEach(m.Zones, func(z model.Zone) model.Zone {
		z.Tags = clone(z.Tags)
		return z
	})
	c.Components = cloneEach(m.Components, func(x model.Component) model.Component {
		x.Tags, x.Stores, x.Processes = clone(x.Tags), clone(x.Stores), clone(x.Processes)
		x.Hosts, x.Resources = clone(x.Hosts), clone(x.Resources)
		return x
	})
	c.Flows = cloneEach(m.Flows, func(f model.Flow) model.Flow {
		f.Tags, f.Data = clone(f.Tags), clone(f.Data)
		f.Hosts, f.Resources = clone(f.Hosts), clone(f.Resources)
		return f
	})
	c.DataAssets = cloneEach(m.DataAssets, func(d model.DataAsset) model.DataAsset {
		d.Classifications = clone(d.Classifications)
		return d
	})
	c.Mitigations = cloneEach(m.Mitigations, func(mi model.Mitigation) model.Mitigation {
		mi.Provides, mi.Targets, mi.Evidence = clone(mi.Provides), clone(mi.Targets), clone(mi.Evidence)
		return mi
	})
	return &c
}

func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}

func cloneEach[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
