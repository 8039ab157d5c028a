package importer

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/model"
)

// MaxWarningsOfAKind bounds the warnings of one kind an importer lists: a
// model can hold a million elements that are skipped for the same reason,
// and a million lines bury the warnings that matter without telling the
// reader more than the first hundred and a count do.
const MaxWarningsOfAKind = 100

// Warner adds an importer's warnings to its model, listing at most
// [MaxWarningsOfAKind] of each kind (each format string) and, after
// those, one warning that counts the rest: "and N more like this". The
// zero Warner is ready to use.
type Warner struct {
	kinds map[string]*warningKind
}

type warningKind struct {
	n       int
	summary int // index in the model's warnings of the "N more" warning
}

// Warn adds the warning fmt.Sprintf(format, args...) at ref to m, or
// counts it when m already lists enough of its kind.
func (w *Warner) Warn(m *model.Model, ref, format string, args ...any) {
	if w.kinds == nil {
		w.kinds = map[string]*warningKind{}
	}
	k := w.kinds[format]
	if k == nil {
		k = &warningKind{}
		w.kinds[format] = k
	}
	k.n++
	switch more := k.n - MaxWarningsOfAKind; {
	case more <= 0:
		m.Warnings = append(m.Warnings, model.Warning{Ref: ref, Message: fmt.Sprintf(format, args...)})
	case more == 1:
		k.summary = len(m.Warnings)
		m.Warnings = append(m.Warnings, model.Warning{Ref: ref, Message: moreLikeThis(1)})
	default:
		m.Warnings[k.summary].Message = moreLikeThis(more)
	}
}

func moreLikeThis(n int) string {
	return fmt.Sprintf("and %d more like this (from here on, only the first %d warnings of a kind are listed)", n, MaxWarningsOfAKind)
}
