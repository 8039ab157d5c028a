package schemadoc

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// Limits bound the cost of reading one type of document, not only its size:
// a few bytes of YAML can stand for a million values (`[0,0,0,…]`) or, with
// aliases, for billions, and building them costs far more time and memory
// than the bytes suggest. Every reader of a YAML or JSON document checks
// these before building anything large; docs/input-limits.md lists the
// limits of each document type.
type Limits struct {
	// Size is the largest document, in bytes.
	Size int
	// Values bounds the values of the document: every scalar, key, mapping
	// and sequence, each expansion of an alias counted again. Whatever this
	// says, a document may hold no more than one value for every
	// [BytesPerValue] bytes beyond the first [FreeValues]: real documents
	// spend eight bytes or more on a value, and a document that is nothing
	// but values costs hundreds of times its size to build.
	Values int
	// Depth bounds the nesting of mappings and sequences.
	Depth int
	// String bounds one scalar or key, in bytes.
	String int
}

// The density rule of [Limits.Values].
const (
	BytesPerValue = 4
	FreeValues    = 10_000
)

// MaxYAMLValues bounds the values of any document read as YAML, whatever
// its type allows: the YAML library spends several times what the JSON
// path does on each value, and the largest documents auditpack reads are
// generated, and JSON. A larger document must be written as JSON.
const MaxYAMLValues = 500_000

// DefaultLimits are those of [Parse] and [Decode], for documents without
// limits of their own.
var DefaultLimits = Limits{Size: MaxSize, Values: 2_000_000, Depth: maxDepth, String: 1 << 20}

// values is the number of values a document of size bytes may hold.
func (l Limits) values(size int) int {
	return min(l.Values, size/BytesPerValue+FreeValues)
}

// yamlValues is the number of values a YAML document of size bytes may hold.
func (l Limits) yamlValues(size int) int {
	return min(l.values(size), MaxYAMLValues)
}

// tooManyYAML is the message for a YAML document over its value budget.
func (l Limits) tooManyYAML(size int) string {
	if l.yamlValues(size) < l.values(size) {
		return fmt.Sprintf("the document holds more than %d values, the most a YAML document may hold (write a larger one as JSON)", MaxYAMLValues)
	}
	return l.tooMany(size)
}

// tooMany is the message for a document over its value budget.
func (l Limits) tooMany(size int) string {
	n := l.values(size)
	if n < l.Values {
		return fmt.Sprintf("the document holds more than %d values, more than a document of %d bytes may hold (one value per %d bytes beyond the first %d)", n, size, BytesPerValue, FreeValues)
	}
	return fmt.Sprintf("the document holds more than %d values (the limit for this kind of document)", n)
}

// CheckSize refuses data larger than l.Size, naming name.
func (l Limits) CheckSize(name string, data []byte) error {
	if len(data) > l.Size {
		return &Error{File: name, Problems: []Problem{{Message: fmt.Sprintf("document is %d bytes, more than the %d allowed", len(data), l.Size)}}}
	}
	return nil
}

// ScanJSON checks a JSON document against l without decoding it: one pass
// over the bytes counts values, nesting and string lengths exactly for
// well-formed JSON, so a reader that builds values afterwards (the fast
// path of [Parse], [JSONReader], encoding/json) builds a bounded number.
// Malformed JSON is left to the decoder, which says what is wrong.
func ScanJSON(name string, data []byte, l Limits) error {
	if err := l.CheckSize(name, data); err != nil {
		return err
	}
	if p := scanJSON(data, l); p != nil {
		return &Error{File: name, Problems: []Problem{*p}}
	}
	return nil
}

func scanJSON(data []byte, l Limits) *Problem {
	maxValues := l.values(len(data))
	values, depth, line := 0, 0, 1
	inLiteral := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '"':
			inLiteral = false
			start, startLine := i, line
			for i++; i < len(data) && data[i] != '"'; i++ {
				switch data[i] {
				case '\\':
					i++
				case '\n':
					line++
				}
			}
			if i-start-1 > l.String {
				return &Problem{Line: startLine, Message: fmt.Sprintf("a string of more than %d bytes", l.String)}
			}
		case '{', '[':
			inLiteral = false
			if depth++; depth > l.Depth {
				return &Problem{Line: line, Message: fmt.Sprintf("nesting is too deep (more than %d levels)", l.Depth)}
			}
		case '}', ']':
			inLiteral = false
			depth--
			continue
		case ',', ':', ' ', '\t', '\r':
			inLiteral = false
			continue
		case '\n':
			inLiteral = false
			line++
			continue
		default:
			if inLiteral {
				continue
			}
			inLiteral = true
		}
		if values++; values > maxValues {
			return &Problem{Line: line, Message: l.tooMany(len(data))}
		}
	}
	return nil
}

// ScanYAML refuses, from its bytes alone and in one pass, a YAML document
// that holds far more values than l allows; readers that build a node tree
// themselves call it first, and [CheckNode] on the tree after.
func ScanYAML(name string, data []byte, l Limits) error {
	if err := l.CheckSize(name, data); err != nil {
		return err
	}
	if p := scanYAML(data, l); p != nil {
		return &Error{File: name, Problems: []Problem{*p}}
	}
	return nil
}

// ParseYAML parses one YAML document into its node tree within l. The bytes
// are scanned first, so that a document with far too many values is
// refused before the YAML library builds a node for each (which costs
// about a microsecond and several hundred bytes per value); the tree is
// then checked exactly: values with every alias expansion counted, nesting
// with aliases followed, and string lengths. Problems name name and a line.
func ParseYAML(name string, data []byte, l Limits) (*yaml.Node, error) {
	if err := ScanYAML(name, data, l); err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Error{File: name, Problems: []Problem{{Line: yamlLine(err), Message: yamlMessage(err)}}}
	}
	if err := CheckNode(name, &root, len(data), l); err != nil {
		return nil, err
	}
	return &root, nil
}

// scanYAML counts an upper bound of the values of a YAML document from its
// bytes alone. Every node but the root follows a flow indicator ("[", "{",
// ","), a block entry ("- ", "? ") or a key's ":", or is a key followed by
// ":"; counting two values for each such byte, wherever it appears (in
// quotes, comments and block scalars too, so that no quoting trick hides
// values from the count), over-counts but never under-counts. Real
// documents count at most about twice their values, hence the factor two
// in the test.
func scanYAML(data []byte, l Limits) *Problem {
	if over, line := yamlBound(data, 2*l.yamlValues(len(data))+1); over > 0 {
		return &Problem{Line: line, Message: l.tooManyYAML(len(data))}
	}
	return nil
}

// yamlBound counts as scanYAML describes and returns the count and line at
// which it passed stop, or 0 and the total count's line when it did not.
func yamlBound(data []byte, stop int) (int, int) {
	count, line := 1, 1
	for i, c := range data {
		switch c {
		case '\n':
			line++
			continue
		case ',', '[', '{', ':':
		case '-', '?':
			if i+1 < len(data) {
				switch data[i+1] {
				case ' ', '\t', '\n', '\r':
				default:
					continue
				}
			}
		default:
			continue
		}
		if count += 2; count > stop {
			return count, line
		}
	}
	return 0, line
}

// CheckNode checks a parsed YAML tree against l; size is the length of the
// document it came from. Aliases are not expanded: the expanded size of
// each anchored node is computed once, so a billion laughs is refused in
// time proportional to its bytes.
func CheckNode(name string, root *yaml.Node, size int, l Limits) error {
	c := &nodeCheck{l: l, max: l.yamlValues(size), size: size, memo: map[*yaml.Node]nodeCost{}}
	if p := c.walk(root, 0); p != nil {
		return &Error{File: name, Problems: []Problem{*p}}
	}
	return nil
}

type nodeCost struct{ values, height int }

type nodeCheck struct {
	l     Limits
	max   int
	size  int
	total int
	memo  map[*yaml.Node]nodeCost
}

// walk visits n once, adding its values to the total; an alias adds the
// expanded cost of its target. depth counts the mappings and sequences
// around n.
func (c *nodeCheck) walk(n *yaml.Node, depth int) *Problem {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return &Problem{Line: n.Line, Message: "unknown alias"}
		}
		cost, p := c.cost(n.Alias, depth)
		if p != nil {
			p.Line = n.Line
			return p
		}
		if depth+cost.height > c.l.Depth {
			return &Problem{Line: n.Line, Message: fmt.Sprintf("nesting is too deep through an alias (more than %d levels)", c.l.Depth)}
		}
		if c.total += cost.values; c.total > c.max {
			return &Problem{Line: n.Line, Message: fmt.Sprintf("aliases expand to more than %d values (an alias bomb)", c.max)}
		}
		return nil
	}
	if n.Kind == yaml.ScalarNode && len(n.Value) > c.l.String {
		return &Problem{Line: n.Line, Message: fmt.Sprintf("a string of more than %d bytes", c.l.String)}
	}
	if isCollection(n) {
		if depth++; depth > c.l.Depth {
			return &Problem{Line: n.Line, Message: fmt.Sprintf("nesting is too deep (more than %d levels)", c.l.Depth)}
		}
	}
	if n.Kind != yaml.DocumentNode {
		if c.total++; c.total > c.max {
			return &Problem{Line: n.Line, Message: c.l.tooManyYAML(c.size)}
		}
	}
	for _, k := range n.Content {
		if p := c.walk(k, depth); p != nil {
			return p
		}
	}
	return nil
}

func isCollection(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode
}

// cost returns the values and the collection nesting of n with its aliases
// expanded, saturating past the budget so that the sums cannot overflow.
// depth, the nesting around n, stops a runaway recursion.
func (c *nodeCheck) cost(n *yaml.Node, depth int) (nodeCost, *Problem) {
	if v, ok := c.memo[n]; ok {
		return v, nil
	}
	if depth > c.l.Depth {
		return nodeCost{}, &Problem{Line: n.Line, Message: fmt.Sprintf("nesting is too deep through an alias (more than %d levels)", c.l.Depth)}
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nodeCost{}, &Problem{Line: n.Line, Message: "unknown alias"}
		}
		return c.cost(n.Alias, depth)
	}
	out := nodeCost{values: 1}
	inner := depth
	if isCollection(n) {
		inner++
	}
	for _, k := range n.Content {
		kc, p := c.cost(k, inner)
		if p != nil {
			return nodeCost{}, p
		}
		out.values = min(out.values+kc.values, c.max+1)
		out.height = max(out.height, kc.height)
	}
	if isCollection(n) {
		out.height++
	}
	c.memo[n] = out
	return out, nil
}
