package evidence

// Disqualifying returns the problem that stops the item from counting, if
// one does: a missing or changed file first, as the gravest, else the first
// disqualifying problem. Problems that do not disqualify (a stated fact the
// file contradicts, a date the file corrects) are never returned.
func (s *ItemStatus) Disqualifying() (Problem, bool) {
	var first *Problem
	for i, p := range s.Problems {
		if !p.Disqualifies() {
			continue
		}
		if p.Type == HashMismatch || p.Type == MissingFile {
			return p, true
		}
		if first == nil {
			first = &s.Problems[i]
		}
	}
	if first == nil {
		return Problem{}, false
	}
	return *first, true
}
