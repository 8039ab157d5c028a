package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/reports/reporttest"
)

// A request the new results no longer make is listed as answered, one
// they add as new; the still-open ones are counted.
func TestChangesListAnsweredRequests(t *testing.T) {
	old := reporttest.Demo(t)
	new := reporttest.Demo(t)
	if len(old.Requests) < 2 {
		t.Fatal("the demo results carry too few requests")
	}
	gone := old.Requests[0]
	added := old.Requests[1]
	added.ID = "ER-000000000000"
	new.Requests = append(old.Requests[1:len(old.Requests):len(old.Requests)], added)
	var buf bytes.Buffer
	if err := RenderChanges(&buf, diff.Compare(old, new), 0); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"### Evidence requests (1 answered, " + strconv.Itoa(len(old.Requests)-1) + " still open, 1 new)",
		"| ` " + gone.ID + " ` | answered |",
		"| ` ER-000000000000 ` | new |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
