package mappings

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/frameworks"
)

// LintError lists every problem found in a set of rule files.
type LintError struct {
	Problems []LintProblem
}

// LintProblem is one defect in a rule, located by file, line and pointer.
type LintProblem struct {
	File    string
	Line    int
	Pointer string
	Rule    string
	Message string
}

func (e *LintError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s:%d: at %s: rule %q: %s", p.File, p.Line, p.Pointer, p.Rule, p.Message)
	}
	return b.String()
}

// Lint checks rule sets as a whole: rule ids are unique, every control
// reference resolves (resolve returns nil for an assessable control), every
// capability exists, every field, function, argument and location suits the
// rule's element kind, operators get values of the right shape, and regular
// expressions compile. It reports every problem, not just the first.
func Lint(sets []*RuleSet, resolve func(ref string) error) error {
	l := &linter{resolve: resolve, seen: map[string]string{}}
	for _, rs := range sets {
		for i := range rs.Rules {
			l.rule(rs, i)
		}
	}
	if len(l.problems) == 0 {
		return nil
	}
	return &LintError{Problems: l.problems}
}

type linter struct {
	resolve  func(string) error
	seen     map[string]string
	problems []LintProblem
	rs       *RuleSet
	cur      *Rule
}

func (l *linter) add(ptr, format string, args ...any) {
	l.problems = append(l.problems, LintProblem{
		File: l.rs.File, Line: l.rs.lines.Line(ptr), Pointer: ptr, Rule: l.cur.ID,
		Message: fmt.Sprintf(format, args...),
	})
}

func (l *linter) rule(rs *RuleSet, i int) {
	l.rs, l.cur = rs, &rs.Rules[i]
	r := l.cur
	base := fmt.Sprintf("/rules/%d", i)
	if prev, dup := l.seen[r.ID]; dup {
		l.add(base+"/id", "duplicate rule id (first defined in %s)", prev)
	}
	l.seen[r.ID] = fmt.Sprintf("%s:%d", rs.File, r.Line)
	for j, s := range r.Satisfies {
		if err := l.resolve(s.Control); err != nil {
			l.add(fmt.Sprintf("%s/satisfies/%d/control", base, j), "%v", err)
		}
	}
	for j, ref := range r.Informative {
		// Informative references may name frameworks auditpack does not
		// ship; those it does ship must resolve.
		if err := l.resolve(ref); err != nil && !errors.Is(err, frameworks.ErrUnknownFramework) {
			l.add(fmt.Sprintf("%s/informative/%d", base, j), "%v", err)
		}
	}
	kind := r.AppliesTo.Element
	if r.AppliesTo.Where != nil {
		if kind == ElementSystem {
			l.add(base+"/applies_to/where", "a system rule has no element to filter")
		}
		l.predicate(*r.AppliesTo.Where, base+"/applies_to/where", kind)
	}
	if r.FailsIf != nil {
		l.predicate(*r.FailsIf, base+"/fails_if", kind)
	}
	if r.Expects != nil {
		l.predicate(*r.Expects, base+"/expects", kind)
	}
	if r.NotApplicableIf != nil {
		l.predicate(*r.NotApplicableIf, base+"/not_applicable_if", ElementSystem)
	}
	if r.Requires.Empty() {
		// A rule without a capability must still be able to fail.
		required := slices.ContainsFunc(r.Evidence, func(e EvidenceRequirement) bool { return !e.Optional })
		if r.Expects == nil && r.FailsIf == nil && !required {
			l.add(base, "a rule with no requires needs expects, fails_if or evidence that is not optional: it could never fail")
		}
	} else {
		l.requirement(r.Requires, base+"/requires", kind)
	}
	ids := map[string]bool{}
	for j, e := range r.Evidence {
		ptr := fmt.Sprintf("%s/evidence/%d", base, j)
		if ids[e.ID] {
			l.add(ptr+"/id", "duplicate evidence requirement id %q", e.ID)
		}
		ids[e.ID] = true
		l.kinds(e, ptr)
		if e.Occurrences != nil {
			l.occurrences(e, ptr, kind)
		}
		if e.Per == PerElement && kind == ElementSystem {
			l.add(ptr+"/per", "a system rule has no elements: use per: rule")
		}
		for k, f := range e.Facts {
			l.facts(f, fmt.Sprintf("%s/facts/%d", ptr, k))
		}
	}
	if kind == ElementSystem && r.IfNoTargets != "" {
		l.add(base+"/if_no_targets", "a system rule always has its one target")
	}
}

func (l *linter) requirement(q Requirement, ptr, kind string) {
	switch {
	case len(q.All) > 0:
		for i, c := range q.All {
			l.requirement(c, fmt.Sprintf("%s/all/%d", ptr, i), kind)
		}
	case len(q.Any) > 0:
		for i, c := range q.Any {
			l.requirement(c, fmt.Sprintf("%s/any/%d", ptr, i), kind)
		}
	default:
		if _, ok := CapabilityByID(q.Capability); !ok {
			l.add(ptr+"/capability", "unknown capability %q", q.Capability)
		}
		if !slices.Contains(locations[kind], q.Location()) {
			l.add(ptr+"/located_at", "located_at %q does not apply to %s elements (use one of %s)",
				q.Location(), kind, strings.Join(locations[kind], ", "))
		}
		if q.Where != nil {
			l.walk(*q.Where, ptr+"/where", func(p Predicate, at string) {
				if p.Field != "" && !knownMitigationField(p.Field) {
					l.add(at+"/field", "unknown mitigation field %q (use id, title, status, targets.cde or params.<name>)", p.Field)
				}
				if p.Fn != "" {
					l.add(at+"/fn", "functions apply to elements, not to mitigations")
				}
			})
		}
	}
}

func (l *linter) predicate(p Predicate, ptr, kind string) {
	l.walk(p, ptr, func(p Predicate, at string) {
		if p.Field != "" && !knownField(kind, p.Field) {
			l.add(at+"/field", "unknown field %q for %s elements", p.Field, kind)
		}
		if p.Fn != "" {
			l.fn(p, at, kind)
		}
	})
}

func (l *linter) facts(p Predicate, ptr string) {
	l.walk(p, ptr, func(p Predicate, at string) {
		if p.Fn != "" {
			l.add(at+"/fn", "functions apply to elements, not to evidence facts")
		}
	})
}

// walk visits every leaf of p, checking operator shapes on the way.
func (l *linter) walk(p Predicate, ptr string, leaf func(Predicate, string)) {
	for i, c := range p.All {
		l.walk(c, fmt.Sprintf("%s/all/%d", ptr, i), leaf)
	}
	for i, c := range p.Any {
		l.walk(c, fmt.Sprintf("%s/any/%d", ptr, i), leaf)
	}
	if p.Not != nil {
		l.walk(*p.Not, ptr+"/not", leaf)
	}
	if p.Field != "" {
		l.op(p, ptr)
	}
	if p.Field != "" || p.Fn != "" {
		leaf(p, ptr)
	}
}

func (l *linter) op(p Predicate, ptr string) {
	_, isList := p.Value.([]any)
	switch p.Op {
	case "in", "not_in", "intersects":
		if !isList {
			l.add(ptr+"/value", "op %s needs a list value", p.Op)
		}
	case "exists":
		if p.Value != nil {
			if _, ok := p.Value.(bool); !ok {
				l.add(ptr+"/value", "op exists takes true, false or no value")
			}
		}
	case "matches":
		s, ok := p.Value.(string)
		if !ok {
			l.add(ptr+"/value", "op matches needs a regular expression string")
		} else if _, err := regexp.Compile(s); err != nil {
			l.add(ptr+"/value", "bad regular expression: %v", err)
		}
	case "gte", "lte":
		if _, ok := Number(p.Value); !ok {
			if _, ok := p.Value.(string); !ok {
				l.add(ptr+"/value", "op %s needs a number or a version string", p.Op)
			}
		}
	default:
		if p.Value == nil {
			l.add(ptr+"/value", "op %s needs a value", p.Op)
		}
	}
}

func (l *linter) fn(p Predicate, ptr, kind string) {
	if !slices.Contains(fnKinds[p.Fn], kind) {
		l.add(ptr+"/fn", "function %s does not apply to %s elements", p.Fn, kind)
	}
	allowed := fnArgs[p.Fn]
	if len(p.Args) == 0 {
		l.add(ptr+"/args", "function %s needs arguments (%s)", p.Fn, strings.Join(allowed, ", "))
	}
	keys := make([]string, 0, len(p.Args))
	for k := range p.Args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			l.add(ptr+"/args/"+k, "function %s has no argument %q (known: %s)", p.Fn, k, strings.Join(allowed, ", "))
			continue
		}
		switch v := p.Args[k].(type) {
		case []any:
			for _, e := range v {
				if _, ok := e.(string); !ok {
					l.add(ptr+"/args/"+k, "argument %s must be a list of strings", k)
				}
			}
		case bool:
			if !slices.Contains([]string{"any", "public_network", "into_cde", "out_of_cde", "reachable"}, k) {
				l.add(ptr+"/args/"+k, "argument %s must be a list of strings", k)
			}
		case string:
			if k != "tag" && k != "kind" && k != "type" {
				l.add(ptr+"/args/"+k, "argument %s must be a list of strings", k)
			}
		default:
			l.add(ptr+"/args/"+k, "argument %s has an unsupported value", k)
		}
	}
}
