package mappings

import (
	"fmt"

	"github.com/auditpack/auditpack/frameworks"
)

// Resolver adapts a catalog registry to [Lint]: a reference must name an
// assessable control of a known catalog.
func Resolver(reg *frameworks.Registry) func(ref string) error {
	return func(ref string) error {
		_, n, err := reg.Resolve(ref)
		if err != nil {
			return err
		}
		if !n.Assessable {
			return fmt.Errorf("%s is a %s, not an assessable control", ref, n.Kind)
		}
		return nil
	}
}
