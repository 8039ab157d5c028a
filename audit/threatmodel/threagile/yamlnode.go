package threagile

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"go.yaml.in/yaml/v3"
)

// pair is one key/value of a YAML mapping, with merge keys already resolved.
type pair struct {
	key, value *yaml.Node
}

// deref follows alias nodes to what they point at.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < MaxDepth; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an explicit null.
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// pairs lists the entries of a mapping in document order. `<<` merge keys
// are expanded in place; explicitly written keys win over merged ones, as in
// YAML's merge-key semantics. A null node is an empty mapping.
func pairs(file string, n *yaml.Node) ([]pair, error) {
	return pairsDepth(file, n, 0)
}

func pairsDepth(file string, n *yaml.Node, depth int) ([]pair, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if depth > MaxDepth {
		return nil, importer.Errorf(file, "line %d: merge keys nest too deeply", n.Line)
	}
	if n.Kind != yaml.MappingNode {
		return nil, importer.Errorf(file, "line %d: expected a mapping, found %s", n.Line, kindName(n))
	}
	explicit := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !isMerge(k) {
			explicit[k.Value] = true
		}
	}
	var out []pair
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isMerge(k) {
			if k.Kind != yaml.ScalarNode {
				return nil, importer.Errorf(file, "line %d: mapping keys must be plain strings", k.Line)
			}
			out = append(out, pair{k, v})
			seen[k.Value] = true
			continue
		}
		var sources []*yaml.Node
		if dv := deref(v); dv != nil && dv.Kind == yaml.SequenceNode {
			sources = dv.Content
		} else {
			sources = []*yaml.Node{v}
		}
		for _, s := range sources {
			merged, err := pairsDepth(file, s, depth+1)
			if err != nil {
				return nil, err
			}
			for _, p := range merged {
				if !explicit[p.key.Value] && !seen[p.key.Value] {
					out = append(out, p)
					seen[p.key.Value] = true
				}
			}
		}
	}
	return out, nil
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge"
}

// sameNode reports whether two nodes hold the same data. budget bounds the
// work so that alias-heavy documents cannot make the comparison explode.
func sameNode(a, b *yaml.Node, budget *int) bool {
	*budget--
	if *budget < 0 {
		return false
	}
	a, b = deref(a), deref(b)
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.ScalarNode && a.ShortTag() != b.ShortTag() {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i], budget) {
			return false
		}
	}
	return true
}

// scalar returns the text of a scalar node, or "" for anything else.
func scalar(n *yaml.Node) string {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		// Never the value itself: a file included by mistake (a password
		// file, a key) reads as one long value, which must not end up in
		// a terminal or a CI log.
		return fmt.Sprintf("a single value of %d bytes", len(n.Value))
	}
	return "nothing"
}
