// Package schemadoc decodes auditpack's input documents (rules, models,
// overlays, evidence manifests, exceptions, configuration) from YAML 1.2 or
// JSON, validates them against a JSON Schema, and reports every problem with
// the file, the line and the JSON pointer of the offending value.
//
// YAML 1.2 matters: under YAML 1.1, "on", "yes" and "no" silently become
// booleans. JSON is read strictly as JSON into the same values, so one
// schema serves both.
// The package never opens files: callers pass the bytes and the name to cite.
package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"
	yaml "go.yaml.in/yaml/v3"
)

// MaxSize bounds every document auditpack reads; larger inputs are refused
// before parsing so a hostile file cannot exhaust memory.
const MaxSize = 64 << 20

// maxDepth bounds nesting so that a deeply nested document cannot exhaust
// the stack during conversion or validation.
const maxDepth = 200

// Compile compiles an embedded JSON Schema. url is the schema's name in
// error messages; it is never fetched.
func Compile(url string, schema []byte) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(url, bytes.NewReader(schema)); err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	return s, nil
}

// MustCompile is [Compile] for schemas embedded in the binary, whose failure
// is a programming error.
func MustCompile(url string, schema []byte) *jsonschema.Schema {
	s, err := Compile(url, schema)
	if err != nil {
		panic(err)
	}
	return s
}

// Decode parses data (YAML 1.2 or JSON), validates it against schema, and
// decodes it into out through encoding/json, so out's json tags apply.
// Errors are [*Error] values naming name, the line and the JSON pointer. The
// returned [Lines] let callers locate problems their own checks find later.
func Decode(name string, data []byte, schema *jsonschema.Schema, out any) (Lines, error) {
	return DecodeLimited(name, data, DefaultLimits, schema, out)
}

// DecodeLimited is [Decode] for a document type with limits of its own.
func DecodeLimited(name string, data []byte, l Limits, schema *jsonschema.Schema, out any) (Lines, error) {
	d, err := parse(name, data, l)
	if err != nil {
		return Lines{}, err
	}
	if err := decode(name, d, schema, out); err != nil {
		return Lines{}, err
	}
	return d.lines, nil
}

// DecodeParsed is the second half of [DecodeLimited], for a caller that
// has already parsed the document (to look at it first) and should not
// pay for parsing it twice: it validates v against schema and decodes it
// into out.
func DecodeParsed(name string, v any, lines Lines, schema *jsonschema.Schema, out any) error {
	return decode(name, parsed{value: v, lines: lines}, schema, out)
}

// parsed is a document as [parse] read it. json holds the document's own
// bytes when they are JSON that spells every number as value does: then
// encoding/json reads out from them and gives what it would read from
// value re-encoded, without the round trip, which cost a large manifest
// or model about as much as parsing it.
type parsed struct {
	value any
	lines Lines
	json  []byte
}

// decode validates d against schema and decodes it into out.
func decode(name string, d parsed, schema *jsonschema.Schema, out any) error {
	v, lines := d.value, d.lines
	if schema != nil {
		if err := schema.Validate(v); err != nil {
			if e := undeclared(name, lines, schema, v); e != nil {
				return e
			}
			return fromValidation(name, lines, err)
		}
	}
	raw := d.json
	if raw == nil {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return &Error{File: name, Problems: []Problem{{Message: err.Error()}}}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && strings.HasPrefix(te.Value, "number") {
			if ptr, ok := outOfRange(v, "", te.Field[strings.LastIndexByte(te.Field, '.')+1:]); ok {
				return &Error{File: name, Problems: []Problem{{Line: lines.Line(ptr), Pointer: ptr,
					Message: "the number does not fit: it must be a whole number small enough for its field"}}}
			}
		}
		return &Error{File: name, Problems: []Problem{{Message: err.Error()}}}
	}
	return nil
}

// outOfRange finds, below ptr, the first number under key that a Go
// integer field cannot hold (too large, or not whole), for a decode error
// that the schema let through: encoding/json names the field but not the
// place, and rewrites the number.
func outOfRange(v any, ptr, key string) (string, bool) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := ptr + "/" + pointerEscaper.Replace(k)
			if n, ok := x[k].(json.Number); ok && k == key {
				if _, err := n.Int64(); err != nil {
					return p, true
				}
			}
			if p, ok := outOfRange(x[k], p, key); ok {
				return p, true
			}
		}
	case []any:
		for i, e := range x {
			if p, ok := outOfRange(e, ptr+"/"+strconv.Itoa(i), key); ok {
				return p, true
			}
		}
	}
	return "", false
}

// Lines maps JSON pointers of a parsed document to their 1-based lines.
// A JSON document's lines are found when first asked for, by reading the
// document again: a valid document is rarely asked, and recording a
// pointer and a line for every value of a large one cost about as much as
// reading it.
type Lines struct{ idx *lineIndex }

// lineMap is the line of every value by pointer.
type lineMap map[string]int

type lineIndex struct {
	once  sync.Once
	build func() lineMap
	m     lineMap
}

func knownLines(m lineMap) Lines { return Lines{&lineIndex{m: m}} }

func lazyLines(build func() lineMap) Lines { return Lines{&lineIndex{build: build}} }

// Line returns the line of pointer, or of its nearest ancestor.
func (l Lines) Line(pointer string) int {
	if l.idx == nil {
		return 0
	}
	l.idx.once.Do(func() {
		if l.idx.build != nil {
			l.idx.m, l.idx.build = l.idx.build(), nil
		}
	})
	for p := pointer; ; {
		if n, ok := l.idx.m[p]; ok {
			return n
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return 0
		}
		p = p[:i]
	}
}

// Parse converts a YAML 1.2 or JSON document into plain Go values
// (map[string]any, []any, string, json.Number, bool, nil) and records the
// line of every value by JSON pointer, within [DefaultLimits].
func Parse(name string, data []byte) (any, Lines, error) {
	return ParseLimited(name, data, DefaultLimits)
}

// ParseLimited is [Parse] within the limits l of a document type. A
// document whose first significant byte is "{" or "[" is scanned as JSON
// ([ScanJSON]) and, within l, read strictly as JSON; anything else goes to
// the YAML path,
// which scans the bytes and checks l again on the node tree ([ParseYAML]).
// Either way, a document beyond l is refused before most of its cost.
func ParseLimited(name string, data []byte, l Limits) (any, Lines, error) {
	d, err := parse(name, data, l)
	return d.value, d.lines, err
}

// parse is [ParseLimited], keeping what [decode] can use.
func parse(name string, data []byte, l Limits) (parsed, error) {
	if len(data) > l.Size {
		return parsed{}, &Error{File: name, Problems: []Problem{{Message: fmt.Sprintf("document is larger than %d MiB", l.Size>>20)}}}
	}
	if p := StrayBOM(data); p != nil {
		return parsed{}, &Error{File: name, Problems: []Problem{*p}}
	}
	data = bytes.TrimPrefix(data, bom)
	if p := invalidUTF8(data); p != nil {
		return parsed{}, &Error{File: name, Problems: []Problem{*p}}
	}
	if looksJSON(data) {
		// A document that starts like JSON is JSON: it is never read again
		// as YAML, which would report a syntax error as schema errors.
		values, p := countJSON(data, l)
		if p != nil {
			return parsed{}, &Error{File: name, Problems: []Problem{*p}}
		}
		v, respelt, p := parseJSON(data, l.Depth, nil)
		if p != nil {
			// Read again, recording pointers, for the problem's place.
			_, _, p = parseJSON(data, l.Depth, lineMap{})
			return parsed{}, &Error{File: name, Problems: []Problem{*p}}
		}
		depth := l.Depth
		d := parsed{value: v, lines: lazyLines(func() lineMap {
			m := make(lineMap, values)
			parseJSON(data, depth, m)
			return m
		})}
		if !respelt {
			d.json = data
		}
		return d, nil
	}
	v, lines, err := parseYAML(name, data, l)
	return parsed{value: v, lines: knownLines(lines)}, err
}

// invalidUTF8 locates the first byte that is not UTF-8, which the YAML
// parser reports without a line. Documents with a UTF-16 byte order mark
// are left to it: YAML allows them.
func invalidUTF8(data []byte) *Problem {
	if utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return &Problem{Line: line, Message: fmt.Sprintf("byte 0x%02X at column %d is not valid UTF-8", data[i], col)}
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		i += n
		col++
	}
	return nil
}

// parseYAML converts any YAML 1.2 document, JSON included, through a node
// tree, which gives lines and precise syntax errors.
func parseYAML(name string, data []byte, l Limits) (any, lineMap, error) {
	root, err := ParseYAML(name, data, l)
	if err != nil {
		return nil, nil, err
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, nil, &Error{File: name, Problems: []Problem{{Message: "document is empty"}}}
	}
	lines := lineMap{}
	// ParseYAML has bounded the expanded values and the nesting; convert
	// counts every node and alias hop as a level and guards again, so its
	// bounds are twice those, which nothing ParseYAML accepts can reach.
	budget := 2*l.values(YAMLWeight(data)) + 1
	v, perr := convert(root.Content[0], "", lines, 0, 2*l.Depth+2, &budget)
	if perr != nil {
		return nil, nil, &Error{File: name, Problems: []Problem{*perr}}
	}
	return v, lines, nil
}

func convert(n *yaml.Node, ptr string, lines lineMap, depth, maxDepth int, budget *int) (any, *Problem) {
	if depth > maxDepth {
		return nil, &Problem{Line: n.Line, Pointer: ptr, Message: "nesting is too deep"}
	}
	if *budget--; *budget < 0 {
		return nil, &Problem{Line: n.Line, Pointer: ptr, Message: "aliases expand to far more values than the document holds (an alias bomb)"}
	}
	lines[ptr] = n.Line
	switch n.Kind {
	case yaml.DocumentNode:
		return convert(n.Content[0], ptr, lines, depth+1, maxDepth, budget)
	case yaml.AliasNode:
		return convert(n.Alias, ptr, lines, depth+1, maxDepth, budget)
	case yaml.MappingNode:
		// Explicit keys win over merged ones whatever their order, as YAML's
		// merge key specifies; so merges are applied last.
		m := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				merges = append(merges, vn)
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, &Problem{Line: k.Line, Pointer: ptr, Message: "mapping keys must be plain strings"}
			}
			if _, dup := m[k.Value]; dup {
				return nil, &Problem{Line: k.Line, Pointer: ptr, Message: fmt.Sprintf("key %q appears twice", k.Value)}
			}
			v, err := convert(vn, ptr+"/"+escape(k.Value), lines, depth+1, maxDepth, budget)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		for _, vn := range merges {
			if err := merge(m, vn, ptr, lines, depth, maxDepth, budget); err != nil {
				return nil, err
			}
		}
		lines[ptr] = n.Line
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := convert(c, ptr+"/"+strconv.Itoa(i), lines, depth+1, maxDepth, budget)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n, ptr)
	}
	return nil, &Problem{Line: n.Line, Pointer: ptr, Message: "unsupported YAML node"}
}

// merge applies a YAML merge key: keys already present win.
func merge(m map[string]any, vn *yaml.Node, ptr string, lines lineMap, depth, maxDepth int, budget *int) *Problem {
	v, err := convert(vn, ptr, lines, depth+1, maxDepth, budget)
	if err != nil {
		return err
	}
	sources := []any{v}
	if s, ok := v.([]any); ok {
		sources = s
	}
	for _, src := range sources {
		sm, ok := src.(map[string]any)
		if !ok {
			return &Problem{Line: vn.Line, Pointer: ptr, Message: "merge key must refer to a mapping"}
		}
		for k, val := range sm {
			if _, present := m[k]; !present {
				m[k] = val
			}
		}
	}
	return nil
}

func scalar(n *yaml.Node, ptr string) (any, *Problem) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, &Problem{Line: n.Line, Pointer: ptr, Message: err.Error()}
		}
		return b, nil
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, &Problem{Line: n.Line, Pointer: ptr, Message: fmt.Sprintf("%q is not a finite number", n.Value)}
		}
		if n.ShortTag() == "!!int" {
			var i int64
			if err := n.Decode(&i); err == nil {
				return json.Number(strconv.FormatInt(i, 10)), nil
			}
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	// Everything else, timestamps included, stays the text that was written.
	return n.Value, nil
}

// pointerEscaper escapes a key for a JSON pointer; it is built once, as
// building it per key was a visible share of decoding a large model.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escape(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return pointerEscaper.Replace(key)
}

// LinesOf makes Lines of a map its caller fills, such as a reader that
// parses a document piece by piece and records where each piece lies. The
// map is consulted, not copied: entries added later are found.
func LinesOf(m map[string]int) Lines { return knownLines(m) }

// All yields every pointer with its line, in no particular order, building
// the index first if it is not yet built.
func (l Lines) All() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		if l.idx == nil {
			return
		}
		l.Line("")
		for p, n := range l.idx.m {
			if !yield(p, n) {
				return
			}
		}
	}
}
