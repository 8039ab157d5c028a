// Package facts reads what well-known security tools wrote: it recognises an
// evidence file by its content (never by its name) and extracts the facts
// it states (the TLS versions a server accepted, the open ports nmap saw,
// the open critical findings Trivy reported) in one documented vocabulary
// ([Vocabulary]), each with the place in the file it came from.
//
// A hash proves that a file was not changed; these facts prove that the
// file says what the manifest claims. Every parser is pure and streams its
// input: memory grows with the facts kept, not with the file.
package facts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Fact is one fact read from a file. At locates it: a JSON pointer
// ("/scanResult/0/protocols/3") or an XML path ("/nmaprun/host[2]/ports").
// Target names the host, image or resource the fact is about; an empty
// Target means the whole file.
type Fact struct {
	Name   string `json:"name"`
	Value  any    `json:"value"`
	At     string `json:"at"`
	Target string `json:"target,omitempty"`
}

// Read is what one file says.
type Read struct {
	// Format is the detected format's id ([Formats]); Tool the tool that
	// wrote the file, with its version where the file gives it.
	Format string `json:"format"`
	Tool   string `json:"tool"`
	// Facts holds the facts about the whole file (for a file of several
	// targets, each fact combines theirs as [Vocabulary] says), sorted by
	// name; Targets the per-target facts, sorted by target then name.
	Facts   []Fact `json:"facts"`
	Targets []Fact `json:"target_facts,omitempty"`
	// Covered lists every host, image or resource the file says it
	// covered, each with every name the file knows it by; the fact
	// scan.targets holds their primary names.
	Covered []Target `json:"covered,omitempty"`
	// Checks lists, for posture and rule-based scanners, each check the
	// tool ran with its outcome, sorted by check id.
	Checks []Check `json:"checks,omitempty"`
}

// Target is a host, image or resource a file covers. Name is its primary
// name, the one per-target facts carry (for TLS scans "host:port", the
// host name where the file gives one, else the address); Aliases are every
// other name the file gives it (addresses, the name without the port, an
// image's digest), so that an overlay may name it any of those ways.
type Target struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

// Check is one check of a posture or rule-based scanner (a Prowler check,
// a SARIF rule) and its outcome over the resources it looked at.
type Check struct {
	ID string `json:"id"`
	// Failed counts open failures; Passed counts resources that passed.
	Failed int `json:"failed"`
	Passed int `json:"passed"`
	// Requirements are the framework requirements the tool's own
	// compliance mapping links the check to ("pci-dss@4.0.1:1.3.1").
	Requirements []string `json:"requirements,omitempty"`
	At           string   `json:"at"`
}

// Fact returns the whole-file fact of that name.
func (r *Read) Fact(name string) (Fact, bool) {
	i := slices.IndexFunc(r.Facts, func(f Fact) bool { return f.Name == name })
	if i < 0 {
		return Fact{}, false
	}
	return r.Facts[i], true
}

// TargetFacts returns the facts about one target, by name.
func (r *Read) TargetFacts(target string) []Fact {
	var out []Fact
	for _, f := range r.Targets {
		if f.Target == target {
			out = append(out, f)
		}
	}
	return out
}

// Error is a file of a recognised format that cannot be read: truncated,
// malformed, or not what its first bytes promised. At is a JSON pointer or
// XML path where one is known; Offset the byte offset, Line the line.
type Error struct {
	Format string
	At     string
	Line   int
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Format)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	} else if e.Offset > 0 {
		fmt.Fprintf(&b, ": byte %d", e.Offset)
	}
	if e.At != "" {
		fmt.Fprintf(&b, " (at %s)", e.At)
	}
	b.WriteString(": ")
	var te *json.UnmarshalTypeError
	if errors.As(e.Err, &te) {
		// The decoder names Go types and struct fields; a user needs the
		// file's field and what it should have held.
		field := te.Field
		if i := strings.LastIndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		if field == "" {
			field = "a value"
		} else {
			field = strconv.Quote(field)
		}
		fmt.Fprintf(&b, "%s is a JSON %s, want %s", field, te.Value, jsonKind(te.Type.Kind()))
		return b.String()
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// jsonKind names the JSON type that decodes into a Go kind.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another type"
}

func (e *Error) Unwrap() error { return e.Err }

// HeadSize is how much of a file [Detect] looks at.
const HeadSize = 64 << 10

// WideHeadSize is how much of a JSON file [ReadAll] looks at when its
// first [HeadSize] bytes show no format's keys (a leading value may fill
// them).
const WideHeadSize = 4 << 20

// Detect names the format of a file from its first bytes (up to
// [HeadSize]), or returns "" when none of [Formats] recognises it.
func Detect(head []byte) string {
	for _, p := range parsers {
		if p.detect(head) {
			return p.id
		}
	}
	return ""
}

// Parse reads a file of the given format. The reader is consumed; a file
// that does not parse gives an [*Error].
func Parse(format string, r io.Reader) (*Read, error) {
	i := slices.IndexFunc(parsers, func(p parser) bool { return p.id == format })
	if i < 0 {
		return nil, fmt.Errorf("unknown evidence format %q", format)
	}
	p := parsers[i]
	if p.id == nmapID {
		r = &xmlGuard{r: r}
	} else {
		r = &jsonGuard{r: r}
	}
	read, err := p.parse(r)
	if err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			err = &Error{Format: p.id, Err: err}
		}
		return nil, err
	}
	read.Format = p.id
	finish(read)
	return read, nil
}

// ReadAll detects the format of r and parses it. A file no format
// recognises gives (nil, nil): most evidence (a PDF report, a screenshot)
// states nothing a machine can read.
func ReadAll(r io.Reader) (*Read, error) {
	br := headReaders.Get().(*bufio.Reader)
	br.Reset(r)
	read, err := readAll(br)
	// Only a reader that returned gives its buffer back: nothing it
	// returns points into it (parsers copy what they keep).
	br.Reset(nil)
	headReaders.Put(br)
	return read, err
}

// headReaders holds the readers of file heads, so that verifying a bundle
// of many small files does not allocate, and clear, a head buffer for each.
var headReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, HeadSize) }}

func readAll(br *bufio.Reader) (*Read, error) {
	l, err := skipLead(br)
	if err != nil {
		return nil, err
	}
	head, err := br.Peek(HeadSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	detectOn := head
	if len(l.decl) > 0 {
		detectOn = append(l.decl[:len(l.decl):len(l.decl)], head...)
	}
	format := Detect(detectOn)
	var rest io.Reader = br
	if format == "" && len(head) == HeadSize && (head[0] == '{' || head[0] == '[') {
		// A leading key whose value fills the head hides the keys
		// after it: look further, within a bound, before calling the
		// file unrecognised.
		wide := bufio.NewReaderSize(br, WideHeadSize)
		head, err = wide.Peek(WideHeadSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		format, rest = Detect(head), wide
	}
	if format == "" {
		return nil, nil
	}
	read, err := Parse(format, io.MultiReader(bytes.NewReader(l.decl), rest))
	return read, l.shift(err)
}

// finish combines per-target facts into whole-file ones where a parser did
// not state them itself, and sorts.
func finish(r *Read) {
	have := map[string]bool{}
	for _, f := range r.Facts {
		have[f.Name] = true
	}
	r.Facts = append(r.Facts, combine(r.Targets, have)...)
	slices.SortStableFunc(r.Facts, func(a, b Fact) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(r.Targets, func(a, b Fact) int {
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.SortStableFunc(r.Covered, func(a, b Target) int { return strings.Compare(a.Name, b.Name) })
	if _, ok := r.Fact("scan.targets"); !ok && len(r.Covered) > 0 {
		names := make([]string, len(r.Covered))
		for i, t := range r.Covered {
			names[i] = t.Name
		}
		r.Facts = append(r.Facts, Fact{Name: "scan.targets", Value: SortedList(names), At: "/"})
		slices.SortStableFunc(r.Facts, func(a, b Fact) int { return strings.Compare(a.Name, b.Name) })
	}
	slices.SortStableFunc(r.Checks, func(a, b Check) int { return strings.Compare(a.ID, b.ID) })
}
