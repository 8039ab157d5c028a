package resultsfile

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
)

// state is what a reader has kept so far: the large arrays, slimmed unless
// the whole results were asked for, and version 2's tables, which precede
// every value that refers to them.
type state struct {
	out  *audit.Results
	full bool
	// read is how many bytes of the file were read; kept how many bytes
	// of table entries named by index a slimmed read holds.
	read func() int64
	kept int64

	// users collects the evidence items' users from the rule results, for
	// the items that leave them out.
	users *audit.EvidenceUsers
	// itemsRead is set once an evidence item has taken its users from the
	// rule results read so far: a rule result after it would not count.
	itemsRead bool

	elements    []eval.ElementRef
	texts       []string
	reasons     []eval.Reason
	scopes      []eval.ScopeInfo
	mitigations []eval.MitigationUse
	evidence    []eval.EvidenceUse
	placements  []eval.Placement
}

func (s *state) addResult(x eval.Result) error {
	if !s.full {
		diff.SlimRuleResult(&x)
		if err := s.spend(len(x.Evidence), unsafe.Sizeof(eval.EvidenceUse{})); err != nil {
			return err
		}
	}
	s.out.RuleResults = append(s.out.RuleResults, x)
	return nil
}

// keptPerByte bounds what a slimmed read keeps of the table entries that
// indexes name: a few bytes name an evidence use or a rule result, whose
// copies take hundreds, so a file of 144 MB naming one use millions of
// times took 15 GB.
const keptPerByte = 16

// spend counts n entries of size bytes kept, and refuses them beyond
// keptPerByte times the bytes read so far.
func (s *state) spend(n int, size uintptr) error {
	s.kept += int64(n) * int64(size)
	if s.kept > keptPerByte*s.read()+1<<24 {
		return fmt.Errorf("the indexes read so far name %d MiB of table entries, more than %d times the %d MiB read",
			s.kept>>20, keptPerByte, s.read()>>20)
	}
	return nil
}

func (s *state) addItem(x audit.EvidenceItem) {
	if !s.full {
		diff.SlimEvidenceItem(&x)
	}
	s.out.Evidence.Items = append(s.out.Evidence.Items, x)
}

func (s *state) addControl(x audit.Control) error {
	if !s.full {
		diff.SlimControl(&x)
		if err := s.spend(len(x.Findings), unsafe.Sizeof(audit.Finding{})); err != nil {
			return err
		}
	}
	s.out.Controls = append(s.out.Controls, x)
	return nil
}

// v2Parts are version 2's large arrays: its tables, then what refers to
// them.
func v2Parts() []namedPart {
	return append([]namedPart{
		{ptr: "/rules", keep: decodeInto(func(s *state, x audit.RuleInfo) error {
			s.out.Rules = append(s.out.Rules, x)
			return nil
		})},
		{ptr: "/elements", keep: decodeInto(func(s *state, x eval.ElementRef) error {
			s.elements = append(s.elements, x)
			return nil
		})},
		{ptr: "/texts", keep: decodeInto(func(s *state, x string) error {
			s.texts = append(s.texts, x)
			return nil
		})},
		{ptr: "/tables/reasons", keep: decodeInto(func(s *state, x wireReason) error {
			// A slimmed read keeps no reason; only the indexes are checked.
			var b strings.Builder
			for _, i := range x.Text {
				t, err := at(s.texts, i, "/texts")
				if err != nil {
					return err
				}
				if !s.full {
					continue
				}
				// Texts are shared: a short entry could otherwise spell a
				// message of terabytes.
				if b.Len()+len(t) > maxMessage {
					return fmt.Errorf("the message is longer than %d MiB", maxMessage>>20)
				}
				b.WriteString(t)
			}
			s.reasons = append(s.reasons, eval.Reason{Code: x.Code, Message: b.String()})
			return nil
		})},
		{ptr: "/tables/scopes", keep: decodeInto(func(s *state, x eval.ScopeInfo) error {
			s.scopes = append(s.scopes, x)
			return nil
		})},
		{ptr: "/tables/mitigations", keep: decodeInto(func(s *state, x eval.MitigationUse) error {
			s.mitigations = append(s.mitigations, x)
			return nil
		})},
		{ptr: "/tables/evidence", keep: decodeInto(func(s *state, x eval.EvidenceUse) error {
			s.evidence = append(s.evidence, x)
			return nil
		})},
		{ptr: "/tables/placements", keep: decodeInto(func(s *state, x wirePlacement) error {
			places, err := expandAll(x.Places, s.elements, "/elements")
			if err != nil {
				return err
			}
			s.placements = append(s.placements, eval.Placement{Capability: x.Capability, LocatedAt: x.LocatedAt,
				Places: places, More: x.More, Found: x.Found})
			return nil
		})},
		{ptr: "/rule_results", keep: decodeInto(func(s *state, x wireResult) error {
			if s.itemsRead {
				return fmt.Errorf("a rule result after /evidence/items, whose users the rule results tell (rule_results precede evidence)")
			}
			r, err := s.result(&x)
			if err != nil {
				return err
			}
			return s.addResult(r)
		})},
		{ptr: "/evidence/items", keep: decodeInto(func(s *state, x wireItem) error {
			if s.users == nil {
				s.users = audit.NewEvidenceUsers()
			}
			s.itemsRead = true
			it := x.EvidenceItem
			it.UsedBy, it.SupersededBy = s.users.UsedBy(it.ID), s.users.SupersededBy(it.ID)
			if x.UsedBy != nil {
				it.UsedBy = *x.UsedBy
			}
			if x.SupersededBy != nil {
				it.SupersededBy = *x.SupersededBy
			}
			s.addItem(it)
			return nil
		})},
		{ptr: "/controls", keep: decodeInto(func(s *state, x wireControl) error {
			c := x.Control
			if x.Findings != nil {
				c.Findings = make([]audit.Finding, len(x.Findings))
				for i := range x.Findings {
					f, err := s.finding(&x.Findings[i])
					if err != nil {
						return fmt.Errorf("finding %d: %w", i, err)
					}
					c.Findings[i] = f
				}
			}
			return s.addControl(c)
		})},
	}, common()...)
}

// result expands a version 2 rule result.
func (s *state) result(x *wireResult) (eval.Result, error) {
	r := eval.Result{Rule: x.Rule.id, Verdict: x.Verdict}
	var err error
	if x.Rule.index >= 0 {
		ri, err := at(s.out.Rules, x.Rule.index, "/rules")
		if err != nil {
			return r, err
		}
		r.Rule = ri.ID
	}
	if r.Element, err = at(s.elements, x.Element, "/elements"); err != nil {
		return r, err
	}
	// The items' users are told by every use, ok or not, so they are
	// recorded before a slimmed read drops the uses that are ok.
	if r.Evidence, err = expandAll(x.Evidence, s.evidence, "/tables/evidence"); err != nil {
		return r, err
	}
	if s.users == nil {
		s.users = audit.NewEvidenceUsers()
	}
	s.users.Add(&r)
	if !s.full {
		return s.slimResult(r, x)
	}
	if r.Reasons, err = expandAll(x.Reasons, s.reasons, "/tables/reasons"); err != nil {
		return r, err
	}
	if r.Mitigations, err = expandAll(x.Mitigations, s.mitigations, "/tables/mitigations"); err != nil {
		return r, err
	}
	if r.Placements, err = expandAll(x.Placements, s.placements, "/tables/placements"); err != nil {
		return r, err
	}
	if x.Scope != nil {
		sc, err := at(s.scopes, *x.Scope, "/tables/scopes")
		if err != nil {
			return r, err
		}
		r.Scope = &sc
	}
	return r, nil
}

// slimResult checks the indexes of x that a slimmed rule result does not
// keep (see diff.SlimRuleResult) without expanding them: of what it keeps,
// r has the evidence uses already.
func (s *state) slimResult(r eval.Result, x *wireResult) (eval.Result, error) {
	for _, t := range []struct {
		idx  []int
		n    int
		name string
	}{{x.Reasons, len(s.reasons), "/tables/reasons"}, {x.Mitigations, len(s.mitigations), "/tables/mitigations"},
		{x.Placements, len(s.placements), "/tables/placements"}} {
		for _, i := range t.idx {
			if err := inRange(i, t.n, t.name); err != nil {
				return r, err
			}
		}
	}
	if x.Scope != nil {
		if err := inRange(*x.Scope, len(s.scopes), "/tables/scopes"); err != nil {
			return r, err
		}
	}
	return r, nil
}

// maxMessage bounds one reason's message, as elementLimits bounds one
// string of the file.
const maxMessage = 1 << 20

// finding expands a finding from the rule result it refers to, read
// before it.
func (s *state) finding(x *wireFinding) (audit.Finding, error) {
	f := audit.Finding{Relationship: x.Relationship, Exception: x.Exception, Deviation: x.Deviation, Note: x.Note}
	if x.Result >= 0 {
		if x.Rule != nil || x.Element != nil {
			return f, fmt.Errorf("a finding of rule result %d takes its rule and element from it; only a finding with result -1 names them", x.Result)
		}
		r, err := at(s.out.RuleResults, x.Result, "/rule_results")
		if err != nil {
			return f, err
		}
		f.Rule, f.Element, f.Verdict, f.Assessed = r.Rule, r.Element, r.Verdict, r.Verdict
	} else {
		if x.Rule == nil || x.Element == nil {
			return f, fmt.Errorf("a finding with no rule result (result -1) must name its rule and element")
		}
		el, err := at(s.elements, *x.Element, "/elements")
		if err != nil {
			return f, err
		}
		f.Rule, f.Element = *x.Rule, el
		if x.Verdict == nil || x.Assessed == nil {
			return f, fmt.Errorf("a finding with no rule result (result -1) must give its verdicts")
		}
	}
	if x.Verdict != nil {
		f.Verdict = *x.Verdict
	}
	if x.Assessed != nil {
		f.Assessed = *x.Assessed
	}
	return f, nil
}

// at is table[i], or an error naming the table.
func at[T any](table []T, i int, name string) (T, error) {
	if err := inRange(i, len(table), name); err != nil {
		var zero T
		return zero, err
	}
	return table[i], nil
}

// inRange checks an index into a table of n entries.
func inRange(i, n int, name string) error {
	if i < 0 || i >= n {
		return fmt.Errorf("index %d is not in %s, which has %d entries before this point (each table precedes what refers to it)", i, name, n)
	}
	return nil
}

// expandAll looks up each index, keeping a nil list nil and an empty one
// empty.
func expandAll[T any](idx []int, table []T, name string) ([]T, error) {
	if idx == nil {
		return nil, nil
	}
	out := make([]T, len(idx))
	for k, i := range idx {
		v, err := at(table, i, name)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}
