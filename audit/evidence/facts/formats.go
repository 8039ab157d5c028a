package facts

import (
	"io"
	"slices"
)

// parser reads one format. detect looks only at the head of a file; parse
// streams the whole file. yields lists the facts the format can give.
type parser struct {
	id, name string
	detect   func(head []byte) bool
	parse    func(r io.Reader) (*Read, error)
	yields   []string
}

// parsers are tried in this order by [Detect]; the most specific first.
var parsers = []parser{
	testsslPretty, testsslFlat, sslyze, nmap, trivy, grype, prowler, sarif,
}

// Format describes a recognised format.
type Format struct {
	ID, Name string
	Yields   []string
}

// Formats lists the formats auditpack reads, in detection order.
func Formats() []Format {
	out := make([]Format, len(parsers))
	for i, p := range parsers {
		out[i] = Format{p.id, p.name, slices.Clone(p.yields)}
	}
	return out
}

// FormatsOf returns the ids of the formats that yield a fact.
func FormatsOf(fact string) []string {
	var out []string
	for _, p := range parsers {
		if slices.Contains(p.yields, fact) {
			out = append(out, p.id)
		}
	}
	return out
}
