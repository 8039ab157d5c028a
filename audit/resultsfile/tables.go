package resultsfile

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// The wire form of version 2. A rule result names the element it judges,
// its reasons, its scope and what it found; on a large model thousands of
// results share each of those values, and writing them out every time made
// most of the document (see docs/results-format.md). Version 2 writes each
// distinct value once, in a table, and a result lists table indexes.

// wireResult is a rule result whose values are table indexes.
type wireResult struct {
	Rule        ruleRef      `json:"rule"`
	Element     int          `json:"element"`
	Verdict     eval.Verdict `json:"verdict"`
	Reasons     []int        `json:"reasons"`
	Mitigations []int        `json:"mitigations,omitempty"`
	Evidence    []int        `json:"evidence,omitempty"`
	Scope       *int         `json:"scope,omitempty"`
	Placements  []int        `json:"placements,omitempty"`
}

// ruleRef is a rule named by its index in the rules, or by its id when
// the rules do not list it.
type ruleRef struct {
	index int // into /rules; -1 when id is written
	id    string
}

func (r ruleRef) MarshalJSON() ([]byte, error) {
	if r.index >= 0 {
		return strconv.AppendInt(nil, int64(r.index), 10), nil
	}
	return json.Marshal(r.id)
}

func (r *ruleRef) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		r.index = -1
		return json.Unmarshal(b, &r.id)
	}
	return json.Unmarshal(b, &r.index)
}

// wireItem is an evidence item whose used_by and superseded_by lists are
// left out where they are what the rule results tell (see
// [audit.EvidenceUsers]).
type wireItem struct {
	audit.EvidenceItem
	UsedBy       *[]string `json:"used_by,omitempty"`
	SupersededBy *[]string `json:"superseded_by,omitempty"`
}

// wireReason is a reason whose message is a list of text segments.
type wireReason struct {
	Code string `json:"code"`
	Text []int  `json:"text"`
}

// wirePlacement is a placement whose places are element indexes.
type wirePlacement struct {
	Capability string   `json:"capability"`
	LocatedAt  string   `json:"located_at"`
	Places     []int    `json:"places"`
	More       int      `json:"more,omitempty"`
	Found      []string `json:"found"`
}

// wireTables are the distinct values rule results refer to.
type wireTables struct {
	Reasons     []wireReason         `json:"reasons"`
	Scopes      []eval.ScopeInfo     `json:"scopes"`
	Mitigations []eval.MitigationUse `json:"mitigations"`
	Evidence    []eval.EvidenceUse   `json:"evidence"`
	Placements  []wirePlacement      `json:"placements"`
}

// wireFinding is a finding told by the rule result it counts: Result is
// that result's index, and only what differs from it is written. A
// verdict or assessed verdict left out is the result's own. A finding with
// no rule result of its rule and element (none is made so) has Result -1
// and names both.
type wireFinding struct {
	Result       int           `json:"result"`
	Rule         *string       `json:"rule,omitempty"`
	Element      *int          `json:"element,omitempty"`
	Verdict      *eval.Verdict `json:"verdict,omitempty"`
	Assessed     *eval.Verdict `json:"assessed,omitempty"`
	Relationship string        `json:"relationship,omitempty"`
	Exception    string        `json:"exception,omitempty"`
	Deviation    string        `json:"deviation,omitempty"`
	Note         string        `json:"note,omitempty"`
}

// wireControl is a control whose findings are told by their rule results.
type wireControl struct {
	audit.Control
	Findings []wireFinding `json:"findings"`
}

// interner numbers distinct values in the order they are first met, so
// that equal results give equal tables.
type interner[K comparable, V any] struct {
	index map[K]int
	list  []V
}

func newInterner[K comparable, V any]() *interner[K, V] {
	return &interner[K, V]{index: map[K]int{}}
}

// add returns the index of the value with key k, adding v under it when
// it is new.
func (t *interner[K, V]) add(k K, v func() V) int {
	if i, ok := t.index[k]; ok {
		return i
	}
	i := len(t.list)
	t.index[k] = i
	t.list = append(t.list, v())
	return i
}

// segments splits a message at its quotation marks, each quoted part a
// segment of its own: element names and rule conditions recur across
// thousands of messages that differ in a name or two. Joining the
// segments gives the message back exactly, whatever its quotes.
func segments(msg string) []string {
	var out []string
	for msg != "" {
		i := strings.IndexByte(msg, '"')
		switch {
		case i < 0:
			return append(out, msg)
		case i > 0:
			out = append(out, msg[:i])
			msg = msg[i:]
			continue
		}
		// msg starts with a quote: the segment runs to the next one.
		j := strings.IndexByte(msg[1:], '"')
		if j < 0 {
			return append(out, msg)
		}
		out = append(out, msg[:j+2])
		msg = msg[j+2:]
	}
	return out
}

// keyOf is the key of a value with slices in it: its JSON encoding.
func keyOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // results are plain data: they always encode
	}
	return string(b)
}

// encoderTables are the tables built from one set of results.
type encoderTables struct {
	rules       map[string]int
	elements    *interner[eval.ElementRef, eval.ElementRef]
	texts       *interner[string, string]
	reasons     *interner[eval.Reason, wireReason]
	scopes      *interner[string, eval.ScopeInfo]
	mitigations *interner[eval.MitigationUse, eval.MitigationUse]
	evidence    *interner[string, eval.EvidenceUse]
	placements  *interner[string, wirePlacement]
}

func newEncoderTables() *encoderTables {
	return &encoderTables{
		rules:       map[string]int{},
		elements:    newInterner[eval.ElementRef, eval.ElementRef](),
		texts:       newInterner[string, string](),
		reasons:     newInterner[eval.Reason, wireReason](),
		scopes:      newInterner[string, eval.ScopeInfo](),
		mitigations: newInterner[eval.MitigationUse, eval.MitigationUse](),
		evidence:    newInterner[string, eval.EvidenceUse](),
		placements:  newInterner[string, wirePlacement](),
	}
}

func (t *encoderTables) element(e eval.ElementRef) int {
	return t.elements.add(e, func() eval.ElementRef { return e })
}

func (t *encoderTables) reason(r eval.Reason) int {
	return t.reasons.add(r, func() wireReason {
		segs := segments(r.Message)
		text := make([]int, len(segs))
		for i, s := range segs {
			text[i] = t.texts.add(s, func() string { return s })
		}
		return wireReason{Code: r.Code, Text: text}
	})
}

// result returns the wire form of r, adding what it refers to.
func (t *encoderTables) result(r *eval.Result) wireResult {
	w := wireResult{Rule: ruleRef{index: -1, id: r.Rule}, Element: t.element(r.Element), Verdict: r.Verdict}
	if i, ok := t.rules[r.Rule]; ok {
		w.Rule = ruleRef{index: i}
	}
	w.Reasons = indexes(r.Reasons, t.reason)
	w.Mitigations = indexes(r.Mitigations, func(m eval.MitigationUse) int {
		return t.mitigations.add(m, func() eval.MitigationUse { return m })
	})
	w.Evidence = indexes(r.Evidence, func(u eval.EvidenceUse) int {
		return t.evidence.add(keyOf(u), func() eval.EvidenceUse { return u })
	})
	if r.Scope != nil {
		s := *r.Scope
		i := t.scopes.add(keyOf(s), func() eval.ScopeInfo { return s })
		w.Scope = &i
	}
	w.Placements = indexes(r.Placements, func(p eval.Placement) int {
		return t.placements.add(keyOf(p), func() wirePlacement {
			return wirePlacement{Capability: p.Capability, LocatedAt: p.LocatedAt, More: p.More, Found: p.Found,
				Places: indexes(p.Places, t.element)}
		})
	})
	return w
}

// indexes maps each value of vs to its index, keeping a nil list nil
// and an empty one empty, as the results had them.
func indexes[V any](vs []V, index func(V) int) []int {
	if vs == nil {
		return nil
	}
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = index(v)
	}
	return out
}

func (t *encoderTables) wire() wireTables {
	return wireTables{Reasons: nonNil(t.reasons.list), Scopes: nonNil(t.scopes.list),
		Mitigations: nonNil(t.mitigations.list), Evidence: nonNil(t.evidence.list), Placements: nonNil(t.placements.list)}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
