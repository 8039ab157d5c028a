package facts

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestProwlerResourcesAreNotAliasesOfEachOther: one Prowler finding with
// many resources and no account names each resource as a target, and then
// gives every target every other resource as an alias. That is wrong (an
// overlay that names resource r7 is then covered by the target r1) and
// quadratic: a 1.1 MB file of one finding with 60 000 resources made
// evidence facts grow to 24 GB of memory before it was killed. Here 300
// resources, 89 700 aliases today; each resource must be a target of its
// own, never an alias of another.
func TestProwlerResourcesAreNotAliasesOfEachOther(t *testing.T) {
	const n = 300
	var res []string
	for i := range n {
		res = append(res, fmt.Sprintf(`{"uid":"arn:aws:s3:::bucket-%d"}`, i))
	}
	doc := `[{"metadata":{"event_code":"s3_bucket_public_access","product":{"name":"Prowler","version":"4.0.0"}},` +
		`"status_code":"FAIL","status":"New","time":1700000000,"cloud":{"provider":"aws"},"resources":[` + strings.Join(res, ",") + `]}]`
	if got := Detect([]byte(doc)); got != "prowler-ocsf-json" {
		t.Fatalf("detected %q", got)
	}
	r, err := Parse("prowler-ocsf-json", bytes.NewReader([]byte(doc)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, c := range r.Covered {
		names[c.Name] = true
	}
	aliases, crossed := 0, 0
	for _, c := range r.Covered {
		aliases += len(c.Aliases)
		for _, a := range c.Aliases {
			if names[a] {
				crossed++
			}
		}
	}
	if crossed > 0 || aliases > 2*n {
		t.Errorf("%d targets carry %d aliases, %d of them another target's name", len(r.Covered), aliases, crossed)
	}
}
