package view

import (
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// RequestHeader names the columns of the evidence-request list, in the
// order the workbook's sheet and requests.csv give them.
var RequestHeader = []string{"Request", "Need", "Rule", "Requirement", "Controls", "Elements", "Evidence kinds",
	"Must show", "Period from", "Period to", "Owner", "Owner from", "Due", "Items", "Why"}

// RequestRow is one request as a row under [RequestHeader].
func RequestRow(r *audit.EvidenceRequest) []string {
	return []string{r.ID, r.Need, r.Rule, r.Requirement, strings.Join(r.Controls, ", "), ElementsText(r.Elements),
		strings.Join(r.Kinds, ", "), r.Shows, r.PeriodFrom, r.PeriodTo, OwnerText(r.Owner), r.OwnerSource, r.Due,
		strings.Join(r.Items, ", "), r.Reason}
}

// ElementsText names a request's elements, "id (name)" each, or says it
// asks for the system as a whole.
func ElementsText(els []eval.ElementRef) string {
	if len(els) == 0 {
		return "(system)"
	}
	out := make([]string, len(els))
	for i, e := range els {
		out[i] = e.ID
		if e.Name != "" && e.Name != e.ID {
			out[i] += " (" + e.Name + ")"
		}
	}
	return strings.Join(out, ", ")
}

// OwnerText is a request's owner, or says that nothing names one.
func OwnerText(owner string) string {
	if owner == "" {
		return "(unassigned)"
	}
	return owner
}

// OwnerCount is how many requests go to one owner.
type OwnerCount struct {
	Owner string
	N     int
}

// RequestOwners counts the requests by owner, owners in name order and
// the unassigned last.
func RequestOwners(rs []audit.EvidenceRequest) []OwnerCount {
	var out []OwnerCount
	at := map[string]int{}
	for _, r := range rs {
		i, ok := at[r.Owner]
		if !ok {
			i = len(out)
			at[r.Owner] = i
			out = append(out, OwnerCount{Owner: r.Owner})
		}
		out[i].N++
	}
	sortOwners(out)
	return out
}

func sortOwners(out []OwnerCount) {
	slices.SortFunc(out, func(a, b OwnerCount) int {
		if (a.Owner == "") != (b.Owner == "") {
			if a.Owner == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Owner, b.Owner)
	})
}
