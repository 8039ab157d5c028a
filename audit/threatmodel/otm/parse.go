package otm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"go.yaml.in/yaml/v3"
)

// Limits bound an OTM file. Real files are well under a megabyte; the
// limits keep hostile input (a flood of values, deep nesting, alias bombs,
// huge strings) from exhausting memory or the stack, and are checked before
// anything is built (see [schemadoc.Limits]).
var Limits = schemadoc.Limits{Size: maxSize, Values: maxNodes, Depth: maxDepth, String: 1 << 20}

const (
	maxSize  = 32 << 20
	maxDepth = 128
	// maxNodes bounds the values built from a document, counting every
	// expansion of an alias.
	maxNodes = 2_000_000
)

// parse decodes an OTM document, JSON or YAML, into generic values:
// map[string]any, []any, string, json.Number, bool and nil. JSON is
// recognised by its leading brace or bracket; anything else is read as YAML 1.2.
func parse(data []byte) (map[string]any, error) {
	data = importer.TrimBOM(data)
	if err := importer.CheckSize(data, maxSize); err != nil {
		return nil, err
	}
	var v any
	var err error
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		v, err = importer.DecodeJSON(data, Limits)
	} else {
		v, err = parseYAML(data)
	}
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("at /: the document is not a mapping of OTM sections")
	}
	return root, nil
}

func parseYAML(data []byte) (any, error) {
	if err := schemadoc.ScanYAML("", data, Limits); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the document is empty")
		}
		return nil, fmt.Errorf("invalid YAML: %w", schemadoc.Redact(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("line %d: only one YAML document is allowed", extra.Line)
	}
	if err := schemadoc.CheckNode("", &doc, schemadoc.YAMLWeight(data), Limits); err != nil {
		return nil, err
	}
	b := &builder{}
	return b.value(&doc, 0)
}

// builder converts yaml.Node trees, resolving aliases and merge keys, with
// YAML 1.2 core-schema scalars: only true and false are booleans, and
// y, yes, on stay strings.
type builder struct{ nodes int }

func (b *builder) value(n *yaml.Node, depth int) (any, error) {
	if b.nodes++; b.nodes > maxNodes {
		return nil, fmt.Errorf("line %d: document expands to more than %d values", n.Line, maxNodes)
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("line %d: nesting deeper than %d levels", n.Line, maxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return b.value(n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, fmt.Errorf("line %d: unknown alias", n.Line)
		}
		return b.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := b.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return b.mapping(n, depth)
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func (b *builder) mapping(n *yaml.Node, depth int) (any, error) {
	out := map[string]any{}
	merged := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			if err := b.merge(out, merged, v, depth); err != nil {
				return nil, err
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: mapping keys must be scalars", k.Line)
		}
		if _, dup := out[k.Value]; dup && !merged[k.Value] {
			return nil, fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
		}
		val, err := b.value(v, depth+1)
		if err != nil {
			return nil, err
		}
		out[k.Value] = val
		delete(merged, k.Value)
	}
	return out, nil
}

// merge applies a "<<" merge key: keys already present win.
func (b *builder) merge(out map[string]any, merged map[string]bool, v *yaml.Node, depth int) error {
	src, err := b.value(v, depth+1)
	if err != nil {
		return err
	}
	maps := []any{src}
	if list, ok := src.([]any); ok {
		maps = list
	}
	for _, m := range maps {
		mm, ok := m.(map[string]any)
		if !ok {
			return fmt.Errorf("line %d: a merge key needs a mapping", v.Line)
		}
		for k, val := range mm {
			if _, ok := out[k]; !ok {
				out[k] = val
				merged[k] = true
			}
		}
	}
	return nil
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true")
	case "!!int", "!!float":
		return json.Number(n.Value)
	}
	return n.Value
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}

// str returns strings as they are and numbers in their source spelling
// (ids such as 55 are often written unquoted); anything else reads as empty.
func str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	}
	return ""
}
