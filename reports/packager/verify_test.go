package packager

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/signature"
)

func TestBuildThenVerifyUnderEachTrustDecision(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	s := ca.Issue(t, signature.AlgECDSAP256, "Acme Pay signer")
	files := build(t, testOptions(t, s))
	fp := signature.CertFingerprint(s.Leaf)
	other := signature.NewTestCA(t, signature.AlgECDSAP256)

	tests := []struct {
		name  string
		opts  VerifyOptions
		trust Trust
		fail  error
	}{
		{"ca", VerifyOptions{Roots: ca.Pool()}, TrustAnchor, nil},
		{"ca and pin", VerifyOptions{Roots: ca.Pool(), Pin: fp}, TrustAnchor, nil},
		{"pin", VerifyOptions{Pin: fp}, TrustPinned, nil},
		{"wrong ca", VerifyOptions{Roots: other.Pool()}, TrustFailed, ErrUntrusted},
		{"wrong pin", VerifyOptions{Pin: make([]byte, 32)}, TrustFailed, ErrUntrusted},
		{"no anchor", VerifyOptions{}, TrustFailed, ErrUntrusted},
		{"no anchor accepted", VerifyOptions{AcceptUnanchored: true}, TrustNone, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Verify(mapFS(files), tt.opts)
			if tt.fail == nil && err != nil {
				t.Fatal(err)
			}
			if tt.fail != nil && !errors.Is(err, tt.fail) {
				t.Fatalf("want %v, got %v", tt.fail, err)
			}
			if rep.Trust != tt.trust {
				t.Fatalf("trust %q, want %q", rep.Trust, tt.trust)
			}
			if tt.name == "no anchor" || tt.name == "no anchor accepted" {
				found := false
				for _, c := range rep.Checks {
					found = found || strings.Contains(c.Detail, "UNTRUSTED: no anchor")
				}
				if !found {
					t.Fatalf("the report must say UNTRUSTED: no anchor: %+v", rep.Checks)
				}
			}
		})
	}
	// The same package on disk, opened the way the CLI opens it.
	root, err := os.OpenRoot(writeDir(t, files))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, err := Verify(root.FS(), VerifyOptions{Roots: ca.Pool(), Pin: fp}); err != nil {
		t.Fatal(err)
	}
}

// TestEveryByteFlipFails flips every byte of every small file and, in the
// PDF, every 31st byte plus all of its last 1 KiB (the signature update's
// cross-reference and trailer), in memory, and requires each change to be
// caught. Files run in parallel to keep the test quick.
func TestEveryByteFlipFails(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	s := ca.Issue(t, signature.AlgECDSAP256, "signer")
	files := build(t, testOptions(t, s))
	opts := VerifyOptions{Roots: ca.Pool(), Pin: signature.CertFingerprint(s.Leaf)}
	if _, err := Verify(mapFS(files), opts); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fsys := mapFS(cloneFiles(files))
			data := fsys[name].Data
			flips := 0
			for i := 0; i < len(data); i++ {
				if len(data) > 8192 && i%31 != 0 && i < len(data)-1024 {
					continue
				}
				data[i] ^= 0x01
				if _, err := Verify(fsys, opts); err == nil {
					t.Fatalf("flipping byte %d was not detected", i)
				}
				data[i] ^= 0x01
				flips++
			}
			t.Logf("%d single-byte changes detected", flips)
		})
	}
}

func TestAddRemoveRenameFail(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	s := ca.Issue(t, signature.AlgECDSAP256, "signer")
	files := build(t, testOptions(t, s))
	opts := VerifyOptions{Roots: ca.Pool()}
	tests := []struct {
		name   string
		change func(f map[string][]byte)
		file   string
		kind   error
	}{
		{"added", func(f map[string][]byte) { f["notes.txt"] = []byte("x") }, "notes.txt", ErrExtra},
		{"added in a folder", func(f map[string][]byte) { f["inputs/model/extra.yaml"] = []byte("x") }, "inputs/model/extra.yaml", ErrExtra},
		{"removed", func(f map[string][]byte) { delete(f, "results.json") }, "results.json", ErrMissing},
		{"renamed", func(f map[string][]byte) { f["result.json"] = f["results.json"]; delete(f, "results.json") }, "result.json", ErrExtra},
		{"signature deleted", func(f map[string][]byte) { delete(f, SignatureName) }, SignatureName, ErrMissing},
		{"sums deleted", func(f map[string][]byte) { delete(f, SumsName) }, SumsName, ErrMissing},
		{"manifest deleted", func(f map[string][]byte) { delete(f, ManifestName) }, ManifestName, ErrMissing},
		{"report deleted", func(f map[string][]byte) { delete(f, ReportName) }, ReportName, ErrMissing},
		{"evidence deleted", func(f map[string][]byte) { delete(f, "evidence/config/firewall.txt") }, "evidence/config/firewall.txt", ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := cloneFiles(files)
			tt.change(f)
			_, err := Verify(mapFS(f), opts)
			wantFailure(t, err, tt.file, tt.kind)
		})
	}
}

// TestResignedPackagesFail covers an attacker who changes files and signs
// every listing again, with another key or (having stolen it) with the
// signer's own key.
func TestResignedPackagesFail(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	s := ca.Issue(t, signature.AlgECDSAP256, "signer")
	files := build(t, testOptions(t, s))
	fp := signature.CertFingerprint(s.Leaf)

	t.Run("another key", func(t *testing.T) {
		f := cloneFiles(files)
		f["results.json"] = []byte("{}\n")
		mallory := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
		resign(t, f, mallory, nil)
		_, err := Verify(mapFS(f), VerifyOptions{Pin: fp})
		wantFailure(t, err, SignatureName, ErrUntrusted)
		_, err = Verify(mapFS(f), VerifyOptions{Roots: ca.Pool()})
		wantFailure(t, err, SignatureName, ErrUntrusted)
	})
	t.Run("report signature stripped", func(t *testing.T) {
		f := cloneFiles(files)
		m, _ := ParseManifest(f[ManifestName])
		f[ReportName] = f[ReportName][:m.Report.UnsignedLength]
		resign(t, f, s, nil)
		_, err := Verify(mapFS(f), VerifyOptions{Roots: ca.Pool(), Pin: fp})
		wantFailure(t, err, ReportName, ErrSignature)
	})
	t.Run("report replaced by another signed report", func(t *testing.T) {
		f := cloneFiles(files)
		opts := testOptions(t, s)
		opts.Report = testReport(t, "Another report", testAsOf)
		f[ReportName] = build(t, opts)[ReportName]
		m, _ := ParseManifest(files[ManifestName])
		resign(t, f, s, func(n *Manifest) { n.Report = m.Report })
		_, err := Verify(mapFS(f), VerifyOptions{Roots: ca.Pool(), Pin: fp})
		wantFailure(t, err, ReportName, ErrInconsistent)
	})
	t.Run("manifest drops the report", func(t *testing.T) {
		f := cloneFiles(files)
		delete(f, ReportName)
		resign(t, f, s, func(n *Manifest) { n.Report = nil })
		if _, err := Verify(mapFS(f), VerifyOptions{Pin: fp}); err != nil {
			t.Fatalf("a package whose manifest lists no report needs none: %v", err)
		}
		f[ReportName] = files[ReportName]
		_, err := Verify(mapFS(f), VerifyOptions{Pin: fp})
		wantFailure(t, err, ReportName, ErrExtra)
	})
}

func TestPackageWithoutReport(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	opts := testOptions(t, s)
	opts.Report = nil
	files := build(t, opts)
	if _, ok := files[ReportName]; ok {
		t.Fatal("no report given, but the package has one")
	}
	m, err := ParseManifest(files[ManifestName])
	if err != nil || m.Report != nil {
		t.Fatalf("manifest must say report: null: %v %+v", err, m.Report)
	}
	if !bytes.Contains(files[VerifyName], []byte("has no PDF report")) {
		t.Fatal("VERIFY.txt must say there is no report")
	}
	if _, err := Verify(mapFS(files), VerifyOptions{Pin: signature.CertFingerprint(s.Leaf)}); err != nil {
		t.Fatal(err)
	}
}

func TestZipVerifiesAndIsDeterministic(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	files := build(t, testOptions(t, ca.Issue(t, signature.AlgECDSAP256, "signer")))
	var a, b bytes.Buffer
	if err := WriteZip(&a, mapFS(files)); err != nil {
		t.Fatal(err)
	}
	if err := WriteZip(&b, mapFS(cloneFiles(files))); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same package must zip to the same bytes")
	}
	if _, err := VerifyZip(bytes.NewReader(a.Bytes()), int64(a.Len()), VerifyOptions{Roots: ca.Pool()}); err != nil {
		t.Fatal(err)
	}
}

func TestZipWithUnsafeEntriesIsRefused(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	files := build(t, testOptions(t, ca.Issue(t, signature.AlgECDSAP256, "signer")))
	tests := []struct {
		name  string
		extra string
		mode  os.FileMode
		kind  error
	}{
		{"parent", "../evil.txt", 0o644, ErrUnsafeName},
		{"nested parent", "inputs/../../evil.txt", 0o644, ErrUnsafeName},
		{"absolute", "/etc/evil.txt", 0o644, ErrUnsafeName},
		{"backslash", `inputs\evil.txt`, 0o644, ErrUnsafeName},
		{"duplicate", "results.json", 0o644, ErrDuplicate},
		{"case duplicate", "Results.json", 0o644, ErrDuplicate},
		{"symlink", "link.txt", os.ModeSymlink | 0o777, ErrNotRegular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			add := func(name string, data []byte, mode os.FileMode) {
				h := &zip.FileHeader{Name: name, Method: zip.Deflate}
				h.SetMode(mode)
				w, err := zw.CreateHeader(h)
				if err != nil {
					t.Fatal(err)
				}
				w.Write(data)
			}
			for n, d := range files {
				add(n, d, 0o644)
			}
			add(tt.extra, []byte("results.json"), tt.mode)
			zw.Close()
			_, err := VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), VerifyOptions{Roots: ca.Pool()})
			wantFailure(t, err, tt.extra, tt.kind)
		})
	}
}
