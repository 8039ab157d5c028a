package overlay

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/auditpack/auditpack/audit/model"
)

// Fact is a tri-state fact an overlay entry states about an element. Set
// records that the key was present: an absent key leaves the imported
// value alone, while true and false state the fact and null or "unknown"
// deliberately reset it to [model.Unknown], for instance when the export
// states something the team cannot vouch for. A *model.Tri could not tell
// null from an absent key, since JSON null leaves a pointer nil.
type Fact struct {
	Set   bool
	Value model.Tri
}

// Known returns a Fact that sets v.
func Known(v model.Tri) Fact { return Fact{Set: true, Value: v} }

// UnmarshalJSON reads true, false, null or the string "unknown"; anything
// else is an error.
func (f *Fact) UnmarshalJSON(b []byte) error {
	var v model.Tri
	if err := v.UnmarshalJSON(bytes.TrimSpace(b)); err != nil {
		return fmt.Errorf("a fact must be true, false, null or \"unknown\", not %s", b)
	}
	*f = Known(v)
	return nil
}

// MarshalJSON writes true, false or null; an unset Fact is left out of
// structs by omitzero (see [Fact.IsZero]).
func (f Fact) MarshalJSON() ([]byte, error) { return json.Marshal(f.Value) }

// IsZero reports whether the fact was not set, so that omitzero drops it.
func (f Fact) IsZero() bool { return !f.Set }

// apply writes the fact into dst when it was set.
func (f Fact) apply(dst *model.Tri) {
	if f.Set {
		*dst = f.Value
	}
}
