package xlsx

var sampleColumns = []column{
	{"Control", 24, plain},
	{"Drawn from", 34, wrapped},
	{"Population", 11, number},
	{"Table row", 16, plain},
	{"Size basis", 34, wrapped},
	{"Sample size", 10, number},
	{"Seed (SHA-256)", 68, plain},
	{"Draw #", 8, number},
	{"Member", 24, wrapped},
	{"Kind", 12, plain},
	{"Name", 34, wrapped},
	{"Date", 11, plain},
	{"Key (HMAC-SHA256 of the id under the seed)", 68, plain},
	{"Auditor result", 16, auditor},
	{"Auditor comment", 40, auditor},
}

// samples writes one row per member of each sample, in draw order, with
// the sample's population, seed and size on every row so that a filter on
// a control shows the whole sample (docs/sampling.md tells how to draw it
// again).
func (wb *workbook) samples() error {
	t, err := newTable(wb.f, wb.st, SheetSamples, 1, sampleColumns)
	if err != nil {
		return err
	}
	for _, s := range wb.r.Samples {
		for i, m := range s.Members {
			err := t.add(s.Control, s.Of(), s.PopulationSize, s.Frequency, s.SizeBasis(), s.Size, s.Seed,
				i+1, m.ID, m.Kind, m.Name, m.Date, m.Key)
			if err != nil {
				return err
			}
		}
	}
	return t.close()
}
