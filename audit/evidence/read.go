package evidence

import "github.com/auditpack/auditpack/audit/evidence/facts"

// Problems about what an item's files say. FactsDisagree and DateDisagree
// do not disqualify the item: the value read from the file replaces the
// stated one and decides. FactsUnreadable does: a file of a recognised
// format that does not parse is damaged evidence.
const (
	FactsDisagree   ProblemType = "facts-disagree"
	DateDisagree    ProblemType = "date-disagree"
	FactsUnreadable ProblemType = "facts-unreadable"
)

// Disqualifies reports whether the problem stops the item from counting.
func (p Problem) Disqualifies() bool {
	return p.Type != FactsDisagree && p.Type != DateDisagree && p.Type != UndeclaredFile
}

// FileRead is what one evidence file of an item says, as package facts
// read it; Read is nil for a file no format recognises, and Error is set
// for one that was recognised but does not parse.
type FileRead struct {
	Path  string      `json:"path"`
	Read  *facts.Read `json:"read,omitempty"`
	Error string      `json:"error,omitempty"`
}

// Fact sources.
const (
	SourceRead   = "read"
	SourceStated = "stated"
)

// ItemFact is one fact of an item, from its files or its manifest entry.
// A fact both read and stated is kept once, with Source "read"; Stated
// holds the manifest's value when the two disagree.
type ItemFact struct {
	Name   string `json:"name"`
	Value  any    `json:"value"`
	Source string `json:"source"`
	// File and At locate a read fact: the file and the JSON pointer or
	// XML path in it. Target is the host or resource it is about, if one.
	File   string `json:"file,omitempty"`
	At     string `json:"at,omitempty"`
	Target string `json:"target,omitempty"`
	Stated any    `json:"stated,omitempty"`
}
