package markdown

import (
	"fmt"
	"io"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/reports/view"
)

// requestChanges writes the evidence requests the new results answered
// and those they add, with the count still open; nothing when neither
// side changed or either predates requests.
func requestChanges(w io.Writer, c *diff.RequestChanges, maxRows int) {
	if c == nil || len(c.Answered)+len(c.New) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### Evidence requests (%d answered, %d still open, %d new)\n\n| request | status | need | rule | elements |\n|---|---|---|---|---|\n",
		len(c.Answered), len(c.StillOpen), len(c.New))
	n := 0
	for _, part := range []struct {
		status string
		rs     []audit.EvidenceRequest
	}{{"answered", c.Answered}, {"new", c.New}} {
		for i := range part.rs {
			if n == maxRows {
				break
			}
			r := &part.rs[i]
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", code(r.ID), part.status, esc(r.Need), code(r.Rule), cell(view.ElementsText(r.Elements)))
			n++
		}
	}
	more(w, len(c.Answered)+len(c.New), maxRows)
}
