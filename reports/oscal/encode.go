package oscal

import (
	"fmt"
	"github.com/auditpack/auditpack/reports/view"
	"io"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/jsonindent"
)

// On a large model the observations are most of the document: over a
// gigabyte for 50,000 flows. Encoding the whole document at once marshals
// it into one growing buffer, then indents that into a second one. Instead
// the document is written member by member, in the order and with the
// omissions of its types' encoding, and each large array element by
// element: the observations are not even kept, each is made, written and
// dropped. The bytes are exactly those of encoding the whole at once
// (oscal_test.go checks).

// encodeDocument writes the document of r to w.
func encodeDocument(w io.Writer, r *audit.Results, v *view.View) error {
	j := jsonindent.NewWriter(w, "  ")
	writeDocument(j, r, v)
	if err := j.Close(); err != nil {
		return fmt.Errorf("encode oscal: %w", err)
	}
	return nil
}

func writeDocument(j *jsonindent.Writer, r *audit.Results, v *view.View) {
	b := newBuilder(r, v)
	doc := b.document()
	ar := &doc.AssessmentResults
	j.Begin('{')
	j.Key("assessment-results")
	j.Begin('{')
	j.Key("uuid")
	j.Value(ar.UUID)
	j.Key("metadata")
	j.Value(&ar.Metadata)
	j.Key("import-ap")
	j.Value(&ar.ImportAP)
	j.Key("results")
	j.Begin('[')
	for i := range ar.Results {
		j.Elem()
		obs := func(j *jsonindent.Writer) bool { return false }
		if i == 0 && len(r.RuleResults) > 0 {
			obs = func(j *jsonindent.Writer) bool {
				j.Key("observations")
				j.Begin('[')
				for k := range r.RuleResults {
					o := b.observation(&r.RuleResults[k])
					j.Elem()
					j.Value(&o)
				}
				j.End(']')
				return true
			}
		}
		writeResult(j, &ar.Results[i], obs)
	}
	j.End(']')
	if bm := ar.BackMatter; bm != nil {
		j.Key("back-matter")
		j.Begin('{')
		j.Key("resources")
		if bm.Resources == nil {
			j.Value(bm.Resources)
		} else {
			elements(j, bm.Resources)
		}
		j.End('}')
	}
	j.End('}')
	j.End('}')
}

// writeResult writes one result as its type encodes, but for the
// observations, which observations writes (and tells whether it did),
// and the large arrays, written element by element.
func writeResult(j *jsonindent.Writer, res *Result, observations func(*jsonindent.Writer) bool) {
	j.Begin('{')
	j.Key("uuid")
	j.Value(res.UUID)
	j.Key("title")
	j.Value(res.Title)
	j.Key("description")
	j.Value(res.Description)
	j.Key("start")
	j.Value(res.Start)
	if res.End != "" {
		j.Key("end")
		j.Value(res.End)
	}
	if len(res.Props) > 0 {
		j.Key("props")
		j.Value(res.Props)
	}
	if ld := res.LocalDefinitions; ld != nil {
		j.Key("local-definitions")
		j.Begin('{')
		if len(ld.Components) > 0 {
			j.Key("components")
			elements(j, ld.Components)
		}
		j.End('}')
	}
	j.Key("reviewed-controls")
	j.Value(&res.ReviewedControls)
	if !observations(j) && len(res.Observations) > 0 {
		j.Key("observations")
		elements(j, res.Observations)
	}
	if len(res.Risks) > 0 {
		j.Key("risks")
		elements(j, res.Risks)
	}
	if len(res.Findings) > 0 {
		j.Key("findings")
		elements(j, res.Findings)
	}
	if res.Remarks != "" {
		j.Key("remarks")
		j.Value(res.Remarks)
	}
	j.End('}')
}

// elements writes a non-nil array one element at a time.
func elements[T any](j *jsonindent.Writer, s []T) {
	j.Begin('[')
	for i := range s {
		j.Elem()
		j.Value(&s[i])
	}
	j.End(']')
}
