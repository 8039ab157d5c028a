package resultsfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

func demo(t testing.TB, name string) ([]byte, *audit.Results) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "results", name))
	if err != nil {
		t.Fatal(err)
	}
	rd, err := Decode(name, bytes.NewReader(data), MaxSize, true)
	if err != nil {
		t.Fatal(err)
	}
	return data, rd.Results
}

// The committed demo results read back whole and write again as the same
// bytes: nothing is lost or reordered on the way.
func TestDemoRoundTrip(t *testing.T) {
	data, res := demo(t, "demo.json")
	again, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Fatalf("demo.json read and written again differs (%d vs %d bytes)", len(again), len(data))
	}
	if len(res.RuleResults) == 0 || len(res.Controls) == 0 || len(res.Evidence.Items) == 0 || len(res.Model.Components) == 0 {
		t.Fatalf("the demo lost its large arrays: %d results, %d controls", len(res.RuleResults), len(res.Controls))
	}
}

// The demo written as version 1 (before version 2 existed) reads as the
// very results its version 2 file holds: every field, to the byte, but
// the samples, which version 1 files were written without.
func TestVersion1ReadsAsVersion2(t *testing.T) {
	_, v1 := demo(t, "demo-v1.json")
	_, v2 := demo(t, "demo.json")
	if v1.SchemaVersion != SchemaV1 || v2.SchemaVersion != SchemaVersion {
		t.Fatalf("versions read: %q and %q", v1.SchemaVersion, v2.SchemaVersion)
	}
	if v1.Samples != nil || len(v2.Samples) == 0 {
		t.Fatalf("samples read: %d from version 1, %d from version 2", len(v1.Samples), len(v2.Samples))
	}
	// Version 1 predates evidence requests: it reads without them.
	if v1.Requests != nil || len(v2.Requests) == 0 {
		t.Fatalf("requests: v1 %v, v2 %d", v1.Requests, len(v2.Requests))
	}
	v1.SchemaVersion = v2.SchemaVersion
	withoutLaterFields(v2)
	a, _ := json.Marshal(v1)
	b, _ := json.Marshal(v2)
	if !bytes.Equal(a, b) {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Fatalf("v1 and v2 differ at byte %d: %.120s | %.120s", i, a[max(i-40, 0):], b[max(i-40, 0):])
	}
}

// Version 2 is a fraction of version 1 for the same results.
func TestVersion2IsSmaller(t *testing.T) {
	v1, _ := demo(t, "demo-v1.json")
	_, res := demo(t, "demo.json")
	withoutLaterFields(res)
	v2, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	if 2*len(v2) > len(v1) {
		t.Errorf("v2 is %d bytes, v1 %d: expected under half", len(v2), len(v1))
	}
}

// withoutLaterFields clears what results gained after the demo's version 1
// file was written (all optional), so the two compare like for like.
func withoutLaterFields(r *audit.Results) {
	r.Project.PreparedBy, r.Project.ReviewedBy = nil, nil
	r.Samples, r.Requests = nil, nil
	for i := range r.Controls {
		r.Controls[i].Applicability = nil
	}
	for i := range r.Rules {
		r.Rules[i].Procedure, r.Rules[i].AuditorSteps = nil, nil
	}
}

func TestSegmentsJoinToTheMessage(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want []string
	}{
		{"", nil},
		{"plain", []string{"plain"}},
		{`dataflow "A to B" is in scope`, []string{"dataflow ", `"A to B"`, " is in scope"}},
		{`"x""y"`, []string{`"x"`, `"y"`}},
		{`open "quote`, []string{"open ", `"quote`}},
		{`esc "a\"b" end`, []string{"esc ", `"a\"`, `b`, `" end`}},
	} {
		got := segments(tc.msg)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("segments(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}

func FuzzSegments(f *testing.F) {
	f.Add(`a "b" c "d`)
	f.Fuzz(func(t *testing.T, s string) {
		if got := strings.Join(segments(s), ""); got != s {
			t.Fatalf("segments of %q join to %q", s, got)
		}
	})
}

// A table index that points nowhere is refused with the place of the
// element that holds it.
func TestDanglingIndexIsRefusedWithItsPlace(t *testing.T) {
	data, _ := demo(t, "demo.json")
	lines := bytes.Split(data, []byte("\n"))
	at := -1
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte(`"rule_results":[`)) {
			at = i + 1
			break
		}
	}
	if at < 0 {
		t.Fatal("no rule_results line")
	}
	lines[at] = bytes.Replace(lines[at], []byte(`"element":`), []byte(`"element":99999`), 1)
	// keep the JSON valid: the old digits follow the new ones
	bad := bytes.Join(lines, []byte("\n"))
	_, err := Decode("r.json", bytes.NewReader(bad), MaxSize, false)
	if err == nil || !strings.Contains(err.Error(), "/rule_results/0") || !strings.Contains(err.Error(), "is not in /elements") {
		t.Fatalf("dangling element index: %v", err)
	}
}

// Every results.json reader refuses bad input with an error, never a
// panic, and what it accepts writes again.
func FuzzDecode(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "results", "demo.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"schema_version":"auditpack/results/v2","elements":[{"id":"a","kind":"dataflow","name":"A"}],"texts":["x"]}`))
	f.Add([]byte(`{"schema_version":"auditpack/results/v1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, full := range []bool{false, true} {
			rd, err := Decode("r.json", bytes.NewReader(b), 1<<24, full)
			if err != nil {
				continue
			}
			if full {
				if _, err := Encode(rd.Results); err != nil {
					t.Fatalf("accepted results do not encode: %v", err)
				}
			}
		}
	})
}

// Elements are checked on several cores, but the problem reported is the
// first in the file, with its own line.
func TestFirstProblemInTheFileIsReported(t *testing.T) {
	data, _ := demo(t, "demo.json")
	lines := bytes.Split(data, []byte("\n"))
	first := -1
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte(`"rule_results":[`)) {
			first = i + 1
			break
		}
	}
	for _, k := range []int{5, 3, 40} {
		lines[first+k] = bytes.Replace(lines[first+k], []byte(`"verdict":"`), []byte(`"verdict":"fine-`), 1)
	}
	bad := bytes.Join(lines, []byte("\n"))
	for range 5 {
		_, err := Decode("r.json", bytes.NewReader(bad), MaxSize, false)
		want := "r.json:" + strconv.Itoa(first+3+1) + ": at /rule_results/3/verdict"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, want %q", err, want)
		}
	}
}

// A short table entry that repeats a long text cannot spell a message of
// gigabytes: the message is bounded as a string of the file is.
func TestRepeatedTextsAreBounded(t *testing.T) {
	long := strings.Repeat("x", 1<<19)
	idx := strings.TrimSuffix(strings.Repeat("0,", 3), ",")
	doc := `{"schema_version":"auditpack/results/v2",` + "\n" +
		`"texts":["` + long + `"],` + "\n" +
		`"tables":{"reasons":[{"code":"in-scope","text":[` + idx + `]}]}}`
	_, err := Decode("r.json", strings.NewReader(doc), MaxSize, true)
	if err == nil || !strings.Contains(err.Error(), "/tables/reasons/0") || !strings.Contains(err.Error(), "longer than 1 MiB") {
		t.Fatalf("a message of three 512 KiB texts: %v", err)
	}
}

// A slimmed read keeps no rule result's ok evidence uses, but the items'
// users it tells, left out of a version 2 file, are those of every use.
func TestSlimmedReadKeepsEveryUser(t *testing.T) {
	for _, name := range []string{"demo.json", "demo-v1.json"} {
		data, full := demo(t, name)
		rd, err := Decode(name, bytes.NewReader(data), MaxSize, false)
		if err != nil {
			t.Fatal(err)
		}
		users := 0
		for i, it := range rd.Results.Evidence.Items {
			want := full.Evidence.Items[i]
			if strings.Join(it.UsedBy, "|") != strings.Join(want.UsedBy, "|") {
				t.Errorf("%s: item %s used by %q, want %q", name, it.ID, it.UsedBy, want.UsedBy)
			}
			users += len(it.UsedBy)
		}
		if users == 0 {
			t.Fatalf("%s: no item is used by anything", name)
		}
	}
}

// demoMembers splits the committed version 2 demo into its top-level
// members, in order, each without the comma that ends it.
func demoMembers(t *testing.T) []string {
	t.Helper()
	data, _ := demo(t, "demo.json")
	lines := strings.Split(strings.TrimSuffix(string(data), "\n}\n"), "\n")[1:]
	var starts []int
	for _, key := range []string{"schema_version", "tool", "project", "inputs", "rule_sets", "frameworks", "summary",
		"rules", "elements", "texts", "tables", "rule_results", "controls", "evidence", "exceptions", "model", "scope",
		"threats", "warnings", "requests"} {
		i := 0
		if len(starts) > 0 {
			i = starts[len(starts)-1] + 1
		}
		for i < len(lines) && !strings.HasPrefix(lines[i], `"`+key+`":`) {
			i++
		}
		if i == len(lines) {
			t.Fatalf("no member %s", key)
		}
		starts = append(starts, i)
	}
	out := make([]string, len(starts))
	for k, i := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		out[k] = strings.TrimSuffix(strings.Join(lines[i:end], "\n"), ",")
	}
	return out
}

func joinMembers(ms []string) []byte {
	return []byte("{\n" + strings.Join(ms, ",\n") + "\n}\n")
}

// Members out of order, or a finding that says more than its rule result,
// are refused rather than read as other results than those written.
func TestMisleadingFilesAreRefused(t *testing.T) {
	ms := demoMembers(t)
	if !strings.HasPrefix(ms[0], `"schema_version"`) {
		t.Fatalf("demo members: %.40q", ms[0])
	}
	if _, err := Decode("r.json", bytes.NewReader(joinMembers(ms)), MaxSize, false); err != nil {
		t.Fatalf("the demo split and joined again: %v", err)
	}
	index := func(key string) int {
		for i, m := range ms {
			if strings.HasPrefix(m, `"`+key+`":`) {
				return i
			}
		}
		t.Fatalf("no member %s", key)
		return -1
	}
	r, e := index("rule_results"), index("evidence")
	swapped := slices.Insert(slices.Delete(slices.Clone(ms), e, e+1), r, ms[e])
	forged := slices.Clone(ms)
	c := index("controls")
	forged[c] = strings.Replace(forged[c], `"findings":[{"result":`, `"findings":[{"rule":"forged","result":`, 1)
	if forged[c] == ms[c] {
		t.Fatal("no finding to forge")
	}
	for _, tc := range []struct {
		name string
		doc  []byte
		want string
	}{
		{"evidence before rule results", joinMembers(swapped), "/rule_results/0: a rule result after /evidence/items"},
		{"finding naming a rule besides its result", joinMembers(forged), "takes its rule and element from it"},
	} {
		for _, full := range []bool{false, true} {
			_, err := Decode("r.json", bytes.NewReader(tc.doc), MaxSize, full)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s (full %v): got %v, want %q", tc.name, full, err, tc.want)
			}
		}
	}
}

// endless yields head, then filler forever, counting what was read, and
// fails once far more than one value's bound was read.
type endless struct {
	head []byte
	n    int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n > 4*maxWindow {
		return 0, errors.New("read far past the bound of one value")
	}
	k := 0
	if e.n < int64(len(e.head)) {
		k = copy(p, e.head[e.n:])
	}
	for i := k; i < len(p); i++ {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}

// A value larger than one value may be is refused once its bound is
// read, with its place, not after the whole of it was buffered.
func TestHugeValueIsRefusedEarly(t *testing.T) {
	for _, tc := range []struct{ head, want string }{
		{`{"schema_version":"auditpack/results/v2",` + "\n" + `"project":"`, `r.json:2: at /project: a value is larger than 64 MiB`},
		{`{"schema_version":"auditpack/results/v2",` + "\n" + `"model":{"components":[` + "\n" + `{},"`, `r.json:3: at /model/components/1: a value is larger than 64 MiB`},
		{`{"schema_version":"auditpack/results/v2",` + "\n" + `"`, `r.json:2: a value is larger than 64 MiB`},
	} {
		r := &endless{head: []byte(tc.head)}
		_, err := Decode("r.json", r, MaxSize, false)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%.60q…: got %v, want %q", tc.head, err, tc.want)
		}
		if r.n > maxWindow+2*readChunk {
			t.Errorf("%.60q…: read %d bytes", tc.head, r.n)
		}
	}
}

// A version 1 file whose schema_version comes last had its large arrays
// checked and kept as version 2's: it is refused for that, by name.
func TestLateVersion1IsRefused(t *testing.T) {
	data, _ := demo(t, "demo-v1.json")
	const member = `  "schema_version": "auditpack/results/v1",` + "\n"
	doc := string(data)
	if !strings.HasPrefix(doc, "{\n"+member) || !strings.HasSuffix(doc, "\n}\n") {
		t.Fatalf("demo-v1.json starts %.60q", doc)
	}
	doc = "{\n" + strings.TrimSuffix(doc[len("{\n"+member):], "\n}\n") + ",\n" + strings.TrimSuffix(member, ",\n") + "\n}\n"
	_, err := Decode("r.json", strings.NewReader(doc), MaxSize, false)
	if err == nil || !strings.Contains(err.Error(), "at /schema_version: \"auditpack/results/v1\" comes after large arrays") {
		t.Fatalf("version 1 named last: %v", err)
	}
	// Named last, the current version reads as when named first.
	v2, _ := demo(t, "demo.json")
	lines := strings.SplitN(string(v2), "\n", 3)
	late := "{\n" + strings.TrimSuffix(lines[2], "\n}\n") + ",\n" + strings.TrimSuffix(lines[1], ",") + "\n}\n"
	if _, err := Decode("r.json", strings.NewReader(late), MaxSize, false); err != nil {
		t.Fatalf("version 2 named last: %v", err)
	}
}

// Rule results that name one evidence use 400,000 times are refused
// once what they name outgrows the file, not copied as often.
func TestRepeatedIndexesAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"schema_version":"auditpack/results/v2",` + "\n" + `"elements":[{"id":"","kind":"system","name":""}],` + "\n" +
		`"texts":["x"],` + "\n" + `"tables":{"reasons":[{"code":"in-scope","text":[0]}],"evidence":[`)
	for i := range 101 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"requirement":"r","item":"e","title":"t","kind":"k","collected_at":"","age_days":0,"files":[],"status":"missing"}`)
	}
	b.WriteString("]},\n" + `"rule_results":[`)
	uses := strings.TrimSuffix(strings.Repeat("100,", 100_000), ",")
	for i := range 4 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"rule":"r","element":0,"verdict":"needs-evidence","reasons":[0],"evidence":[` + uses + `]}`)
	}
	b.WriteString("]}\n")
	_, err := Decode("r.json", strings.NewReader(b.String()), MaxSize, false)
	if err == nil || !strings.Contains(err.Error(), "/rule_results/") || !strings.Contains(err.Error(), "MiB of table entries, more than 16 times") {
		t.Fatalf("a use named 400,000 times: %v", err)
	}
}

// Results not sorted by rule and element (the evaluator sorts them; a
// caller need not) still tell each finding by its own rule result.
func TestUnsortedResultsRoundTrip(t *testing.T) {
	_, res := demo(t, "demo.json")
	slices.Reverse(res.RuleResults)
	data, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := Decode("r.json", bytes.NewReader(data), MaxSize, true)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(res)
	got, _ := json.Marshal(rd.Results)
	if !bytes.Equal(got, want) {
		t.Fatal("unsorted results read back differ")
	}
	if bytes.Contains(data, []byte(`"result":-1`)) {
		t.Error("a finding was written without its rule result")
	}
}
