package threatmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
	"github.com/auditpack/auditpack/audit/threatmodel/otm"
	"github.com/auditpack/auditpack/audit/threatmodel/threagile"
	"github.com/auditpack/auditpack/audit/threatmodel/threatdragon"
	"github.com/auditpack/auditpack/audit/threatmodel/tmt"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"go.yaml.in/yaml/v3"
)

// signature says, for each format, which top-level fields make a file look
// like it (keys) and what its detector needs to claim it (needs). A file
// that no detector claims but that has such a field is given to that
// importer anyway, only to say why it refuses: "format not recognised"
// alone hides a typo in the one field that matters.
var signatures = []struct {
	format string
	keys   []string
	needs  string
}{
	{"auditpack", []string{"schema"}, "schema: " + native.SchemaVersion},
	{otm.Format, []string{"otmVersion", "project"}, "otmVersion, or project with trustZones, components or dataflows"},
	{threatdragon.Format, []string{"summary", "detail"}, "summary with detail.diagrams"},
	{threagile.FormatName, []string{"threagile_version", "technical_assets"}, "threagile_version"},
	{tmt.FormatName, nil, "an XML ThreatModel root in the Threat Modeling Tool's namespace"},
}

// unrecognised explains why no importer claimed data. A file that does not
// parse as JSON or YAML gets its syntax error, with line and column; one
// that parses gets the refusal of each importer whose fields it has, or,
// when it has none, what each importer looks for.
func unrecognised(fsys fs.FS, name string, data []byte) error {
	body := importer.TrimBOM(data)
	var keys map[string]bool
	t := bytes.TrimLeft(body, " \t\r\n")
	if len(t) == 0 {
		return &FormatError{File: name, Reason: "the file is empty"}
	}
	xml := len(t) > 0 && t[0] == '<' // only the TMT importer reads XML
	if !xml {
		var err *FormatError
		if keys, err = topKeys(body); err != nil {
			err.File = name
			return err
		}
	}
	var refusals []error
	var formats []string
	for _, sig := range signatures {
		plausible := sig.keys == nil && xml
		for _, k := range sig.keys {
			plausible = plausible || keys[k]
		}
		if !plausible {
			continue
		}
		f := formatNamed(sig.format)
		_, err := f.Decode(fsys, name, data)
		switch {
		case err == nil:
			err = importer.Errorf(name, "has %s fields but not what marks the format: %s", f.Name, sig.needs)
		case errors.Is(err, importer.ErrInternal):
			return err
		}
		refusals = append(refusals, &ImportError{Format: f.Name, Err: err})
		formats = append(formats, f.Name)
	}
	if len(refusals) == 0 {
		needs := make([]string, len(signatures))
		for i, sig := range signatures {
			needs[i] = sig.format + " (" + sig.needs + ")"
		}
		return &FormatError{File: name, Reason: "format not recognised: it has none of the fields that mark " + strings.Join(needs, ", ")}
	}
	return &FormatError{File: name, Reason: "format not recognised; it looks like " + strings.Join(formats, " or ") + ", which refused it",
		Err: errors.Join(refusals...)}
}

func formatNamed(name string) Format {
	for _, f := range Formats {
		if f.Name == name {
			return f
		}
	}
	panic("threatmodel: no format " + name)
}

// topKeys parses data as JSON (when it starts with a brace or bracket) or
// YAML and returns the keys of its top-level mapping. A syntax error is
// returned with its line and column and without a file name.
func topKeys(data []byte) (map[string]bool, *FormatError) {
	if line, col, ok := invalidUTF8(data); ok {
		return nil, &FormatError{Line: line, Column: col, Reason: fmt.Sprintf("byte 0x%02X is not valid UTF-8", data[offset(data, line, col)])}
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return jsonKeys(data)
	}
	return yamlKeys(data)
}

func jsonKeys(data []byte) (map[string]bool, *FormatError) {
	if err := schemadoc.ScanJSON("", data, schemadoc.DefaultLimits); err != nil {
		return nil, limitError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	err := dec.Decode(&raw)
	if err == nil && dec.More() {
		off := int(dec.InputOffset())
		line, col := position(data, off+1)
		return nil, &FormatError{Line: line, Column: col, Reason: "invalid JSON: data after the top-level value"}
	}
	if err != nil {
		var se *json.SyntaxError
		off := len(data)
		if errors.As(err, &se) {
			off = int(se.Offset)
		}
		line, col := position(data, off)
		return nil, &FormatError{Line: line, Column: col, Reason: "invalid JSON: " + err.Error()}
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return map[string]bool{}, nil // an array or a scalar: no fields
	}
	keys := make(map[string]bool, len(top))
	for k := range top {
		keys[k] = true
	}
	return keys, nil
}

func yamlKeys(data []byte) (map[string]bool, *FormatError) {
	if err := schemadoc.ScanYAML("", data, schemadoc.DefaultLimits); err != nil {
		return nil, limitError(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, col := locateYAML(data, err)
		return nil, &FormatError{Line: line, Column: col, Reason: "invalid YAML: " + yamlProblem(err)}
	}
	if err := schemadoc.CheckNode("", &root, schemadoc.YAMLWeight(data), schemadoc.DefaultLimits); err != nil {
		return nil, limitError(err)
	}
	keys := map[string]bool{}
	if len(root.Content) == 1 && root.Content[0].Kind == yaml.MappingNode {
		top := root.Content[0].Content
		for i := 0; i+1 < len(top); i += 2 {
			keys[top[i].Value] = true
		}
	}
	return keys, nil
}

// limitError places a document refused by its limits (see
// [schemadoc.Limits]): even the look at its fields is bounded.
func limitError(err error) *FormatError {
	var se *schemadoc.Error
	if errors.As(err, &se) && len(se.Problems) > 0 {
		return &FormatError{Line: se.Problems[0].Line, Reason: se.Problems[0].Message}
	}
	return &FormatError{Reason: err.Error()}
}

// yamlProblem is the YAML parser's message without its "yaml: line N: "
// prefix, whose line is where the enclosing construct starts, often far
// above the mistake (see locateYAML).
func yamlProblem(err error) string {
	msg := schemadoc.WithoutContent(strings.TrimPrefix(err.Error(), "yaml: "))
	if strings.HasPrefix(msg, "line ") {
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			return rest
		}
	}
	return msg
}

// maxLocate bounds the documents whose syntax errors are located by
// reparsing prefixes (real models are far smaller); larger ones keep the
// parser's own line.
const maxLocate = 256 << 10

// readAhead is more than the YAML parser reads beyond the byte it fails on
// (chunks of 512 bytes, and up to 1024 characters looking for a key).
const readAhead = 8 << 10

// locateYAML finds where a YAML syntax error is. The parser reports the line
// where the enclosing block starts (a stray ",, ]" on line 21 of a list that
// starts on line 14 is reported at 14), so the place is found as the
// shortest prefix of the document that fails in the same way: first by
// whole lines, from the reported line to the last the parser read, then by
// bytes within the line. Each step is a parse of a prefix, and there are
// about log2 of the lines searched plus log2 of the line's length of them.
func locateYAML(data []byte, err error) (line, col int) {
	line = yamlLine(err)
	if len(data) > maxLocate {
		return line, 0
	}
	same := func(n int) bool {
		var root yaml.Node
		e := yaml.Unmarshal(data[:n], &root)
		return e != nil && e.Error() == err.Error()
	}
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	end := func(l int) int { // end of the first l lines
		if l < len(starts) {
			return starts[l]
		}
		return len(data)
	}
	// The smallest l with same(end(l)) is in [lo, hi]: the mistake is not
	// above the line the parser names, nor below what it read.
	lo, hi := max(line, 1), len(starts)
	// The parser reads ahead little, so the mistake is near the end of what
	// it read; both bounds are checked before they are used.
	read := readBeforeFailing(data)
	if l := lineOf(starts, read); read < len(data) && l >= lo && same(end(l)) {
		hi = l
	}
	if !same(end(hi)) {
		return line, 0
	}
	if l := lineOf(starts, read-readAhead); l > lo && l < hi && !same(end(l)) {
		lo = l + 1
	}
	for lo < hi {
		if mid := (lo + hi) / 2; same(end(mid)) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	a, b := starts[lo-1]+1, end(lo) // the smallest n in (start, end] with same(n)
	if read > a && read < b && same(read) {
		b = read
	}
	if k := b - readAhead; k > a && !same(k) {
		a = k + 1
	}
	for a < b {
		if mid := (a + b) / 2; same(mid) {
			b = mid
		} else {
			a = mid + 1
		}
	}
	return position(data, b)
}

// readBeforeFailing is how many bytes of data the YAML parser had read when
// it failed: it reads in small chunks, so this bounds the mistake from
// below at little cost.
func readBeforeFailing(data []byte) int {
	r := &countingReader{data: data}
	var root yaml.Node
	yaml.NewDecoder(r).Decode(&root)
	return r.n
}

type countingReader struct {
	data []byte
	n    int
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.n >= len(r.data) {
		return 0, io.EOF
	}
	k := copy(p, r.data[r.n:])
	r.n += k
	return k, nil
}

// lineOf is the 1-based number of the line holding byte off.
func lineOf(starts []int, off int) int {
	l, _ := slices.BinarySearch(starts, off+1)
	return l
}

// yamlLine is the line in the parser's "yaml: line N: " prefix, or 0.
func yamlLine(err error) int {
	var n int
	if _, e := fmt.Sscanf(err.Error(), "yaml: line %d:", &n); e != nil {
		return 0
	}
	return n
}

// position gives the 1-based line and column of the byte before offset off
// (the last byte a parser read before failing).
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 1), len(data))
	if len(data) == 0 {
		return 1, 1
	}
	head := data[:off-1]
	line = 1 + bytes.Count(head, []byte("\n"))
	col = 1 + utf8.RuneCount(head[bytes.LastIndexByte(head, '\n')+1:])
	return line, col
}

// invalidUTF8 gives the line and column (in characters) of the first byte
// that is not UTF-8.
func invalidUTF8(data []byte) (line, col int, bad bool) {
	// A UTF-16 byte order mark is left to the YAML parser, which reads it.
	if utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return 0, 0, false
	}
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, col, true
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		i += n
		col++
	}
	return 0, 0, false
}

// offset is the byte offset of a line and column found by invalidUTF8.
func offset(data []byte, line, col int) int {
	i := 0
	for l := 1; l < line; l++ {
		i += bytes.IndexByte(data[i:], '\n') + 1
	}
	for c := 1; c < col; c++ {
		_, n := utf8.DecodeRune(data[i:])
		i += n
	}
	return i
}
