package facts

import (
	"fmt"
	"math"
)

// Typed returns a fact value read back from JSON (encoding/json's float64
// and []any) as the Go value its type holds (see [Type]): an int, an
// []int, a []string. A value of an unknown fact is returned as it is; one
// that does not fit its fact's type is an error, since everything that
// judges facts relies on their types.
func Typed(name string, v any) (any, error) {
	d, ok := Lookup(name)
	if !ok {
		return v, nil
	}
	bad := fmt.Errorf("fact %s: %v is not a value of type %s", name, v, d.Type)
	switch d.Type {
	case String, Date, Version:
		if _, ok := v.(string); ok {
			return v, nil
		}
	case Bool:
		if _, ok := v.(bool); ok {
			return v, nil
		}
	case Int:
		if n, ok := wholeNumber(v); ok {
			return n, nil
		}
	case Ints:
		if l, ok := v.([]any); ok {
			out := make([]int, 0, len(l))
			for _, e := range l {
				n, ok := wholeNumber(e)
				if !ok {
					return nil, bad
				}
				out = append(out, n)
			}
			return out, nil
		}
	case List, Versions:
		if l, ok := v.([]any); ok {
			out := make([]string, 0, len(l))
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, bad
				}
				out = append(out, s)
			}
			return out, nil
		}
	}
	return nil, bad
}

// TypedRead returns r with every fact value [Typed], or the first value
// that does not fit its type.
func TypedRead(r *Read) (*Read, error) {
	if r == nil {
		return nil, nil
	}
	out := *r
	var err error
	if out.Facts, err = typedFacts(r.Facts); err != nil {
		return nil, err
	}
	if out.Targets, err = typedFacts(r.Targets); err != nil {
		return nil, err
	}
	return &out, nil
}

func typedFacts(fs []Fact) ([]Fact, error) {
	if fs == nil {
		return nil, nil
	}
	out := make([]Fact, len(fs))
	for i, f := range fs {
		v, err := Typed(f.Name, f.Value)
		if err != nil {
			return nil, err
		}
		f.Value = v
		out[i] = f
	}
	return out, nil
}

func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int(n), true
		}
	}
	return 0, false
}
