package resultsfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// Encode returns results.json for r (see [EncodeTo]). It holds the whole
// document; callers writing a file stream with EncodeTo.
func Encode(r *audit.Results) ([]byte, error) {
	var buf bytes.Buffer
	if err := EncodeTo(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncodeTo writes r as results.json version 2 to w. Equal results give
// identical bytes.
//
// The document is compact JSON with each top-level member on a line of
// its own and each element of a large array (rule results, controls,
// evidence items, tables) on its own line, so that a reader can still
// find a control with grep and a diff of two files points at elements.
// It is written element by element: memory beyond the results is that of
// the tables, never of the document.
func EncodeTo(w io.Writer, r *audit.Results) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	e := &encoder{w: bw, t: newEncoderTables(), r: r}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	err := e.document()
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return nil
}

type encoder struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	t   *encoderTables
	r   *audit.Results
	err error
	// first is whether the next member or element opens its container.
	first bool
	// results finds a finding's rule result.
	results resultIndex
	// users are the evidence items' users as the rule results tell them.
	users *audit.EvidenceUsers
}

// item is an evidence item with the lists the rule results tell left out.
func (e *encoder) item(v reflect.Value) any {
	it := v.Interface().(audit.EvidenceItem)
	w := wireItem{EvidenceItem: it}
	if it.UsedBy != nil && !slices.Equal(it.UsedBy, e.users.UsedBy(it.ID)) {
		w.UsedBy = &it.UsedBy
	}
	if it.SupersededBy != nil && !slices.Equal(it.SupersededBy, e.users.SupersededBy(it.ID)) {
		w.SupersededBy = &it.SupersededBy
	}
	return &w
}

func (e *encoder) document() error {
	r := e.r
	for i := len(r.Rules) - 1; i >= 0; i-- {
		e.t.rules[r.Rules[i].ID] = i
	}
	e.users = audit.NewEvidenceUsers()
	// Every table a rule result or finding refers to precedes them, so
	// that a reader expands each one as it comes.
	for i := range r.RuleResults {
		e.t.result(&r.RuleResults[i])
		e.users.Add(&r.RuleResults[i])
	}
	e.results = newResultIndex(r.RuleResults)
	for i := range r.Controls {
		for j := range r.Controls[i].Findings {
			e.finding(&r.Controls[i].Findings[j])
		}
	}
	e.open('{')
	e.member("schema_version", SchemaVersion)
	e.member("tool", r.Tool)
	e.member("project", r.Project)
	e.member("inputs", r.Inputs)
	e.member("rule_sets", r.RuleSets)
	e.member("frameworks", r.Frameworks)
	e.member("summary", r.Summary)
	e.list("rules", len(r.Rules), func(i int) any { return &r.Rules[i] })
	e.list("elements", len(e.t.elements.list), func(i int) any { return e.t.elements.list[i] })
	e.member("texts", nonNil(e.t.texts.list))
	tables := e.t.wire()
	e.object("tables", reflect.ValueOf(&tables).Elem(), func(string) bool { return true }, nil)
	e.list("rule_results", len(r.RuleResults), func(i int) any {
		w := e.t.result(&r.RuleResults[i])
		return &w
	})
	e.list("controls", len(r.Controls), func(i int) any { return e.control(&r.Controls[i]) })
	e.object("evidence", reflect.ValueOf(&r.Evidence).Elem(), func(k string) bool { return k == "items" }, e.item)
	e.member("exceptions", r.Exceptions)
	e.object("model", reflect.ValueOf(&r.Model).Elem(), func(k string) bool { return k == "components" || k == "flows" }, nil)
	e.object("scope", reflect.ValueOf(&r.Scope).Elem(), func(k string) bool { return k == "elements" }, nil)
	e.member("threats", r.Threats)
	if r.Samples != nil {
		e.list("samples", len(r.Samples), func(i int) any { return &r.Samples[i] })
	}
	e.list("warnings", len(r.Warnings), func(i int) any { return &r.Warnings[i] })
	if r.Requests != nil {
		e.member("requests", r.Requests)
	}
	e.close('}')
	e.w.WriteByte('\n')
	return e.err
}

// control is c with its findings told by their rule results.
func (e *encoder) control(c *audit.Control) any {
	w := wireControl{Control: *c}
	w.Control.Findings = nil
	if c.Findings != nil {
		w.Findings = make([]wireFinding, len(c.Findings))
		for i := range c.Findings {
			w.Findings[i] = e.finding(&c.Findings[i])
		}
	}
	return &w
}

func (e *encoder) finding(f *audit.Finding) wireFinding {
	w := wireFinding{Result: e.results.find(f.Rule, f.Element), Relationship: f.Relationship,
		Exception: f.Exception, Deviation: f.Deviation, Note: f.Note}
	var verdict eval.Verdict
	if w.Result < 0 {
		rule, el := f.Rule, e.t.element(f.Element)
		w.Rule, w.Element = &rule, &el
	} else {
		verdict = e.r.RuleResults[w.Result].Verdict
	}
	if w.Result < 0 || f.Verdict != verdict {
		v := f.Verdict
		w.Verdict = &v
	}
	if w.Result < 0 || f.Assessed != verdict {
		v := f.Assessed
		w.Assessed = &v
	}
	return w
}

// member writes one member of the open object, compact.
func (e *encoder) member(key string, v any) {
	e.key(key)
	e.value(v)
}

// list writes a member whose value is an array, one element per line.
func (e *encoder) list(key string, n int, elem func(int) any) {
	e.key(key)
	e.open('[')
	for i := range n {
		e.sep()
		e.value(elem(i))
	}
	e.close(']')
}

// object writes a member whose value is the struct v, its members on lines
// of their own and the arrays big says are large one element per line. A
// member is left out as encoding/json leaves it out. conv, when set, gives
// the wire form of an element of a large array.
func (e *encoder) object(key string, v reflect.Value, big func(string) bool, conv func(reflect.Value) any) {
	e.key(key)
	e.open('{')
	fields(v, func(name string, f reflect.Value) {
		if f.Kind() == reflect.Slice && big(name) && !f.IsNil() {
			e.list(name, f.Len(), func(i int) any {
				if conv != nil {
					return conv(f.Index(i))
				}
				return f.Index(i).Addr().Interface()
			})
			return
		}
		e.member(name, f.Addr().Interface())
	})
	e.close('}')
}

// fields calls fn for each member encoding/json writes of the struct v,
// in its order. Embedded structs are flattened as encoding/json does for
// the plain case the results use: no name collisions.
func fields(v reflect.Value, fn func(string, reflect.Value)) {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		f := v.Field(i)
		if sf.Anonymous && name == "" && f.Kind() == reflect.Struct {
			fields(f, fn)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if slices.Contains(strings.Split(opts, ","), "omitempty") && empty(f) {
			continue
		}
		fn(name, f)
	}
}

// empty is encoding/json's test for omitempty.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

func (e *encoder) open(c byte) {
	e.w.WriteByte(c)
	e.first = true
}

func (e *encoder) close(c byte) {
	if !e.first {
		e.w.WriteByte('\n')
	}
	e.w.WriteByte(c)
	e.first = false
}

// sep starts a member or an element on a line of its own.
func (e *encoder) sep() {
	if !e.first {
		e.w.WriteByte(',')
	}
	e.w.WriteByte('\n')
	e.first = false
}

func (e *encoder) key(k string) {
	e.sep()
	b, _ := json.Marshal(k)
	e.w.Write(b)
	e.w.WriteByte(':')
}

func (e *encoder) value(v any) {
	if e.err != nil {
		return
	}
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		e.err = err
		return
	}
	b := e.buf.Bytes()
	e.w.Write(b[:len(b)-1]) // the encoder's newline
	e.first = false
}

// resultIndex finds the rule result of a rule and element: rule results
// are sorted by rule, then element id, so a binary search finds it;
// results in any other order are indexed by a map instead.
type resultIndex struct {
	rs  []eval.Result
	byK map[resultKey]int
}

type resultKey struct {
	rule string
	el   eval.ElementRef
}

func newResultIndex(rs []eval.Result) resultIndex {
	sorted := slices.IsSortedFunc(rs, compareResults)
	if sorted {
		return resultIndex{rs: rs}
	}
	m := make(map[resultKey]int, len(rs))
	for i := len(rs) - 1; i >= 0; i-- {
		m[resultKey{rs[i].Rule, rs[i].Element}] = i
	}
	return resultIndex{rs: rs, byK: m}
}

func compareResults(a, b eval.Result) int {
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return strings.Compare(a.Element.ID, b.Element.ID)
}

// find returns the index of the first rule result of rule for el, or -1.
func (x resultIndex) find(rule string, el eval.ElementRef) int {
	if x.byK != nil {
		if i, ok := x.byK[resultKey{rule, el}]; ok {
			return i
		}
		return -1
	}
	i, _ := slices.BinarySearchFunc(x.rs, eval.Result{Rule: rule, Element: el}, compareResults)
	for ; i < len(x.rs) && x.rs[i].Rule == rule && x.rs[i].Element.ID == el.ID; i++ {
		if x.rs[i].Element == el {
			return i
		}
	}
	return -1
}
