package packager

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/auditpack/auditpack/reports/signature"
)

func TestManifestMatchesItsPublishedSchema(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	withReport := build(t, testOptions(t, s))
	opts := testOptions(t, s)
	opts.Report, opts.Evidence, opts.EmbedEvidence = nil, nil, false
	without := build(t, opts)
	schema := schemadoc.MustCompile("manifest.schema.json", Schema())
	for name, files := range map[string]map[string][]byte{"with report": withReport, "without report": without} {
		v, _, err := schemadoc.Parse(ManifestName, files[ManifestName])
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: manifest.json does not match its schema: %v", name, err)
		}
	}
	bad := bytes.Replace(withReport[ManifestName], []byte(`"demo": false`), []byte(`"demo": "no"`), 1)
	v, _, _ := schemadoc.Parse(ManifestName, bad)
	if schema.Validate(v) == nil {
		t.Error("the schema must refuse a string for demo")
	}
}

func TestManifestListsEverythingSumsListsManifest(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	files := build(t, testOptions(t, s))
	m, err := ParseManifest(files[ManifestName])
	if err != nil {
		t.Fatal(err)
	}
	sums, err := ParseSums(files[SumsName])
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(files)-2 || len(m.Files) != len(files)-3 {
		t.Fatalf("%d files; SHA256SUMS lists %d, manifest %d", len(files), len(sums), len(m.Files))
	}
	paths := map[string]bool{}
	for _, in := range m.Inputs {
		paths[in.Path] = true
	}
	for _, want := range []string{"inputs/config/auditpack.yaml", "inputs/model/model.yaml"} {
		if !paths[want] {
			t.Errorf("inputs lack %s (have %v): paths on disk must not leak into names", want, paths)
		}
	}
	if m.Report == nil || m.Report.UnsignedLength != int64(len(testOptions(t, s).Report)) {
		t.Errorf("report: %+v", m.Report)
	}
	if !m.Evidence.Embedded || m.Evidence.Files != 1 {
		t.Errorf("evidence: %+v", m.Evidence)
	}
}

func TestBuildRefusesBadNamesAndTimes(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	tests := []struct {
		name   string
		change func(o *BuildOptions)
		want   string
	}{
		{"reserved", func(o *BuildOptions) { o.Streamed = append(o.Streamed, stream(t, ManifestName, []byte("x"))) }, "reserved"},
		{"under inputs", func(o *BuildOptions) { o.Streamed = append(o.Streamed, stream(t, "inputs/x", []byte("x"))) }, "reserved"},
		{"unsafe", func(o *BuildOptions) { o.Streamed = append(o.Streamed, stream(t, "../x", []byte("x"))) }, "clean relative"},
		{"space", func(o *BuildOptions) { o.Streamed = append(o.Streamed, stream(t, "a b.txt", []byte("x"))) }, "only A-Z"},
		{"case clash", func(o *BuildOptions) { o.Streamed = append(o.Streamed, stream(t, "Results.json", []byte("x"))) }, "clashes"},
		{"evidence outside", func(o *BuildOptions) { o.Evidence[0].Path = "other/x.txt" }, "under evidence/"},
		{"not embedded", func(o *BuildOptions) { o.EmbedEvidence = false }, "EmbedEvidence"},
		{"before validity", func(o *BuildOptions) { o.SigningTime = signature.TestNotBefore.AddDate(-1, 0, 0) }, "outside the validity"},
		{"after validity", func(o *BuildOptions) { o.SigningTime = signature.TestNotAfter.Add(time.Second) }, "outside the validity"},
		{"no signing time", func(o *BuildOptions) { o.SigningTime = time.Time{} }, "no signing time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t, s)
			tt.change(&o)
			_, err := Build(o)
			var be *BuildError
			if !errors.As(err, &be) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want a BuildError mentioning %q, got %v", tt.want, err)
			}
		})
	}
}

func TestInputNamesAreSafeAndUnique(t *testing.T) {
	taken := map[string]bool{}
	got := []string{
		InputPath("rules", "/a/extra.rules.yaml", taken),
		InputPath("rules", "/b/extra.rules.yaml", taken),
		InputPath("rules", `C:\x\Extra.rules.yaml`, taken),
		InputPath("model", "../../.hidden model.yaml", taken),
	}
	want := []string{"inputs/rules/extra.rules.yaml", "inputs/rules/extra.rules-2.yaml", "inputs/rules/Extra.rules-3.yaml", "inputs/model/_.hidden_model.yaml"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("InputPath #%d = %q, want %q", i, got[i], want[i])
		}
		if err := CheckName(got[i]); err != nil {
			t.Error(err)
		}
	}
}

// TestRebuildIsReproducible builds twice from the same inputs and key.
// With RSA (PKCS #1 v1.5) every byte is the same, signatures included.
// With ECDSA the signatures differ, so the report and SHA256SUMS.p7s do,
// and manifest.json and SHA256SUMS differ only in the signed report's hash;
// everything unsigned, including the report before signing, is identical.
func TestRebuildIsReproducible(t *testing.T) {
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	t.Run("rsa", func(t *testing.T) {
		s := ca.Issue(t, signature.AlgRSA2048, "signer")
		a, b := build(t, testOptions(t, s)), build(t, testOptions(t, s))
		for n := range a {
			if !bytes.Equal(a[n], b[n]) {
				t.Errorf("%s differs between two RSA builds", n)
			}
		}
	})
	t.Run("ecdsa", func(t *testing.T) {
		s := ca.Issue(t, signature.AlgECDSAP256, "signer")
		a, b := build(t, testOptions(t, s)), build(t, testOptions(t, s))
		if len(a) != len(b) {
			t.Fatal("different file sets")
		}
		for n := range a {
			switch n {
			case SignatureName, ReportName, ManifestName, SumsName:
				continue
			}
			if !bytes.Equal(a[n], b[n]) {
				t.Errorf("%s differs between two builds", n)
			}
		}
		ma, _ := ParseManifest(a[ManifestName])
		mb, _ := ParseManifest(b[ManifestName])
		if *ma.Report != *mb.Report {
			t.Errorf("unsigned reports differ: %+v %+v", ma.Report, mb.Report)
		}
		n := ma.Report.UnsignedLength
		if !bytes.Equal(a[ReportName][:n], b[ReportName][:n]) {
			t.Error("the unsigned prefix of report.pdf differs")
		}
		for _, m := range []*Manifest{ma, mb} {
			for i := range m.Files {
				if m.Files[i].Path == ReportName {
					m.Files[i].SHA256 = ""
				}
			}
		}
		ea, _ := ma.Encode()
		eb, _ := mb.Encode()
		if !bytes.Equal(ea, eb) {
			t.Error("manifests differ in more than the signed report's hash")
		}
	})
}
