package packager

import (
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/reports/signature"
)

// TestSigningTimeIsTheGivenTimeNotTheAsOfDate builds a package signed a
// week after its as-of date: the manifest, VERIFY.txt, the CMS signature
// and the PDF's /M all carry the signing time, and the as-of date stays
// the assessment date.
func TestSigningTimeIsTheGivenTimeNotTheAsOfDate(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	files := build(t, testOptions(t, s))
	m, err := ParseManifest(files[ManifestName])
	if err != nil {
		t.Fatal(err)
	}
	const want = "2026-11-22T10:30:15Z"
	if m.SigningTime != want || m.AsOf != "2026-11-15" {
		t.Fatalf("manifest: signing_time %s, as_of %s; want %s and 2026-11-15", m.SigningTime, m.AsOf, want)
	}
	cms, ok, err := signature.CMSSigningTime(files[SignatureName])
	if err != nil || !ok || !cms.Equal(testSigningTime) {
		t.Errorf("CMS signingTime %v (present %v, %v), want %v", cms, ok, err, testSigningTime)
	}
	info, err := signature.VerifyPDF(files[ReportName], nil, signature.CertFingerprint(s.Leaf))
	if err != nil || !info.SigningTime.Equal(testSigningTime) {
		t.Errorf("PDF /M %v (%v), want %v", info.SigningTime, err, testSigningTime)
	}
	txt := string(files[VerifyName])
	for _, line := range []string{"As of:         2026-11-15 (the date the controls are assessed at)", "Signed at:     " + want} {
		if !strings.Contains(txt, line) {
			t.Errorf("VERIFY.txt lacks %q", line)
		}
	}
}

// TestSigningTimeOnlyChangesTheSignatures builds the same package at two
// signing times: only what carries the time differs.
func TestSigningTimeOnlyChangesTheSignatures(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	o := testOptions(t, s)
	a := build(t, o)
	o.SigningTime = testSigningTime.Add(36 * time.Hour)
	b := build(t, o)
	for _, n := range []string{"results.json", "inputs/config/auditpack.yaml", "inputs/model/model.yaml"} {
		if string(a[n]) != string(b[n]) {
			t.Errorf("%s differs with the signing time", n)
		}
	}
	for _, n := range []string{ManifestName, VerifyName, SignatureName, ReportName} {
		if string(a[n]) == string(b[n]) {
			t.Errorf("%s is the same at two signing times", n)
		}
	}
}

// TestVerifyStatesTheSigningTimeAgainstTheValidity verifies a package: a
// check line gives the signing time, the certificate's validity and the
// as-of date; a package re-signed at a time before the validity fails,
// naming both.
func TestVerifyStatesTheSigningTimeAgainstTheValidity(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	files := build(t, testOptions(t, s))
	pin := signature.CertFingerprint(s.Leaf)
	rep, err := Verify(mapFS(files), VerifyOptions{Pin: pin})
	if err != nil {
		t.Fatal(err)
	}
	var detail string
	for _, c := range rep.Checks {
		if c.Name == "signing time" && c.OK {
			detail = c.Detail
		}
	}
	for _, want := range []string{"signed at 2026-11-22T10:30:15Z", "validity (2020-01-01T00:00:00Z to 2100-01-01T00:00:00Z)", "as of 2026-11-15"} {
		if !strings.Contains(detail, want) {
			t.Errorf("signing time check %q lacks %q", detail, want)
		}
	}

	early := cloneFiles(files)
	resign(t, early, s, func(m *Manifest) { m.SigningTime = "2019-06-01T00:00:00Z" })
	_, err = Verify(mapFS(early), VerifyOptions{Pin: pin})
	wantFailure(t, err, SignatureName, ErrUntrusted)
	if !strings.Contains(err.Error(), "signing time 2019-06-01T00:00:00Z is outside the validity") {
		t.Errorf("the failure does not name the time and the validity: %v", err)
	}
}
