package threatdragon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

// Input bounds. Real Threat Dragon models are well under a megabyte; the
// limits keep hostile input from exhausting memory or the stack.
const (
	maxSize  = 32 << 20
	maxDepth = 128
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// parse strips a UTF-8 BOM, enforces the size and depth bounds and decodes
// the JSON into generic values (objects, arrays, strings, json.Number, bool).
func parse(data []byte) (map[string]any, error) {
	data = bytes.TrimPrefix(data, bom)
	if len(data) > maxSize {
		return nil, fmt.Errorf("file is %d bytes, more than the %d allowed", len(data), maxSize)
	}
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, describeJSONError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("at offset %d: unexpected data after the top-level value", dec.InputOffset())
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("at /: the top-level value is not a JSON object")
	}
	return root, nil
}

// checkDepth refuses documents nested deeper than maxDepth before the
// decoder builds them.
func checkDepth(data []byte) error {
	depth, inString, escaped := 0, false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > maxDepth {
				return fmt.Errorf("at offset %d: nesting deeper than %d levels", i, maxDepth)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// describeJSONError turns a decoder error into one that names a line and column.
func describeJSONError(data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		off = int64(len(data))
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n') - 1
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}

// str returns strings as they are and numbers in their source spelling;
// anything else reads as empty.
func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}

// num returns a finite number, or false.
func num(v any) (float64, bool) {
	var f float64
	var err error
	switch t := v.(type) {
	case json.Number:
		f, err = strconv.ParseFloat(t.String(), 64)
	case string:
		f, err = strconv.ParseFloat(strings.TrimSpace(t), 64)
	default:
		return 0, false
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// tri reads a flag: JSON true/false (or the strings "true"/"false") are
// stated facts; absence or anything else is unknown.
func tri(v any) model.Tri {
	switch t := v.(type) {
	case bool:
		return model.TriOf(t)
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true":
			return model.True
		case "false":
			return model.False
		}
	}
	return model.Unknown
}

// clean collapses runs of white space (names in diagrams contain line
// breaks) into single spaces.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
