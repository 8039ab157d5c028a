// Package exception reads risk acceptances and compensating controls: a
// control or rule (optionally narrowed to one element), why, who approved it
// and when, when it expires, and the evidence of the compensating control.
//
// An expired exception is not an exception: [Exception.StatusAt] says so, and
// evaluation reports the underlying verdict with the expiry as a reason.
package exception

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/auditpack/auditpack/mappings/schemadoc"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// SchemaVersion is the "schema" value of an exceptions file.
const SchemaVersion = "auditpack/exceptions/v1"

//go:embed exceptions.schema.json
var schemaJSON []byte

var compiled = sync.OnceValue(func() *jsonschema.Schema {
	return schemadoc.MustCompile("auditpack-exceptions.schema.json", schemaJSON)
})

// Schema returns the published JSON Schema of exceptions files.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Exception is one approved deviation.
type Exception struct {
	ID                   string   `json:"id"`
	Type                 string   `json:"type"`
	Control              string   `json:"control,omitempty"`
	Rule                 string   `json:"rule,omitempty"`
	Element              string   `json:"element,omitempty"`
	Justification        string   `json:"justification"`
	Approver             string   `json:"approver"`
	ApprovedOn           string   `json:"approved_on"`
	ExpiresOn            string   `json:"expires_on"`
	CompensatingEvidence []string `json:"compensating_evidence,omitempty"`
	Ticket               string   `json:"ticket,omitempty"`
	// Pointer locates the exception in its file.
	Pointer string `json:"-"`

	approved, expires time.Time
}

// File is a parsed exceptions file.
type File struct {
	Schema     string      `json:"schema"`
	Exceptions []Exception `json:"exceptions"`
	Name       string      `json:"-"`
}

// Statuses of an exception at a given date.
const (
	Active  = "active"
	Expired = "expired"
	Pending = "pending" // approved after the as-of date
)

// Parse decodes and validates an exceptions file: ids unique, dates valid,
// expiry after approval.
func Parse(name string, data []byte) (*File, error) {
	f := &File{Name: name}
	lines, err := schemadoc.Decode(name, data, compiled(), f)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range f.Exceptions {
		e := &f.Exceptions[i]
		e.Pointer = fmt.Sprintf("/exceptions/%d", i)
		if seen[e.ID] {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/id", "duplicate exception id %q", e.ID)
		}
		seen[e.ID] = true
		if e.approved, err = time.Parse(time.DateOnly, e.ApprovedOn); err != nil {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/approved_on", "not a valid date: %q", e.ApprovedOn)
		}
		if e.expires, err = time.Parse(time.DateOnly, e.ExpiresOn); err != nil {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/expires_on", "not a valid date: %q", e.ExpiresOn)
		}
		if !e.expires.After(e.approved) {
			return nil, schemadoc.Errorf(name, lines, e.Pointer+"/expires_on", "expires on %s, not after its approval on %s", e.ExpiresOn, e.ApprovedOn)
		}
	}
	return f, nil
}

// StatusAt returns Active, Expired or Pending at asOf. An exception is valid
// through the whole of its expiry day.
func (e Exception) StatusAt(asOf time.Time) string {
	switch {
	case asOf.Before(e.approved):
		return Pending
	case !asOf.Before(e.expires.AddDate(0, 0, 1)):
		return Expired
	}
	return Active
}

// Covers reports whether the exception is about this control or rule and,
// when it names an element, this element.
func (e Exception) Covers(control, rule, element string) bool {
	if e.Element != "" && e.Element != element {
		return false
	}
	return (e.Control != "" && e.Control == control && (e.Rule == "" || e.Rule == rule)) ||
		(e.Control == "" && e.Rule != "" && e.Rule == rule)
}
