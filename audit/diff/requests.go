package diff

import "github.com/auditpack/auditpack/audit"

// RequestChanges says what became of the old results' evidence requests:
// Answered are those the new results no longer make, because no result
// needs that evidence any more; StillOpen those both make (as the new
// results state them); New those only the new results make. Each list
// keeps the results' order and is never nil.
type RequestChanges struct {
	Answered  []audit.EvidenceRequest `json:"answered"`
	StillOpen []audit.EvidenceRequest `json:"still_open"`
	New       []audit.EvidenceRequest `json:"new"`
}

// requestChanges compares the requests by id. Results written before
// requests existed carry none, and then nothing can be said: nil.
func requestChanges(old, new *audit.Results) *RequestChanges {
	if old.Requests == nil || new.Requests == nil {
		return nil
	}
	inNew := map[string]bool{}
	for _, r := range new.Requests {
		inNew[r.ID] = true
	}
	inOld := map[string]bool{}
	c := &RequestChanges{Answered: []audit.EvidenceRequest{}, StillOpen: []audit.EvidenceRequest{}, New: []audit.EvidenceRequest{}}
	for _, r := range old.Requests {
		inOld[r.ID] = true
		if !inNew[r.ID] {
			c.Answered = append(c.Answered, r)
		}
	}
	for _, r := range new.Requests {
		if inOld[r.ID] {
			c.StillOpen = append(c.StillOpen, r)
		} else {
			c.New = append(c.New, r)
		}
	}
	return c
}
