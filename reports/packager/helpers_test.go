package packager

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/reports/signature"
)

var testAsOf = time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)

// testSigningTime is when testOptions' packages are signed: a week after
// their as-of date, as a quarter is signed after it is assessed.
var testSigningTime = time.Date(2026, 11, 22, 10, 30, 15, 0, time.UTC)

// testOptions returns the options of a small package with a PDF report,
// two inputs and one embedded evidence file.
func testOptions(t testing.TB, s *signature.Signer) BuildOptions {
	t.Helper()
	ev := []byte("firewall: default deny\n")
	sum := sha256.Sum256(ev)
	return BuildOptions{
		Tool:       Tool{Name: "auditpack", Version: "test"},
		Project:    Project{Organisation: "Acme Pay Ltd", System: "payments"},
		AsOf:       testAsOf,
		Frameworks: []Versioned{{ID: "pci-dss", Version: "4.0.1"}},
		RuleSets:   []Versioned{{ID: "builtin", Version: "1"}},
		Streamed:   []Streamed{stream(t, "results.json", testResults)},
		Report:     testReport(t, "Audit report", testAsOf),
		Inputs: []Input{
			{Role: "config", Source: "/home/x/auditpack.yaml", Data: []byte("schema: auditpack/config/v1\n")},
			{Role: "model", Source: "model.yaml", Data: []byte("components: []\n")},
		},
		Evidence:      []External{{Path: "evidence/config/firewall.txt", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(ev))}},
		EmbedEvidence: true,
		Signer:        s,
		SigningTime:   testSigningTime,
	}
}

// evidenceData is the content of the one external file of testOptions.
var evidenceData = []byte("firewall: default deny\n")

// testResults is the results.json of testOptions.
var testResults = []byte(`{"schema_version":"auditpack/results/v1"}` + "\n")

// written holds what stream wrote, by SHA-256, standing in for the staged
// package a caller streams its artefacts into.
var written sync.Map

// stream writes data as the artefact at path through [Artefact.Stream], as
// a caller writes an artefact into its package, and returns what Build
// lists for it.
func stream(t testing.TB, path string, data []byte) Streamed {
	t.Helper()
	var buf bytes.Buffer
	st, err := Artefact{Path: path, Write: func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}}.Stream(&buf)
	if err != nil {
		t.Fatal(err)
	}
	written.Store(st.SHA256, buf.Bytes())
	return st
}

// build builds a package and returns its files as a map, the streamed
// artefacts and externals included.
func build(t testing.TB, opts BuildOptions) map[string][]byte {
	t.Helper()
	p, err := Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range p.Files {
		files[f.Path] = f.Data
	}
	for _, a := range opts.Streamed {
		data, ok := written.Load(a.SHA256)
		if !ok {
			t.Fatalf("%s was not written through stream", a.Path)
		}
		files[a.Path] = data.([]byte)
	}
	for _, e := range p.External {
		files[e.Path] = evidenceData
	}
	return files
}

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for n, d := range files {
		m[n] = &fstest.MapFile{Data: d, Mode: 0o644}
	}
	return m
}

func cloneFiles(files map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for n, d := range files {
		out[n] = slices.Clone(d)
	}
	return out
}

func writeDir(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for n, d := range files {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, d, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// resign rewrites manifest.json, SHA256SUMS and the signature after files
// were changed, as an attacker holding key s would: every listing agrees
// again, so only the checks beyond the hashes can catch the change.
func resign(t testing.TB, files map[string][]byte, s *signature.Signer, edit func(m *Manifest)) {
	t.Helper()
	m, err := ParseManifest(files[ManifestName])
	if err != nil {
		t.Fatal(err)
	}
	m.Files = m.Files[:0]
	var names []string
	for n := range files {
		if n != ManifestName && n != SumsName && n != SignatureName {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		sum := sha256.Sum256(files[n])
		m.Files = append(m.Files, FileEntry{Path: n, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(files[n])), MediaType: mediaType(n)})
	}
	m.Signer.CertificateSHA256 = hex.EncodeToString(signature.CertFingerprint(s.Leaf))
	if edit != nil {
		edit(m)
	}
	mj, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	files[ManifestName] = mj
	var sums []SumEntry
	for _, n := range append(names, ManifestName) {
		sum := sha256.Sum256(files[n])
		sums = append(sums, SumEntry{Path: n, SHA256: hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(sums, func(a, b SumEntry) int { return strings.Compare(a.Path, b.Path) })
	files[SumsName] = FormatSums(sums)
	st, _ := time.Parse(time.RFC3339, m.SigningTime)
	if files[SignatureName], err = signature.SignDetached(bytes.NewReader(files[SumsName]), s, signature.CMSOptions{SigningTime: st}); err != nil {
		t.Fatal(err)
	}
}

// wantFailure asserts that err is a *VerifyError holding a failure of kind
// about file.
func wantFailure(t testing.TB, err error, file string, kind error) {
	t.Helper()
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *VerifyError, got %v", err)
	}
	for _, f := range ve.Failures {
		if f.File == file && errors.Is(f.Kind, kind) {
			return
		}
	}
	t.Fatalf("no %q failure for %q in:\n%v", kind, file, err)
}
