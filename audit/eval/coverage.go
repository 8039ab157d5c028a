package eval

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/model"
)

// HostsOf returns the names an element is known by outside the model, as
// scans name what they covered: a component's overlay hosts and
// resources; a flow's own, else its destination component's (a scan of a
// flow is a scan of the endpoint it reaches). Nil means none are declared.
func HostsOf(x *model.Index, id string) []string {
	if c := x.Component(id); c != nil {
		return names(c.Hosts, c.Resources)
	}
	if f := x.Flow(id); f != nil {
		if h := names(f.Hosts, f.Resources); len(h) > 0 {
			return h
		}
		if c := x.Component(f.Target); c != nil {
			return names(c.Hosts, c.Resources)
		}
	}
	return nil
}

func names(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, n := range l {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// hostKey is how a host name compares: case and a trailing dot do not
// make another host. Ports and paths are kept: a TLS scan of host:443 says
// nothing of host:8443.
func hostKey(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// declaredOf returns an element's overlay hosts and resources, found as
// [HostsOf] finds them but kept apart: a TLS scan names hosts and a
// posture export names cloud resources, and neither is expected to name
// the other's.
func declaredOf(x *model.Index, id string) (hosts, resources []string) {
	if c := x.Component(id); c != nil {
		return names(c.Hosts), names(c.Resources)
	}
	if f := x.Flow(id); f != nil {
		if len(f.Hosts)+len(f.Resources) > 0 {
			return names(f.Hosts), names(f.Resources)
		}
		if c := x.Component(f.Target); c != nil {
			return names(c.Hosts), names(c.Resources)
		}
	}
	return nil, nil
}

// targetKeys returns the compared form of every name the items' files
// gave what they covered, aliases included.
func targetKeys(sts ...*evidence.ItemStatus) map[string]bool {
	keys := map[string]bool{}
	for _, st := range sts {
		for _, t := range st.Targets {
			keys[hostKey(t)] = true
		}
	}
	return keys
}

// split returns the names of list the keys cover and those they miss.
func split(keys map[string]bool, list []string) (hit, missed []string) {
	for _, n := range list {
		if keys[hostKey(n)] {
			hit = append(hit, n)
		} else {
			missed = append(missed, n)
		}
	}
	return hit, missed
}

// coverage is whether an item's files show that they covered an element.
type coverage int

const (
	// coverUnchecked: the files do not say what they covered; the
	// manifest's link decides.
	coverUnchecked coverage = iota
	coverYes
	// coverNo: the files name what they covered, and that is none of the
	// element's hosts, or only some of them.
	coverNo
	// coverUnmapped: the files name what they covered, but the element
	// declares no hosts or resources to compare that with, so the item
	// cannot be shown to cover it.
	coverUnmapped
)

// covers compares the targets an item's files name with the element's
// hosts and resources. Each entry of a list is a host of its own: an item
// that covers some of an element's hosts covers the element only when it
// covers them all, and a name and an address count as one host only
// because the file gives them as names of one target, which makes both
// appear among its targets. A list none of whose names the item gives
// (the resources, for a TLS scan) is not asked of it. It returns the
// names the item covered and, when it does not cover the element, those
// it missed.
func (e *evaluator) covers(st *evidence.ItemStatus, id string) (cov coverage, hit, missed []string) {
	if len(st.Targets) == 0 || id == "" {
		return coverUnchecked, nil, nil
	}
	hosts, resources := declaredOf(e.x, id)
	if len(hosts)+len(resources) == 0 {
		return coverUnmapped, nil, nil
	}
	keys := targetKeys(st)
	for _, list := range [][]string{hosts, resources} {
		h, m := split(keys, list)
		if len(h) > 0 {
			hit, missed = append(hit, h...), append(missed, m...)
		}
	}
	switch {
	case len(hit) == 0:
		return coverNo, nil, HostsOf(e.x, id)
	case len(missed) > 0:
		return coverNo, hit, missed
	}
	return coverYes, hit, nil
}

// notCovered says what an item covered and which of the element's hosts
// it did not.
func (e *evaluator) notCovered(st *evidence.ItemStatus, missed []string) string {
	return fmt.Sprintf("%s covers %s; not %s", st.Item.ID, strings.Join(st.Targets, ", "), strings.Join(missed, ", "))
}

// uncoveredInScope compares the union of what the items counted for a
// system-wide requirement covered with the hosts and resources of every
// in-scope component that declares them, and returns, for each it does
// not wholly cover, the component and the names missed. A list of which
// the items name nothing anywhere (the resources, when the scans name
// hosts) is not asked of them; nor is anything when no item names what
// it covered.
func (e *evaluator) uncoveredInScope(items []*evidence.ItemStatus) []string {
	keys := targetKeys(items...)
	if len(keys) == 0 {
		return nil
	}
	type place struct {
		id               string
		hosts, resources []string
	}
	var places []place
	askHosts, askResources := false, false
	for _, c := range e.x.Model.Components {
		if c.Kind == model.KindExternalEntity || !inScopeClass(e.x.ScopeOf(c.ID).Class) {
			continue
		}
		h, r := names(c.Hosts), names(c.Resources)
		if len(h)+len(r) == 0 {
			continue
		}
		hit, _ := split(keys, h)
		askHosts = askHosts || len(hit) > 0
		hit, _ = split(keys, r)
		askResources = askResources || len(hit) > 0
		places = append(places, place{c.ID, h, r})
	}
	var out []string
	for _, p := range places {
		var missed []string
		if askHosts {
			_, m := split(keys, p.hosts)
			missed = append(missed, m...)
		}
		if askResources {
			_, m := split(keys, p.resources)
			missed = append(missed, m...)
		}
		if len(missed) > 0 {
			out = append(out, fmt.Sprintf("%s %q (%s)", e.x.KindOf(p.id), e.x.NameOf(p.id), strings.Join(missed, ", ")))
		}
	}
	return out
}

// inScopeClass reports whether a derived scope class puts a component
// among the systems a system-wide scan must reach: the CDE and what
// connects to it or can affect its security, not a third party's.
func inScopeClass(class string) bool {
	switch class {
	case model.ScopeCDE, model.ScopeConnected, model.ScopeSecurityImpacting:
		return true
	}
	return false
}

// targetFacts returns the facts of an item that speak for element id:
// those read about the targets that are the element's hosts, with the
// whole-file facts (Target "", which include stated ones) for any name no
// such target gives; without a matching target, the whole-file facts
// alone. Once a target matches, a whole-file fact read from a file stands
// in only where it is about the file itself (the tool, the scan's date):
// a value read about the file's other hosts says nothing of this one, so
// a host silent on its protocols never borrows another host's version.
// What the manifest states still fills in, marked stated. When several of the element's hosts were scanned, each one's
// facts are returned, sorted by name then target, and a caller reads them
// towards the weaker claim.
func (e *evaluator) targetFacts(st *evidence.ItemStatus, id string) []evidence.ItemFact {
	keys := map[string]bool{}
	for _, h := range HostsOf(e.x, id) {
		keys[hostKey(h)] = true
	}
	// A per-target fact carries the target's primary name; the element
	// may declare any name the file knows it by.
	for _, r := range st.Reads {
		if r.Read == nil {
			continue
		}
		for _, t := range r.Read.Covered {
			if slices.ContainsFunc(t.Aliases, func(a string) bool { return keys[hostKey(a)] }) {
				keys[hostKey(t.Name)] = true
			}
		}
	}
	matched := false
	for _, r := range st.Reads {
		if r.Read != nil && slices.ContainsFunc(r.Read.Covered, func(t facts.Target) bool { return keys[hostKey(t.Name)] }) {
			matched = true
		}
	}
	var out []evidence.ItemFact
	named := map[string]bool{}
	byName := map[string][]evidence.ItemFact{}
	var order []string
	for _, f := range st.Facts {
		if f.Target != "" && keys[hostKey(f.Target)] {
			if _, ok := byName[f.Name]; !ok {
				order = append(order, f.Name)
			}
			byName[f.Name] = append(byName[f.Name], f)
			named[f.Name] = true
		}
	}
	// Several of the element's hosts scanned: each fact is read towards
	// the weaker claim (the lowest version, any weak suite), as a file's
	// whole-file facts are, so that one passing host never speaks for a
	// failing one.
	for _, n := range order {
		fs := byName[n]
		if len(fs) == 1 {
			out = append(out, fs[0])
			continue
		}
		raw := make([]facts.Fact, len(fs))
		for i, f := range fs {
			raw[i] = facts.Fact{Name: f.Name, Value: f.Value, At: f.At, Target: f.Target}
		}
		v, ok := facts.Combined(n, raw)
		if !ok {
			// A fact outside the vocabulary cannot be combined; keep the
			// first host's and every other, so the getter sees the first
			// and the reader sees all.
			out = append(out, fs...)
			continue
		}
		c := fs[0]
		c.Value = v
		for _, f := range fs {
			if reflect.DeepEqual(f.Value, v) {
				c = f
				break
			}
		}
		out = append(out, c)
	}
	for _, f := range st.Facts {
		if f.Target != "" || named[f.Name] {
			continue
		}
		if matched && f.Source == evidence.SourceRead && !aboutFile(f.Name) {
			if v, ok := statedValue(st.Item.Facts, f.Name); ok {
				out = append(out, evidence.ItemFact{Name: f.Name, Value: v, Source: evidence.SourceStated})
			}
			continue
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b evidence.ItemFact) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Target, b.Target)
	})
	return out
}

// aboutFile reports whether a fact is about a file as a whole (the tool
// that wrote it, when the scan ran) rather than about the targets in it.
func aboutFile(name string) bool {
	d, ok := facts.Lookup(name)
	return ok && d.Combine == facts.FileOnly
}

// statedValue is the value the manifest states for a dotted fact name,
// written flat ("tls.min_version") or nested ({tls: {min_version}}).
func statedValue(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	for k, v := range m {
		if rest, ok := strings.CutPrefix(name, k+"."); ok {
			if sub, ok := v.(map[string]any); ok {
				if v, ok := statedValue(sub, rest); ok {
					return v, true
				}
			}
		}
	}
	return nil, false
}
