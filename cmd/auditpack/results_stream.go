package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// maxResultsSize bounds a results.json read back (docs/input-limits.md).
// It is far above the bound on the documents auditpack reads whole: the
// file is read as a stream, one element at a time, and only what diff and
// build --previous compare is kept, so a package of thousands of
// components can still be compared with the next one.
const maxResultsSize = 8 << 30

// resultsElementLimits bound one element of a large array, or one other
// top-level value, of a results.json (see [schemadoc.Limits]).
var resultsElementLimits = schemadoc.Limits{Size: schemadoc.MaxSize, Values: 4_000_000, Depth: 64, String: 1 << 20}

// part is an array of results.json read element by element: the subschema
// each element is checked against, and how a checked element is kept.
type part struct {
	schema *jsonschema.Schema
	keep   func(r *audit.Results, raw []byte) error
}

// resultsParts are the schema of results.json (index 0 is the whole
// document) and its large arrays, by JSON pointer. They are compiled on
// first use: compiling them when the program starts cost every command,
// diff or not, tens of milliseconds.
var resultsParts = sync.OnceValue(func() map[string]part {
	// The schema says nothing of a component's shape (the model's own
	// schema did): "" leaves its elements unchecked but for being objects.
	ptrs := []string{"/rule_results", "/controls", "/warnings", "/evidence/items", "/model/components", "/model/flows", "/scope/elements"}
	sub := make([]string, len(ptrs))
	for i, p := range ptrs {
		if p != "/model/components" {
			sub[i] = strings.ReplaceAll(p, "/", "/properties/") + "/items"
		}
	}
	ss, err := schemadoc.CompileParts("results.schema.json", audit.ResultsSchema(), sub...)
	if err != nil {
		panic(err)
	}
	keeps := []func(*audit.Results, []byte) error{
		func(r *audit.Results, raw []byte) error {
			var x eval.Result
			err := json.Unmarshal(raw, &x)
			diff.SlimRuleResult(&x)
			r.RuleResults = append(r.RuleResults, x)
			return err
		},
		func(r *audit.Results, raw []byte) error {
			var x audit.Control
			err := json.Unmarshal(raw, &x)
			diff.SlimControl(&x)
			r.Controls = append(r.Controls, x)
			return err
		},
		func(r *audit.Results, raw []byte) error {
			var x audit.Warning
			err := json.Unmarshal(raw, &x)
			r.Warnings = append(r.Warnings, x)
			return err
		},
		func(r *audit.Results, raw []byte) error {
			var x audit.EvidenceItem
			err := json.Unmarshal(raw, &x)
			diff.SlimEvidenceItem(&x)
			r.Evidence.Items = append(r.Evidence.Items, x)
			return err
		},
		func(r *audit.Results, raw []byte) error {
			var x struct {
				ID string `json:"id"`
			}
			err := json.Unmarshal(raw, &x)
			r.Model.Components = append(r.Model.Components, model.Component{ID: x.ID})
			return err
		},
		func(r *audit.Results, raw []byte) error {
			var x audit.FlowInfo
			err := json.Unmarshal(raw, &x)
			diff.SlimFlow(&x)
			r.Model.Flows = append(r.Model.Flows, x)
			return err
		},
		func(r *audit.Results, raw []byte) error {
			var x audit.ScopedElement
			err := json.Unmarshal(raw, &x)
			r.Scope.Elements = append(r.Scope.Elements, audit.ScopedElement{ID: x.ID})
			return err
		},
	}
	out := map[string]part{"": {schema: ss[0]}}
	for i, p := range ptrs {
		out[p] = part{schema: ss[i+1], keep: keeps[i]}
	}
	return out
})

// resultsStream reads one results.json.
type resultsStream struct {
	name    string
	t       *tracker
	dec     *json.Decoder
	parts   map[string]part
	out     *audit.Results  // the large arrays, slimmed
	lines   schemadoc.Lines // of the rest of the document
	lineMap map[string]int  // what lines reads, filled as the document is read
	// version is set once schema_version is read; a problem found before
	// it waits in pending, so that a foreign file is named as such rather
	// than by its schema errors.
	version bool
	pending error
	last    elementLines
}

// decodeResultsStream reads results.json from r, at most limit bytes,
// checking each element of its large arrays against its subschema and the
// rest of the document against the schema with those arrays empty. It
// returns the results slimmed to what diff and build --previous read, and
// the SHA-256 and the size of the bytes read.
func decodeResultsStream(name string, r io.Reader, limit int64) (*audit.Results, string, int64, error) {
	// One leading byte order mark is allowed, as in every document read:
	// it is hashed and counted but not decoded.
	head := make([]byte, len(byteOrderMark))
	k, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, "", 0, &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	var t *tracker
	if bytes.Equal(head[:k], byteOrderMark) {
		t = newTracker(r, limit-int64(k))
		t.sum.Write(head)
		t.skipped = int64(k)
	} else {
		t = newTracker(io.MultiReader(bytes.NewReader(head[:k]), r), limit)
	}
	d := &resultsStream{name: name, t: t, parts: resultsParts(), out: &audit.Results{}, lineMap: map[string]int{}}
	d.lines = schemadoc.LinesOf(d.lineMap)
	d.dec = json.NewDecoder(d.t)
	tok, err := d.dec.Token()
	if err != nil {
		start := d.t.from(0)
		if d.t.skipped > 0 { // the mark skipped is the one a second one stands after
			start = slices.Concat(byteOrderMark, start)
		}
		if p := schemadoc.StrayBOM(start); p != nil {
			return nil, "", 0, &schemadoc.Error{File: name, Problems: []schemadoc.Problem{*p}}
		}
		return nil, "", 0, d.syntax(err)
	}
	if tok != json.Delim('{') {
		return nil, "", 0, d.foreign()
	}
	rest := map[string]any{}
	if err := d.object("", rest); err != nil {
		return nil, "", 0, err
	}
	if !d.version {
		return nil, "", 0, d.foreign()
	}
	if err := d.trailing(); err != nil {
		return nil, "", 0, err
	}
	var res audit.Results
	if err := schemadoc.DecodeParsed(name, rest, d.lines, d.parts[""].schema, &res); err != nil {
		return nil, "", 0, err
	}
	res.RuleResults, res.Controls, res.Warnings = nonNilSlice(d.out.RuleResults), nonNilSlice(d.out.Controls), nonNilSlice(d.out.Warnings)
	res.Evidence.Items, res.Scope.Elements = nonNilSlice(d.out.Evidence.Items), nonNilSlice(d.out.Scope.Elements)
	res.Model.Components, res.Model.Flows = nonNilSlice(d.out.Model.Components), nonNilSlice(d.out.Model.Flows)
	return &res, d.t.hexSum(), d.t.n + d.t.skipped, nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// foreign refuses a file that is not auditpack results.
func (d *resultsStream) foreign() error {
	return &inputError{fmt.Errorf("%s: not auditpack results (schema_version must be %q)", d.name, audit.SchemaVersion)}
}

// containers are the objects of results.json that hold large arrays.
var containers = map[string]bool{"/evidence": true, "/model": true, "/scope": true}

// object reads the members of the object at ptr, whose '{' is read, into
// into; large arrays are read element by element and left empty there.
func (d *resultsStream) object(ptr string, into map[string]any) error {
	seen := map[string]bool{}
	for d.dec.More() {
		d.t.mark(d.dec.InputOffset())
		tok, err := d.dec.Token()
		if err != nil {
			return d.syntax(err)
		}
		key, _ := tok.(string)
		end := d.dec.InputOffset()
		line, _ := d.t.pos(end - 1)
		if seen[key] {
			return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Pointer: ptr, Message: fmt.Sprintf("key %q appears twice", key)}}}
		}
		seen[key] = true
		p := ptr + "/" + jsonPointerEscaper.Replace(key)
		d.lineMap[p] = line
		if pt, ok := d.parts[p]; ok {
			into[key] = []any{}
			if err := d.array(p, pt); err != nil {
				return err
			}
			continue
		}
		if containers[p] {
			tok, err := d.dec.Token()
			if err != nil {
				return d.syntax(err)
			}
			if tok != json.Delim('{') {
				return d.problem(&schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Pointer: p, Message: "expected object, but got " + tokenKind(tok)}}})
			}
			m := map[string]any{}
			if err := d.object(p, m); err != nil {
				return err
			}
			into[key] = m
			continue
		}
		v, _, err := d.value(p, true)
		if err != nil {
			return err
		}
		into[key] = v
		if p == "/schema_version" {
			if v != audit.SchemaVersion {
				return d.foreign()
			}
			d.version = true
			if d.pending != nil {
				return d.pending
			}
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing '}'
		return d.syntax(err)
	}
	return nil
}

// problem returns err once the document has shown itself to be results;
// before that, it keeps err for later and reading goes on.
func (d *resultsStream) problem(err error) error {
	if d.version {
		return err
	}
	if d.pending == nil {
		d.pending = err
	}
	return nil
}

// array reads the large array at ptr element by element, checking each
// against pt's schema and keeping it slimmed.
func (d *resultsStream) array(ptr string, pt part) error {
	line, _ := d.t.pos(d.dec.InputOffset())
	tok, err := d.dec.Token()
	if err != nil {
		return d.syntax(err)
	}
	if tok != json.Delim('[') {
		return d.problem(&schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Pointer: ptr, Message: "expected array, but got " + tokenKind(tok)}}})
	}
	for i := 0; d.dec.More(); i++ {
		p := ptr + "/" + strconv.Itoa(i)
		v, raw, err := d.value(p, false)
		if err != nil {
			return err
		}
		if d.pending != nil {
			continue // only looking for schema_version now
		}
		if pt.schema == nil {
			if _, ok := v.(map[string]any); !ok {
				err = &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: d.last.line, Pointer: p, Message: "expected object"}}}
			}
		} else {
			err = d.check(p, v, pt.schema)
		}
		if err := d.problem(err); err != nil {
			return err
		}
		if d.pending != nil {
			continue
		}
		if err := pt.keep(d.out, raw); err != nil {
			return d.problem(&schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: d.lines.Line(p), Pointer: p, Message: err.Error()}}})
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing ']'
		return d.syntax(err)
	}
	return nil
}

// elementLines holds the lines of the element last read, relative to it,
// and where it starts.
type elementLines struct {
	lines     schemadoc.Lines
	line, col int
}

// value reads the value at ptr and parses it strictly, as every document
// auditpack reads is parsed; keep records its lines for the rest of the
// document.
func (d *resultsStream) value(ptr string, keep bool) (any, []byte, error) {
	before := d.dec.InputOffset()
	d.t.mark(before)
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return nil, nil, d.broken(err, before, ptr)
	}
	line, col := d.t.pos(d.dec.InputOffset() - int64(len(raw)))
	v, lines, err := schemadoc.ParseLimited(d.name, raw, resultsElementLimits)
	d.last = elementLines{lines, line, col}
	if err != nil {
		return nil, nil, d.located(err, ptr)
	}
	if keep {
		for k, l := range lines.All() {
			d.lineMap[ptr+k] = l + line - 1
		}
	}
	return v, raw, nil
}

// check validates the element v at ptr against schema.
func (d *resultsStream) check(ptr string, v any, schema *jsonschema.Schema) error {
	if err := schemadoc.Validate(d.name, v, d.last.lines, schema); err != nil {
		return d.located(err, ptr)
	}
	return nil
}

var columnRE = regexp.MustCompile(`^JSON syntax error at column (\d+): `)

// located moves the problems of err, found in the element last read, to
// its place in the file.
func (d *resultsStream) located(err error, ptr string) error {
	var se *schemadoc.Error
	if !errors.As(err, &se) {
		return err
	}
	for i := range se.Problems {
		p := &se.Problems[i]
		if p.Line == 1 {
			if m := columnRE.FindStringSubmatch(p.Message); m != nil {
				c, _ := strconv.Atoi(m[1])
				p.Message = fmt.Sprintf("JSON syntax error at column %d: ", c+d.last.col-1) + p.Message[len(m[0]):]
			}
		}
		if p.Line > 0 {
			p.Line += d.last.line - 1
		}
		if !strings.HasPrefix(p.Message, "JSON syntax error") { // located by line and column alone, as elsewhere
			p.Pointer = ptr + p.Pointer
		}
	}
	return se
}

// broken locates a syntax error in the value at ptr, which starts after
// before: the value as far as it was read is parsed again strictly, as an
// array's element so that a scalar is JSON too, for the message and place
// every other reader gives.
func (d *resultsStream) broken(err error, before int64, ptr string) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return d.syntax(err)
	}
	b := d.t.from(before)
	i := 0
	skip := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
			i++
		}
	}
	if skip(); i < len(b) && (b[i] == ':' || b[i] == ',') {
		i++
	}
	skip()
	_, _, perr := schemadoc.ParseLimited(d.name, append([]byte("["), b[i:]...), resultsElementLimits)
	var pe *schemadoc.Error
	if !errors.As(perr, &pe) {
		return d.syntax(err)
	}
	line, col := d.t.pos(before + int64(i))
	d.last = elementLines{schemadoc.Lines{}, line, col - 1}
	for j := range pe.Problems {
		pe.Problems[j].Pointer = strings.TrimPrefix(pe.Problems[j].Pointer, "/0")
	}
	return d.located(pe, ptr)
}

// syntax turns a decoder error into a problem at its line and column; a
// read error keeps its cause.
func (d *resultsStream) syntax(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		line, col := d.t.pos(se.Offset - 1)
		msg := se.Error()
		if b := d.t.from(se.Offset - 1); len(b) > 0 && strings.Contains(msg, "looking for beginning of value") {
			msg = "unexpected " + quoteFirst(b) + ", expected a value"
		}
		return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Message: fmt.Sprintf("JSON syntax error at column %d: %s", col, msg)}}}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		line, col := d.t.pos(d.t.n)
		return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Message: fmt.Sprintf("JSON syntax error at column %d: unexpected end of document", col)}}}
	}
	return &inputError{fmt.Errorf("%s: %w", d.name, err)}
}

// trailing refuses anything but white space after the document, and reads
// the stream to its end for the hash.
func (d *resultsStream) trailing() error {
	off := d.dec.InputOffset()
	d.t.mark(off)
	r := io.MultiReader(d.dec.Buffered(), d.t)
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		for i, c := range buf[:n] {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				line, col := d.t.pos(off + int64(i))
				return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line,
					Message: fmt.Sprintf("JSON syntax error at column %d: unexpected %s after the end of the JSON document", col, quoteFirst(buf[i:n]))}}}
			}
		}
		off += int64(n)
		d.t.mark(off)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &inputError{fmt.Errorf("%s: %w", d.name, err)}
		}
	}
}

// byteOrderMark is UTF-8's byte order mark.
var byteOrderMark = []byte("\xef\xbb\xbf")

// jsonPointerEscaper escapes a key for a JSON pointer (RFC 6901).
var jsonPointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// tokenKind names the JSON type of a decoder token, as schema errors do.
func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "number"
}

// quoteFirst quotes the first character of b for a message.
func quoteFirst(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	return strconv.QuoteRune(r)
}
