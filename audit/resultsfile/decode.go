package resultsfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/auditpack/auditpack/audit/workers"
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

// MaxSize bounds a results.json read back (docs/input-limits.md). It is
// far above the bound on the documents auditpack reads whole: the file is
// read as a stream, one element at a time, and only what diff and build
// --previous compare is kept, so a package of thousands of components can
// still be compared with the next one.
const MaxSize = 8 << 30

// elementLimits bound one element of a large array, or one other
// top-level value, of a results.json (see [schemadoc.Limits]).
var elementLimits = schemadoc.Limits{Size: schemadoc.MaxSize, Values: 4_000_000, Depth: 64, String: 1 << 20}

// part is an array of results.json read element by element: the subschema
// each element is checked against, and how a checked element is kept.
type part struct {
	schema *jsonschema.Schema
	keep   func(s *state, raw []byte) error
}

// layout is one version of results.json: its schema, its large arrays by
// JSON pointer, and the objects that hold them.
type layout struct {
	parts      map[string]part
	containers map[string]bool
}

// layouts are compiled on first use: compiling them when the program
// starts cost every command, diff or not, tens of milliseconds.
var layouts = sync.OnceValue(func() map[string]*layout {
	return map[string]*layout{
		SchemaV1:      compileLayout("results-v1.schema.json", schemaV1, v1Parts()),
		SchemaVersion: compileLayout("results-v2.schema.json", schemaV2, v2Parts()),
	}
})

// compileLayout compiles the subschemas of parts (a nil schema leaves an
// element unchecked but for being an object).
func compileLayout(url string, schema []byte, parts []namedPart) *layout {
	sub := make([]string, len(parts))
	for i, p := range parts {
		if !p.unchecked {
			sub[i] = strings.ReplaceAll(p.ptr, "/", "/properties/") + "/items"
		}
	}
	ss, err := schemadoc.CompileParts(url, schema, sub...)
	if err != nil {
		panic(err)
	}
	l := &layout{parts: map[string]part{"": {schema: ss[0]}}, containers: map[string]bool{}}
	for i, p := range parts {
		l.parts[p.ptr] = part{schema: ss[i+1], keep: p.keep}
		if k := strings.LastIndexByte(p.ptr, '/'); k > 0 {
			l.containers[p.ptr[:k]] = true
		}
	}
	return l
}

// decodeInto is a part's keep function that decodes an element as T and
// hands it to add.
func decodeInto[T any](add func(s *state, x T) error) func(*state, []byte) error {
	return func(s *state, raw []byte) error {
		var x T
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
		return add(s, x)
	}
}

type namedPart struct {
	ptr       string
	unchecked bool
	keep      func(*state, []byte) error
}

// common are the large arrays both versions share and keep alike.
func common() []namedPart {
	return []namedPart{
		{ptr: "/warnings", keep: decodeInto(func(s *state, x audit.Warning) error {
			s.out.Warnings = append(s.out.Warnings, x)
			return nil
		})},
		// The schema says nothing of a component's shape (the model's own
		// schema did).
		{ptr: "/model/components", unchecked: true, keep: decodeInto(func(s *state, x model.Component) error {
			if !s.full {
				x = model.Component{ID: x.ID}
			}
			s.out.Model.Components = append(s.out.Model.Components, x)
			return nil
		})},
		{ptr: "/model/flows", keep: decodeInto(func(s *state, x audit.FlowInfo) error {
			if !s.full {
				diff.SlimFlow(&x)
			}
			s.out.Model.Flows = append(s.out.Model.Flows, x)
			return nil
		})},
		{ptr: "/scope/elements", keep: decodeInto(func(s *state, x audit.ScopedElement) error {
			if !s.full {
				x = audit.ScopedElement{ID: x.ID}
			}
			s.out.Scope.Elements = append(s.out.Scope.Elements, x)
			return nil
		})},
	}
}

func v1Parts() []namedPart {
	return append([]namedPart{
		{ptr: "/evidence/items", keep: decodeInto(func(s *state, x audit.EvidenceItem) error {
			s.addItem(x)
			return nil
		})},
		{ptr: "/rule_results", keep: decodeInto(func(s *state, x eval.Result) error {
			return s.addResult(x)
		})},
		{ptr: "/controls", keep: decodeInto(func(s *state, x audit.Control) error {
			return s.addControl(x)
		})},
	}, common()...)
}

// resultsStream reads one results.json.
type resultsStream struct {
	name    string
	t       *tracker
	dec     *json.Decoder
	layout  *layout
	state   *state          // the large arrays, slimmed, and the tables
	lines   schemadoc.Lines // of the rest of the document
	lineMap map[string]int  // what lines reads, filled as the document is read
	// version is set once schema_version is read; a problem found before
	// it waits in pending, so that a foreign file is named as such rather
	// than by its schema errors.
	version bool
	pending error
	// early is set once a large array is read before schema_version, as
	// the current version.
	early bool
	last  elementLines
}

// Read is what [Decode] read: the results, and the SHA-256 (lower-case
// hex) and the size of the bytes read.
type Read struct {
	Results *audit.Results
	SHA256  string
	Size    int64
}

// Decode reads results.json, version 1 or 2, from r, at most limit bytes,
// checking each element of its large arrays against its subschema and the
// rest of the document against the schema with those arrays empty. With
// full false it keeps only what diff and build --previous read (see
// package diff's Slim functions); with full true, every field.
func Decode(name string, r io.Reader, limit int64, full bool) (*Read, error) {
	res, sum, size, err := decode(name, r, limit, full)
	if err != nil {
		return nil, err
	}
	return &Read{Results: res, SHA256: sum, Size: size}, nil
}

func decode(name string, r io.Reader, limit int64, full bool) (*audit.Results, string, int64, error) {
	// One leading byte order mark is allowed, as in every document read:
	// it is hashed and counted but not decoded.
	head := make([]byte, len(byteOrderMark))
	k, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, "", 0, &InputError{fmt.Errorf("%s: %w", name, err)}
	}
	var t *tracker
	if bytes.Equal(head[:k], byteOrderMark) {
		t = newTracker(r, limit-int64(k))
		t.sum.Write(head)
		t.skipped = int64(k)
	} else {
		t = newTracker(io.MultiReader(bytes.NewReader(head[:k]), r), limit)
	}
	// Until schema_version is read, the current layout is assumed: every
	// results.json auditpack writes names its version first.
	d := &resultsStream{name: name, t: t, layout: layouts()[SchemaVersion],
		state: &state{out: &audit.Results{}, full: full, read: func() int64 { return t.n }}, lineMap: map[string]int{}}
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
	if err := schemadoc.DecodeParsed(name, rest, d.lines, d.layout.parts[""].schema, &res); err != nil {
		return nil, "", 0, err
	}
	out := d.state.out
	if _, ok := d.layout.parts["/rules"]; ok {
		res.Rules = nonNilSlice(out.Rules)
	}
	res.RuleResults, res.Controls, res.Warnings = nonNilSlice(out.RuleResults), nonNilSlice(out.Controls), nonNilSlice(out.Warnings)
	res.Evidence.Items, res.Scope.Elements = nonNilSlice(out.Evidence.Items), nonNilSlice(out.Scope.Elements)
	res.Model.Components, res.Model.Flows = nonNilSlice(out.Model.Components), nonNilSlice(out.Model.Flows)
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
	return &InputError{fmt.Errorf("%s: not auditpack results (schema_version must be %q or %q)", d.name, SchemaVersion, SchemaV1)}
}

// object reads the members of the object at ptr, whose '{' is read, into
// into; large arrays are read element by element and left empty there.
func (d *resultsStream) object(ptr string, into map[string]any) error {
	seen := map[string]bool{}
	for {
		// Marked before More, which reads past white space: what it reads
		// is not counted as part of the value before it.
		d.t.mark(d.dec.InputOffset())
		if !d.dec.More() {
			break
		}
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
		if pt, ok := d.layout.parts[p]; ok {
			into[key] = []any{}
			if err := d.array(p, pt); err != nil {
				return err
			}
			continue
		}
		if d.layout.containers[p] {
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
			l, ok := v.(string)
			if !ok || layouts()[l] == nil {
				return d.foreign()
			}
			if d.early && layouts()[l] != d.layout {
				return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: d.lineMap[p], Pointer: p,
					Message: fmt.Sprintf("%q comes after large arrays read as %q; schema_version must precede them", l, SchemaVersion)}}}
			}
			d.layout = layouts()[l]
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
//
// Parsing and checking an element against its schema is most of the cost
// of reading results and depends on the element alone, so elements are
// read in batches, checked on every core, and kept one by one in document
// order: the first problem in the file is the one reported, as when they
// were checked in turn.
func (d *resultsStream) array(ptr string, pt part) error {
	line, _ := d.t.pos(d.dec.InputOffset())
	tok, err := d.dec.Token()
	if err != nil {
		return d.syntax(err)
	}
	if tok != json.Delim('[') {
		return d.problem(&schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Pointer: ptr, Message: "expected array, but got " + tokenKind(tok)}}})
	}
	d.early = d.early || !d.version
	batch := make([]element, 0, batchSize)
	held := 0 // bytes of the batch
	for i := 0; ; i++ {
		d.t.mark(d.dec.InputOffset()) // before More, as in object
		if !d.dec.More() {
			break
		}
		p := ptr + "/" + strconv.Itoa(i)
		before := d.dec.InputOffset()
		d.t.mark(before)
		var raw json.RawMessage
		if err := d.dec.Decode(&raw); err != nil {
			broken := d.broken(err, before, p)
			if err := d.keepAll(batch, pt); err != nil {
				return err
			}
			return broken
		}
		el := element{ptr: p, raw: raw}
		el.at.line, el.at.col = d.t.pos(d.dec.InputOffset() - int64(len(raw)))
		held += len(raw)
		if batch = append(batch, el); len(batch) == batchSize || held >= batchBytes {
			if err := d.keepAll(batch, pt); err != nil {
				return err
			}
			batch, held = batch[:0], 0
		}
	}
	if err := d.keepAll(batch, pt); err != nil {
		return err
	}
	if _, err := d.dec.Token(); err != nil { // the closing ']'
		return d.syntax(err)
	}
	return nil
}

// batchSize is how many elements are checked at once, and batchBytes
// how many bytes of them at most: 512 elements of 64 MiB each were held
// at once.
const (
	batchSize  = 512
	batchBytes = 4 << 20
)

// element is one element of a large array as read: its pointer, its bytes
// and where it starts, and once checked, its first problem.
type element struct {
	ptr string
	raw []byte
	at  elementLines
	// parseErr is a problem parsing the element, which ends reading;
	// checkErr one against the schema, which waits until the document has
	// shown itself to be results (see [resultsStream.problem]).
	parseErr, checkErr error
}

// keepAll checks the batch on every core, then keeps its elements in
// order.
func (d *resultsStream) keepAll(batch []element, pt part) error {
	workers.Run(len(batch), func() func(int) {
		return func(i int) { d.checkElement(&batch[i], pt) }
	})
	for i := range batch {
		el := &batch[i]
		if el.parseErr != nil {
			return el.parseErr
		}
		if d.pending != nil {
			continue // only looking for schema_version now
		}
		if err := d.problem(el.checkErr); err != nil {
			return err
		}
		if d.pending != nil {
			continue
		}
		if err := pt.keep(d.state, el.raw); err != nil {
			// Before schema_version is read a problem waits, and reading
			// goes on to the end of the array.
			if err := d.problem(&schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: el.at.line, Pointer: el.ptr, Message: err.Error()}}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkElement parses el strictly, as every document auditpack reads is
// parsed, and checks it against pt's schema. It reads nothing but el, so
// elements are checked concurrently.
func (d *resultsStream) checkElement(el *element, pt part) {
	v, lines, err := schemadoc.ParseLimited(d.name, el.raw, elementLimits)
	el.at.lines = lines
	if err != nil {
		el.parseErr = d.located(err, el.ptr, el.at)
		return
	}
	if pt.schema == nil {
		if _, ok := v.(map[string]any); !ok {
			el.checkErr = &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: el.at.line, Pointer: el.ptr, Message: "expected object"}}}
		}
		return
	}
	if err := schemadoc.Validate(d.name, v, lines, pt.schema); err != nil {
		el.checkErr = d.located(err, el.ptr, el.at)
	}
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
	v, lines, err := schemadoc.ParseLimited(d.name, raw, elementLimits)
	d.last = elementLines{lines, line, col}
	if err != nil {
		return nil, nil, d.located(err, ptr, d.last)
	}
	if keep {
		for k, l := range lines.All() {
			d.lineMap[ptr+k] = l + line - 1
		}
	}
	return v, raw, nil
}

var columnRE = regexp.MustCompile(`^JSON syntax error at column (\d+): `)

// located moves the problems of err, found in the element at, to its
// place in the file.
func (d *resultsStream) located(err error, ptr string, at elementLines) error {
	var se *schemadoc.Error
	if !errors.As(err, &se) {
		return err
	}
	for i := range se.Problems {
		p := &se.Problems[i]
		if p.Line == 1 {
			if m := columnRE.FindStringSubmatch(p.Message); m != nil {
				c, _ := strconv.Atoi(m[1])
				p.Message = fmt.Sprintf("JSON syntax error at column %d: ", c+at.col-1) + p.Message[len(m[0]):]
			}
		}
		if p.Line > 0 {
			p.Line += at.line - 1
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
	if errors.Is(err, errValueTooLarge) {
		line, _ := d.t.pos(before)
		return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Pointer: ptr, Message: err.Error()}}}
	}
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
	_, _, perr := schemadoc.ParseLimited(d.name, append([]byte("["), b[i:]...), elementLimits)
	var pe *schemadoc.Error
	if !errors.As(perr, &pe) {
		return d.syntax(err)
	}
	line, col := d.t.pos(before + int64(i))
	d.last = elementLines{schemadoc.Lines{}, line, col - 1}
	for j := range pe.Problems {
		pe.Problems[j].Pointer = strings.TrimPrefix(pe.Problems[j].Pointer, "/0")
	}
	return d.located(pe, ptr, d.last)
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
	if errors.Is(err, errValueTooLarge) { // at the value that follows the last mark
		b := d.t.from(d.t.base)
		i := 0
		for i < len(b) && strings.IndexByte(" \t\r\n,:", b[i]) >= 0 {
			i++
		}
		line, _ := d.t.pos(d.t.base + int64(i))
		return &schemadoc.Error{File: d.name, Problems: []schemadoc.Problem{{Line: line, Message: err.Error()}}}
	}
	return &InputError{fmt.Errorf("%s: %w", d.name, err)}
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
			return &InputError{fmt.Errorf("%s: %w", d.name, err)}
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
