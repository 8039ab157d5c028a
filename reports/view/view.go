package view

import (
	"sync"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
)

// View is what every output of one set of results shows beyond the raw
// fields of [audit.Results], decided once by [Of]. Renderers read the
// counts, coverage, threats and states here instead of working them out
// from the controls, so that the PDF, the workbook, the Markdown, JUnit,
// OSCAL, SARIF and the text summary can only ever print the same numbers.
// A View never changes its results; it is read-only once built.
type View struct {
	// Summary counts the controls of every framework; Coverage counts
	// them by how much automated rules cover.
	Summary  audit.Counts
	Coverage Coverage
	// Frameworks are the frameworks the results describe, in results
	// order, each with its counts and coverage.
	Frameworks []Framework
	// Scope splits the model's components and flows by scope.
	Scope Scope
	// Threats are the open threats in scope, in model order (see
	// [ThreatsInScope]); Severe are those of them high or critical.
	Threats []*model.Threat
	Severe  []*model.Threat
	// Evidence counts the items of the evidence bundle by whether they
	// have problems.
	Evidence EvidenceCounts
	// ExceptionStates counts the exceptions by status, statuses in name
	// order.
	ExceptionStates []StateCount

	groups map[string][]Group
	except func() *Exceptions
	flags  func() map[string][]*eval.EvidenceUse
}

// Framework is one framework of the results with what its summary rows
// show.
type Framework struct {
	Info     *audit.FrameworkInfo
	Counts   audit.Counts
	Coverage Coverage
}

// Coverage counts controls by how much of them automated rules cover. A
// control whose coverage is neither partial nor full counts as none: no
// rule speaks for it, whatever the results call it.
type Coverage struct {
	Partial, Full, None int
}

func (c *Coverage) add(coverage string) {
	switch coverage {
	case audit.CoveragePartial:
		c.Partial++
	case audit.CoverageFull:
		c.Full++
	default:
		c.None++
	}
}

// Group is one group of a framework's controls (a PCI DSS principal
// requirement, a SOC 2 category) with the counts of its controls.
type Group struct {
	ID     string
	Counts audit.Counts
}

// EvidenceCounts counts the evidence bundle: its items, those whose
// status is ok and those with problems, and the files no item declares.
type EvidenceCounts struct {
	Items, OK, WithProblems, Undeclared int
}

// StateCount is how many exceptions have one status.
type StateCount struct {
	Status string
	N      int
}

// OrOf is v when one is given, else the view of r: a renderer called on
// its own builds its view, one called by the package builder takes the
// one every output shares.
func OrOf(v *View, r *audit.Results) *View {
	if v != nil {
		return v
	}
	return Of(r)
}

// Of builds the view of r in one pass over its controls and model. The
// per-framework counts are the results' own: the view splits and sums
// them, it never re-rolls a verdict.
func Of(r *audit.Results) *View {
	v := &View{Summary: r.Summary, groups: map[string][]Group{},
		except: sync.OnceValue(func() *Exceptions { return ExceptionsOf(r) }),
		flags:  sync.OnceValue(func() map[string][]*eval.EvidenceUse { return flagsOf(r) })}
	at := map[string]int{} // framework ref → index in Frameworks
	for i := range r.Frameworks {
		f := &r.Frameworks[i]
		at[f.Ref] = len(v.Frameworks)
		v.Frameworks = append(v.Frameworks, Framework{Info: f, Counts: f.Counts})
	}
	groupAt := map[[2]string]int{}
	for _, c := range r.Controls {
		v.Coverage.add(c.Coverage)
		if i, ok := at[c.Framework]; ok {
			v.Frameworks[i].Coverage.add(c.Coverage)
		}
		k := [2]string{c.Framework, c.Group}
		i, ok := groupAt[k]
		if !ok {
			i = len(v.groups[c.Framework])
			groupAt[k] = i
			v.groups[c.Framework] = append(v.groups[c.Framework], Group{ID: c.Group})
		}
		v.groups[c.Framework][i].Counts.AddControl(c)
	}
	v.Scope = scopeOf(&r.Model)
	v.Threats = ThreatsInScope(r)
	v.Severe = severe(v.Threats)
	v.Evidence = evidenceCounts(&r.Evidence)
	v.ExceptionStates = exceptionStates(r.Exceptions)
	return v
}

// Groups returns the groups of a framework's controls in the order their
// first control appears, each with the counts of its controls. A framework
// the results name only on controls has groups too, so that no control
// drops out of a chart.
func (v *View) Groups(framework string) []Group { return v.groups[framework] }

// Exceptions returns the index of which exceptions cover each failing
// (rule, element), built on first use: only outputs that list rule
// results need it, and it walks every finding.
func (v *View) Exceptions() *Exceptions { return v.except() }

func evidenceCounts(e *audit.EvidenceInfo) EvidenceCounts {
	n := EvidenceCounts{Items: len(e.Items), Undeclared: len(e.Undeclared)}
	for _, it := range e.Items {
		if it.Status == EvidenceOK {
			n.OK++
		}
	}
	n.WithProblems = n.Items - n.OK
	return n
}
