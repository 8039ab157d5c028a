package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// fakeReads stands in for the format parsers: a file that starts with
// "FAKE" reads as one TLS scan of two hosts, scanned on the date that
// follows; "BROKEN" is a recognised file that does not parse; anything
// else is not recognised. It reads only the first line, as a parser that
// stops early would.
func fakeReads(r io.Reader) (*facts.Read, error) {
	head := make([]byte, 32)
	n, _ := io.ReadFull(r, head)
	line, _, _ := bytes.Cut(head[:n], []byte("\n"))
	switch {
	case bytes.HasPrefix(line, []byte("BROKEN")):
		return nil, &facts.Error{Format: "testssl-json", Line: 7, At: "/scanResult/0", Err: io.ErrUnexpectedEOF}
	case !bytes.HasPrefix(line, []byte("FAKE")):
		return nil, nil
	}
	date := strings.TrimSpace(string(line[len("FAKE"):]))
	return &facts.Read{Format: "testssl-json", Tool: "testssl.sh 3.2",
		Facts: []facts.Fact{
			{Name: "scan.date", Value: date, At: "/startTime"},
			{Name: "tls.min_version", Value: "1.0", At: "/scanResult/0/protocols"},
			{Name: "tls.protocols_offered", Value: []string{"1.0", "1.2"}, At: "/scanResult/0/protocols"},
		},
		Targets: []facts.Fact{
			{Name: "tls.min_version", Value: "1.0", At: "/scanResult/0/protocols", Target: "a.example:443"},
			{Name: "tls.min_version", Value: "1.2", At: "/scanResult/1/protocols", Target: "b.example:443"},
		},
		Covered: []facts.Target{{Name: "a.example:443", Aliases: []string{"10.0.0.1", "a.example"}}, {Name: "b.example:443"}},
	}, nil
}

// factBundle is a bundle of one item with one file, and the item's
// manifest keys (besides id, title, kind, files, supports) in YAML flow
// style.
func factBundle(content, keys string) fstest.MapFS {
	m := fmt.Sprintf("schema: auditpack/evidence/v1\nitems:\n  - {id: EV-1, title: t, kind: scan-result, %s,\n     files: [{path: scan.json, sha256: %s}], supports: [{rule: r}]}\n", keys, sum(content))
	return fstest.MapFS{"scan.json": {Data: []byte(content)}, "manifest.yaml": {Data: []byte(m)}}
}

func problemsOf(x *Index, t ProblemType) []Problem {
	var out []Problem
	for _, p := range x.Problems {
		if p.Type == t {
			out = append(out, p)
		}
	}
	return out
}

func TestReadFactBeatsStatedOne(t *testing.T) {
	fsys := factBundle("FAKE 2026-10-01\n", `collected_at: "2026-10-01", facts: {tls.min_version: "1.2", tls: {protocols_offered: [TLSv1.2, "TLS 1.0"]}, owner.note: kept}`)
	x := verify(t, fsys, Options{ReadFacts: fakeReads})
	st, _ := x.Item("EV-1")
	got := problemsOf(x, FactsDisagree)
	if len(got) != 1 {
		t.Fatalf("want one facts-disagree problem (the version list agrees as a set), got %+v", x.Problems)
	}
	p := got[0]
	for _, want := range []string{"tls.min_version", `"1.2"`, `"1.0"`, "/scanResult/0/protocols"} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("message %q does not name %s", p.Message, want)
		}
	}
	if p.File != "scan.json" || !st.Valid() {
		t.Errorf("the problem names %q and leaves the item valid %v; want scan.json and a valid item", p.File, st.Valid())
	}
	i := slices.IndexFunc(st.Facts, func(f ItemFact) bool { return f.Name == "tls.min_version" && f.Target == "" })
	if i < 0 {
		t.Fatalf("no merged tls.min_version in %+v", st.Facts)
	}
	if f := st.Facts[i]; f.Value != "1.0" || f.Source != SourceRead || f.Stated != "1.2" || f.File != "scan.json" || f.At == "" {
		t.Errorf("merged fact %+v; want the read 1.0 from scan.json, stated 1.2 kept beside it", f)
	}
	if !slices.ContainsFunc(st.Facts, func(f ItemFact) bool { return f.Name == "owner.note" && f.Source == SourceStated }) {
		t.Errorf("a fact only stated is lost: %+v", st.Facts)
	}
	if !slices.ContainsFunc(st.Facts, func(f ItemFact) bool { return f.Target == "b.example:443" && f.Value == "1.2" }) {
		t.Errorf("per-target facts are lost: %+v", st.Facts)
	}
	if want := []string{"10.0.0.1", "a.example", "a.example:443", "b.example:443"}; !slices.Equal(st.Targets, want) {
		t.Errorf("targets %v, want %v", st.Targets, want)
	}
	if len(st.Reads) != 1 || st.Reads[0].Read == nil || st.Reads[0].Path != "scan.json" {
		t.Errorf("reads %+v", st.Reads)
	}
}

func TestStatedFactsAreComparedByType(t *testing.T) {
	tests := []struct {
		name        string
		read, state any
		same        bool
	}{
		{"tls.min_version", "1.2", "TLSv1.2", true},
		{"tls.min_version", "1.2", 1.2, true},
		{"tls.min_version", "1.0", "TLS 1", true},
		{"tls.min_version", "SSLv3", "sslv3", true},
		{"tls.min_version", "1.2", "1.3", false},
		{"network.hosts_up", 3, 3.0, true},
		{"network.hosts_up", 3, "3", false},
		{"network.open_ports", []int{22, 443}, []any{443.0, 22.0}, true},
		{"network.open_ports", []int{22, 443}, []any{443.0}, false},
		{"tls.weak_ciphers_offered", false, false, true},
		{"tls.weak_ciphers_offered", true, "true", false},
		{"scan.targets", []string{"a", "b"}, []any{"B", "a", "a"}, true},
		{"scan.date", "2026-10-01T10:00:00Z", "2026-10-01", true},
		{"scan.date", "2026-10-01T10:00:00Z", "2026-10-02", false},
		{"scan.tool", "Trivy 0.50", "trivy 0.50", true},
	}
	for _, tt := range tests {
		if got := sameValue(tt.name, tt.read, tt.state); got != tt.same {
			t.Errorf("%s: read %v, stated %v: same %v, want %v", tt.name, tt.read, tt.state, got, tt.same)
		}
	}
}

func TestReaderThatStopsEarlyLeavesTheFileHashed(t *testing.T) {
	big := "FAKE 2026-10-01\n" + strings.Repeat("x", 3<<20+17)
	fsys := factBundle(big, `collected_at: "2026-10-01"`)
	var seen int
	stop := func(r io.Reader) (*facts.Read, error) {
		n, _ := io.ReadFull(r, make([]byte, 100))
		seen += n
		return nil, errors.New("gave up")
	}
	for _, read := range []func(io.Reader) (*facts.Read, error){fakeReads, stop} {
		x := verify(t, fsys, Options{ReadFacts: read, Workers: 1})
		st, _ := x.Item("EV-1")
		if !st.Files[0].OK || st.Files[0].Size != int64(len(big)) {
			t.Fatalf("file not fully hashed: %+v", st.Files[0])
		}
		if slices.ContainsFunc(x.Problems, func(p Problem) bool { return p.Type == HashMismatch || p.Type == UnreadableFile }) {
			t.Fatalf("a reader stopping early became a hashing problem: %+v", x.Problems)
		}
	}
	if seen != 100 {
		t.Errorf("the reader saw %d bytes", seen)
	}
}

func TestUnreadableRecognisedFileDisqualifies(t *testing.T) {
	fsys := factBundle("BROKEN\n{", `collected_at: "2026-10-01", facts: {tls.min_version: "1.2"}`)
	x := verify(t, fsys, Options{ReadFacts: fakeReads})
	st, _ := x.Item("EV-1")
	got := problemsOf(x, FactsUnreadable)
	if len(got) != 1 || got[0].File != "scan.json" || !strings.Contains(got[0].Message, "line 7") || !strings.Contains(got[0].Message, "/scanResult/0") {
		t.Fatalf("want a facts-unreadable problem naming scan.json, line 7 and /scanResult/0; got %+v", x.Problems)
	}
	if st.Valid() || !st.Files[0].OK {
		t.Errorf("valid %v, file ok %v: want a damaged item whose file still hashes", st.Valid(), st.Files[0].OK)
	}
	if st.Reads[0].Error == "" {
		t.Errorf("the read error is not kept: %+v", st.Reads)
	}
}

func TestTamperedFileIsNotRead(t *testing.T) {
	fsys := factBundle("FAKE 2026-10-01\n", `collected_at: "2026-10-01"`)
	fsys["scan.json"] = &fstest.MapFile{Data: []byte("FAKE 2026-10-02\n")}
	x := verify(t, fsys, Options{ReadFacts: fakeReads})
	st, _ := x.Item("EV-1")
	if len(st.Facts) != 0 || len(st.Targets) != 0 {
		t.Errorf("facts read from a file that fails its hash: %+v", st.Facts)
	}
}

func TestFileDateDecidesAge(t *testing.T) {
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	fsys := factBundle("FAKE 2025-10-01T08:00:00Z\n", `collected_at: "2026-11-01", valid_days: 90`)
	x := verify(t, fsys, Options{ReadFacts: fakeReads, AsOf: asOf, PeriodStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
	st, _ := x.Item("EV-1")
	d := problemsOf(x, DateDisagree)
	if len(d) != 1 || !strings.Contains(d[0].Message, "2025-10-01") || !strings.Contains(d[0].Message, "2026-11-01") || !strings.Contains(d[0].Message, "/startTime") {
		t.Fatalf("want a date-disagree problem naming both dates and the pointer, got %+v", x.Problems)
	}
	if st.AgeDays != 409 || !st.Dated.Equal(time.Date(2025, 10, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("age %d days from %s; want 409 from the file's date", st.AgeDays, st.Dated)
	}
	if len(problemsOf(x, Stale)) != 1 || len(problemsOf(x, OutsidePeriod)) != 1 {
		t.Errorf("want stale (90 days from the file's date) and outside-period, got %+v", x.Problems)
	}

	future := factBundle("FAKE 2026-12-01\n", `collected_at: "2026-11-01"`)
	x = verify(t, future, Options{ReadFacts: fakeReads, AsOf: asOf})
	if len(problemsOf(x, FutureDated)) != 1 {
		t.Errorf("a file dated after the as-of date is not future-dated: %+v", x.Problems)
	}

	same := factBundle("FAKE 2026-11-01T09:30:00Z\n", `collected_at: "2026-11-01T18:00:00Z"`)
	x = verify(t, same, Options{ReadFacts: fakeReads, AsOf: asOf})
	st, _ = x.Item("EV-1")
	if len(x.Problems) != 0 || st.Dated.Hour() != 9 {
		t.Errorf("the same day is no disagreement and the earlier time counts: %+v, dated %s", x.Problems, st.Dated)
	}
}

func TestFileDatedAfterCollectionDoesNotMakeItNewer(t *testing.T) {
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	collected := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	fsys := factBundle("FAKE 2026-11-01T09:12:00Z\n", `collected_at: "2026-06-01"`)
	x := verify(t, fsys, Options{ReadFacts: fakeReads, AsOf: asOf})
	st, _ := x.Item("EV-1")
	if !st.Dated.Equal(collected) || !st.Produced.Equal(collected) || st.AgeDays != 167 {
		t.Errorf("dated %s, produced %s, age %d; want collected_at 2026-06-01, 167 days", st.Dated, st.Produced, st.AgeDays)
	}
	d := problemsOf(x, DateDisagree)
	if len(d) != 1 || !strings.Contains(d[0].Message, "2026-11-01") || !strings.Contains(d[0].Message, "collected_at decides") {
		t.Errorf("want a date-disagree problem saying collected_at decides, got %+v", x.Problems)
	}
}

func TestEffectivePeriodAgesTheItem(t *testing.T) {
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	fsys := factBundle("report\n", `collected_at: "2026-11-01", effective_from: "2025-10-01", effective_until: "2026-09-30", valid_days: 60`)
	x := verify(t, fsys, Options{AsOf: asOf, PeriodStart: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
	st, _ := x.Item("EV-1")
	if st.AgeDays != 46 {
		t.Errorf("age %d days; want 46, from effective_until", st.AgeDays)
	}
	if from, until := st.Item.Effective(); from.IsZero() || until.IsZero() {
		t.Errorf("effective period not kept: %s %s", from, until)
	}
	if len(problemsOf(x, OutsidePeriod)) != 1 || len(problemsOf(x, Stale)) != 0 {
		t.Errorf("the period it speaks for ends before the audit period: want outside-period only, got %+v", x.Problems)
	}
}

func TestEffectivePeriodIsChecked(t *testing.T) {
	tests := []struct{ keys, ptr, want string }{
		{`collected_at: "2026-11-01", effective_from: "2026-10-01", effective_until: "2026-07-01"`, "/items/0/effective_from", "effective_from 2026-10-01 is after effective_until 2026-07-01"},
		{`collected_at: "2026-11-01", effective_until: "2026-12-31"`, "/items/0/effective_until", "after collected_at"},
		{`collected_at: "2026-11-01", effective_from: "2026-11-02"`, "/items/0/effective_from", "after collected_at"},
		{`collected_at: "2026-11-01", effective_until: "2026-02-30"`, "/items/0/effective_until", "neither a date"},
	}
	for _, tt := range tests {
		fsys := factBundle("x", tt.keys)
		_, err := ParseManifest("m.yaml", fsys["manifest.yaml"].Data)
		if err == nil || !strings.Contains(err.Error(), "m.yaml:3: at "+tt.ptr) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: want an error at %s saying %q, got %v", tt.keys, tt.ptr, tt.want, err)
		}
	}
	ok := factBundle("x", `collected_at: "2026-11-01T10:00:00Z", effective_from: "2026-08-01", effective_until: "2026-11-01"`)
	if _, err := ParseManifest("m.yaml", ok["manifest.yaml"].Data); err != nil {
		t.Errorf("a period ending on the day of collection is refused: %v", err)
	}
}

func TestReaderPanicReachesTheCaller(t *testing.T) {
	fsys := factBundle("FAKE 2026-10-01\n", `collected_at: "2026-10-01"`)
	m, err := Load(fsys, "bundle")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if v := recover(); v != "reader bug" {
			t.Fatalf("recovered %v; want the reader's panic raised where hashing waits for it", v)
		}
	}()
	Verify(fsys, m, Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Workers: 1,
		ReadFacts: func(io.Reader) (*facts.Read, error) { panic("reader bug") }})
	t.Fatal("Verify returned")
}
