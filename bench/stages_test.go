// Package bench measures each stage of auditpack on synthetic projects of
// growing size. The scales default to 1 and 10 (see bench/internal/synthetic.Scale);
// AUDITPACK_BENCH_SCALES=1,10,100 adds the large one, which bench/run.sh
// uses. Every benchmark reports ns/op per scale, so dividing the ×10 figure
// by the ×1 figure shows whether a stage grows linearly.
package bench

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/audit/threatmodel"
	"github.com/auditpack/auditpack/bench/internal/synthetic"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/pdf"
	"github.com/auditpack/auditpack/reports/signature"
	"github.com/auditpack/auditpack/reports/xlsx"
)

var scratch string // temporary directory holding the written projects

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "auditpack-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func scales(tb testing.TB) []int {
	env := os.Getenv("AUDITPACK_BENCH_SCALES")
	if env == "" {
		env = "1,10"
	}
	var out []int
	for _, s := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			tb.Fatalf("AUDITPACK_BENCH_SCALES: bad scale %q", s)
		}
		out = append(out, n)
	}
	return out
}

// fixture is one written and evaluated project.
type fixture struct {
	dir     string
	bytes   int64
	model   []byte
	loaded  *synthetic.Loaded
	results *audit.Results
}

var fixtures sync.Map // scale → *fixture

// project writes the project of a scale to disk once, and evaluates it.
func project(b *testing.B, scale int) *fixture {
	if f, ok := fixtures.Load(scale); ok {
		return f.(*fixture)
	}
	b.StopTimer()
	defer b.StartTimer()
	s := synthetic.Scale(scale)
	p, err := synthetic.Generate(s)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(scratch, fmt.Sprintf("x%d", scale))
	create := func(name string) (io.WriteCloser, error) {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return nil, err
		}
		return os.Create(full)
	}
	if err := p.Write(create); err != nil {
		b.Fatal(err)
	}
	l, err := synthetic.Load(os.DirFS(dir), 0)
	if err != nil {
		b.Fatal(err)
	}
	res, err := audit.Run(l.Inputs)
	if err != nil {
		b.Fatal(err)
	}
	model, err := os.ReadFile(filepath.Join(dir, synthetic.ModelName))
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{dir: dir, bytes: s.EvidenceBytes, model: model, loaded: l, results: res}
	fixtures.Store(scale, f)
	return f
}

func eachScale(b *testing.B, fn func(b *testing.B, f *fixture)) {
	for _, s := range scales(b) {
		b.Run(fmt.Sprintf("x%d", s), func(b *testing.B) { fn(b, project(b, s)) })
	}
}

// BenchmarkImport decodes the native model (format detection included).
func BenchmarkImport(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		b.SetBytes(int64(len(f.model)))
		for b.Loop() {
			if _, err := threatmodel.Decode(nil, synthetic.ModelName, f.model); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEvaluate runs the overlay, the rules, the roll-up and the
// exceptions over a loaded project.
func BenchmarkEvaluate(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := audit.Run(f.loaded.Inputs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerify hashes the evidence bundle on disk; MB/s is the figure to
// compare with `openssl dgst -sha256` over the same files.
func BenchmarkVerify(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		fsys := os.DirFS(path.Join(f.dir, synthetic.EvidenceDir))
		b.SetBytes(f.bytes)
		for b.Loop() {
			if _, err := evidence.Verify(fsys, f.loaded.Manifest, evidence.Options{AsOf: synthetic.AsOf}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkManifest parses and checks the evidence manifest: the work
// evidence verify does on its own before the first file is hashed.
func BenchmarkManifest(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		data, err := os.ReadFile(filepath.Join(f.dir, synthetic.EvidenceDir, "manifest.json"))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := evidence.ParseManifest("manifest.json", data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyBundle does what `auditpack evidence verify` does with a
// directory: check the bundle entry by entry through os.Root, parse the
// manifest, hash every file and list the undeclared ones. MB/s against
// BenchmarkVerify's shows what is spent around the hashing.
func BenchmarkVerifyBundle(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		dir := filepath.Join(f.dir, synthetic.EvidenceDir)
		b.SetBytes(f.bytes)
		for b.Loop() {
			root, err := os.OpenRoot(dir)
			if err != nil {
				b.Fatal(err)
			}
			fsys, err := evidence.OpenDir(root, dir, evidence.DefaultLimits)
			if err != nil {
				b.Fatal(err)
			}
			m, err := evidence.Load(fsys, dir)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := evidence.Verify(fsys, m, evidence.Options{AsOf: synthetic.AsOf}); err != nil {
				b.Fatal(err)
			}
			root.Close()
		}
	})
}

// BenchmarkVerifyPackage does what `auditpack verify` does with a package
// directory whose evidence is embedded: list it through os.Root, check
// SHA256SUMS against every file, the manifest against the files and the
// signatures. MB/s counts every byte of the package, to compare with
// `openssl dgst -sha256` over the same files.
func BenchmarkVerifyPackage(b *testing.B) {
	signer := signature.NewTestCA(b, "ecdsa-p256").Issue(b, "ecdsa-p256", "Bench Signer")
	eachScale(b, func(b *testing.B, f *fixture) {
		b.StopTimer()
		dir, size := embeddedPackage(b, f, signer)
		b.StartTimer()
		b.SetBytes(size)
		for b.Loop() {
			root, err := os.OpenRoot(dir)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := packager.Verify(root.FS(), packager.VerifyOptions{AcceptUnanchored: true}); err != nil {
				b.Fatal(err)
			}
			root.Close()
		}
	})
}

// embeddedPackage writes a signed package carrying the fixture's evidence
// bundle (linked, or copied where links cannot be made) and returns its
// directory and size in bytes.
func embeddedPackage(b *testing.B, f *fixture, signer *signature.Signer) (string, int64) {
	dir := filepath.Join(scratch, fmt.Sprintf("pkg-%s", filepath.Base(f.dir)))
	src := filepath.Join(f.dir, synthetic.EvidenceDir)
	var ext []packager.External
	var size int64
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := packager.EvidenceDir + "/" + filepath.ToSlash(rel)
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Link(p, dst); err != nil {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				return err
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ext = append(ext, packager.External{Path: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rf, err := os.Create(filepath.Join(dir, "results.json"))
	if err != nil {
		b.Fatal(err)
	}
	st, err := packager.Artefact{Path: "results.json", Write: func(w io.Writer) error {
		return resultsfile.EncodeTo(w, f.results)
	}}.Stream(rf)
	if cerr := rf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	pkg, err := packager.Build(packager.BuildOptions{Tool: packager.Tool{Name: "auditpack", Version: "bench"},
		AsOf: synthetic.AsOf, Signer: signer, SigningTime: signature.TestSigningTime, Evidence: ext, EmbedEvidence: true,
		Streamed: []packager.Streamed{st},
		Inputs:   []packager.Input{{Role: "model", Source: synthetic.ModelName, Data: f.model}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, pf := range pkg.Files {
		dst := filepath.Join(dir, filepath.FromSlash(pf.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(dst, pf.Data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			size += fi.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return dir, size
}

// BenchmarkResultsJSON encodes results.json.
func BenchmarkResultsJSON(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		for b.Loop() {
			if _, err := resultsfile.Encode(f.results); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPDF renders the report.
func BenchmarkPDF(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		b.ReportAllocs()
		for b.Loop() {
			if err := pdf.Render(io.Discard, f.results, pdf.Options{PackageID: "AP-BENCH"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWorkbook renders the workbook.
func BenchmarkWorkbook(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		b.ReportAllocs()
		for b.Loop() {
			if err := xlsx.Render(io.Discard, f.results, xlsx.Options{PackageID: "AP-BENCH"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOSCAL renders the OSCAL assessment results.
func BenchmarkOSCAL(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		b.ReportAllocs()
		for b.Loop() {
			if err := oscal.Render(io.Discard, f.results); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPackage signs the report and builds the package (manifest,
// SHA256SUMS, CMS signature) from already rendered artefacts, hashing them
// as they stream.
func BenchmarkPackage(b *testing.B) {
	signer := signature.NewTestCA(b, "ecdsa-p256").Issue(b, "ecdsa-p256", "Bench Signer")
	eachScale(b, func(b *testing.B, f *fixture) {
		b.StopTimer()
		results, err := resultsfile.Encode(f.results)
		if err != nil {
			b.Fatal(err)
		}
		var report, book bytes.Buffer
		if err := pdf.Render(&report, f.results, pdf.Options{PackageID: "AP-BENCH"}); err != nil {
			b.Fatal(err)
		}
		if err := xlsx.Render(&book, f.results, xlsx.Options{PackageID: "AP-BENCH"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for b.Loop() {
			var streamed []packager.Streamed
			for _, a := range []packager.File{{Path: "results.json", Data: results}, {Path: "workbook.xlsx", Data: book.Bytes()}} {
				st, err := packager.Artefact{Path: a.Path, Write: func(w io.Writer) error {
					_, err := w.Write(a.Data)
					return err
				}}.Stream(io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				streamed = append(streamed, st)
			}
			_, err := packager.Build(packager.BuildOptions{Tool: packager.Tool{Name: "auditpack", Version: "bench"},
				AsOf: synthetic.AsOf, Report: report.Bytes(), Signer: signer, SigningTime: signature.TestSigningTime, Streamed: streamed,
				Inputs: []packager.Input{{Role: "model", Source: synthetic.ModelName, Data: f.model}}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
