package evidence

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// replayBundle is good() with a scan whose facts are read, a missing file,
// a damaged one and an undeclared one.
func replayBundle(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys, manifest := good()
	scan, err := os.ReadFile(filepath.Join("..", "..", "testdata", "evidence", "nmap-xml", "libnmap__fullscan.xml"))
	if err != nil {
		t.Fatal(err)
	}
	fsys["d/scan.xml"] = &fstest.MapFile{Data: scan}
	manifest += "  - {id: EV-9, title: t, kind: network-scan, collected_at: \"2026-10-05\", valid_days: 180,\n" +
		"     files: [{path: d/scan.xml, sha256: " + sum(string(scan)) + "}], supports: [{rule: r}]}\n"
	fsys["manifest.yaml"] = &fstest.MapFile{Data: []byte(manifest)}
	delete(fsys, "b/policy.txt")
	fsys["c/log.csv"] = &fstest.MapFile{Data: []byte("tampered")}
	fsys["zz.txt"] = &fstest.MapFile{Data: []byte("x")}
	return fsys
}

// recordOf records x as results.json does, through JSON, so that fact
// values come back as encoding/json gives them and are retyped.
func recordOf(t *testing.T, x *Index) Record {
	t.Helper()
	rec := Record{Files: map[string]RecordedFile{}, Undeclared: x.Undeclared}
	for _, st := range x.Items {
		for _, f := range st.Files {
			rf := RecordedFile{SHA256: f.Actual, Size: f.Size, Intact: f.OK}
			for _, p := range st.Problems {
				if p.File == f.Path && p.Type == MissingFile {
					rf.Missing = true
				}
			}
			for _, fr := range st.Reads {
				if fr.Path != f.Path || fr.Read == nil {
					continue
				}
				data, err := json.Marshal(fr.Read)
				if err != nil {
					t.Fatal(err)
				}
				var back facts.Read
				if err := json.Unmarshal(data, &back); err != nil {
					t.Fatal(err)
				}
				if rf.Read, err = facts.TypedRead(&back); err != nil {
					t.Fatal(err)
				}
			}
			rec.Files[f.Path] = rf
		}
	}
	return rec
}

// Judged again from its record, with or without the files, a bundle gives
// the index verification gave: the same files, facts, dates and problems.
func TestReplayGivesTheVerifiedIndex(t *testing.T) {
	fsys := replayBundle(t)
	opts := Options{AsOf: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)}
	want := verify(t, fsys, opts)
	if len(want.Problems) < 3 {
		t.Fatalf("the bundle should have problems: %+v", want.Problems)
	}
	m, err := Load(fsys, "bundle")
	if err != nil {
		t.Fatal(err)
	}
	rec := recordOf(t, want)
	for _, again := range []struct {
		name string
		fsys fstest.MapFS
	}{{"from the record", nil}, {"re-reading the files", fsys}} {
		var got *Index
		if again.fsys == nil {
			got, err = Replay(context.Background(), nil, m, rec, opts)
		} else {
			got, err = Replay(context.Background(), again.fsys, m, rec, opts)
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Problems, want.Problems) || !reflect.DeepEqual(got.Undeclared, want.Undeclared) {
			t.Errorf("%s: problems differ\n got %+v\nwant %+v", again.name, got.Problems, want.Problems)
		}
		if len(got.Items) != len(want.Items) {
			t.Fatalf("%s: %d items, want %d", again.name, len(got.Items), len(want.Items))
		}
		for i := range want.Items {
			// What the files say is compared as results.json holds it (an
			// empty list and none are one there); the rest, the typed
			// facts among it, as values.
			g, w := *got.Items[i], *want.Items[i]
			gr, _ := json.Marshal(g.Reads)
			wr, _ := json.Marshal(w.Reads)
			g.Reads, w.Reads = nil, nil
			if string(gr) != string(wr) || !reflect.DeepEqual(g, w) {
				t.Errorf("%s: item %s differs\n got %+v\nwant %+v", again.name, w.Item.ID, g, w)
			}
		}
	}
	// A file changed since: re-read, it no longer matches its declaration.
	fsys["d/scan.xml"] = &fstest.MapFile{Data: []byte("<nmaprun/>")}
	got, err := Replay(context.Background(), fsys, m, rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := got.Item("EV-9"); st.Valid() || len(st.Problems) == 0 || st.Problems[0].Type != HashMismatch {
		t.Errorf("a changed file re-read: %+v", st.Problems)
	}
}

func TestTypedRefusesValuesOfAnotherType(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
		want any
		ok   bool
	}{
		{"scan.targets", []any{"a", "b"}, []string{"a", "b"}, true},
		{"scan.targets", []any{"a", 1.0}, nil, false},
		{"tls.weak_ciphers_offered", true, true, true},
		{"tls.weak_ciphers_offered", "true", nil, false},
		{"tls.min_version", "1.2", "1.2", true},
		{"tls.min_version", 1.2, nil, false},
		{"not.a.fact", 3.0, 3.0, true},
	} {
		got, err := facts.Typed(tt.name, tt.v)
		if (err == nil) != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Typed(%s, %#v) = %#v, %v; want %#v (ok %v)", tt.name, tt.v, got, err, tt.want, tt.ok)
		}
	}
}
