package evidence

import (
	"encoding/json"
	"reflect"
	"strings"
)

// FactValue writes a fact's value in the one form every output shows it:
// JSON, so that the version "1.2" and the number 1.2 never look alike, with
// a space after each comma of a list, so that a long list wraps at its
// items in a report's column. A value JSON cannot hold (none of the
// vocabulary's types) is shown as "?".
func FactValue(v any) string {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = FactValue(rv.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "?"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Describe is a fact of an item on one line, with its source: where a read
// fact came from (and what the manifest stated instead, if it disagreed),
// or that a stated one was not read from any file.
func (f ItemFact) Describe() string {
	var b strings.Builder
	b.WriteString(f.Name)
	if f.Target != "" {
		b.WriteString(" [" + f.Target + "]")
	}
	b.WriteString(" = " + FactValue(f.Value))
	if f.Source != SourceRead {
		b.WriteString(" (stated, not read)")
		return b.String()
	}
	b.WriteString(" (read from " + f.File)
	if f.At != "" {
		b.WriteString(" at " + f.At)
	}
	if f.Stated != nil {
		b.WriteString("; stated " + FactValue(f.Stated))
	}
	b.WriteString(")")
	return b.String()
}
