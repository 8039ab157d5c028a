package resultsfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"unicode/utf8"
)

// tracker passes a results.json stream through, hashing it, bounding it
// and keeping the bytes since the last mark, so that a problem found in a
// file read once, in pieces, can still be given its line and column.
type tracker struct {
	r   io.Reader
	sum hash.Hash
	n   int64 // bytes read so far, after any skipped
	// skipped counts the bytes before the stream (a byte order mark):
	// hashed, never decoded.
	skipped int64
	limit   int64
	buf     []byte // buf[head:] are the bytes from base to n
	head    int
	base    int64
	line    int // line of the byte at base, 1-based
	col     int // characters before base on its line
}

func newTracker(r io.Reader, limit int64) *tracker {
	return &tracker{r: r, sum: sha256.New(), limit: limit, line: 1}
}

// errResultsTooLarge is a results.json beyond MaxSize.
var errResultsTooLarge = fmt.Errorf("larger than %d GiB", MaxSize>>30)

func (t *tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.sum.Write(p[:n])
	if t.head > len(t.buf)/2 { // compact now and then, not at every mark
		t.buf = append(t.buf[:0], t.buf[t.head:]...)
		t.head = 0
	}
	t.buf = append(t.buf, p[:n]...)
	t.n += int64(n)
	if t.n > t.limit {
		return n, errResultsTooLarge
	}
	return n, err
}

// mark forgets the bytes before off, which no problem will point into.
func (t *tracker) mark(off int64) {
	kept := t.buf[t.head:]
	k := int(min(max(off-t.base, 0), int64(len(kept))))
	t.line, t.col = t.advance(kept[:k])
	t.head += k
	t.base += int64(k)
}

// advance returns the line and column after seg, read from base.
func (t *tracker) advance(seg []byte) (int, int) {
	nl := bytes.Count(seg, []byte("\n"))
	if nl == 0 {
		return t.line, t.col + utf8.RuneCount(seg)
	}
	return t.line + nl, utf8.RuneCount(seg[bytes.LastIndexByte(seg, '\n')+1:])
}

// pos is the line and 1-based column of the byte at off, at or after the
// last mark.
func (t *tracker) pos(off int64) (int, int) {
	kept := t.buf[t.head:]
	k := int(min(max(off-t.base, 0), int64(len(kept))))
	line, col := t.advance(kept[:k])
	return line, col + 1
}

// from returns the bytes kept from off on.
func (t *tracker) from(off int64) []byte {
	kept := t.buf[t.head:]
	return kept[min(max(off-t.base, 0), int64(len(kept))):]
}

// hexSum is the SHA-256 of the bytes read so far.
func (t *tracker) hexSum() string { return hex.EncodeToString(t.sum.Sum(nil)) }
