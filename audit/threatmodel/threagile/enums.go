package threagile

import (
	"strings"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"go.yaml.in/yaml/v3"
)

// Threagile's enumerations of the ratings auditpack reads from data and
// technical assets: the confidentiality becomes a data classification, the
// others go into the description the auditor reads. A value outside them is
// not one Threagile accepts, so the model is refused rather than read with
// a rating nobody wrote.
var ratings = []struct {
	field  string
	values []string
}{
	{"confidentiality", []string{"public", "internal", "restricted", "confidential", "strictly-confidential"}},
	{"integrity", []string{"archive", "operational", "important", "critical", "mission-critical"}},
	{"availability", []string{"archive", "operational", "important", "critical", "mission-critical"}},
	{"usage", []string{"business", "devops"}},
	{"quantity", []string{"very-few", "few", "many", "very-many"}},
}

// checkRatings refuses an entry whose rating fields (by their YAML names in
// got) hold a value outside Threagile's enumeration. The message gives the
// line of the field and the values allowed, never the value written: the
// line is enough to find it, and a file named as a model by mistake must
// not have its text copied into a terminal or a CI log.
func checkRatings(e entry, section string, got map[string]string) error {
	for _, r := range ratings {
		v, ok := got[r.field]
		v = strings.ToLower(strings.TrimSpace(v))
		if !ok || v == "" || contains(r.values, v) {
			continue
		}
		return importer.Errorf(e.file, "line %d: %s %q: %s is not one of Threagile's values (%s)",
			fieldLine(e, r.field), section, e.title, r.field, strings.Join(r.values, ", "))
	}
	return nil
}

// fieldLine returns the line of field in e's mapping, or of e's key.
func fieldLine(e entry, field string) int {
	ps, err := pairs(e.file, e.value)
	if err == nil {
		for _, p := range ps {
			if p.key.Value == field {
				return p.key.Line
			}
		}
	}
	return e.key.Line
}

// text returns a top-level value that must be a single value (a title, a
// version, a name), refusing a list or a mapping without quoting it.
func text(name string, p pair) (string, error) {
	v := deref(p.value)
	if isNull(v) {
		return "", nil
	}
	if v.Kind != yaml.ScalarNode {
		return "", importer.Errorf(name, "line %d: %s must be a single value, found %s", p.key.Line, p.key.Value, kindName(v))
	}
	return v.Value, nil
}
