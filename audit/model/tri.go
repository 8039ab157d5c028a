package model

import (
	"encoding/json"
	"fmt"
)

// Tri is a tri-state fact. Its zero value is Unknown, so a property an
// export does not mention never reads as false.
type Tri int8

// The three states of a [Tri].
const (
	Unknown Tri = iota
	True
	False
)

// TriOf converts a plain boolean.
func TriOf(b bool) Tri {
	if b {
		return True
	}
	return False
}

// Known reports whether the fact was stated.
func (t Tri) Known() bool { return t != Unknown }

// String returns "true", "false" or "unknown".
func (t Tri) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	}
	return "unknown"
}

// MarshalJSON writes true, false or null.
func (t Tri) MarshalJSON() ([]byte, error) {
	switch t {
	case True:
		return []byte("true"), nil
	case False:
		return []byte("false"), nil
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads true, false or null.
func (t *Tri) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*t = True
	case "false":
		*t = False
	case "null":
		*t = Unknown
	default:
		var s string
		if err := json.Unmarshal(b, &s); err == nil && s == "unknown" {
			*t = Unknown
			return nil
		}
		return fmt.Errorf("tri-state value must be true, false or null, not %s", b)
	}
	return nil
}
