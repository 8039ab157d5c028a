package xlsx

import "strconv"

var inputColumns = []column{
	{"Type", 12, plain},
	{"Role", 18, plain},
	{"Name", 34, wrapped},
	{"Format", 12, plain},
	{"Version", 22, plain},
	{"SHA-256", 68, plain},
	{"Size (bytes)", 11, number},
	{"Title", 44, wrapped},
	{"Notes", 70, wrapped},
}

// inputs writes everything the results were computed from, in one table so
// that one filter covers it: the tool, each input file with its hash, the
// rule sets and the framework catalogs with their licence notices.
func (wb *workbook) inputs() error {
	t, err := newTable(wb.f, wb.st, SheetInputs, 1, inputColumns)
	if err != nil {
		return err
	}
	r := wb.r
	rows := [][]any{{"tool", "", r.Tool.Name, "", r.Tool.Version, "", nil, "", "results schema " + r.SchemaVersion}}
	for _, in := range r.Inputs {
		rows = append(rows, []any{"input", in.Role, in.Name, in.Format, "", in.SHA256, int(in.Size)})
	}
	for _, rs := range r.RuleSets {
		rows = append(rows, []any{"rule set", "", rs.ID, "", rs.Version, "", nil, rs.Title,
			strconv.Itoa(rs.Rules) + " rule(s) from " + orDash(rs.File)})
	}
	for _, fw := range r.Frameworks {
		rows = append(rows, []any{"catalog", "", fw.Ref, "", fw.Version, "", nil, fw.Title,
			lines(nonEmpty("Publisher: "+orDash(fw.Publisher), "Content: "+orDash(fw.ContentPolicy), fw.LicenseNotice))})
	}
	for _, row := range rows {
		if err := t.add(row...); err != nil {
			return err
		}
	}
	return t.close()
}
