package audit

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/mappings"
)

// kindWarnings names the items filed under a generic kind (scan-result,
// test-result): they still load, but a rule that names the specific kind
// of scan or test it needs does not take them, so they may count for
// nothing without a word.
func kindWarnings(ev *evidence.Index) []Warning {
	if ev == nil {
		return nil
	}
	var out []Warning
	for _, st := range ev.Items {
		if k, ok := mappings.KindByID(st.Item.Kind); ok && k.Generic {
			out = append(out, Warning{fmt.Sprintf("%s: item %s", ev.Manifest.File, st.Item.ID),
				fmt.Sprintf("kind %q is generic: rules that name a specific kind (asv-scan, internal-vulnerability-scan, penetration-test-external, segmentation-test, tls-scan, …) do not accept it; file the item as the kind it is", k.ID)})
		}
	}
	return out
}
