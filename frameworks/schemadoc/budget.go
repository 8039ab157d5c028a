package schemadoc

import (
	"bytes"
	"fmt"
	"io"

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
	// [BytesPerValue] meaningful bytes beyond the first [FreeValues]: real
	// documents spend ten bytes or more on a value, and a document that is
	// nothing but values costs hundreds of times its size to build. Only
	// meaningful bytes count ([JSONWeight], [YAMLWeight]): white space and
	// comments cost next to nothing to parse, and counting them let padding
	// buy a document as many values as its size allowed.
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

// values is the number of values a document of size meaningful bytes may
// hold.
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
		return fmt.Sprintf("the document holds more than %d values, more than a document of %d meaningful bytes may hold (one value per %d bytes beyond the first %d, white space and comments not counted)", n, size, BytesPerValue, FreeValues)
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
// path of [Parse], encoding/json) builds a bounded number.
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

// JSONWeight is the number of meaningful bytes of a JSON document, those
// the density rule of [Limits.Values] counts: every byte but the white
// space between tokens.
func JSONWeight(data []byte) int {
	n := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			start := i
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			n += min(i, len(data)-1) - start
		}
		n++
	}
	return n
}

// YAMLWeight is the number of meaningful bytes of a YAML document, those
// the density rule of [Limits.Values] counts: every byte but white space
// and comments. A "#" at the start of a line or after white space is taken
// for a comment wherever it is, in quotes too; that can only under-count,
// which makes the rule stricter, never looser.
func YAMLWeight(data []byte) int {
	n := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '#':
			if i == 0 || isYAMLSpace(data[i-1]) {
				for i < len(data) && data[i] != '\n' {
					i++
				}
				continue
			}
		}
		n++
	}
	return n
}

func isYAMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

func scanJSON(data []byte, l Limits) *Problem {
	_, p := countJSON(data, l)
	return p
}

// countJSON is scanJSON, returning the values counted: for well-formed
// JSON, exactly those the parser will build.
func countJSON(data []byte, l Limits) (int, *Problem) {
	weight := JSONWeight(data)
	maxValues := l.values(weight)
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
				return 0, &Problem{Line: startLine, Message: fmt.Sprintf("a string of more than %d bytes", l.String)}
			}
		case '{', '[':
			inLiteral = false
			if depth++; depth > l.Depth {
				return 0, &Problem{Line: line, Message: fmt.Sprintf("nesting is too deep (more than %d levels)", l.Depth)}
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
			return 0, &Problem{Line: line, Message: l.tooMany(weight)}
		}
	}
	return values, nil
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
// with aliases followed, and string lengths. A file holds one document: a
// second one ("---" and more) is refused, not ignored, so that nothing a
// reader would see in the file is left out of what auditpack reads.
// Problems name name and a line.
func ParseYAML(name string, data []byte, l Limits) (*yaml.Node, error) {
	root, _, err := ParseYAMLCounted(name, data, l)
	return root, err
}

// ParseYAMLCounted is [ParseYAML] that also returns the values the tree
// holds, aliases expanded, for a reader of several files (a model and its
// includes) that gives them one budget: each file is parsed within what
// the ones before it left.
func ParseYAMLCounted(name string, data []byte, l Limits) (*yaml.Node, int, error) {
	if err := ScanYAML(name, data, l); err != nil {
		return nil, 0, err
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return nil, 0, &Error{File: name, Problems: []Problem{{Line: yamlLine(err), Message: yamlMessage(err)}}}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return nil, 0, &Error{File: name, Problems: []Problem{{Line: yamlLine(err), Message: "after the first document: " + yamlMessage(err)}}}
	default:
		return nil, 0, &Error{File: name, Problems: []Problem{{Line: next.Line, Message: "a second YAML document follows the first (a file holds one document)"}}}
	}
	total, err := checkNode(name, &root, YAMLWeight(data), l)
	if err != nil {
		return nil, 0, err
	}
	return &root, total, nil
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
	weight := YAMLWeight(data)
	if over, line := yamlBound(data, 2*l.yamlValues(weight)+1); over > 0 {
		return &Problem{Line: line, Message: l.tooManyYAML(weight)}
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

// CheckNode checks a parsed YAML tree against l; size is the [YAMLWeight]
// of the document it came from. Aliases are not expanded: the expanded size of
// each anchored node is computed once, so a billion laughs is refused in
// time proportional to its bytes.
func CheckNode(name string, root *yaml.Node, size int, l Limits) error {
	_, err := checkNode(name, root, size, l)
	return err
}

// checkNode is [CheckNode], returning the values counted.
func checkNode(name string, root *yaml.Node, size int, l Limits) (int, error) {
	c := &nodeCheck{l: l, max: l.yamlValues(size), size: size, memo: map[*yaml.Node]nodeCost{}}
	if p := c.walk(root, 0); p != nil {
		return 0, &Error{File: name, Problems: []Problem{*p}}
	}
	return c.total, nil
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
