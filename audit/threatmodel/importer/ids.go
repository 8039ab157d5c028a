package importer

import "strconv"

// IDs hands out model ids that are unique across every element kind of one
// import. Exports reuse ids freely (a copied diagram repeats all of them),
// while the common model needs each id once. The zero value is ready to use.
type IDs struct {
	used map[string]bool
	// next is the next suffix to try for an id already taken, so that many
	// copies of one id cost linear time, not quadratic.
	next map[string]int
}

// Used reports whether id has already been handed out.
func (a *IDs) Used(id string) bool {
	return a.used[id]
}

// Take reserves id if it is still free and reports whether it was. Importers
// with their own scheme for a taken id (a prefix, or refusing the element)
// build it on Take.
func (a *IDs) Take(id string) bool {
	if a.used[id] {
		return false
	}
	if a.used == nil {
		a.used = map[string]bool{}
	}
	a.used[id] = true
	return true
}

// Claim reserves id, or the first of id-2, id-3, … that is still free, and
// returns the id reserved.
func (a *IDs) Claim(id string) string {
	if a.next == nil {
		a.next = map[string]int{}
	}
	out := id
	for n := max(a.next[id], 2); a.used[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
		a.next[id] = n + 1
	}
	a.Take(out)
	return out
}
