package view

import (
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/model"
)

// Scope is the model's components and flows split by whether the model
// declares them out of scope, in model order: the scope tables of every
// output list the same elements on each side.
type Scope struct {
	Components, ComponentsOut []*model.Component
	Flows, FlowsOut           []*audit.FlowInfo
}

func scopeOf(m *audit.ModelInfo) Scope {
	var s Scope
	for i := range m.Components {
		if c := &m.Components[i]; c.OutOfScope {
			s.ComponentsOut = append(s.ComponentsOut, c)
		} else {
			s.Components = append(s.Components, c)
		}
	}
	for i := range m.Flows {
		if f := &m.Flows[i]; f.OutOfScope {
			s.FlowsOut = append(s.FlowsOut, f)
		} else {
			s.Flows = append(s.Flows, f)
		}
	}
	return s
}

// Crossings says in words which zone boundaries a flow crosses: the zones
// it leaves, those it enters and the lines it crosses, one statement each,
// none for a flow that stays inside its zone.
func Crossings(c model.Crossing) []string {
	var out []string
	for _, part := range []struct {
		verb string
		ids  []string
	}{{"leaves", c.Left}, {"enters", c.Entered}, {"crosses", c.Lines}} {
		if len(part.ids) > 0 {
			out = append(out, part.verb+" "+strings.Join(part.ids, ", "))
		}
	}
	return out
}
