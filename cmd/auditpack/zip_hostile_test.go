package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit/archive/ziptest"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
)

var updateHostile = flag.Bool("update-hostile", false, "regenerate the bundle-*.zip and package-*.zip files of testdata/hostile made by hostileZips")

// zipDamage is one way to make a zip show different tools different
// files: the damage, the entry blamed ("" for the archive), and what the
// message must say.
type zipDamage struct {
	name, entry, reason string
	data                []byte
}

// damages returns every damage applied to the good archive.
func damages(good []byte) []zipDamage {
	recs := ziptest.Records(good)
	first, second := recs[0], recs[1]
	traversal := strings.Repeat("../", len(first.Name)/3) + strings.Repeat("x", len(first.Name)%3)
	return []zipDamage{
		{"local-name-traversal", first.Name, `the local header names "../`, ziptest.RenameLocal(good, first.Name, traversal)},
		{"hidden-entry", "", "a local file header at offset", ziptest.Insert(good, ziptest.CentralStart(good), ziptest.LocalEntry("evil.sh", "#!/bin/sh\n"))},
		{"gap", second.Name, "6 bytes at offset", ziptest.Insert(good, second.Local, []byte("hidden"))},
		{"prepended", first.Name, "bytes before the first entry", ziptest.Insert(good, 0, []byte("MZ\x90\x00 a program that runs first"))},
		{"appended", "", "8 bytes follow the end of the archive", append(bytes.Clone(good), "appended"...)},
		{"size-mismatch", first.Name, "bytes, the central directory",
			ziptest.Put32(good, first.Central+ziptest.CentralSize, ziptest.Get32(good, first.Central+ziptest.CentralSize)+1)},
		{"crc-mismatch", first.Name, "CRC-32",
			ziptest.Put32(good, first.Central+ziptest.CentralCRC, ziptest.Get32(good, first.Central+ziptest.CentralCRC)^1)},
		{"method-mismatch", first.Name, "compression method 0", ziptest.Put16(good, first.Local+ziptest.LocalMethod, 0)},
	}
}

// TestVerifyZipRefusesWhatOnlyLocalHeadersShow builds a package zip and
// damages it so that archive/zip, reading the central directory alone,
// still sees every file intact, while a streaming extractor would see
// something else. verify must exit 3 naming the zip, the entry and the
// reason; diff, which reads results.json from a zip, must refuse with
// exit 2.
func TestVerifyZipRefusesWhatOnlyLocalHeadersShow(t *testing.T) {
	withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, writeProject(t, nil), k, out, "--zip")
	good, err := os.ReadFile(out + ".zip")
	if err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "verify", out+".zip", "--ca", k.caPEM); code != exitOK {
		t.Fatalf("the good zip: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, d := range damages(good) {
		t.Run(d.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), d.name+".zip")
			mustWrite(t, p, d.data, 0o644)
			if _, err := zip.NewReader(bytes.NewReader(d.data), int64(len(d.data))); err != nil && d.name != "prepended" {
				t.Logf("archive/zip refuses it too: %v", err)
			}
			code, stdout, stderr := runCLI(t, "verify", p, "--ca", k.caPEM)
			if code != exitIntegrity || !strings.Contains(stdout, "FAILED  zip structure") {
				t.Fatalf("verify: exit %d, want %d with a failed zip structure check\n%s%s", code, exitIntegrity, stdout, stderr)
			}
			for _, want := range []string{p + ": package verification failed", d.reason, d.entry} {
				if !strings.Contains(stderr, want) {
					t.Fatalf("verify's message lacks %q:\n%s", want, stderr)
				}
			}
			code, _, stderr = runCLI(t, "diff", p, out+".zip")
			if code != exitInput || !strings.Contains(stderr, "not a safe package zip") || !strings.Contains(stderr, d.reason) {
				t.Fatalf("diff: exit %d, want %d refusing the zip\n%s", code, exitInput, stderr)
			}
			if entries, _ := os.ReadDir(filepath.Dir(p)); len(entries) != 1 {
				t.Fatalf("something was written next to the zip: %v", entries)
			}
		})
	}
	if *updateHostile {
		writeHostileZips(t, smallPackageZip(t))
	}
}

// smallPackageZip is a complete, signed package of one file, zipped: the
// base of the hostile package zips, kept small for the repository.
func smallPackageZip(t *testing.T) []byte {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	var results bytes.Buffer
	st, err := packager.Artefact{Path: "results.json", Write: func(w io.Writer) error {
		_, err := io.WriteString(w, `{"schema_version":"auditpack/results/v1"}`+"\n")
		return err
	}}.Stream(&results)
	if err != nil {
		t.Fatal(err)
	}
	p, err := packager.Build(packager.BuildOptions{
		Tool:        packager.Tool{Name: "auditpack", Version: "test"},
		Project:     packager.Project{Organisation: "Acme Pay Ltd", System: "payments"},
		AsOf:        time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC),
		Frameworks:  []packager.Versioned{{ID: "pci-dss", Version: "4.0.1"}},
		RuleSets:    []packager.Versioned{{ID: "builtin", Version: "1"}},
		Streamed:    []packager.Streamed{st},
		Signer:      ca.Issue(t, signature.AlgECDSAP256, "signer"),
		SigningTime: fixedNow(),
	})
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{st.Path: &fstest.MapFile{Data: results.Bytes(), Mode: 0o644}}
	for _, f := range p.Files {
		files[f.Path] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	var buf bytes.Buffer
	if err := packager.WriteZip(&buf, files); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeHostileZips writes the damaged package zips and evidence bundles
// of testdata/hostile (go test ./cmd/auditpack -run
// TestVerifyZipRefusesWhatOnlyLocalHeadersShow -update-hostile). Their
// lines in expected.txt are kept by hand.
func writeHostileZips(t *testing.T, pkg []byte) {
	var bundle bytes.Buffer
	zw := zip.NewWriter(&bundle)
	for _, f := range [][2]string{{"manifest.yaml", "schema: auditpack/evidence/v1\nitems: []\n"}, {"scan.txt", "port 22 closed\n"}} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Deflate})
		io.WriteString(w, f[1])
	}
	zw.Close()
	good := filepath.Join(t.TempDir(), "good.zip")
	mustWrite(t, good, pkg, 0o644)
	if code, stdout, stderr := runCLI(t, "verify", "--accept-unanchored", good); code != exitOK {
		t.Fatalf("the undamaged package does not verify: exit %d\n%s%s", code, stdout, stderr)
	}
	for prefix, good := range map[string][]byte{"package-": pkg, "bundle-": bundle.Bytes()} {
		for _, d := range damages(good) {
			mustWrite(t, filepath.Join(hostileDir, prefix+d.name+".zip"), d.data, 0o644)
		}
	}
}
