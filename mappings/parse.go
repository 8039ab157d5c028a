package mappings

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sync"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed rules.schema.json
var rulesSchemaJSON []byte

//go:embed capabilities.schema.json
var capabilitiesSchemaJSON []byte

//go:embed capabilities.yaml
var capabilitiesYAML []byte

//go:embed rules/*.rules.yaml
var builtinRules embed.FS

// RulesSchema returns the JSON Schema of rule files, for publishing.
func RulesSchema() []byte { return slices.Clone(rulesSchemaJSON) }

var (
	rulesSchema = sync.OnceValue(func() *jsonschema.Schema {
		return schemadoc.MustCompile("auditpack-rules.schema.json", rulesSchemaJSON)
	})
	capsSchema = sync.OnceValue(func() *jsonschema.Schema {
		return schemadoc.MustCompile("auditpack-capabilities.schema.json", capabilitiesSchemaJSON)
	})
)

// Limits bound a rule file (see [schemadoc.Limits]): the largest built-in
// one (PCI DSS) holds about 3,900 values, and 100,000 is room for a
// framework twenty-five times its size.
var Limits = schemadoc.Limits{Size: 16 << 20, Values: 100_000, Depth: 64, String: 64 << 10}

// Parse decodes and schema-validates one rule file. It does not lint: call
// [Lint] with the catalogs once all rule files are parsed.
func Parse(name string, data []byte) (*RuleSet, error) {
	rs := &RuleSet{File: name}
	lines, err := schemadoc.DecodeLimited(name, data, Limits, rulesSchema(), rs)
	if err != nil {
		return nil, err
	}
	rs.lines = lines
	for i := range rs.Rules {
		rs.Rules[i].File = name
		rs.Rules[i].Line = lines.Line(fmt.Sprintf("/rules/%d", i))
	}
	return rs, nil
}

// BuiltinFS returns the embedded rule files, under "rules/".
func BuiltinFS() fs.FS { return builtinRules }

// Builtin parses the rule files shipped inside auditpack, in file-name order.
func Builtin() ([]*RuleSet, error) {
	return ParseFS(builtinRules, "rules")
}

// ParseFS parses every *.rules.yaml file below dir in fsys, in name order.
func ParseFS(fsys fs.FS, dir string) ([]*RuleSet, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.rules.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list rule files: %w", err)
	}
	slices.Sort(names)
	var out []*RuleSet
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read rule file: %w", err)
		}
		rs, err := Parse(n, data)
		if err != nil {
			return nil, err
		}
		out = append(out, rs)
	}
	return out, nil
}

// Capability is one entry of the capability vocabulary.
type Capability struct {
	ID     string            `json:"id"`
	Title  string            `json:"title"`
	D3FEND []string          `json:"d3fend,omitempty"`
	NIST   []string          `json:"nist,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

type capabilityFile struct {
	Schema       string       `json:"schema"`
	Capabilities []Capability `json:"capabilities"`
}

var builtinCaps = sync.OnceValues(func() ([]Capability, error) {
	var f capabilityFile
	if _, err := schemadoc.Decode("capabilities.yaml", capabilitiesYAML, capsSchema(), &f); err != nil {
		return nil, err
	}
	slices.SortFunc(f.Capabilities, func(a, b Capability) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return f.Capabilities, nil
})

// Capabilities returns the built-in capability vocabulary, sorted by id.
func Capabilities() []Capability {
	caps, err := builtinCaps()
	if err != nil {
		panic(fmt.Sprintf("embedded capabilities.yaml is invalid: %v", err))
	}
	return caps
}

// CapabilityByID looks a capability up.
func CapabilityByID(id string) (Capability, bool) {
	caps := Capabilities()
	i, ok := slices.BinarySearchFunc(caps, id, func(c Capability, id string) int {
		switch {
		case c.ID < id:
			return -1
		case c.ID > id:
			return 1
		}
		return 0
	})
	if !ok {
		return Capability{}, false
	}
	return caps[i], true
}
