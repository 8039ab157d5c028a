package audit

import (
	"cmp"
	"errors"

	"github.com/auditpack/auditpack/audit/vocab"
	"github.com/auditpack/auditpack/mappings"
)

// checkVocabulary checks the model and the overlay against auditpack's
// vocabularies (see package vocab). A value outside a closed vocabulary is
// an input error; every one is reported. A tag that is a near miss of one
// the rules read (any rule set's, selected or not) is a warning, whether
// the model or the overlay set it.
func checkVocabulary(in Inputs) ([]Warning, error) {
	var rules []mappings.Rule
	for _, rs := range in.RuleSets {
		rules = append(rules, rs.Rules...)
	}
	known := vocab.Known(rules)
	modelFile, overlayFile := in.Model.Source.File, overlayName(in)
	merrs, mwarns := vocab.Model(in.Model, known)
	oerrs, owarns := vocab.Overlay(in.Overlay, known)
	var errs []error
	for _, p := range merrs {
		errs = append(errs, &InputError{Source: joinRef(modelFile, p.Pointer), Message: p.Message})
	}
	for _, p := range oerrs {
		errs = append(errs, &InputError{Source: joinRef(overlayFile, p.Pointer), Message: p.Message})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var warns []Warning
	for _, p := range mwarns {
		warns = append(warns, Warning{Source: joinRef(modelFile, p.Pointer), Message: p.Message})
	}
	for _, p := range owarns {
		warns = append(warns, Warning{Source: joinRef(overlayFile, p.Pointer), Message: p.Message})
	}
	return warns, nil
}

// overlayName is how warnings name the file the overlay was read from.
func overlayName(in Inputs) string {
	return cmp.Or(in.OverlayFile, "overlay")
}
