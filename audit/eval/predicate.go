package eval

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// getter resolves a field name to a value: string, []string, bool,
// model.Tri, float64 or nil (absent).
type getter func(field string) any

// test evaluates a predicate in two-valued logic: an unknown fact makes a
// comparison false. fn evaluates function calls (nil where functions are not
// allowed, which lint already refused).
func test(p mappings.Predicate, get getter, fn func(mappings.Predicate) model.Tri) bool {
	return test3(p, get, fn, nil) == model.True
}

// test3 evaluates a predicate in three-valued logic, the logic of scope: a
// comparison on a tri-state fact the model leaves unknown is unknown, not
// false, so that an unstated fact never silently drops an element from a
// rule's scope. The names of the unknown facts that the outcome depends on
// are added to unknown (when not nil).
func test3(p mappings.Predicate, get getter, fn func(mappings.Predicate) model.Tri, unknown *[]string) model.Tri {
	switch {
	case len(p.All) > 0:
		out := model.True
		var pending []string
		for _, c := range p.All {
			var u []string
			switch test3(c, get, fn, &u) {
			case model.False:
				return model.False
			case model.Unknown:
				out = model.Unknown
				pending = append(pending, u...)
			}
		}
		if out == model.Unknown && unknown != nil {
			*unknown = append(*unknown, pending...)
		}
		return out
	case len(p.Any) > 0:
		out := model.False
		var pending []string
		for _, c := range p.Any {
			var u []string
			switch test3(c, get, fn, &u) {
			case model.True:
				return model.True
			case model.Unknown:
				out = model.Unknown
				pending = append(pending, u...)
			}
		}
		if out == model.Unknown && unknown != nil {
			*unknown = append(*unknown, pending...)
		}
		return out
	case p.Not != nil:
		switch test3(*p.Not, get, fn, unknown) {
		case model.True:
			return model.False
		case model.False:
			return model.True
		}
		return model.Unknown
	case p.Fn != "":
		if fn == nil {
			return model.False
		}
		t := fn(p)
		if t == model.Unknown && unknown != nil {
			*unknown = append(*unknown, p.Fn)
		}
		return t
	}
	have := get(p.Field)
	if _, ok := have.(unstated); ok {
		if unknown != nil {
			*unknown = append(*unknown, p.Field)
		}
		return model.Unknown
	}
	if tri, ok := have.(model.Tri); ok && !tri.Known() && p.Op != "exists" {
		if unknown != nil {
			*unknown = append(*unknown, p.Field)
		}
		return model.Unknown
	}
	return model.TriOf(compare(have, p.Op, p.Value))
}

// unstated stands for a scalar fact (a protocol, a type) that the model
// leaves empty, where a rule expects the model to show it: what is not
// stated is neither shown nor refuted.
type unstated struct{}

// stating wraps a getter so that empty scalar facts read as unstated.
func stating(get getter) getter {
	return func(field string) any {
		v := get(field)
		if v == nil || v == "" {
			return unstated{}
		}
		return v
	}
}

// compare applies op. An unknown tri-state fact or an absent field makes
// every comparison false except "exists: false": absence is not evidence.
func compare(have any, op string, want any) bool {
	if op == "exists" {
		b, ok := want.(bool)
		return present(have) == (!ok || b)
	}
	if !present(have) {
		return false
	}
	switch op {
	case "eq":
		return equal(have, want)
	case "ne":
		return !equal(have, want)
	case "in":
		return anyOf(want, func(w any) bool { return equal(have, w) })
	case "not_in":
		return !anyOf(want, func(w any) bool { return equal(have, w) })
	case "contains":
		if s, ok := have.(string); ok {
			return strings.Contains(s, fmt.Sprint(want))
		}
		return equal(have, want)
	case "intersects":
		return anyOf(want, func(w any) bool { return equal(have, w) })
	case "gte", "lte":
		c, ok := order(have, want)
		return ok && ((op == "gte" && c >= 0) || (op == "lte" && c <= 0))
	case "matches":
		re, err := compiled(fmt.Sprint(want))
		if err != nil {
			return false
		}
		if l, ok := have.([]string); ok {
			return slices.ContainsFunc(l, re.MatchString)
		}
		return re.MatchString(fmt.Sprint(have))
	}
	return false
}

// patterns caches compiled regular expressions: a rule's pattern is tested
// against every element in scope, and compiling it again for each element
// is wasted work on large models. Rules are few, so the cache stays small.
var patterns sync.Map // string → *regexp.Regexp or error

func compiled(pattern string) (*regexp.Regexp, error) {
	if v, ok := patterns.Load(pattern); ok {
		if re, ok := v.(*regexp.Regexp); ok {
			return re, nil
		}
		return nil, v.(error)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		patterns.Store(pattern, err)
		return nil, err
	}
	patterns.Store(pattern, re)
	return re, nil
}

func present(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case string:
		return t != ""
	case []string:
		return len(t) > 0
	case model.Tri:
		return t.Known()
	}
	return true
}

// equal compares a field value with a rule value; a list field equals a
// value when it contains it.
func equal(have, want any) bool {
	switch h := have.(type) {
	case []string:
		w := scalarString(want)
		return slices.ContainsFunc(h, func(s string) bool { return strings.EqualFold(s, w) })
	case model.Tri:
		b, ok := want.(bool)
		return ok && h == model.TriOf(b)
	case bool:
		b, ok := want.(bool)
		return ok && h == b
	case float64:
		w, ok := mappings.Number(want)
		return ok && h == w
	case string:
		if w, ok := mappings.Number(want); ok {
			f, err := strconv.ParseFloat(h, 64)
			return err == nil && f == w
		}
		// Vocabulary values are compared without regard to case: a
		// method written "None" is the method none.
		return strings.EqualFold(strings.TrimSpace(h), scalarString(want))
	}
	return false
}

func scalarString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func anyOf(list any, f func(any) bool) bool {
	l, ok := list.([]any)
	return ok && slices.ContainsFunc(l, f)
}

// order compares numbers, or dotted versions such as "1.2" and "1.10"
// segment by segment, so that TLS "1.3" >= "1.2" and "1.10" > "1.9".
func order(have, want any) (int, bool) {
	hs, ws := scalarString(have), scalarString(want)
	if f, ok := have.(float64); ok {
		hs = strconv.FormatFloat(f, 'f', -1, 64)
	}
	hp, ok1 := versionParts(hs)
	wp, ok2 := versionParts(ws)
	if !ok1 || !ok2 {
		return 0, false
	}
	for i := range max(len(hp), len(wp)) {
		var a, b float64
		if i < len(hp) {
			a = hp[i]
		}
		if i < len(wp) {
			b = wp[i]
		}
		if a != b {
			if a < b {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}

func versionParts(s string) ([]float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	// Every SSL version comes before TLS 1.0: SSLv3 reads as 0.3, never 3.
	ssl := false
	for _, p := range []string{"tlsv", "tls", "sslv", "ssl", "v"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s, ssl = strings.TrimSpace(rest), strings.HasPrefix(p, "ssl")
			break
		}
	}
	if s == "" {
		return nil, false
	}
	if ssl {
		s = "0." + s
	}
	var out []float64
	for _, p := range strings.Split(s, ".") {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, false
		}
		out = append(out, f)
	}
	return out, true
}

// mapGetter reads nested maps by dotted path, trying the whole key first,
// so that facts may be written {tls.min_version: "1.2"} or nested.
func mapGetter(m map[string]any) getter {
	return func(field string) any {
		if v, ok := m[field]; ok {
			return normalise(v)
		}
		cur := any(m)
		for _, part := range strings.Split(field, ".") {
			mm, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			if cur, ok = mm[part]; !ok {
				return nil
			}
		}
		return normalise(cur)
	}
}

func normalise(v any) any {
	if f, ok := mappings.Number(v); ok {
		return f
	}
	if l, ok := v.([]any); ok {
		out := make([]string, 0, len(l))
		for _, e := range l {
			out = append(out, scalarString(e))
		}
		return out
	}
	return v
}
