package oscal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/jsonindent"
)

// On a large model the observations are most of the document: over a
// gigabyte for 50,000 flows. Encoding the whole document at once marshals
// it into one growing buffer, then indents that into a second one. Instead,
// each large array is set aside and replaced by a single stand-in element;
// the rest of the document, now small, is encoded as usual; and the
// elements of each array are encoded in chunks on every core and written in
// place of its stand-in, in order, each chunk as soon as those before it
// are written. The observations are not even kept: the worker encoding one
// makes it. Each element is encoded compactly and laid out by
// [jsonindent.Append], which does what encoding/json's indentation does at
// a fraction of the cost. The bytes are exactly those of encoding the whole
// at once.

// part is a large array of the document, encoded apart from the rest.
type part struct {
	stand  any    // the array's only element in the skeleton
	mark   string // the stand-in's uuid, which no real UUID can equal
	n      int    // the number of elements
	encode func(enc *json.Encoder, i int) error
}

// mark is the uuid of the stand-in of the i-th part. A NUL never occurs in
// a UUID, and encoding/json writes it as \u0000, so the skeleton cannot
// hold the mark anywhere else.
func mark(i int) string { return "\x00" + strconv.Itoa(i) }

// setAside replaces the elements of *s by a stand-in made by stand, and
// adds the elements to parts. An empty array stays as it is: encoded whole
// it is omitted or written [] by the skeleton itself.
func setAside[T any](parts []part, s *[]T, stand func(uuid string) T) []part {
	elems := *s
	if len(elems) == 0 {
		return parts
	}
	m := mark(len(parts))
	*s = []T{stand(m)}
	return append(parts, part{stand: (*s)[0], mark: m, n: len(elems),
		encode: func(enc *json.Encoder, i int) error { return enc.Encode(&elems[i]) }})
}

// encodeDocument writes the document of r to w; split tells whether its
// large arrays were encoded apart, as they always should be.
func encodeDocument(w io.Writer, r *audit.Results) (split bool, err error) {
	b := newBuilder(r)
	doc := b.document()
	res := &doc.AssessmentResults.Results[0]
	parts := setAside(nil, &res.LocalDefinitions.Components, func(id string) Component { return Component{UUID: id} })
	if n := len(r.RuleResults); n > 0 {
		m := mark(len(parts))
		res.Observations = []Observation{{UUID: m}}
		parts = append(parts, part{stand: res.Observations[0], mark: m, n: n,
			encode: func(enc *json.Encoder, i int) error {
				o := b.observation(&r.RuleResults[i])
				return enc.Encode(&o)
			}})
	}
	parts = setAside(parts, &res.Risks, func(id string) Risk { return Risk{UUID: id} })
	parts = setAside(parts, &res.Findings, func(id string) Finding { return Finding{UUID: id} })
	if bm := doc.AssessmentResults.BackMatter; bm != nil {
		parts = setAside(parts, &bm.Resources, func(id string) Resource { return Resource{UUID: id} })
	}
	skeleton, err := encodeIndented(doc, "")
	if err != nil {
		return false, err
	}
	slots, ok := place(skeleton, parts)
	if !ok {
		// Only a change to the document's types could hide a stand-in;
		// rather than write wrong bytes, encode the whole as it was.
		whole, err := encodeIndented(Build(r), "")
		if err == nil {
			_, err = w.Write(whole)
		}
		return false, err
	}
	at := 0
	spare := make(chan []byte, 2*runtime.GOMAXPROCS(0)) // chunk buffers written out, to reuse
	for i, p := range parts {
		if _, err := w.Write(skeleton[at:slots[i].start]); err != nil {
			return true, err
		}
		if err := writeElements(w, p, slots[i].prefix, spare); err != nil {
			return true, err
		}
		at = slots[i].end
	}
	_, err = w.Write(skeleton[at:])
	return true, err
}

// encodeIndented encodes v as Render does, indented with prefix before
// every line but the first, and a final newline.
func encodeIndented(v any, prefix string) ([]byte, error) {
	out, err := jsonindent.Encode(nil, v, prefix, "  ")
	if err != nil {
		return nil, fmt.Errorf("encode oscal: %w", err)
	}
	return out, nil
}

// slot is where a part's stand-in lies in the skeleton, and the prefix of
// the lines of its elements.
type slot struct {
	start, end int
	prefix     string
}

// place finds the stand-in of every part in the skeleton, in order. The
// prefix of an element's lines is read off the indentation of the
// stand-in's uuid, the element's first key; the stand-in encoded alone with
// that prefix must then be exactly what the skeleton holds, or the parts
// cannot be spliced in (ok is false).
func place(skeleton []byte, parts []part) (slots []slot, ok bool) {
	at := 0
	for _, p := range parts {
		m, err := json.Marshal(p.mark)
		if err != nil {
			return nil, false
		}
		key := append([]byte(`"uuid": `), m...)
		if bytes.Count(skeleton, key) != 1 {
			return nil, false
		}
		i := bytes.Index(skeleton, key)
		line := bytes.LastIndexByte(skeleton[:i], '\n') + 1
		lead := skeleton[line:i]
		if len(lead) < 2 || len(bytes.TrimLeft(lead, " ")) > 0 {
			return nil, false
		}
		prefix := string(lead[2:])
		stand, err := encodeIndented(p.stand, prefix)
		if err != nil {
			return nil, false
		}
		stand = append([]byte(prefix), bytes.TrimSuffix(stand, []byte("\n"))...)
		start := line - len(prefix) - len("{\n")
		if start < at || !bytes.HasPrefix(skeleton[start:], stand) {
			return nil, false
		}
		at = start + len(stand)
		slots = append(slots, slot{start: start, end: at, prefix: prefix})
	}
	return slots, true
}

// chunkSize is how many consecutive elements a worker encodes at a time:
// a few hundred kilobytes of observations.
const chunkSize = 64

// writeElements writes the elements of a part to w, each line prefixed by
// prefix and the elements separated by ",\n", as they stand in the whole
// document. Workers encode chunks of consecutive elements; at most a few
// chunks per worker are encoded ahead of the one being written, so memory
// stays bounded whatever the size of the array. Chunk buffers are taken
// from spare, and put back once written.
func writeElements(w io.Writer, p part, prefix string, spare chan []byte) error {
	chunks := (p.n + chunkSize - 1) / chunkSize
	workers := min(runtime.GOMAXPROCS(0), chunks)
	ahead := 2 * workers
	type chunk struct {
		data []byte
		err  error
	}
	type job struct {
		i    int
		done chan<- chunk
	}
	jobs := make(chan job, ahead) // never full: at most ahead chunks are pending
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var one bytes.Buffer // one element, compact
			enc := json.NewEncoder(&one)
			enc.SetEscapeHTML(false)
			for j := range jobs {
				var data []byte
				select {
				case data = <-spare:
				default:
				}
				data, err := encodeChunk(data[:0], enc, &one, p, j.i, prefix)
				j.done <- chunk{data, err}
			}
		}()
	}
	var err error
	var pending []chan chunk // in order
	for next := 0; err == nil && (next < chunks || len(pending) > 0); {
		for ; next < chunks && len(pending) < ahead; next++ {
			done := make(chan chunk, 1)
			jobs <- job{next, done}
			pending = append(pending, done)
		}
		c := <-pending[0]
		pending = pending[1:]
		if err = c.err; err == nil {
			_, err = w.Write(c.data)
		}
		select {
		case spare <- c.data:
		default:
		}
	}
	close(jobs) // after an error, the workers finish the few jobs queued
	wg.Wait()
	return err
}

// encodeChunk appends the c-th chunk of a part's elements to dst: each
// element indented with its lines prefixed, and each but the part's first
// preceded by ",\n". enc encodes compactly, without HTML escaping, into
// one.
func encodeChunk(dst []byte, enc *json.Encoder, one *bytes.Buffer, p part, c int, prefix string) ([]byte, error) {
	for i := c * chunkSize; i < min((c+1)*chunkSize, p.n); i++ {
		if i > 0 {
			dst = append(dst, ",\n"...)
		}
		dst = append(dst, prefix...)
		one.Reset()
		if err := p.encode(enc, i); err != nil {
			return dst, fmt.Errorf("encode oscal: %w", err)
		}
		var err error
		if dst, err = jsonindent.Append(dst, bytes.TrimSuffix(one.Bytes(), []byte("\n")), prefix, "  "); err != nil {
			return dst, fmt.Errorf("encode oscal: %w", err)
		}
	}
	return dst, nil
}
