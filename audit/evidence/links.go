package evidence

import (
	"io/fs"
	"slices"
)

// linkCounter finds hard links that leave a bundle: a regular file whose
// link count is larger than the number of names it has inside the bundle.
// Links between two files of the bundle are harmless and not reported.
type linkCounter struct {
	inside map[fileID]int
	paths  map[fileID][]string
	nlink  map[fileID]uint64
}

func newLinkCounter() *linkCounter {
	return &linkCounter{inside: map[fileID]int{}, paths: map[fileID][]string{}, nlink: map[fileID]uint64{}}
}

func (c *linkCounter) add(p string, fi fs.FileInfo) {
	id, n, ok := linkInfo(fi)
	if !ok || n < 2 {
		return
	}
	c.inside[id]++
	c.paths[id] = append(c.paths[id], p)
	c.nlink[id] = n
}

// outside lists the paths of files with links outside the bundle, sorted.
func (c *linkCounter) outside() []string {
	var out []string
	for id, n := range c.nlink {
		if n > uint64(c.inside[id]) {
			out = append(out, c.paths[id]...)
		}
	}
	slices.Sort(out)
	return out
}
