package vocab

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// A tag that renders exactly like one auditpack reads (Cyrillic letters,
// full-width forms, zero-width characters between the letters) is a trap
// no edit distance of one catches: the zone looks like the CDE to every
// reader of the model and is not one to the rules. It must be warned about.
func TestReviewConfusableTagsWarn(t *testing.T) {
	for _, tag := range []string{
		"\u0441d\u0435",      // Cyrillic es and ie around a Latin d
		"\uff43\uff44\uff45", // full-width c d e
		"c\u200bd\u200be",    // zero-width spaces between the letters
		"\u0441\u0501\u0435", // every letter Cyrillic
	} {
		m := &model.Model{Zones: []model.Zone{{ID: "z", Name: "Z", Trust: model.TrustTrusted, Tags: []string{tag}, Ref: "/zones/0"}}}
		errs, warns := Model(m, BuiltinTags())
		if len(errs) > 0 {
			t.Errorf("tag %q: unexpected errors %v", tag, errs)
		}
		found := false
		for _, w := range warns {
			found = found || (w.Pointer == "/zones/0/tags/0" && strings.Contains(w.Message, `"cde"`))
		}
		if !found {
			t.Errorf("tag %q looks like cde but draws no warning naming it (warnings: %v)", tag, warns)
		}
	}
}
