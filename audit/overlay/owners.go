package overlay

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/model"
)

// ZoneOwners returns the owner each zone entry gives the zones it matches,
// by zone id; a later entry overrides an earlier one, as for trust. Zones
// no entry names an owner for are absent.
func ZoneOwners(m *model.Model, o *Overlay) (map[string]string, error) {
	out := map[string]string{}
	if o == nil || m == nil {
		return out, nil
	}
	for i, e := range o.Zones {
		if e.Owner == "" {
			continue
		}
		mt, err := compile(e.Match, fmt.Sprintf("/overlay/zones/%d", i))
		if err != nil {
			return nil, err
		}
		for _, z := range m.Zones {
			if mt.matches(z.ID, z.Name, z.Description) {
				out[z.ID] = e.Owner
			}
		}
	}
	return out, nil
}
