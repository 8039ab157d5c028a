package schemadoc

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Error is an invalid document: every problem found, each with its place.
type Error struct {
	File     string
	Problems []Problem
}

// Problem is one defect in a document.
type Problem struct {
	Line    int    // 1-based; 0 when unknown
	Pointer string // JSON pointer; "" for the whole document
	Message string
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		start := b.Len()
		b.WriteString(e.File)
		switch {
		case p.Line > 0 && e.File == "":
			fmt.Fprintf(&b, "line %d", p.Line)
		case p.Line > 0:
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		if p.Pointer != "" {
			if b.Len() > start {
				b.WriteString(": ")
			}
			fmt.Fprintf(&b, "at %s", p.Pointer)
		}
		if b.Len() > start {
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Errorf builds a one-problem [*Error] located at pointer, looking its line
// up in lines (which may be the zero Lines). Semantic checks after schema validation use
// it so that their messages read like the schema's.
func Errorf(file string, lines Lines, pointer, format string, args ...any) *Error {
	return &Error{File: file, Problems: []Problem{{Line: lines.Line(pointer), Pointer: pointer, Message: fmt.Sprintf(format, args...)}}}
}

// fromValidation flattens a schema validation error to its leaf causes,
// which name the innermost offending values.
func fromValidation(file string, lines Lines, err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &Error{File: file, Problems: []Problem{{Message: err.Error()}}}
	}
	var leaves []*jsonschema.ValidationError
	var walk func(*jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if len(v.Causes) == 0 {
			leaves = append(leaves, v)
			return
		}
		for _, c := range v.Causes {
			walk(c)
		}
	}
	walk(ve)
	// oneOf failures produce one leaf per branch; the deepest pointer is the
	// most useful, and duplicates add nothing.
	slices.SortStableFunc(leaves, func(a, b *jsonschema.ValidationError) int {
		return strings.Count(b.InstanceLocation, "/") - strings.Count(a.InstanceLocation, "/")
	})
	e := &Error{File: file}
	seen := map[string]bool{}
	for _, l := range leaves {
		key := l.InstanceLocation + "\x00" + l.Message
		if seen[key] || len(e.Problems) >= 10 {
			continue
		}
		seen[key] = true
		e.Problems = append(e.Problems, Problem{Line: lines.Line(linePointer(l)), Pointer: l.InstanceLocation, Message: l.Message})
	}
	slices.SortStableFunc(e.Problems, func(a, b Problem) int { return a.Line - b.Line })
	return e
}

var extraPropRE = regexp.MustCompile(`^additionalProperties '([^']+)'`)

// linePointer returns the pointer whose line best locates a failure: for an
// unexpected property, the property itself rather than its parent object.
func linePointer(l *jsonschema.ValidationError) string {
	if m := extraPropRE.FindStringSubmatch(l.Message); m != nil {
		return l.InstanceLocation + "/" + escape(m[1])
	}
	return l.InstanceLocation
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// quotedValueRE matches the excerpt of the document that the YAML library
// quotes in its type errors ("cannot unmarshal !!str `…` into bool").
var quotedValueRE = regexp.MustCompile("`[^`]*` ?")

// anchorNameRE matches the anchor name the YAML library quotes when an
// alias refers to no anchor or an anchor contains itself ("unknown anchor
// 'x' referenced"): the name is text of the document like any other.
var anchorNameRE = regexp.MustCompile(`anchor '[^']*'`)

// WithoutContent removes from a YAML library message the excerpt of the
// document it quotes. A file read in the wrong role (a key, a password
// file reached through a link) must not have its content copied into an
// error that ends up in a terminal or a CI log; the line and pointer say
// where the problem is.
func WithoutContent(msg string) string {
	msg = anchorNameRE.ReplaceAllString(msg, "anchor")
	return quotedValueRE.ReplaceAllString(msg, "")
}

// Redact returns err with the text of [WithoutContent]: its message drops
// what the YAML library quoted from the document, and [errors.Is] and
// [errors.As] still reach the cause.
func Redact(err error) error {
	if err == nil {
		return nil
	}
	return &redacted{err}
}

type redacted struct{ err error }

func (r *redacted) Error() string { return WithoutContent(r.err.Error()) }
func (r *redacted) Unwrap() error { return r.err }

func yamlMessage(err error) string {
	msg := WithoutContent(strings.TrimPrefix(err.Error(), "yaml: "))
	msg = yamlLineRE.ReplaceAllString(strings.TrimPrefix(msg, "unmarshal errors:\n  "), "")
	return strings.TrimPrefix(msg, ": ")
}
