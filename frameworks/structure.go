package frameworks

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// maxStructureProblems caps how many structural problems one file reports.
const maxStructureProblems = 50

// checkStructure verifies what the schema cannot: ids are unique, kinds are declared,
// every parent exists, the hierarchy has no cycles, names are single clean lines,
// baselines are declared once and list only assessable nodes, statements appear only in
// full-text catalogs, and there is something to assess. Every problem is reported with
// its JSON pointer.
func checkStructure(file string, c *Catalog, raw []fileNode) error {
	var errs []error
	add := func(ptr, format string, args ...any) {
		if len(errs) < maxStructureProblems {
			errs = append(errs, &FileError{File: file, Pointer: ptr, Err: fmt.Errorf(format, args...)})
		}
	}
	first := make(map[string]int, len(c.Nodes))
	for i, n := range c.Nodes {
		if j, dup := first[n.ID]; dup {
			add(fmt.Sprintf("/nodes/%d/id", i), "duplicate id %q (first at /nodes/%d)", n.ID, j)
			continue
		}
		first[n.ID] = i
	}
	declared := map[string]bool{}
	for i, b := range c.Baselines {
		if declared[b.ID] {
			add(fmt.Sprintf("/framework/baselines/%d/id", i), "duplicate baseline id %q", b.ID)
		}
		declared[b.ID] = true
	}
	members := map[string]int{} // baseline id -> assessable members
	assessable := false
	for i, n := range c.Nodes {
		at := fmt.Sprintf("/nodes/%d", i)
		assessable = assessable || n.Assessable
		if !slices.Contains(c.NodeKinds, n.Kind) {
			add(at+"/kind", "kind %q is not declared in /node_kinds", n.Kind)
		}
		switch {
		case raw[i].Parent == nil:
		case n.Parent == "":
			add(at+"/parent", "empty parent; use null for a root node")
		case n.Parent == n.ID:
			add(at+"/parent", "node %q is its own parent", n.ID)
		default:
			if _, ok := first[n.Parent]; !ok {
				add(at+"/parent", "unknown parent %q", n.Parent)
			}
		}
		checkName(at+"/title", n.Title, add)
		checkName(at+"/label", n.Label, add)
		if c.ContentPolicy == "ids-only" && (n.Title != "" || n.Label != "") {
			add(at, "content policy ids-only allows no title or label")
		}
		if st, ok := n.Props["statement"]; ok {
			if _, isText := st.(string); !isText {
				add(at+"/props/statement", "a statement must be a string")
			}
			if c.ContentPolicy != "full-text" {
				add(at+"/props/statement", "content policy %s allows no statement text; only full-text catalogs carry it", c.ContentPolicy)
			}
		}
		checkMembership(at, n, declared, members, add)
	}
	for i, b := range c.Baselines {
		if members[b.ID] == 0 {
			add(fmt.Sprintf("/framework/baselines/%d", i), "baseline %q has no member; list it in props.baselines of its controls", b.ID)
		}
	}
	if len(errs) == 0 {
		for _, i := range findCycles(c.Nodes, first) {
			add(fmt.Sprintf("/nodes/%d/parent", i), "parent chain of %q loops back to itself", c.Nodes[i].ID)
		}
	}
	if !assessable {
		add("/nodes", "no node is assessable")
	}
	return errors.Join(errs...)
}

// checkName refuses names that would break a report line or a spreadsheet cell.
func checkName(ptr, s string, add func(ptr, format string, args ...any)) {
	if s == "" {
		return
	}
	if strings.TrimSpace(s) != s {
		add(ptr, "leading or trailing white space")
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		add(ptr, "control character (such as a line break)")
	}
}

// findCycles returns, in document order, the first node found on each parent cycle. It
// assumes every parent exists.
func findCycles(nodes []Node, pos map[string]int) []int {
	const (
		unseen = iota
		walking
		done
	)
	state := make([]int, len(nodes))
	var out []int
	for start := range nodes {
		var path []int
		i := start
		for state[i] == unseen {
			state[i] = walking
			path = append(path, i)
			p := nodes[i].Parent
			if p == "" {
				break
			}
			i = pos[p]
			if state[i] == walking {
				out = append(out, i)
				break
			}
		}
		for _, j := range path {
			state[j] = done
		}
	}
	slices.Sort(out)
	return out
}

// checkMembership checks props.baselines of one node: a list of declared baseline ids,
// on an assessable node only (a withdrawn control belongs to no baseline).
func checkMembership(at string, n Node, declared map[string]bool, members map[string]int, add func(ptr, format string, args ...any)) {
	v, ok := n.Props["baselines"]
	if !ok {
		return
	}
	list, isList := v.([]any)
	if !isList {
		add(at+"/props/baselines", "must be a list of baseline ids")
		return
	}
	if !n.Assessable && len(list) > 0 {
		add(at+"/props/baselines", "node %q is in a baseline but not assessable", n.ID)
	}
	for j, e := range list {
		id, _ := e.(string)
		if !declared[id] {
			add(fmt.Sprintf("%s/props/baselines/%d", at, j), "baseline %v is not declared in /framework/baselines", e)
			continue
		}
		members[id]++
	}
}
