package packager

import (
	"bytes"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/archive/ziptest"
	"github.com/auditpack/auditpack/reports/signature"
)

// goodZip builds a package and zips it.
func goodZip(t testing.TB) ([]byte, VerifyOptions) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	files := build(t, testOptions(t, ca.Issue(t, signature.AlgECDSAP256, "signer")))
	var buf bytes.Buffer
	if err := WriteZip(&buf, mapFS(files)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), VerifyOptions{Roots: ca.Pool()}
}

// tamperedZips are package zips whose files are all intact, as archive/zip
// reads them, but whose raw bytes would show another tool something else.
// For each: the damage, the entry blamed, and a fragment of the reason.
func tamperedZips(good []byte) []struct {
	name, file, reason string
	data               []byte
} {
	recs := ziptest.Records(good)
	first, second := recs[0], recs[1]
	traversal := strings.Repeat("../", len(first.Name)/3) + strings.Repeat("x", len(first.Name)%3)
	return []struct {
		name, file, reason string
		data               []byte
	}{
		{"local header names a traversal", first.Name, `the local header names "` + traversal,
			ziptest.RenameLocal(good, first.Name, traversal)},
		{"local entry the central directory does not list", "", "a local file header at offset",
			ziptest.Insert(good, ziptest.CentralStart(good), ziptest.LocalEntry("evil.sh", "#!/bin/sh\n"))},
		{"gap between entries", second.Name, "6 bytes at offset",
			ziptest.Insert(good, second.Local, []byte("hidden"))},
		{"prepended program", first.Name, "bytes before the first entry",
			ziptest.Insert(good, 0, []byte("MZ\x90\x00 a program that runs first"))},
		{"prepended, offsets not moved", "", "between the central directory and the end record",
			append([]byte("#!/bin/sh\nexit 0\n"), good...)},
		{"appended data", "", "follow the end of the archive", append(bytes.Clone(good), "appended"...)},
		{"size mismatch", first.Name, "the central directory",
			ziptest.Put32(good, first.Central+ziptest.CentralSize, ziptest.Get32(good, first.Central+ziptest.CentralSize)+1)},
		{"crc mismatch", first.Name, "CRC-32",
			ziptest.Put32(good, first.Central+ziptest.CentralCRC, ziptest.Get32(good, first.Central+ziptest.CentralCRC)^1)},
		{"method mismatch", first.Name, "compression method 0", ziptest.Put16(good, first.Local+ziptest.LocalMethod, 0)},
		{"flags mismatch", first.Name, "flags", ziptest.Put16(good, first.Local+ziptest.LocalFlags, 0x0808)},
	}
}

func TestVerifyZipChecksEveryLocalHeader(t *testing.T) {
	good, opts := goodZip(t)
	if _, err := VerifyZip(bytes.NewReader(good), int64(len(good)), opts); err != nil {
		t.Fatalf("the good zip does not verify: %v", err)
	}
	for _, tc := range tamperedZips(good) {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := VerifyZip(bytes.NewReader(tc.data), int64(len(tc.data)), opts)
			wantFailure(t, err, tc.file, ErrZip)
			if !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("error %v\nwant it to say %q", err, tc.reason)
			}
			if len(rep.Checks) != 1 || rep.Checks[0].Name != "zip structure" || rep.Checks[0].OK {
				t.Fatalf("want one failed zip structure check, got %+v", rep.Checks)
			}
		})
	}
}

// A zip read through archive/zip shows only its central directory, so
// Verify refuses one: the raw bytes must be checked.
func TestVerifyRefusesArchiveZipView(t *testing.T) {
	good, opts := goodZip(t)
	zr, err := zipReader(good)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Verify(zr, opts)
	wantFailure(t, err, "", ErrZip)
}

func TestCheckNameRefusesWindowsNames(t *testing.T) {
	for _, bad := range []string{"a.txt.", "inputs/model/model.", "CON", "nul.txt", "inputs/aux.yaml", "evidence/com1/x.txt",
		"LPT9.log", "evidence/Prn.tar.gz"} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
	for _, good := range []string{"a.txt", "inputs/console.yaml", "evidence/com10.txt", "nul-hypothesis.txt", "a..b"} {
		if err := CheckName(good); err != nil {
			t.Errorf("CheckName(%q): %v", good, err)
		}
	}
}

// Inputs named like devices or with a trailing dot still get a package
// name Windows can hold.
func TestInputPathAvoidsWindowsNames(t *testing.T) {
	taken := map[string]bool{}
	for _, src := range []string{"/x/nul.txt", "CON", "model.", "aux.tar.gz", "dir/Com3.yaml"} {
		p := InputPath("model", src, taken)
		if err := CheckName(p); err != nil {
			t.Errorf("InputPath(%q) = %q: %v", src, p, err)
		}
	}
}

// A package whose names collide on Windows cannot be built.
func TestBuildRefusesWindowsNames(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	for _, name := range []string{"results.json.", "nul.json", "aux"} {
		opts := testOptions(t, ca.Issue(t, signature.AlgECDSAP256, "signer"))
		opts.Streamed = append(opts.Streamed, stream(t, name, []byte("x")))
		if _, err := Build(opts); err == nil {
			t.Errorf("built a package with %q", name)
		}
	}
}
