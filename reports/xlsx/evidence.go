package xlsx

import (
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/reports/view"
)

var evidenceColumns = []column{
	{"Item", 28, plain},
	{"Title", 34, wrapped},
	{"Kind", 13, plain},
	{"File", 32, wrapped},
	{"Format", 20, wrapped},
	{"SHA-256", 68, plain},
	{"Hash check", 16, wrapped},
	{"Size (bytes)", 11, number},
	{"Collected", 11, plain},
	{"Age (days)", 9, number},
	{"Expires", 11, plain},
	{"Status", 14, plain},
	{"Problems", 40, wrapped},
	{"Facts read", 60, wrapped},
	{"Facts stated, not read", 40, wrapped},
	{"Disagreements", 40, wrapped},
	{"Coverage (hosts)", 30, wrapped},
	{"Superseded by", 40, wrapped},
	{"Supports", 34, wrapped},
	{"Used by", 44, wrapped},
	{"Owner", 22, wrapped},
	{"Collector", 18, wrapped},
}

// evidence writes one row per evidence file (an item without files gets
// one row), then the files in the bundle that no item declares. A status
// other than ok, and a hash that does not match, are flagged.
func (wb *workbook) evidence() error {
	t, err := newTable(wb.f, wb.st, SheetEvidence, 1, evidenceColumns)
	if err != nil {
		return err
	}
	for _, it := range wb.r.Evidence.Items {
		status := any(it.Status)
		if it.Status != view.EvidenceOK {
			status = styled{it.Status, wb.st.flag}
		}
		files := it.Files
		if len(files) == 0 {
			files = []evidence.FileStatus{{}}
		}
		for _, fs := range files {
			var size any
			check := any(nil)
			if fs.Path != "" {
				size, check = int(fs.Size), wb.hashCheck(fs)
			}
			err := t.add(it.ID, it.Title, it.Kind, fs.Path, wb.fileFormat(it, fs.Path), fs.SHA256, check, size, it.CollectedAt, it.AgeDays,
				it.ExpiresOn, status, lines(problemMessages(it.Problems)), lines(readFacts(it, fs.Path)), lines(statedFacts(it)),
				wb.disagreements(it), lines(it.Targets), lines(it.SupersededBy), lines(supports(it.Supports)),
				lines(it.UsedBy), it.Owner, it.Collector)
			if err != nil {
				return err
			}
		}
	}
	for _, p := range wb.r.Evidence.Problems {
		if p.Type != evidence.UndeclaredFile {
			continue
		}
		err := t.add("(undeclared)", "", "", p.File, "", "", "", nil, "", nil, "",
			styled{string(p.Type), wb.st.flag}, p.Message)
		if err != nil {
			return err
		}
	}
	return t.close()
}

// fileFormat is the evidence format a file was read as, "not recognised"
// for one no format claims (a PDF, a screenshot), or the reason a file of a
// known format could not be read, flagged.
func (wb *workbook) fileFormat(it audit.EvidenceItem, path string) any {
	if path == "" {
		return nil
	}
	for _, fr := range it.Reads {
		if fr.Path != path {
			continue
		}
		switch {
		case fr.Error != "":
			return styled{"unreadable: " + fr.Error, wb.st.flag}
		case fr.Read != nil:
			return fr.Read.Format + " (" + fr.Read.Tool + ")"
		}
	}
	return "not recognised"
}

// readFacts lists the item's facts read from one of its files, each with
// the place in the file it came from.
func readFacts(it audit.EvidenceItem, path string) []string {
	var out []string
	for _, f := range it.Facts {
		if f.Source == evidence.SourceRead && f.File == path {
			out = append(out, f.Describe())
		}
	}
	return out
}

// statedFacts lists the facts the manifest states that no file gave.
func statedFacts(it audit.EvidenceItem) []string {
	var out []string
	for _, f := range it.Facts {
		if f.Source != evidence.SourceRead {
			out = append(out, f.Describe())
		}
	}
	return out
}

// disagreements lists, flagged, where what the manifest states differs
// from what a file says: the file's value decides.
func (wb *workbook) disagreements(it audit.EvidenceItem) any {
	var out []evidence.Problem
	for _, p := range it.Problems {
		if p.Type == evidence.FactsDisagree || p.Type == evidence.DateDisagree {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return styled{lines(problemMessages(out)), wb.st.flag}
}

// hashCheck says whether the file matched its declared SHA-256.
func (wb *workbook) hashCheck(fs evidence.FileStatus) any {
	switch {
	case fs.OK:
		return "match"
	case fs.Actual != "" && fs.Actual != fs.SHA256:
		return styled{"MISMATCH: actual " + fs.Actual, wb.st.flag}
	}
	return styled{"not verified: missing or unreadable", wb.st.flag}
}

func problemMessages(list []evidence.Problem) []string {
	out := make([]string, 0, len(list))
	for _, p := range list {
		s := string(p.Type) + ": " + p.Message
		if p.File != "" {
			s = string(p.Type) + " (" + p.File + "): " + p.Message
		}
		out = append(out, s)
	}
	return out
}

// supports shows what each evidence item claims to support.
func supports(list []evidence.Support) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		var parts []string
		for _, kv := range [][2]string{{"mitigation", s.Mitigation}, {"element", s.Element}, {"capability", s.Capability},
			{"control", s.Control}, {"rule", s.Rule}, {"exception", s.Exception}} {
			if kv[1] != "" {
				parts = append(parts, kv[0]+" "+kv[1])
			}
		}
		out = append(out, strings.Join(parts, ", "))
	}
	return out
}

var exceptionColumns = []column{
	{"Exception", 14, plain},
	{"Type", 20, plain},
	{"Control", 22, wrapped},
	{"Rule", 30, wrapped},
	{"Element", 20, wrapped},
	{"Justification", 56, wrapped},
	{"Approver", 24, wrapped},
	{"Approved", 11, plain},
	{"Expires", 11, plain},
	{"Ticket", 16, plain},
	{"Status", 12, plain},
	{"Compensating evidence", 26, wrapped},
	{"Problems", 36, wrapped},
	{"Applied to", 50, wrapped},
}

// exceptions writes one row per exception. Any status other than active is
// flagged: an expired or pending exception covers nothing.
func (wb *workbook) exceptions() error {
	t, err := newTable(wb.f, wb.st, SheetExceptions, 1, exceptionColumns)
	if err != nil {
		return err
	}
	for _, x := range wb.r.Exceptions {
		status := any(x.Status)
		if x.Status != exception.Active {
			status = styled{x.Status, wb.st.flag}
		}
		applied := any(lines(x.AppliedTo))
		if len(x.AppliedTo) == 0 {
			applied = "not applied to any finding"
		}
		err := t.add(x.ID, x.Type, x.Control, x.Rule, wb.named(nonEmpty(x.Element)), x.Justification, x.Approver,
			x.ApprovedOn, x.ExpiresOn, x.Ticket, status, lines(x.CompensatingEvidence),
			lines(x.EvidenceProblems), applied)
		if err != nil {
			return err
		}
	}
	return t.close()
}
